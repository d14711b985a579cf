package dev.ashlar.cli;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.plugins.checks.Check;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.checks.ChecksPlugin;
import dev.ashlar.plugins.tenancy.ManageTenant;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.CitusTest;
import dev.ashlar.testing.TestDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The context strategy on a real Citus cluster: tenant schemas distributed, each whole on one worker;
 * field errors from violations on a worker's shards; the tenant migrator over 50 tenants with one
 * failing; a tenant moved to the other worker and migrated again; the migrators refusing a worker.
 */
@CitusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CitusSchemaTenantsTest {
    private static final Check RATING = Check.check("rating_range").expression("rating BETWEEN 1 AND 5")
            .attributes("rating").message("must be from 1 to 5");
    private static final Plugins PLUGINS = Plugins.none().with(new TenancyPlugin()).with(new ChecksPlugin());

    private Path folder;
    private TestDatabase db;
    private Ashlar ashlar;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    static Domain domain(String... later) {
        Resource organization = Resource.builder("organization").table("organizations")
                .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("org_", "id")).build();
        var note = Resource.builder("note").table("notes").integerPrimaryKey("id")
                .attribute("body", TEXT, a -> a.notNull()).attribute("rating", INTEGER)
                .identity("unique_body", "body").with(CheckConstraints.of(RATING)).with(Multitenancy.context());
        for (String flag : later) {
            note.attribute(flag, BOOLEAN, a -> a.notNull().defaultValue(false));
        }
        return Domain.builder("workspace").resources(organization, note.build()).build();
    }

    @BeforeAll
    void mainSchema(TestDatabase database) throws IOException {
        db = database;
        folder = Files.createTempDirectory("ashlar-citus");
        project().generate("create_workspace", Renames.none());
        project().migrate();
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain())
                .install(new TenancyPlugin()).install(new ChecksPlugin()).discoverPlugins(false)
                .tenantMigrations(project().layout().migrations(Scope.TENANT)).build();
    }

    @AfterAll
    void close() {
        ashlar.close();
    }

    private Project project(String... later) {
        now = now.plus(Duration.ofMinutes(1));
        return Project.open(folder).domain(domain(later), PLUGINS).dataSource(db.dataSource()).progress(line -> { })
                .clock(Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    @Order(1)
    void tenantSchemasAreDistributedEachWholeOnOneWorker() {
        for (String org : List.of("acme", "globex", "initech")) {
            ashlar.create("organization", Map.of("id", org));
        }
        ashlar.withTenant("org_acme").create("note", Map.of("body", "Acme's plan", "rating", 5));

        assertThat(db.query("SELECT schema_name::text AS s FROM citus_schemas ORDER BY 1")).extracting(r -> r.get("s"))
                .contains("org_acme", "org_globex", "org_initech");
        assertThat(db.value("SELECT count(DISTINCT nodeport) FROM citus_shards WHERE table_name::text LIKE 'org_acme.%'"))
                .isEqualTo(1L);
        assertThat(ashlar.withTenant("org_acme").read("note").list()).extracting(r -> r.getString("body"))
                .containsExactly("Acme's plan");
        Map<String, String> nodes = project().tenantStatus(TenantSelection.all()).nodes();
        assertThat(nodes.keySet()).contains("org_acme", "org_globex", "org_initech");
        assertThat(project().nodes()).containsAll(nodes.values());
    }

    @Test
    @Order(2)
    void violationsOnAWorkersShardsAreFieldErrorsAsOnOneServer() {
        var acme = ashlar.withTenant("org_acme");
        assertThatThrownBy(() -> acme.create("note", Map.of("body", "too good", "rating", 9)))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError("rating", "must be from 1 to 5")));
        assertThatThrownBy(() -> acme.create("note", Map.of("body", "Acme's plan")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError("body", "has already been taken")));
        assertThatThrownBy(() -> acme.create("note", Map.of("rating", 3)))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError("body", "is required")));
        assertThat(db.value("SELECT count(*) FROM citus_shards WHERE table_name::text = 'org_acme.notes'"))
                .as("the violations happened on a worker's shard").isEqualTo(1L);
    }

    @Test
    @Order(3)
    void fiftyTenantsAreMigratedAndOneFailingIsReportedAlone() {
        IntStream.rangeClosed(1, 47).forEach(i -> ashlar.create("organization", Map.of("id", "t" + i)));
        db.execute("ALTER TABLE org_t7.notes ADD COLUMN pinned text");
        Project pinned = project("pinned");
        pinned.generate("add_pinned", Renames.none());

        TenantReport report = pinned.migrateTenants(TenantSelection.all().jobs(4));

        assertThat(report.total()).isEqualTo(50);
        assertThat(report.migrated()).isEqualTo(49);
        assertThat(report.failures()).extracting(TenantReport.Failure::schema).containsExactly("org_t7");
        assertThat(db.value("SELECT data_type FROM information_schema.columns WHERE table_schema = 'org_t8' "
                + "AND table_name = 'notes' AND column_name = 'pinned'")).isEqualTo("boolean");
        db.execute("ALTER TABLE org_t7.notes DROP COLUMN pinned");
        assertThat(pinned.migrateTenants(TenantSelection.all()).migrated()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void aTenantMovedToTheOtherWorkerKeepsItsRowsAndIsMigratedAgain() {
        Project project = project("pinned");
        String from = project.tenantStatus(TenantSelection.named(List.of("org_acme"))).nodes().get("org_acme");
        String to = project.nodes().stream().filter(node -> !node.equals(from)).findFirst().orElseThrow();

        project.moveTenant("org_acme", to);

        assertThat(project.tenantStatus(TenantSelection.named(List.of("org_acme"))).nodes())
                .containsEntry("org_acme", to);
        assertThat(ashlar.withTenant("org_acme").read("note").list()).extracting(r -> r.getString("body"))
                .containsExactly("Acme's plan");
        Project archived = project("pinned", "archived");
        archived.generate("add_archived", Renames.none());
        assertThat(archived.migrateTenants(TenantSelection.named(List.of("org_acme"))).migrated()).isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM org_acme.notes WHERE NOT archived")).isEqualTo(1L);

        // Rolled back on the worker that holds it, its history row deleted there under the coordinator's lock check.
        TenantReport undone = archived.rollbackTenants(TenantSelection.named(List.of("org_acme")), 1);
        assertThat(undone.failures()).isEmpty();
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'org_acme' "
                + "AND table_name = 'notes' AND column_name = 'archived'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM org_acme.ashlar_schema_migrations WHERE name = 'add_archived'"))
                .isEqualTo(0L);
        assertThat(archived.migrateTenants(TenantSelection.named(List.of("org_acme"))).migrated()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void movingRefusesANodeThatIsNotAWorker() {
        assertThatThrownBy(() -> project("pinned").moveTenant("org_globex", "127.0.0.1:1"))
                .isInstanceOf(AshlarException.class).hasMessageContaining("no such worker");
    }

    @Test
    @Order(6)
    void theMigratorsRefuseAWorker() {
        String worker = project().nodes().get(0);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://" + worker + "/" + db.name());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        try (HikariDataSource onWorker = new HikariDataSource(config)) {
            Project project = Project.open(folder).domain(domain(), PLUGINS).dataSource(onWorker).progress(l -> { });
            assertThatThrownBy(project::migrate).isInstanceOf(AshlarException.class)
                    .hasMessageContaining("Citus worker").hasMessageContaining("coordinator");
            assertThatThrownBy(() -> project.migrateTenants(TenantSelection.named(List.of("org_acme"))))
                    .hasMessageContaining("Citus worker");
        }
    }

    @Test
    @Order(7)
    void theCommandLineShowsEachTenantsNodeAndMovesOne() {
        CliRun status = CliRun.of(folder, db, "status", "--tenants", "--tenant", "org_globex");
        boolean pending = !project().tenantStatus(TenantSelection.named(List.of("org_globex"))).pending().isEmpty();
        assertThat(status.code()).as("status exits 3 while the tenant has pending migrations, else 0; "
                + status.err()).isEqualTo(pending ? 3 : 0);
        String node = project().tenantStatus(TenantSelection.named(List.of("org_globex"))).nodes().get("org_globex");
        assertThat(status.out()).contains("org_globex  " + node);
        String other = project().nodes().stream().filter(n -> !n.equals(node)).findFirst().orElseThrow();

        CliRun move = CliRun.of(folder, db, "move-tenant", "org_globex", "--to", other);

        assertThat(move.code()).as(move.err()).isZero();
        assertThat(move.out()).contains("moved org_globex to " + other);
        assertThat(project().tenantStatus(TenantSelection.named(List.of("org_globex"))).nodes())
                .containsEntry("org_globex", other);
    }
}
