package dev.ashlar.plugins.tenancy;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.tenant.TenantMigrator;
import dev.ashlar.kernel.tenant.TenantList;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.Tenancy;
import dev.ashlar.spi.plugin.TenantScope;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class TenancyPluginTest {
    /** The guide's example: a tenant resource that manages schemas, and a post that lives in them. */
    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .with(ManageTenant.template("tenant_", "id"))
            .build();
    static final Resource USER = Resource.builder("user").table("users").integerPrimaryKey("id")
            .attribute("email", TEXT).build();
    static final Resource POST = Resource.builder("post").table("posts").integerPrimaryKey("id")
            .attribute("title", TEXT)
            .belongsTo("author", "user")
            .with(Multitenancy.context())
            .build();
    static final Resource INVOICE = Resource.builder("invoice").table("invoices").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull())
            .attribute("number", TEXT)
            .identity("unique_number", "number")
            .identity("unique_everywhere", List.of("id"), null, true)
            .calculate("lower_number", String.class, "lower(number)")
            .identity("unique_lower_number", "lower_number")
            .with(Multitenancy.attribute("org_id").rowLevelSecurity(true))
            .build();
    static final Domain DOMAIN = Domain.builder("app").resources(TENANT, USER, POST, INVOICE).build();

    private final TenancyPlugin plugin = new TenancyPlugin();

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS tenant_acme CASCADE; DROP SCHEMA IF EXISTS tenant_globex CASCADE; "
                + "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private Codegen.Result generate() {
        return new Codegen(project, DOMAIN, Plugins.none().with(plugin), Renames.none(), Clock.systemUTC())
                .generate("create_app");
    }

    private TenantScope scope(Resource resource, String tenant) {
        return plugin.scope(resource, plugin.tenancy(DOMAIN, resource).orElseThrow(), tenant);
    }

    @Test
    void isFoundThroughServiceLoader() {
        assertThat(ServiceLoader.load(AshlarPlugin.class).stream().map(p -> p.get().id())).contains("tenancy");
    }

    @Test
    void contextResourcesLiveOnlyInTenantSchemasMigratedFromTenantMigrations() {
        Codegen.Result result = generate();
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        db.execute("INSERT INTO tenants VALUES ('acme'), ('globex'); CREATE SCHEMA tenant_acme; CREATE SCHEMA tenant_globex");

        List<String> tenants = new TenantList(plugin.tenantSchemasQuery(DOMAIN).orElseThrow()).list(db.dataSource());
        var report = new TenantMigrator(db.dataSource(), Codegen.migrations(project, Scope.TENANT))
                .migrate(tenants.iterator(), tenants.size());

        assertThat(tenants).containsExactly("tenant_acme", "tenant_globex");
        assertThat(report.migrated()).isEqualTo(2);
        assertThat(result.files()).extracting(f -> project.relativize(f).toString().replaceAll("\\d{14}", "V"))
                .containsExactly("migrations/V_create_app.sql", "tenant_migrations/V_create_app.sql");
        assertThat(db.query("SELECT table_schema FROM information_schema.tables WHERE table_name = 'posts' ORDER BY 1"))
                .extracting(row -> row.get("table_schema")).containsExactly("tenant_acme", "tenant_globex");
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conname = 'posts_pkey'")).isEqualTo(2L);
    }

    @Test
    void aContextQueryRunsInTheTenantsSchema() {
        assertThat(scope(POST, "tenant_acme").schema()).isEqualTo("tenant_acme");
    }

    @Test
    void aContextResourceLivesInTenantSchemasAndAllowsNoTenantlessAccess() {
        assertThat(plugin.tenancy(DOMAIN, POST)).contains(Tenancy.schemaPerTenant());
        assertThat(plugin.tenancy(DOMAIN, POST).orElseThrow().global()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tenant\"; DROP SCHEMA public CASCADE; --", "a;b", "pg_catalog", "public",
            "information_schema", "", "x y", "a.b", "tenant_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void refusesHostileTenantValuesBeforeTheyReachAnIdentifier(String hostile) {
        assertThatThrownBy(() -> scope(POST, hostile))
                .isInstanceOf(AshlarException.class)
                .hasMessageStartingWith("Tenant '" + hostile + "' for resource 'post' ");
    }

    @Test
    void anAttributeQueryIsFilteredByTheTenantColumn() {
        TenantScope scope = scope(INVOICE, "acme");

        assertThat(scope.fixed()).isEqualTo(Map.of("org_id", "acme"));
        assertThat(scope.schema()).isNull();
    }

    @Test
    void anAttributeResourceAllowsTenantlessAccessOnlyWhenGlobal() {
        assertThat(plugin.tenancy(DOMAIN, INVOICE)).contains(Tenancy.column("org_id", false));
        Resource global = Resource.builder("invoice").table("invoices").integerPrimaryKey("id").attribute("org_id", TEXT)
                .with(Multitenancy.attribute("org_id").global(true)).build();

        assertThat(plugin.tenancy(DOMAIN, global)).contains(Tenancy.column("org_id", true));
    }

    @Test
    void identitiesAreUniquePerTenantUnlessTheySpanAllTenants() {
        generate();
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();

        assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'invoices_unique_number_index'"))
                .isEqualTo("CREATE UNIQUE INDEX invoices_unique_number_index ON public.invoices USING btree (org_id, number)");
        assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'invoices_unique_everywhere_index'"))
                .isEqualTo("CREATE UNIQUE INDEX invoices_unique_everywhere_index ON public.invoices USING btree (id)");
        assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'invoices_unique_lower_number_index'"))
                .isEqualTo("CREATE UNIQUE INDEX invoices_unique_lower_number_index ON public.invoices USING btree "
                        + "(org_id, lower(number))");
    }

    @Test
    void refusesAMainTableThatReferencesATenantTable() {
        Resource audit = Resource.builder("audit").integerPrimaryKey("id").belongsTo("post", "post").build();
        Domain domain = Domain.builder("app").resources(USER, POST, audit).build();

        assertThatThrownBy(() -> Plugins.none().with(plugin).check(domain))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'audit', 'post': points from the main schema at 'post', whose table "
                        + "exists only in tenant schemas");
    }

    @Test
    void rowLevelSecurityKeepsRawSqlOfANonOwnerRoleInsideItsTenant() {
        generate();
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        db.execute("INSERT INTO invoices (org_id, number) VALUES ('acme', '1'), ('acme', '2'), ('globex', '1')");
        db.execute("DO $$ BEGIN CREATE ROLE ashlar_app; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
                + "GRANT USAGE ON SCHEMA public TO ashlar_app; GRANT SELECT, INSERT ON invoices TO ashlar_app");

        String asApp = "BEGIN; SET LOCAL ROLE ashlar_app; SELECT set_config('ashlar.tenant', 'acme', true); ";
        assertThat(rowsVisible("acme")).isEqualTo(2L);
        assertThat(rowsVisible("globex")).isEqualTo(1L);
        assertThat(rowsVisible(null)).isZero();
        assertThatThrownBy(() -> db.execute(asApp + "INSERT INTO invoices (org_id, number) VALUES ('globex', '9'); COMMIT"))
                .hasMessageContaining("new row violates row-level security policy");
    }

    /** Counts the invoices a non-owner role sees in a transaction whose tenant setting is {@code tenant}. */
    private long rowsVisible(String tenant) {
        return (Long) HistoryTenancyTest.asRole(db, "ashlar_app", tenant, "SELECT count(*) FROM invoices").get(0);
    }
}
