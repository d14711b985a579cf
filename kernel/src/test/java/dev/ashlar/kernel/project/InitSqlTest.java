package dev.ashlar.kernel.project;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The init SQL (Flyway's initSql) runs on every migration connection, and the pool gets its connections back as lent. */
@ExtendWith(PostgresExtension.class)
class InitSqlTest {
    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS init_acme CASCADE; "
                + "CREATE SCHEMA init_acme");
        Files.createDirectories(dir.resolve("migrations"));
        Files.createDirectories(dir.resolve("tenant_migrations"));
        Files.writeString(dir.resolve("migrations/20260101000000_create_settings.sql"),
                "-- migrate:up\nCREATE TABLE settings (key text);\n-- migrate:down\nDROP TABLE settings;\n");
        Files.writeString(dir.resolve("tenant_migrations/20260101000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (body text);\n-- migrate:down\nDROP TABLE notes;\n");
    }

    private HikariDataSource pool() {
        return pool(db);
    }

    /** A pool of two connections on the test database: a migration takes two at once. */
    static HikariDataSource pool(TestDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    private String owner(String schema, String table) {
        return (String) db.value("SELECT tableowner FROM pg_tables WHERE schemaname = ? AND tablename = ?", schema,
                table);
    }

    @Test
    void theOwningRoleSetByTheInitSqlOwnsWhatTheMainAndTenantFilesMakeAndTheirHistories() throws SQLException {
        try (TestDatabase.Role owner = db.loginRole("init_owner"); HikariDataSource pool = pool()) {
            db.execute("GRANT CREATE, USAGE ON SCHEMA init_acme TO init_owner");
            Project project = Project.open(dir).dataSource(pool).progress(line -> { })
                    .initSql("SET ROLE " + owner.name() + ";\nSET lock_timeout = '7s';");

            project.migrate();
            project.migrateTenants(TenantSelection.named(List.of("init_acme")));

            assertThat(owner("public", "settings")).isEqualTo("init_owner");
            assertThat(owner("public", "ashlar_schema_migrations")).isEqualTo("init_owner");
            assertThat(owner("init_acme", "notes")).isEqualTo("init_owner");
            assertThat(owner("init_acme", "ashlar_schema_migrations")).isEqualTo("init_owner");
            try (Connection lent = pool.getConnection(); Statement statement = lent.createStatement();
                 ResultSet row = statement.executeQuery("SELECT current_user, current_setting('lock_timeout')")) {
                row.next();
                assertThat(row.getString(1)).isEqualTo(db.user());
                assertThat(row.getString(2)).isEqualTo("0");
            }
            db.execute("DROP SCHEMA init_acme CASCADE");
        }
    }

    @Test
    void aFailingInitSqlIsNamedWithItsStatementAndNothingIsMigrated() {
        Project project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { })
                .initSql("SET search_path = public; SET ROLE no_such_owner");

        assertThatThrownBy(project::migrate).isInstanceOf(AshlarException.class)
                .hasMessageContaining("The init SQL failed at its statement 2, SET ROLE no_such_owner")
                .hasMessageContaining("role \"no_such_owner\" does not exist")
                .hasMessageContaining("--init-sql");
        assertThat(db.value("SELECT to_regclass('public.settings') IS NULL")).isEqualTo(true);
    }

    @Test
    void anInitSqlThatWouldOpenOrEndATransactionIsRefusedBeforeConnecting() {
        assertThatThrownBy(() -> Project.open(dir).initSql("SET ROLE app_owner; COMMIT"))
                .isInstanceOf(AshlarException.class).hasMessageContaining("The init SQL holds COMMIT")
                .hasMessageContaining("session settings only");
    }
}
