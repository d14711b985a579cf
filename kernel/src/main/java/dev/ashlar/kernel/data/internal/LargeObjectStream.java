package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;

/**
 * A large object read live (pgjdbc's {@code LargeObject.getInputStream()}, Jdbi's {@code TestLobStream}): its bytes
 * come from the server {@value #CHUNK} at a time as the caller reads ({@code lo_get(oid, offset, length)}), never whole
 * into memory. Each fetch names the object by its oid, not by a descriptor, so no fetch can read another object
 * whatever savepoints were rolled back in between (PostgreSQL closes a descriptor with its savepoint and may give its
 * number to the next object opened). Every fetch first checks that the opening transaction is still the one open on
 * the thread: after it ended, the stream is refused rather than read on a connection that went back to the pool.
 */
final class LargeObjectStream extends InputStream {
    static final int CHUNK = 256 * 1024;

    private final Connection connection;
    private final long oid;
    private final String column;
    private long offset;
    private final BooleanSupplier transactionOpen;
    private byte[] chunk = new byte[0];
    private int position;
    private boolean ended;
    private boolean closed;
    private boolean rolledBack;

    /**
     * @param transactionOpen whether the transaction that opened the object is still open on the calling thread
     */
    LargeObjectStream(Connection connection, long oid, String column, BooleanSupplier transactionOpen) {
        this.connection = connection;
        this.oid = oid;
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
        try (PreparedStatement query = connection.prepareStatement("SELECT lo_get(?::oid, ?, ?)")) {
            query.setLong(1, oid);
            query.setLong(2, offset);
            query.setInt(3, CHUNK);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                chunk = row.getBytes(1);
            }
        } catch (SQLException e) {
            throw ErrorMapper.unmapped(e, "Reading the large object of column '" + column + "'", true);
        }
        offset += chunk.length;
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

    /** Ends the stream; it holds nothing open on the server. */
    @Override
    public void close() {
        closed = true;
        chunk = new byte[0];
        position = 0;
    }
}
