package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.Catalog;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.util.List;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.varchar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Names and values that SQL, migration files and snapshots must carry unchanged. */
class HostileDefinitionsTest extends FreshSchemaTest {
    private static final String TABLE = "Order \"Items\"'s";

    private static Domain items(UnaryOperator<ResourceBuilder> item) {
        return Domain.builder("shop").resource(item.apply(Resource.builder("item").table(TABLE)).build()).build();
    }

    private Codegen.Result generate(Domain domain, String name, String... hints) {
        return new Codegen(project, domain, Plugins.none(), Renames.hints(List.of(hints)), CLOCK).generate(name);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { });
    }

    @Test
    void quotedMixedCaseAndReservedNamesMigrateAPopulatedTableThroughEveryKindOfChange() {
        generate(items(i -> i.integerPrimaryKey("id").attribute("Select", varchar(40)).attribute("naïve col", INTEGER)
                .attribute("it's", TEXT).identity("by select", "Select")), "create");
        migrator().migrate();
        db.execute("INSERT INTO \"Order \"\"Items\"\"'s\" (\"Select\", \"naïve col\", \"it's\") VALUES ('a', 1, 'x'), ('b', 2, 'y')");
        List<String> before = Catalog.of(db, "public");

        Codegen.Result changed = generate(items(i -> i.primaryKey("id").attribute("Select", varchar(20), a -> a.notNull())
                .attribute("naïve col", INTEGER, a -> a.generated()).attribute("what's", TEXT)
                .identity("by select", "Select")), "change", TABLE + ".it's=what's");
        migrator().migrate();

        assertThat(changed.files()).isNotEmpty();
        assertThat(Catalog.of(db, "public")).contains("column Order \"Items\"'s.Select character varying(20) not null",
                "column Order \"Items\"'s.what's text");
        db.execute("INSERT INTO \"Order \"\"Items\"\"'s\" (\"Select\") VALUES ('c')");
        assertThat(db.query("SELECT \"Select\" AS s, \"naïve col\" AS n, \"what's\" AS w FROM \"Order \"\"Items\"\"'s\" ORDER BY id"))
                .extracting(r -> r.get("s") + "/" + r.get("n") + "/" + r.get("w")).containsExactly("a/1/x", "b/2/y", "c/3/null");
        db.execute("DELETE FROM \"Order \"\"Items\"\"'s\" WHERE \"Select\" = 'c'");
        migrator().rollback(changed.files().size());
        assertThat(Catalog.of(db, "public")).isEqualTo(before);
    }

    @Test
    void namesHoldingADollarQuoteTagOrAPercentSignMigrateThroughTypeGuardsTriggersAndTheSchemasDrop() {
        db.execute("DROP SCHEMA IF EXISTS \"s$drop$\" CASCADE");
        UnaryOperator<ResourceBuilder> dollars = i -> i.schema("s$drop$").integerPrimaryKey("id");
        generate(items(i -> dollars.apply(i).attribute("pct%", varchar(40)).attribute("x$guard$y", varchar(40))), "create");
        migrator().migrate();
        String table = "\"s$drop$\".\"Order \"\"Items\"\"'s\"";
        db.execute("INSERT INTO " + table + " (\"pct%\", \"x$guard$y\") VALUES ('" + "p".repeat(30) + "', 'short')");

        generate(items(i -> dollars.apply(i).attribute("pct%", varchar(20)).attribute("x$guard$y", varchar(20))
                .attribute("at$touch$", TIMESTAMPTZ, a -> a.touchOnUpdate()).timestamps(t -> t.trigger())), "change");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class).hasMessageContaining(
                "Column s$drop$.Order \"Items\"'s.pct% holds values that varchar(20) cannot hold unchanged, e.g. ppp");
        db.execute("UPDATE " + table + " SET \"pct%\" = 'fits'");
        migrator().migrate();
        db.execute("UPDATE " + table + " SET \"x$guard$y\" = 'changed'");
        assertThat(db.query("SELECT \"pct%\" AS p, \"x$guard$y\" AS x, \"at$touch$\" IS NOT NULL AS touched FROM " + table))
                .extracting(r -> r.get("p") + "/" + r.get("x") + "/" + r.get("touched")).containsExactly("fits/changed/true");
        migrator().rollback(2);
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 's$drop$'")).isEqualTo(0L);
    }

    @Test
    void aDefaultHoldingALineThatAMigrationFileReadsAsASectionMarkerIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> generate(items(i -> i.integerPrimaryKey("id").attribute("note", TEXT,
                a -> a.defaultValue("first\n-- migrate:down\nDROP TABLE x;"))), "create")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'item'").hasMessageContaining("create table public.Order \"Items\"'s")
                .hasMessageContaining("starting '-- migrate:'");
        assertThat(project.resolve("migrations")).doesNotExist();
        assertThat(project.resolve("resource_snapshots")).doesNotExist();
    }

    @Test
    void aMultiLineDefaultWithoutMarkersIsWrittenAndStoredWholeWhenCreatedAndWhenChanged() {
        generate(items(i -> i.integerPrimaryKey("id").attribute("note", TEXT,
                a -> a.defaultValue("first\n--  second\n'third'"))), "create");
        migrator().migrate();
        db.execute("INSERT INTO \"Order \"\"Items\"\"'s\" DEFAULT VALUES");

        generate(items(i -> i.integerPrimaryKey("id").attribute("note", TEXT,
                a -> a.defaultValue("one\n);\ntwo"))), "change");
        migrator().migrate();
        db.execute("INSERT INTO \"Order \"\"Items\"\"'s\" DEFAULT VALUES");

        assertThat(db.query("SELECT note FROM \"Order \"\"Items\"\"'s\" ORDER BY id")).extracting(r -> r.get("note"))
                .containsExactly("first\n--  second\n'third'", "one\n);\ntwo");
    }

    @Test
    void backslashesInDefaultsKeepTheirTextAndRunNoSqlOnADatabaseThatReadsThemAsEscapes() {
        db.execute("CREATE TABLE canary (id int)");
        db.execute("ALTER DATABASE \"" + db.name() + "\" SET standard_conforming_strings = off");
        try {
            generate(items(i -> i.integerPrimaryKey("id").attribute("path", TEXT, a -> a.defaultValue("C:\\temp"))
                    .attribute("note", TEXT, a -> a.defaultValue("\\'); DROP TABLE canary; --"))), "create");
            PGSimpleDataSource fresh = new PGSimpleDataSource();
            fresh.setURL(db.jdbcUrl());
            fresh.setUser(db.user());
            fresh.setPassword(db.password());
            new Migrator(fresh, Codegen.migrations(project, Scope.MAIN)).progress(line -> { }).migrate();
        } finally {
            db.execute("ALTER DATABASE \"" + db.name() + "\" RESET standard_conforming_strings");
        }
        db.execute("INSERT INTO \"Order \"\"Items\"\"'s\" DEFAULT VALUES");

        assertThat(db.query("SELECT path, note FROM \"Order \"\"Items\"\"'s\"")).extracting(r -> r.get("path") + "|"
                + r.get("note")).containsExactly("C:\\temp|\\'); DROP TABLE canary; --");
        assertThat(db.query("SELECT to_regclass('canary') IS NOT NULL AS kept")).extracting(r -> r.get("kept"))
                .containsExactly(true);
    }

    @Test
    void sqlFragmentsEndingInALineCommentAreClosedOnTheNextLine() {
        generate(items(i -> i.integerPrimaryKey("id").attribute("code", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO \"Order \"\"Items\"\"'s\" (code) VALUES ('a')");

        generate(items(i -> i.integerPrimaryKey("id")
                .attribute("code", TEXT, a -> a.defaultSql("'none' -- until one is given"))
                .attribute("seen", TEXT, a -> a.defaultSql("'never' -- set by the job"))
                .identity("by_code", List.of("code"), o -> o.where("code <> 'none' -- placeholders repeat"))
                .baseFilter("code IS NOT NULL -- a null code is a draft", Filter.notNil("code"))), "change");
        migrator().migrate();
        db.execute("INSERT INTO \"Order \"\"Items\"\"'s\" DEFAULT VALUES");
        db.execute("INSERT INTO \"Order \"\"Items\"\"'s\" DEFAULT VALUES");

        assertThat(db.query("SELECT code, seen FROM \"Order \"\"Items\"\"'s\" ORDER BY id"))
                .extracting(r -> r.get("code") + "/" + r.get("seen")).containsExactly("a/never", "none/never", "none/never");
        assertThat(Catalog.of(db, "public"))
                .anyMatch(line -> line.contains("WHERE ((code IS NOT NULL) AND (code <> 'none'::text))"));
    }

    @Test
    void aFieldStoredInAColumnNamedLikeASystemColumnIsRefusedBeforeAnythingIsWritten() {
        Resource item = Resource.builder("item").table("items").integerPrimaryKey("id").attribute("xmin", INTEGER)
                .attribute("row", TEXT, a -> a.column("ctid")).build();
        Resource box = Resource.builder("box").table("boxes").integerPrimaryKey("tableoid").attribute("Xmax", INTEGER)
                .build();

        assertThatThrownBy(() -> generate(Domain.builder("shop").resources(item, box).build(), "create")).isInstanceOfSatisfying(DefinitionException.class,
                e -> assertThat(e.problems()).extracting(p -> p.resource() + "/" + p.field() + ": " + p.message())
                        .containsExactly("item/xmin: is stored in column 'xmin', which PostgreSQL keeps for a system "
                                        + "column of every table (tableoid, xmin, cmin, xmax, cmax, ctid): give it "
                                        + "another column with a -> a.column(\"...\")",
                                "item/row: is stored in column 'ctid', which PostgreSQL keeps for a system column of "
                                        + "every table (tableoid, xmin, cmin, xmax, cmax, ctid): give it another "
                                        + "column with a -> a.column(\"...\")",
                                "box/tableoid: is stored in column 'tableoid', which PostgreSQL keeps for a system "
                                        + "column of every table (tableoid, xmin, cmin, xmax, cmax, ctid): give it "
                                        + "another column with a -> a.column(\"...\")"));
        assertThat(project.resolve("migrations")).doesNotExist();
    }

    @Test
    void aTableThatIsNotMigratedMayReadASystemColumnAsAField() {
        db.execute("CREATE TABLE legacy (id integer PRIMARY KEY)");
        db.execute("INSERT INTO legacy VALUES (1)");
        Resource legacy = Resource.builder("legacy").table("legacy").migrate(false).integerPrimaryKey("id")
                .attribute("version", TEXT, a -> a.column("xmin")).build();

        Domain domain = Domain.builder("shop").resource(legacy).build();

        assertThat(generate(domain, "create").files()).isEmpty();
    }

    @Test
    void anIdentityIndexNamedLikeATableOrAnotherTablesPrimaryKeyIsRefusedNamingBoth() {
        Resource user = Resource.builder("user").table("users").integerPrimaryKey("id").attribute("email", TEXT)
                .identity("unique_email", List.of("email"), o -> o.indexName("posts")).build();
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("slug", TEXT)
                .identity("unique_slug", List.of("slug"), o -> o.indexName("users_pkey")).build();

        assertThatThrownBy(() -> generate(Domain.builder("blog").resources(user, post).build(), "create"))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'user'").hasMessageContaining("'posts' on table public.users is named "
                        + "like table public.posts")
                .hasMessageContaining("resource 'post'").hasMessageContaining("'users_pkey' on table public.posts is "
                        + "named like the primary key of table public.users")
                .hasMessageContaining("indexName(...)");
        assertThat(project.resolve("migrations")).doesNotExist();
    }

    @Test
    void aTableNamedLikeAnotherTablesPrimaryKeyOrIdentitySequenceIsRefusedNamingBothBeforeAnythingIsWritten() {
        String longTable = "t".repeat(40);
        String longKey = "k".repeat(40);
        Domain domain = Domain.builder("shop").resources(
                Resource.builder("pkey_table").table("orders_pkey").integerPrimaryKey("id").build(),
                Resource.builder("order").table("orders").integerPrimaryKey("id").build(),
                Resource.builder("sequence_table").table("lines_id_seq").integerPrimaryKey("id").build(),
                Resource.builder("line").table("lines").integerPrimaryKey("id").build(),
                Resource.builder("long").table(longTable).integerPrimaryKey(longKey).build(),
                Resource.builder("longer").table(longTable + "u").integerPrimaryKey(longKey).build()).build();

        assertThatThrownBy(() -> generate(domain, "create")).isInstanceOfSatisfying(DefinitionException.class,
                e -> assertThat(e.problems()).extracting(p -> p.resource() + "/" + p.field() + ": " + p.message())
                        .containsExactly("order/table: the primary key 'orders_pkey' of table public.orders is named "
                                        + "like table public.orders_pkey, and PostgreSQL keeps tables, indexes and "
                                        + "sequences in one namespace per schema: rename one of the tables with .table(...)",
                                "line/id: the sequence 'lines_id_seq' of identity column public.lines.id is named like "
                                        + "table public.lines_id_seq, and PostgreSQL keeps tables, indexes and sequences in "
                                        + "one namespace per schema: rename the table with .table(...) or the column "
                                        + "with a -> a.column(...)",
                                "longer/" + longKey + ": the sequence '" + "t".repeat(29) + "_" + "k".repeat(29)
                                        + "_seq' of identity column public." + longTable + "u." + longKey + " is named "
                                        + "like the sequence '" + "t".repeat(29) + "_" + "k".repeat(29) + "_seq' of "
                                        + "identity column public." + longTable + "." + longKey + ", and PostgreSQL keeps "
                                        + "tables, indexes and sequences in one namespace per schema: rename the table "
                                        + "with .table(...) or the column with a -> a.column(...)"));
        assertThat(project.resolve("migrations")).doesNotExist();
    }
}
