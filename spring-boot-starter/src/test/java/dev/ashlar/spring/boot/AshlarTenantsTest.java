package dev.ashlar.spring.boot;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.migrate.BaseJavaMigration;
import dev.ashlar.kernel.migrate.JavaMigration;
import dev.ashlar.spi.schema.Scope;
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

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class AshlarTenantsTest {
    @BeforeEach
    void noTenants(TestDatabase db) {
        db.execute("DROP SCHEMA IF EXISTS tenant_a CASCADE; DROP SCHEMA IF EXISTS tenant_b CASCADE; "
                + "DROP SCHEMA IF EXISTS tenant_c CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public");
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

    @Test
    void outOfOrderFalseWithTenantsStopsStartUpOnATenantSchemaThatAppliedANewerVersionAndAppliesNothingToIt(
            TestDatabase db) {
        String location = "ashlar.migrate.location=classpath:db/tenanted";
        NotesApplication.start(db, Tenanted.class, location).close();
        db.execute("INSERT INTO tenants VALUES ('a'); CREATE SCHEMA tenant_a");
        NotesApplication.start(db, Tenanted.class, location, "ashlar.migrate.tenants=true").close();
        // A newer version applied there first (another branch's file), and the posts file not yet.
        db.execute("DROP TABLE tenant_a.posts; UPDATE tenant_a.ashlar_schema_migrations SET version = '20261201100200'; "
                + "DELETE FROM ashlar_tenant_migrations");

        assertThatThrownBy(() -> NotesApplication.start(db, Tenanted.class, location, "ashlar.migrate.tenants=true",
                "ashlar.migrate.out-of-order=false").close())
                .hasStackTraceContaining("Migration 20261201100100_create_posts.sql of ")
                .hasStackTraceContaining("older than 20261201100200, the newest version applied to tenant_a");
        assertThat(db.value("SELECT to_regclass('tenant_a.posts') IS NULL")).isEqualTo(true);

        NotesApplication.start(db, Tenanted.class, location, "ashlar.migrate.tenants=true").close();
        assertThat(db.value("SELECT to_regclass('tenant_a.posts') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void aTenantJavaMigrationBeanRunsInEveryTenantSchemaAtStartUpAndInATenantCreatedLater(TestDatabase db) {
        String location = "ashlar.migrate.location=classpath:db/tenanted";
        NotesApplication.start(db, Tenanted.class, location).close();
        db.execute("INSERT INTO tenants VALUES ('a'), ('b'); CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b");

        try (ConfigurableApplicationContext app = NotesApplication.start(db, TenantedWithJavaMigration.class, location,
                "ashlar.migrate.tenants=true")) {
            app.getBean(Ashlar.class).create("tenant", Map.of("id", "c"));
        }

        for (String schema : List.of("tenant_a", "tenant_b", "tenant_c")) {
            assertThat(db.value("SELECT string_agg(title, ',') FROM " + schema + ".posts"))
                    .isEqualTo("welcome to " + schema);
            assertThat(db.value("SELECT checksum_algorithm FROM " + schema + ".ashlar_schema_migrations WHERE "
                    + "version = '20261201100200'")).isEqualTo("java");
        }
        assertThat(db.value("SELECT count(*) FROM public.ashlar_schema_migrations WHERE version = '20261201100200'"))
                .isEqualTo(0L);
    }

    /** A Java migration of the tenant schemas, as a bean: each tenant's first post, by the unqualified table name. */
    static class V20261201100200__welcome_post extends BaseJavaMigration {
        @Override
        public Scope scope() {
            return Scope.TENANT;
        }

        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO posts (title) VALUES ('welcome to ' || current_schema())");
            }
        }
    }

    /** The tenanted application with a tenant Java migration bean. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TenantedWithJavaMigration extends Tenanted {
        @Bean
        JavaMigration welcomePost() {
            return new V20261201100200__welcome_post();
        }
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
