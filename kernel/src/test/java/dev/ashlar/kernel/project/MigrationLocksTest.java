package dev.ashlar.kernel.project;

import dev.ashlar.kernel.migrate.AdvisoryLock;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationLocks;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Liquibase's list-locks and release-locks: who holds the migration lock, and ending a holder that is gone. */
@ExtendWith(PostgresExtension.class)
class MigrationLocksTest {
    @TempDir
    Path dir;
    TestDatabase db;
    Project project;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.createDirectories(dir.resolve("migrations"));
        project = Project.open(dir).dataSource(db.dataSource());
    }

    private static int pid(Connection connection) throws java.sql.SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }

    @Test
    void listsTheSessionHoldingTheMigrationLockWithTheHostAndTimeItWasTaken() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        try (AdvisoryLock lock = AdvisoryLock.acquire(db.dataSource(), "migrations:public", Duration.ofSeconds(5))) {
            int holder = lock.onConnection(MigrationLocksTest::pid);

            List<MigrationLocks.Held> held = project.locks();

            assertThat(held).hasSize(1);
            MigrationLocks.Held lockHeld = held.get(0);
            assertThat(lockHeld.name()).isEqualTo("migrations:public");
            assertThat(lockHeld.pid()).isEqualTo(holder);
            assertThat(lockHeld.lockedAt()).isBetween(before, Instant.now().plusSeconds(1));
            assertThat(lockHeld.lockedBy()).contains(InetAddress.getLocalHost().getHostName())
                    .contains("pid " + ProcessHandle.current().pid());
            assertThat(lockHeld.user()).isEqualTo(db.user());
        }
        assertThat(project.locks()).isEmpty();
    }

    @Test
    void releasingTheHoldersPidEndsItsSessionSoTheNextMigratorTakesTheLock() throws Exception {
        try (AdvisoryLock stuck = AdvisoryLock.acquire(db.dataSource(), "migrations:public", Duration.ofSeconds(5))) {
            int holder = stuck.onConnection(MigrationLocksTest::pid);

            MigrationLocks.Held released = project.releaseLock(holder);

            assertThat(released.pid()).isEqualTo(holder);
            assertThat(db.value("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", holder)).isEqualTo(0L);
            assertThat(stuck.lost()).isTrue();
            assertThat(project.locks()).isEmpty();
            try (AdvisoryLock next = AdvisoryLock.acquire(db.dataSource(), "migrations:public", Duration.ZERO)) {
                assertThat(next.lost()).isFalse();
            }
        }
    }

    @Test
    void releasingAPidThatHoldsNoMigrationLockIsRefusedAndEndsNoSession() throws Exception {
        try (AdvisoryLock lock = AdvisoryLock.acquire(db.dataSource(), "migrations:public", Duration.ofSeconds(5));
             Connection bystander = db.dataSource().getConnection()) {
            int other = pid(bystander);

            MigrationException refused = catchThrowableOfType(MigrationException.class,
                    () -> project.releaseLock(other));

            assertThat(refused).hasMessageContaining("pid " + other + " holds no migration lock")
                    .hasMessageContaining("pid " + lock.onConnection(MigrationLocksTest::pid));
            assertThat(bystander.isValid(2)).isTrue();
            assertThat(lock.lost()).isFalse();
        }
    }

    @Test
    void aLockHeldByAnotherRolesSessionIsListedWithItsAddressHiddenAndItsStateUnknown() throws Exception {
        // A run makes the table, which both roles may then use.
        AdvisoryLock.acquire(db.dataSource(), "migrations:public", Duration.ofSeconds(5)).close();
        String suffix = Long.toHexString(System.nanoTime());
        try (TestDatabase.Role holderRole = db.loginRole("locks_holder_" + suffix);
             TestDatabase.Role viewerRole = db.loginRole("locks_viewer_" + suffix)) {
            db.execute("GRANT SELECT, INSERT, UPDATE ON " + AdvisoryLock.TABLE + " TO " + holderRole.name() + ", "
                    + viewerRole.name());
            try (AdvisoryLock lock = AdvisoryLock.acquire(as(holderRole.name()), "migrations:public",
                    Duration.ofSeconds(5))) {
                int holder = lock.onConnection(MigrationLocksTest::pid);
                assertThat(db.value("SELECT pg_has_role(?, 'pg_read_all_stats', 'MEMBER')", viewerRole.name()))
                        .isEqualTo(false);

                List<MigrationLocks.Held> held = MigrationLocks.list(as(viewerRole.name()));

                assertThat(held).hasSize(1);
                MigrationLocks.Held lockHeld = held.get(0);
                assertThat(lockHeld.pid()).isEqualTo(holder);
                assertThat(lockHeld.user()).isEqualTo(holderRole.name());
                assertThat(lockHeld.client()).isEqualTo("an address hidden from this user");
                assertThat(lockHeld.state()).isEqualTo("state unknown");
                assertThat(lockHeld.sessionStarted()).isNull();
                assertThat(lockHeld.lockedBy()).contains("pid " + ProcessHandle.current().pid());
                assertThat(lockHeld.describe()).doesNotContain("local socket").doesNotContain("null");
            }
        }
    }

    private PGSimpleDataSource as(String role) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(db.jdbcUrl());
        source.setUser(role);
        return source;
    }

    @Test
    void aMigrationsRunRecordsWhoTookTheLockOnATableMadeBeforeTheHolderColumns() throws Exception {
        db.execute("CREATE TABLE public.ashlar_migration_locks (name text PRIMARY KEY, run bigint NOT NULL)");
        Files.writeString(dir.resolve("migrations/20260101000000_create_posts.sql"),
                "-- migrate:up\nCREATE TABLE posts (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE posts;\n");

        project.migrate();

        assertThat(db.value("SELECT locked_by FROM ashlar_migration_locks WHERE name = 'migrations:public'"))
                .asString().contains("pid " + ProcessHandle.current().pid());
        assertThat(db.value("SELECT locked_at > now() - interval '1 minute' FROM ashlar_migration_locks "
                + "WHERE name = 'migrations:public'")).isEqualTo(true);
    }

    @Test
    void aSessionReadingAnOldLockTableDelaysMigrateOnlyABoundedWhileAndTheMigrationRuns() throws Exception {
        db.execute("CREATE TABLE public.ashlar_migration_locks (name text PRIMARY KEY, run bigint NOT NULL)");
        Files.writeString(dir.resolve("migrations/20260101000000_create_posts.sql"),
                "-- migrate:up\nCREATE TABLE posts (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE posts;\n");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection reader = db.dataSource().getConnection()) {
            reader.setAutoCommit(false);
            try (Statement read = reader.createStatement()) {
                read.executeQuery("SELECT count(*) FROM public.ashlar_migration_locks").close();
            }
            long start = System.nanoTime();
            Future<?> migrate = pool.submit(() -> project.migrate());
            try {
                migrate.get(20, TimeUnit.SECONDS);
            } finally {
                reader.rollback();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isLessThan(Duration.ofSeconds(10));
            assertThat(db.value("SELECT to_regclass('public.posts') IS NOT NULL")).isEqualTo(true);
            assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
                    + "AND table_name = 'ashlar_migration_locks' AND column_name IN ('locked_at', 'locked_by')"))
                    .isEqualTo(0L);
            assertThat(db.value("SELECT count(*) FROM ashlar_migration_locks WHERE name = 'migrations:public'"))
                    .isEqualTo(1L);
        } finally {
            pool.shutdownNow();
        }
    }
}
