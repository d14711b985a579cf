package dev.ashlar.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.MigrationDirectory;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.tenant.TenantMigrator;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import dev.ashlar.plugins.tenancy.ManageTenant;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.Scope;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;

/**
 * A timed harness for schema-per-tenant work at scale (not JMH: each step runs once, on fresh
 * schemas). Creates N tenants through the data layer (record, schema and tenant tables in one
 * transaction), then applies one new tenant migration (a column and an index) across the N schemas
 * with {@code TenantMigrator}, then runs it again with nothing pending through {@code Project}. Beside
 * it, on N other schemas each: the minimal hand-written JDBC loop ({@link HandLoop}), the baseline of
 * every ratio, and Flyway, one instance per schema, as teams loop over tenants with it today. Every
 * side runs on the same {@value #JOBS} threads and pool.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.ashlar.benchmarks.TenantHarness 1000 [--no-flyway]
 * </pre>
 * The server is {@code ASHLAR_BENCH_JDBC_URL} (with {@code ASHLAR_BENCH_USER}) or an embedded PostgreSQL;
 * with {@code ASHLAR_BENCH_CITUS_JDBC_URL} (a Citus coordinator's database) the same steps run there next.
 */
public final class TenantHarness {
    private static final int JOBS = 4;

    private TenantHarness() {
    }

    static Domain domain(boolean changed) {
        Resource organization = Resource.builder("organization").table("organizations")
                .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("org_", "id")).build();
        var note = Resource.builder("note").table("notes").integerPrimaryKey("id")
                .attribute("body", TEXT, a -> a.notNull()).timestamps().with(Multitenancy.context());
        Resource task = Resource.builder("task").table("tasks").integerPrimaryKey("id")
                .attribute("title", TEXT, a -> a.notNull()).attribute("done", BOOLEAN, a -> a.notNull().defaultValue(false))
                .attribute("due_at", TIMESTAMPTZ).belongsTo("note", "note").with(Multitenancy.context()).build();
        if (changed) {
            note.attribute("priority", INTEGER).identity("unique_priority_body", "priority", "body");
        }
        return Domain.builder("workspace").resources(organization, note.build(), task).build();
    }

    public static void main(String[] args) throws Exception {
        int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        boolean withFlyway = !List.of(args).contains("--no-flyway");
        EmbeddedPostgres embedded = System.getenv("ASHLAR_BENCH_JDBC_URL") == null ? EmbeddedPostgres.start() : null;
        try (HikariDataSource pool = pool(embedded)) {
            run(pool, "one server", tenants, withFlyway);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        String citus = System.getenv("ASHLAR_BENCH_CITUS_JDBC_URL");
        if (citus != null) {
            try (HikariDataSource pool = pool(citus)) {
                run(pool, "Citus", tenants, false);
            }
        }
    }

    /** Creates the tenants and migrates them on one database, each side on {@value #JOBS} threads, printing the figures. */
    private static void run(HikariDataSource pool, String label, int tenants, boolean withFlyway) throws Exception {
        Path project = Files.createTempDirectory("ashlar-tenants-");
        Plugins plugins = Plugins.discover(TenantHarness.class.getClassLoader());
        reset(pool);
        generate(project, plugins, false, "create_workspace");
        new Migrator(pool, Codegen.migrations(project, Scope.MAIN)).progress(l -> { }).migrate();
        HandLoop.createTenantTable(pool);
        HandLoop creating = new HandLoop(pool, MigrationDirectory.read(Codegen.migrations(project, Scope.TENANT)));
        HandLoop migrating;
        Timed created;
        Timed handCreated;
        TenantReport report;
        Timed migrated;
        Timed hand;
        int warm = Math.max(1, Math.min(100, tenants / 10));
        try (Ashlar ashlar = Ashlar.builder().dataSource(pool).domain(domain(false))
                .tenantMigrations(Codegen.migrations(project, Scope.TENANT)).build()) {
            // Both sides first create a few tenants and later migrate them, untimed: neither is timed with a cold JIT.
            parallel(warm, i -> ashlar.create("organization", Map.of("id", "w" + i)));
            parallel(warm, i -> creating.create("w" + i, "hand_w" + i));
            created = timed(pool, () -> parallel(tenants, i -> ashlar.create("organization", Map.of("id", "t" + i))));
        }
        handCreated = timed(pool, () -> parallel(tenants, i -> creating.create("h" + i, "hand_t" + i)));
        generate(project, plugins, true, "add_priority");
        migrating = new HandLoop(pool, MigrationDirectory.read(Codegen.migrations(project, Scope.TENANT)));
        TenantMigrator migrator = new TenantMigrator(pool, Codegen.migrations(project, Scope.TENANT)).jobs(JOBS);
        migrator.migrate(IntStream.range(0, warm).mapToObj(i -> "org_w" + i).iterator(), warm);
        parallel(warm, i -> migrating.migrate("hand_w" + i));
        List<String> schemas = IntStream.range(0, tenants).mapToObj(i -> "org_t" + i).toList();
        TenantReport[] kept = new TenantReport[1];
        migrated = timed(pool, () -> {
            kept[0] = migrator.migrate(schemas.iterator(), schemas.size());
            return seconds(kept[0]);
        });
        report = kept[0];
        hand = timed(pool, () -> parallel(tenants, i -> migrating.migrate("hand_t" + i)));
        Timed noop = timed(pool, () -> time(() -> Project.open(project).domain(domain(true), plugins).dataSource(pool)
                .migrateTenants(TenantSelection.all().jobs(JOBS))));
        Timed handNoop = timed(pool, () -> parallel(tenants + warm, i -> migrating.migrate(i < tenants ? "hand_t" + i
                : "hand_w" + (i - tenants))));
        Checks.same("schemas with the new column (Ashlar, hand loop)", tenants, migrated(pool, "org\\_t%"),
                migrated(pool, "hand\\_t%"));
        System.out.printf("[%s] %d tenants, %d threads on each side; time (ratio to the hand-written JDBC loop), "
                + "and the client's CPU time%n", label, tenants, JOBS);
        line(label, "create the tenants (record + schema + tenant tables)", created, handCreated);
        line(label, "one migration (a column and a unique index) across the schemas", migrated, hand);
        line(label, "the same run again, nothing pending (Ashlar: Project.migrateTenants)", noop, handNoop);
        TenantReport ashlar = report;
        if (ashlar.failed() > 0) {
            throw new IllegalStateException(ashlar.failed() + " schemas failed: " + ashlar.failures());
        }
        if (withFlyway) {
            double[] flyway = flyway(pool, project, tenants);
            line(label, "Flyway, one instance per schema: the migration", flyway[0], hand.seconds);
            line(label, "Flyway, one instance per schema: nothing pending", flyway[1], handNoop.seconds);
        }
        reset(pool);
    }

    private static void line(String label, String what, double seconds, double hand) {
        System.out.printf("[%s] %-72s %7.2f s (%.2f); hand loop %.2f s%n", label, what, seconds, seconds / hand, hand);
    }

    private static void line(String label, String what, Timed ashlar, Timed hand) {
        System.out.printf("[%s] %-72s %7.2f s (%.2f), client CPU %.2f s; hand loop %.2f s, client CPU %.2f s%n", label,
                what, ashlar.seconds, ashlar.seconds / hand.seconds, ashlar.cpu, hand.seconds, hand.cpu);
    }

    /** A step's wall time and the CPU time this process spent in it (the client's share of the two cores). */
    private record Timed(double seconds, double cpu) {
    }

    @FunctionalInterface
    private interface Step {
        double run() throws Exception;
    }

    /** Runs a step after a checkpoint, so that no side pays for the writes of the step before it. */
    private static Timed timed(HikariDataSource pool, Step step) throws Exception {
        execute(pool, "CHECKPOINT");
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        double seconds = step.run();
        return new Timed(seconds, (os.getProcessCpuTime() - cpu) / 1e9);
    }

    private static double seconds(TenantReport report) {
        return report.elapsed().toNanos() / 1e9;
    }

    /** How many schemas matching the pattern have the new column. */
    private static int migrated(HikariDataSource pool, String pattern) throws SQLException {
        try (Connection connection = pool.getConnection(); var query = connection.prepareStatement(
                "SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE ? AND table_name = 'notes' "
                        + "AND column_name = 'priority'")) {
            query.setString(1, pattern);
            try (var row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    /** Runs the task for 0..count-1 on {@value #JOBS} threads; returns the seconds taken. */
    private static double parallel(int count, Task task) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(JOBS);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                done.add(workers.submit(() -> {
                    task.run(n);
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            workers.shutdown();
        }
    }

    private static double time(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    @FunctionalInterface
    private interface Task {
        void run(int i) throws Exception;
    }

    /**
     * Flyway applies the create migration to fresh schemas (untimed), then the change, then the same again
     * with nothing pending, {@value #JOBS} schemas at a time; returns both times in seconds.
     */
    private static double[] flyway(HikariDataSource pool, Path project, int tenants) throws Exception {
        List<MigrationFile> files = MigrationDirectory.read(Codegen.migrations(project, Scope.TENANT));
        Path create = Files.createTempDirectory("flyway-create-");
        Path change = Files.createTempDirectory("flyway-change-");
        Files.writeString(create.resolve("V1__create_workspace.sql"), files.get(0).up());
        Files.copy(create.resolve("V1__create_workspace.sql"), change.resolve("V1__create_workspace.sql"));
        Files.writeString(change.resolve("V2__add_priority.sql"), files.get(1).up());
        parallel(tenants, i -> flyway(pool, "fw_t" + i, create).migrate());
        execute(pool, "CHECKPOINT");
        double migrate = parallel(tenants, i -> flyway(pool, "fw_t" + i, change).migrate());
        double noop = parallel(tenants, i -> flyway(pool, "fw_t" + i, change).migrate());
        Checks.same("schemas with the new column (Flyway)", tenants, migrated(pool, "fw\\_t%"));
        return new double[] {migrate, noop};
    }

    private static Flyway flyway(HikariDataSource pool, String schema, Path folder) {
        return Flyway.configure().dataSource(pool).schemas(schema).locations("filesystem:" + folder)
                .loggers("slf4j").load();
    }

    private static void generate(Path project, Plugins plugins, boolean changed, String name) {
        // The hand loop and Flyway apply each file in one transaction: all three sides run the same transactional
        // file, so its indexes are built in the transaction rather than concurrently in files of their own.
        new Codegen(project, domain(changed), plugins, Renames.none(), Clock.systemUTC()).concurrentIndexes(false)
                .generate(name);
    }

    private static HikariDataSource pool(EmbeddedPostgres embedded) {
        return pool(embedded != null ? embedded.getJdbcUrl("postgres", "postgres") : System.getenv("ASHLAR_BENCH_JDBC_URL"));
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(System.getenv().getOrDefault("ASHLAR_BENCH_USER", "postgres"));
        config.setPassword(System.getenv().getOrDefault("ASHLAR_BENCH_PASSWORD", ""));
        config.setMaximumPoolSize(JOBS + 2);
        return new HikariDataSource(config);
    }

    /** Drops what an earlier run left: tenant schemas (one transaction each), the workspace tables and histories. */
    private static void reset(HikariDataSource pool) throws SQLException {
        dropSchemas(pool, "org\\_%", "hand\\_%", "fw\\_t%");
        execute(pool, "DROP TABLE IF EXISTS public.organizations, public.ashlar_schema_migrations, "
                + "public.ashlar_tenant_migrations, public." + HandLoop.TENANTS);
    }

    private static void dropSchemas(HikariDataSource pool, String... patterns) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (Connection connection = pool.getConnection(); var query = connection.prepareStatement(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE ANY (?)")) {
            query.setArray(1, connection.createArrayOf("text", patterns));
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    schemas.add(rows.getString(1));
                }
            }
        }
        for (String schema : schemas) {
            execute(pool, "DROP SCHEMA " + Identifiers.quote(schema) + " CASCADE");
        }
    }

    private static void execute(HikariDataSource pool, String sql) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
