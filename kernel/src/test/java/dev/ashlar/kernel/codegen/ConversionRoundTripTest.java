package dev.ashlar.kernel.codegen;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.diff.Renames;
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

import javax.sql.DataSource;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.DATE;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMP;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.UUID;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.rangeOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Type changes of populated columns that PostgreSQL makes only with a {@code USING} cast: the migration keeps the
 * rows, its down section restores the catalog exactly, applying it again gives the same catalog, and a second
 * generation writes nothing.
 */
@ExtendWith(PostgresExtension.class)
class ConversionRoundTripTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Domain posts(UnaryOperator<ResourceBuilder> post) {
        return Domain.builder("blog").resource(post.apply(Resource.builder("post").table("posts")
                .integerPrimaryKey("id")).build()).build();
    }

    /** The time zone the migrator's sessions run in; null for the driver's (the JVM's). */
    private String sessionZone;

    private Migrator migrator() {
        DataSource sessions = sessionZone == null ? db.dataSource() : inZone(db.dataSource(), sessionZone);
        return new Migrator(sessions, Codegen.migrations(project, Scope.MAIN)).progress(line -> { });
    }

    /** Connections whose session time zone is set, as a machine in that zone would have it. */
    private static DataSource inZone(DataSource delegate, String zone) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = method.invoke(delegate, args);
                    if (result instanceof Connection connection) {
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("SET TIME ZONE '" + zone + "'");
                        }
                    }
                    return result;
                });
    }

    private Codegen codegen(Domain domain) {
        return new Codegen(project, domain, Plugins.none(), Renames.none(), CLOCK);
    }

    private List<String> catalog() {
        return Catalog.of(db, "public").stream().filter(line -> !line.contains("ashlar_migration_locks")).toList();
    }

    /** Generates and applies the migration to {@code domain}, rolls it back, applies it again; returns its up text. */
    private String migrateBackAndForth(Domain domain, String name) throws IOException {
        List<String> before = catalog();
        List<Map<String, Object>> rowsBefore = db.query("SELECT id FROM posts ORDER BY id");
        Codegen.Result result = codegen(domain).generate(name);
        migrator().migrate();
        List<String> after = catalog();

        migrator().rollback(result.files().size());
        assertThat(catalog()).as("the catalog after the down sections of " + name).isEqualTo(before);
        migrator().migrate();
        assertThat(catalog()).as("the catalog after applying " + name + " again").isEqualTo(after);
        assertThat(db.query("SELECT id FROM posts ORDER BY id")).isEqualTo(rowsBefore);
        assertThat(codegen(domain).generate(name + "_again").files()).as("a second generation").isEmpty();
        StringBuilder text = new StringBuilder();
        for (Path file : result.files()) {
            text.append(Files.readString(file));
        }
        return text.toString();
    }

    @Test
    void castsPostgresqlOnlyMakesWithUsingKeepTheRowsAndTheDownRestoresTheColumns() throws IOException {
        codegen(posts(p -> p.attribute("tags", arrayOf(TEXT)).attribute("flag", INTEGER).attribute("ref", TEXT)
                .attribute("doc", TEXT).attribute("code", TEXT, a -> a.defaultValue("7")))).generate("create");
        migrator().migrate();
        db.execute("INSERT INTO posts (tags, flag, ref, doc) VALUES ('{1,2}', 1, "
                + "'0e987b86-f24e-4447-915a-766730775474', '{\"a\": 1}'), ('{}', 0, NULL, '[]')");

        String up = migrateBackAndForth(posts(p -> p.attribute("tags", arrayOf(INTEGER)).attribute("flag", BOOLEAN)
                .attribute("ref", UUID).attribute("doc", JSON).attribute("code", INTEGER, a -> a.defaultValue(7))),
                "convert");

        assertThat(up).contains("TYPE integer[] USING \"tags\"::integer[]", "TYPE boolean USING \"flag\"::boolean",
                "TYPE uuid USING \"ref\"::uuid", "TYPE jsonb USING \"doc\"::jsonb", "TYPE integer USING \"code\"::integer");
        assertThat(catalog()).contains("column posts.tags integer[]", "column posts.flag boolean",
                "column posts.ref uuid", "column posts.doc jsonb", "column posts.code integer default 7");
        assertThat(db.query("SELECT tags::text || ' ' || flag || ' ' || coalesce(ref::text, '-') || ' ' || doc::text "
                + "|| ' ' || code AS line FROM posts ORDER BY id")).extracting(row -> row.get("line")).containsExactly(
                "{1,2} true 0e987b86-f24e-4447-915a-766730775474 {\"a\": 1} 7", "{} false - [] 7");
    }

    @Test
    void timesGainingOrLosingAZoneAreConvertedInUtcWhateverTheSessionsZoneAndComeBackUnchanged() throws IOException {
        codegen(posts(p -> p.attribute("at", TIMESTAMP).attribute("day", DATE).attribute("seen", TIMESTAMPTZ)
                .attribute("span", rangeOf(TIMESTAMP)))).generate("create");
        migrator().migrate();
        db.execute("INSERT INTO posts (at, day, seen, span) VALUES ('2026-03-29 02:30:00', '2026-07-01', "
                + "'2026-07-01 00:00:00+00', '[2026-03-29 02:30:00,2026-07-01 12:00:00)'), (NULL, NULL, NULL, NULL)");
        String stored = "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' || "
                + "to_char(day AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' || to_char(seen, 'YYYY-MM-DD') || ' ' "
                + "|| to_char(lower(span) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS line FROM posts WHERE at IS NOT NULL";
        String original = "SELECT at::text || ' ' || day::text || ' ' || (seen AT TIME ZONE 'UTC')::text || ' ' "
                + "|| span::text AS line FROM posts WHERE at IS NOT NULL";
        List<Object> before = db.query(original).stream().map(row -> row.get("line")).toList();
        sessionZone = "Europe/Berlin";   // 02:30 on 2026-03-29 does not exist there; in New Zealand it is the next day

        String up = migrateBackAndForth(posts(p -> p.attribute("at", TIMESTAMPTZ).attribute("day", TIMESTAMPTZ)
                .attribute("seen", DATE).attribute("span", rangeOf(TIMESTAMPTZ))), "zones");

        assertThat(up).contains("TYPE timestamptz USING (\"at\" AT TIME ZONE 'UTC')",
                "TYPE timestamptz USING (\"day\"::timestamp AT TIME ZONE 'UTC')",
                "TYPE date USING (\"seen\" AT TIME ZONE 'UTC')::date");
        assertThat(db.query(stored)).extracting(row -> row.get("line"))
                .containsExactly("2026-03-29 02:30 2026-07-01 00:00 2026-07-01 2026-03-29 02:30");
        assertThat(db.query("SELECT count(*) AS n FROM posts WHERE at IS NULL AND span IS NULL").get(0).get("n"))
                .isEqualTo(1L);

        sessionZone = "Pacific/Auckland";
        migrator().rollback(1);
        assertThat(db.query(original).stream().map(row -> row.get("line")).toList()).isEqualTo(before);
    }

    @Test
    void anIdentityWhoseColumnAndPredicateChangeTypeTogetherIsRebuiltAfterTheColumnAndRollsBack() throws IOException {
        codegen(posts(p -> p.attribute("code", TEXT)
                .identity("unique_code", List.of("code"), i -> i.where("code <> ''")))).generate("create");
        migrator().migrate();
        db.execute("INSERT INTO posts (code) VALUES ('12'), ('13')");

        migrateBackAndForth(posts(p -> p.attribute("code", INTEGER)
                .identity("unique_code", List.of("code"), i -> i.where("code <> 0"))), "retype");

        assertThat(catalog()).contains("column posts.code integer", "index posts_unique_code_index CREATE UNIQUE "
                + "INDEX posts_unique_code_index ON public.posts USING btree (code) WHERE (code <> 0)");
        assertThat(db.query("SELECT code FROM posts ORDER BY id")).extracting(r -> r.get("code")).containsExactly(12, 13);
    }
}
