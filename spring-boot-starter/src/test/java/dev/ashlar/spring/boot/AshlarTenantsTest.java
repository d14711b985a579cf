package dev.ashlar.spring.boot;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.plugins.tenancy.ManageTenant;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class AshlarTenantsTest {
    @BeforeEach
    void noTenants(TestDatabase db) {
        db.execute("DROP SCHEMA IF EXISTS tenant_a CASCADE; DROP SCHEMA IF EXISTS tenant_b CASCADE; "
                + "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    @Test
    void startUpMigratesEveryTenantSchemaWhenAskedAndReportsItsProgress(TestDatabase db) {
        String[] location = {"ashlar.migrate.location=classpath:db/tenanted"};
        NotesApplication.start(db, Tenanted.class, location).close();
        db.execute("INSERT INTO tenants VALUES ('a'), ('b'); CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b");

        try (ConfigurableApplicationContext app = NotesApplication.start(db, Tenanted.class, location[0],
                "ashlar.migrate.enabled=false")) {
            AshlarEndpoint.Tenants tenants = app.getBean(AshlarEndpoint.class).migrations().tenants();
            assertThat(tenants.total()).isEqualTo(2);
            assertThat(tenants.behind()).containsExactlyInAnyOrder("tenant_a", "tenant_b");
        }
        try (ConfigurableApplicationContext app = NotesApplication.start(db, Tenanted.class, location[0],
                "ashlar.migrate.tenants=true", "ashlar.migrate.tenant-jobs=2")) {
            assertThat(db.value("SELECT count(*) FROM pg_tables WHERE tablename = 'posts'")).isEqualTo(2L);
            assertThat(app.getBean(MeterRegistry.class).get("ashlar.tenants.migration").tag("state", "done")
                    .gauge().value()).isEqualTo(2.0);
            assertThat(app.getBean(AshlarEndpoint.class).migrations().tenants().pending()).isZero();
        }
    }

    @Test
    void validateOnlyWithTenantsStopsStartUpNamingATenantSchemaBehindAndAppliesNothingToIt(TestDatabase db) {
        String location = "ashlar.migrate.location=classpath:db/tenanted";
        NotesApplication.start(db, Tenanted.class, location).close();
        db.execute("INSERT INTO tenants VALUES ('a'); CREATE SCHEMA tenant_a");

        assertThatThrownBy(() -> NotesApplication.start(db, Tenanted.class, location, "ashlar.migrate.tenants=true",
                "ashlar.migrate.validate-only=true").close())
                .hasStackTraceContaining("ashlar.migrate.validate-only=true, and 1 tenant schema(s) have pending "
                        + "migrations, first tenant_a");
        assertThat(db.value("SELECT to_regclass('tenant_a.posts') IS NULL")).isEqualTo(true);

        NotesApplication.start(db, Tenanted.class, location, "ashlar.migrate.tenants=true").close();
        NotesApplication.start(db, Tenanted.class, location, "ashlar.migrate.tenants=true",
                "ashlar.migrate.validate-only=true").close();
        assertThat(db.value("SELECT to_regclass('tenant_a.posts') IS NOT NULL")).isEqualTo(true);
    }

    /** Tenants in schemas of their own, listed by the tenants table. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Tenanted {
        @Bean
        Domain tenantedDomain() {
            Resource tenant = Resource.builder("tenant").table("tenants").attribute("id", TEXT, a -> a.primaryKey())
                    .with(ManageTenant.template("tenant_", "id")).build();
            Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", TEXT)
                    .with(Multitenancy.context()).build();
            return Domain.builder("tenanted").resources(tenant, post).build();
        }

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
