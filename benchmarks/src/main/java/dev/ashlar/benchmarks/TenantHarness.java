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
 * side runs on the same {@link #JOBS} threads and pool.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.ashlar.benchmarks.TenantHarness 1000 [--no-flyway] [--warm-up N] [--rounds N] [--fork]
 * </pre>
 * With {@code --fork}, Ashlar's side and the hand loop each run their steps in a JVM of their own (see {@link Forked}).
 * The server is {@code ASHLAR_BENCH_JDBC_URL} (with {@code ASHLAR_BENCH_USER}) or an embedded PostgreSQL;
 * with {@code ASHLAR_BENCH_CITUS_JDBC_URL} (a Citus coordinator's database) the same steps run there next.
 */
public final class TenantHarness {
    /** The threads of each side (and the migrator's jobs): 4, or the system property {@code ashlar.bench.jobs}. */
    private static final int JOBS = Integer.getInteger("ashlar.bench.jobs", 4);
    /** Tenants per turn when creating them: the two sides take turns in chunks this size (see {@link #pair}). */
    private static final int CHUNK = 200;
    /** Whether each timed step prints its window on the JVM's clock: the system property {@code ashlar.bench.windows}. */
    private static final boolean WINDOWS = Boolean.getBoolean("ashlar.bench.windows");
    /** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ) on every common architecture. */
    private static final double TICKS_PER_SECOND = 100;
    /** The titles of the server's background processes, as {@code ps} shows them. */
    private static final java.util.regex.Pattern BACKGROUND_TITLE = java.util.regex.Pattern.compile(
            "postgres: (?:[^:]*: )?(?:checkpointer|background writer|walwriter|autovacuum|logical replication|archiver|stats)");
    /** The prefix of a background process's key among the server's CPU ticks. */
    private static final String BACKGROUND = "bg:";

    private TenantHarness() {
    }

    /** The workspace after {@code changes} tenant migrations, each adding a column and a unique index to notes. */
    static Domain domain(int changes) {
        Resource organization = Resource.builder("organization").table("organizations")
                .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("org_", "id")).build();
        var note = Resource.builder("note").table("notes").integerPrimaryKey("id")
                .attribute("body", TEXT, a -> a.notNull()).timestamps().with(Multitenancy.context());
        Resource task = Resource.builder("task").table("tasks").integerPrimaryKey("id")
                .attribute("title", TEXT, a -> a.notNull()).attribute("done", BOOLEAN, a -> a.notNull().defaultValue(false))
                .attribute("due_at", TIMESTAMPTZ).belongsTo("note", "note").with(Multitenancy.context()).build();
        for (int change = 1; change <= changes; change++) {
            note.attribute("priority" + change, INTEGER)
                    .identity("unique_priority" + change + "_body", "priority" + change, "body");
        }
        return Domain.builder("workspace").resources(organization, note.build(), task).build();
    }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        if (options.contains("--worker")) {
            worker(args[1], args[2], Path.of(args[3]));
            return;
        }
        boolean fork = options.contains("--fork");
        int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        boolean withFlyway = !options.contains("--no-flyway");
        // Each side first creates and migrates this many tenants untimed (as many as a round times, by default): the
        // rounds then measure both in their steady state, not the compiler's work on whichever side runs first.
        int warm = option(options, "--warm-up", tenants);
        int rounds = option(options, "--rounds", 5);
        EmbeddedPostgres embedded = System.getenv("ASHLAR_BENCH_JDBC_URL") == null ? EmbeddedPostgres.start() : null;
        try (HikariDataSource pool = pool(embedded)) {
            run(pool, fork ? "one server, each side in its own JVM" : "one server", tenants, warm, rounds, withFlyway,
                    fork ? url(embedded) : null);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        String citus = System.getenv("ASHLAR_BENCH_CITUS_JDBC_URL");
        if (citus != null) {
            try (HikariDataSource pool = pool(citus)) {
                run(pool, "Citus", tenants, warm, rounds, false, fork ? citus : null);
            }
        }
    }

    private static int option(List<String> options, String name, int otherwise) {
        int at = options.indexOf(name);
        return at >= 0 ? Integer.parseInt(options.get(at + 1)) : otherwise;
    }

    /** One side's tenants and their migrations, as timed steps over a range of a round's tenants. */
    private interface Side {
        /** Creates tenants number from..to-1 of a round. */
        double create(String round, int from, int to) throws Exception;

        /** Applies the newest tenant migration to tenants number from..to-1 of a round. */
        double migrate(String round, int from, int to) throws Exception;

        /** The CPU and compiler time the JVM that runs this side has used so far. */
        default Usage usage() {
            return Usage.here();
        }
    }

    /** A JVM's CPU time and its JIT compiler's time so far, in seconds. */
    private record Usage(double cpu, double jit) {
        static Usage here() {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            return new Usage(os.getProcessCpuTime() / 1e9,
                    java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3);
        }
    }

    /** Ashlar's side: tenants created through the data layer, migrated by {@code TenantMigrator}. */
    private static Side ashlar(HikariDataSource pool, Path folder, Ashlar ashlar) {
        return new Side() {
            @Override
            public double create(String round, int from, int to) throws Exception {
                return parallel(from, to, i -> ashlar.create("organization", Map.of("id", round + "_" + i)));
            }

            @Override
            public double migrate(String round, int from, int to) {
                TenantReport report = new TenantMigrator(pool, folder).jobs(JOBS).migrate(IntStream.range(from, to)
                        .mapToObj(i -> "org_" + round + "_" + i).iterator(), to - from);
                if (report.failed() > 0) {
                    throw new IllegalStateException(report.failed() + " schemas failed: " + report.failures());
                }
                return seconds(report);
            }
        };
    }

    /** The baseline: the hand-written JDBC loop. */
    private static Side hand(HikariDataSource pool, Path folder) {
        return new Side() {
            @Override
            public double create(String round, int from, int to) throws Exception {
                HandLoop loop = new HandLoop(pool, MigrationDirectory.read(folder));
                return parallel(from, to, i -> loop.create(round + "_" + i, "hand_" + round + "_" + i));
            }

            @Override
            public double migrate(String round, int from, int to) throws Exception {
                HandLoop loop = new HandLoop(pool, MigrationDirectory.read(folder));
                return parallel(from, to, i -> loop.migrate("hand_" + round + "_" + i));
            }
        };
    }

    /**
     * A side run in a JVM of its own ({@code --fork}), as JMH forks each benchmark: in one JVM, each side's traffic
     * sends the driver code the other side had compiled back to the compiler (see FINDINGS.md), so each side pays
     * for the other's. The parent writes one step a line on the child's standard input ({@code create ROUND FROM
     * TO} or {@code migrate ROUND FROM TO}); the child answers each with a line {@code done SECONDS CPU JIT}, its
     * CPU and compiler seconds so far.
     */
    private static final class Forked implements Side, AutoCloseable {
        private final Process process;
        private final java.io.BufferedWriter steps;
        private final java.io.BufferedReader answers;
        private Usage usage = new Usage(0, 0);

        Forked(String side, String url, Path project) throws java.io.IOException {
            Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(launcher.toString()));
            command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), TenantHarness.class.getName(),
                    "--worker", side, url, project.toString()));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            steps = process.outputWriter();
            answers = process.inputReader();
        }

        @Override
        public double create(String round, int from, int to) throws Exception {
            return call("create " + round + " " + from + " " + to);
        }

        @Override
        public double migrate(String round, int from, int to) throws Exception {
            return call("migrate " + round + " " + from + " " + to);
        }

        @Override
        public Usage usage() {
            return usage;
        }

        private double call(String step) throws java.io.IOException {
            steps.write(step);
            steps.newLine();
            steps.flush();
            String answer = answers.readLine();
            while (answer != null && !answer.startsWith("done ")) {
                System.out.println(answer);
                answer = answers.readLine();
            }
            if (answer == null) {
                throw new IllegalStateException("The side's JVM ended during '" + step + "' (its errors are above)");
            }
            String[] figures = answer.split(" ");
            usage = new Usage(Double.parseDouble(figures[2]), Double.parseDouble(figures[3]));
            return Double.parseDouble(figures[1]);
        }

        /** Ends the side's JVM: it stops at the end of its input. */
        @Override
        public void close() throws java.io.IOException {
            steps.close();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroy();
            }
        }
    }

    /** A forked side's JVM: runs the steps its standard input names, answering each (see {@link Forked}). */
    private static void worker(String side, String url, Path project) throws Exception {
        Path folder = Codegen.migrations(project, Scope.TENANT);
        try (HikariDataSource pool = pool(url);
             Ashlar ashlar = Ashlar.builder().dataSource(pool).domain(domain(0)).tenantMigrations(folder).build()) {
            Side local = side.equals("ashlar") ? ashlar(pool, folder, ashlar) : hand(pool, folder);
            var steps = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8));
            for (String step = steps.readLine(); step != null; step = steps.readLine()) {
                String[] words = step.split(" ");
                int from = Integer.parseInt(words[2]);
                int to = Integer.parseInt(words[3]);
                double seconds = words[0].equals("create") ? local.create(words[1], from, to)
                        : local.migrate(words[1], from, to);
                Usage usage = Usage.here();
                System.out.printf(java.util.Locale.ROOT, "done %.6f %.6f %.6f%n", seconds, usage.cpu(), usage.jit());
                System.out.flush();
            }
        }
    }

    /**
     * Creates and migrates tenants on one database, each side on {@link #JOBS} threads, in rounds: each round creates
     * fresh tenants on both sides, writes one new tenant migration (a column and a unique index) and applies it to
     * that round's tenants on both sides. Which side goes first alternates from round to round, and each step starts
     * after a checkpoint; the figures are the rounds' median ratio and their range.
     */
    private static void run(HikariDataSource pool, String label, int tenants, int warm, int rounds, boolean withFlyway,
                            String forkUrl) throws Exception {
        postmaster = postmaster(pool);
        Path project = Files.createTempDirectory("ashlar-tenants-");
        Path folder = Codegen.migrations(project, Scope.TENANT);
        Plugins plugins = Plugins.discover(TenantHarness.class.getClassLoader());
        reset(pool);
        generate(project, plugins, 0, "create_workspace");
        new Migrator(pool, Codegen.migrations(project, Scope.MAIN)).progress(l -> { }).migrate();
        HandLoop.createTenantTable(pool);
        try (Ashlar ashlar = Ashlar.builder().dataSource(pool).domain(domain(0)).tenantMigrations(folder).build();
             Forked forkedOurs = forkUrl == null ? null : new Forked("ashlar", forkUrl, project);
             Forked forkedHand = forkUrl == null ? null : new Forked("hand", forkUrl, project)) {
            Side ours = forkUrl == null ? ashlar(pool, folder, ashlar) : forkedOurs;
            Side hand = forkUrl == null ? hand(pool, folder) : forkedHand;
            round(pool, project, plugins, 1, "w", warm, ours, hand);
            List<Timed[]> created = new ArrayList<>();
            List<Timed[]> migrated = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                Timed[][] steps = round(pool, project, plugins, round + 1, "r" + round, tenants, ours, hand);
                created.add(steps[0]);
                migrated.add(steps[1]);
            }
            // Every tenant takes the migrations of the later rounds, untimed; then both sides run with nothing pending.
            Project all = Project.open(project).domain(domain(rounds + 1), plugins).dataSource(pool);
            all.migrateTenants(TenantSelection.all().jobs(JOBS));
            HandLoop loop = new HandLoop(pool, MigrationDirectory.read(folder));
            List<String> handSchemas = schemas(pool, "hand\\_%");
            parallel(0, handSchemas.size(), i -> loop.migrate(handSchemas.get(i)));
            Timed noop = timed(pool, () -> time(() -> all.migrateTenants(TenantSelection.all().jobs(JOBS))));
            Timed handNoop = timed(pool, () -> parallel(0, handSchemas.size(), i -> loop.migrate(handSchemas.get(i))));
            System.out.printf("[%s] %d rounds of %d tenants, %d threads on each side, after %d tenants each untimed; "
                    + "time (ratio to the hand-written JDBC loop%s) and the client's CPU time%n", label, rounds, tenants,
                    JOBS, warm, HandLoop.FULL ? " keeping Ashlar's bookkeeping: its history's columns, a registry" : "");
            summary(label, "create the tenants (record + schema + tenant tables)", created);
            summary(label, "one migration (a column and a unique index) across the schemas", migrated);
            line(label, "all " + handSchemas.size() + " again, nothing pending (Ashlar: Project.migrateTenants)", noop,
                    handNoop);
            if (withFlyway) {
                double handMedian = migrated.stream().mapToDouble(step -> step[1].seconds).sorted().toArray()[rounds / 2];
                double[] flyway = flyway(pool, project, tenants);
                line(label, "Flyway, one instance per schema: a migration (median hand loop)", flyway[0], handMedian);
                line(label, "Flyway, one instance per schema: nothing pending", flyway[1], handNoop.seconds);
            }
        }
        reset(pool);
    }

    /**
     * One round: fresh tenants on both sides, then a new tenant migration applied to them; the side that goes first
     * alternates with the round's number. Checks that every schema of the round has the new column.
     *
     * @return the creation and the migration, each as {Ashlar, hand loop}
     */
    private static Timed[][] round(HikariDataSource pool, Path project, Plugins plugins, int change, String round,
                                   int tenants, Side ours, Side hand) throws Exception {
        boolean oursFirst = change % 2 == 0;
        Timed[] created = pair(pool, "create", oursFirst, tenants, CHUNK, ours, hand,
                (side, from, to) -> side.create(round, from, to));
        generate(project, plugins, change, "add_priority" + change);
        // A migration runs over all the round's schemas at once on each side, as a user runs it: in chunks, Ashlar's
        // per-run work (the lock, the listing query) would be paid once per chunk.
        Timed[] migrated = pair(pool, "migrate", oursFirst, tenants, tenants, ours, hand,
                (side, from, to) -> side.migrate(round, from, to));
        String column = "priority" + change;
        Checks.same("schemas of round " + round + " with " + column + " (Ashlar, hand loop)", tenants,
                migrated(pool, "org\\_" + round + "\\_%", column), migrated(pool, "hand\\_" + round + "\\_%", column));
        return new Timed[][] {created, migrated};
    }

    /**
     * Times both sides' step over a round's tenants, the sides taking turns {@code chunk} tenants at a time, the side
     * that starts a turn alternating: whatever slows the machine for a while (a checkpoint, autovacuum on the catalog,
     * another process) falls on both sides' chunks alike, rather than on whichever side's whole step it met.
     *
     * @return {Ashlar, hand loop}, each the sum of its chunks
     */
    private static Timed[] pair(HikariDataSource pool, String what, boolean oursFirst, int tenants, int chunk,
                                Side ours, Side hand, Chunk step) throws Exception {
        Timed[] sums = {new Timed(0, 0, 0, 0, 0), new Timed(0, 0, 0, 0, 0)};
        for (int from = 0, turn = 0; from < tenants; from += chunk, turn++) {
            int start = from;
            int end = Math.min(tenants, from + chunk);
            boolean oursNow = oursFirst == (turn % 2 == 0);
            for (int side : oursNow ? new int[] {0, 1} : new int[] {1, 0}) {
                Side running = side == 0 ? ours : hand;
                StatementProfile.reset(pool);
                String label = (side == 0 ? "Ashlar" : "hand loop") + " " + what + " " + start + "-" + end;
                Timed timed = timed(pool, running::usage,
                        () -> StatementProfile.window(label, () -> step.run(running, start, end)));
                if (WINDOWS) {
                    // The clock of the compiler's log (-XX:+PrintCompilation), to split its work between the sides.
                    long now = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
                    long wall = System.currentTimeMillis();
                    long length = Math.round(timed.seconds * 1000);
                    System.out.printf("window %s: %d-%d ms (wall %d-%d)%n", label, now - length, now, wall - length, wall);
                }
                sums[side] = sums[side].plus(timed);
                StatementProfile.print(pool, label);
            }
        }
        return sums;
    }

    /** A step of a side over tenants number from..to-1; returns the seconds taken. */
    @FunctionalInterface
    private interface Chunk {
        double run(Side side, int from, int to) throws Exception;
    }

    /** The median round's figures, the median ratio and the range of the ratios. */
    private static void summary(String label, String what, List<Timed[]> rounds) {
        double[] ratios = rounds.stream().mapToDouble(step -> step[0].seconds / step[1].seconds).sorted().toArray();
        Timed[] median = rounds.stream().sorted(java.util.Comparator.comparingDouble(step -> step[0].seconds / step[1].seconds))
                .toList().get(rounds.size() / 2);
        System.out.printf("[%s] %-72s %s; hand loop %s; ratio median %.2f, range %.2f-%.2f%n", label, what, median[0],
                median[1], ratios[ratios.length / 2], ratios[0], ratios[ratios.length - 1]);
        for (int round = 0; round < rounds.size(); round++) {
            Timed[] step = rounds.get(round);
            System.out.printf("[%s]   round %d: %s against %s%n", label, round + 1, step[0], step[1]);
        }
    }

    private static void line(String label, String what, double seconds, double hand) {
        System.out.printf("[%s] %-72s %7.2f s (%.2f); hand loop %.2f s%n", label, what, seconds, seconds / hand, hand);
    }

    private static void line(String label, String what, Timed ashlar, Timed hand) {
        System.out.printf("[%s] %-72s %s (%.2f); hand loop %s%n", label, what, ashlar, ashlar.seconds / hand.seconds,
                hand);
    }

    /**
     * A step's wall time, the CPU time this process spent in it (the client's share of the cores), the time the JIT
     * compiler threads spent compiling during it (part of that CPU time), and the CPU time of this host's PostgreSQL
     * processes in it (NaN where {@code /proc} cannot tell; on a remote server, only local ones count), and the part of
     * it spent by the server's background processes (checkpointer, writers, autovacuum), which work for both sides.
     */
    private record Timed(double seconds, double cpu, double jit, double server, double background) {
        Timed plus(Timed other) {
            return new Timed(seconds + other.seconds, cpu + other.cpu, jit + other.jit, server + other.server,
                    background + other.background);
        }

        @Override
        public String toString() {
            return String.format("%.2f s (client CPU %.2f s, JIT %.2f s; server CPU %.2f s, %.2f s of it background)",
                    seconds, cpu, jit, server, background);
        }
    }

    /**
     * The process id of the server's postmaster, when it runs on this host: only it and its children count as the
     * server, so that another PostgreSQL on the host (a test run's, another cluster) does not add its time.
     */
    private static volatile String postmaster;

    /** Finds {@link #postmaster}: the parent of one of the pool's backends; null when {@code /proc} cannot tell. */
    private static String postmaster(HikariDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             var row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            String[] fields = stat(Path.of("/proc", row.getString(1)));
            return fields == null ? null : fields[1];
        }
    }

    /** The fields of a process's {@code stat} after its name (the state first, the parent second); null if gone. */
    private static String[] stat(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            int close = stat.lastIndexOf(')');
            return stat.substring(stat.indexOf('(') + 1, close).equals("postgres")
                    ? stat.substring(close + 2).split(" ") : null;
        } catch (java.io.IOException | RuntimeException gone) {
            return null;
        }
    }

    /**
     * The CPU ticks each process of the server ({@link #postmaster} and its children, or every process named postgres
     * when it is unknown) has used, from {@code /proc}; null when unreadable.
     */
    private static Map<String, Long> serverTicks() {
        Map<String, Long> ticks = new java.util.HashMap<>();
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String pid = process.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] fields = stat(process);
                boolean server = fields != null && (postmaster == null || pid.equals(postmaster)
                        || fields[1].equals(postmaster));
                if (server) {
                    // After the name: the state is field 3, the parent field 4, utime field 14 and stime field 15.
                    ticks.put(background(process) ? BACKGROUND + pid : pid,
                            Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        return ticks;
    }

    /** Whether a server process is one of its background workers rather than a client's backend, from its title. */
    private static boolean background(Path process) {
        try {
            String title = new String(Files.readAllBytes(process.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8);
            return BACKGROUND_TITLE.matcher(title).find();
        } catch (java.io.IOException | RuntimeException gone) {
            return false;
        }
    }

    /**
     * The CPU seconds the server's processes used between two readings, all of them or only the background ones; a
     * process that ended in between is lost.
     */
    private static double serverSeconds(Map<String, Long> before, Map<String, Long> after, boolean backgroundOnly) {
        if (before == null || after == null) {
            return Double.NaN;
        }
        long ticks = 0;
        for (Map.Entry<String, Long> process : after.entrySet()) {
            if (!backgroundOnly || process.getKey().startsWith(BACKGROUND)) {
                ticks += process.getValue() - before.getOrDefault(process.getKey(), 0L);
            }
        }
        return ticks / TICKS_PER_SECOND;
    }

    @FunctionalInterface
    private interface Step {
        double run() throws Exception;
    }

    /** Runs a step in this JVM after a checkpoint, so that no side pays for the writes of the step before it. */
    private static Timed timed(HikariDataSource pool, Step step) throws Exception {
        return timed(pool, Usage::here, step);
    }

    /** Runs a step after a checkpoint; the client's figures are those of the JVM that {@code usage} reads. */
    private static Timed timed(HikariDataSource pool, java.util.function.Supplier<Usage> usage, Step step)
            throws Exception {
        execute(pool, "CHECKPOINT");
        Usage before = usage.get();
        Map<String, Long> server = serverTicks();
        double seconds = step.run();
        Usage after = usage.get();
        Map<String, Long> serverAfter = serverTicks();
        return new Timed(seconds, after.cpu() - before.cpu(), after.jit() - before.jit(),
                serverSeconds(server, serverAfter, false), serverSeconds(server, serverAfter, true));
    }

    private static double seconds(TenantReport report) {
        return report.elapsed().toNanos() / 1e9;
    }

    /** How many schemas matching the pattern have the column in notes. */
    private static int migrated(HikariDataSource pool, String pattern, String column) throws SQLException {
        try (Connection connection = pool.getConnection(); var query = connection.prepareStatement(
                "SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE ? AND table_name = 'notes' "
                        + "AND column_name = ?")) {
            query.setString(1, pattern);
            query.setString(2, column);
            try (var row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    /** Runs the task for from..to-1 on {@link #JOBS} threads; returns the seconds taken. */
    private static double parallel(int from, int to, Task task) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(JOBS);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = from; i < to; i++) {
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
     * with nothing pending, {@link #JOBS} schemas at a time; returns both times in seconds.
     */
    private static double[] flyway(HikariDataSource pool, Path project, int tenants) throws Exception {
        List<MigrationFile> files = MigrationDirectory.read(Codegen.migrations(project, Scope.TENANT));
        Path create = Files.createTempDirectory("flyway-create-");
        Path change = Files.createTempDirectory("flyway-change-");
        Files.writeString(create.resolve("V1__create_workspace.sql"), files.get(0).up());
        Files.copy(create.resolve("V1__create_workspace.sql"), change.resolve("V1__create_workspace.sql"));
        Files.writeString(change.resolve("V2__add_priority.sql"), files.get(1).up());
        parallel(0, tenants, i -> flyway(pool, "fw_t" + i, create).migrate());
        execute(pool, "CHECKPOINT");
        double migrate = parallel(0, tenants, i -> flyway(pool, "fw_t" + i, change).migrate());
        double noop = parallel(0, tenants, i -> flyway(pool, "fw_t" + i, change).migrate());
        Checks.same("schemas with the new column (Flyway)", tenants, migrated(pool, "fw\\_t%", "priority1"));
        return new double[] {migrate, noop};
    }

    private static Flyway flyway(HikariDataSource pool, String schema, Path folder) {
        return Flyway.configure().dataSource(pool).schemas(schema).locations("filesystem:" + folder)
                .loggers("slf4j").load();
    }

    private static void generate(Path project, Plugins plugins, int changes, String name) {
        // The hand loop and Flyway apply each file in one transaction: all three sides run the same transactional
        // file, so its indexes are built in the transaction rather than concurrently in files of their own.
        new Codegen(project, domain(changes), plugins, Renames.none(), Clock.systemUTC()).concurrentIndexes(false)
                .generate(name);
    }

    private static HikariDataSource pool(EmbeddedPostgres embedded) {
        return pool(url(embedded));
    }

    private static String url(EmbeddedPostgres embedded) {
        return embedded != null ? embedded.getJdbcUrl("postgres", "postgres") : System.getenv("ASHLAR_BENCH_JDBC_URL");
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
                + "public.ashlar_tenant_migrations, public." + HandLoop.TENANTS + ", public." + HandLoop.REGISTRY);
    }

    private static void dropSchemas(HikariDataSource pool, String... patterns) throws SQLException {
        for (String schema : schemas(pool, patterns)) {
            execute(pool, "DROP SCHEMA " + Identifiers.quote(schema) + " CASCADE");
        }
    }

    /** The schemas whose names match one of the patterns. */
    private static List<String> schemas(HikariDataSource pool, String... patterns) throws SQLException {
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
        return schemas;
    }

    private static void execute(HikariDataSource pool, String sql) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
