package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.ConcurrencyException;
import dev.ashlar.kernel.data.Isolation;
import dev.ashlar.kernel.data.TransactionOptions;
import dev.ashlar.kernel.data.TransactionJoin;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.Replication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where statements run: the primary data source, named others (replicas) for reads a plugin routes
 * there, and the connection of the transaction in progress on this thread, which every action
 * inside it uses.
 */
public final class Connections {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private final DataSource primary;
    private final Map<String, DataSource> named;
    private final ThreadLocal<Connection> transaction = new ThreadLocal<>();
    /** One frame per transaction (or savepoint) open on the thread, innermost first. */
    private final ThreadLocal<java.util.ArrayDeque<TransactionFrame>> frames =
            ThreadLocal.withInitial(java.util.ArrayDeque::new);
    private final ThreadLocal<Shared> shared = new ThreadLocal<>();

    /**
     * The primary's connection that the statements of one {@link #sharing} call use, borrowed at the first, and the
     * data source its first read went to.
     */
    private static final class Shared {
        private Connection connection;
        private String firstRead;
    }
    private final TransactionJoin join;
    private volatile boolean closed;

    /** Work on a connection; the connection belongs to the caller of {@link #run}. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    public Connections(DataSource primary, Map<String, DataSource> named) {
        this(primary, named, null);
    }

    /** @param join the application's transactions to take part in, or null for none */
    public Connections(DataSource primary, Map<String, DataSource> named, TransactionJoin join) {
        this.primary = primary;
        this.named = Collections.unmodifiableMap(new LinkedHashMap<>(named));
        this.join = join;
    }

    DataSource primary() {
        return primary;
    }

    /**
     * Refuses every action from now on, as the Ashlar these connections serve was closed: otherwise one would fail as
     * a database error from the closed pool (HikariCP's "has been closed", with no SQL state), or, on a data source
     * the application keeps open, run without the plugins that were stopped.
     */
    public void close() {
        closed = true;
    }

    private void refuseClosed() {
        if (closed) {
            throw QueryException.of(null, null, "This Ashlar was closed (ashlar.close(), or the end of its "
                    + "try-with-resources block), and so were its handles made with withTenant, withUser or "
                    + "withTimeout: use an Ashlar that is open, or build a new one");
        }
    }

    /** Sends nothing for a thread interrupted already, nor waits for a pooled connection on it. */
    private static void refuseInterrupted() throws SQLException {
        if (Thread.currentThread().isInterrupted()) {
            throw StatementInterrupts.interruptedBefore();
        }
    }

    /** Whether a transaction, Ashlar's or the application's it joins, is open on this thread. */
    boolean inTransaction() {
        return transaction.get() != null || joined() != null;
    }

    /**
     * What tells the transaction open on this thread from any later one (its outermost frame, or the connection of
     * the application's transaction it joins), or null outside one: a large object read live is refused once the
     * transaction that opened it is no longer this.
     */
    Object transactionIdentity() {
        if (transaction.get() != null) {
            return frames.get().peekLast();
        }
        return joined();
    }

    /** The connection of the application's transaction in progress on this thread, or null. */
    private Connection joined() {
        if (join == null) {
            return null;
        }
        try {
            Connection connection = join.current(primary);
            if (connection != null) {
                join.release(connection, primary);
            }
            return connection;
        } catch (SQLException e) {
            throw ErrorMapper.unmapped(e, "Joining the application's transaction");
        }
    }

    /** Runs work on the application's transaction in progress; null when there is none. */
    private <T> Joined<T> runJoined(Work<T> work) throws SQLException {
        Connection connection = join.current(primary);
        if (connection == null) {
            return null;
        }
        try {
            return new Joined<>(work.run(connection));
        } finally {
            join.release(connection, primary);
        }
    }

    /** The result of work run in the application's transaction. */
    private record Joined<T>(T value) {
    }

    /**
     * Runs work on this thread's transaction, or on a connection of the named data source (the
     * primary when the name is null), returned to its pool afterwards; as a write (see {@link #run(String, boolean,
     * Work)}).
     */
    <T> T run(String dataSource, Work<T> work) throws SQLException {
        return run(dataSource, false, work);
    }

    /**
     * Runs work on this thread's transaction, or on a connection of the named data source (the primary when the name
     * is null), returned to its pool afterwards. Outside a transaction, a connection the server ended while it lay in
     * the pool (which hands out one used in the last 500 ms without a check) costs no failure where running again is
     * safe: a read that loses its connection runs once more on a fresh one of the primary, and a write first checks,
     * without a round trip, that the server has not ended its connection already. Inside a transaction nothing runs
     * again: the transaction is lost with its connection.
     *
     * @param read whether the work only reads, so that running it again changes nothing
     */
    <T> T run(String dataSource, boolean read, Work<T> action) throws SQLException {
        refuseClosed();
        refuseInterrupted();
        Work<T> work = connection -> StatementInterrupts.watching(connection, action);
        Connection bound = transaction.get();
        if (bound != null) {
            try {
                return work.run(bound);
            } catch (SQLException e) {
                throw lostEarlier(e, bound);
            }
        }
        Joined<T> joined = join == null ? null : runJoined(work);
        if (joined != null) {
            return joined.value();
        }
        Shared reuse = shared.get();
        if (reuse != null && read && reuse.firstRead == null) {
            reuse.firstRead = dataSource == null ? Replication.PRIMARY : dataSource;
        }
        if (reuse != null && source(dataSource) == primary) {
            return runShared(reuse, read, work);
        }
        try (Connection connection = read ? acquire(dataSource) : StaleConnections.live(source(dataSource))) {
            return committed(connection, work);
        } catch (SQLException e) {
            if (!readAgain(read, e)) {
                throw e;
            }
            // Only reads reach another data source than the primary, so running it again is harmless.
            LOG.warn("Data source '{}' lost the connection of a read ({}); reading again on a fresh connection of the "
                    + "primary", dataSource == null ? Replication.PRIMARY : dataSource, e.getMessage());
            StaleConnections.evictIdle(source(dataSource));
            try (Connection connection = StaleConnections.fresh(primary)) {
                return committed(connection, work);
            }
        }
    }

    /**
     * A connection held until a stream over it ends: the transaction's open on this thread (Ashlar's or the
     * application's it joins), or one of the named data source (the primary when null) in a transaction of its own,
     * read only unless {@code readOnly} is false (PostgreSQL refuses row locks in a read-only transaction).
     */
    Lease lease(String dataSource, boolean readOnly) throws SQLException {
        return lease(dataSource, readOnly ? TransactionOptions.defaults().readOnly() : TransactionOptions.defaults());
    }

    /** {@link #lease(String, boolean)}, a transaction of its own begun with these options (level, read-only mode). */
    Lease lease(String dataSource, TransactionOptions options) throws SQLException {
        refuseClosed();
        refuseInterrupted();
        Connection bound = transaction.get();
        if (bound != null) {
            return Lease.inTransaction(bound, List.copyOf(frames.get()), () -> { });
        }
        Connection joined = join == null ? null : join.current(primary);
        if (joined != null) {
            return Lease.inTransaction(joined, List.of(), () -> {
                try {
                    join.release(joined, primary);
                } catch (SQLException e) {
                    LOG.warn("Giving the application's transaction its connection back failed: {}", e.getMessage());
                }
            });
        }
        Connection connection = acquire(dataSource);
        try {
            connection.setAutoCommit(false);
            TransactionModes.set(connection, options);
            return Lease.own(connection);
        } catch (SQLException | RuntimeException e) {
            close(connection);
            throw e;
        }
    }

    /** Runs a body with the lease's connection as the transaction open on this thread, when the lease began it. */
    <T> T on(Lease lease, Supplier<T> body) {
        if (!lease.own()) {
            return body.get();
        }
        transaction.set(lease.connection());
        try {
            return body.get();
        } finally {
            transaction.remove();
        }
    }

    /** Runs work on the connection a read and its loads share, borrowing a fresh one for a read that lost it. */
    private <T> T runShared(Shared reuse, boolean read, Work<T> work) throws SQLException {
        if (reuse.connection == null) {
            reuse.connection = read ? primary.getConnection() : StaleConnections.live(primary);
        }
        try {
            return work.run(reuse.connection);
        } catch (SQLException e) {
            if (!readAgain(read, e)) {
                throw e;
            }
            LOG.warn("A read lost its connection ({}); reading again on a fresh one", e.getMessage());
            Connection dead = reuse.connection;
            reuse.connection = null;
            StaleConnections.evictIdle(primary);
            close(dead);
            reuse.connection = StaleConnections.fresh(primary);
            return work.run(reuse.connection);
        }
    }

    /**
     * Runs work on a connection Ashlar borrowed for it alone. A pool that hands out connections outside
     * auto-commit (HikariCP's {@code autoCommit=false}) would roll back on return whatever the work wrote, so
     * its transaction is committed here, or rolled back when the work fails.
     */
    private static <T> T committed(Connection connection, Work<T> work) throws SQLException {
        if (connection.getAutoCommit()) {
            return work.run(connection);
        }
        T result;
        try {
            result = work.run(connection);
        } catch (SQLException | RuntimeException | Error e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        connection.commit();
        return result;
    }

    /**
     * Runs a body whose statements on the primary (a read and the loads of its relationships) share one
     * connection, borrowed from the pool once rather than per statement. Inside a transaction they use
     * the transaction's anyway.
     */
    <T> T sharing(Supplier<T> body) {
        refuseClosed();
        if (transaction.get() != null || shared.get() != null) {
            return body.get();
        }
        Shared reuse = new Shared();
        shared.set(reuse);
        try {
            return body.get();
        } finally {
            shared.remove();
            if (reuse.connection != null) {
                close(reuse.connection);
            }
        }
    }

    /** The data source the first read of the {@link #sharing} call open on this thread went to; null before it or outside one. */
    String firstRead() {
        Shared reuse = shared.get();
        return reuse == null ? null : reuse.firstRead;
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Returning a connection to the pool failed: {}", e.getMessage());
        }
    }

    /**
     * A statement on a transaction's connection that the pool closed when an earlier statement lost it (HikariCP's
     * "Connection is closed", with no SQL state: a failure caught inside the transaction and the work gone on), as
     * the loss it follows, so that it is worded as one rather than as a refusal with no state.
     */
    private static SQLException lostEarlier(SQLException e, Connection connection) {
        try {
            if (e.getSQLState() == null && connection.isClosed()) {
                return new SQLException("the connection was closed when an earlier statement of the transaction lost "
                        + "it", "08003", e);
            }
        } catch (SQLException closed) {
            e.addSuppressed(closed);
        }
        return e;
    }

    /**
     * Whether work that failed with e runs again on a fresh connection: a read that lost its connection. A thread
     * interrupted meanwhile would not run it (nor need the pool's idle connections dropped): its connection was most
     * likely closed by the JDK (a virtual thread's is), so the loss is reported as the interrupt.
     */
    private static boolean readAgain(boolean read, SQLException e) throws SQLException {
        if (!read || !lostConnection(e)) {
            return false;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw StatementInterrupts.socketClosed(e);
        }
        return true;
    }

    /** A connection failure (class 08) or a server shutting down (57P01-57P03), e.g. a replica stopped. */
    private static boolean lostConnection(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /**
     * A connection of the named data source; when another than the primary cannot give one (down,
     * or its pool timed out), one of the primary instead, so that a read never fails for a replica's
     * sake. Nothing ran yet, so nothing runs twice.
     */
    private Connection acquire(String dataSource) throws SQLException {
        DataSource source = source(dataSource);
        if (source == primary) {
            return primary.getConnection();
        }
        try {
            return source.getConnection();
        } catch (SQLException e) {
            if (e.getCause() instanceof InterruptedException) {
                throw e; // the thread was interrupted as it waited, which is no fault of that data source
            }
            LOG.warn("Data source '{}' gave no connection ({}); running on the primary instead", dataSource,
                    reason(e));
            return primary.getConnection();
        }
    }

    /**
     * Why a data source gave no connection. A pool that timed out says only that (HikariCP: "Connection is not
     * available, request timed out"); the server's reason, a refused login or a database that does not exist, is its
     * cause. Neither shows a password: PostgreSQL never repeats it.
     */
    static String reason(SQLException e) {
        Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null || cause == e ? e.getMessage()
                : e.getMessage() + ": " + cause.getMessage();
    }

    /** The names of the data sources besides the primary, in the order they were given. */
    List<String> names() {
        return List.copyOf(named.keySet());
    }

    /** Runs work in a transaction of its own unless the connection is in one already. */
    static <T> T atomically(Connection connection, Work<T> work) throws SQLException {
        if (!connection.getAutoCommit()) {
            return work.run(connection);
        }
        connection.setAutoCommit(false);
        Throwable failure = null;
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (Throwable e) {
            // Any throwable: a checked one thrown undeclared (Kotlin, Lombok's @SneakyThrows) left past here
            // would be committed by the setAutoCommit(true) below.
            failure = e;
            rollback(connection, null, e);
            throw e;
        } finally {
            restoreAutoCommit(connection, failure);
        }
    }

    /**
     * Ends a transaction's hold on its connection. When the connection died, this fails too; the
     * failure that ended the transaction is the one to report, with this one attached to it.
     */
    private static void restoreAutoCommit(Connection connection, Throwable failure) throws SQLException {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }

    /** The named data source; the primary for {@code null} or {@link Replication#PRIMARY}. */
    DataSource source(String name) {
        if (name == null || name.equals(Replication.PRIMARY)) {
            return primary;
        }
        DataSource source = named.get(name);
        if (source == null) {
            throw new AshlarException(ErrorCode.PLUGIN, "A plugin routed a read to the data source '" + name
                    + "', which Ashlar was not given; add it with Ashlar.builder().dataSource(\"" + name
                    + "\", dataSource). Known: " + named.keySet());
        }
        return source;
    }

    /**
     * Runs a body in a transaction on the primary: commits when it returns, rolls back when it throws.
     * Called inside another transaction, Ashlar's or the application's it joins, it runs in a savepoint
     * that is rolled back alone.
     */
    public <T> T transaction(Supplier<T> body) {
        return transaction(body, e -> ErrorMapper.unmapped(e, "The transaction"));
    }

    /**
     * {@link #transaction(Supplier)} turning a failed commit (a deferred constraint checked only
     * then) into the exception that names its cause.
     */
    <T> T transaction(Supplier<T> body, Function<SQLException, AshlarException> commitFailure) {
        return transaction(TransactionOptions.defaults(), body, commitFailure);
    }

    /**
     * {@link #transaction(Supplier, Function)} at an isolation level (null: the server's default). Inside another
     * transaction, whose level is set already, the level asked for must be the one it runs at.
     */
    <T> T transaction(Isolation isolation, Supplier<T> body, Function<SQLException, AshlarException> commitFailure) {
        TransactionOptions options = TransactionOptions.defaults();
        return transaction(isolation == null ? options : options.isolation(isolation), body, commitFailure);
    }

    /**
     * {@link #transaction(Supplier, Function)} with options: a level and read-only mode, which a transaction inside
     * another must share with it, and attempts, run again here while a concurrent transaction makes the body fail.
     */
    <T> T transaction(TransactionOptions options, Supplier<T> body,
                      Function<SQLException, AshlarException> commitFailure) {
        refuseClosed();
        Connection bound = transaction.get();
        if (bound == null) {
            bound = joined();
        }
        if (bound != null) {
            TransactionModes.requireInside(bound, options);
            return savepoint(bound, body);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return outermost(options, body, commitFailure);
            } catch (ConcurrencyException e) {
                if (attempt >= options.maxAttempts() || e.code() != ErrorCode.TRANSACTION_CONFLICT) {
                    throw e;
                }
                LOG.debug("Transaction attempt {} of {} met a concurrent one ({}); running it again", attempt,
                        options.maxAttempts(), e.sqlState().orElse("?"));
                TransactionModes.pause(attempt, e);
            }
        }
    }

    /**
     * Runs the body in a transaction of its own, then the callbacks waiting for its outcome, once its connection is
     * back in the pool (so that an action in a callback runs on its own).
     */
    private <T> T outermost(TransactionOptions options, Supplier<T> body,
                            Function<SQLException, AshlarException> commitFailure) {
        TransactionFrame frame = new TransactionFrame();
        T result;
        try {
            result = outermost(frame, options, body, commitFailure);
        } catch (Throwable e) {
            frame.ended(frame.committed(), e);
            throw e;
        }
        frame.ended(frame.committed());
        return result;
    }

    private <T> T outermost(TransactionFrame frame, TransactionOptions options, Supplier<T> body,
                            Function<SQLException, AshlarException> commitFailure) {
        try (Connection connection = primary.getConnection()) {
            connection.setAutoCommit(false);
            transaction.set(connection);
            Throwable failure = null;
            try {
                TransactionModes.set(connection, options);
                T result = framed(frame, body);
                if (frame.rollbackOnly()) {
                    rollback(connection);
                } else {
                    commit(connection, frame, commitFailure);
                    frame.markCommitted();
                }
                return result;
            } catch (Throwable e) {
                // Any throwable, as in atomically(): a checked one thrown undeclared would otherwise be committed.
                failure = e;
                rollback(connection, null, e);
                throw e;
            } finally {
                transaction.remove();
                restoreAutoCommit(connection, failure);
            }
        } catch (SQLException e) {
            throw ErrorMapper.unmapped(e, "The transaction");
        }
    }

    private static void commit(Connection connection, TransactionFrame frame,
                               Function<SQLException, AshlarException> commitFailure) {
        try {
            connection.commit();
        } catch (SQLException e) {
            if (!DatabaseError.connectionLost(e.getSQLState())) {
                throw commitFailure.apply(e);
            }
            frame.markOutcomeUnknown();
            throw ErrorMapper.lostCommit(e, frame.awaited());
        }
    }

    private <T> T savepoint(Connection connection, Supplier<T> body) {
        Savepoint savepoint;
        try {
            savepoint = connection.setSavepoint();
        } catch (SQLException e) {
            throw ErrorMapper.unmapped(e, "Setting a savepoint");
        }
        T result;
        TransactionFrame frame = new TransactionFrame();
        try {
            result = framed(frame, body);
        } catch (Throwable e) {
            // Any throwable, a checked one thrown undeclared too: its work is rolled back like any other's.
            rollback(connection, savepoint, e);
            frame.ended(false, e);
            throw e;
        }
        try {
            if (frame.rollbackOnly()) {
                connection.rollback(savepoint);
            } else {
                connection.releaseSavepoint(savepoint);
            }
        } catch (SQLException e) {
            throw ErrorMapper.unmapped(e, frame.rollbackOnly() ? "Rolling back to a savepoint"
                    : "Releasing a savepoint");
        }
        TransactionFrame enclosing = innermostOrNull();
        if (frame.rollbackOnly()) {
            frame.ended(false);
        } else if (enclosing != null) {
            frame.handTo(enclosing);
        }
        return result;
    }

    /** Runs a transaction's body with its frame innermost on the thread. */
    private <T> T framed(TransactionFrame frame, Supplier<T> body) {
        java.util.ArrayDeque<TransactionFrame> open = frames.get();
        open.push(frame);
        try {
            return body.get();
        } finally {
            open.pop();
            if (open.isEmpty()) {
                frames.remove();
            }
        }
    }

    /**
     * Marks the innermost transaction open on this thread to be rolled back when its body returns, rather than
     * committed (a savepoint: rolled back to), its result still returned.
     *
     * @throws AshlarException with {@link ErrorCode#INVALID_QUERY} outside a transaction
     */
    public void setRollbackOnly() {
        innermost("setRollbackOnly() marks the transaction it is called in").markRollbackOnly();
    }

    /**
     * Runs a callback once the transaction open on this thread has committed, after its connection is back in the
     * pool; registered in a savepoint, once the outermost transaction commits, and never when the savepoint is rolled
     * back. A callback that throws leaves the commit as it is: the transaction call throws its exception after the
     * other callbacks have run.
     *
     * @throws AshlarException with {@link ErrorCode#INVALID_QUERY} outside a transaction of Ashlar's own
     */
    public void afterCommit(Runnable callback) {
        ownInnermost("afterCommit(...)", callback).afterCommit(callback);
    }

    /**
     * Runs a callback once the work of the transaction open on this thread is rolled back: the outermost transaction
     * when it rolls back (its connection back in the pool), or the savepoint it was registered in, right after
     * that savepoint is rolled back. Never when it commits.
     *
     * @throws AshlarException with {@link ErrorCode#INVALID_QUERY} outside a transaction of Ashlar's own
     */
    public void afterRollback(Runnable callback) {
        ownInnermost("afterRollback(...)", callback).afterRollback(callback);
    }

    private TransactionFrame ownInnermost(String call, Runnable callback) {
        if (callback == null) {
            throw new AshlarException(ErrorCode.INVALID_QUERY, call + " was given no callback: give the code to run");
        }
        TransactionFrame frame = innermost(call + " waits for the end of the transaction it is called in");
        if (transaction.get() == null) {
            // Ashlar's savepoint inside the application's transaction: that transaction commits outside Ashlar.
            throw new AshlarException(ErrorCode.INVALID_QUERY, call + " was called inside the application's "
                    + "transaction, which Ashlar joined and does not end: register the callback with that "
                    + "transaction's manager (Spring's TransactionSynchronizationManager.registerSynchronization)");
        }
        return frame;
    }

    /**
     * Runs a callback when the innermost transaction of Ashlar's own open on this thread rolls back, a savepoint
     * included (rolled back to); nothing outside one or inside the application's transaction it joins.
     */
    void onRollback(Runnable callback) {
        TransactionFrame frame = innermostOrNull();
        if (frame != null && transaction.get() != null) {
            frame.afterRollback(callback);
        }
    }

    /** The frame open innermost on this thread, or null, leaving no empty stack on a thread outside transactions. */
    private TransactionFrame innermostOrNull() {
        java.util.ArrayDeque<TransactionFrame> open = frames.get();
        if (open.isEmpty()) {
            frames.remove();
            return null;
        }
        return open.peek();
    }

    private TransactionFrame innermost(String what) {
        TransactionFrame frame = innermostOrNull();
        if (frame == null) {
            throw new AshlarException(ErrorCode.INVALID_QUERY, what + ", but none is open on this thread: call it "
                    + "inside ashlar.transaction(tx -> ...)");
        }
        return frame;
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            throw ErrorMapper.unmapped(e, "Rolling back the transaction");
        }
    }

    private static void rollback(Connection connection, Savepoint savepoint, Throwable cause) {
        try {
            if (savepoint == null) {
                connection.rollback();
            } else {
                connection.rollback(savepoint);
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
