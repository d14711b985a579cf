package dev.ashlar.kernel.migrate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.ReplicaPair;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** What a migrator does when the lock, a table lock or the connection fails it. */
@ExtendWith(PostgresExtension.class)
class MigrationFaultsTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private void file(String name, String up) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\nSELECT 1;\n");
    }

    /** Waits until a session other than the test's runs a query containing {@code text}; returns its pid. */
    private int awaitQuery(String text) throws InterruptedException {
        return awaitQuery(db, text);
    }

    /** Waits until a session other than the test's runs a query containing {@code text}; returns its pid. */
    static int awaitQuery(TestDatabase db, String text) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<Map<String, Object>> rows = db.query("SELECT pid FROM pg_stat_activity WHERE state = 'active' "
                    + "AND query LIKE ? AND pid <> pg_backend_pid()", "%" + text + "%");
            if (!rows.isEmpty()) {
                return (Integer) rows.get(0).get("pid");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no session ran " + text);
    }

    @Test
    void aStatementThePoolClosesItsConnectionOverStillFailsWithTheServersOwnMessage() throws IOException {
        // HikariCP closes a connection on feature-not-supported (0A000); the server's error must survive it.
        db.execute("CREATE TABLE parted (id int, region text) PARTITION BY LIST (region)");
        Files.writeString(folder.resolve("20260101000000_index.sql"), "-- migrate:up transaction:false\n"
                + "CREATE INDEX CONCURRENTLY parted_id_index ON parted (id);\n-- migrate:down\nSELECT 1;\n");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260101000000_index.sql")
                .hasMessageContaining("cannot create index on partitioned table \"parted\" concurrently");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
        assertThat(db.value("SELECT 1")).isEqualTo(1);
    }

    @Test
    void aLostLockStopsTheMigratorWhileTheOneWaitingAppliesEachFileExactlyOnce() throws Exception {
        db.execute("CREATE TABLE applied_log (name text)");
        file("20260101000000_one.sql", "INSERT INTO applied_log VALUES ('one');\nSELECT pg_sleep(1.5);");
        file("20260102000000_two.sql", "INSERT INTO applied_log VALUES ('two');");
        file("20260103000000_three.sql", "INSERT INTO applied_log VALUES ('three');");
        Migrator migrator = new Migrator(db.dataSource(), folder).lockTimeout(Duration.ofSeconds(30));

        CompletableFuture<List<MigrationFile>> first = CompletableFuture.supplyAsync(migrator::migrate);
        awaitQuery("pg_sleep(1.5)");
        CompletableFuture<List<MigrationFile>> second = CompletableFuture.supplyAsync(migrator::migrate);
        Thread.sleep(300);
        db.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted");

        Throwable lost = catchThrowable(() -> first.get(30, TimeUnit.SECONDS));
        assertThat(lost).isInstanceOf(ExecutionException.class).cause().isInstanceOf(LockLostException.class)
                .hasMessageContaining("the migration lock was lost").hasMessageContaining("20260101000000_one.sql")
                .hasMessageContaining("Nothing of this file was applied");
        assertThat(second.get(30, TimeUnit.SECONDS)).extracting(MigrationFile::name).containsExactly("one", "two", "three");
        assertThat(db.query("SELECT name, count(*) AS n FROM applied_log GROUP BY name ORDER BY name"))
                .extracting(row -> row.get("name") + "=" + row.get("n")).containsExactly("one=1", "three=1", "two=1");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(3L);
    }

    @Test
    void aMigratorWhoseSessionIsTerminatedMidFileLeavesThatFileOutAndTheNextRunCompletesIt() throws Exception {
        db.execute("CREATE TABLE applied_log (name text)");
        file("20260101000001_one.sql", "INSERT INTO applied_log VALUES ('one');");
        file("20260101000002_two.sql", "INSERT INTO applied_log VALUES ('two');\nSELECT pg_sleep(30);");
        file("20260101000003_three.sql", "INSERT INTO applied_log VALUES ('three');");
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> catchThrowable(
                () -> new Migrator(db.dataSource(), folder).migrate()));
        db.value("SELECT pg_terminate_backend(?)", awaitQuery("pg_sleep(30)"));

        assertThat(run.get()).isInstanceOf(MigrationException.class).hasMessageContaining("20260101000002_two.sql");
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations")).isEqualTo("20260101000001");
        assertThat(db.value("SELECT string_agg(name, ',') FROM applied_log")).isEqualTo("one");

        file("20260101000002_two.sql", "INSERT INTO applied_log VALUES ('two');\nSELECT pg_sleep(0);");
        assertThat(new Migrator(db.dataSource(), folder).migrate()).hasSize(2);

        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000001,20260101000002,20260101000003");
        assertThat(db.value("SELECT string_agg(name, ',' ORDER BY name) FROM applied_log")).isEqualTo("one,three,two");
    }

    @Test
    void aMigrationBehindATableLockFailsWithinTheLockTimeoutNamingTheHolderButNotItsQueryText() throws Exception {
        db.execute("CREATE TABLE posts (id int); CREATE ROLE ashlar_watched_app NOLOGIN");
        file("20260101000000_add_title.sql", "ALTER TABLE posts ADD COLUMN title text;");
        List<String> progress = new CopyOnWriteArrayList<>();
        Migrator migrator = new Migrator(db.dataSource(), folder).lockTimeout(Duration.ofSeconds(2))
                .retries(new FileRunner.Retries(0, Duration.ZERO)).progress(progress::add);

        try (Connection holder = db.dataSource().getConnection(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("SET application_name = 'nightly_report'");
            statement.execute("LOCK TABLE posts IN ACCESS EXCLUSIVE MODE");
            // The holder's last query, the one pg_stat_activity shows, holds a password.
            statement.execute("ALTER ROLE ashlar_watched_app PASSWORD 'hunter2-secret'");
            long start = System.nanoTime();

            assertThatThrownBy(migrator::migrate).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("lock timeout").hasMessageContaining("SQL state 55P03")
                    .hasMessageContaining("It waited for a lock on posts held by the session with pid ")
                    .hasMessageContaining("(application 'nightly_report', user ")
                    .hasMessageContaining(", idle in transaction, command ALTER)")
                    .hasMessageContaining("--lock-timeout")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("PASSWORD"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            holder.rollback();
        } finally {
            db.execute("DROP ROLE IF EXISTS ashlar_watched_app");
        }
        assertThat(progress).anyMatch(line -> line.startsWith("waiting for a lock: 20260101000000_add_title.sql on "
                + "public has run") && line.contains("application 'nightly_report'") && line.contains("command ALTER"));
        assertThat(progress).noneMatch(line -> line.contains("hunter2") || line.contains("PASSWORD"));
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts'")).isEqualTo(1L);
    }

    /** File one applied and file two pending, and a migrator bounded by a lock timeout of one second. */
    private Migrator oneAppliedAndTwoPending() throws IOException {
        file("20260101000000_one.sql", "CREATE TABLE one (id int);");
        new Migrator(db.dataSource(), folder).migrate();
        file("20260102000000_two.sql", "CREATE TABLE two (id int);");
        return new Migrator(db.dataSource(), folder).lockTimeout(Duration.ofSeconds(1));
    }

    @Test
    void aHistoryLockedByAnotherSessionFailsWithinTheLockTimeoutNamingTheTableAndTheHolderAndTheNextRunApplies()
            throws Exception {
        Migrator bounded = oneAppliedAndTwoPending();
        Throwable failure;
        long millis;
        try (Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE ashlar_schema_migrations IN ACCESS EXCLUSIVE MODE");
            Object pid = db.query("SELECT pid FROM pg_locks WHERE relation = 'ashlar_schema_migrations'::regclass "
                    + "AND mode = 'AccessExclusiveLock'").get(0).get("pid");
            CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> catchThrowable(bounded::migrate));
            long start = System.nanoTime();
            failure = run.get(30, TimeUnit.SECONDS);
            millis = (System.nanoTime() - start) / 1_000_000;
            holder.rollback();
            assertThat(failure).hasMessageContaining("session with pid " + pid);
        }

        assertThat(failure).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Could not read the migration history \"public\".\"ashlar_schema_migrations\" "
                        + "within the lock timeout").hasMessageContaining("--lock-timeout")
                .hasMessageContaining("nothing was applied");
        assertThat(((MigrationException) failure).sqlState()).contains("55P03");
        assertThat(millis).isLessThan(10_000);
        assertThat(db.value("SELECT to_regclass('two') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT current_setting('lock_timeout')")).isEqualTo("0");
        assertThat(db.activeConnections()).isZero();
        assertThat(bounded.migrate()).extracting(MigrationFile::name).containsExactly("two");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260102000000");
    }

    @Test
    void aHistoryWhoseIndexIsBeingReindexedInAnOpenTransactionNamesTheReindexingSessionNotOneGoneByNow()
            throws Exception {
        Migrator bounded = oneAppliedAndTwoPending();
        Throwable failure;
        Object pid;
        try (Connection holder = db.dataSource().getConnection(); Statement reindex = holder.createStatement()) {
            holder.setAutoCommit(false);
            reindex.execute("SET LOCAL application_name = 'maintenance'");
            reindex.execute("REINDEX TABLE ashlar_schema_migrations");
            // The table itself is held only in SHARE mode: the ACCESS EXCLUSIVE lock is on its primary key.
            pid = db.value("SELECT l.pid FROM pg_locks l JOIN pg_index i ON i.indexrelid = l.relation "
                    + "WHERE i.indrelid = 'ashlar_schema_migrations'::regclass AND l.mode = 'AccessExclusiveLock'");
            assertThat(db.value("SELECT count(*) FROM pg_locks WHERE relation = 'ashlar_schema_migrations'::regclass "
                    + "AND mode = 'AccessExclusiveLock'")).isEqualTo(0L);
            failure = catchThrowable(bounded::migrate);
            holder.rollback();
        }

        assertThat(failure).isInstanceOf(MigrationException.class)
                .hasMessageContaining("it was kept from being read by the session with pid " + pid
                        + " (application 'maintenance', user ")
                .hasMessageContaining("idle in transaction, command REINDEX)")
                .hasMessageNotContaining("gone by now");
        assertThat(db.value("SELECT to_regclass('two') IS NULL")).isEqualTo(true);
        assertThat(bounded.migrate()).extracting(MigrationFile::name).containsExactly("two");
    }

    @Test
    void aHistoryReadQueuedBehindAnAlterNamesTheAlteringSessionAndTheReaderItWaitsBehindNotTheReaderAsHolder()
            throws Exception {
        Migrator bounded = oneAppliedAndTwoPending();
        Throwable failure;
        int readerPid;
        int alterPid;
        try (Connection reader = db.dataSource().getConnection(); Statement read = reader.createStatement();
             Connection alterer = db.dataSource().getConnection(); Statement alter = alterer.createStatement()) {
            reader.setAutoCommit(false);
            read.execute("SET LOCAL application_name = 'reporting'");
            read.execute("SELECT count(*) FROM ashlar_schema_migrations");
            readerPid = (Integer) db.value("SELECT pid FROM pg_stat_activity WHERE application_name = 'reporting'");
            alterer.setAutoCommit(false);
            alter.execute("SET LOCAL application_name = 'schema-change'");
            CompletableFuture<Void> altering = CompletableFuture.runAsync(() -> catchThrowable(() -> alter.execute(
                    "ALTER TABLE ashlar_schema_migrations ADD COLUMN probe int")));
            alterPid = awaitQuery("ALTER TABLE ashlar_schema_migrations");
            failure = catchThrowable(bounded::migrate);
            reader.rollback();
            altering.get(30, TimeUnit.SECONDS);
            alterer.rollback();
        }

        assertThat(failure).isInstanceOf(MigrationException.class)
                .hasMessageContaining("it was kept from being read by the session with pid " + alterPid
                        + " (application 'schema-change'")
                .hasMessageContaining("active, command ALTER)")
                .hasMessageNotContaining("ADD COLUMN probe")
                .hasMessageContaining("which waits itself for that lock behind the session with pid " + readerPid
                        + " (application 'reporting', user ")
                .hasMessageContaining("idle in transaction, command SELECT)")
                .hasMessageNotContaining("read by the session with pid " + readerPid);
        assertThat(db.value("SELECT to_regclass('two') IS NULL")).isEqualTo(true);
        assertThat(db.activeConnections()).isZero();
        assertThat(bounded.migrate()).extracting(MigrationFile::name).containsExactly("two");
    }

    /**
     * A DELETE of a history row waiting on another's UPDATE holds a row (tuple) lock whose mode pg_locks shows as
     * AccessExclusiveLock: it blocks no read, and only the queued ALTER is named as what kept the history from being read.
     */
    @Test
    void aHistoryReadQueuedBehindAnAlterDoesNotNameARowDeleteWaitingOnAnUpdateAsTheBlocker() throws Exception {
        Migrator bounded = oneAppliedAndTwoPending();
        Throwable failure;
        int rowWaiterPid;
        int alterPid;
        try (Connection holder = db.dataSource().getConnection(); Statement hold = holder.createStatement();
             Connection waiter = db.dataSource().getConnection(); Statement wait = waiter.createStatement();
             Connection alterer = db.dataSource().getConnection(); Statement alter = alterer.createStatement()) {
            holder.setAutoCommit(false);
            hold.execute("UPDATE ashlar_schema_migrations SET version = version");
            waiter.setAutoCommit(false);
            CompletableFuture<Void> updating = CompletableFuture.runAsync(() -> catchThrowable(() -> wait.execute(
                    "DELETE FROM ashlar_schema_migrations /* row-waiter */")));
            rowWaiterPid = awaitQuery("/* row-waiter */");
            assertThat(db.value("SELECT count(*) FROM pg_locks WHERE pid = ? AND locktype = 'tuple' "
                    + "AND mode = 'AccessExclusiveLock' AND granted", rowWaiterPid)).isEqualTo(1L);
            alterer.setAutoCommit(false);
            CompletableFuture<Void> altering = CompletableFuture.runAsync(() -> catchThrowable(() -> alter.execute(
                    "ALTER TABLE ashlar_schema_migrations ADD COLUMN probe int")));
            alterPid = awaitQuery("ALTER TABLE ashlar_schema_migrations");
            failure = catchThrowable(bounded::migrate);
            holder.rollback();
            updating.get(30, TimeUnit.SECONDS);
            waiter.rollback();
            altering.get(30, TimeUnit.SECONDS);
            alterer.rollback();
        }

        assertThat(failure).isInstanceOf(MigrationException.class)
                .hasMessageContaining("it was kept from being read by the session with pid " + alterPid + " (")
                .hasMessageNotContaining("read by the session with pid " + rowWaiterPid + " (")
                .hasMessageNotContaining("; and the session with pid " + rowWaiterPid + " (");
        assertThat(db.activeConnections()).isZero();
        assertThat(bounded.migrate()).extracting(MigrationFile::name).containsExactly("two");
    }

    /** A tenant schema's run ({@link Migrator#migrateExpecting}) whose history is locked once its file failed. */
    @Test
    void aFileThatFailsWhileTheHistoryIsLockedReportsItsOwnErrorWithTheLockedHistorySuppressed() throws Exception {
        file("20260101000000_one.sql", "CREATE TABLE one (id int);");
        Migrator bounded = new Migrator(db.dataSource(), folder).lockTimeout(Duration.ofSeconds(1));
        bounded.migrate();
        file("20260102000000_broken.sql", "CREATE TABLE broken (id int); SELECT pg_sleep(0.5); SELECT 1 / 0;");
        Throwable failure;
        try (Connection run = db.dataSource().getConnection(); Statement set = run.createStatement();
             Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            set.execute("SET lock_timeout = '1s'");
            List<String> expected = History.lines(bounded.history().applied(run));
            CompletableFuture<Throwable> migrating = CompletableFuture.supplyAsync(() -> catchThrowable(() ->
                    bounded.migrateExpecting(run, null, MigrationDirectory.read(folder), expected)));
            awaitQuery("pg_sleep(0.5)");
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE ashlar_schema_migrations IN ACCESS EXCLUSIVE MODE");
            failure = migrating.get(30, TimeUnit.SECONDS);
            holder.rollback();
            set.execute("RESET lock_timeout");
        }

        assertThat(failure).hasMessageContaining("20260102000000_broken.sql").hasMessageContaining("division by zero");
        assertThat(failure.getSuppressed()).anySatisfy(locked -> assertThat(locked)
                .hasMessageContaining("Could not read the migration history").hasMessageContaining("lock timeout"));
        assertThat(db.value("SELECT to_regclass('broken') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000");
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void noPooledConnectionKeepsTheRunsLockTimeoutAfterARunThatAppliedFailedOrMetALockedHistory() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        try (HikariDataSource two = new HikariDataSource(config)) {
            Migrator bounded = new Migrator(two, folder).lockTimeout(Duration.ofSeconds(1));
            file("20260101000000_one.sql", "CREATE TABLE one (id int);");
            assertThat(bounded.migrate()).hasSize(1);
            assertThat(lockTimeouts(two)).containsExactly("0", "0");

            file("20260102000000_broken.sql", "CREATE TABLE broken (id int); SELECT 1 / 0;");
            assertThatThrownBy(bounded::migrate).hasMessageContaining("division by zero");
            assertThat(lockTimeouts(two)).containsExactly("0", "0");

            try (Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
                holder.setAutoCommit(false);
                lock.execute("LOCK TABLE ashlar_schema_migrations IN ACCESS EXCLUSIVE MODE");
                assertThatThrownBy(bounded::migrate).hasMessageContaining("within the lock timeout");
                holder.rollback();
            }
            assertThat(lockTimeouts(two)).containsExactly("0", "0");
            assertThat(two.getHikariPoolMXBean().getTotalConnections()).isEqualTo(2);
        }
        assertThat(db.value("SELECT to_regclass('broken') IS NULL")).isEqualTo(true);
    }

    @Test
    void filesRunOutsideATransactionGiveEveryPooledConnectionBackItsOwnSessionSettingsAfterASuccessAndAFailure()
            throws Exception {
        db.execute("CREATE TABLE posts (id int, title text); INSERT INTO posts SELECT i, 't' || i "
                + "FROM generate_series(1, 100) i");
        try (HikariDataSource pool = applicationPool("\"a,\"\"b\", public, pg_catalog")) {
            // A schema named a,"b: a value with a comma and quotes is given back exactly, not split or unquoted.
            String path = "\"a,\"\"b\", public, pg_catalog";
            List<String> own = List.of("7s 8s the-app " + path + " none", "7s 8s the-app " + path + " none",
                    "7s 8s the-app " + path + " none");
            assertThat(sessionSettings(pool)).isEqualTo(own);
            Migrator bounded = new Migrator(pool, folder)
                    .timeouts(Timeouts.none().withLock(Duration.ofSeconds(1)).withStatement(Duration.ofSeconds(5)));
            Files.writeString(folder.resolve("20260101000000_index.sql"), "-- migrate:up transaction:false\n"
                    + "CREATE INDEX CONCURRENTLY posts_title ON posts (title);\nUPDATE posts SET title = upper(title);\n"
                    + "SET search_path = pg_catalog;\n-- migrate:down\nSELECT 1;\n");
            file("20260102000000_after.sql", "CREATE TABLE after_index (id int);");
            assertThat(bounded.migrate()).hasSize(2);
            assertThat(sessionSettings(pool)).isEqualTo(own);

            Files.writeString(folder.resolve("20260103000000_broken.sql"), "-- migrate:up transaction:false\n"
                    + "UPDATE posts SET title = lower(title);\nSELECT 1 / 0;\n-- migrate:down\nSELECT 1;\n");
            assertThatThrownBy(bounded::migrate).hasMessageContaining("20260103000000_broken.sql")
                    .hasMessageContaining("division by zero");
            assertThat(sessionSettings(pool)).isEqualTo(own);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(3);
        }
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'posts_title'")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM posts WHERE title = lower(title)")).isEqualTo(100L);
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260102000000");
    }

    @Test
    void aFileOutsideATransactionWhoseSettingsCannotBeGivenBackAbortsItsConnectionSoNoPooledOneKeepsTheRunsTimeouts()
            throws Exception {
        db.execute("CREATE TABLE posts (id int, title text); INSERT INTO posts SELECT i, 't' || i "
                + "FROM generate_series(1, 10) i");
        try (HikariDataSource pool = applicationPool("public, pg_catalog")) {
            List<String> own = List.of("7s 8s the-app public, pg_catalog none", "7s 8s the-app public, pg_catalog none",
                    "7s 8s the-app public, pg_catalog none");
            assertThat(sessionSettings(pool)).isEqualTo(own);
            // A listener leaves the session in a failed transaction: the settings' restore then fails there too.
            Migrator poisoned = new Migrator(pool, folder)
                    .timeouts(Timeouts.none().withLock(Duration.ofSeconds(1)).withStatement(Duration.ofSeconds(5)))
                    .listener(new MigrationListener() {
                        @Override
                        public void afterEach(MigrationEvent event, long millis) throws java.sql.SQLException {
                            event.connection().setAutoCommit(false);
                            try (Statement statement = event.connection().createStatement()) {
                                statement.execute("SELECT 1 / 0");
                            }
                        }
                    });
            Files.writeString(folder.resolve("20260101000000_touch.sql"), "-- migrate:up transaction:false\n"
                    + "UPDATE posts SET title = upper(title);\n-- migrate:down\nSELECT 1;\n");
            assertThatThrownBy(poisoned::migrate).hasMessageContaining("A migration listener failed in afterEach of "
                    + "20260101000000_touch.sql").hasMessageContaining("division by zero");

            assertThat(sessionSettings(pool)).isEqualTo(own);
        }
        assertThat(db.value("SELECT count(*) FROM posts WHERE title = upper(title)")).isEqualTo(10L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
    }

    /** Changes the session's timeouts outside a transaction, and fails when told to, after changing them. */
    static class V20260101000000__session_timeouts extends BaseJavaMigration {
        private final boolean fails;

        V20260101000000__session_timeouts(boolean fails) {
            this.fails = fails;
        }

        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public void up(Connection connection) throws java.sql.SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET lock_timeout = '1min'; SET statement_timeout = '2min'");
            }
            if (fails) {
                throw new java.sql.SQLException("the backfill cannot go on", "22023");
            }
        }
    }

    /** Changes the session's timeouts in its own transaction, which commits them for the session. */
    static class V20260102000000__timeouts_in_a_transaction extends BaseJavaMigration {
        @Override
        public void up(Connection connection) throws java.sql.SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET lock_timeout = '3min'; SET statement_timeout = '4min'");
            }
        }
    }

    @Test
    void aJavaMigrationThatChangesTheSessionsTimeoutsGivesEveryPooledConnectionBackItsOwnAfterASuccessAndAFailure()
            throws Exception {
        try (HikariDataSource pool = applicationPool("public, pg_catalog")) {
            List<String> own = List.of("7s 8s the-app public, pg_catalog none", "7s 8s the-app public, pg_catalog none",
                    "7s 8s the-app public, pg_catalog none");
            assertThat(sessionSettings(pool)).isEqualTo(own);

            assertThatThrownBy(() -> new Migrator(pool, folder)
                    .javaMigrations(List.of(new V20260101000000__session_timeouts(true))).migrate())
                    .hasMessageContaining("20260101000000").hasMessageContaining("the backfill cannot go on");
            assertThat(sessionSettings(pool)).isEqualTo(own);

            // With the run's own lock timeout too, which the migrator sets and gives back itself.
            assertThat(new Migrator(pool, folder).timeouts(Timeouts.none().withLock(Duration.ofSeconds(1)))
                    .javaMigrations(List.of(new V20260101000000__session_timeouts(false),
                            new V20260102000000__timeouts_in_a_transaction())).migrate()).hasSize(2);
            assertThat(sessionSettings(pool)).isEqualTo(own);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(3);
        }
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260102000000");
    }

    private HikariDataSource applicationPool(String searchPath) {
        return applicationPool(db, searchPath);
    }

    /** An application's pool of three, whose connections start with its own timeouts, name and search path. */
    static HikariDataSource applicationPool(TestDatabase db, String searchPath) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(3);
        config.setConnectionInitSql("SET lock_timeout = '7s'; SET statement_timeout = '8s'; "
                + "SET application_name = 'the-app'; SET search_path = " + searchPath);
        return new HikariDataSource(config);
    }

    /**
     * The lock and statement timeouts, application name, search path and deployment id of every connection of a pool
     * of three, all borrowed at once.
     */
    private static List<String> sessionSettings(HikariDataSource pool) throws Exception {
        try (Connection first = pool.getConnection(); Connection second = pool.getConnection();
             Connection third = pool.getConnection()) {
            List<String> settings = new ArrayList<>();
            for (Connection connection : List.of(first, second, third)) {
                try (Statement show = connection.createStatement();
                     ResultSet row = show.executeQuery("SELECT concat_ws(' ', current_setting('lock_timeout'), "
                             + "current_setting('statement_timeout'), current_setting('application_name'), "
                             + "current_setting('search_path'), coalesce(nullif(current_setting('"
                             + Deployment.SETTING + "', true), ''), 'none'))")) {
                    row.next();
                    settings.add(row.getString(1));
                }
            }
            return settings;
        }
    }

    @Test
    void aListenerWhoseSessionIsTerminatedRollsTheFileBackAndSaysTheConnectionWasLostNotToFixTheListener()
            throws Exception {
        db.execute("CREATE TABLE hook_log (x text)");
        file("20260101000000_one.sql", "CREATE TABLE one (id int);");
        Migrator hooked = new Migrator(db.dataSource(), folder).listener(new MigrationListener() {
            @Override
            public void afterEach(MigrationEvent event, long millis) throws java.sql.SQLException {
                try (Statement statement = event.connection().createStatement()) {
                    statement.execute("INSERT INTO hook_log VALUES ('hook'); SELECT pg_sleep(30)");
                }
            }
        });
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> catchThrowable(hooked::migrate));
        int pid = awaitQuery("pg_sleep(30)");
        db.execute("SELECT pg_terminate_backend(" + pid + ")");
        Throwable failure = run.get(30, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(MigrationException.class)
                .hasMessageContaining("A migration listener failed in afterEach of 20260101000000_one.sql on public")
                .hasMessageContaining("The file was rolled back and not recorded")
                .hasMessageContaining("Its connection to the database was lost (SQL state 57P01), which is no fault "
                        + "of the listener: run again once the server answers")
                .hasMessageNotContaining("Fix the listener");
        assertThat(db.value("SELECT to_regclass('one') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM hook_log")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isEqualTo(0L);
        assertThat(db.activeConnections()).isZero();
        assertThat(new Migrator(db.dataSource(), folder).migrate()).hasSize(1);
    }

    @Test
    void aListenerWrappingItsTerminatedSessionsErrorInARuntimeExceptionStillSaysTheConnectionWasLost()
            throws Exception {
        file("20260101000000_one.sql", "CREATE TABLE one (id int);");
        Migrator hooked = new Migrator(db.dataSource(), folder).listener(new MigrationListener() {
            @Override
            public void afterEach(MigrationEvent event, long millis) {
                // As Jdbi or Spring's JdbcTemplate would: the SQLException is the cause of an unchecked one.
                try (Statement statement = event.connection().createStatement()) {
                    statement.execute("SELECT pg_sleep(30)");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException("the audit hook failed", new RuntimeException(e));
                }
            }
        });
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> catchThrowable(hooked::migrate));
        int pid = awaitQuery("pg_sleep(30)");
        db.execute("SELECT pg_terminate_backend(" + pid + ")");
        Throwable failure = run.get(30, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(MigrationException.class)
                .hasMessageContaining("A migration listener failed in afterEach of 20260101000000_one.sql on public: "
                        + "the audit hook failed")
                .hasMessageContaining("Its connection to the database was lost (SQL state 57P01)")
                .hasMessageNotContaining("Fix the listener");
        assertThat(((MigrationException) failure).sqlState()).contains("57P01");
        assertThat(db.value("SELECT to_regclass('one') IS NULL")).isEqualTo(true);
        assertThat(new Migrator(db.dataSource(), folder).migrate()).hasSize(1);
    }

    /** The lock_timeout of every connection of a pool of two, both borrowed at once. */
    private static List<String> lockTimeouts(HikariDataSource pool) throws Exception {
        try (Connection first = pool.getConnection(); Connection second = pool.getConnection()) {
            List<String> settings = new ArrayList<>();
            for (Connection connection : List.of(first, second)) {
                try (Statement show = connection.createStatement();
                     ResultSet row = show.executeQuery("SELECT current_setting('lock_timeout')")) {
                    row.next();
                    settings.add(row.getString(1));
                }
            }
            return settings;
        }
    }

    @Test
    void readsQueuedBehindAMigrationWaitingForATableLockWaitNoLongerThanItsLockTimeout() throws Exception {
        db.execute("CREATE TABLE posts (id int); INSERT INTO posts VALUES (1)");
        file("20260101000000_add_title.sql", "ALTER TABLE posts ADD COLUMN title text;");
        Migrator migrator = new Migrator(db.dataSource(), folder).lockTimeout(Duration.ofSeconds(1))
                .retries(new FileRunner.Retries(0, Duration.ZERO));

        try (Connection reader = db.dataSource().getConnection(); Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            statement.execute("SELECT * FROM posts");
            CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> catchThrowable(migrator::migrate));
            awaitQuery("ALTER TABLE posts");
            long start = System.nanoTime();

            // Queued behind the ALTER's ACCESS EXCLUSIVE request, this read goes on once the lock timeout ends it.
            assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(run.get(30, TimeUnit.SECONDS)).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("20260101000000_add_title.sql").hasMessageContaining("SQL state 55P03");
            reader.rollback();
        }
        assertThat(migrator.migrate()).hasSize(1);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts'")).isEqualTo(2L);
    }

    @Test
    void twoProjectsMigratingAtOnceApplyEachFileOnce() throws Exception {
        Path migrations = Files.createDirectories(folder.resolve("migrations"));
        db.execute("CREATE TABLE applied_log (name text)");
        Files.writeString(migrations.resolve("20260101000001_one.sql"), "-- migrate:up\nINSERT INTO applied_log "
                + "VALUES ('one');\nSELECT pg_sleep(0.5);\n-- migrate:down\nSELECT 1;\n");
        Files.writeString(migrations.resolve("20260101000002_two.sql"), "-- migrate:up\nINSERT INTO applied_log "
                + "VALUES ('two');\n-- migrate:down\nSELECT 1;\n");

        List<CompletableFuture<List<MigrationFile>>> runs = List.of(1, 2).stream().map(i -> CompletableFuture
                .supplyAsync(() -> Project.open(folder).dataSource(db.dataSource()).migrate())).toList();

        List<Integer> applied = runs.stream().map(run -> run.join().size()).sorted().toList();
        assertThat(applied).containsExactly(0, 2);
        assertThat(db.value("SELECT string_agg(name, ',' ORDER BY name) FROM applied_log")).isEqualTo("one,two");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
    }

    @Test
    void aStatementOverTheStatementTimeoutIsCancelledNamingTheOption() throws IOException {
        file("20260101000000_slow.sql", "CREATE TABLE posts (id int);\nSELECT pg_sleep(5);");
        Migrator migrator = new Migrator(db.dataSource(), folder)
                .timeouts(Timeouts.none().withStatement(Duration.ofMillis(300)));

        assertThatThrownBy(migrator::migrate).isInstanceOf(MigrationException.class)
                .hasMessageContaining("at statement 2").hasMessageContaining("SQL state 57014")
                .hasMessageContaining("--statement-timeout");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
        assertThat(db.value("SHOW statement_timeout")).isEqualTo("0");
    }

    @Test
    void aStatementCancelledOnRequestSaysSoInsteadOfBlamingTheStatementTimeout() throws Exception {
        file("20260101000000_slow.sql", "CREATE TABLE posts (id int);\nSELECT pg_sleep(30);");
        CompletableFuture<List<MigrationFile>> run = CompletableFuture
                .supplyAsync(() -> new Migrator(db.dataSource(), folder).migrate());

        db.execute("SELECT pg_cancel_backend(" + awaitQuery("pg_sleep(30)") + ")");

        Throwable failure = catchThrowable(() -> run.get(30, TimeUnit.SECONDS)).getCause();
        assertThat(failure).isInstanceOf(MigrationException.class)
                .hasMessageContaining("SQL state 57014").hasMessageContaining("cancelled on request")
                .hasMessageContaining("interrupted").hasMessageContaining("migrate again")
                .hasMessageNotContaining("--statement-timeout");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
    }

    /**
     * A thread that migrates through the API (an application's start, a test) and is interrupted: the statement in
     * progress is cancelled on the server at once, the file rolls back unrecorded, no later file runs, the lock is
     * released and the thread keeps its interrupt, as a blocking call that honours interrupts does.
     */
    @Test
    void anInterruptedMigratingThreadCancelsTheFileInProgressKeepsItsInterruptAndReleasesTheLock() throws Exception {
        file("20260101000000_first.sql", "CREATE TABLE first (id int);");
        file("20260101000001_slow.sql", "CREATE TABLE slow (id int);\nSELECT pg_sleep(30);");
        file("20260101000002_last.sql", "CREATE TABLE last (id int);");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread migrating = new Thread(() -> {
            try {
                new Migrator(db.dataSource(), folder).migrate();
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        migrating.start();
        awaitQuery("pg_sleep(30)");

        long start = System.nanoTime();
        migrating.interrupt();
        migrating.join(20_000);

        assertThat(migrating.isAlive()).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms to the end of the run").isLessThan(5_000);
        assertThat(stillInterrupted).isTrue();
        assertThat(failure.get()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260101000001_slow.sql").hasMessageContaining("interrupted")
                .hasMessageContaining("rolled back");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('slow') IS NULL AND to_regclass('last') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database())")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' "
                + "AND state = 'active' AND pid <> pg_backend_pid()")).isEqualTo(0L);

        file("20260101000001_slow.sql", "CREATE TABLE slow (id int);");
        new Migrator(db.dataSource(), folder).migrate();
        assertThat(db.value("SELECT to_regclass('slow') IS NOT NULL AND to_regclass('last') IS NOT NULL"))
                .isEqualTo(true);
    }

    @Test
    void aConnectionLostMidFileReportsTheFileAndStatementNotTheFailedRollback() throws Exception {
        file("20260101000000_slow.sql", "CREATE TABLE posts (id int);\nSELECT pg_sleep(5);");
        Migrator migrator = new Migrator(db.dataSource(), folder);

        CompletableFuture<List<MigrationFile>> run = CompletableFuture.supplyAsync(migrator::migrate);
        db.execute("SELECT pg_terminate_backend(" + awaitQuery("pg_sleep(5)") + ")");

        Throwable failure = catchThrowable(() -> run.get(30, TimeUnit.SECONDS)).getCause();
        assertThat(failure).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration 20260101000000_slow.sql failed on public at statement 2")
                .hasMessageContaining("SELECT pg_sleep(5)").hasMessageNotContaining("Connection is closed")
                .hasMessageContaining("The connection was lost").hasMessageContaining("migrate again");
        assertThat(failure.getSuppressed()).isNotEmpty();
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aConcurrentIndexBuildWhoseSessionIsTerminatedIsNotRecordedAndTheNextRunBuildsItValid() throws Exception {
        db.execute("CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 50);"
                + "CREATE FUNCTION slow(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 FROM pg_sleep(0.03)'");
        Files.writeString(folder.resolve("20260101000000_index_items.sql"), "-- migrate:up transaction:false\n"
                + "CREATE INDEX CONCURRENTLY items_plain_index ON items (id);\n"
                + "CREATE INDEX CONCURRENTLY items_slow_index ON items (slow(id));\n"
                + "-- migrate:down\nDROP INDEX CONCURRENTLY items_slow_index;\n");

        CompletableFuture<List<MigrationFile>> run = CompletableFuture.supplyAsync(new Migrator(db.dataSource(),
                folder)::migrate);
        db.execute("SELECT pg_terminate_backend(" + awaitQuery("items_slow_index") + ")");
        Throwable failure = catchThrowable(() -> run.get(30, TimeUnit.SECONDS)).getCause();

        assertThat(failure).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration 20260101000000_index_items.sql failed on public at statement 2")
                .hasMessageContaining("the statements before this one stay applied")
                .hasMessageContaining("migrate again to run it from where it stopped");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_slow_index'::regclass"))
                .isEqualTo(false);

        new Migrator(db.dataSource(), folder).migrate();

        assertThat(db.value("SELECT string_agg(c.relname || '=' || i.indisvalid, ',' ORDER BY c.relname) FROM pg_index i "
                + "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'items'::regclass"))
                .isEqualTo("items_pkey=true,items_plain_index=true,items_slow_index=true");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aFileOutsideATransactionWhoseRunDiedMidwayIsShownPartialAndABaselineRecordsItOnceFinishedByHand()
            throws Exception {
        Path migrations = Files.createDirectories(folder.resolve("migrations"));
        Files.writeString(migrations.resolve("20260101000000_tables.sql"), "-- migrate:up transaction:false\n"
                + "CREATE TABLE first_half (id int);\nSELECT pg_sleep(30);\nCREATE TABLE second_half (id int);\n"
                + "-- migrate:down\nSELECT 1;\n");
        CompletableFuture<Throwable> died = CompletableFuture.supplyAsync(() -> catchThrowable(
                () -> Project.open(folder).dataSource(db.dataSource()).migrate()));
        db.value("SELECT pg_terminate_backend(?)", awaitQuery("pg_sleep(30)"));
        assertThat(died.get(30, TimeUnit.SECONDS)).isInstanceOf(MigrationException.class);

        Project next = Project.open(folder).dataSource(db.dataSource());
        assertThat(next.status()).extracting(MigrationStatus::state).containsExactly(MigrationStatus.State.PARTIAL);
        assertThat(next.status().get(0).detail()).startsWith("stopped at statement 2 of 3 (line 3), statement 1 stays "
                + "applied");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
        assertThat(db.value("SELECT to_regclass('second_half') IS NULL")).isEqualTo(true);

        db.execute("CREATE TABLE second_half (id int)");
        assertThat(next.baseline("20260101000000")).hasSize(1);

        assertThat(Project.open(folder).dataSource(db.dataSource()).migrate()).isEmpty();
        assertThat(db.value("SELECT string_agg(version || '=' || baselined, ',') FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000=true");
    }

    private void reversible(String name, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    /**
     * Posts, whose down section sleeps {@code seconds} while table slow_rollback holds a row: emptied once the test has
     * stopped that sleep, the rollback the test runs afterwards does not wait it out again.
     */
    private void postsWithASlowRollback(String seconds) throws IOException {
        db.execute("CREATE TABLE slow_rollback (id int); INSERT INTO slow_rollback VALUES (1)");
        reversible("20260101000000_posts.sql", "CREATE TABLE posts (id int);",
                "DROP TABLE posts;\nSELECT pg_sleep(" + seconds + ") FROM slow_rollback;");
    }

    private String states() {
        return String.join(",", new Migrator(db.dataSource(), folder).status().stream()
                .map(status -> status.version() + "=" + status.state()).toList());
    }

    @Test
    void aRollbackWhoseSessionIsTerminatedKeepsTheFileAppliedAndNamesTheVersionToRollBackToNotTheCount()
            throws Exception {
        postsWithASlowRollback("5");
        reversible("20260102000000_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");
        new Migrator(db.dataSource(), folder).migrate();

        CompletableFuture<List<MigrationFile>> run = CompletableFuture.supplyAsync(() ->
                new Migrator(db.dataSource(), folder).rollback(2));
        db.execute("SELECT pg_terminate_backend(" + awaitQuery("pg_sleep(5)") + ")");
        Throwable failure = catchThrowable(() -> run.get(30, TimeUnit.SECONDS)).getCause();

        assertThat(failure).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration 20260101000000_posts.sql failed on public at statement 2")
                .hasMessageContaining("Nothing of this file was rolled back")
                .hasMessageContaining("the file stays recorded as applied, so once the server answers, roll it back "
                        + "again").hasMessageNotContaining("migrate again")
                .hasMessageContaining("This rollback had already undone 20260102000000_tags.sql on public")
                .hasMessageContaining("rollback --to 20260101000000");
        assertThat(states()).isEqualTo("20260101000000=APPLIED,20260102000000=PENDING");
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL AND to_regclass('tags') IS NULL")).isEqualTo(true);

        db.execute("DELETE FROM slow_rollback");
        assertThat(new Migrator(db.dataSource(), folder).rollbackTo("20260101000000"))
                .extracting(MigrationFile::name).containsExactly("posts");
        assertThat(states()).isEqualTo("20260101000000=PENDING,20260102000000=PENDING");
    }

    @Test
    void aRollbackThatLosesTheLockSaysTheFileStaysAppliedAndTheRollbackRunsAgain() throws Exception {
        postsWithASlowRollback("1.5");
        new Migrator(db.dataSource(), folder).migrate();

        CompletableFuture<List<MigrationFile>> run = CompletableFuture.supplyAsync(() ->
                new Migrator(db.dataSource(), folder).rollback(1));
        awaitQuery("pg_sleep(1.5)");
        db.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted");
        Throwable lost = catchThrowable(() -> run.get(30, TimeUnit.SECONDS)).getCause();

        assertThat(lost).isInstanceOf(LockLostException.class)
                .hasMessageContaining("the migration lock was lost")
                .hasMessageContaining("the down section of 20260101000000_posts.sql")
                .hasMessageContaining("Nothing of this file was rolled back: it stays applied")
                .hasMessageContaining("roll back what is left").hasMessageNotContaining("migrate again");
        assertThat(states()).isEqualTo("20260101000000=APPLIED");
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL")).isEqualTo(true);

        db.execute("DELETE FROM slow_rollback");
        assertThat(new Migrator(db.dataSource(), folder).rollback(1)).hasSize(1);
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aDatabaseThatAdmitsNoNewConnectionIsReportedNamingTheLimitAndMigratesOnceItDoes() throws Exception {
        file("20260101000000_posts.sql", "CREATE TABLE posts (id int);");
        try (TestDatabase.Role migrating = db.loginRole("faults_limited")) {
            PGSimpleDataSource asMigrating = server(db.urlWithCredentials());
            asMigrating.setUser(migrating.name());
            asMigrating.setPassword("");
            db.execute("ALTER DATABASE \"" + db.name() + "\" CONNECTION LIMIT 0");
            try {
                assertThatThrownBy(() -> new Migrator(asMigrating, folder).migrate()).isInstanceOf(AshlarException.class)
                        .hasMessageStartingWith("Could not migrate public: FATAL: too many connections for database")
                        .hasMessageContaining("the CONNECTION LIMIT of the role or of the database")
                        .hasMessageContaining("raise the limit");
            } finally {
                db.execute("ALTER DATABASE \"" + db.name() + "\" CONNECTION LIMIT -1");
            }
            assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);

            assertThat(new Migrator(asMigrating, folder).migrate()).hasSize(1);
            assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
        }
    }

    private static PGSimpleDataSource server(String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        return dataSource;
    }

    @Test
    void aReadOnlyStandbyAsTheTargetIsRefusedNamingThePrimaryAndThePrimaryThenMigrates() throws Exception {
        file("20260101000000_posts.sql", "CREATE TABLE posts (id int);");
        try (ReplicaPair pair = ReplicaPair.start()) {
            assertThatThrownBy(() -> new Migrator(server(pair.standbyUrl()), folder).migrate())
                    .isInstanceOf(AshlarException.class)
                    .hasMessageContaining("read-only transaction")
                    .hasMessageContaining("read replica or standby")
                    .hasMessageContaining("Migrate the primary");

            assertThat(new Migrator(server(pair.primaryUrl()), folder).migrate()).hasSize(1);
            pair.awaitReplay(Duration.ofSeconds(20));
            try (Connection standby = server(pair.standbyUrl()).getConnection();
                 Statement statement = standby.createStatement();
                 var rows = statement.executeQuery("SELECT count(*) FROM ashlar_schema_migrations")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void aDatabaseReadOnlyByDefaultIsRefusedNamingTheSettingAndAppliesNothing() throws IOException {
        file("20260101000000_posts.sql", "CREATE TABLE posts (id int);");
        PGSimpleDataSource readOnly = server(db.urlWithCredentials());
        readOnly.setOptions("-c default_transaction_read_only=on");

        assertThatThrownBy(() -> new Migrator(readOnly, folder).migrate())
                .isInstanceOf(AshlarException.class)
                .hasMessageContaining("default_transaction_read_only is on");
        assertThatThrownBy(() -> new Migrator(readOnly, folder).rollback(1))
                .hasMessageStartingWith("Could not roll back public: ERROR: cannot execute")
                .hasMessageContaining("in a read-only transaction")
                .hasMessageContaining("default_transaction_read_only is on");
        assertThatThrownBy(() -> new Migrator(readOnly, folder).repair())
                .hasMessageStartingWith("Could not repair public: ERROR: cannot execute")
                .hasMessageContaining("in a read-only transaction");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);

        assertThat(new Migrator(db.dataSource(), folder).migrate()).hasSize(1);
    }

    @Test
    void aMigrationsFolderTheUserCannotReadIsRefusedNamingThePermissionToGive() throws IOException {
        file("20260101000000_posts.sql", "CREATE TABLE posts (id int);");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("-w-------"));
        try {
            assumeFalse(Files.isReadable(folder), "the superuser reads every folder: run as another user");
            assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                    .isInstanceOf(AshlarException.class)
                    .hasMessageContaining("Cannot list " + folder + ": permission denied")
                    .hasMessageContaining("chmod a+rx");
            assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        }
        assertThat(new Migrator(db.dataSource(), folder).migrate()).hasSize(1);
    }

    @Test
    void aMigrationBehindAnotherUsersLockNamesThatUserAndThePrivilegeThatShowsItsQuery() throws Exception {
        db.execute("CREATE TABLE posts (id int)");
        file("20260101000000_add_title.sql", "ALTER TABLE posts ADD COLUMN title text;");
        try (TestDatabase.Role migrating = db.loginRole("faults_migrator")) {
            db.execute("ALTER TABLE posts OWNER TO faults_migrator");
            PGSimpleDataSource asMigrating = server(db.urlWithCredentials());
            asMigrating.setUser(migrating.name());
            asMigrating.setPassword("");
            Migrator migrator = new Migrator(asMigrating, folder).lockTimeout(Duration.ofSeconds(2))
                    .retries(new FileRunner.Retries(0, Duration.ZERO));
            try (Connection holder = db.dataSource().getConnection(); Statement statement = holder.createStatement()) {
                holder.setAutoCommit(false);
                statement.execute("SET application_name = 'nightly_report'");
                statement.execute("LOCK TABLE posts IN ACCESS EXCLUSIVE MODE");

                assertThatThrownBy(migrator::migrate).isInstanceOf(MigrationException.class)
                        .hasMessageContaining("SQL state 55P03")
                        .hasMessageContaining("(application 'nightly_report', user " + db.user() + ", its state and "
                                + "query hidden from the migrating role: grant it pg_read_all_stats to see them)")
                        .hasMessageNotContaining("insufficient privilege");
                holder.rollback();
            }
            assertThat(migrator.migrate()).hasSize(1);
            assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                    + "AND column_name = 'title'")).isEqualTo(1L);
        }
    }
}
