package dev.ashlar.benchmarks;

import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Oid;
import org.postgresql.jdbc.PgArray;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * JDBC's best paths for writing many items, as a careful engineer writes them: {@code COPY}; one
 * {@code INSERT ... SELECT ... FROM unnest(arrays)} (each column a typed array, which the driver sends in binary
 * where it has a binary form; the array column as array literals and the JSON as text, in {@code text[]}, cast back);
 * the same with {@code ON CONFLICT}; and batches (rewritten into multi-row inserts by the pool's
 * {@code reWriteBatchedInserts}, except when generated keys are asked for), in one transaction.
 */
final class JdbcWrites {
    static final String TABLE = "\"ashlar_bench\".\"bulk_items\"";
    static final String COLUMNS = "\"name\", \"email\", \"category\", \"price\", \"created_at\", \"active\", "
            + "\"tags\", \"attrs\"";
    static final String INSERT = "INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)";
    static final String ON_CONFLICT = " ON CONFLICT (\"email\") DO UPDATE SET \"name\" = EXCLUDED.\"name\", "
            + "\"category\" = EXCLUDED.\"category\", \"price\" = EXCLUDED.\"price\", "
            + "\"created_at\" = EXCLUDED.\"created_at\", \"active\" = EXCLUDED.\"active\", "
            + "\"tags\" = EXCLUDED.\"tags\", \"attrs\" = EXCLUDED.\"attrs\"";
    static final String UNNEST = "INSERT INTO " + TABLE + " (" + COLUMNS + ") SELECT \"name\", \"email\", "
            + "\"category\", \"price\", \"created_at\", \"active\", \"tags\"::text[], \"attrs\"::jsonb FROM unnest("
            + "?::text[], ?::text[], ?::integer[], ?::numeric[], ?::timestamptz[], ?::boolean[], ?::text[], ?::text[]) "
            + "AS input(" + COLUMNS + ")";
    static final String RETURNING_ID = " RETURNING \"id\"";
    private static final String COPY = "COPY " + TABLE + " (" + COLUMNS + ") FROM STDIN (FORMAT csv)";
    private static final String STAGED = "pg_temp.\"bulk_items_staged\"";
    private static final String STAGE = "CREATE TEMPORARY TABLE IF NOT EXISTS " + STAGED + " (\"name\" text, "
            + "\"email\" text, \"category\" integer, \"price\" numeric, \"created_at\" timestamptz, "
            + "\"active\" boolean, \"tags\" text[], \"attrs\" jsonb) ON COMMIT DELETE ROWS";
    private static final String COPY_STAGED = "COPY " + STAGED + " (" + COLUMNS + ") FROM STDIN (FORMAT csv)";
    private static final String FROM_STAGED = "INSERT INTO " + TABLE + " (" + COLUMNS + ") SELECT " + COLUMNS
            + " FROM " + STAGED + RETURNING_ID;

    private JdbcWrites() {
    }

    static long copy(Connection connection, List<Item> items) throws SQLException, IOException {
        return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new StringReader(csv(items)));
    }

    /**
     * COPY into a temporary table (kept on the connection, emptied at each commit), then one
     * {@code INSERT ... SELECT ... RETURNING} from it, in one transaction; returns the generated ids.
     */
    static List<Long> copyStaged(Connection connection, List<Item> items) throws SQLException, IOException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(STAGE);
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_STAGED, new StringReader(csv(items)));
            List<Long> ids = ids(statement.executeQuery(FROM_STAGED));
            connection.commit();
            return ids;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static String csv(List<Item> items) {
        StringBuilder csv = new StringBuilder(items.size() * 160);
        for (Item item : items) {
            csv.append(quoted(item.name())).append(',').append(quoted(item.email())).append(',')
                    .append(item.category()).append(',').append(item.price()).append(',').append(item.createdAt())
                    .append(',').append(item.active()).append(',').append(quoted(arrayLiteral(item.tags())))
                    .append(',').append(quoted(item.attrs())).append('\n');
        }
        return csv.toString();
    }

    /**
     * One statement, one array per column; returns the generated ids. The timestamps go as text through
     * {@code createArrayOf}, or, with {@code binaryTimestamps}, as the binary {@code timestamptz[]} Ashlar sends.
     */
    static List<Long> unnest(Connection connection, List<Item> items, String suffix, boolean binaryTimestamps)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UNNEST + suffix + RETURNING_ID)) {
            statement.setArray(1, array(connection, "text", items, Item::name, String[]::new));
            statement.setArray(2, array(connection, "text", items, Item::email, String[]::new));
            statement.setArray(3, array(connection, "int4", items, Item::category, Integer[]::new));
            // As text: a BigDecimal[] goes through the driver's generic Object[] encoder, which looks up the array
            // delimiter for every element; a String[] of the same numbers is encoded in one pass.
            statement.setArray(4, array(connection, "numeric", items, i -> i.price().toString(), String[]::new));
            statement.setArray(5, binaryTimestamps ? binaryTimestamps(connection, items)
                    : array(connection, "timestamptz", items, i -> i.createdAt().toString(), String[]::new));
            statement.setArray(6, array(connection, "bool", items, Item::active, Boolean[]::new));
            statement.setArray(7, array(connection, "text", items, i -> arrayLiteral(i.tags()), String[]::new));
            statement.setArray(8, array(connection, "text", items, Item::attrs, String[]::new));
            return ids(statement.executeQuery());
        }
    }

    /** A batch in one transaction; returns the generated ids when asked to (the driver then cannot rewrite it). */
    static List<Long> batch(Connection connection, List<Item> items, String sql, boolean keys) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement statement = keys ? connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)
                : connection.prepareStatement(sql)) {
            for (Item item : items) {
                statement.setString(1, item.name());
                statement.setString(2, item.email());
                statement.setObject(3, item.category(), Types.INTEGER);
                statement.setBigDecimal(4, item.price());
                statement.setObject(5, item.createdAt().atOffset(ZoneOffset.UTC));
                statement.setObject(6, item.active(), Types.BOOLEAN);
                statement.setArray(7, connection.createArrayOf("text", item.tags().toArray(String[]::new)));
                statement.setString(8, item.attrs());
                statement.addBatch();
            }
            statement.executeBatch();
            List<Long> ids = keys ? ids(statement.getGeneratedKeys()) : List.of();
            connection.commit();
            return ids;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static List<Long> ids(ResultSet keys) throws SQLException {
        try (keys) {
            List<Long> ids = new ArrayList<>();
            while (keys.next()) {
                ids.add(keys.getLong(1));
            }
            return ids;
        }
    }

    /**
     * One column as a JDBC array of its Java type: the driver sends {@code String[]}, {@code Integer[]} and
     * {@code Boolean[]} in binary, and only an {@code Object[]} (or a type it has no binary form for) as text.
     */
    private static <T> Array array(Connection connection, String type, List<Item> items, Function<Item, T> value,
                                   IntFunction<T[]> arrays) throws SQLException {
        T[] values = arrays.apply(items.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = value.apply(items.get(i));
        }
        return connection.createArrayOf(type, values);
    }

    /**
     * The items' timestamps (none null) as the binary form of a {@code timestamptz[]}: microseconds since 2000, built
     * through the driver's {@code PgArray}, since {@code createArrayOf} has no binary form for them.
     */
    private static Array binaryTimestamps(Connection connection, List<Item> items) throws SQLException {
        ByteBuffer bytes = ByteBuffer.allocate(20 + items.size() * 12);
        bytes.putInt(1).putInt(0).putInt(Oid.TIMESTAMPTZ).putInt(items.size()).putInt(1);
        for (Item item : items) {
            Instant at = item.createdAt();
            bytes.putInt(8).putLong((at.getEpochSecond() - 946_684_800L) * 1_000_000L + at.getNano() / 1_000);
        }
        return new PgArray(connection.unwrap(BaseConnection.class), Oid.TIMESTAMPTZ_ARRAY, bytes.array());
    }

    /**
     * {@code {"a","b \"c\""}}: the text form of a text array, each element copied in runs between the quotes and
     * backslashes it escapes.
     */
    static String arrayLiteral(List<String> values) {
        StringBuilder literal = new StringBuilder(2 + values.size() * 16).append('{');
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            literal.append(i == 0 ? "\"" : ",\"");
            int plain = 0;
            for (int at = 0; at < value.length(); at++) {
                char c = value.charAt(at);
                if (c == '"' || c == '\\') {
                    literal.append(value, plain, at).append('\\');
                    plain = at;
                }
            }
            literal.append(value, plain, value.length()).append('"');
        }
        return literal.append('}').toString();
    }

    private static String quoted(String csv) {
        return '"' + csv.replace("\"", "\"\"") + '"';
    }
}
