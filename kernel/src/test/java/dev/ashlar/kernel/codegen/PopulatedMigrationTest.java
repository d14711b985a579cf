package dev.ashlar.kernel.codegen;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.Catalog;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.varchar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Migrations of tables that hold rows: a change either keeps every value or fails and leaves the schema,
 * the rows and the history as they were.
 */
@ExtendWith(PostgresExtension.class)
class PopulatedMigrationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS example CASCADE; DROP SCHEMA IF EXISTS archive CASCADE; "
                + "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private record State(List<String> catalog, List<Map<String, Object>> rows, List<Map<String, Object>> history) {
    }

    private State state(String table) {
        return new State(Catalog.of(db, "public"), db.query("SELECT * FROM " + table + " ORDER BY 1"),
                db.query("SELECT version FROM ashlar_schema_migrations ORDER BY version"));
    }

    private static Domain posts(UnaryOperator<ResourceBuilder> post) {
        return Domain.builder("blog").resource(post.apply(Resource.builder("post").table("posts")).build()).build();
    }

    private Codegen.Result generate(Domain domain, String name, String... hints) {
        return new Codegen(project, domain, Plugins.none(), Renames.hints(List.of(hints)), CLOCK).generate(name);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
    }

    private String migrateExpectingFailure() {
        try {
            migrator().migrate();
        } catch (MigrationException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the migration to fail");
    }

    @Test
    void narrowingAVarcharThatAValueDoesNotFitFailsAndChangesNothing() throws IOException {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", varchar(255))), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('" + "x".repeat(60) + "'), ('short')");
        State before = state("posts");

        Codegen.Result narrowed = generate(posts(p -> p.integerPrimaryKey("id").attribute("title", varchar(50))), "narrow");
        String failure = migrateExpectingFailure();

        assertThat(Files.readString(narrowed.files().get(0)))
                .contains("ALTER TABLE \"public\".\"posts\" ALTER COLUMN \"title\" TYPE varchar(50);")
                .doesNotContain("USING \"title\"");
        assertThat(failure).contains(narrowed.files().get(0).getFileName().toString()).contains("statement 1")
                .contains("Column public.posts.title holds values that varchar(50) cannot hold unchanged, e.g. xxx");
        assertThat(state("posts")).isEqualTo(before);
    }

    @Test
    void narrowingThatEveryValueFitsKeepsThemAndRollsBack() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", varchar(255))), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('" + "y".repeat(50) + "'), ('ünïcödé')");
        State before = state("posts");

        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", varchar(50))), "narrow");
        migrator().migrate();

        assertThat(Catalog.of(db, "public")).contains("column posts.title character varying(50)");
        assertThat(db.query("SELECT title FROM posts ORDER BY id")).extracting(r -> r.get("title"))
                .containsExactly("y".repeat(50), "ünïcödé");
        migrator().rollback(1);
        assertThat(state("posts")).isEqualTo(before);
    }

    @Test
    void roundingAScaleOrADoubleToAWholeNumberFailsNamingTheValue() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("price", Type.decimal(10, 4))
                .attribute("score", Type.DOUBLE)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (price, score) VALUES (1.2300, 2), (1.2345, 2)");
        State before = state("posts");

        generate(posts(p -> p.integerPrimaryKey("id").attribute("price", Type.decimal(10, 2))
                .attribute("score", Type.DOUBLE)), "round");
        assertThat(migrateExpectingFailure()).contains("public.posts.price holds values that numeric(10,2) cannot hold "
                + "unchanged, e.g. 1.2345");
        assertThat(state("posts")).isEqualTo(before);

        db.execute("UPDATE posts SET price = 1.2300, score = 2.5");
        generate(posts(p -> p.integerPrimaryKey("id").attribute("price", Type.decimal(10, 2))
                .attribute("score", INTEGER)), "round");
        assertThat(migrateExpectingFailure()).contains("public.posts.score holds values that integer cannot hold "
                + "unchanged, e.g. 2.5");

        db.execute("UPDATE posts SET score = 3");
        migrator().migrate();
        assertThat(db.query("SELECT price::text AS price, score FROM posts")).extracting(r -> r.get("price") + "/"
                + r.get("score")).containsOnly("1.23/3");
    }

    @Test
    void textBecomesANumberOnlyWhenEachValueIsThatNumbersOwnSpelling() throws IOException {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("code", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (code) VALUES ('56'), ('056')");

        Codegen.Result retyped = generate(posts(p -> p.integerPrimaryKey("id").attribute("code", INTEGER)), "retype");
        assertThat(Files.readString(retyped.files().get(0))).contains("TYPE integer USING \"code\"::integer;");
        assertThat(migrateExpectingFailure()).contains("holds values that integer cannot hold unchanged, e.g. 056");

        db.execute("UPDATE posts SET code = '12' WHERE code = '056'");
        migrator().migrate();
        assertThat(db.query("SELECT code FROM posts ORDER BY id")).extracting(r -> r.get("code")).containsExactly(56, 12);
    }

    @Test
    void aColumnLeavesACompositePrimaryKeyAndComesBackWithItsRows() {
        generate(posts(p -> p.attribute("id", INTEGER, a -> a.primaryKey()).attribute("title", TEXT, a -> a.primaryKey())),
                "create");
        migrator().migrate();
        db.execute("INSERT INTO posts VALUES (1, 'a'), (2, 'b')");
        State before = state("posts");

        Codegen.Result rekeyed = generate(posts(p -> p.attribute("id", INTEGER, a -> a.primaryKey())
                .attribute("title", TEXT)), "rekey");
        migrator().migrate();
        db.execute("INSERT INTO posts VALUES (3, NULL)");

        assertThat(Catalog.of(db, "public")).contains("constraint posts.posts_pkey PRIMARY KEY (id)",
                "column posts.title text");
        db.execute("DELETE FROM posts WHERE id = 3");
        // The key is built concurrently and swapped in (a file each), and swapped back the same way (a file that
        // builds the old key's index going down); the column allows null once the old key is gone.
        assertThat(rekeyed.files()).hasSize(4);
        migrator().rollback(rekeyed.files().size());
        assertThat(state("posts")).isEqualTo(before);
    }

    @Test
    void aTableInANamedSchemaMigratesAnEmptyDatabaseAndTheDownRemovesTheSchema() {
        generate(posts(p -> p.schema("example").integerPrimaryKey("id").attribute("title", TEXT)), "create");

        migrator().migrate();
        db.execute("INSERT INTO example.posts (title) VALUES ('kept')");

        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'example'")).isEqualTo(1L);
        migrator().rollback(1);
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'example'")).isEqualTo(0L);
    }

    @Test
    void aHintMovesATableToAnotherSchemaWithItsRowsAndIdentity() {
        generate(posts(p -> p.schema("example").integerPrimaryKey("id").attribute("title", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO example.posts (title) VALUES ('kept')");

        Codegen.Result moved = generate(posts(p -> p.schema("archive").integerPrimaryKey("id").attribute("title", TEXT)),
                "move", "example.posts=archive.posts");
        migrator().migrate();
        db.execute("INSERT INTO archive.posts (title) VALUES ('new')");

        assertThat(moved.steps()).extracting(s -> s.describe()).containsExactly("create schema archive",
                "move table example.posts to archive.posts", "drop schema example if empty");
        assertThat(db.query("SELECT id, title FROM archive.posts ORDER BY id")).extracting(r -> r.get("id") + " "
                + r.get("title")).containsExactly("1 kept", "2 new");
        assertThat(db.value("SELECT pg_get_serial_sequence('archive.posts', 'id')")).isEqualTo("archive.posts_id_seq");
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'example'")).isEqualTo(0L);
        db.execute("DELETE FROM archive.posts WHERE title = 'new'");
        migrator().rollback(1);
        assertThat(db.query("SELECT title FROM example.posts")).extracting(r -> r.get("title")).containsExactly("kept");
    }

    @Test
    void aRenamedTableTakesItsIdentitySequenceAlongAndEqualsTheTableMadeUnderTheNewName() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('kept')");
        UnaryOperator<ResourceBuilder> articles = p -> p.table("articles").integerPrimaryKey("id").attribute("title", TEXT);

        generate(Domain.builder("blog").resource(articles.apply(Resource.builder("post")).build()).build(), "rename",
                "posts=articles");
        migrator().migrate();
        db.execute("INSERT INTO articles (title) VALUES ('new')");

        assertThat(db.value("SELECT pg_get_serial_sequence('public.articles', 'id')")).isEqualTo("public.articles_id_seq");
        assertThat(db.query("SELECT id, title FROM articles ORDER BY id")).extracting(r -> r.get("id") + " "
                + r.get("title")).containsExactly("1 kept", "2 new");
        List<String> renamed = Catalog.of(db, "public");
        List<Object> sequences = db.query("SELECT relname FROM pg_class WHERE relkind = 'S' ORDER BY 1").stream()
                .map(r -> r.get("relname")).toList();
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        new Codegen(project.resolve("straight"), Domain.builder("blog").resource(articles.apply(Resource.builder("post"))
                .build()).build(), Plugins.none(), Renames.none(), CLOCK).generate("create");
        new Migrator(db.dataSource(), Codegen.migrations(project.resolve("straight"), Scope.MAIN)).migrate();
        assertThat(Catalog.of(db, "public")).isEqualTo(renamed);
        assertThat(db.query("SELECT relname FROM pg_class WHERE relkind = 'S' ORDER BY 1").stream()
                .map(r -> r.get("relname")).toList()).isEqualTo(sequences);
    }

    @Test
    void aRenamedTableOfLongMultiByteNamesFindsTheSequenceNamePostgresqlCutAtACharacterBoundary() {
        // 32 and 30 bytes: PostgreSQL cuts table_column_seq to 63 bytes a byte at a time, then back to whole characters.
        String table = "é".repeat(16);
        String renamed = "ü".repeat(16);
        String key = "ab" + "é".repeat(14);
        UnaryOperator<ResourceBuilder> shape = p -> p.integerPrimaryKey(key).attribute("title", TEXT);
        generate(Domain.builder("blog").resource(shape.apply(Resource.builder("post").table(table)).build()).build(), "create");
        migrator().migrate();
        db.execute("INSERT INTO \"" + table + "\" (title) VALUES ('kept')");
        Object sequence = db.value("SELECT pg_get_serial_sequence(?, ?)", "public.\"" + table + "\"", key);

        generate(Domain.builder("blog").resource(shape.apply(Resource.builder("post").table(renamed)).build()).build(),
                "rename", table + "=" + renamed);
        migrator().migrate();
        db.execute("INSERT INTO \"" + renamed + "\" (title) VALUES ('new')");

        assertThat(db.query("SELECT \"" + key + "\" AS id, title FROM \"" + renamed + "\" ORDER BY 1"))
                .extracting(r -> r.get("id") + " " + r.get("title")).containsExactly("1 kept", "2 new");
        assertThat(db.value("SELECT pg_get_serial_sequence(?, ?)", "public.\"" + renamed + "\"", key))
                .isEqualTo(sequence.toString().replace("é".repeat(14) + "_ab", "ü".repeat(14) + "_ab"));
        migrator().rollback(1);
        assertThat(db.value("SELECT pg_get_serial_sequence(?, ?)", "public.\"" + table + "\"", key)).isEqualTo(sequence);
    }

    @Test
    void aRenamedIdentityColumnTakesItsSequenceAlong() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('kept')");

        generate(posts(p -> p.integerPrimaryKey("post_id").attribute("title", TEXT)), "rename", "posts.id=post_id");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('new')");

        assertThat(db.value("SELECT pg_get_serial_sequence('public.posts', 'post_id')")).isEqualTo("public.posts_post_id_seq");
        assertThat(db.query("SELECT post_id, title FROM posts ORDER BY post_id")).extracting(r -> r.get("post_id") + " "
                + r.get("title")).containsExactly("1 kept", "2 new");
        db.execute("DELETE FROM posts WHERE title = 'new'");
        migrator().rollback(1);
        assertThat(db.value("SELECT pg_get_serial_sequence('public.posts', 'id')")).isEqualTo("public.posts_id_seq");
    }

    @Test
    void aChangeThatFailsNamesTheFileAndStatementAndLeavesNoHistory() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES (NULL)");
        State before = state("posts");

        Codegen.Result required = generate(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT,
                a -> a.notNull())), "required");

        // The column is made not null through a check, validated in the migration's second file.
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining(required.files().get(1).getFileName().toString())
                .hasMessageContaining("VALIDATE CONSTRAINT \"posts_title_not_null\"")
                .hasMessageContaining("is violated by some row").hasMessageContaining("Nothing of this file was applied.");
        migrator().rollback(1);
        assertThat(state("posts")).isEqualTo(before);
    }

    @Test
    void anIntegerBecomesASmallintWhenEveryValueFitsAndTheGuardStopsItWhenOneDoesNot() throws IOException {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("rank", INTEGER)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (rank) VALUES (32767), (-32768), (NULL), (40000)");
        State before = state("posts");

        Codegen.Result narrowed = generate(posts(p -> p.integerPrimaryKey("id").attribute("rank", Type.SMALLINT)),
                "narrow");
        assertThat(Files.readString(narrowed.files().get(0))).contains("DO $guard$", "TYPE smallint");
        assertThat(migrateExpectingFailure()).contains("Column public.posts.rank holds values that smallint cannot "
                + "hold: smallint out of range").contains("HINT: Change or remove those rows first");
        assertThat(state("posts")).isEqualTo(before);

        db.execute("DELETE FROM posts WHERE rank = 40000");
        migrator().migrate();

        assertThat(Catalog.of(db, "public")).contains("column posts.rank smallint");
        assertThat(db.query("SELECT rank FROM posts ORDER BY id")).extracting(r -> r.get("rank"))
                .as("the driver reads a smallint as an Integer").containsExactly(32767, -32768, null);
        generate(posts(p -> p.integerPrimaryKey("id").attribute("rank", Type.BIGINT)), "widen");
        migrator().migrate();
        assertThat(db.query("SELECT rank FROM posts ORDER BY id")).extracting(r -> r.get("rank"))
                .containsExactly(32767L, -32768L, null);
    }

    @Test
    void aTimeOrNumberTooLongForItsNewVarcharFailsTheGuardThoughItsCutTextReadsAsTheSameValue() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("at", Type.TIME).attribute("price", Type.DECIMAL)),
                "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (at, price) VALUES ('10:00', 7), (NULL, 7.50)");
        State before = state("posts");

        generate(posts(p -> p.integerPrimaryKey("id").attribute("at", varchar(5)).attribute("price", varchar(3))),
                "as_text");
        assertThat(migrateExpectingFailure()).contains("Column public.posts.at holds values that varchar(5) cannot hold "
                + "unchanged, e.g. 10:00:00").contains("HINT: Change or remove those rows first");
        assertThat(state("posts")).isEqualTo(before);

        db.execute("UPDATE posts SET at = NULL");
        assertThat(migrateExpectingFailure()).contains("Column public.posts.price holds values that varchar(3) cannot "
                + "hold unchanged, e.g. 7.50");
        db.execute("UPDATE posts SET price = 7.5 WHERE id = 2");
        migrator().migrate();
        assertThat(db.query("SELECT price FROM posts ORDER BY id")).extracting(r -> r.get("price")).containsExactly("7", "7.5");
    }

    @Test
    void aValueTheNewTypeCannotTakeAtAllFailsNamingTheColumnAndTheFix() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("code", TEXT).attribute("big", Type.BIGINT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (code, big) VALUES ('abc', 1099511627776)");
        State before = state("posts");

        generate(posts(p -> p.integerPrimaryKey("id").attribute("code", INTEGER).attribute("big", Type.BIGINT)), "code");
        assertThat(migrateExpectingFailure()).contains("Column public.posts.code holds values that integer cannot hold: "
                + "invalid input syntax for type integer: \"abc\"")
                .contains("HINT: Change or remove those rows first, or convert the column in a migration of your own.");
        assertThat(state("posts")).isEqualTo(before);

        db.execute("UPDATE posts SET code = '7'");
        migrator().migrate();
        generate(posts(p -> p.integerPrimaryKey("id").attribute("code", INTEGER).attribute("big", INTEGER)), "big");
        assertThat(migrateExpectingFailure()).contains("Column public.posts.big holds values that integer cannot hold: "
                + "integer out of range");
    }

    @Test
    void aRangeBecomesARangeOfAnotherElementBoundByBoundAndBack() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("span", Type.rangeOf(INTEGER))), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (span) VALUES ('[1,5)'), ('empty'), ('(,3]'), (NULL)");
        State before = state("posts");

        generate(posts(p -> p.integerPrimaryKey("id").attribute("span", Type.rangeOf(Type.BIGINT))), "widen");
        migrator().migrate();

        assertThat(Catalog.of(db, "public")).contains("column posts.span int8range");
        assertThat(db.query("SELECT span::text AS span FROM posts ORDER BY id")).extracting(r -> r.get("span"))
                .containsExactly("[1,5)", "empty", "(,4)", null);
        migrator().rollback(1);
        assertThat(state("posts")).isEqualTo(before);
    }

    @Test
    void aRangeThatWouldLoseItsTimesFailsNamingTheColumn() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("stay", Type.rangeOf(Type.DATE))), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (stay) VALUES ('[2026-01-01,2026-01-08)'), (NULL)");

        generate(posts(p -> p.integerPrimaryKey("id").attribute("stay", Type.rangeOf(Type.TIMESTAMPTZ))), "timed");
        migrator().migrate();
        db.execute("INSERT INTO posts (stay) VALUES ('[2026-02-01 10:30+00,2026-02-02 00:00+00)')");
        State timed = state("posts");

        generate(posts(p -> p.integerPrimaryKey("id").attribute("stay", Type.rangeOf(Type.DATE))), "dated");
        assertThat(migrateExpectingFailure()).contains("Column public.posts.stay holds values that daterange cannot hold "
                + "unchanged, e.g. [\"2026-02-0");
        assertThat(state("posts")).isEqualTo(timed);

        db.execute("DELETE FROM posts WHERE id = 3");
        migrator().migrate();
        assertThat(db.query("SELECT stay::text AS stay FROM posts ORDER BY id")).extracting(r -> r.get("stay"))
                .containsExactly("[2026-01-01,2026-01-08)", null);
    }

    @Test
    void anIdentityOverDuplicatedRowsFailsNamingTheDuplicatedKeyAndHowManyKeysRowsShare() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('same'), ('same'), ('other'), ('twice'), ('twice'), ('same'), "
                + "(NULL), (NULL)");

        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT).identity("unique_title", "title")),
                "unique");

        assertThat(migrateExpectingFailure()).contains("could not create unique index \"posts_unique_title_index\"")
                .contains("DETAIL: Key (title)=(same) is duplicated.")
                .contains("change or remove the duplicates, then migrate again")
                .contains("2 keys of (title) are each held by more than one row of public.posts (5 rows in all).");
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relname = 'posts_unique_title_index'")).isEqualTo(0L);
    }

    @Test
    void makingAColumnRequiredOverNullRowsFailsNamingTheTableTheColumnHowManyRowsAndTheFix() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES (NULL), ('set'), (NULL), (NULL)");

        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT, a -> a.notNull())), "required");

        assertThat(migrateExpectingFailure()).contains("Rows of posts hold null in column title, which this migration "
                + "makes required: fill them").contains("3 rows of public.posts break it. Find them with: ");
        db.execute("UPDATE posts SET title = 'filled' WHERE title IS NULL");
        migrator().migrate();
        assertThat(Catalog.of(db, "public")).contains("column posts.title text not null");
    }

    @Test
    void rollingBackTheDropOfARequiredColumnOverRowsFailsSayingWhatToDo() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT, a -> a.notNull())), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('kept')");
        generate(posts(p -> p.integerPrimaryKey("id")), "drop_title");
        migrator().migrate();

        assertThatThrownBy(() -> migrator().rollback(1)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("ADD COLUMN \"title\" text NOT NULL")
                .hasMessageContaining("hold null in a column that this statement makes required (NOT NULL): fill "
                        + "them, or allow null there, then run it again.");
    }

    @Test
    void droppingAColumnThatAViewReadsFailsNamingTheViewAndKeepsTheColumnRowsAndView() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT).attribute("body", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title, body) VALUES ('a', 'x'), ('b', 'y'); "
                + "CREATE VIEW post_titles AS SELECT id, title FROM posts");
        State before = state("posts");

        generate(posts(p -> p.integerPrimaryKey("id").attribute("body", TEXT)), "drop_title");

        assertThat(migrateExpectingFailure()).contains("DROP COLUMN \"title\"")
                .contains("view post_titles depends on column title of table posts")
                .contains("Other objects depend on what this statement drops (the detail names them): drop or change "
                        + "them in a migration before this one, then migrate again. CASCADE would drop them too, "
                        + "without a word about what they were.");
        assertThat(state("posts")).isEqualTo(before);
        assertThat(db.value("SELECT count(*) FROM post_titles")).isEqualTo(2L);
    }
}
