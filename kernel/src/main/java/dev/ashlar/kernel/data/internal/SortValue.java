package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Computed;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The value a row has for a sort key no row holds (an expression, a count of related records), read by the server
 * for a keyset cursor, and checked again when a cursor brings it back: a cursor is the client's data.
 */
final class SortValue {
    /** What a statement for a row's sort value returns when no record of the row's key is in the read's scope. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "no record";
        }
    };

    /** The server's types a cursor takes, each read as the Java type it binds back as ({@link Codecs#forValue}). */
    private static final Map<String, Class<?>> READ_AS = Map.ofEntries(
            Map.entry("int2", Integer.class), Map.entry("int4", Integer.class), Map.entry("int8", Long.class),
            Map.entry("numeric", BigDecimal.class), Map.entry("float4", Double.class),
            Map.entry("float8", Double.class), Map.entry("bool", Boolean.class), Map.entry("text", String.class),
            Map.entry("varchar", String.class), Map.entry("bpchar", String.class), Map.entry("name", String.class),
            Map.entry("uuid", UUID.class), Map.entry("date", LocalDate.class), Map.entry("time", LocalTime.class),
            Map.entry("timestamp", LocalDateTime.class), Map.entry("timestamptz", OffsetDateTime.class));

    /** Operator missing for the types, datatype mismatch, and a value the expression's type cannot read. */
    private static final Set<String> MISTYPED = Set.of("42883", "42804", "22P02", "22003", "22007", "22008");
    /** A window function where PostgreSQL takes none: a computed field's, compared by a cursor. */
    private static final String WINDOWING = "42P20";

    private SortValue() {
    }

    /** Whether a sort key's value is no field of the rows, so that a cursor asks the server for it. */
    static boolean computed(Sort sort) {
        return sort.byExpression() || sort.count();
    }

    /** The first column of the result's current row, as the Java type a cursor binds it back as. */
    static Object read(ResultSet result, String resource) throws SQLException {
        Codec codec = codec(result.getMetaData().getColumnTypeName(1));
        return given(resource, codec == null ? new Unreadable(result.getMetaData().getColumnTypeName(1))
                : codec.read(result, 1));
    }

    /** How a sort value of the server's type is read as the Java type a cursor binds it back as; null for none. */
    static Codec codec(String type) {
        Class<?> javaType = READ_AS.get(type);
        return javaType == null ? null : Codecs.forType(null, null, javaType);
    }

    /** A sort value of a type no cursor takes, kept with a listed row until a cursor is asked of it. */
    record Unreadable(String type) {
    }

    /** The value, for a cursor: refused, naming the fix, when it is of a type no cursor takes. */
    static Object given(String resource, Object value) {
        if (value instanceof Unreadable unreadable) {
            throw QueryException.of(resource, null, "A cursor on " + resource + " takes a sort expression of a "
                    + "number, text, boolean, uuid, date or time type, and this one is " + unreadable.type()
                    + ": convert it in sql(...) to one of those (its text, an epoch), or page with offset(...)");
        }
        return value;
    }

    /**
     * The keys a cursor compares: a computed field's ({@code compute(name, type, sql)}) as its SQL, since the
     * {@code WHERE} clause a cursor is part of cannot name the select's fields.
     */
    static List<Sort> compared(Query query) {
        if (query.computed().isEmpty()) {
            return query.sorts();
        }
        List<Sort> keys = new ArrayList<>();
        for (Sort sort : query.sorts()) {
            Computed computed = sort.byExpression() || sort.count() ? null : query.computed().stream()
                    .filter(field -> field.name().equals(sort.field())).findFirst().orElse(null);
            keys.add(computed == null ? sort
                    : new Sort(null, sort.direction(), sort.nulls(), false, Filter.sql(computed.sql())));
        }
        return keys;
    }

    /**
     * A cursor's value the server could not compare with its expression (text for a number, say) as the client's
     * mistake it is, naming the key, and a cursor over a window function as a read to page by offset; any other error
     * as it was.
     */
    static RuntimeException mistyped(Query query, DatabaseException error) {
        String state = error.sqlState().orElse("");
        boolean cursors = !query.after().isEmpty() || !query.before().isEmpty();
        if (cursors && WINDOWING.equals(state)) {
            return QueryException.of(query.resource(), null, "A cursor on " + query.resource() + " compares its "
                    + "sort keys in the WHERE clause, and a computed field it sorts by holds a window function, which "
                    + "PostgreSQL allows in no WHERE (" + error.getMessage() + "): page such a read with offset(...)");
        }
        if (!cursors || !MISTYPED.contains(state)) {
            return error;
        }
        List<Sort> computed = compared(query).stream().filter(SortValue::computed).toList();
        if (computed.isEmpty()) {
            return error;
        }
        return QueryException.of(query.resource(), null, "A cursor on " + query.resource() + " holds a value its "
                + "sort key " + computed.stream().map(Sort::describe).toList() + " cannot be compared with ("
                + error.getMessage() + "): take the cursor with cursor(row) on this same read");
    }

    /**
     * Checks a cursor's value of a computed key before it is bound: a condition's is a boolean and a count's a
     * whole number, neither ever null; an expression's is null or of a type {@link #read} gives.
     */
    static void check(String resource, Sort sort, Object value) {
        String fault = sort.count() ? (value instanceof Long || value instanceof Integer) && ((Number) value)
                .longValue() >= 0 ? null : "a count, a whole number of 0 or more"
                : !(sort.expression() instanceof Filter.Sql) ? value instanceof Boolean ? null
                : "whether the condition holds, true or false"
                : value == null || Codecs.bindsByType(value) ? null
                : "null or a number, text, boolean, UUID, date or time";
        if (fault != null) {
            throw QueryException.of(resource, sort.field(), "A cursor on " + resource + " at its sort key "
                    + sort.describe() + " must hold " + fault + ", and it holds " + (value == null ? "null"
                    : "a " + value.getClass().getSimpleName()) + ": take the cursor with cursor(row) on this same "
                    + "read");
        }
    }
}
