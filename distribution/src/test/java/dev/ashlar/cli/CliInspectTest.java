package dev.ashlar.cli;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.DomainProvider;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.references.OnDelete;
import dev.ashlar.plugins.references.OnUpdate;
import dev.ashlar.plugins.references.References;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.Test;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;

/** Adopting a database: inspect writes resources that compile, and snapshots after which codegen writes nothing. */
class CliInspectTest extends CliProjectTest {
    /** A domain whose migrations make the database to inspect back. */
    public static final class Library implements DomainProvider {
        @Override
        public Domain domain() {
            Resource author = Resource.builder("author").table("authors").uuidPrimaryKey("id")
                    .attribute("email", Type.varchar(200), a -> a.notNull())
                    .attribute("name", Type.TEXT)
                    .attribute("shelf", Type.INTEGER, a -> a.notNull().defaultSql("1"))
                    .identity("unique_email", "email")
                    .identity("id_shelf", "id", "shelf")
                    .with(CheckConstraints.of(check("named").expression("length(name) > 1")))
                    .build();
            Resource book = Resource.builder("book").table("books").bigintPrimaryKey("id")
                    .attribute("title", Type.TEXT, a -> a.notNull())
                    .attribute("price", Type.decimal(8, 2), a -> a.defaultSql("0"))
                    .attribute("tags", Type.arrayOf(Type.TEXT))
                    .attribute("shelf", Type.INTEGER)
                    .belongsTo("author", "author")
                    .timestamps()
                    .with(CheckConstraints.of(check("priced").expression("price >= 0").name("books_price_floor")))
                    .with(CustomIndexes.of(index("lower(title)").where("price > 0"), index("title").using("hash"),
                            index("shelf").include("title").unique().name("books_shelf_key")))
                    .with(References.of(reference("author").matchWith("shelf", "shelf").onDelete(OnDelete.DELETE)
                            .onUpdate(OnUpdate.UPDATE).deferrable(true)))
                    .build();
            return Domain.builder("library").resources(author, book).build();
        }
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    private Domain compiledDomain(String className) throws Exception {
        return compiledDomain(project, className);
    }

    /** Compiles the generated source of package com.example.db against the test class path and builds its domain. */
    static Domain compiledDomain(Path project, String className) throws Exception {
        Path source = project.resolve("src/main/java/com/example/db/" + className + ".java");
        Path classes = Files.createDirectories(project.resolve("target/classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = compiler.run(null, null, errors, "-Xlint:all", "-Werror", "-classpath",
                System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
        assertThat(code).as(errors.toString() + "\n" + Files.readString(source)).isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()},
                CliInspectTest.class.getClassLoader())) {
            Object provider = loader.loadClass("com.example.db." + className).getDeclaredConstructor().newInstance();
            return ((DomainProvider) provider).domain();
        }
    }

    private Codegen.Result codegenCheck(Domain domain) {
        return codegenCheck(project, domain);
    }

    /** What a codegen of the domain would write on the project's snapshots. */
    static Codegen.Result codegenCheck(Path project, Domain domain) {
        return Project.open(project).domain(domain, Plugins.discover(CliInspectTest.class.getClassLoader()))
                .check(Renames.none());
    }

    @Test
    void aDatabaseMadeByHandBecomesResourcesThatCompileAndAfterWhichCodegenWritesNothing() throws Exception {
        db.execute("CREATE TABLE authors (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email varchar(200) NOT NULL, "
                + "name text, karma integer NOT NULL DEFAULT 0, score double precision, ratio real, big bigint, "
                + "active boolean NOT NULL DEFAULT true, born date, wakes time, seen timestamp, "
                + "joined timestamptz NOT NULL DEFAULT now(), avatar bytea, settings jsonb, tags text[], "
                + "balance numeric(10, 2), total numeric); "
                + "CREATE UNIQUE INDEX authors_email_index ON authors (email); "
                + "CREATE TABLE posts (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                + "author_id uuid NOT NULL REFERENCES authors (id), title text NOT NULL, "
                + "status text DEFAULT 'draft'); "
                + "CREATE UNIQUE INDEX posts_author_title_key ON posts (author_id, title); "
                + "ALTER TABLE authors ADD CONSTRAINT authors_karma_check CHECK (karma >= 0), "
                + "ADD CONSTRAINT sane_ratio CHECK (ratio BETWEEN 0 AND 1 OR ratio IS NULL); "
                + "CREATE UNIQUE INDEX authors_id_karma_index ON authors (id, karma); "
                + "CREATE INDEX authors_name_idx ON authors (name); "
                + "CREATE INDEX authors_lower_email ON authors (lower(email)) WHERE active; "
                + "CREATE INDEX authors_balance_total ON authors ((balance * 2)) INCLUDE (total); "
                + "CREATE INDEX authors_tags ON authors USING gin (tags); "
                + "CREATE INDEX authors_joined_desc ON authors (joined DESC); "
                + "CREATE TABLE comments (id bigint PRIMARY KEY, post_id integer REFERENCES posts ON DELETE CASCADE "
                + "ON UPDATE RESTRICT, author_id uuid, karma integer, body text, "
                + "CONSTRAINT comments_to_authors FOREIGN KEY (author_id, karma) REFERENCES authors (id, karma) "
                + "ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED); "
                + "CREATE TABLE seats (row_no integer, seat_no integer, PRIMARY KEY (row_no, seat_no)); "
                + "CREATE TABLE tickets (id integer PRIMARY KEY, row_no integer, seat_no integer, "
                + "FOREIGN KEY (row_no, seat_no) REFERENCES seats)");

        CliRun inspect = ashlar("inspect", "--package", "com.example.db");

        assertThat(inspect.code()).as(inspect.err()).isZero();
        assertThat(inspect.out()).contains("(5 table(s))").contains("resource_snapshots");
        assertThat(inspect.err())
                .contains("TODO not in the resources: authors: index authors_joined_desc has an operator class, a sort "
                        + "order or a nulls order of its own")
                .contains("TODO not in the resources: tickets: foreign key tickets_row_no_seat_no_fkey (row_no, seat_no) to "
                        + "public.seats is not in the resources: none of its columns");
        assertThat(Files.readString(project.resolve("src/main/java/com/example/db/DatabaseDomain.java")))
                .contains("// TODO not in the resource: index authors_joined_desc");
        Domain domain = compiledDomain("DatabaseDomain");
        assertThat(domain.resources()).extracting(r -> r.name())
                .containsExactly("authors", "comments", "posts", "seats", "tickets");
        assertThat(domain.resource("tickets").attribute("row_no")).isPresent();
        assertThat(domain.resource("posts").relationship("author")).isPresent();
        assertThat(domain.resource("authors").identity("email")).isPresent();
        assertThat(domain.resource("authors").identity("id_karma")).isPresent();
        assertThat(domain.resource("authors").extension(CheckConstraints.class).orElseThrow().checks())
                .extracting(c -> c.check() + "|" + c.constraintName() + "|" + c.expression())
                .containsExactly("karma|null|karma >= 0", "sane_ratio|sane_ratio|ratio >= 0::double precision AND "
                        + "ratio <= 1::double precision OR ratio IS NULL");
        assertThat(domain.resource("authors").extension(CustomIndexes.class).orElseThrow().indexes())
                .extracting(i -> i.name() + "|" + i.fields() + "|" + i.where() + "|" + i.using() + "|" + i.include())
                .containsExactly("authors_balance_total|[(balance * 2::numeric)]|null|null|[total]",
                        "authors_lower_email|[lower(email::text)]|active|null|[]",
                        "authors_name_idx|[name]|null|null|[]",
                        "authors_tags|[tags]|null|gin|[]");
        assertThat(domain.resource("posts").identity("author_id_title").orElseThrow())
                .extracting(i -> i.fields() + "|" + i.indexName()).isEqualTo("[author_id, title]|posts_author_title_key");
        assertThat(domain.resource("posts").extension(CustomIndexes.class)).isEmpty();
        References references = domain.resource("comments").extension(References.class).orElseThrow();
        assertThat(references.find("post").orElseThrow().onDelete()).isEqualTo(OnDelete.DELETE);
        assertThat(references.find("post").orElseThrow().onUpdate()).isEqualTo(OnUpdate.RESTRICT);
        assertThat(references.find("author").orElseThrow()).satisfies(author -> {
            assertThat(author.name()).isEqualTo("comments_to_authors");
            assertThat(author.matchWith()).extracting(p -> p.source() + "=" + p.destination()).containsExactly("karma=karma");
            assertThat(author.onDelete()).isEqualTo(OnDelete.NILIFY);
            assertThat(author.deferrable()).isTrue();
            assertThat(author.initiallyDeferred()).isTrue();
        });
        assertThat(domain.resource("authors").attribute("balance").orElseThrow().type().toString()).contains("10");
        assertThat(codegenCheck(domain).steps()).isEmpty();
        CliRun codegen = ashlar("codegen", "adopt", "--no-input", "--classpath", project.resolve("target/classes")
                .toString(), "--domain", "com.example.db.DatabaseDomain");
        assertThat(codegen.out()).as(codegen.err()).contains("No changes");
        assertThat(project.resolve("migrations")).doesNotExist();
        CliRun drift = ashlar("check");
        assertThat(drift.out().lines().map(String::trim).filter(line -> line.startsWith("public:")).toList())
                .as("the snapshots match the database, but for what the note names")
                .containsExactly("public: extra index authors.authors_joined_desc: CREATE INDEX authors_joined_desc "
                        + "ON authors USING btree (joined DESC)", "public: extra constraint tickets."
                        + "tickets_row_no_seat_no_fkey: FOREIGN KEY (row_no, seat_no) REFERENCES seats(row_no, seat_no)");
    }

    @Test
    void aDatabaseMadeByAshlarsOwnMigrationsRoundTripsThroughInspection() throws Exception {
        assertThat(ashlar("codegen", "create_workspace", "--no-input", "--domain", Library.class.getName()).code())
                .isZero();
        CliRun migrate = ashlar("migrate");
        assertThat(migrate.code()).as(migrate.err()).isZero();
        try (Stream<Path> snapshots = Files.walk(project.resolve("resource_snapshots"))) {
            snapshots.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }

        CliRun inspect = ashlar("inspect", "--package", "com.example.db", "--class", "Inspected");

        assertThat(inspect.code()).as(inspect.err()).isZero();
        Domain domain = compiledDomain("Inspected");
        assertThat(domain.resources()).extracting(r -> r.name()).containsExactly("authors", "books");
        assertThat(domain.resource("books").relationship("author")).isPresent();
        assertThat(domain.resource("authors").identity("id_shelf")).isPresent();
        assertThat(domain.resource("authors").extension(CheckConstraints.class).orElseThrow().checks())
                .extracting(c -> c.check()).containsExactly("named");
        assertThat(domain.resource("books").extension(CheckConstraints.class).orElseThrow().checks())
                .extracting(c -> c.constraintName()).containsExactly("books_price_floor");
        assertThat(domain.resource("books").extension(CustomIndexes.class).orElseThrow().indexes())
                .extracting(i -> i.name()).containsExactly("books_lower_title_index", "books_shelf_key",
                        "books_title_index");
        assertThat(domain.resource("books").extension(References.class).orElseThrow().find("author").orElseThrow())
                .satisfies(author -> {
                    assertThat(author.matchWith()).hasSize(1);
                    assertThat(author.onDelete()).isEqualTo(OnDelete.DELETE);
                    assertThat(author.onUpdate()).isEqualTo(OnUpdate.UPDATE);
                    assertThat(author.deferrable()).isTrue();
                });
        assertThat(codegenCheck(domain).steps()).isEmpty();
        CliRun drift = ashlar("check");
        assertThat(drift.code()).as(drift.out()).isZero();
    }

    @Test
    @RequiresPostgres(value = 15, reason = "NULLS NOT DISTINCT and ON DELETE SET NULL (columns)")
    void nullsNotDistinctAndNilifyingSomeColumnsOfAKeyRoundTrip() throws Exception {
        db.execute("CREATE TABLE teams (org integer NOT NULL, id integer PRIMARY KEY); "
                + "CREATE UNIQUE INDEX teams_id_org_index ON teams (id, org); "
                + "CREATE TABLE players (id integer PRIMARY KEY, org integer NOT NULL, team_id integer, "
                + "nickname text, FOREIGN KEY (team_id, org) REFERENCES teams (id, org) ON DELETE SET NULL (team_id)); "
                + "CREATE UNIQUE INDEX players_nickname_key ON players (nickname) NULLS NOT DISTINCT");

        CliRun inspect = ashlar("inspect", "--package", "com.example.db");

        assertThat(inspect.code()).as(inspect.err()).isZero();
        Domain domain = compiledDomain("DatabaseDomain");
        assertThat(domain.resource("players").extension(References.class).orElseThrow().find("team").orElseThrow()
                .onDelete()).isEqualTo(OnDelete.nilify("team_id"));
        assertThat(domain.resource("players").identity("nickname").orElseThrow())
                .extracting(i -> i.indexName() + "|" + i.nullsDistinct()).isEqualTo("players_nickname_key|false");
        assertThat(codegenCheck(domain).steps()).isEmpty();
        CliRun drift = ashlar("check");
        assertThat(drift.code()).as(drift.out()).isZero();
    }

    @Test
    void enumColumnsBecomeNativeEnumAttributesWithTheirLabelsAfterWhichCodegenWritesNothing() throws Exception {
        db.execute("CREATE TYPE post_status AS ENUM ('draft', 'in review', 'published'); "
                + "CREATE TABLE posts (id bigint PRIMARY KEY, status post_status NOT NULL DEFAULT 'draft'); "
                + "CREATE TABLE pages (id bigint PRIMARY KEY, status post_status)");

        CliRun inspect = ashlar("inspect", "--package", "com.example.db");

        assertThat(inspect.code()).as(inspect.err()).isZero();
        assertThat(Files.readString(project.resolve("src/main/java/com/example/db/DatabaseDomain.java")))
                .contains(".attribute(\"status\", Type.pgEnum(\"post_status\", \"draft\", \"in review\", "
                        + "\"published\"), a -> a.notNull().defaultSql(\"'draft'::post_status\"))");
        Domain domain = compiledDomain("DatabaseDomain");
        assertThat(domain.resource("pages").attribute("status").orElseThrow().type())
                .isEqualTo(Type.pgEnum("post_status", "draft", "in review", "published"));
        assertThat(codegenCheck(domain).steps()).isEmpty();
        assertThat(ashlar("check").code()).isZero();

        db.execute("ALTER TYPE post_status ADD VALUE 'archived'");
        CliRun drift = ashlar("check");
        assertThat(drift.code()).isNotZero();
        assertThat(drift.out()).contains("posts.status").contains("'archived'");
    }

    @Test
    void anArrayOfAnEnumTypeOrAnEnumTypeOfAnotherSchemaIsLeftOutAsATodoNamingTheColumnAndTheFix() throws Exception {
        db.execute("DROP SCHEMA IF EXISTS shared CASCADE; CREATE SCHEMA shared; "
                + "CREATE TYPE shared.mood AS ENUM ('ok', 'sad'); CREATE TYPE tone AS ENUM ('low', 'high'); "
                + "CREATE TABLE songs (id integer PRIMARY KEY, tones tone[], mood shared.mood)");

        CliRun inspect = ashlar("inspect", "--package", "com.example.db");
        Domain domain = compiledDomain("DatabaseDomain");
        db.execute("DROP SCHEMA shared CASCADE");

        assertThat(inspect.code()).as(inspect.err()).isZero();
        assertThat(inspect.err()).contains("songs.tones").contains("tone[]").contains("an array of an enum type")
                .contains("songs.mood").contains("shared.mood").contains("ALTER TYPE");
        assertThat(domain.resource("songs").attributes()).extracting(a -> a.name()).containsExactly("id");
    }

    @Test
    void rangeColumnsBecomeRangeAttributesAfterWhichCodegenWritesNothing() throws Exception {
        db.execute("CREATE TABLE bookings (id integer PRIMARY KEY, seats int4range NOT NULL, ids int8range, "
                + "price numrange, stay daterange, slot tsrange, during tstzrange)");

        CliRun inspect = ashlar("inspect", "--package", "com.example.db");

        assertThat(inspect.code()).as(inspect.err()).isZero();
        assertThat(Files.readString(project.resolve("src/main/java/com/example/db/DatabaseDomain.java")))
                .contains("Type.rangeOf(INTEGER)", "Type.rangeOf(TIMESTAMPTZ)");
        Domain domain = compiledDomain("DatabaseDomain");
        assertThat(domain.resource("bookings").attributes()).extracting(a -> a.name() + " " + a.type())
                .contains("seats " + Type.rangeOf(Type.INTEGER), "ids " + Type.rangeOf(Type.BIGINT),
                        "price " + Type.rangeOf(Type.DECIMAL), "stay " + Type.rangeOf(Type.DATE),
                        "slot " + Type.rangeOf(Type.TIMESTAMP), "during " + Type.rangeOf(Type.TIMESTAMPTZ));
        assertThat(codegenCheck(domain).steps()).isEmpty();
        CliRun drift = ashlar("check");
        assertThat(drift.code()).as(drift.out()).isZero();
    }

    @Test
    void ltreeColumnsBecomeLtreeAttributesOfADomainListingTheExtensionAfterWhichCodegenWritesNothing() throws Exception {
        db.execute("CREATE EXTENSION IF NOT EXISTS ltree; "
                + "CREATE TABLE categories (id integer PRIMARY KEY, path ltree NOT NULL, aliases ltree[])");

        CliRun inspect = ashlar("inspect", "--package", "com.example.db");

        assertThat(inspect.code()).as(inspect.err()).isZero();
        assertThat(Files.readString(project.resolve("src/main/java/com/example/db/DatabaseDomain.java")))
                .contains(".attribute(\"path\", LTREE, a -> a.notNull())", "Type.arrayOf(LTREE)",
                        ".extensions(\"ltree\")");
        Domain domain = compiledDomain("DatabaseDomain");
        assertThat(domain.extensions()).containsExactly("ltree");
        assertThat(domain.resource("categories").attributes()).extracting(a -> a.name() + " " + a.type())
                .contains("path " + Type.LTREE, "aliases " + Type.arrayOf(Type.LTREE));
        assertThat(codegenCheck(domain).steps()).isEmpty();
        CliRun drift = ashlar("check");
        assertThat(drift.code()).as(drift.out()).isZero();
    }

    @Test
    void aPrimaryKeyOfATypeNoResourceTypeMapsToFailsNamingIt() {
        db.execute("CREATE TABLE devices (mac macaddr PRIMARY KEY, name text)");

        CliRun inspect = ashlar("inspect", "--package", "com.example.db");

        assertThat(inspect.code()).isEqualTo(1);
        assertThat(inspect.err()).contains("devices.mac").contains("macaddr");
        assertThat(project.resolve("src/main/java/com/example/db/DatabaseDomain.java")).doesNotExist();
    }
}
