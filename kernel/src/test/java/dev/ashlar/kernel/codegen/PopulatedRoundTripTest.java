package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Default;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.SqlTypes;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.Catalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changes generated for a table that holds rows, applied, generated again (nothing), and rolled back: the down
 * returns the catalog to what it was.
 */
class PopulatedRoundTripTest extends FreshSchemaTest {
    private static Domain posts(UnaryOperator<ResourceBuilder> post) {
        return Domain.builder("blog").resource(post.apply(Resource.builder("post").table("posts").integerPrimaryKey("id"))
                .build()).build();
    }

    private Codegen codegen(Path folder, Domain domain, String... hints) {
        return new Codegen(folder, domain, Plugins.none(), Renames.hints(List.of(hints)), CLOCK);
    }

    private Migrator migrator(Path folder) {
        return new Migrator(db.dataSource(), Codegen.migrations(folder, Scope.MAIN)).progress(line -> { });
    }

    /** Migrates to {@code before}, inserts {@code rows}, then to {@code after}: the rows after, once rolled back. */
    private List<Map<String, Object>> changeAndRollBack(UnaryOperator<ResourceBuilder> before,
                                                        UnaryOperator<ResourceBuilder> after, String rows) {
        codegen(project, posts(before)).generate("create");
        migrator(project).migrate();
        db.execute(rows);
        List<String> catalog = Catalog.of(db, "public");

        Codegen.Result change = codegen(project, posts(after)).generate("change");
        migrator(project).migrate();
        List<Map<String, Object>> changed = db.query("SELECT * FROM posts ORDER BY id");

        assertThat(change.changed()).isTrue();
        assertThat(codegen(project, posts(after)).check().changed()).as("a generation after it").isFalse();
        migrator(project).rollback(change.files().size());
        assertThat(Catalog.of(db, "public")).isEqualTo(catalog);
        return changed;
    }

    @Test
    void requiredColumnsWithFunctionDefaultsFillEveryRowAndTheDownDropsThem() {
        List<Map<String, Object>> rows = changeAndRollBack(p -> p.attribute("title", TEXT),
                p -> p.attribute("title", TEXT)
                        .attribute("key", Type.UUID, a -> a.notNull().defaultSql("gen_random_uuid()"))
                        .attribute("v7", Type.UUID, a -> a.notNull().defaultSql(Default.UUID_V7_SQL))
                        .attribute("seen_at", Type.TIMESTAMPTZ, a -> a.notNull().defaultSql("now()")),
                "INSERT INTO posts (title) VALUES ('a'), ('b'), ('c')");

        assertThat(rows).extracting(r -> r.get("key")).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(rows).extracting(r -> r.get("v7")).doesNotContainNull().doesNotHaveDuplicates()
                .allMatch(v -> v.toString().charAt(14) == '7');
        assertThat(rows).extracting(r -> r.get("seen_at")).doesNotContainNull();
    }

    @Test
    void aDefaultThatTurnsFromAFunctionToAConstantOrGoesAwayComesBackOnRollback() {
        changeAndRollBack(p -> p.attribute("at", Type.TIMESTAMPTZ, a -> a.defaultSql("now()"))
                        .attribute("n", INTEGER, a -> a.notNull().defaultValue(3)),
                p -> p.attribute("at", Type.TIMESTAMPTZ, a -> a.defaultSql("'2020-01-01T00:00:00Z'"))
                        .attribute("n", INTEGER, a -> a.notNull()),
                "INSERT INTO posts (at, n) VALUES (DEFAULT, DEFAULT), (NULL, 5)");
    }

    @Test
    void aTextColumnWithADefaultTheNewTypeCannotReadBecomesANumberWithItsNewDefault() {
        List<Map<String, Object>> rows = changeAndRollBack(p -> p.attribute("n", TEXT, a -> a.defaultValue("abc")),
                p -> p.attribute("n", INTEGER, a -> a.defaultValue(0)),
                "INSERT INTO posts (n) VALUES ('1'), (NULL), ('20')");

        assertThat(rows).extracting(r -> r.get("n")).containsExactly(1, null, 20);
    }

    @Test
    void anIdentityColumnThatTurnsPlainKeepsItsValuesAndTheDownNumbersAfterThem() {
        changeAndRollBack(p -> p.attribute("n", Type.BIGINT, a -> a.generated()),
                p -> p.attribute("n", Type.BIGINT, a -> a.notNull()),
                "INSERT INTO posts (n) VALUES (DEFAULT), (DEFAULT)");

        db.execute("INSERT INTO posts DEFAULT VALUES");
        assertThat(db.query("SELECT n FROM posts ORDER BY id")).extracting(r -> r.get("n")).containsExactly(1L, 2L, 3L);
    }

    @Test
    void everyTypeChangeOfAPopulatedColumnIsRefusedOrFailsNamingTheColumnOrKeepsTheValueThroughUpAndDown() {
        Map<Type, String> values = new LinkedHashMap<>();
        values.put(Type.SMALLINT, "32767");
        values.put(INTEGER, "2147483647");
        values.put(Type.BIGINT, "1099511627776");
        values.put(Type.BOOLEAN, "true");
        values.put(Type.UUID, "'0b6d3c1e-6f7a-4b5e-9a3c-2d1e0f9a8b7c'");
        values.put(Type.FLOAT, "1e30");
        values.put(Type.DOUBLE, "1.0000001");
        values.put(Type.DATE, "'0044-03-15 BC'");
        values.put(Type.TIME, "'10:00'");
        values.put(Type.TIMESTAMP, "'2026-01-02 10:00:00.5'");
        values.put(Type.TIMESTAMPTZ, "'2026-01-02 10:00+00'");
        values.put(Type.INTERVAL, "'1 hour'");
        values.put(Type.BINARY, "'\\x01'");
        values.put(Type.JSON, "'{\"a\": [1, 2]}'");
        values.put(TEXT, "' 7'");
        values.put(Type.varchar(5), "'true'");
        values.put(Type.decimal(6, 2), "7.50");
        values.put(Type.arrayOf(INTEGER), "'{7,NULL}'");
        values.put(Type.arrayOf(TEXT), "'{\"a,b\",NULL}'");
        values.put(Type.rangeOf(INTEGER), "'[1,7)'");
        assertThat(convertEach(values)).isEmpty();
    }

    @Test
    void everyArrayRangeTextAndEnumTypeChangeIsRefusedBeforeAFileIsWrittenOrFailsNamingTheColumnOrKeepsTheValue() {
        Map<Type, String> values = new LinkedHashMap<>();
        values.put(Type.arrayOf(Type.SMALLINT), "'{7,NULL}'");
        values.put(Type.arrayOf(Type.BIGINT), "'{1099511627776}'");
        values.put(Type.arrayOf(Type.DOUBLE), "'{2.5}'");
        values.put(Type.arrayOf(Type.decimal(6, 2)), "'{7.25}'");
        values.put(Type.arrayOf(Type.varchar(5)), "'{abcd}'");
        values.put(Type.arrayOf(Type.varchar(3)), "'{abc,NULL}'");
        values.put(Type.arrayOf(Type.BOOLEAN), "'{true}'");
        values.put(Type.arrayOf(Type.UUID), "'{0b6d3c1e-6f7a-4b5e-9a3c-2d1e0f9a8b7c}'");
        values.put(Type.arrayOf(Type.TIMESTAMPTZ), "'{\"2026-01-02 10:30+00\"}'");
        values.put(Type.arrayOf(Type.JSON), "ARRAY['{\"a\": 1}'::jsonb]");
        values.put(Type.varchar(2), "'ab'");
        values.put(Type.CITEXT, "'Abc'");
        values.put(Type.LTREE, "'top.science'");
        values.put(Type.DECIMAL, "12.345");
        values.put(Type.pgEnum("post_state", "draft", "published"), "'draft'");
        values.put(Type.rangeOf(Type.DATE), "'[2026-01-01,2026-02-01)'");
        values.put(Type.rangeOf(Type.TIMESTAMPTZ), "'[2026-01-01 10:00+00,2026-02-01 00:00+00)'");
        values.put(Type.rangeOf(Type.DECIMAL), "'[1.5,7)'");
        assertThat(convertEach(values)).isEmpty();
    }

    /** Each type changed to each other one over a column holding its value: what went wrong, one line a pair. */
    private List<String> convertEach(Map<Type, String> values) {
        List<String> wrong = new ArrayList<>();
        int pair = 0;
        for (Type from : values.keySet()) {
            for (Type to : values.keySet()) {
                if (!from.equals(to)) {
                    String failure = convert(project.resolve("pair" + pair++), from, to, values.get(from));
                    if (failure != null) {
                        wrong.add(SqlTypes.of(from) + " -> " + SqlTypes.of(to) + ": " + failure);
                    }
                }
            }
        }
        return wrong;
    }

    /**
     * What went wrong converting a column holding {@code value} (and a null), or null when nothing did: codegen
     * refusing it naming the attribute, the guard failing the migration naming the column (and not PostgreSQL's own
     * {@code cannot cast}, which the guard's text also holds), or the value back unchanged after up and down.
     */
    private String convert(Path folder, Type from, Type to, String value) {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        codegen(folder, typed(from)).generate("create");
        migrator(folder).migrate();
        db.execute("INSERT INTO posts (v) VALUES (" + value + "), (NULL)");
        Object stored = db.value("SELECT v::text FROM posts WHERE v IS NOT NULL");
        try {
            codegen(folder, typed(to)).generate("change");
        } catch (DefinitionException refused) {
            return refused.getMessage().contains("resource 'post', 'v'") ? null : refused.getMessage();
        }
        try {
            migrator(folder).migrate();
            migrator(folder).rollback(1);
        } catch (MigrationException e) {
            boolean guarded = e.sqlState().filter("22000"::equals).isPresent()
                    && e.getMessage().contains("ERROR: Column public.posts.v holds values that");
            return guarded ? null : e.getMessage().lines().filter(line -> line.startsWith("ERROR")).findFirst()
                    .orElse(e.getMessage());
        }
        Object back = db.value("SELECT v::text FROM posts WHERE v IS NOT NULL");
        return back.equals(stored) ? null : "the down gave back " + back + " for " + stored;
    }

    private static Domain typed(Type type) {
        return Domain.builder("blog").extensions("citext", "ltree").resource(Resource.builder("post").table("posts")
                .integerPrimaryKey("id").attribute("v", type).build()).build();
    }

    @Test
    void aChainOfChangesRollsBackToNothingAndForwardToTheCatalogOfItsLastStepMadeStraight() {
        db.execute("DROP SCHEMA IF EXISTS archive CASCADE");
        List<UnaryOperator<ResourceBuilder>> steps = List.of(
                p -> p.attribute("title", Type.varchar(40)).attribute("legacy", TEXT)
                        .attribute("n", INTEGER, a -> a.defaultValue(1)),
                p -> p.attribute("title", Type.varchar(40), a -> a.notNull()).attribute("legacy", TEXT)
                        .attribute("n", INTEGER, a -> a.defaultValue(1)).identity("unique_title", "title"),
                p -> p.attribute("headline", Type.varchar(60), a -> a.notNull()).attribute("legacy", TEXT)
                        .migrationIgnore("legacy").attribute("n", Type.BIGINT, a -> a.notNull().defaultValue(2))
                        .identity("unique_title", "headline"),
                p -> p.attribute("headline", TEXT, a -> a.notNull()).attribute("legacy", TEXT).migrationIgnore("legacy")
                        .attribute("at", Type.TIMESTAMPTZ, a -> a.defaultSql("now()")).timestamps(),
                p -> p.schema("archive").attribute("headline", TEXT, a -> a.notNull()).attribute("legacy", TEXT)
                        .attribute("at", Type.TIMESTAMPTZ, a -> a.defaultSql("now()")));
        String[][] hints = {{}, {}, {"posts.title=headline"}, {}, {"public.posts=archive.posts"}};
        int files = 0;
        for (int i = 0; i < steps.size(); i++) {
            files += codegen(project, posts(steps.get(i)), hints[i]).generate("step_" + i).files().size();
            migrator(project).migrate();
            db.execute("INSERT INTO " + (i == 4 ? "archive." : "") + "posts (" + (i < 2 ? "title" : "headline")
                    + ") VALUES ('row " + i + "')");
            assertThat(codegen(project, posts(steps.get(i))).check().changed()).isFalse();
        }
        List<String> last = Catalog.of(db, "archive");
        assertThat(db.query("SELECT headline, legacy FROM archive.posts ORDER BY id")).hasSize(5);

        db.execute("DELETE FROM archive.posts");
        migrator(project).rollback(files);
        assertThat(Catalog.of(db, "public")).allMatch(line -> line.contains("ashlar_"));
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'archive'")).isEqualTo(0L);
        migrator(project).migrate();
        assertThat(Catalog.of(db, "archive")).isEqualTo(last);

        db.execute("DROP SCHEMA archive CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Path straight = project.resolve("straight");
        codegen(straight, posts(steps.get(4))).generate("create");
        migrator(straight).migrate();
        List<String> made = Catalog.of(db, "archive");
        db.execute("DROP SCHEMA archive CASCADE");
        assertThat(last).isEqualTo(made);
    }
}
