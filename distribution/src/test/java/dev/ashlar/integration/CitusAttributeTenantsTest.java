package dev.ashlar.integration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.data.Row;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Bulk;
import dev.ashlar.kernel.data.BulkResult;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.plugins.indexes.CustomStatements;
import dev.ashlar.plugins.indexes.IndexesPlugin;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.plugins.tenancy.ManageTenant;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.spi.schema.Target;
import dev.ashlar.testing.CitusTest;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.indexes.CustomStatements.statement;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The attribute strategy on a real Citus cluster: tables with a tenant column distributed by it and
 * colocated, with it in their primary and foreign keys; the global table they reference a reference
 * table; row-level security holding an ordinary role to its tenant on the workers; violations on
 * shards reported as field errors; and what Citus cannot do refused at codegen.
 */
@CitusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CitusAttributeTenantsTest {
    private static final Plugins PLUGINS = Plugins.none().with(new TenancyPlugin()).with(new ReferencesPlugin());

    private TestDatabase db;
    private Ashlar ashlar;
    private Path folder;

    static Domain blog() {
        Resource plan = Resource.builder("plan").table("plans").attribute("id", TEXT, a -> a.primaryKey()).build();
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("title", TEXT, a -> a.notNull())
                .belongsTo("plan", "plan", r -> r.allowNil(true)).identity("unique_title", "title")
                .identity("by_id", List.of("id"), null, true)
                .with(Multitenancy.attribute("org_id").rowLevelSecurity(true))
                .with(References.of(reference("plan"))).build();
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("body", TEXT).belongsTo("post", "post")
                .with(Multitenancy.attribute("org_id").rowLevelSecurity(true))
                .with(References.of(reference("post"))).build();
        return Domain.builder("blog").resources(plan, post, comment).build();
    }

    @BeforeAll
    void migrated(TestDatabase database) throws IOException {
        db = database;
        folder = Files.createTempDirectory("ashlar-citus");
        Project project = Project.open(folder).domain(blog(), PLUGINS)
                .dataSource(db.dataSource()).progress(line -> { });
        assertThat(project.target()).isEqualTo(Target.CITUS);
        project.generate("create_blog", Renames.none());
        project.migrate();
        db.execute("INSERT INTO plans VALUES ('free')");
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(blog()).install(new TenancyPlugin())
                .install(new ReferencesPlugin()).discoverPlugins(false).build();
    }

    @AfterAll
    void close() {
        ashlar.close();
    }

    @Test
    void tenantColumnTablesAreDistributedByItColocatedAndTheirGlobalTableIsAReferenceTable() {
        assertThat(db.query("SELECT logicalrelid::text || ' ' || partmethod::text || ' ' || coalesce("
                + "column_to_column_name(logicalrelid, partkey), '-') AS d FROM pg_dist_partition ORDER BY 1"))
                .extracting(r -> r.get("d")).containsExactly("comments h org_id", "plans n -", "posts h org_id");
        assertThat(db.value("SELECT count(DISTINCT colocationid) FROM pg_dist_partition WHERE partmethod = 'h'"))
                .isEqualTo(1L);
        assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'posts_pkey'"))
                .isEqualTo("PRIMARY KEY (org_id, id)");
        assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
                + "'comments_post_id_fkey'")).isEqualTo("FOREIGN KEY (org_id, post_id) REFERENCES posts(org_id, id)");
    }

    @Test
    void violationsOnShardsAreFieldErrors() {
        var acme = ashlar.withTenant("acme");
        long post = acme.create("post", Map.of("title", "Hello", "plan_id", "free")).getLong("id");
        assertThatThrownBy(() -> acme.create("post", Map.of("title", "Hello")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError("title", "has already been taken")));
        assertThatThrownBy(() -> ashlar.withTenant("globex").create("comment", Map.of("post_id", post, "body", "x")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("org_id"));
        assertThatThrownBy(() -> acme.create("post", Map.of("title", "Paid", "plan_id", "gold")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("plan_id"));
    }

    @Test
    void rowLevelSecurityHoldsAnOrdinaryRoleToItsTenantOnTheWorkers() {
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'citus_app') THEN "
                + "CREATE ROLE citus_app LOGIN; END IF; END $$");
        db.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON posts, comments TO citus_app");
        db.execute("GRANT SELECT ON plans TO citus_app");
        db.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO citus_app");
        ashlar.withTenant("initech").create("post", Map.of("title", "Initech's"));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl().replaceAll("([?&])user=[^&]*", "$1"));
        config.setUsername("citus_app");
        config.setMaximumPoolSize(2);
        try (HikariDataSource app = new HikariDataSource(config);
             Ashlar asApp = Ashlar.builder().dataSource(app).domain(blog()).install(new TenancyPlugin())
                     .install(new ReferencesPlugin()).discoverPlugins(false).build()) {
            assertThat(asApp.withTenant("initech").read("post").list()).extracting(r -> r.getString("title"))
                    .containsExactly("Initech's");
            asApp.withTenant("initech").create("post", Map.of("title", "Written as the app"));
            assertThat(asApp.withTenant("initech").read("post").list()).hasSize(2);
            assertThat(count(app, "SELECT count(*) FROM posts")).as("no tenant set: no row").isZero();
            assertThat(count(app, "SELECT count(*) FROM pg_roles WHERE rolname = current_user AND NOT rolsuper"))
                    .as("an ordinary role").isEqualTo(1);
        }
    }

    private static long count(HikariDataSource dataSource, String sql) {
        try (var connection = dataSource.getConnection(); var rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void keysCitusCannotEnforceAreRefusedAtCodegen() throws IOException {
        Resource organization = Resource.builder("organization").table("organizations")
                .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("org_", "id")).build();
        Resource note = Resource.builder("note").table("notes").integerPrimaryKey("id")
                .with(Multitenancy.context()).build();
        Resource tag = Resource.builder("tag").table("tags").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).with(Multitenancy.attribute("org_id")).build();
        Resource pin = Resource.builder("pin").table("pins").integerPrimaryKey("id").belongsTo("tag", "tag").build();

        assertThatThrownBy(() -> generate(organization, tag, pin))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.INVALID_DEFINITION))
                .hasMessageContaining("Resource 'pin' belongs to 'tag'").hasMessageContaining("Citus cannot enforce")
                .hasMessageContaining("reference table");
        Resource tagged = Resource.builder("tagged").table("tagged").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).belongsTo("note", "note")
                .with(Multitenancy.attribute("org_id")).build();
        assertThatThrownBy(() -> generate(organization, note, tagged))
                .hasMessageContaining("a main table cannot reference it");
        Resource tenantNote = Resource.builder("note").table("notes").integerPrimaryKey("id").belongsTo("tag", "tag")
                .with(Multitenancy.context()).build();
        assertThatThrownBy(() -> generate(organization, tag, tenantNote))
                .hasMessageContaining("Resource 'note' belongs to 'tag'").hasMessageContaining("same strategy");
    }

    @Test
    void aTriggerFiresOnTheWorkerAndItsDistributedTableIsDroppedAndRestoredByMigrationsAndRollbacks()
            throws IOException {
        Resource event = Resource.builder("event").table("events").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("name", TEXT).attribute("shout", TEXT)
                .with(Multitenancy.attribute("org_id"))
                .with(CustomStatements.of(statement("shout_name").up("""
                        CREATE FUNCTION events_shout() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN NEW.shout := upper(NEW.name); RETURN NEW; END $$;
                        CREATE TRIGGER events_shout BEFORE INSERT ON events
                            FOR EACH ROW EXECUTE FUNCTION events_shout();""")
                        .down("DROP TRIGGER events_shout ON events; DROP FUNCTION events_shout();"))).build();
        Domain withEvents = Domain.builder("blog").resources(blog().resources().toArray(Resource[]::new))
                .resource(event).build();
        Project project = Project.open(folder).domain(withEvents, PLUGINS.with(new IndexesPlugin()))
                .dataSource(db.dataSource()).progress(line -> { })
                // later than the blog's migration
                .clock(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
        project.generate("add_events", Renames.none());
        project.migrate();

        db.execute("INSERT INTO events (org_id, name) VALUES ('acme', 'launch')");

        assertThat(db.value("SELECT shout FROM events")).isEqualTo("LAUNCH");
        assertThat(db.value("SELECT partmethod::text FROM pg_dist_partition WHERE logicalrelid = 'events'::regclass"))
                .isEqualTo("h");

        // Dropped with the resource, then back with the drop's rollback: no undistribute_table (refused on its identity).
        Project without = Project.open(folder).domain(blog(), PLUGINS.with(new IndexesPlugin()))
                .dataSource(db.dataSource()).progress(line -> { })
                .clock(Clock.fixed(Instant.parse("2030-01-02T00:00:00Z"), ZoneOffset.UTC));
        without.generate("drop_events", Renames.none());
        without.migrate();
        assertThat(db.value("SELECT to_regclass('events') IS NULL")).isEqualTo(true);
        assertThat(without.rollback(1)).extracting(MigrationFile::fileName).singleElement().asString()
                .endsWith("_drop_events.sql");
        assertThat(db.value("SELECT partmethod::text FROM pg_dist_partition WHERE logicalrelid = 'events'::regclass"))
                .isEqualTo("h");
        // Its down drops the trigger, which Citus also allows only with unsafe triggers on.
        assertThat(project.rollback(1)).extracting(MigrationFile::fileName).singleElement().asString()
                .endsWith("_add_events.sql");
        assertThat(db.value("SELECT count(*) FROM pg_trigger WHERE tgname = 'events_shout'")).isEqualTo(0L);
        assertThat(db.value("SELECT to_regclass('events') IS NULL")).isEqualTo(true);
    }

    @Test
    void aTenantsDataApiNeverReachesAnotherTenantsRowsOnTheShards() {
        var globex = ashlar.withTenant("iso_globex");
        var acme = ashlar.withTenant("iso_acme");
        long secret = globex.createAll("post", List.of(Map.of("title", "secret 1"), Map.of("title", "secret 2")))
                .get(1).getLong("id");
        long own = acme.create("post", Map.of("title", "acme's")).getLong("id");

        assertThat(acme.read("post").where(eq("id", secret)).list()).as("by another tenant's key").isEmpty();
        assertThat(acme.read("post").count()).isEqualTo(1);
        assertThat(acme.read("post").where(eq("id", secret)).updateAll(Map.of("title", "pwned"))).isEmpty();
        assertThat(acme.read("post").where(eq("title", "secret 1")).destroyAll()).isZero();
        assertThat(acme.upsert("post", List.of(Map.of("id", secret, "title", "upserted")), Upsert.on("by_id")))
                .extracting(r -> r.getString("org_id")).containsExactly("iso_acme");
        BulkResult bulk = acme.createAll("post", List.of(Map.of("title", "bulk 1"), Map.of("title", "bulk 2")),
                Bulk.collectErrors());
        assertThat(bulk.rows()).extracting(r -> r.getString("org_id")).containsOnly("iso_acme");
        acme.create("comment", Map.of("post_id", own, "body", "mine"));
        assertThat(acme.read("comment").load("post").list()).singleElement()
                .satisfies(c -> assertThat(c.relatedOne("post").orElseThrow().getString("title")).isEqualTo("acme's"));
        assertThat(acme.read("post").groupBy("org_id").count("n").list()).extracting(r -> r.getString("org_id"))
                .containsExactly("iso_acme");

        assertThat(db.query("SELECT title FROM posts WHERE org_id = 'iso_globex' ORDER BY id"))
                .extracting(r -> r.get("title")).containsExactly("secret 1", "secret 2");
        assertThat(db.value("SELECT count(*) FROM posts WHERE org_id = 'iso_acme'")).isEqualTo(4L);
        assertThat(globex.read("comment").count()).isZero();
    }

    @Test
    void anUpsertOnThePrimaryKeyAcrossTenantsLeadsItsConflictTargetWithTheTenantColumn() {
        var acme = ashlar.withTenant("upsert_acme");
        long id = acme.create("post", Map.of("title", "Draft")).getLong("id");

        List<Row> rows = acme.upsert("post", List.of(Map.of("id", id, "title", "Final"),
                Map.of("id", id + 1_000_000, "title", "New")), Upsert.on("by_id"));

        assertThat(rows).extracting(r -> r.getString("title")).containsExactly("Final", "New");
        assertThat(db.query("SELECT title FROM posts WHERE org_id = 'upsert_acme' ORDER BY id"))
                .extracting(r -> r.get("title")).containsExactly("Final", "New");
        assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'posts_by_id_index'").toString())
                .endsWith("(org_id, id)");
        assertThat(acme.upsert("post", List.of(Map.of("id", id, "title", "Kept")), Upsert.on("by_id").doNothing()))
                .isEmpty();
        assertThat(db.value("SELECT title FROM posts WHERE org_id = 'upsert_acme' AND id = " + id)).isEqualTo("Final");
    }

    @Test
    void whatCodegenRefusesInStatementsIsWhatTheClusterRefusesAndWhatItAcceptsRuns() throws SQLException {
        // A schema of its own, not distributed (the test cluster turns schema-based sharding on server-wide).
        db.execute("BEGIN; SET LOCAL citus.enable_schema_based_sharding = off; CREATE SCHEMA probe; "
                + "CREATE TABLE probe.posts (id bigint GENERATED BY DEFAULT AS IDENTITY, org_id text NOT NULL, "
                + "title text, token text, PRIMARY KEY (org_id, id)); "
                + "SELECT create_distributed_table('probe.posts', 'org_id'); COMMIT");
        for (List<String> refused : CitusCodegenRefusalsTest.REFUSED) {
            assertThat(run(refused.get(0))).as(refused.get(0)).containsAnyOf("must not be VOLATILE",
                    "non-IMMUTABLE functions are not allowed in the RETURNING clause");
        }
        for (String accepted : CitusCodegenRefusalsTest.ACCEPTED) {
            assertThat(run(accepted)).as(accepted).isNull();
        }
    }

    /**
     * Runs a statement on the probe table in a transaction rolled back; the server's error, or null. (A
     * connection of its own: the pool closes one after an error of class 0A, "not supported".)
     */
    private String run(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("SET LOCAL search_path = probe");
            try {
                statement.execute(sql);
                return null;
            } catch (SQLException e) {
                return e.getMessage();
            } finally {
                connection.rollback();
            }
        }
    }

    private static void generate(Resource... resources) throws IOException {
        Project.open(Files.createTempDirectory("ashlar-citus")).domain(Domain.builder("w").resources(resources).build(),
                PLUGINS).target(Target.CITUS).generate("create", Renames.none());
    }
}
