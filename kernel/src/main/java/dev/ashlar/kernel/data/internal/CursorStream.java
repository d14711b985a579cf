package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.Cleaner;
import java.sql.SQLException;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The rows of a {@link Cursor} as a {@link Stream} pulled row by row (Hibernate's {@code getResultStream}, jOOQ's
 * {@code fetchStream}, Jdbi's {@code stream()}). The cursor and the connection it holds are given back when the
 * stream is closed, when its last row has been pulled, and when reading or the consumer of a row fails; a stream
 * dropped unclosed is reported once the garbage collector finds it, and given back when it owns its connection.
 */
final class CursorStream implements Spliterator<Row> {
    private static final Logger LOG = LoggerFactory.getLogger(CursorStream.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private final Held held;
    private final Cleaner.Cleanable cleanable;
    private final Failures errors;
    private long handed;

    /**
     * What the stream holds, apart from the stream itself so that the cleaner can give it back once the stream is
     * unreachable.
     */
    private static final class Held implements Runnable {
        private final String resource;
        private final Cursor cursor;
        private final Lease lease;
        private final Runnable ended;
        private volatile boolean closed;

        Held(String resource, Cursor cursor, Lease lease, Runnable ended) {
            this.resource = resource;
            this.cursor = cursor;
            this.lease = lease;
            this.ended = ended;
        }

        /** Closes the cursor and gives the lease back; once. */
        void end(boolean failed) throws SQLException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (lease.over()) {
                    cursor.abandon();
                } else {
                    cursor.close();
                }
            } finally {
                try {
                    lease.end(failed);
                } finally {
                    ended.run();
                }
            }
        }

        /**
         * Run by the cleaner, on its own thread: the stream became unreachable without being closed. A stream that
         * read in a transaction it does not own (Ashlar's or the application's, on the thread that opened it) is only
         * reported: closing its cursor or giving its connection back from here would act on a connection that thread
         * may be using; the cursor ends with that transaction. A stream that owns its connection and transaction has
         * it rolled back and given back.
         */
        @Override
        public void run() {
            if (closed) {
                return;
            }
            if (!lease.own()) {
                LOG.warn("A stream over {} was dropped without being closed; it read in a transaction it does not own, "
                        + "so its cursor stays open until that transaction ends: close every stream, with "
                        + "try-with-resources (try (Stream<Row> rows = read.stream()) ...)", resource);
                closed = true;
                cursor.forget();
                return;
            }
            LOG.warn("A stream over {} was dropped without being closed; its cursor and connection are given back "
                    + "now, but until now they stayed open: close every stream, with try-with-resources "
                    + "(try (Stream<Row> rows = read.stream()) ...)", resource);
            try {
                end(true);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Giving back the connection of a stream over {} failed: {}", resource, e.getMessage());
            }
        }
    }

    /** Turns a failure of a fetch into Ashlar's exception, knowing how many rows were handed over before it. */
    @FunctionalInterface
    interface Failures {
        RuntimeException map(SQLException failure, long handed);
    }

    private CursorStream(Held held, Failures errors) {
        this.held = held;
        this.errors = errors;
        this.cleanable = CLEANER.register(this, held);
    }

    /**
     * A stream over an open cursor, which it owns from now on, as it owns the lease.
     *
     * @param ended runs once the lease is given back
     */
    static Stream<Row> of(String resource, Cursor cursor, Lease lease, Failures errors, Runnable ended) {
        CursorStream rows = new CursorStream(new Held(resource, cursor, lease, ended), errors);
        return StreamSupport.stream(rows, false).onClose(rows::close);
    }

    @Override
    public boolean tryAdvance(Consumer<? super Row> action) {
        Row row = next();
        if (row == null) {
            return false;
        }
        try {
            action.accept(row);
        } catch (RuntimeException | Error e) {
            fail(e);
            throw e;
        }
        handed++;
        return true;
    }

    /** The next row; null after the last, the stream then given back. */
    private Row next() {
        if (held.closed) {
            return null;
        }
        if (held.lease.over()) {
            QueryException over = QueryException.of(held.resource, null, "A stream over " + held.resource
                    + " was read after the transaction it was opened in ended (" + handed + " rows were handed "
                    + "over), which closed its cursor: read the stream to its end inside the transaction, or open it "
                    + "outside any transaction, where it holds a transaction of its own until it is closed");
            fail(over);
            throw over;
        }
        Row row;
        try {
            row = held.cursor.next();
        } catch (SQLException e) {
            RuntimeException mapped = errors.map(e, handed);
            fail(mapped);
            throw mapped;
        }
        if (row == null) {
            close();
        }
        return row;
    }

    /** Gives the stream back after a failure, which is the one thrown, the failure to give it back suppressed in it. */
    private void fail(Throwable failure) {
        try {
            held.end(true);
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        } finally {
            cleanable.clean();
        }
    }

    /** Closes the cursor and gives the connection back; a stream already given back stays as it is. */
    void close() {
        try {
            held.end(false);
        } catch (SQLException e) {
            throw errors.map(e, handed);
        } finally {
            cleanable.clean();
        }
    }

    @Override
    public Spliterator<Row> trySplit() {
        return null;
    }

    @Override
    public long estimateSize() {
        return Long.MAX_VALUE;
    }

    @Override
    public int characteristics() {
        return ORDERED | NONNULL;
    }
}
