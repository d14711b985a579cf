package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import org.postgresql.largeobject.LargeObject;

import java.io.InputStream;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;

/**
 * A large object read live (pgjdbc's {@code LargeObject.getInputStream()}, Jdbi's {@code TestLobStream}): its bytes
 * come from the server {@value #CHUNK} at a time as the caller reads, never whole into memory. PostgreSQL closes a
 * large object's descriptor when the transaction that opened it ends, and may hand the same number to the next
 * transaction on that connection, so every fetch first checks that the opening transaction is still the one open on
 * the thread; after it ended the stream is refused rather than read from whatever the descriptor now names.
 */
final class LargeObjectStream extends InputStream {
    static final int CHUNK = 256 * 1024;

    private final LargeObject object;
    private final String column;
    private final BooleanSupplier transactionOpen;
    private byte[] chunk = new byte[0];
    private int position;
    private boolean ended;
    private boolean closed;
    private boolean rolledBack;

    /**
     * @param transactionOpen whether the transaction that opened the object is still open on the calling thread
     */
    LargeObjectStream(LargeObject object, String column, BooleanSupplier transactionOpen) {
        this.object = object;
        this.column = column;
        this.transactionOpen = transactionOpen;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        if (position == chunk.length && !fetch()) {
            return -1;
        }
        int count = Math.min(length, chunk.length - position);
        System.arraycopy(chunk, position, buffer, offset, count);
        position += count;
        return count;
    }

    @Override
    public int available() {
        return chunk.length - position;
    }

    /** Fetches the next chunk from the server; false at the object's end. */
    private boolean fetch() {
        if (closed) {
            throw QueryException.of(PlainSql.RESOURCE, column, "The large object of column '" + column + "' was read "
                    + "after its stream was closed: open it again with largeObject() inside the transaction");
        }
        if (ended) {
            return false;
        }
        requireTransaction();
        try {
            chunk = object.read(CHUNK);
        } catch (SQLException e) {
            throw ErrorMapper.unmapped(e, "Reading the large object of column '" + column + "'");
        }
        position = 0;
        ended = chunk.length == 0;
        return !ended;
    }

    /** The savepoint (or transaction) the object was opened in was rolled back, which closed it on the server. */
    void rolledBack() {
        rolledBack = true;
    }

    private void requireTransaction() {
        if (rolledBack || !transactionOpen.getAsBoolean()) {
            closed = true;
            throw QueryException.of(PlainSql.RESOURCE, column, "The large object of column '" + column + "' was read "
                    + "after the transaction that opened it ended (or the savepoint it was opened in was rolled back, "
                    + "or on another thread), and PostgreSQL closes a "
                    + "large object with its transaction: read it to its end inside the same ashlar.transaction(...), or "
                    + "copy what you need before the transaction returns");
        }
    }

    /** Closes the descriptor on the server, unless the transaction ended and the server closed it already. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        chunk = new byte[0];
        position = 0;
        if (rolledBack || !transactionOpen.getAsBoolean()) {
            return;
        }
        try {
            object.close();
        } catch (SQLException e) {
            throw ErrorMapper.unmapped(e, "Closing the large object of column '" + column + "'");
        }
    }
}
