package dev.ashlar.kernel.tenant;

import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A tenant run whose lock session ends stops starting schemas: those in progress roll back, those that committed
 * keep their registry rows, and the run ends with one error that counts them.
 */
@ExtendWith(PostgresExtension.class)
class TenantLockLossTest {
    static final int SCHEMAS = 60;
    @TempDir
    Path folder;
    TestDatabase db;
    final List<String> schemas = IntStream.rangeClosed(1, SCHEMAS).mapToObj(i -> "lost_" + i).toList();

    @BeforeEach
    void manyTenants(TestDatabase db) throws IOException {
        this.db = db;
        // The class's database is its own, and this its only test: nothing of an earlier run is left to drop.
        db.execute("CREATE SEQUENCE lost_attempts");
        schemas.forEach(schema -> db.execute("CREATE SCHEMA " + schema));
        Files.writeString(folder.resolve("20260101000000_slow.sql"), "-- migrate:up\n"
                + "DO $$ BEGIN PERFORM nextval('public.lost_attempts'); END $$;\n"
                + "CREATE TABLE tags (id int PRIMARY KEY);\nSELECT pg_sleep(0.05);\n-- migrate:down\nSELECT 1;\n");
    }

    private TenantReport migrate() {
        return new TenantMigrator(db.dataSource(), folder).jobs(2).migrate(schemas.iterator(), schemas.size());
    }

    private long migratedSchemas() {
        return (Long) db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema LIKE 'lost\\_%' "
                + "AND table_name = 'tags'");
    }

    @Test
    void aRunThatLosesItsLockStartsNoFurtherSchemaWritesTheRowsOfWhatCommittedAndEndsWithOneError()
            throws Exception {
        CompletableFuture<TenantReport> run = CompletableFuture.supplyAsync(this::migrate);
        for (int i = 0; i < 200 && migratedSchemas() < 10; i++) {
            Thread.sleep(20);
        }
        db.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                + "AND mode = 'ExclusiveLock'");

        Throwable lost = catchThrowable(() -> run.get(60, TimeUnit.SECONDS));

        assertThat(lost).isInstanceOf(ExecutionException.class).cause().isInstanceOf(MigrationException.class);
        long migrated = migratedSchemas();
        assertThat(migrated).as("some schemas migrated before the loss, not all").isBetween(10L, SCHEMAS - 1L);
        assertThat(lost.getCause().getMessage()).contains("the tenant migration lock was lost")
                .contains(migrated + " schema(s) migrated").contains("not started")
                .contains("Run migrate --tenants again");
        assertThat((Long) db.value("SELECT last_value FROM lost_attempts"))
                .as("no schema started its file after the loss: only those in progress (one per job) rolled back")
                .isLessThanOrEqualTo(migrated + 2);
        for (String schema : schemas) {
            long history = (Long) db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? "
                    + "AND table_name = 'ashlar_schema_migrations'", schema) == 0 ? 0L
                    : (Long) db.value("SELECT count(*) FROM " + schema + ".ashlar_schema_migrations");
            assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? "
                    + "AND table_name = 'tags'", schema)).as(schema + ": the table exists iff its file is recorded")
                    .isEqualTo(history);
            assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name = ?", schema))
                    .as(schema + ": the registry agrees with the history").isEqualTo(history);
        }

        TenantReport again = migrate();

        assertThat(again.failures()).isEmpty();
        assertThat(again.migrated()).isEqualTo(SCHEMAS - migrated);
        assertThat(migratedSchemas()).isEqualTo(SCHEMAS);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations")).isEqualTo((long) SCHEMAS);
    }
}
