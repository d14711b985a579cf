package dev.ashlar.kernel.tenant;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.migrate.MigrationDirectory;
import dev.ashlar.kernel.migrate.MigrationEvent;
import dev.ashlar.kernel.migrate.MigrationListener;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class TenantMigratorTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void tenants(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant_%' "
                + "LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END $$; "
                + "DROP TABLE IF EXISTS ashlar_tenant_migrations");
        Files.writeString(folder.resolve("20260101000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (id int PRIMARY KEY, body text);\n-- migrate:down\nDROP TABLE notes;\n");
    }

    private List<String> schemas(int count) {
        List<String> names = IntStream.range(0, count).mapToObj(i -> String.format("tenant_%04d", i)).toList();
        db.execute(String.join(";", names.stream().map(n -> "CREATE SCHEMA " + n).toList()));
        return names;
    }

    private TenantReport migrate(List<String> schemas) {
        return new TenantMigrator(db.dataSource(), folder).jobs(4).migrate(schemas.iterator(), schemas.size());
    }

    /**
     * A tenant run whose thread is interrupted while its workers run files: when the call returns, no statement of the
     * run is still running on the server, the schemas in progress are rolled back unrecorded, the lock is free, and the
     * thread keeps its interrupt.
     */
    @Test
    void anInterruptedTenantRunEndsItsWorkersStatementsBeforeItReturnsAndKeepsTheInterrupt() throws Exception {
        Files.writeString(folder.resolve("20260101000000_create_notes.sql"), "-- migrate:up\nCREATE TABLE notes "
                + "(id int);\nSELECT pg_sleep(30);\n-- migrate:down\nDROP TABLE notes;\n");
        List<String> schemas = schemas(3);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        AtomicLong sleepingAtReturn = new AtomicLong(-1);
        Thread migrating = new Thread(() -> {
            try {
                new TenantMigrator(db.dataSource(), folder).jobs(2).migrate(schemas.iterator(), schemas.size());
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                stillInterrupted.set(Thread.currentThread().isInterrupted());
                sleepingAtReturn.set(sleeping());
            }
        });
        migrating.start();
        for (int i = 0; i < 400 && sleeping() < 2; i++) {
            Thread.sleep(25);
        }
        assertThat(sleeping()).isEqualTo(2L);

        long start = System.nanoTime();
        migrating.interrupt();
        migrating.join(20_000);

        assertThat(migrating.isAlive()).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms to the end of the run").isLessThan(5_000);
        assertThat(sleepingAtReturn.get()).as("statements of the run still running when it returned").isZero();
        assertThat(stillInterrupted).isTrue();
        assertThat(failure.get()).isInstanceOf(AshlarException.class)
                .hasMessageContaining("interrupted").hasMessageContaining("rolled back").hasMessageContaining("again");
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relname = 'notes'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database())")).isEqualTo(0L);
    }

    @Test
    void aTenantWhoseHistoryAnotherSessionLocksFailsWithinTheLockTimeoutNamingTheHolderWhileTheOthersMigrate()
            throws Exception {
        List<String> schemas = schemas(4);
        assertThat(migrate(schemas).migrated()).isEqualTo(4);
        Files.writeString(folder.resolve("20260102000000_add_x.sql"),
                "-- migrate:up\nALTER TABLE notes ADD COLUMN x int;\n-- migrate:down\nALTER TABLE notes DROP COLUMN x;\n");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(POOLED);
        HikariDataSource pool = new HikariDataSource(config);
        TenantMigrator bounded = new TenantMigrator(pool, folder).jobs(2).lockTimeout(Duration.ofSeconds(1));
        TenantReport report;
        try (pool; Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE tenant_0002.ashlar_schema_migrations IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<TenantReport> run = CompletableFuture.supplyAsync(
                    () -> bounded.migrate(schemas.iterator(), schemas.size()));
            report = run.get(30, TimeUnit.SECONDS);
            holder.rollback();
            assertThat(lockTimeouts(pool)).as("no pooled connection keeps the run's lock timeout")
                    .containsOnly("0").hasSize(POOLED);
        }

        assertThat(report.migrated()).isEqualTo(3);
        assertThat(report.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.schema()).isEqualTo("tenant_0002");
            assertThat(failure.message()).contains("Could not read the migration history \"tenant_0002\"."
                    + "\"ashlar_schema_migrations\" within the lock timeout").contains("session with pid")
                    .contains("--lock-timeout");
        });
        assertThat(db.value("SELECT string_agg(table_schema, ',' ORDER BY table_schema) FROM "
                + "information_schema.columns WHERE column_name = 'x'")).isEqualTo("tenant_0000,tenant_0001,tenant_0003");
        assertThat(db.activeConnections()).isZero();

        TenantMigrator again = new TenantMigrator(db.dataSource(), folder).lockTimeout(Duration.ofSeconds(1));
        assertThat(again.migrate(schemas.iterator(), schemas.size()).migrated()).isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE column_name = 'x'")).isEqualTo(4L);
    }

    @Test
    void aTenantRunOfFilesOutsideATransactionGivesEveryPooledConnectionBackItsOwnSettingsAfterASuccessAndAFailure()
            throws Exception {
        List<String> schemas = schemas(3);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(POOLED);
        config.setConnectionInitSql("SET lock_timeout = '7s'; SET statement_timeout = '8s'; "
                + "SET search_path = public, pg_catalog");
        String shown = "concat_ws(' / ', current_setting('lock_timeout'), current_setting('statement_timeout'), "
                + "current_setting('search_path'), coalesce(nullif(current_setting('ashlar.deployment_id', true), ''), "
                + "'no deployment'))";
        String own = "7s / 8s / public, pg_catalog / no deployment";
        try (HikariDataSource pool = new HikariDataSource(config)) {
            TenantMigrator bounded = new TenantMigrator(pool, folder).jobs(2).lockTimeout(Duration.ofSeconds(1));
            Files.writeString(folder.resolve("20260102000000_fill.sql"), "-- migrate:up transaction:false\n"
                    + "INSERT INTO notes SELECT i, 'n' || i FROM generate_series(1, 50) i;\n"
                    + "CREATE INDEX CONCURRENTLY notes_body ON notes (body);\n-- migrate:down\nSELECT 1;\n");
            assertThat(bounded.migrate(schemas.iterator(), schemas.size()).migrated()).isEqualTo(3);
            assertThat(settings(pool, shown)).containsOnly(own).hasSize(POOLED);

            db.execute("INSERT INTO tenant_0001.notes VALUES (-1, 'blocks the next file')");
            Files.writeString(folder.resolve("20260103000000_refill.sql"), "-- migrate:up transaction:false\n"
                    + "UPDATE notes SET body = upper(body);\nINSERT INTO notes VALUES (-1, 'taken in tenant_0001');\n"
                    + "-- migrate:down\nSELECT 1;\n");
            TenantReport report = bounded.migrate(schemas.iterator(), schemas.size());
            assertThat(report.migrated()).isEqualTo(2);
            assertThat(report.failures()).singleElement().satisfies(failure -> assertThat(failure.message())
                    .contains("20260103000000_refill.sql").contains("duplicate key"));
            assertThat(settings(pool, shown)).containsOnly(own).hasSize(POOLED);
        }
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'notes_body'")).isEqualTo(3L);
        assertThat(db.value("SELECT count(*) FROM tenant_0001.notes WHERE body = upper(body)")).isEqualTo(51L);
        assertThat(db.activeConnections()).isZero();
    }

    private static final int POOLED = 6;

    /** The lock_timeout of every connection of a pool, all borrowed at once. */
    private static List<String> lockTimeouts(HikariDataSource pool) throws SQLException {
        return settings(pool, "current_setting('lock_timeout')");
    }

    /** An expression of the session's settings on every connection of a pool, all borrowed at once. */
    private static List<String> settings(HikariDataSource pool, String expression) throws SQLException {
        List<Connection> borrowed = new ArrayList<>();
        try {
            List<String> settings = new ArrayList<>();
            for (int i = 0; i < POOLED; i++) {
                Connection connection = pool.getConnection();
                borrowed.add(connection);
                try (Statement show = connection.createStatement();
                     ResultSet row = show.executeQuery("SELECT " + expression)) {
                    row.next();
                    settings.add(row.getString(1));
                }
            }
            return settings;
        } finally {
            for (Connection connection : borrowed) {
                connection.close();
            }
        }
    }

    private long sleeping() {
        return (Long) db.value("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' "
                + "AND state = 'active' AND pid <> pg_backend_pid()");
    }

    @Test
    void aTenantFileRenamedWithItsVersionKeptFailsValidationInEverySchemaNamingBothNamesUntilRepairRecordsIt()
            throws IOException {
        List<String> schemas = schemas(2);
        assertThat(migrate(schemas).migrated()).isEqualTo(2);
        Files.move(folder.resolve("20260101000000_create_notes.sql"), folder.resolve("20260101000000_notes.sql"));

        TenantReport invalid = new TenantMigrator(db.dataSource(), folder).validate(schemas.iterator(), schemas.size());

        assertThat(invalid.failures()).extracting(TenantReport.Failure::schema).containsExactlyInAnyOrderElementsOf(schemas);
        assertThat(invalid.failures()).extracting(TenantReport.Failure::message).allSatisfy(message ->
                assertThat(message).startsWith("Migration 20260101000000 was applied to tenant_000")
                        .contains("as 20260101000000_create_notes.sql, but its file in " + folder
                                + " is now 20260101000000_notes.sql").contains("'ashlar repair --tenant tenant_000"));
        assertThat(new TenantMigrator(db.dataSource(), folder).messages(line -> { })
                .repair(schemas.iterator(), schemas.size()).failed()).isZero();
        for (String schema : schemas) {
            assertThat(db.value("SELECT name FROM " + schema + ".ashlar_schema_migrations")).isEqualTo("notes");
        }
        assertThat(new TenantMigrator(db.dataSource(), folder).validate(schemas.iterator(), schemas.size()).failed())
                .isZero();
    }

    @Test
    void aTenantFileEditedOrDeletedOnPurposeFailsValidationAndIsRepairedInEverySchemaRunningNothing()
            throws IOException {
        List<String> schemas = schemas(2);
        Files.writeString(folder.resolve("20260102000000_create_tags.sql"),
                "-- migrate:up\nCREATE TABLE tags (id int);\n-- migrate:down\nDROP TABLE tags;\n");
        Files.writeString(folder.resolve("20260103000000_create_labels.sql"),
                "-- migrate:up\nCREATE TABLE labels (id int);\n-- migrate:down\nDROP TABLE labels;\n");
        assertThat(migrate(schemas).migrated()).isEqualTo(2);
        Files.writeString(folder.resolve("20260101000000_create_notes.sql"), "-- migrate:up\n-- the notes\n"
                + "CREATE TABLE notes (id int PRIMARY KEY, body text);\n-- migrate:down\nDROP TABLE notes;\n");
        Files.delete(folder.resolve("20260102000000_create_tags.sql"));

        assertThat(migrate(schemas).failures()).extracting(TenantReport.Failure::message).allSatisfy(message ->
                assertThat(message).contains("was changed after it was applied").contains("'ashlar repair --tenant "
                        + "tenant_000"));

        TenantReport invalid = new TenantMigrator(db.dataSource(), folder).validate(schemas.iterator(), schemas.size());
        assertThat(invalid.failures()).extracting(TenantReport.Failure::schema).containsExactlyInAnyOrderElementsOf(schemas);
        assertThat(invalid.failures()).extracting(TenantReport.Failure::message).allSatisfy(message ->
                assertThat(message).startsWith("Validation of tenant_000").contains("found 2 problems")
                        .contains("1. Migration 20260101000000_create_notes.sql was changed after it was applied to "
                                + "tenant_000")
                        .contains("2. Migration 20260102000000_create_tags.sql is applied to tenant_000"));

        List<String> lines = new CopyOnWriteArrayList<>();
        TenantReport repaired = new TenantMigrator(db.dataSource(), folder).messages(lines::add)
                .repair(schemas.iterator(), schemas.size());
        assertThat(repaired.failed()).isZero();
        assertThat(lines).containsExactlyInAnyOrder(
                "recorded the new text of 20260101000000_create_notes.sql in tenant_0000 (not run)",
                "forgot 20260102000000_create_tags in tenant_0000 (its file is gone; its schema changes stay)",
                "recorded the new text of 20260101000000_create_notes.sql in tenant_0001 (not run)",
                "forgot 20260102000000_create_tags in tenant_0001 (its file is gone; its schema changes stay)");
        String checksum = dev.ashlar.kernel.migrate.MigrationFile.read(folder.resolve("20260101000000_create_notes.sql"))
                .checksum();
        for (String schema : schemas) {
            assertThat(db.value("SELECT string_agg(version || ' ' || checksum, ',' ORDER BY version) FROM " + schema
                    + ".ashlar_schema_migrations")).asString().startsWith("20260101000000 " + checksum + ",20260103000000 ")
                    .doesNotContain("20260102000000");
            assertThat(db.value("SELECT to_regclass('" + schema + ".tags') IS NOT NULL")).isEqualTo(true);
        }
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE version = '20260101000000' "
                + "AND checksum = ?", checksum)).isEqualTo(2L);

        assertThat(new TenantMigrator(db.dataSource(), folder).validate(schemas.iterator(), schemas.size()).failed())
                .isZero();
        TenantReport again = migrate(schemas);
        assertThat(again.failed()).isZero();
        assertThat(again.migrated()).isZero();
    }

    @Test
    void tenantSchemasThatAlreadyHaveTheirTablesAreToldToBaselineAndBaselinedWithoutRunningTheFiles()
            throws IOException {
        List<String> schemas = schemas(2);
        schemas.forEach(schema -> db.execute("CREATE TABLE " + schema + ".notes (id int PRIMARY KEY, body text); "
                + "INSERT INTO " + schema + ".notes VALUES (1, 'kept')"));
        assertThat(migrate(schemas).failures()).extracting(TenantReport.Failure::message).allSatisfy(message ->
                assertThat(message).contains("relation \"notes\" already exists")
                        .contains("('ashlar baseline --tenant tenant_000").contains(" --to 20260101000000' for this file"));

        TenantMigrator migrator = new TenantMigrator(db.dataSource(), folder);
        assertThatThrownBy(() -> migrator.baseline(schemas.iterator(), schemas.size(), "20250101000000"))
                .hasMessageStartingWith("Cannot baseline the tenant schemas to 20250101000000: no migration of "
                        + folder + " is at or before it");
        List<String> lines = new CopyOnWriteArrayList<>();
        assertThat(migrator.messages(lines::add).baseline(schemas.iterator(), schemas.size(), "20260101000000")
                .failed()).isZero();
        assertThat(lines).containsExactlyInAnyOrder(
                "baselined 20260101000000_create_notes.sql in tenant_0000 (not run)",
                "baselined 20260101000000_create_notes.sql in tenant_0001 (not run)");
        assertThat(migrator.baseline(schemas.iterator(), schemas.size(), null).failed()).as("twice: nothing more")
                .isZero();

        Files.writeString(folder.resolve("20260102000000_add_title.sql"),
                "-- migrate:up\nALTER TABLE notes ADD COLUMN title text;\n-- migrate:down\nSELECT 1;\n");
        TenantReport report = migrate(schemas);
        assertThat(report.failed()).isZero();
        assertThat(report.migrated()).isEqualTo(2);
        for (String schema : schemas) {
            assertThat(db.value("SELECT string_agg(version || ' ' || baselined, ',' ORDER BY version) FROM " + schema
                    + ".ashlar_schema_migrations")).isEqualTo("20260101000000 true,20260102000000 false");
            assertThat(db.value("SELECT body || ' ' || coalesce(title, '-') FROM " + schema + ".notes"))
                    .isEqualTo("kept -");
        }
    }

    @Test
    void aListenerIsToldOfEachFileOfEachTenantSchemaInsideItsTransaction() throws IOException {
        List<String> schemas = schemas(6);
        db.execute("CREATE TABLE tenant_0003.notes (conflict int)");
        List<String> told = new CopyOnWriteArrayList<>();
        MigrationListener listener = new MigrationListener() {
            @Override
            public void afterEach(MigrationEvent event, long millis) throws SQLException {
                try (var count = event.connection().prepareStatement("SELECT count(*) FROM notes");
                     var row = count.executeQuery()) {
                    row.next();
                    told.add(event.schema() + " " + event.file().version() + " " + row.getLong(1));
                }
            }

            @Override
            public void afterEachError(MigrationEvent event, Exception error) {
                told.add(event.schema() + " failed");
            }
        };

        TenantReport report = new TenantMigrator(db.dataSource(), folder).jobs(3).listener(listener)
                .migrate(schemas.iterator(), schemas.size());

        assertThat(report.failed()).isEqualTo(1);
        assertThat(told).containsExactlyInAnyOrder("tenant_0000 20260101000000 0", "tenant_0001 20260101000000 0",
                "tenant_0002 20260101000000 0", "tenant_0003 failed", "tenant_0004 20260101000000 0",
                "tenant_0005 20260101000000 0");
    }

    @Test
    void migratesEveryTenantAndReportsTheOneThatFailsWithoutStoppingTheOthers() throws IOException {
        List<String> schemas = schemas(200);
        db.execute("CREATE TABLE tenant_0137.notes (conflict int)");
        Files.writeString(folder.resolve("20260102000000_add_rating.sql"), "-- migrate:up\nALTER TABLE notes ADD COLUMN "
                + "rating int;\nCREATE INDEX notes_rating_index ON notes (rating);\n-- migrate:down\n"
                + "ALTER TABLE notes DROP COLUMN rating;\n");

        TenantReport first = migrate(schemas);

        assertThat(first.migrated()).isEqualTo(199);
        assertThat(first.failed()).isEqualTo(1);
        assertThat(first.failures()).singleElement().satisfies(f -> {
            assertThat(f.schema()).isEqualTo("tenant_0137");
            assertThat(f.message()).contains("20260101000000_create_notes.sql failed on tenant_0137")
                    .contains("relation \"notes\" already exists");
        });
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE 'tenant_%' "
                + "AND table_name = 'notes' AND column_name = 'rating'")).isEqualTo(199L);
        assertThat(db.value("SELECT count(*) FROM tenant_0042.ashlar_schema_migrations")).isEqualTo(2L);

        db.execute("DROP TABLE tenant_0137.notes");
        TenantReport rerun = migrate(schemas);

        assertThat(rerun.migrated()).isEqualTo(1);
        assertThat(rerun.upToDate()).isEqualTo(199);
        assertThat(rerun.succeeded()).isTrue();
        assertThat(db.value("SELECT count(*) FROM tenant_0137.ashlar_schema_migrations")).isEqualTo(2L);
    }

    @Test
    void aSchemaWhoseConnectionIsTerminatedIsReportedByNameWhileTheOthersMigrateAndARerunCompletesIt()
            throws Exception {
        List<String> schemas = schemas(6);
        Files.writeString(folder.resolve("20260102000000_wait_in_one.sql"), "-- migrate:up\nALTER TABLE notes ADD "
                + "COLUMN rating int;\nSELECT pg_sleep(CASE WHEN current_schema() = 'tenant_0003' AND NOT EXISTS "
                + "(SELECT 1 FROM public.tenant_rerun) THEN 30 ELSE 0 END);\n-- migrate:down\nSELECT 1;\n");
        db.execute("DROP TABLE IF EXISTS public.tenant_rerun; CREATE TABLE public.tenant_rerun (id int)");
        try {
            CompletableFuture<TenantReport> run = CompletableFuture.supplyAsync(() -> migrate(schemas));
            Object pid = null;
            for (int i = 0; i < 200 && pid == null; i++) {
                Thread.sleep(50);
                pid = db.value("SELECT min(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(CASE%' "
                        + "AND state = 'active' AND now() - query_start > interval '100 milliseconds'");
            }
            db.execute("SELECT pg_terminate_backend(" + pid + ")");
            TenantReport report = run.get(60, TimeUnit.SECONDS);

            assertThat(report.migrated()).isEqualTo(5);
            assertThat(report.failures()).singleElement().satisfies(f -> {
                assertThat(f.schema()).isEqualTo("tenant_0003");
                assertThat(f.message()).contains("20260102000000_wait_in_one.sql failed on tenant_0003")
                        .contains("The connection was lost").contains("migrate again");
            });
            assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM "
                    + "tenant_0003.ashlar_schema_migrations")).isEqualTo("20260101000000");
            assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE "
                    + "'tenant_%' AND table_name = 'notes' AND column_name = 'rating'")).isEqualTo(5L);

            db.execute("INSERT INTO public.tenant_rerun VALUES (1)");
            TenantReport rerun = migrate(schemas);

            assertThat(rerun.migrated()).isEqualTo(1);
            assertThat(rerun.upToDate()).isEqualTo(5);
            assertThat(db.value("SELECT count(*) FROM tenant_0003.ashlar_schema_migrations")).isEqualTo(2L);
        } finally {
            db.execute("DROP TABLE public.tenant_rerun");
        }
    }

    @Test
    void aTenantFileSeedsEachSchemaWithCopyFromStdinIntoItsOwnTables() throws IOException {
        List<String> schemas = schemas(3);
        db.execute("CREATE TABLE public.notes (id int, body text)");
        Files.writeString(folder.resolve("20260102000000_seed_notes.sql"), "-- migrate:up\n"
                + "COPY notes (id, body) FROM stdin;\n1\twelcome\n2\t\\N\n\\.\n"
                + "INSERT INTO notes VALUES (3, 'after');\n-- migrate:down\nDELETE FROM notes;\n");

        TenantReport report = migrate(schemas);

        assertThat(report.failures()).isEmpty();
        for (String schema : schemas) {
            assertThat(db.value("SELECT string_agg(id || ':' || coalesce(body, '-'), ',' ORDER BY id) FROM "
                    + schema + ".notes")).as(schema).isEqualTo("1:welcome,2:-,3:after");
        }
        assertThat(db.value("SELECT count(*) FROM public.notes")).as("the search path led to each tenant's table")
                .isEqualTo(0L);
    }

    @Test
    void schemasTheServerRefusedAConnectionAreReportedNamingTheLimitAndJobsAndARerunWithFewerJobsMigratesThem() throws SQLException {
        List<String> schemas = schemas(6);
        try (TestDatabase.Role role = db.loginRole("tenant_limited")) {
            db.execute(String.join(";", schemas.stream().map(s -> "ALTER SCHEMA " + s + " OWNER TO tenant_limited")
                    .toList()) + "; GRANT ALL ON ALL TABLES IN SCHEMA public TO tenant_limited");
            db.execute("ALTER ROLE tenant_limited CONNECTION LIMIT 2");
            PGSimpleDataSource asLimited = new PGSimpleDataSource();
            asLimited.setUrl(db.urlWithCredentials());
            asLimited.setUser(role.name());
            asLimited.setPassword("");

            // A session held aside leaves the run its lock's connection alone: every job's connection is refused,
            // however quickly the jobs would otherwise give theirs back on a busy machine.
            TenantReport refused;
            try (Connection held = asLimited.getConnection()) {
                refused = new TenantMigrator(asLimited, folder).jobs(4).migrate(schemas.iterator(), 6);
                assertThat(held.isValid(1)).isTrue();
            }

            assertThat(refused.failures()).isNotEmpty().allSatisfy(failure -> assertThat(failure.message())
                    .contains("too many connections for role \"tenant_limited\"").contains("CONNECTION LIMIT")
                    .contains("migrate fewer schemas at once (--jobs"));
            assertThat(refused.failed()).isEqualTo(6);

            // The first run's sessions end on the server a moment after their connections close: until then they
            // still count against the limit, which the rerun (a lock session and one job) reaches.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (((Number) db.value("SELECT count(*) FROM pg_stat_activity WHERE usename = 'tenant_limited'"))
                    .longValue() > 0 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            }
            // The rerun goes through a pool of two, a job's and the lock's, as the message advises: without one, each
            // schema's new connection could open before the last one's session had ended on the server.
            TenantReport rerun;
            HikariConfig config = new HikariConfig();
            config.setDataSource(asLimited);
            config.setMaximumPoolSize(2);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                rerun = new TenantMigrator(pool, folder).jobs(1).migrate(schemas.iterator(), 6);
            }

            assertThat(rerun.failures()).isEmpty();
            assertThat(rerun.succeeded()).isTrue();
            assertThat(rerun.migrated()).isEqualTo(refused.failed());
            assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema LIKE 'tenant_%' "
                    + "AND table_name = 'notes'")).isEqualTo(6L);
        }
    }

    @Test
    void aRunWithNothingPendingTouchesNoSchemaAndReportsThemUpToDate() {
        List<String> schemas = schemas(1000);
        migrate(schemas);
        db.execute("DELETE FROM tenant_0500.ashlar_schema_migrations");

        assertThat(new TenantMigrator(db.dataSource(), folder).validate(schemas.iterator(), schemas.size()).failed())
                .isZero();
        TenantReport again = migrate(schemas);

        assertThat(again.upToDate()).isEqualTo(1000);
        assertThat(again.migrated()).isZero();
        assertThat(db.value("SELECT count(*) FROM tenant_0500.ashlar_schema_migrations"))
                .as("a schema visited would have its file run and recorded again").isEqualTo(0L);
    }

    @Test
    void aTenantSchemaDroppedAndCreatedAgainByHandBetweenRunsGetsEveryFileInsteadOfPassingForMigrated() {
        List<String> schemas = schemas(3);
        migrate(schemas);
        db.execute("DROP SCHEMA tenant_0001 CASCADE; CREATE SCHEMA tenant_0001");

        assertThat(new TenantMigrator(db.dataSource(), folder).status(schemas.iterator()).pending())
                .containsExactly("tenant_0001");
        TenantReport again = migrate(schemas);

        assertThat(again.succeeded()).isTrue();
        assertThat(again.upToDate()).isEqualTo(2);
        assertThat(again.migrated()).isEqualTo(1);
        assertThat(db.value("SELECT to_regclass('tenant_0001.notes') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM tenant_0001.ashlar_schema_migrations")).isEqualTo(1L);
        assertThat(migrate(schemas).upToDate()).isEqualTo(3);
    }

    @Test
    void findingWhichSchemasArePendingLooksUpEachHistoryByIndexInsteadOfScanningTheCatalogOncePerSchema()
            throws SQLException {
        List<String> schemas = schemas(40);
        migrate(schemas);
        db.execute("DROP SCHEMA tenant_0001 CASCADE; CREATE SCHEMA tenant_0001");

        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            String scans = "SELECT coalesce(seq_scan, 0) FROM pg_stat_xact_sys_tables WHERE relid = 'pg_class'::regclass";
            long before = count(connection, scans);
            List<TenantRegistry.Behind> pending = new TenantRegistry("public", History.DEFAULT_TABLE)
                    .pending(connection, schemas,
                    MigrationDirectory.read(folder));
            long scanned = count(connection, scans) - before;
            connection.rollback();

            assertThat(pending).extracting(TenantRegistry.Behind::schema).containsExactly("tenant_0001");
            // The schema emptied by hand is looked at whole; the 39 others only for their history table.
            assertThat(scanned).isLessThan(5);
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void aTenantSchemaDroppedByHandFailsNamingItselfInsteadOfPassingForMigrated() {
        List<String> schemas = schemas(3);
        migrate(schemas);
        db.execute("DROP SCHEMA tenant_0001 CASCADE");

        assertThat(new TenantMigrator(db.dataSource(), folder).validate(schemas.iterator(), schemas.size()).failed())
                .isZero();
        TenantReport again = migrate(schemas);
        TenantStatus status = new TenantMigrator(db.dataSource(), folder).status(schemas.iterator());

        assertThat(again.upToDate()).isEqualTo(2);
        assertThat(again.failures()).singleElement().satisfies(f -> {
            assertThat(f.schema()).isEqualTo("tenant_0001");
            assertThat(f.message()).contains("Cannot migrate tenant schema tenant_0001: it does not exist, though "
                    + "the tenant registry records 1 tenant migration(s) applied to it").contains("CREATE SCHEMA");
        });
        assertThat(status.pending()).containsExactly("tenant_0001");
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_0001'")).isEqualTo(0L);

        db.execute("CREATE SCHEMA tenant_0001");
        TenantReport restored = migrate(schemas);

        assertThat(restored.migrated()).isEqualTo(1);
        assertThat(restored.succeeded()).isTrue();
        assertThat(db.value("SELECT to_regclass('tenant_0001.notes') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void twoTenantMigratorsAtOnceApplyEachFileOncePerSchema() throws Exception {
        List<String> schemas = schemas(50);

        CompletableFuture<TenantReport> first = CompletableFuture.supplyAsync(() -> migrate(schemas));
        CompletableFuture<TenantReport> second = CompletableFuture.supplyAsync(() -> migrate(schemas));

        TenantReport a = first.get(60, TimeUnit.SECONDS);
        TenantReport b = second.get(60, TimeUnit.SECONDS);
        assertThat(a.migrated() + b.migrated()).isEqualTo(50);
        assertThat(a.upToDate() + b.upToDate()).isEqualTo(50);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations")).isEqualTo(50L);
    }

    @Test
    void failFastStopsStartingSchemasAfterTheFirstFailure() {
        List<String> schemas = schemas(100);
        db.execute("CREATE TABLE tenant_0000.notes (conflict int)");

        TenantReport report = new TenantMigrator(db.dataSource(), folder).jobs(1).failFast(true)
                .migrate(schemas.iterator(), schemas.size());

        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.migrated()).isLessThan(99);
    }

    private PGSimpleDataSource server(String user, String options) {
        PGSimpleDataSource server = new PGSimpleDataSource();
        server.setUrl(db.urlWithCredentials());
        if (user != null) {
            server.setUser(user);
            server.setPassword("");
        }
        server.setOptions(options);
        return server;
    }

    @Test
    void aTenantRunTheDatabaseRefusesNamesTheSettingOrTheGrantsThatFixItAndAppliesNothing() {
        List<String> schemas = schemas(2);
        TenantMigrator readOnly = new TenantMigrator(server(null, "-c default_transaction_read_only=on"), folder);

        assertThatThrownBy(() -> readOnly.repair(schemas.iterator(), 2))
                .hasMessageStartingWith("Could not repair the tenant schemas: ");
        for (Runnable run : List.<Runnable>of(() -> readOnly.migrate(schemas.iterator(), 2),
                () -> readOnly.rollback(schemas.iterator(), 2, 1))) {
            assertThatThrownBy(run::run).isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("read-only transaction")
                    .hasMessageContaining("default_transaction_read_only is on")
                    .hasMessageContaining("Migrate the primary");
        }
        try (TestDatabase.Role limited = db.loginRole("tenant_grantless")) {
            db.execute("REVOKE CREATE ON SCHEMA public FROM tenant_grantless");
            assertThatThrownBy(() -> new TenantMigrator(server(limited.name(), null), folder)
                    .migrate(schemas.iterator(), 2)).isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("permission denied")
                    .hasMessageContaining("needs USAGE and CREATE on the tenant schemas")
                    .hasMessageContaining("public.ashlar_tenant_migrations");
        }
        assertThat(db.value("SELECT count(*) FROM pg_tables WHERE tablename = 'notes'")).isEqualTo(0L);

        assertThat(migrate(schemas).migrated()).isEqualTo(2);
    }

    @Test
    void aTenantSchemaTheRoleMayNotUseIsReportedNamingTheGrantWhileTheOthersMigrate() {
        List<String> schemas = schemas(3);
        migrate(schemas.subList(0, 1));
        try (TestDatabase.Role limited = db.loginRole("tenant_schema_grantless")) {
            db.execute("GRANT ALL ON ashlar_migration_locks, ashlar_tenant_migrations TO " + limited.name()
                    + "; ALTER SCHEMA tenant_0001 OWNER TO " + limited.name());

            TenantReport report = new TenantMigrator(server(limited.name(), null), folder)
                    .migrate(schemas.subList(1, 3).iterator(), 2);

            assertThat(report.migrated()).isEqualTo(1);
            assertThat(report.failures()).singleElement().satisfies(failure -> {
                assertThat(failure.schema()).isEqualTo("tenant_0002");
                assertThat(failure.message()).contains("permission denied for schema tenant_0002")
                        .contains("GRANT USAGE, CREATE ON SCHEMA \"tenant_0002\" TO the role");
            });
            assertThat(db.value("SELECT to_regclass('tenant_0002.notes') IS NULL")).isEqualTo(true);
            db.execute("ALTER SCHEMA tenant_0001 OWNER TO " + db.user());
        }
    }

    @Test
    void refusesHostileSchemaNamesWithoutRunningAnything() {
        List<String> hostile = List.of("tenant_\"; DROP TABLE x; --", "", "t".repeat(64));
        List<String> progress = new CopyOnWriteArrayList<>();

        TenantReport report = new TenantMigrator(db.dataSource(), folder)
                .progress(p -> progress.add(p.failed() + "/" + p.total()))
                .migrate(hostile.iterator(), hostile.size());

        assertThat(report.failed()).isEqualTo(3);
        assertThat(report.failures()).extracting(TenantReport.Failure::message)
                .anyMatch(m -> m.contains("is 64 bytes long")).anyMatch(m -> m.contains("is empty"));
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tenant_\"%'")).isEqualTo(0L);
        assertThat(progress).contains("3/3");
    }

    @Test
    void rollsBackTheLastTenantMigrationInEverySchema() {
        List<String> schemas = schemas(20);
        migrate(schemas);

        TenantReport report = new TenantMigrator(db.dataSource(), folder).rollback(schemas.iterator(), 20, 1);

        assertThat(report.migrated()).isEqualTo(20);
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'notes'")).isEqualTo(0L);
        assertThat(migrate(schemas).migrated()).isEqualTo(20);
    }

    @Test
    void aSchemaListedTwiceIsMigratedOnceAndNeverByTwoJobsAtOnce() {
        List<String> schemas = schemas(2);
        List<String> twice = List.of("tenant_0000", "tenant_0001", "tenant_0000", "tenant_0000", "tenant_0001");

        TenantReport report = new TenantMigrator(db.dataSource(), folder).jobs(4).migrate(twice.iterator(), 5);
        TenantStatus status = new TenantMigrator(db.dataSource(), folder).status(twice.iterator());

        assertThat(report.failures()).isEmpty();
        assertThat(report.migrated()).isEqualTo(2);
        assertThat(report.upToDate()).isEqualTo(3);
        assertThat(status.tenants()).isEqualTo(2);
        for (String schema : schemas) {
            assertThat(db.value("SELECT count(*) FROM " + schema + ".ashlar_schema_migrations")).isEqualTo(1L);
        }
    }

    @Test
    void workersFinishingAtOnceReportTheirProgressInOrderSoTheLastReportIsTheRunsCount() {
        List<String> schemas = schemas(200);
        List<Long> done = new CopyOnWriteArrayList<>();

        TenantReport report = new TenantMigrator(db.dataSource(), folder).jobs(4).progress(p -> done.add(p.done()))
                .migrate(schemas.iterator(), schemas.size());

        assertThat(report.migrated()).isEqualTo(200);
        assertThat(done).isSorted().hasSize(200).last().isEqualTo(200L);
    }

    @Test
    void theFirstSchemasMigrateWhileTheRestAreStillListedAndEachSchemaIsMigratedOnce() {
        List<String> schemas = schemas(TenantMigrator.FIRST_LISTING + 50);
        CountDownLatch firstMigrated = new CountDownLatch(1);
        AtomicBoolean listedFirst = new AtomicBoolean();
        // A slow source of names: those after the first listing come once a schema of it is migrated, and the first
        // schema comes again at the end.
        Iterator<String> names = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next <= schemas.size();
            }

            @Override
            public String next() {
                if (next == TenantMigrator.FIRST_LISTING) {
                    try {
                        listedFirst.set(!firstMigrated.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return next == schemas.size() ? schemas.get(next++ - schemas.size()) : schemas.get(next++);
            }
        };

        TenantReport report = new TenantMigrator(db.dataSource(), folder).jobs(4)
                .progress(p -> {
                    if (p.done() > 0) {
                        firstMigrated.countDown();
                    }
                }).migrate(names, schemas.size() + 1);

        assertThat(listedFirst).as("no schema was migrated before the whole list was read").isFalse();
        assertThat(report.failures()).isEmpty();
        assertThat(report.migrated()).isEqualTo(schemas.size());
        assertThat(report.upToDate()).isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM pg_tables WHERE tablename = 'notes' AND schemaname LIKE 'tenant\\_%'"))
                .isEqualTo((long) schemas.size());
        assertThat(db.value("SELECT sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I."
                + "ashlar_schema_migrations', nspname), false, true, '')))[1]::text::int) FROM pg_namespace "
                + "WHERE nspname LIKE 'tenant\\_%'")).isEqualTo((long) schemas.size());
        assertThat(db.value("SELECT count(DISTINCT schema_name) FROM ashlar_tenant_migrations"))
                .isEqualTo((long) schemas.size());
    }

    @Test
    void aSchemaNameOutsideTheAsciiRuleIsRefusedNamingItsFirstOtherCharacterAndNothingRunsInIt() {
        db.execute("CREATE SCHEMA \"tenant_Ünï\"; CREATE SCHEMA \"tenant_ q\"; CREATE SCHEMA tenant_ok");

        TenantReport report = migrate(List.of("tenant_Ünï", "tenant_ q", "tenant_ok"));

        assertThat(report.migrated()).isEqualTo(1L);
        assertThat(report.failures()).extracting(TenantReport.Failure::message).containsExactlyInAnyOrder(
                "the schema name 'tenant_Ünï' may hold only letters, digits, underscores and hyphens (ASCII: a-z, "
                        + "A-Z, 0-9, _ and -), and holds 'Ü'",
                "the schema name 'tenant_ q' may hold only letters, digits, underscores and hyphens (ASCII: a-z, "
                        + "A-Z, 0-9, _ and -), and holds U+0020");
        assertThat(db.value("SELECT string_agg(table_schema, ',') FROM information_schema.tables "
                + "WHERE table_name = 'notes'")).isEqualTo("tenant_ok");
    }
}
