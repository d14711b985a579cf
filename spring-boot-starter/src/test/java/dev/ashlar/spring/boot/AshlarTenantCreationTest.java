package dev.ashlar.spring.boot;

import dev.ashlar.api.data.Row;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tenant created through the auto-configured Ashlar, in a running application: its schema gets the tenant
 * migrations of {@code ashlar.migrate.location}, as the tenants that start-up migrates do.
 */
@ExtendWith(PostgresExtension.class)
class AshlarTenantCreationTest {
    TestDatabase db;

    @BeforeEach
    void empty(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS tenant_acme CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private ConfigurableApplicationContext start(String location) {
        return NotesApplication.start(db, AshlarTenantsTest.Tenanted.class, "ashlar.migrate.location=" + location);
    }

    @Test
    void aTenantCreatedThroughTheDataLayerGetsTheTenantTablesOfTheMigrationsLocation() {
        try (ConfigurableApplicationContext app = start("classpath:db/tenanted")) {
            Ashlar ashlar = app.getBean(Ashlar.class);

            ashlar.create("tenant", Map.of("id", "acme"));
            Row post = ashlar.withTenant("tenant_acme").create("post", Map.of("title", "Hello"));

            assertThat(post.get("title")).isEqualTo("Hello");
        }
        assertThat(db.value("SELECT title FROM tenant_acme.posts")).isEqualTo("Hello");
        assertThat(db.value("SELECT count(*) FROM tenant_acme.ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aTenantCreatedAtRunTimeKeepsItsHistoryInTheTableTheHistoryTablePropertyNames() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, AshlarTenantsTest.Tenanted.class,
                "ashlar.migrate.location=classpath:db/tenanted", "ashlar.migrate.history-table=Notes_History")) {
            app.getBean(Ashlar.class).create("tenant", Map.of("id", "acme"));
        }
        assertThat(db.value("SELECT count(*) FROM tenant_acme.\"Notes_History\"")).isEqualTo(1L);
        assertThat(db.value("SELECT to_regclass('tenant_acme.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void thePlaceholdersOfThePropertiesReachStartUpsMigrationsAndATenantCreatedAtRunTime() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, AshlarTenantsTest.Tenanted.class,
                "ashlar.migrate.location=classpath:db/placeheld", "ashlar.migrate.placeholders.greeting=hi")) {
            app.getBean(Ashlar.class).create("tenant", Map.of("id", "acme"));
        }
        assertThat(db.value("SELECT obj_description('public.tenants'::regclass)")).isEqualTo("hi");
        assertThat(db.value("SELECT obj_description('tenant_acme.posts'::regclass)")).isEqualTo("hi tenant_acme");
    }

    @Test
    void creatingATenantFailsNamingTheFolderLookedAtWhenTheLocationHasNoTenantMigrations() {
        try (ConfigurableApplicationContext app = start("classpath:db/tenants-only")) {
            Ashlar ashlar = app.getBean(Ashlar.class);

            assertThatThrownBy(() -> ashlar.create("tenant", Map.of("id", "acme")))
                    .hasMessageContaining("Cannot create tenant schema tenant_acme")
                    .hasMessageContaining("db/tenants-only/tenant_migrations")
                    .hasMessageContaining("ashlar.migrate.location");
        }
        assertThat(db.value("SELECT to_regnamespace('tenant_acme') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM tenants")).isEqualTo(0L);
    }
}
