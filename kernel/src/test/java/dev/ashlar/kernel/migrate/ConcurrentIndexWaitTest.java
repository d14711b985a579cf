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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A concurrent index build waits for every transaction older than itself to end, on any table, while it lets reads
 * and writes go on: the file's lock timeout does not cut that wait short. Statements that make writes wait keep it.
 */
@ExtendWith(PostgresExtension.class)
class ConcurrentIndexWaitTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void tables(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE TABLE items (id int PRIMARY KEY, code text);"
                + "CREATE TABLE audit (id int); INSERT INTO items SELECT g, 'c' || g FROM generate_series(1, 1000) g");
    }

    private void file(String up) throws IOException {
        Files.writeString(folder.resolve("20260101000000_index.sql"), "-- lock-timeout: 300ms\n"
                + "-- migrate:up transaction:false\n" + up + "\n-- migrate:down\nDROP INDEX items_code_index;\n");
    }

    /** A session in a transaction that holds a snapshot taken before the build, reading another table. */
    private Connection oldSnapshot() throws Exception {
        Connection open = db.dataSource().getConnection();
        open.setAutoCommit(false);
        try (Statement statement = open.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            statement.execute("SELECT count(*) FROM audit");
        }
        return open;
    }

    @Test
    void aConcurrentBuildWaitsPastTheLockTimeoutForAnOlderTransactionAndEndsValidWhileWritesGoOn() throws Exception {
        file("CREATE INDEX CONCURRENTLY items_code_index ON items (code);\n"
                + "CREATE INDEX CONCURRENTLY items_id_code_index ON items (id, code);");
        CompletableFuture<Void> migrating;
        try (Connection open = oldSnapshot()) {
            migrating = CompletableFuture.runAsync(() -> new Migrator(db.dataSource(), folder).migrate());
            Thread.sleep(1_000);
            db.execute("INSERT INTO items VALUES (1001, 'written while the build waits')");
            assertThat(migrating).as("the build waits for the older transaction, beyond the 300 ms bound").isNotDone();
            open.commit();
        }
        migrating.get(30, TimeUnit.SECONDS);

        assertThat(db.value("SELECT string_agg(c.relname || '=' || i.indisvalid, ',' ORDER BY c.relname) FROM pg_index i "
                + "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'items'::regclass"))
                .isEqualTo("items_code_index=true,items_id_code_index=true,items_pkey=true");
        assertThat(db.value("SHOW lock_timeout")).isEqualTo("0");
    }

    @Test
    void aStatementThatMakesWritesWaitKeepsTheLockTimeoutAndTheErrorSaysAFileOutsideATransactionIsNotRetried()
            throws Exception {
        file("CREATE INDEX CONCURRENTLY items_code_index ON items (code);\nALTER TABLE items ADD COLUMN note text;");
        try (Connection reader = db.dataSource().getConnection()) {
            reader.setAutoCommit(false);
            // A reader's lock leaves the build alone and holds back ALTER TABLE.
            try (Statement statement = reader.createStatement()) {
                statement.execute("LOCK TABLE items IN ACCESS SHARE MODE");
            }
            assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("at statement 2")
                    .hasMessageContaining("canceling statement due to lock timeout")
                    .hasMessageContaining("A file outside a transaction is not tried again");
            reader.rollback();
        }
        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_code_index'::regclass"))
                .isEqualTo(true);
    }
}
