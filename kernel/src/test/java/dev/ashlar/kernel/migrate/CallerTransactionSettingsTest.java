package dev.ashlar.kernel.migrate;

import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Java migration run inside a caller's transaction (a group's, a tenant's creation) that changes the session's
 * timeouts or search path with a session {@code SET} leaves the connection as it found it: the transaction's own
 * values for the rest of it, the session's own after the commit, and a rollback gives back the session as it was.
 */
@ExtendWith(PostgresExtension.class)
class CallerTransactionSettingsTest {
    private static final String OWN = "7s 8s public, pg_catalog";

    @TempDir
    Path folder;

    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS elsewhere CASCADE; DROP SCHEMA IF EXISTS tenant_new CASCADE; "
                + "DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE SCHEMA elsewhere; "
                + "CREATE TABLE public.seen (version text, settings text)");
    }

    /** A migration of the main schema's sequence or of the tenants', as the test gives it. */
    abstract static class Scoped extends BaseJavaMigration {
        private final Scope scope;

        Scoped(Scope scope) {
            this.scope = scope;
        }

        @Override
        public Scope scope() {
            return scope;
        }
    }

    /** Sets the session's timeouts and search path with plain {@code SET}s, which outlive a transaction's commit. */
    static class V20260101000000__session_sets extends Scoped {
        V20260101000000__session_sets(Scope scope) {
            super(scope);
        }

        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET lock_timeout = '1min'; SET statement_timeout = '2min'; "
                        + "SET search_path = elsewhere");
                statement.execute("CREATE TABLE public.backfilled (id int)");
            }
        }
    }

    /** Writes down the timeouts and search path it runs with. */
    static class V20260102000000__looks extends Scoped {
        V20260102000000__looks(Scope scope) {
            super(scope);
        }

        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO public.seen SELECT '20260102000000', " + SETTINGS);
            }
        }
    }

    /** Sets the session's statement timeout with a plain {@code SET} to the value the group bounds it with. */
    static class V20260103000000__session_set_to_the_bound extends Scoped {
        V20260103000000__session_set_to_the_bound(Scope scope) {
            super(scope);
        }

        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET statement_timeout = '4s'");
            }
        }
    }

    private static final String SETTINGS = "concat_ws(' ', current_setting('lock_timeout'), "
            + "current_setting('statement_timeout'), current_setting('search_path'))";

    @Test
    void aGroupsJavaMigrationSettingTheSessionsTimeoutsAndPathLeavesTheGroupItsBoundsAndThePoolItsOwnSettings()
            throws Exception {
        try (HikariDataSource pool = MigrationFaultsTest.applicationPool(db, "public, pg_catalog")) {
            assertThat(settings(pool)).containsOnly(OWN);

            // The group bounds its transaction with SET LOCAL; the pool's own values are session SETs.
            List<MigrationFile> applied = new Migrator(pool, folder)
                    .timeouts(Timeouts.none().withLock(Duration.ofSeconds(3)).withStatement(Duration.ofSeconds(4)))
                    .javaMigrations(List.of(new V20260101000000__session_sets(Scope.MAIN),
                            new V20260102000000__looks(Scope.MAIN)))
                    .migrate(MigrateRun.all().group(true));

            assertThat(applied).hasSize(2);
            assertThat(db.value("SELECT settings FROM public.seen")).isEqualTo("3s 4s public, pg_catalog");
            assertThat(db.value("SELECT to_regclass('public.backfilled') IS NOT NULL")).isEqualTo(true);
            assertThat(settings(pool)).containsOnly(OWN);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(3);
        }
    }

    @Test
    void aGroupsJavaMigrationSettingTheSessionsStatementTimeoutToTheGroupsOwnBoundLeavesThePoolItsOwnTimeout()
            throws Exception {
        try (HikariDataSource pool = MigrationFaultsTest.applicationPool(db, "public, pg_catalog")) {
            assertThat(settings(pool)).containsOnly(OWN);

            // The group bounds statement_timeout at 4s with SET LOCAL; the migration's session SET gives it the same
            // value, which PostgreSQL shows as unchanged. (The run's lock timeout is the session's own for the run.)
            List<MigrationFile> applied = new Migrator(pool, folder)
                    .timeouts(Timeouts.none().withLock(Duration.ofSeconds(3)).withStatement(Duration.ofSeconds(4)))
                    .javaMigrations(List.of(new V20260103000000__session_set_to_the_bound(Scope.MAIN),
                            new V20260102000000__looks(Scope.MAIN)))
                    .migrate(MigrateRun.all().group(true));

            assertThat(applied).hasSize(2);
            assertThat(db.value("SELECT settings FROM public.seen")).isEqualTo("3s 4s public, pg_catalog");
            assertThat(settings(pool)).containsOnly(OWN);
        }
    }

    @Test
    void aCallersSessionSetInItsTransactionStaysTheValueAfterTheCommitAndNotTheMigrations() throws Exception {
        try (HikariDataSource pool = MigrationFaultsTest.applicationPool(db, "public, pg_catalog"); Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            execute(connection, "SET lock_timeout = '5s'; CREATE SCHEMA tenant_new");
            new Migrator(pool, folder).forSchema("tenant_new")
                    .javaMigrations(List.of(new V20260101000000__session_sets(Scope.TENANT), new V20260102000000__looks(Scope.TENANT)))
                    .applyWithin(connection);
            assertThat(show(connection)).isEqualTo("5s 8s public, pg_catalog");
            connection.commit();
            connection.setAutoCommit(true);

            assertThat(show(connection)).isEqualTo("5s 8s public, pg_catalog");
            assertThat(db.value("SELECT settings FROM public.seen")).isEqualTo("5s 8s \"tenant_new\", pg_temp");
        }
    }

    @Test
    void aRolledBackCallersTransactionLeavesThePooledSessionAsItWas() throws Exception {
        try (HikariDataSource pool = MigrationFaultsTest.applicationPool(db, "public, pg_catalog")) {
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                execute(connection, "SET LOCAL lock_timeout = '3s'; CREATE SCHEMA tenant_new");
                new Migrator(pool, folder).forSchema("tenant_new")
                        .javaMigrations(List.of(new V20260101000000__session_sets(Scope.TENANT), new V20260102000000__looks(Scope.TENANT)))
                        .applyWithin(connection);
                assertThat(show(connection)).isEqualTo("3s 8s public, pg_catalog");
                connection.rollback();
                connection.setAutoCommit(true);
            }

            assertThat(settings(pool)).containsOnly(OWN);
            assertThat(db.value("SELECT count(*) FROM public.seen")).isEqualTo(0L);
            assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_new'")).isEqualTo(0L);
        }
    }

    @Test
    void aCallersSetLocalTimeoutsThatTheMigrationLeavesAloneEndWithTheCallersTransaction() throws Exception {
        try (HikariDataSource pool = MigrationFaultsTest.applicationPool(db, "public, pg_catalog")) {
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                execute(connection, "SET LOCAL lock_timeout = '3s'; SET LOCAL statement_timeout = '30s'; "
                        + "CREATE SCHEMA tenant_new");
                new Migrator(pool, folder).forSchema("tenant_new")
                        .javaMigrations(List.of(new V20260102000000__looks(Scope.TENANT)))
                        .applyWithin(connection);
                assertThat(show(connection)).isEqualTo("3s 30s public, pg_catalog");
                connection.commit();
                connection.setAutoCommit(true);
            }

            assertThat(settings(pool)).containsOnly(OWN);
            assertThat(db.value("SELECT settings FROM public.seen")).isEqualTo("3s 30s \"tenant_new\", pg_temp");
        }
    }

    @Test
    void aCallersTransactionWithoutSetsGetsThePoolsOwnSettingsBackAfterTheCommit() throws Exception {
        try (HikariDataSource pool = MigrationFaultsTest.applicationPool(db, "public, pg_catalog")) {
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                execute(connection, "CREATE SCHEMA tenant_new");
                new Migrator(pool, folder).forSchema("tenant_new")
                        .javaMigrations(List.of(new V20260101000000__session_sets(Scope.TENANT)))
                        .applyWithin(connection);
                assertThat(show(connection)).isEqualTo(OWN);
                connection.commit();
                connection.setAutoCommit(true);
            }

            assertThat(settings(pool)).containsOnly(OWN);
            assertThat(db.value("SELECT to_regclass('public.backfilled') IS NOT NULL")).isEqualTo(true);
        }
    }

    /** The timeouts and search path of every connection of the pool, all three borrowed at once. */
    private static List<String> settings(HikariDataSource pool) throws SQLException {
        try (Connection first = pool.getConnection(); Connection second = pool.getConnection();
             Connection third = pool.getConnection()) {
            List<String> settings = new ArrayList<>();
            for (Connection connection : List.of(first, second, third)) {
                settings.add(show(connection));
            }
            return settings;
        }
    }

    private static String show(Connection connection) throws SQLException {
        try (Statement show = connection.createStatement(); ResultSet row = show.executeQuery("SELECT " + SETTINGS)) {
            row.next();
            return row.getString(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
