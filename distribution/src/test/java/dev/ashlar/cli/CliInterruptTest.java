package dev.ashlar.cli;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C of {@code ashlar migrate}: the JVM's shutdown runs {@link Database#interrupted()}, called here directly while
 * a migration runs in this JVM, as a signal would.
 */
@ExtendWith(PostgresExtension.class)
class CliInterruptTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void migrations(TestDatabase db) throws Exception {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Path migrations = Files.createDirectories(project.resolve("migrations"));
        Files.writeString(migrations.resolve("20260101000000_things.sql"),
                "-- migrate:up\nCREATE TABLE things (id int);\n-- migrate:down\nDROP TABLE things;\n");
        Files.writeString(migrations.resolve("20260102000000_slow.sql"), "-- migrate:up\nCREATE TABLE slow (id int);\n"
                + "SELECT pg_sleep(60);\nINSERT INTO slow VALUES (1);\n-- migrate:down\nDROP TABLE slow;\n");
        Files.writeString(migrations.resolve("20260103000000_later.sql"),
                "-- migrate:up\nCREATE TABLE later (id int);\n-- migrate:down\nDROP TABLE later;\n");
    }

    private boolean sleeping() {
        return (Long) db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND query LIKE 'SELECT pg_sleep(60)%' AND state = 'active'") > 0;
    }

    private long tables(String name) {
        return (Long) db.value("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = ?", name);
    }

    @Test
    void anInterruptedMigrateCancelsTheFileInProgressAtOnceKeepsTheFilesBeforeItAndReleasesTheLock() throws Exception {
        CompletableFuture<CliRun> migrate = CompletableFuture.supplyAsync(() -> CliRun.of(project, db, "migrate"));
        for (int i = 0; i < 600 && !sleeping(); i++) {
            Thread.sleep(50);
        }
        assertThat(sleeping()).as("the slow file runs").isTrue();
        long interrupted = System.nanoTime();

        Database.interrupted();

        CliRun run = migrate.get(10, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - interrupted)).isLessThan(10);
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("20260102000000_slow.sql", "canceling statement due to user request",
                "Nothing of this file was applied", "cancelled on request", "migrate again");
        assertThat(run.err()).as("a Ctrl-C is no statement timeout").doesNotContain("--statement-timeout");
        assertThat(db.query("SELECT version FROM ashlar_schema_migrations ORDER BY version"))
                .extracting(row -> row.get("version")).containsExactly("20260101000000");
        assertThat(tables("things")).isEqualTo(1);
        assertThat(tables("slow")).isZero();
        assertThat(tables("later")).isZero();
        assertThat((Long) db.value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isZero();
        assertThat((Long) db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND pid <> pg_backend_pid() AND application_name LIKE 'ashlar-cli-%'")).isZero();

        Files.writeString(project.resolve("migrations/20260102000000_slow.sql"), "-- migrate:up\nCREATE TABLE slow "
                + "(id int);\nSELECT pg_sleep(0);\nINSERT INTO slow VALUES (1);\n-- migrate:down\nDROP TABLE slow;\n");
        CliRun rerun = CliRun.of(project, db, "migrate");
        assertThat(rerun.code()).as(rerun.err()).isZero();
        assertThat(db.query("SELECT version FROM ashlar_schema_migrations ORDER BY version"))
                .extracting(row -> row.get("version"))
                .containsExactly("20260101000000", "20260102000000", "20260103000000");
        assertThat((Long) db.value("SELECT count(*) FROM slow")).isEqualTo(1);
    }
}
