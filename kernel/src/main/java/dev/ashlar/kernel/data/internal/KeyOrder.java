package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The records of several primary keys read at once and handed back in the order of the keys, null for a key no record
 * has (Hibernate's {@code StatelessSession.getMultiple}, {@code Session.findMultiple}).
 */
final class KeyOrder {
    private KeyOrder() {
    }

    /**
     * Each key as a row of its key fields, for {@link Keys#byKeys}: a value for a one-column key, a map of the key's
     * fields for a composite one, or a row read before (as {@code find} takes one).
     *
     * @throws QueryException naming the resource for a null key, or a map lacking a field of the primary key
     */
    static List<Row> asRows(ResourcePlan plan, List<?> keys) {
        List<ColumnPlan> columns = plan.primaryKey();
        if (columns.isEmpty()) {
            throw QueryException.of(plan.name(), null, "Resource '" + plan.name() + "' has no primary key; "
                    + "read it with a filter instead");
        }
        List<Row> rows = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            Object key = keys.get(i);
            Map<String, Object> fields = new LinkedHashMap<>();
            for (ColumnPlan column : columns) {
                Object value = key instanceof Map<?, ?> map ? map.get(column.name())
                        : key instanceof Row row ? (row.has(column.name()) ? row.get(column.name()) : null)
                        : columns.size() == 1 ? key : null;
                if (value == null) {
                    throw QueryException.of(plan.name(), column.name(), "findMultiple of " + plan.name()
                            + " was given " + key + " as key " + i + ", which gives no value for '" + column.name()
                            + "'; give the primary key's value, or a row or map of every field of it "
                            + plan.primaryKey().stream().map(ColumnPlan::name).toList());
                }
                fields.put(column.name(), value);
            }
            rows.add(Row.of(plan.name(), fields));
        }
        return rows;
    }

    /** The rows found, one for each key asked for in its place, null where none was found. */
    static List<Row> inOrder(ResourcePlan plan, List<Row> asked, List<Row> found) {
        Map<List<Object>, Row> byKey = new HashMap<>();
        found.forEach(row -> byKey.put(key(plan, row), row));
        List<Row> ordered = new ArrayList<>(asked.size());
        asked.forEach(row -> ordered.add(byKey.get(key(plan, row))));
        return ordered;
    }

    /**
     * A row's key values in the form the server compares them in, so that a key given pairs with the row it found: each
     * value as its column's codec binds it ({@code "A0EE..."} for a uuid as the UUID, {@code 456L} for an integer as
     * checked), then a number by its value whatever its class ({@code 456L} asked for finds the {@code integer} key
     * read as {@code 456}), a moment with its offset ({@code 12:00+02:00}) as its instant, bytes by their content and
     * citext in lower case (the server's {@code lower()} under its collation can differ for letters past ASCII).
     */
    private static List<Object> key(ResourcePlan plan, Row row) {
        List<Object> values = new ArrayList<>(plan.primaryKey().size());
        for (ColumnPlan column : plan.primaryKey()) {
            values.add(compared(column.codec(), row.get(column.name())));
        }
        return values;
    }

    private static Object compared(Codec codec, Object given) {
        Object value;
        try {
            value = codec.toDatabase(given);
        } catch (Codec.RejectedValue e) {
            // a value read back that its codec would not bind as given: compared as read
            value = given;
        }
        return value instanceof Number number ? new BigDecimal(number.toString()).stripTrailingZeros()
                : value instanceof OffsetDateTime moment ? moment.toInstant()
                : value instanceof ZonedDateTime moment ? moment.toInstant()
                : value instanceof byte[] bytes ? ByteBuffer.wrap(bytes)
                : value instanceof String text && codec instanceof TextCodec textCodec && textCodec.caseInsensitive()
                ? text.toLowerCase(Locale.ROOT) : value;
    }
}
