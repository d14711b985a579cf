package dev.ashlar.integration;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.drift.DriftReport;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.plugins.tenancy.ManageTenant;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.CitusTest;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.UUID;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Later migrations of a project on a real Citus cluster (which has schema-based sharding on for every schema): a main
 * table in a schema of its own stays off the tenant schemas and becomes a reference table; a column with a volatile
 * default reaches tenant tables that hold rows; and the column changes Citus refuses on the tables it holds (an
 * identity added, dropped or retyped, the tenant column retyped) are refused at codegen, naming the attribute, as the
 * cluster refuses their statements; the drift check finds the tables as the snapshots say; and tables renamed take
 * their constraints' names along, which Citus renames only through their indexes.
 */
@CitusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CitusSchemaChangesTest {
    private static final Plugins PLUGINS = Plugins.none().with(new TenancyPlugin()).with(new ReferencesPlugin());

    private TestDatabase db;
    private Path folder;
    private Ashlar ashlar;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    /** The workspace, its note and post resources changed by {@code note} and {@code post}. */
    static Domain domain(UnaryOperator<ResourceBuilder> note,
                         UnaryOperator<ResourceBuilder> post) {
        Resource organization = Resource.builder("organization").table("organizations")
                .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("org_", "id")).build();
        Resource plan = Resource.builder("plan").schema("billing").table("plans")
                .attribute("id", TEXT, a -> a.primaryKey()).build();
        Resource noteResource = note.apply(Resource.builder("note").table("notes").integerPrimaryKey("id")
                .attribute("body", TEXT).with(Multitenancy.context())).build();
        Resource postResource = post.apply(Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("title", TEXT)
                .belongsTo("plan", "plan", r -> r.allowNil(true))
                .with(Multitenancy.attribute("org_id")).with(References.of(reference("plan")))).build();
        return Domain.builder("workspace").resources(organization, plan, noteResource, postResource).build();
    }

    static Domain domain() {
        return domain(UnaryOperator.identity(), UnaryOperator.identity());
    }

    @BeforeAll
    void migrated(TestDatabase database) throws IOException {
        db = database;
        folder = Files.createTempDirectory("ashlar-citus");
        project(domain()).generate("create_workspace", Renames.none());
        project(domain()).migrate();
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain()).install(new TenancyPlugin())
                .install(new ReferencesPlugin()).discoverPlugins(false)
                .tenantMigrations(project(domain()).layout().migrations(Scope.TENANT)).build();
    }

    @AfterAll
    void close() {
        ashlar.close();
    }

    private Project project(Domain domain) {
        now = now.plus(Duration.ofMinutes(1));
        return Project.open(folder).domain(domain, PLUGINS).dataSource(db.dataSource()).progress(line -> { })
                .clock(Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    @Order(1)
    void aMainTableInASchemaOfItsOwnIsAReferenceTableAndItsSchemaNoTenantSchema() {
        assertThat(db.value("SELECT current_setting('citus.enable_schema_based_sharding')"))
                .as("the cluster distributes every new schema").isEqualTo("on");
        assertThat(db.value("SELECT partmethod::text FROM pg_dist_partition WHERE logicalrelid = 'billing.plans'::regclass"))
                .isEqualTo("n");
        assertThat(db.query("SELECT schema_name::text AS s FROM citus_schemas")).extracting(r -> r.get("s"))
                .doesNotContain("billing");
        db.execute("INSERT INTO billing.plans VALUES ('free')");
        ashlar.create("organization", Map.of("id", "acme"));
        assertThat(ashlar.withTenant("acme").create("post", Map.of("title", "Hello", "plan_id", "free"))
                .getString("plan_id")).isEqualTo("free");
        assertThat(db.query("SELECT schema_name::text AS s FROM citus_schemas")).extracting(r -> r.get("s"))
                .containsExactly("org_acme");
    }

    @Test
    @Order(2)
    void aColumnWithAVolatileDefaultReachesTenantTablesWithRowsInOneStatement() throws IOException {
        ashlar.create("organization", Map.of("id", "globex"));
        for (String tenant : List.of("org_acme", "org_globex")) {
            ashlar.withTenant(tenant).createAll("note", List.of(Map.of("body", "one"), Map.of("body", "two")));
        }
        Project project = project(domain(note -> note.attribute("token", UUID,
                a -> a.notNull().defaultSql("gen_random_uuid()")), UnaryOperator.identity()));
        project.generate("add_token", Renames.none());
        try (Stream<Path> files = Files.list(project.layout().migrations(Scope.TENANT))) {
            assertThat(files.filter(f -> f.toString().contains("add_token")).map(f -> read(f)))
                    .as("no backfill: Citus refuses a volatile function in an UPDATE").singleElement().asString()
                    .doesNotContain("$backfill$").contains("DEFAULT gen_random_uuid()");
        }

        TenantReport report = project.migrateTenants(TenantSelection.all());

        assertThat(report.failures()).isEmpty();
        assertThat(report.migrated()).isEqualTo(2);
        assertThat(db.value("SELECT count(DISTINCT token) FROM (SELECT token FROM org_acme.notes UNION ALL "
                + "SELECT token FROM org_globex.notes) t")).isEqualTo(4L);
    }

    @Test
    @Order(3)
    void columnChangesCitusRefusesOnItsTablesAreRefusedAtCodegenNamingTheAttribute() throws SQLException {
        UnaryOperator<ResourceBuilder> token = note -> note.attribute("token", UUID,
                a -> a.notNull().defaultSql("gen_random_uuid()"));
        assertRefused(domain(note -> token.apply(note).attribute("seq", BIGINT, a -> a.generated()),
                UnaryOperator.identity()), "note", "seq", "adds identity column");
        assertRefused(domain(token, post -> Resource.builder("post").table("posts").bigintPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("title", TEXT)
                .belongsTo("plan", "plan", r -> r.allowNil(true)).with(Multitenancy.attribute("org_id"))
                .with(References.of(reference("plan")))), "post", "id", "changes identity column");
        assertRefused(domain(token, post -> Resource.builder("post").table("posts")
                .attribute("id", Type.INTEGER, a -> a.primaryKey().generated(1000, 10)).attribute("org_id", TEXT,
                        a -> a.notNull()).attribute("title", TEXT).belongsTo("plan", "plan", r -> r.allowNil(true))
                .with(Multitenancy.attribute("org_id")).with(References.of(reference("plan")))),
                "post", "id", "changes the start or step of identity column");
        assertRefused(domain(token, post -> Resource.builder("post").table("posts")
                .attribute("id", Type.INTEGER, a -> a.primaryKey()).attribute("org_id", TEXT, a -> a.notNull())
                .attribute("title", TEXT).belongsTo("plan", "plan", r -> r.allowNil(true))
                .with(Multitenancy.attribute("org_id")).with(References.of(reference("plan")))),
                "post", "id", "takes column");
        assertRefused(domain(token, post -> Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("org_id", UUID, a -> a.notNull()).attribute("title", TEXT)
                .belongsTo("plan", "plan", r -> r.allowNil(true)).with(Multitenancy.attribute("org_id"))
                .with(References.of(reference("plan")))), "post", "org_id", "changes tenant column");

        // What the cluster says to the statements the refused migrations would have run.
        for (String refused : List.of("ALTER TABLE org_acme.notes ADD COLUMN seq bigint GENERATED BY DEFAULT AS IDENTITY",
                "ALTER TABLE posts ALTER COLUMN id TYPE bigint", "ALTER TABLE posts ALTER COLUMN id DROP IDENTITY",
                "ALTER TABLE posts ALTER COLUMN id SET INCREMENT BY 10",
                "ALTER TABLE posts ALTER COLUMN org_id TYPE uuid USING org_id::uuid",
                // What a key between tables distributed by the tenant column that nilifies its rows would say.
                "ALTER TABLE posts ADD FOREIGN KEY (org_id, id) REFERENCES posts (org_id, id) ON DELETE SET NULL (id)")) {
            // A connection of its own: the pool closes one after an error of class 0A, "not supported".
            try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
                assertThatThrownBy(() -> connection.createStatement().execute(refused)).as(refused)
                        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("identity column",
                                "currently unsupported", "partition column", "not supported"));
            }
        }
    }

    @Test
    @Order(3)
    void historyOnATableCitusHoldsIsRefusedAtCodegenNamingTheResource() {
        Project project = project(domain(note -> note.attribute("token", UUID,
                a -> a.notNull().defaultSql("gen_random_uuid()")).history(), UnaryOperator.identity()));

        assertThatThrownBy(() -> project.generate("refused", Renames.none()))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.resource()).isEqualTo("note");
                            assertThat(p.field()).isEqualTo("history");
                        }))
                .hasMessageContaining("keeps history").hasMessageContaining("Remove .history()");
    }

    @Test
    @Order(4)
    void theDriftCheckFindsTheDistributedReferenceAndTenantTablesAsTheSnapshotsSay() {
        Project project = project(domain(note -> note.attribute("token", UUID,
                a -> a.notNull().defaultSql("gen_random_uuid()")), UnaryOperator.identity()));

        DriftReport report = project.drift(TenantSelection.all());

        assertThat(report.differences()).isEmpty();
        assertThat(report.schemas()).contains("public", "billing", "org_acme", "org_globex");
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ashlar_drift%'")).isEqualTo(0L);
    }

    @Test
    @Order(5)
    void renamedTablesKeepTheirRowsAndTheirConstraintsFollowTheNewNames() {
        Project project = project(domain(note -> note.attribute("token", UUID,
                a -> a.notNull().defaultSql("gen_random_uuid()")).table("memos"), post -> post.table("articles")));
        project.generate("rename_tables", Renames.hints(List.of("posts=articles", "notes=memos")));

        project.migrate();
        assertThat(project.migrateTenants(TenantSelection.all()).failures()).isEmpty();

        assertThat(db.query("SELECT conname::text AS c FROM pg_constraint WHERE conrelid = 'articles'::regclass "
                + "ORDER BY 1")).extracting(r -> r.get("c")).containsExactly("articles_pkey", "articles_plan_id_fkey");
        assertThat(db.value("SELECT conname::text FROM pg_constraint WHERE conrelid = 'org_acme.memos'::regclass"))
                .isEqualTo("memos_pkey");
        assertThat(db.value("SELECT partmethod::text FROM pg_dist_partition WHERE logicalrelid = 'articles'::regclass"))
                .isEqualTo("h");
        assertThat(db.value("SELECT count(*) FROM articles WHERE org_id = 'acme' AND plan_id = 'free'")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM org_globex.memos")).isEqualTo(2L);
    }

    private void assertRefused(Domain domain, String resource, String attribute, String words) {
        Project project = project(domain);
        assertThatThrownBy(() -> project.generate("refused", Renames.none()))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.resource()).isEqualTo(resource);
                            assertThat(p.field()).isEqualTo(attribute);
                        }))
                .hasMessageContaining("On Citus, the migration " + words).hasMessageContaining("Citus refuses");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
