package dev.ashlar.cli;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault suite of {@code ashlar migrate}: the command, run as a process of its own, is killed
 * with SIGKILL at random points (inside a transactional file, between files, during a concurrent
 * index build) and run again; every time the second run converges to the schema of an uninterrupted
 * one, with each file recorded once and no invalid index left.
 */
@ExtendWith(PostgresExtension.class)
class MigrateKillTest {
    private static final int RANDOM_KILLS = 3;
    private static final String EXPECTED_HISTORY = "20260101000000 items,20260102000000 index_items,"
            + "20260103000000 tags";

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void migrations(TestDatabase db) throws IOException {
        this.db = db;
        Path migrations = Files.createDirectories(project.resolve("migrations"));
        Files.writeString(migrations.resolve("20260101000000_items.sql"), "-- migrate:up\n"
                + "CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL, label text NOT NULL);\n"
                + "INSERT INTO items SELECT g, g % 1000, 'item ' || g FROM generate_series(1, 200000) g;\n"
                + "SELECT pg_sleep(0.3);\n"
                + "ALTER TABLE items ADD COLUMN doubled int;\n"
                + "UPDATE items SET doubled = n * 2;\n"
                + "-- migrate:down\nDROP TABLE items;\n");
        Files.writeString(migrations.resolve("20260102000000_index_items.sql"), "-- migrate:up transaction:false\n"
                + "CREATE INDEX CONCURRENTLY items_n_index ON items (n, doubled);\n"
                + "CREATE UNIQUE INDEX CONCURRENTLY items_label_index ON items (label);\n"
                + "-- migrate:down\nDROP INDEX CONCURRENTLY items_label_index;\nDROP INDEX CONCURRENTLY items_n_index;\n");
        Files.writeString(migrations.resolve("20260103000000_tags.sql"), "-- migrate:up\n"
                + "CREATE TABLE tags (id int PRIMARY KEY, item_id int NOT NULL REFERENCES items (id));\n"
                + "INSERT INTO tags SELECT g, g FROM generate_series(1, 50000) g;\n"
                + "SELECT pg_sleep(0.2);\n"
                + "CREATE INDEX tags_item_id_index ON tags (item_id);\n"
                + "-- migrate:down\nDROP TABLE tags;\n");
    }

    private Process migrate() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "migrate", "--dir", project.toString(),
                "--url", db.urlWithCredentials())).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
    }

    private void migrateToTheEnd(String after) throws IOException, InterruptedException {
        Process process = migrate();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the run after %s ends", after).isTrue();
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("the run after %s: %s", after, errors).isZero();
    }

    /** Waits until the sessions the killed process left (a statement still running) have ended. */
    private void awaitNoOtherActiveSession() throws InterruptedException {
        for (int i = 0; i < 300 && (Long) db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                + "current_database() AND pid <> pg_backend_pid() AND state <> 'idle'") > 0; i++) {
            Thread.sleep(50);
        }
    }

    private void resetSchema() throws InterruptedException {
        awaitNoOtherActiveSession();
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private void assertConverged(String after) {
        assertThat(db.value("SELECT string_agg(version || ' ' || name, ',' ORDER BY version) FROM "
                + "ashlar_schema_migrations")).as("history after %s", after).isEqualTo(EXPECTED_HISTORY);
        assertThat(db.value("SELECT count(*) FROM items WHERE doubled = n * 2")).as(after).isEqualTo(200000L);
        assertThat(db.value("SELECT count(*) FROM tags")).as(after).isEqualTo(50000L);
        assertThat(db.value("SELECT string_agg(c.relname || '=' || i.indisvalid || '/' || i.indisready, ',' "
                + "ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace s "
                + "ON s.oid = c.relnamespace WHERE s.nspname = 'public' AND c.relname NOT LIKE 'ashlar%'"))
                .as("indexes after %s", after).isEqualTo("items_label_index=true/true,items_n_index=true/true,"
                        + "items_pkey=true/true,tags_item_id_index=true/true,tags_pkey=true/true");
    }

    @Test
    void aKillDuringAConcurrentIndexBuildConvergesOnTheNextRun() throws Exception {
        resetSchema();
        Process process = migrate();
        for (int i = 0; i < 400 && db.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE%INDEX "
                + "CONCURRENTLY%' AND state = 'active'").isEmpty(); i++) {
            Thread.sleep(25);
        }
        process.destroyForcibly().waitFor();
        migrateToTheEnd("a kill during CREATE INDEX CONCURRENTLY");

        assertConverged("a kill during CREATE INDEX CONCURRENTLY");
    }

    @Test
    void killsAtRandomPointsConvergeOnTheNextRun() throws Exception {
        resetSchema();
        long start = System.nanoTime();
        migrateToTheEnd("nothing");
        long whole = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertConverged("an uninterrupted run");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int kill = 0; kill < RANDOM_KILLS; kill++) {
            long at = random.nextLong(whole);
            String after = "a kill at " + at + " ms of " + whole + " (seed " + seed + ")";
            resetSchema();
            Process process = migrate();
            Thread.sleep(at);
            process.destroyForcibly().waitFor();
            migrateToTheEnd(after);

            assertConverged(after);
        }
    }
}
