package dev.ashlar.plugins.tenancy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.migrate.BaseJavaMigration;
import dev.ashlar.kernel.migrate.JavaMigration;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A tenant created through the data layer gets the tenant schemas' Java migrations, in its creating transaction. */
@ExtendWith(PostgresExtension.class)
class TenantJavaMigrationCreationTest {
    @TempDir
    Path project;
    TestDatabase db;

    /** Writes the new tenant's first post, by the unqualified table name, naming the schema it landed in. */
    static class V29990101000000__welcome_post extends BaseJavaMigration {
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

    /** Writes a post, then fails. */
    static class V29990101000000__broken_welcome extends V29990101000000__welcome_post {
        @Override
        public void up(Connection connection) throws SQLException {
            super.up(connection);
            throw new SQLException("the welcome text is missing", "22023");
        }
    }

    /** Sets the session's timeouts and search path with plain {@code SET}s, which outlive the creation's commit. */
    static class V29990101000000__session_sets extends V29990101000000__welcome_post {
        @Override
        public void up(Connection connection) throws SQLException {
            super.up(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET lock_timeout = '1min'; SET statement_timeout = '2min'; SET search_path = "
                        + "pg_catalog");
            }
        }
    }

    /** A migration of the main schema, the default scope. */
    static class V29990101000000__main extends BaseJavaMigration {
        @Override
        public void up(Connection connection) {
        }
    }

    @BeforeEach
    void migrated(TestDatabase db) {
        this.db = db;
        TenancyDataTest.migrated(db, project, TenancyDataTest.DOMAIN, "tenant_").close();
    }

    private Ashlar ashlar(JavaMigration migration) {
        return Ashlar.builder().dataSource(db.dataSource()).domain(TenancyDataTest.DOMAIN)
                .install(new TenancyPlugin()).tenantMigrations(Codegen.migrations(project, Scope.TENANT))
                .tenantJavaMigrations(List.of(migration)).build();
    }

    @Test
    void creatingATenantRunsTheTenantJavaMigrationsInItsNewSchemaAndRecordsThemAsJava() {
        try (Ashlar ashlar = ashlar(new V29990101000000__welcome_post())) {
            ashlar.create("tenant", Map.of("id", "acme"));
            ashlar.create("tenant", Map.of("id", "globex"));
        }

        assertThat(db.value("SELECT string_agg(title, ',') FROM tenant_acme.posts")).isEqualTo("welcome to tenant_acme");
        assertThat(db.value("SELECT string_agg(title, ',') FROM tenant_globex.posts"))
                .isEqualTo("welcome to tenant_globex");
        assertThat(db.value("SELECT checksum_algorithm FROM tenant_acme.ashlar_schema_migrations WHERE version = "
                + "'29990101000000'")).isEqualTo("java");
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE version = '29990101000000'"))
                .isEqualTo(2L);
    }

    @Test
    void aTenantWhoseJavaMigrationFailsIsNotCreatedAtAll() {
        try (Ashlar ashlar = ashlar(new V29990101000000__broken_welcome())) {
            assertThatThrownBy(() -> ashlar.create("tenant", Map.of("id", "broken")))
                    .isInstanceOf(AshlarException.class)
                    .hasMessageContaining("broken_welcome")
                    .hasMessageContaining("on tenant_broken")
                    .hasMessageContaining("the welcome text is missing");
        }

        assertThat(db.value("SELECT count(*) FROM tenants")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_broken'")).isEqualTo(0L);
    }

    @Test
    void aTenantJavaMigrationSettingTheSessionLeavesThePooledConnectionItsOwnSettingsAfterTheCreation()
            throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(1);
        config.setConnectionInitSql("SET lock_timeout = '7s'; SET statement_timeout = '8s'; SET search_path = public");
        try (HikariDataSource pool = new HikariDataSource(config);
             Ashlar ashlar = Ashlar.builder().dataSource(pool).domain(TenancyDataTest.DOMAIN)
                     .install(new TenancyPlugin()).tenantMigrations(Codegen.migrations(project, Scope.TENANT))
                     .tenantJavaMigrations(List.of(new V29990101000000__session_sets())).build()) {
            ashlar.create("tenant", Map.of("id", "acme"));
            ashlar.transaction(tx -> tx.create("tenant", Map.of("id", "globex")));

            try (Connection connection = pool.getConnection(); Statement show = connection.createStatement();
                 java.sql.ResultSet row = show.executeQuery("SELECT concat_ws(' ', current_setting('lock_timeout'), "
                         + "current_setting('statement_timeout'), current_setting('search_path'))")) {
                row.next();
                assertThat(row.getString(1)).isEqualTo("7s 8s public");
            }
        }
        assertThat(db.value("SELECT string_agg(title, ',') FROM tenant_globex.posts"))
                .isEqualTo("welcome to tenant_globex");
    }

    @Test
    void aMainSchemaJavaMigrationIsRefusedWhenGivenForNewTenants() {
        assertThatThrownBy(() -> Ashlar.builder().tenantJavaMigrations(List.of(new V29990101000000__main())))
                .isInstanceOf(AshlarException.class)
                .hasMessageContaining("is for the main schema (scope() MAIN)");
    }
}
