package dev.ashlar.kernel.tenant;

import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.Migrator;
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
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Migration faults on populated tables from the operator's side: constraints over 100,000 rows some of which break
 * them while an application writes, and a tenant run meeting a long transaction in one schema. Each leaves nothing
 * half-done and says what happened and what to do.
 */
@ExtendWith(PostgresExtension.class)
class MigrationFaultProbesTest {
    /** Breaks the rows {@link #fixFirst} fixed, as they were before. */
    static final String BREAK_AGAIN = "UPDATE items SET code = NULL WHERE id = 10; UPDATE items SET code = 'c1' "
            + "WHERE id = 20; UPDATE items SET qty = -1 WHERE id = 30";

    @TempDir
    Path main;
    @TempDir
    Path tenant;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'probe_%' "
                + "LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END $$; "
                + "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static void file(Path folder, String name, String up) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\nSELECT 1;\n");
    }

    @Test
    void constraintsOverAHundredThousandRowsSomeBreakingThemFailWholeWhileWritesGoOnAndNameTheViolation()
            throws Exception {
        db.execute("CREATE TABLE owners (id int PRIMARY KEY); INSERT INTO owners SELECT generate_series(1, 1000); "
                + "CREATE TABLE items (id bigserial PRIMARY KEY, owner_id int, code text, qty int); "
                + "INSERT INTO items (owner_id, code, qty) SELECT 1 + i % 1000, 'c' || i, i % 50 "
                + "FROM generate_series(1, 100000) i; "
                // the rows that break each constraint: a null code, a shared code, a negative qty, a missing owner
                + "UPDATE items SET code = NULL WHERE id = 10; UPDATE items SET code = 'c1' WHERE id = 20; "
                + "UPDATE items SET qty = -1 WHERE id = 30; UPDATE items SET owner_id = 5000 WHERE id = 40");
        String[] statements = {"ALTER TABLE items ALTER COLUMN code SET NOT NULL;",
            "ALTER TABLE items ADD CONSTRAINT items_code_key UNIQUE (code);",
            "ALTER TABLE items ADD CONSTRAINT items_qty_check CHECK (qty >= 0);",
            "ALTER TABLE items ADD CONSTRAINT items_owner_fkey FOREIGN KEY (owner_id) REFERENCES owners (id);"};
        String[] expected = {"contains null values", "could not create unique index", "is violated by some row",
            "violates foreign key constraint"};
        String[] fix = {"1 row of public.items breaks it. Find them with: SELECT * FROM public.items WHERE code IS NULL;", "change or remove the duplicates", "change or remove them",
            "point them at rows that exist"};
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement insert = c.prepareStatement("INSERT INTO items (owner_id, code, qty) "
                         + "VALUES (1, 'w' || ?, 1)")) {
                while (writing.get()) {
                    insert.setLong(1, written.incrementAndGet());
                    insert.executeUpdate();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            for (int i = 0; i < statements.length; i++) {
                String name = String.format("2026010100000%d_constrain_items.sql", i);
                // each file holds every statement up to the one under test, so the earlier ones must roll back too
                file(main, name, String.join("\n", java.util.Arrays.copyOfRange(statements, 0, i + 1)));
                db.execute(fixFirst(i));
                int failing = i;
                assertThatThrownBy(() -> new Migrator(db.dataSource(), main).lockTimeout(Duration.ofSeconds(10))
                        .migrate()).isInstanceOf(MigrationException.class)
                        .hasMessageContaining(name).hasMessageContaining(expected[failing])
                        .hasMessageContaining("items").hasMessageContaining("Nothing of this file was applied")
                        .hasMessageContaining(fix[failing]);
                assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conrelid = 'items'::regclass "
                        + "AND contype <> 'p'")).isEqualTo(0L);
                assertThat(db.value("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass "
                        + "AND attname = 'code'")).isEqualTo(false);
                assertThat(db.value("SELECT count(*) FROM pg_index WHERE indrelid = 'items'::regclass")).isEqualTo(1L);
                assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
                Files.delete(main.resolve(name));
                db.execute(BREAK_AGAIN);
            }
        } finally {
            writing.set(false);
        }
        writer.get(30, TimeUnit.SECONDS);
        assertThat(written.get()).isPositive();
        assertThat(db.value("SELECT count(*) FROM items")).isEqualTo(100_000L + written.get());
    }

    /** Before file i runs, the rows breaking the statements before its last are fixed, so its last one fails. */
    private static String fixFirst(int i) {
        List<String> fixes = List.of("UPDATE items SET code = 'fixed10' WHERE id = 10",
                "UPDATE items SET code = 'fixed20' WHERE id = 20", "UPDATE items SET qty = 0 WHERE id = 30");
        return i == 0 ? "SELECT 1" : String.join("; ", fixes.subList(0, i));
    }

    @Test
    void aTenantRunMeetingALongTransactionInOneSchemaReportsItWithinTheLockTimeoutAndMigratesTheRest()
            throws Exception {
        file(tenant, "20260101000000_create_notes.sql", "CREATE TABLE notes (id int PRIMARY KEY, body text);");
        List<String> schemas = List.of("probe_a", "probe_b", "probe_c");
        for (String schema : schemas) {
            db.execute("CREATE SCHEMA " + schema);
        }
        new TenantMigrator(db.dataSource(), tenant).migrate(schemas.iterator(), 3);
        db.execute("INSERT INTO probe_b.notes SELECT i, 'n' || i FROM generate_series(1, 100000) i");
        file(tenant, "20260102000000_add_rating.sql", "ALTER TABLE notes ADD COLUMN rating int;\n"
                + "ALTER TABLE notes ADD CONSTRAINT notes_body_key UNIQUE (body);");

        TenantReport report;
        try (Connection holder = db.dataSource().getConnection(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("SET application_name = 'nightly_report'");
            statement.execute("SELECT count(*) FROM probe_b.notes");
            long start = System.nanoTime();

            report = new TenantMigrator(db.dataSource(), tenant).jobs(2).lockTimeout(Duration.ofSeconds(1))
                    .migrate(schemas.iterator(), 3);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            holder.rollback();
        }
        assertThat(report.migrated()).isEqualTo(2);
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.schema()).isEqualTo("probe_b");
            assertThat(f.message()).contains("20260102000000_add_rating.sql").contains("lock timeout")
                    .contains("nightly_report");
        });
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'probe_b' "
                + "AND table_name = 'notes' AND column_name = 'rating'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM probe_b.ashlar_schema_migrations")).isEqualTo(1L);

        TenantReport rerun = new TenantMigrator(db.dataSource(), tenant).migrate(schemas.iterator(), 3);

        assertThat(rerun.migrated()).isEqualTo(1);
        assertThat(rerun.upToDate()).isEqualTo(2);
        assertThat(db.value("SELECT count(*) FROM probe_b.notes")).isEqualTo(100_000L);
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conname = 'notes_body_key'")).isEqualTo(3L);
    }
}
