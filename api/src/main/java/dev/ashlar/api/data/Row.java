package dev.ashlar.api.data;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.RelatedMapping;
import dev.ashlar.api.internal.RowLayout;
import dev.ashlar.api.internal.Rows;
import dev.ashlar.api.internal.SeenSortKeys;
import dev.ashlar.api.internal.ValueConversions;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One stored record of a resource, as the data layer returns it: immutable field values with typed
 * getters, mappable onto a Java {@code record} class by component names.
 *
 * <p>Values have the Java types of their attribute types: {@code Integer}, {@code Long},
 * {@code Boolean}, {@code UUID}, {@code Float}, {@code Double}, {@code LocalDate}, {@code LocalTime},
 * {@code LocalDateTime} (timestamp), {@code Instant} (timestamptz), {@code byte[]}, JSON as its text,
 * {@code String} (text and enums), {@code BigDecimal}, and arrays as unmodifiable {@code List}s.
 *
 * <pre>{@code
 * Row post = ashlar.get("post", 42);
 * String title = post.getString("title");
 * Instant at = post.getInstant("published_at");
 * Post value = post.as(Post.class);   // record Post(long id, String title, Instant publishedAt)
 * }</pre>
 */
public final class Row {
    private final RowLayout layout;
    private final Object[] values;
    private final String tenant;
    private final Map<String, List<Row>> related;
    private final boolean upsertSkipped;
    private final SeenSortKeys seenSortKeys;

    static {
        Rows.install(new Rows.Access() {
            @Override
            public Row create(RowLayout layout, Object[] values) {
                return new Row(layout, values, null, Map.of(), false, null);
            }

            @Override
            public Row withTenant(Row row, String tenant) {
                return Objects.equals(row.tenant, tenant) ? row
                        : new Row(row.layout, row.values, tenant, row.related, row.upsertSkipped, row.seenSortKeys);
            }

            @Override
            public Row upsertSkipped(Row row) {
                return new Row(row.layout, row.values, row.tenant, row.related, true, row.seenSortKeys);
            }

            @Override
            public RowLayout layout(Row row) {
                return row.layout;
            }

            @Override
            public Object[] values(Row row) {
                return row.values;
            }

            @Override
            public Row withRelated(Row row, String relationship, List<Row> rows) {
                return row.related(relationship, Collections.unmodifiableList(rows));
            }

            @Override
            public Row withSeenSortKeys(Row row, SeenSortKeys seen) {
                return new Row(row.layout, row.values, row.tenant, row.related, row.upsertSkipped, seen);
            }

            @Override
            public SeenSortKeys seenSortKeys(Row row) {
                return row.seenSortKeys;
            }
        });
    }

    private Row(RowLayout layout, Object[] values, String tenant, Map<String, List<Row>> related,
                boolean upsertSkipped, SeenSortKeys seenSortKeys) {
        if (values.length != layout.fields().size()) {
            throw new IllegalArgumentException("a row of " + layout.fields().size() + " fields got "
                    + values.length + " values");
        }
        this.layout = layout;
        this.values = values;
        this.tenant = tenant;
        this.related = related;
        this.upsertSkipped = upsertSkipped;
        this.seenSortKeys = seenSortKeys;
    }

    /**
     * Whether an upsert returned this row as it was stored, having kept it rather than written it (Ash's
     * {@code upsert_skipped} metadata): one of the records {@code Upsert.returnSkipped()} adds, which {@code
     * doNothing()} or a {@code where(...)} the stored record did not meet left alone. False for every other row. Not
     * part of the row's equality, which compares values.
     */
    public boolean upsertSkipped() {
        return upsertSkipped;
    }

    /** The tenant the row was read or written as, so that later writes of it go to that tenant. */
    public Optional<String> tenant() {
        return Optional.ofNullable(tenant);
    }

    /** A row built from a map, e.g. to hand to {@code update} or to a plugin; the map's order is kept. */
    public static Row of(String resource, Map<String, ?> values) {
        QueryException.required(resource, "resource");
        QueryException.required(values, "values");
        List<String> fields = new ArrayList<>(values.keySet());
        Object[] array = new Object[fields.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(fields.get(i));
        }
        return new Row(new RowLayout(resource, fields), array, null, Map.of(), false, null);
    }

    /** The resource this row belongs to. */
    public String resource() {
        return layout.resource();
    }

    /** The field names, in order. */
    public List<String> fields() {
        return layout.fields();
    }

    public boolean has(String field) {
        return layout.indexOf(field) >= 0;
    }

    /**
     * The value of a field, possibly null.
     *
     * @throws AshlarException     with {@link ErrorCode#INVALID_QUERY} when the row has no such field
     * @throws ForbiddenException  when a field policy hides the field's value from the actor on this row
     */
    public Object get(String field) {
        return visible(values[index(field)]);
    }

    /**
     * The value at a position of the layout, 0 to {@code fields().size() - 1}; see {@link #get(String)}.
     *
     * @throws AshlarException with {@link ErrorCode#INVALID_QUERY} when the row has no field at that position
     */
    public Object get(int index) {
        if (index < 0 || index >= values.length) {
            throw QueryException.of(layout.resource(), null, "A row of " + layout.resource() + " has no field at "
                    + "position " + index + ": it has " + values.length + " field(s), at positions 0 to "
                    + (values.length - 1) + ", " + layout.fields() + "; read one by its name with get(name)");
        }
        return visible(values[index]);
    }

    /**
     * Whether a field policy ({@code Policy.field(...)}) hid the field's value from the actor the row was read for,
     * on this row: {@link #get(String)} of it then throws, and {@link #toMap()} leaves it out.
     */
    public boolean forbidden(String field) {
        return values[index(field)] instanceof ForbiddenField;
    }

    private static Object visible(Object value) {
        if (value instanceof ForbiddenField hidden) {
            throw new ForbiddenException(hidden.resource(), "read", "field " + hidden.field(), "Field '"
                    + hidden.field() + "' of this " + hidden.resource() + " is hidden from the actor by its field "
                    + "policy (Policy.on(\"" + hidden.resource() + "\").field(\"" + hidden.field() + "\", ...)); "
                    + "row.forbidden(\"" + hidden.field() + "\") tells it without throwing");
        }
        return value;
    }

    /**
     * The value of a field as the given type (a plain cast, with the conversions the typed getters make); a primitive
     * type ({@code int.class}) reads it boxed.
     *
     * @throws AshlarException with {@link ErrorCode#INVALID_QUERY} when the value is not of the type, or is null and the
     *                         type a primitive
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String field, Class<T> type) {
        Object value = get(field);
        if (value == null && type.isPrimitive()) {
            throw QueryException.of(layout.resource(), field, "Field '" + field + "' of " + layout.resource()
                    + " is null, which the primitive " + type.getName() + " cannot hold: read it as "
                    + ValueConversions.box(type).getSimpleName() + ", or leave nulls out (IS NOT NULL, coalesce)");
        }
        Object converted = converted(field, value, type);
        if (value != null && converted == null) {
            throw wrongType(field, value, type);
        }
        // A primitive's Class<T> is Class<Integer> for int.class, whose cast refuses every Integer.
        return (T) ValueConversions.box(type).cast(converted);
    }

    public String getString(String field) {
        return get(field, String.class);
    }

    public Integer getInteger(String field) {
        return get(field, Integer.class);
    }

    public Long getLong(String field) {
        return get(field, Long.class);
    }

    public Boolean getBoolean(String field) {
        return get(field, Boolean.class);
    }

    public Float getFloat(String field) {
        return get(field, Float.class);
    }

    public Double getDouble(String field) {
        return get(field, Double.class);
    }

    public BigDecimal getBigDecimal(String field) {
        return get(field, BigDecimal.class);
    }

    public UUID getUuid(String field) {
        return get(field, UUID.class);
    }

    public Instant getInstant(String field) {
        return get(field, Instant.class);
    }

    /** A timestamptz as an offset date-time in UTC. */
    public OffsetDateTime getOffsetDateTime(String field) {
        return get(field, OffsetDateTime.class);
    }

    public LocalDate getLocalDate(String field) {
        return get(field, LocalDate.class);
    }

    public LocalTime getLocalTime(String field) {
        return get(field, LocalTime.class);
    }

    public LocalDateTime getLocalDateTime(String field) {
        return get(field, LocalDateTime.class);
    }

    public byte[] getBytes(String field) {
        byte[] bytes = get(field, byte[].class);
        return bytes == null ? null : bytes.clone();
    }

    /** A JSON attribute as its text; the kernel's {@code JsonValues.tree} gives it as a tree. */
    public String getJson(String field) {
        return get(field, String.class);
    }

    /** An enumerated attribute as a constant of a Java enum. */
    public <E extends Enum<E>> E getEnum(String field, Class<E> type) {
        return get(field, type);
    }

    /** An array attribute as an unmodifiable list of elements of the given type. */
    public <E> List<E> getList(String field, Class<E> elementType) {
        List<?> list = get(field, List.class);
        if (list == null) {
            return null;
        }
        List<E> elements = new ArrayList<>(list.size());
        for (Object element : list) {
            Object converted = converted(field + "[]", element, elementType);
            if (element != null && converted == null) {
                throw wrongType(field + "[]", element, elementType);
            }
            elements.add(elementType.cast(converted));
        }
        return Collections.unmodifiableList(elements);
    }

    /** The relationships loaded on this row, by name, each with its related rows in order. */
    public Map<String, List<Row>> relationships() {
        return related;
    }

    /** Whether a relationship was loaded on this row (possibly finding nothing). */
    public boolean loaded(String relationship) {
        return related.containsKey(relationship);
    }

    /**
     * The rows a to-many relationship loaded for this row, in the load's order.
     *
     * @throws AshlarException with {@link ErrorCode#INVALID_QUERY} when the relationship was not loaded
     */
    public List<Row> related(String relationship) {
        List<Row> rows = related.get(relationship);
        if (rows == null) {
            throw QueryException.of(layout.resource(), relationship, "Relationship '" + relationship + "' of "
                    + layout.resource() + " was not loaded; add .load(\"" + relationship + "\") to the read. Loaded: "
                    + related.keySet());
        }
        return rows;
    }

    /** The record a to-one relationship loaded for this row, if there is one; see {@link #related}. */
    public Optional<Row> relatedOne(String relationship) {
        List<Row> rows = related(relationship);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** A copy of this row that carries the rows loaded for a relationship (replacing any it had). */
    public Row withRelated(String relationship, List<Row> rows) {
        return related(relationship, List.copyOf(rows));
    }

    private Row related(String relationship, List<Row> unmodifiable) {
        if (related.isEmpty()) {
            return new Row(layout, values, tenant, Map.of(relationship, unmodifiable), upsertSkipped,
                    seenSortKeys);
        }
        Map<String, List<Row>> all = new LinkedHashMap<>(related);
        all.put(relationship, unmodifiable);
        return new Row(layout, values, tenant, Collections.unmodifiableMap(all), upsertSkipped, seenSortKeys);
    }

    /**
     * This row as a Java record: each component takes the field of the same name, or of its
     * snake_case form ({@code publishedAt} reads {@code published_at}). A component named after a loaded
     * relationship takes its rows: a {@code List} of records or rows for any relationship, a record, a
     * {@code Row} or an {@code Optional} of one for a to-one relationship.
     *
     * @throws AshlarException with {@link ErrorCode#INVALID_QUERY} when a component has no field or a value does not fit
     */
    public <R extends Record> R as(Class<R> type) {
        if (!related.isEmpty()) {
            return RelatedMapping.map(this, type);
        }
        return layout.mapsAsClass(type) ? layout.classMapping(type).map(values) : layout.mapping(type).map(values);
    }

    /**
     * The fields and values, in order, as an unmodifiable map (null values kept; a field its field policy hides on
     * this row, {@link #forbidden(String)}, left out).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof ForbiddenField) {
                continue;
            }
            map.put(layout.fields().get(i), values[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    private int index(String field) {
        int index = layout.indexOf(field);
        if (index < 0) {
            throw QueryException.of(layout.resource(), field, "A row of " + layout.resource() + " has no field '"
                    + field + "'; it has " + layout.fields());
        }
        return index;
    }

    /** The value converted to the type; a conversion that fails (JSON text read as a list or a record) names the field. */
    private Object converted(String field, Object value, Class<?> type) {
        try {
            return ValueConversions.convert(value, type);
        } catch (QueryException e) {
            if (e.field().isPresent()) {
                throw e;
            }
            throw QueryException.of(layout.resource(), field, "Field '" + field + "' of " + layout.resource()
                    + " cannot be read as " + type.getSimpleName() + ": " + e.getMessage() + ". Read it with get(\""
                    + field + "\") to see what it holds", e);
        }
    }

    private AshlarException wrongType(String field, Object value, Class<?> type) {
        if (type.isEnum() && value instanceof String label) {
            // A label written by plain SQL or by an older version of the enum, which the enum no longer has.
            return QueryException.of(layout.resource(), field, "Field '" + field + "' of " + layout.resource()
                    + " holds '" + label + "', which is no constant of " + type.getSimpleName() + " "
                    + ValueConversions.storedValues(type) + ": read it with getString(\"" + field
                    + "\"), add the constant, or change the stored value");
        }
        if (value instanceof Number) {
            return QueryException.of(layout.resource(), field, "Field '" + field + "' of " + layout.resource()
                    + " holds the " + value.getClass().getSimpleName() + " " + value + ", which a "
                    + type.getSimpleName() + " does not hold exactly: read it with get(\"" + field + "\", "
                    + value.getClass().getSimpleName() + ".class) or a wider type");
        }
        return QueryException.of(layout.resource(), field, "Field '" + field + "' of " + layout.resource()
                + " holds a " + value.getClass().getSimpleName() + ", which is not a " + type.getSimpleName()
                + ": read it with get(\"" + field + "\", " + value.getClass().getSimpleName() + ".class)");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Row row && row.resource().equals(resource()) && row.fields().equals(fields())
                && Objects.equals(row.tenant, tenant) && Arrays.deepEquals(row.values, values)
                && row.related.equals(related);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resource(), fields(), tenant, Arrays.deepHashCode(values), related);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(resource()).append('{');
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            text.append(i == 0 ? "" : ", ").append(layout.fields().get(i)).append('=')
                    .append(value instanceof byte[] bytes ? "<" + bytes.length + " bytes>" : value);
        }
        related.forEach((name, rows) -> text.append(", ").append(name).append('=').append(rows));
        return text.append('}').toString();
    }
}
