package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.AdvisoryLock;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Liquibase's list-locks and release-locks through the command line: 'ashlar locks' and 'ashlar locks --release'. */
@ExtendWith(PostgresExtension.class)
class CliMigrationLocksTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/20260101000000_create_posts.sql"),
                "-- migrate:up\nCREATE TABLE posts (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE posts;\n");
    }

    private static int pid(AdvisoryLock lock) throws Exception {
        return lock.onConnection(c -> {
            try (Statement statement = c.createStatement(); ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
                row.next();
                return row.getInt(1);
            }
        });
    }

    @Test
    void locksListsTheHolderAndReleaseEndsItSoThatMigrateRuns() throws Exception {
        try (AdvisoryLock stuck = AdvisoryLock.acquire(db.dataSource(), "migrations:public", Duration.ofSeconds(5))) {
            int holder = pid(stuck);

            CliRun listed = ashlar("locks");
            CliRun released = ashlar("locks", "--release", String.valueOf(holder));
            CliRun after = ashlar("locks");
            CliRun migrate = ashlar("migrate", "--lock-timeout", "2s");

            assertThat(listed.code()).as(listed.err()).isZero();
            assertThat(listed.out()).contains("migrations:public: pid " + holder)
                    .contains("(pid " + ProcessHandle.current().pid() + ")");
            assertThat(released.code()).as(released.err()).isZero();
            assertThat(released.out()).contains("Ended the session of pid " + holder);
            assertThat(after.out()).contains("No migration lock is held");
            assertThat(migrate.code()).as(migrate.err()).isZero();
            assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL")).isEqualTo(true);
        }
    }

    @Test
    void releasingAPidThatHoldsNoLockFailsNamingTheHolderAndEndsNothing() throws Exception {
        try (AdvisoryLock lock = AdvisoryLock.acquire(db.dataSource(), "migrations:public", Duration.ofSeconds(5))) {
            CliRun refused = ashlar("locks", "--release", "1");

            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("pid 1 holds no migration lock").contains("pid " + pid(lock));
            assertThat(lock.lost()).isFalse();
        }
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }
}
