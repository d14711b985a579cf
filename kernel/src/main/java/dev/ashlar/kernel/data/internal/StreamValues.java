package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import org.postgresql.PGConnection;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Streams bound to a statement written by hand and large objects read by one (Jdbi's {@code InputStream} and
 * {@code Reader} arguments, and its PostgreSQL plugin's large objects): an {@link InputStream} goes to a
 * {@code bytea}, a {@link Reader} to a {@code text}, either to an {@code oid} as a new large object (a reader's
 * characters as UTF-8). Each stream is read to its end and closed when the statement is bound, so one that fails
 * part-way fails the statement before anything is sent, naming its mark. Large objects live in a transaction
 * (PostgreSQL's {@code lo_*} calls take a descriptor that lasts until it ends), so they are refused outside one.
 */
final class StreamValues {
    private static final int CHUNK = 64 * 1024;
    /**
     * PostgreSQL keeps at most 1 GB in one value (the "PostgreSQL Limits" appendix): an attribute's stream longer than
     * that is refused once it passes it, rather than read on until memory runs out.
     */
    static final int MAX_VALUE = 1 << 30;
    /** The streams already read, which a second run of the same statement would find empty or closed. */
    private static final Map<Object, Boolean> READ = Collections.synchronizedMap(new WeakHashMap<>());

    private StreamValues() {
    }

    /** Whether a value is a stream this class binds. */
    static boolean isStream(Object value) {
        return value instanceof InputStream || value instanceof Reader;
    }

    /**
     * Binds a stream to the {@code ?} at {@code index}, as the type PostgreSQL gives its place says.
     *
     * @param mark          how messages name the value ({@code 2}, {@code :data}) and the statement
     * @param inTransaction whether a transaction is open, which a large object needs
     * @return the oid of the large object made for it, to unlink should the statement not run; 0 for none
     * @throws QueryException when the stream fails while read, was read by an earlier run, or a large object is bound
     *                        outside a transaction
     */
    static long bind(PreparedStatement statement, int index, Object stream, String mark, boolean inTransaction)
            throws SQLException {
        if (READ.putIfAbsent(stream, Boolean.TRUE) != null) {
            throw QueryException.of(PlainSql.RESOURCE, null, "Value " + mark + " is a " + kind(stream) + " already read "
                    + "to its end and closed (by an earlier run of the statement, or at another of its marks); a stream "
                    + "is read once: bind a new one for each run and each mark (or bind its bytes, or its text)");
        }
        long oid = 0;
        Throwable failure = null;
        try {
            if ("oid".equals(statement.getParameterMetaData().getParameterTypeName(index))) {
                oid = largeObject(statement.getConnection(), stream, mark, inTransaction);
                statement.setLong(index, oid);
            } else if (stream instanceof InputStream bytes) {
                statement.setBytes(index, bytes.readAllBytes());
            } else {
                statement.setString(index, text((Reader) stream));
            }
            return oid;
        } catch (IOException e) {
            failure = unread(mark, stream, e);
            throw (QueryException) failure;
        } catch (SQLException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            close((Closeable) stream, mark, failure);
        }
    }

    /**
     * The content of a stream given as an attribute's value ({@code create("files", Map.of("data", in))}): an
     * {@link InputStream}'s bytes for a {@code bytea}, a {@link Reader}'s text for a {@code text}, read to its end and
     * closed before any statement is sent, so one that fails part-way writes nothing. Read once: the same stream given
     * again would be empty, so it is refused.
     *
     * @throws Codec.RejectedValue saying how it failed (the caller adds the field)
     */
    static Object attributeValue(Object stream) {
        return attributeValue(stream, MAX_VALUE);
    }

    /** {@link #attributeValue(Object)} refusing a stream longer than {@code limit} bytes or characters. */
    static Object attributeValue(Object stream, int limit) {
        if (READ.putIfAbsent(stream, Boolean.TRUE) != null) {
            throw new Codec.RejectedValue("is a " + kind(stream) + " already read to its end and closed (by an "
                    + "earlier write): a stream is read once, give a new one for each write");
        }
        Throwable failure = null;
        try {
            Object value = stream instanceof InputStream bytes ? bytes.readNBytes(limit)
                    : text((Reader) stream, limit);
            int length = value instanceof byte[] read ? read.length : ((String) value).length();
            boolean more = length == limit
                    && (stream instanceof InputStream bytes ? bytes.read() : ((Reader) stream).read()) >= 0;
            if (more) {
                throw new Codec.RejectedValue("is a " + kind(stream) + " longer than " + limit + " bytes or "
                        + "characters, the most PostgreSQL keeps in one value, so nothing was written: store content "
                        + "this large as a large object (an oid column written and read with sql(...), read live with "
                        + "largeObject())");
            }
            return value;
        } catch (IOException e) {
            failure = new Codec.RejectedValue("is a " + kind(stream) + " that failed while it was read (" + e
                    + "), so nothing was written: give a stream that reads to its end", e);
            throw (Codec.RejectedValue) failure;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                ((Closeable) stream).close();
            } catch (IOException e) {
                if (failure == null) {
                    throw new Codec.RejectedValue("is a " + kind(stream) + " whose close() failed (" + e + "), so "
                            + "nothing was written", e);
                }
                failure.addSuppressed(e);
            }
        }
    }

    /** Closes the stream; a failure to close is added to the one already thrown, or thrown when there is none. */
    private static void close(Closeable stream, String mark, Throwable failure) {
        try {
            stream.close();
        } catch (IOException e) {
            if (failure == null) {
                throw unread(mark, stream, e);
            }
            failure.addSuppressed(e);
        }
    }

    /** Unlinks the large objects made for a statement that was not run, adding a failure to the one thrown. */
    static void unlink(Connection connection, List<Long> oids, Throwable failure) {
        for (long oid : oids) {
            try {
                connection.unwrap(PGConnection.class).getLargeObjectAPI().delete(oid);
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static long largeObject(Connection connection, Object stream, String mark, boolean inTransaction)
            throws SQLException, IOException {
        if (!inTransaction) {
            throw QueryException.of(PlainSql.RESOURCE, null, "Value " + mark + " is a " + kind(stream) + " bound "
                    + "to an oid, which stores it as a large object; large objects live in a transaction: run the "
                    + "statement inside ashlar.transaction(...), or bind it to a bytea (or text) column");
        }
        LargeObjectManager objects = connection.unwrap(PGConnection.class).getLargeObjectAPI();
        long oid = objects.createLO(LargeObjectManager.READWRITE);
        try {
            LargeObject object = objects.open(oid, LargeObjectManager.WRITE);
            try {
                write(object, stream);
            } finally {
                object.close();
            }
            return oid;
        } catch (IOException | SQLException | RuntimeException e) {
            // Unlinked at once, so a caller that catches the failure and commits keeps no half-written object.
            try {
                objects.delete(oid);
            } catch (SQLException gone) {
                e.addSuppressed(gone);
            }
            throw e;
        }
    }

    private static void write(LargeObject object, Object stream) throws IOException, SQLException {
        if (stream instanceof InputStream bytes) {
            byte[] chunk = new byte[CHUNK];
            for (int read = bytes.read(chunk); read >= 0; read = bytes.read(chunk)) {
                object.write(chunk, 0, read);
            }
            return;
        }
        char[] chunk = new char[CHUNK];
        Reader reader = (Reader) stream;
        for (int read = reader.read(chunk); read >= 0; read = reader.read(chunk)) {
            // A surrogate pair split between two chunks is encoded whole: hold back a trailing high surrogate.
            int whole = read > 0 && Character.isHighSurrogate(chunk[read - 1]) ? read - 1 : read;
            object.write(new String(chunk, 0, whole).getBytes(StandardCharsets.UTF_8));
            if (whole < read) {
                int next = reader.read();
                object.write((next < 0 ? String.valueOf(chunk[whole])
                        : new String(new char[] {chunk[whole], (char) next})).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String text(Reader reader) throws IOException {
        return text(reader, Integer.MAX_VALUE);
    }

    /** The reader's text up to {@code limit} characters. */
    private static String text(Reader reader, int limit) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] chunk = new char[CHUNK];
        int read;
        while (text.length() < limit && (read = reader.read(chunk, 0, Math.min(CHUNK, limit - text.length()))) >= 0) {
            text.append(chunk, 0, read);
        }
        return text.toString();
    }

    private static QueryException unread(String mark, Object stream, IOException e) {
        return QueryException.of(PlainSql.RESOURCE, null, "Value " + mark + " is a " + kind(stream) + " that failed "
                + "while it was read (" + e + "), so the statement was not run and nothing was written: bind a stream "
                + "that reads to its end", e);
    }

    private static String kind(Object stream) {
        return stream instanceof InputStream ? "InputStream" : "Reader";
    }

    /**
     * The content of the large object an {@code oid} names: its bytes, or to read as a {@link Reader} its text
     * (read as UTF-8).
     *
     * @throws QueryException outside a transaction, naming the column
     */
    static Object read(Connection connection, long oid, Class<?> as, String column, boolean inTransaction)
            throws SQLException {
        if (!inTransaction) {
            throw QueryException.of(PlainSql.RESOURCE, column, "Column '" + column + "' is an oid, read as the "
                    + "large object it names; large objects live in a transaction: read it inside "
                    + "ashlar.transaction(...), or select it as a number (lob::bigint) to read the oid itself");
        }
        LargeObjectManager objects = connection.unwrap(PGConnection.class).getLargeObjectAPI();
        LargeObject object = objects.open(oid, LargeObjectManager.READ);
        try {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            byte[] chunk = new byte[CHUNK];
            for (int read = object.read(chunk, 0, CHUNK); read > 0; read = object.read(chunk, 0, CHUNK)) {
                content.write(chunk, 0, read);
            }
            return as == Reader.class ? content.toString(StandardCharsets.UTF_8) : content.toByteArray();
        } finally {
            object.close();
        }
    }
}
