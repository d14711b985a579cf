package dev.ashlar.kernel.migrate;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reports who a migration waits for. While a file runs, it looks every few seconds (on the migration
 * lock's idle connection, so it needs no connection of its own) for the sessions that block the
 * file's session ({@code pg_blocking_pids}) and reports them as {@link History#SESSION} names them: pid, application,
 * user, state and the command tag of their query, never its text (which may hold a password). The last ones seen also
 * go into the error of a lock timeout.
 */
final class LockWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LockWatch.class);
    private static final ScheduledThreadPoolExecutor TIMER = timer("ashlar-lock-watch");
    private static final String BLOCKERS = "SELECT " + History.SESSION + ", (SELECT string_agg(DISTINCT "
            + "relation::regclass::text, ', ') FROM pg_catalog.pg_locks WHERE pid = ? AND NOT granted "
            + "AND locktype = 'relation') FROM pg_catalog.pg_stat_activity a "
            + "WHERE a.pid = ANY (pg_blocking_pids(?)) ORDER BY a.pid";

    private final ScheduledFuture<?> task;
    private final long start = System.nanoTime();
    private volatile String lastSeen;
    private volatile String lastTables;

    private LockWatch(AdvisoryLock lock, int pid, MigrationFile file, String schema, Timeouts timeouts,
                      Consumer<String> sink) {
        long first = timeouts.firstReport().toMillis();
        this.task = TIMER.scheduleWithFixedDelay(() -> look(lock, pid, file.fileName() + " on " + schema, sink), first,
                Math.max(first, timeouts.report().toMillis()), TimeUnit.MILLISECONDS);
    }

    /**
     * One daemon thread for every watch of a kind; a watch cancelled when its file ends leaves the queue at once.
     *
     * @param name the thread's name
     */
    static ScheduledThreadPoolExecutor timer(String name) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * Watches the session of {@code work} while {@code file} runs on {@code schema}; nothing to watch without a lock.
     * The reports' text is made when one is due, not for every file of every schema.
     */
    static LockWatch start(AdvisoryLock lock, Connection work, MigrationFile file, String schema, Timeouts timeouts,
                           Consumer<String> sink) throws SQLException {
        if (lock == null) {
            return null;
        }
        return new LockWatch(lock, work.unwrap(PGConnection.class).getBackendPID(), file, schema, timeouts, sink);
    }

    /** The tables the file waited for and the sessions seen holding them, described; null when none was seen. */
    String lastWait() {
        String blockers = lastSeen;
        String tables = lastTables;
        return blockers == null ? null : (tables == null ? "" : "on " + tables + " ") + "held by " + blockers;
    }

    private void look(AdvisoryLock lock, int pid, String what, Consumer<String> sink) {
        try {
            List<String> tables = new ArrayList<>(1);
            List<String> blockers = lock.onConnection(c -> blockers(c, pid, tables));
            if (!blockers.isEmpty()) {
                lastTables = tables.isEmpty() ? null : tables.get(0);
                lastSeen = String.join("; ", blockers);
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                sink.accept("waiting for a lock: " + what + " has run " + seconds + " s, blocked by " + lastSeen);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Could not look up who blocks {}: {}", what, e.getMessage());
        }
    }

    /** @param tables gets the tables the session waits to lock, when it waits for one */
    private static List<String> blockers(Connection connection, int pid, List<String> tables) throws SQLException {
        List<String> blockers = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(BLOCKERS)) {
            query.setInt(1, pid);
            query.setInt(2, pid);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (tables.isEmpty() && rows.getString(2) != null) {
                        tables.add(rows.getString(2));
                    }
                    blockers.add(rows.getString(1));
                }
            }
        }
        return blockers;
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
