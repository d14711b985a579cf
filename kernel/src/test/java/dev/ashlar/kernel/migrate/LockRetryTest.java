package dev.ashlar.kernel.migrate;

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
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A file that gives up waiting for a table lock is rolled back and tried again, a bounded number of times. */
@ExtendWith(PostgresExtension.class)
class LockRetryTest {
    @TempDir
    Path folder;
    TestDatabase db;
    final List<String> progress = new CopyOnWriteArrayList<>();

    @BeforeEach
    void cleanSlate(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE TABLE posts (id int); "
                + "CREATE TABLE audit (id int)");
        Files.writeString(folder.resolve("20260101000000_add_title.sql"), "-- lock-timeout: 300ms\n-- migrate:up\n"
                + "ALTER TABLE audit ADD COLUMN note text;\nALTER TABLE posts ADD COLUMN title text;\n"
                + "-- migrate:down\nALTER TABLE posts DROP COLUMN title;\nALTER TABLE audit DROP COLUMN note;\n");
    }

    private Connection holdLockOnPosts() throws Exception {
        Connection holder = db.dataSource().getConnection();
        holder.setAutoCommit(false);
        try (Statement statement = holder.createStatement()) {
            statement.execute("SET application_name = 'nightly_report'");
            statement.execute("LOCK TABLE posts IN ACCESS EXCLUSIVE MODE");
        }
        return holder;
    }

    private long columns(String table) {
        return (Long) db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = ?", table);
    }

    @Test
    void aFileThatKeepsTimingOutIsRetriedThenFailsNamingTheBlockerWithNothingApplied() throws Exception {
        Migrator migrator = new Migrator(db.dataSource(), folder).retries(new FileRunner.Retries(2, Duration.ofMillis(100)))
                .progress(progress::add);
        try (Connection holder = holdLockOnPosts()) {
            assertThatThrownBy(migrator::migrate).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("SQL state 55P03").hasMessageContaining("at statement 2")
                    .hasMessageContaining("(application 'nightly_report', user ")
                    .hasMessageContaining(", idle in transaction, command LOCK); the statement takes ACCESS "
                            + "EXCLUSIVE (reads and writes wait).")
                    .hasMessageContaining("tried 3 times, each rolled back")
                    .hasMessageContaining("Nothing of this file was applied");
            holder.rollback();
        }
        assertThat(progress).filteredOn(line -> line.startsWith("lock timeout: 20260101000000_add_title.sql"))
                .extracting(line -> line.substring(line.indexOf("retry"), line.indexOf(" in ")))
                .containsExactly("retry 1 of 2", "retry 2 of 2");
        assertThat(columns("posts")).isEqualTo(1L);
        assertThat(columns("audit")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
    }

    @Test
    void aFileWhoseBlockerEndsBetweenRetriesIsApplied() throws Exception {
        Migrator migrator = new Migrator(db.dataSource(), folder).retries(new FileRunner.Retries(20, Duration.ofMillis(100)))
                .progress(progress::add);
        try (Connection holder = holdLockOnPosts()) {
            CompletableFuture<List<MigrationFile>> run = CompletableFuture.supplyAsync(migrator::migrate);
            for (int i = 0; i < 100 && progress.stream().noneMatch(line -> line.contains("retry 1 of 20")); i++) {
                Thread.sleep(50);
            }
            assertThat(run).isNotDone();
            holder.rollback();
            assertThat(run.get(30, TimeUnit.SECONDS)).extracting(MigrationFile::name).containsExactly("add_title");
        }
        assertThat(progress).anyMatch(line -> line.contains("retry 1 of 20"));
        assertThat(columns("posts")).isEqualTo(2L);
        assertThat(columns("audit")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void theMigratorsOwnLockTimeoutOverridesTheFiles() throws Exception {
        Migrator migrator = new Migrator(db.dataSource(), folder).lockTimeout(Duration.ofSeconds(3))
                .retries(new FileRunner.Retries(0, Duration.ZERO));
        try (Connection holder = holdLockOnPosts()) {
            long start = System.nanoTime();
            assertThatThrownBy(migrator::migrate).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("SQL state 55P03");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            holder.rollback();
        }
        assertThat(db.value("SHOW lock_timeout")).isEqualTo("0");
    }
}
