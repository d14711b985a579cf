package dev.ashlar.api.typed;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A filter over the rows of one resource, made from that resource's typed fields and relationships:
 * {@code TITLE.eq("Hello").and(RATING.gte(3))}. The type parameter keeps a condition on comments out
 * of a read of posts; {@link #filter()} is the same {@link Filter} the string API builds.
 *
 * @param <R> the record type of the resource the condition is over
 */
public final class Condition<R extends Record> {
    private final Filter filter;

    Condition(Filter filter) {
        this.filter = QueryException.required(filter, "filter");
    }

    /**
     * A condition on the table's rows written in SQL, its values bound in order (see {@link Filter#sql}):
     * {@code Condition.sql(POSTS, "lower(title) = ?", "hello")}.
     */
    public static <R extends Record> Condition<R> sql(Table<R> table, String fragment, Object... values) {
        QueryException.required(table, "table");
        return new Condition<>(Filter.sql(fragment, values));
    }

    /**
     * The fields, taken together, are one of these rows ({@link Filter#rowIn}, jOOQ's {@code row(a, b).in(...)}):
     * {@code Condition.rowIn(List.of(CUSTOMER, CODE), List.of(List.of(1, "x"), List.of(2, "y")))}, each row's values in
     * the fields' order, every value bound. A value of another type than its field's is refused naming the field.
     */
    public static <R extends Record> Condition<R> rowIn(List<? extends Field<R, ?>> fields,
                                                        List<? extends List<?>> rows) {
        QueryException.required(fields, "fields");
        return new Condition<>(Filter.rowIn(fields.stream().map(Field::name).toList(), rows));
    }

    /** The filter this condition stands for, as the data layer receives it. */
    public Filter filter() {
        return filter;
    }

    /** Both this condition and the other hold. */
    public Condition<R> and(Condition<R> other) {
        return new Condition<>(Filter.and(filter, QueryException.required(other, "condition").filter));
    }

    /** This condition or the other holds. */
    public Condition<R> or(Condition<R> other) {
        return new Condition<>(Filter.or(filter, QueryException.required(other, "condition").filter));
    }

    /** This condition does not hold. */
    public Condition<R> not() {
        return new Condition<>(Filter.not(filter));
    }

    /**
     * A sort key on this condition, the rows it fails for first (see {@link Sort#ascBy(Filter)}); in a relationship's
     * sort it may compare with the parent: {@code TITLE.eq(Organization.NAME.parent()).desc()}.
     */
    public Order<R> asc() {
        return new Order<>(Sort.ascBy(filter), null);
    }

    /** A sort key on this condition, the rows it holds for first; see {@link #asc()}. */
    public Order<R> desc() {
        return new Order<>(Sort.descBy(filter), null);
    }

    /**
     * Fails the statement with the message for a row this condition holds for, keeping the others (see
     * {@link Filter#errorIf}): {@code read(POSTS).where(SCORE.gt(10).thenFail("score is over 10")).updateAll(...)}.
     */
    public Condition<R> thenFail(String message) {
        return new Condition<>(Filter.errorIf(filter, message));
    }

    /**
     * {@link #thenFail(String)} whose error names a field and carries values (see
     * {@link Filter#errorIf(Filter, String, String, Map)}): {@code SCORE.gt(10).thenFail(SCORE, "is over 10",
     * Map.of("limit", 10, "score", SCORE))} fails with a {@code FieldError} on {@code score} whose {@code details()}
     * hold {@code limit} as given and {@code score} as the failing row stores it. A value that is a field of the
     * resource is read from that row; any other value is carried as given.
     *
     * @param field   the field the error is about, or {@code null} for the whole record
     * @param details the names and values the error carries; may be empty, may hold nulls
     */
    public Condition<R> thenFail(Field<R, ?> field, String message, Map<String, ?> details) {
        Table<R> table = field == null ? null : field.table();
        return new Condition<>(Filter.errorIf(filter, field == null ? null : field.name(), message,
                payload(table, field, details)));
    }

    /**
     * Fails the statement at the first row it reaches, the error naming a field and carrying values as
     * {@link #thenFail(Field, String, Map)} does: {@code read(POSTS).where(ID.eq(id)).where(Condition.fail(POSTS,
     * TITLE, "cannot change", Map.of("was", TITLE))).updateAll(...)}.
     *
     * @param field the field the error is about, or {@code null} for the whole record
     */
    public static <R extends Record> Condition<R> fail(Table<R> table, Field<R, ?> field, String message,
                                                       Map<String, ?> details) {
        QueryException.required(table, "table");
        return new Condition<>(Filter.error(field == null ? null : field.name(), message,
                payload(table, field, details)));
    }

    /** The details with each field among the values read from the failing row: {@link Filter#ref(String)}. */
    private static Map<String, Object> payload(Table<?> table, Field<?, ?> about, Map<String, ?> details) {
        Map<String, Object> payload = new LinkedHashMap<>();
        if (details == null) {
            return payload;
        }
        details.forEach((name, value) -> {
            if (value instanceof Field<?, ?> field) {
                if (table != null && field.table().type() != table.type()) {
                    throw QueryException.of(table.name(), about == null ? null : about.name(), "The error's value '"
                            + name + "' is field '" + field.name() + "' of " + field.table().name() + ", not of "
                            + table.name() + "; carry a field of the resource the error is raised on");
                }
                payload.put(name, Filter.ref(field.name()));
            } else {
                payload.put(name, value);
            }
        });
        return payload;
    }

    /** Every one of the conditions holds. */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public static <R extends Record> Condition<R> all(Condition<R>... conditions) {
        return new Condition<>(new Filter.And(filters(conditions)));
    }

    /** At least one of the conditions holds. */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public static <R extends Record> Condition<R> any(Condition<R>... conditions) {
        return new Condition<>(new Filter.Or(filters(conditions)));
    }

    private static List<Filter> filters(Condition<?>[] conditions) {
        List<Filter> filters = new ArrayList<>(QueryException.required(conditions, "conditions").length);
        for (Condition<?> condition : conditions) {
            filters.add(QueryException.required(condition, "condition").filter);
        }
        return filters;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Condition<?> condition && condition.filter.equals(filter);
    }

    @Override
    public int hashCode() {
        return filter.hashCode();
    }

    @Override
    public String toString() {
        return filter.toString();
    }
}
