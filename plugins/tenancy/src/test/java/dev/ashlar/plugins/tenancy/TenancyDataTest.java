package dev.ashlar.plugins.tenancy;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guide's multitenancy example end to end, through the data layer. */
@ExtendWith(PostgresExtension.class)
class TenancyDataTest {
    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .with(ManageTenant.template("tenant_", "id").update(true).dropSchemaOnDestroy(true))
            .build();
    /** Tenants by number: an organization's key as the tenant column. */
    static final Resource TICKET = Resource.builder("ticket").table("tickets").integerPrimaryKey("id")
            .attribute("org_id", BIGINT, a -> a.notNull()).attribute("subject", TEXT)
            .with(Multitenancy.attribute("org_id")).build();
    static final Domain DOMAIN = Domain.builder("app").resources(TENANT, TenancyPluginTest.USER,
            TenancyPluginTest.POST, TenancyPluginTest.INVOICE, TICKET).build();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;

    @BeforeEach
    void migrated(TestDatabase db) {
        this.db = db;
        ashlar = migrated(db, project, DOMAIN, "tenant_");
    }

    /**
     * A clean database holding the domain's main migrations, generated into the project, and an Ashlar on it
     * with the tenancy plugin; the schemas named with the prefix are dropped first.
     */
    static Ashlar migrated(TestDatabase db, Path project, Domain domain, String schemaPrefix) {
        db.execute("DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE '"
                + schemaPrefix + "%' LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END $$; "
                + "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        new Codegen(project, domain, Plugins.none().with(new TenancyPlugin()), Renames.none(), Clock.systemUTC())
                .generate("create_app");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        return Ashlar.builder().dataSource(db.dataSource()).domain(domain).install(new TenancyPlugin())
                .tenantMigrations(Codegen.migrations(project, Scope.TENANT)).build();
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    @Test
    void creatingATenantCreatesItsSchemaWithEveryTenantTable() {
        ashlar.create("tenant", Map.of("id", "acme"));

        assertThat(db.value("SELECT to_regclass('tenant_acme.posts') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM tenant_acme.ashlar_schema_migrations")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name = 'tenant_acme'"))
                .isEqualTo(1L);
    }

    @Test
    void aTenantWhoseSchemaCannotBeBuiltIsNotCreatedAtAll() throws IOException {
        Files.writeString(Codegen.migrations(project, Scope.TENANT).resolve("29990101000000_broken.sql"),
                "-- migrate:up\nALTER TABLE posts ADD COLUMN oops no_such_type;\n-- migrate:down\nSELECT 1;\n");

        assertThatThrownBy(() -> ashlar.create("tenant", Map.of("id", "broken")))
                .isInstanceOf(AshlarException.class).hasMessageContaining("no_such_type");

        assertThat(db.value("SELECT count(*) FROM tenants")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_broken'")).isEqualTo(0L);
    }

    @Test
    void eachTenantReadsAndWritesOnlyItsOwnSchema() {
        ashlar.create("tenant", Map.of("id", "acme"));
        ashlar.create("tenant", Map.of("id", "globex"));
        Row user = ashlar.create("user", Map.of("email", "ada@example.com"));
        Ashlar acme = ashlar.withTenant("tenant_acme");
        Ashlar globex = ashlar.withTenant("tenant_globex");

        acme.create("post", Map.of("title", "Acme news", "author_id", user.getInteger("id")));
        globex.create("post", Map.of("title", "Globex news"));
        Row secret = acme.create("post", Map.of("title", "Acme secret"));

        assertThat(acme.read("post").list()).extracting(r -> r.getString("title"))
                .containsExactly("Acme news", "Acme secret");
        assertThat(globex.read("post").list()).extracting(r -> r.getString("title")).containsExactly("Globex news");
        assertThat(db.value("SELECT count(*) FROM tenant_acme.posts")).isEqualTo(2L);
        assertThatThrownBy(() -> globex.update(secret, Map.of("title", "Stolen")))
                .hasMessage("This post record belongs to tenant 'tenant_acme', not 'tenant_globex': update it through "
                        + "ashlar.withTenant(\"tenant_acme\")");
        assertThatThrownBy(() -> globex.update(Row.of("post", Map.of("id", secret.get("id"))), Map.of("title", "Stolen")))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(ashlar.update(secret, Map.of("title", "Acme secret, edited")).getString("title"))
                .as("a row remembers its tenant").isEqualTo("Acme secret, edited");
        Row userAsAcme = acme.read("user").first().orElseThrow();
        assertThat(userAsAcme.tenant()).as("a main-schema resource's rows belong to no tenant").isEmpty();
        assertThat(globex.update(userAsAcme, Map.of("email", "ada@example.org")).getString("email"))
                .isEqualTo("ada@example.org");
        assertThatThrownBy(() -> ashlar.read("post").list())
                .hasMessageContaining("Resource 'post' is multitenant: every read must name a tenant");
    }

    /**
     * A schema-per-tenant handle takes the schema's name (an example without the template's prefix would send the
     * reader to a schema that does not exist); a tenant column's handle takes the column's value.
     */
    @Test
    void aReadWithoutATenantShowsTheTenantNameTheResourceTakes() {
        assertThatThrownBy(() -> ashlar.read("post").list())
                .hasMessage("Resource 'post' is multitenant: every read must name a tenant by its schema's name, e.g. "
                        + "ashlar.withTenant(\"tenant_acme\")");
        assertThatThrownBy(() -> ashlar.read("ticket").list())
                .hasMessage("Resource 'ticket' is multitenant: every read must name a tenant, e.g. "
                        + "ashlar.withTenant(\"acme\"), or allow tenant-less access by making its tenancy global");
    }

    @Test
    void renamingATenantRenamesItsSchemaAndDestroyingItDropsTheSchema() {
        Row tenant = ashlar.create("tenant", Map.of("id", "acme"));
        ashlar.withTenant("tenant_acme").create("post", Map.of("title", "Kept"));

        Row renamed = ashlar.update(tenant, Map.of("id", "acme2"));
        assertThat(db.value("SELECT title FROM tenant_acme2.posts")).isEqualTo("Kept");

        ashlar.destroy(renamed);
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tenant_acme%'")).isEqualTo(0L);
    }

    @Test
    void aTenantColumnIsSetOnCreateAndEveryReadUpdateAndDestroyIsFilteredByIt() {
        Ashlar acme = ashlar.withTenant("acme");
        Ashlar globex = ashlar.withTenant("globex");
        Row invoice = acme.create("invoice", Map.of("number", "1"));
        globex.create("invoice", Map.of("number", "1"));

        assertThat(invoice.getString("org_id")).isEqualTo("acme");
        assertThat(acme.read("invoice").count()).isEqualTo(1);
        assertThatThrownBy(() -> globex.destroy(invoice)).hasMessageContaining("belongs to tenant 'acme', not 'globex'");
        assertThatThrownBy(() -> globex.destroy(Row.of("invoice", Map.of("id", invoice.get("id")))))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> acme.create("invoice", Map.of("number", "2", "org_id", "globex")))
                .hasMessageContaining("org_id is acme for this tenant and cannot be set to globex");
        assertThat(db.value("SELECT count(*) FROM invoices")).isEqualTo(2L);
    }

    @Test
    void aTenantResourceThatDoesNotCreateSchemasOnlyNamesOneMadeAnotherWay() {
        Resource named = Resource.builder("tenant").table("tenants").attribute("id", TEXT, a -> a.primaryKey())
                .with(ManageTenant.template("tenant_", "id").create(false)).build();
        try (Ashlar registry = Ashlar.builder().dataSource(db.dataSource()).domain(Domain.builder("app")
                .resources(named, TenancyPluginTest.USER, TenancyPluginTest.POST).build()).install(new TenancyPlugin())
                .tenantMigrations(Codegen.migrations(project, Scope.TENANT)).build()) {
            registry.create("tenant", Map.of("id", "outside"));
        }

        assertThat(db.value("SELECT count(*) FROM tenants WHERE id = 'outside'")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_outside'")).isEqualTo(0L);
    }

    @Test
    void aTenantColumnOfNumbersTakesTheNumberTheTenantSpells() {
        Row ticket = ashlar.withTenant("42").create("ticket", Map.of("subject", "for 42"));
        ashlar.withTenant("7").createAll("ticket", List.of(Map.of("subject", "for 7")));

        assertThat(ticket.get("org_id")).isEqualTo(42L);
        assertThat(ashlar.withTenant("42").read("ticket").list()).extracting(r -> r.getString("subject"))
                .containsExactly("for 42");
        assertThat(ashlar.withTenant("7").read("ticket").where(eq("subject", "for 42")).count()).isZero();
        assertThat(db.value("SELECT count(*) FROM tickets WHERE org_id = 42")).isEqualTo(1L);
        assertThatThrownBy(() -> ashlar.withTenant("acme").read("ticket").list())
                .hasMessageContaining("Tenant 'acme' is not a number, but the tenant column org_id of ticket");
    }

    @Test
    void identitiesAndUpsertsArePerTenant() {
        Ashlar acme = ashlar.withTenant("acme");
        acme.create("invoice", Map.of("number", "7"));

        ashlar.withTenant("globex").upsert("invoice", List.of(Map.of("number", "7")), Upsert.on("unique_number").doNothing());
        acme.upsert("invoice", List.of(Map.of("number", "7")), Upsert.on("unique_number").doNothing());

        assertThat(db.value("SELECT count(*) FROM invoices WHERE number = '7'")).isEqualTo(2L);
        assertThatThrownBy(() -> acme.create("invoice", Map.of("number", "7")))
                .hasMessageContaining("number has already been taken");
        assertThat(acme.read("invoice").where(eq("number", "7")).count()).isEqualTo(1);
    }

    @Test
    void aTakenKeyWrittenByHandOnATenantAttributesTableNamesTheCallersFieldsNotTheTenantColumn() {
        db.execute("CREATE UNIQUE INDEX tickets_org_subject ON tickets (org_id, subject)");
        Ashlar tenant = ashlar.withTenant("42");
        tenant.create("ticket", Map.of("subject", "printer"));

        assertThatThrownBy(() -> tenant.create("ticket", Map.of("subject", "printer")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.field()).isEqualTo("subject");
                            assertThat(error.message()).isEqualTo("has already been taken");
                        }))
                .hasMessageNotContaining("org_id");
        assertThat(ashlar.withTenant("7").create("ticket", Map.of("subject", "printer")).get("org_id")).isEqualTo(7L);
        assertThat(db.value("SELECT count(*) FROM tickets WHERE subject = 'printer'")).isEqualTo(2L);
    }

    @Test
    void rowLevelSecurityThroughTheDataLayerShowsAnOrdinaryRoleOnlyItsTenantsRows() {
        ashlar.withTenant("acme").create("invoice", Map.of("number", "1"));
        ashlar.withTenant("globex").create("invoice", Map.of("number", "2"));
        // Roles belong to the whole server, and another test class may have made this one already.
        db.execute("DO $$ BEGIN CREATE ROLE ashlar_app; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
                + "ALTER ROLE ashlar_app LOGIN; GRANT USAGE ON SCHEMA public TO ashlar_app; GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO ashlar_app; "
                + "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ashlar_app");
        Resource globalInvoice = Resource.builder("invoice").table("invoices").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("number", TEXT)
                .with(Multitenancy.attribute("org_id").global(true).rowLevelSecurity(true)).build();
        var config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(db.jdbcUrl().replaceAll("([?&])user=[^&]*", "$1user=ashlar_app"));
        config.setUsername("ashlar_app");
        config.setMaximumPoolSize(2);
        try (var pool = new com.zaxxer.hikari.HikariDataSource(config);
             Ashlar app = Ashlar.builder().dataSource(pool).domain(Domain.builder("billing").resource(globalInvoice).build())
                     .install(new TenancyPlugin()).build()) {
            assertThat(app.withTenant("acme").read("invoice").list()).extracting(r -> r.getString("number"))
                    .containsExactly("1");
            assertThat(app.read("invoice").count()).as("a global read sets no tenant, so the policy shows no row")
                    .isZero();
        }
    }
}
