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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reports who a migration waits for. While a file runs, it looks every few seconds (on the migration
 * lock's idle connection, so it needs no connection of its own) for the sessions that block the
 * file's session ({@code pg_blocking_pids}) and reports them: pid, application, state and the start
 * and text of their query. The last ones seen also go into the error of a lock timeout. The shared thread of
 * {@link FileWatches} says when a look is due; the look itself, a query that may wait, runs on one daemon thread of its
 * own, so that no interrupted file's cancel waits behind it.
 */
final class LockWatch extends FileWatches.Watch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LockWatch.class);
    private static final ExecutorService LOOKS = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "ashlar-lock-watch");
        thread.setDaemon(true);
        return thread;
    });
    private static final String BLOCKERS = "SELECT pid, coalesce(nullif(application_name, ''), 'unnamed'), state, "
            + "coalesce(query_start::text, 'never'), left(regexp_replace(query, '\\s+', ' ', 'g'), 120), usename, "
            + "(SELECT string_agg(DISTINCT relation::regclass::text, ', ') FROM pg_locks "
            + "WHERE pid = ? AND NOT granted AND locktype = 'relation') "
            + "FROM pg_stat_activity WHERE pid = ANY (pg_blocking_pids(?)) ORDER BY pid";

    private final AdvisoryLock lock;
    private final int pid;
    private final MigrationFile file;
    private final String schema;
    private final Consumer<String> sink;
    private final long start = System.nanoTime();
    /** Between the end of one look and the start of the next, in nanoseconds. */
    private final long period;
    /** When the next look is due; {@link FileWatches#NO_TIME} while one runs. */
    private volatile long due;
    private volatile boolean closed;
    private volatile String lastSeen;
    private volatile String lastTables;

    private LockWatch(AdvisoryLock lock, int pid, MigrationFile file, String schema, Timeouts timeouts,
                      Consumer<String> sink) {
        this.lock = lock;
        this.pid = pid;
        this.file = file;
        this.schema = schema;
        this.sink = sink;
        long first = timeouts.firstReport().toMillis();
        this.period = TimeUnit.MILLISECONDS.toNanos(Math.max(first, timeouts.report().toMillis()));
        this.due = start + TimeUnit.MILLISECONDS.toNanos(first);
        FileWatches.add(this, due);
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

    @Override
    long look(long now) {
        long next = due;
        if (closed || next == FileWatches.NO_TIME || now - next < 0) {
            return closed ? FileWatches.NO_TIME : next;
        }
        due = FileWatches.NO_TIME;
        LOOKS.execute(this::report);
        return FileWatches.NO_TIME;
    }

    /** Looks for the sessions the file waits for; the next look is due a period after this one ends. */
    private void report() {
        String what = file.fileName() + " on " + schema;
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
        long next = System.nanoTime() + period;
        due = next;
        FileWatches.wakeBy(next);
    }

    /** @param tables gets the tables the session waits to lock, when it waits for one */
    private static List<String> blockers(Connection connection, int pid, List<String> tables) throws SQLException {
        List<String> blockers = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(BLOCKERS)) {
            query.setInt(1, pid);
            query.setInt(2, pid);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (tables.isEmpty() && rows.getString(7) != null) {
                        tables.add(rows.getString(7));
                    }
                    // Another user's session shows its state and query only to a superuser or pg_read_all_stats.
                    blockers.add("pid " + rows.getInt(1) + " (user '" + rows.getString(6) + "', application '"
                            + rows.getString(2) + "', " + (rows.getString(3) == null ? "its state and query hidden "
                            + "from the migrating role: grant it pg_read_all_stats to see them)" : rows.getString(3)
                            + ", query started " + rows.getString(4) + ": " + rows.getString(5) + ")"));
                }
            }
        }
        return blockers;
    }

    @Override
    public void close() {
        closed = true;
        FileWatches.remove(this);
    }
}
