package dev.ashlar.benchmarks;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The server's own account of a timed step, from {@code pg_stat_statements}: each statement's calls and its
 * planning and execution time. On only when {@code ASHLAR_BENCH_STATEMENTS} names how many statements to print
 * and the server loads the extension (its {@code shared_preload_libraries}, {@code track_planning} for the
 * planning time); otherwise a step is timed without it.
 */
final class StatementProfile {
    private static final int TOP = Integer.parseInt(System.getenv().getOrDefault("ASHLAR_BENCH_STATEMENTS", "0"));
    private static final boolean WINDOWS = System.getenv("ASHLAR_BENCH_WINDOWS") != null;

    private StatementProfile() {
    }

    /**
     * Runs a step; with {@code ASHLAR_BENCH_WINDOWS} set, prints when it started and ended on the monotonic clock
     * ({@code System.nanoTime}, which a system-wide profiler's {@code CLOCK_MONOTONIC} samples share), so that
     * the server's samples can be split by side; then the same in milliseconds of the JVM's uptime, the clock of
     * its compiler's log ({@code -XX:+LogCompilation}), so that compilations can be split too.
     */
    static double window(String label, java.util.concurrent.Callable<Double> step) throws Exception {
        long start = System.nanoTime();
        long up = ManagementFactory.getRuntimeMXBean().getUptime();
        double seconds = step.call();
        if (WINDOWS) {
            System.out.printf("window %s %d %d %d %d%n", label.replace(' ', '_'), start, System.nanoTime(), up,
                    ManagementFactory.getRuntimeMXBean().getUptime());
        }
        return seconds;
    }

    /** Forgets what the server counted so far. */
    static void reset(DataSource pool) throws SQLException {
        if (TOP > 0) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                statement.execute("SELECT pg_stat_statements_reset()");
            }
        }
    }

    /** Prints the totals since {@link #reset} and the statements that took the most time, labelled {@code step}. */
    static void print(DataSource pool, String step) throws SQLException {
        if (TOP <= 0) {
            return;
        }
        String costs = "SELECT calls, total_exec_time, total_plan_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 110)"
                + " FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'";
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet total = statement.executeQuery("SELECT sum(calls), sum(total_exec_time), sum(total_plan_time) "
                     + "FROM (" + costs + ") s")) {
            total.next();
            System.out.printf("  %s: %d statements, %.0f ms executing, %.0f ms planning%n", step, total.getLong(1),
                    total.getDouble(2), total.getDouble(3));
            try (ResultSet rows = statement.executeQuery(costs + " ORDER BY total_exec_time + total_plan_time DESC LIMIT "
                    + TOP)) {
                while (rows.next()) {
                    System.out.printf("    %7d calls %8.1f ms exec %7.1f ms plan  %s%n", rows.getLong(1), rows.getDouble(2),
                            rows.getDouble(3), rows.getString(4));
                }
            }
        }
    }
}
