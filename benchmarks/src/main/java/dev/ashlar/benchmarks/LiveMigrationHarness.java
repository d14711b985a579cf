package dev.ashlar.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.checks.ChecksPlugin;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.IndexesPlugin;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.spi.schema.Scope;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.references.Reference.reference;

/**
 * How long writes wait while a table with rows changes (a timed harness, not JMH: each change runs once, on a
 * fresh table). A table of N rows takes a steady stream of single-row inserts from another connection (one about
 * every millisecond) while one change is applied to it: an index, a foreign key, {@code SET NOT NULL}, a check;
 * once as the plain DDL and once as Ashlar generates it, applied by the migrator. For each it prints the longest
 * a write waited and the change's total time, and checks that the change holds in the catalog afterwards.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.ashlar.benchmarks.LiveMigrationHarness 1000000
 * </pre>
 * The server is {@code ASHLAR_BENCH_JDBC_URL} (with {@code ASHLAR_BENCH_USER}) or an embedded PostgreSQL.
 */
public final class LiveMigrationHarness {
    private static final Plugins PLUGINS = Plugins.none().with(new ReferencesPlugin()).with(new ChecksPlugin())
            .with(new IndexesPlugin());
    private static final int ACCOUNTS = 1_000;
    private static final long WRITE_EVERY_NANOS = 1_000_000;

    /** The change applied to the table, with its plain DDL and the catalog query that proves it holds. */
    enum Change {
        INDEX("an index", "CREATE INDEX \"events_amount_index\" ON \"public\".\"events\" (\"amount\")",
                "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('public.events_amount_index')"),
        FOREIGN_KEY("a foreign key", "ALTER TABLE \"public\".\"events\" ADD CONSTRAINT \"events_account_id_fkey\" "
                + "FOREIGN KEY (\"account_id\") REFERENCES \"public\".\"accounts\" (\"id\")",
                "SELECT convalidated FROM pg_constraint WHERE conname = 'events_account_id_fkey'"),
        NOT_NULL("SET NOT NULL", "ALTER TABLE \"public\".\"events\" ALTER COLUMN \"amount\" SET NOT NULL",
                "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.events'::regclass AND attname = 'amount'"),
        CHECK("a check", "ALTER TABLE \"public\".\"events\" ADD CONSTRAINT \"events_amount_not_negative_check\" "
                + "CHECK (amount >= 0)",
                "SELECT convalidated FROM pg_constraint WHERE conname = 'events_amount_not_negative_check'");

        final String label;
        final String naive;
        final String holds;

        Change(String label, String naive, String holds) {
            this.label = label;
            this.naive = naive;
            this.holds = holds;
        }
    }

    /**
     * What one change cost.
     *
     * @param longestStallMillis the longest a single-row insert took while the change ran
     * @param totalMillis        how long the change took
     * @param writes             the inserts that completed while it ran
     */
    record Cost(double longestStallMillis, double totalMillis, int writes) {
        @Override
        public String toString() {
            return String.format("%10.1f ms, %10.1f ms (%6d)%12s", longestStallMillis, totalMillis, writes, "");
        }
    }

    private LiveMigrationHarness() {
    }

    /** Accounts, and events that belong to one, with an amount; the change asks for the {@code changed} part. */
    static Domain domain(Change change, boolean changed) {
        ResourceBuilder event = Resource.builder("event").table("events").bigintPrimaryKey("id")
                .attribute("amount", INTEGER, a -> a.allowNil(!(changed && change == Change.NOT_NULL)))
                .attribute("note", TEXT).belongsTo("account", "account");
        event.with(References.of(changed && change == Change.FOREIGN_KEY ? reference("account")
                : reference("account").ignore()));
        if (changed && change == Change.INDEX) {
            event.with(CustomIndexes.of(index("amount")));
        }
        if (changed && change == Change.CHECK) {
            event.with(CheckConstraints.of(check("amount_not_negative").expression("amount >= 0").attributes("amount")));
        }
        Resource account = Resource.builder("account").table("accounts").bigintPrimaryKey("id").attribute("name", TEXT)
                .build();
        return Domain.builder("ledger").resources(account, event.build()).build();
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        EmbeddedPostgres embedded = System.getenv("ASHLAR_BENCH_JDBC_URL") == null ? EmbeddedPostgres.start() : null;
        try (HikariDataSource pool = pool(embedded)) {
            System.out.printf("%d rows, one insert about every %d ms from another connection%n", rows,
                    WRITE_EVERY_NANOS / 1_000_000);
            System.out.printf("%-14s | %-44s | %-44s%n", "change", "plain DDL: longest write wait, total (writes)",
                    "Ashlar: longest write wait, total (writes)");
            for (Change change : Change.values()) {
                Cost naive = run(pool, change, rows, false);
                Cost ashlar = run(pool, change, rows, true);
                System.out.printf("%-14s | %s | %s%n", change.label, naive, ashlar);
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** Builds the table with its rows, then applies the change under the stream of writes. */
    static Cost run(HikariDataSource pool, Change change, int rows, boolean throughAshlar) throws Exception {
        Path project = Files.createTempDirectory("ashlar-live-");
        reset(pool);
        codegen(project, change, false).generate("create_ledger");
        migrator(pool, project).migrate();
        load(pool, rows);
        if (throughAshlar) {
            codegen(project, change, true).generate("change_events");
        }
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<List<long[]>> writes = writer.submit(() -> write(pool, running));
            LockSupport.parkNanos(200 * WRITE_EVERY_NANOS);
            long start = System.nanoTime();
            if (throughAshlar) {
                migrator(pool, project).migrate();
            } else {
                execute(pool, change.naive);
            }
            long end = System.nanoTime();
            LockSupport.parkNanos(200 * WRITE_EVERY_NANOS);
            running.set(false);
            Cost cost = cost(writes.get(), start, end);
            requireHolds(pool, change);
            return cost;
        } finally {
            running.set(false);
            writer.shutdown();
        }
    }

    /** Single-row inserts, one about every millisecond, until told to stop: each as {start, duration} in nanos. */
    private static List<long[]> write(HikariDataSource pool, AtomicBoolean running) throws SQLException {
        List<long[]> writes = new ArrayList<>();
        try (Connection connection = pool.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO public.events (account_id, amount, note) VALUES (?, ?, 'live')")) {
            for (int i = 0; running.get(); i++) {
                insert.setLong(1, 1 + i % ACCOUNTS);
                insert.setInt(2, i % 100);
                long start = System.nanoTime();
                insert.executeUpdate();
                writes.add(new long[] {start, System.nanoTime() - start});
                LockSupport.parkNanos(WRITE_EVERY_NANOS);
            }
        }
        return writes;
    }

    /** The longest write that overlapped the change, and the writes that completed during it. */
    private static Cost cost(List<long[]> writes, long start, long end) {
        long longest = 0;
        int during = 0;
        for (long[] write : writes) {
            long finished = write[0] + write[1];
            if (write[0] < end && finished > start) {
                longest = Math.max(longest, write[1]);
                during += finished <= end ? 1 : 0;
            }
        }
        return new Cost(longest / 1e6, (end - start) / 1e6, during);
    }

    private static void requireHolds(HikariDataSource pool, Change change) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(change.holds)) {
            if (!row.next() || !row.getBoolean(1)) {
                throw new IllegalStateException(change.label + " does not hold after the change: " + change.holds);
            }
        }
    }

    private static Codegen codegen(Path project, Change change, boolean changed) {
        return new Codegen(project, domain(change, changed), PLUGINS, Renames.none(), Clock.systemUTC());
    }

    private static Migrator migrator(HikariDataSource pool, Path project) {
        return new Migrator(pool, Codegen.migrations(project, Scope.MAIN)).progress(line -> { });
    }

    private static void load(HikariDataSource pool, int rows) throws SQLException {
        execute(pool, "INSERT INTO public.accounts (name) SELECT 'account ' || i FROM generate_series(1, " + ACCOUNTS
                + ") i");
        execute(pool, "INSERT INTO public.events (account_id, amount, note) SELECT 1 + i % " + ACCOUNTS
                + ", i % 100, 'event ' || i FROM generate_series(1, " + rows + ") i");
        execute(pool, "VACUUM ANALYZE public.events");
    }

    private static void reset(HikariDataSource pool) throws SQLException {
        execute(pool, "DROP TABLE IF EXISTS public.events, public.accounts, public.ashlar_schema_migrations");
    }

    private static void execute(HikariDataSource pool, String sql) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static HikariDataSource pool(EmbeddedPostgres embedded) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(embedded != null ? embedded.getJdbcUrl("postgres", "postgres")
                : System.getenv("ASHLAR_BENCH_JDBC_URL"));
        config.setUsername(System.getenv().getOrDefault("ASHLAR_BENCH_USER", "postgres"));
        config.setPassword(System.getenv().getOrDefault("ASHLAR_BENCH_PASSWORD", ""));
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }
}
