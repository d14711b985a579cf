package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.typed.Condition;
import dev.ashlar.api.typed.Field;

import java.util.List;

/**
 * A grouped read of the typed API: the values over each group are computed from the table's own fields, so a sum of a
 * field that is not a number, or a field of another resource, does not compile. Each value is named as asked, and the
 * groups come back as rows holding the grouped fields and those values; it runs the string API's {@link Grouped}.
 *
 * <pre>{@code
 * List<Row> perAuthor = ashlar.read(POSTS).groupBy(AUTHOR_ID).count("posts").sum(RATING, "total")
 *         .sort(Sort.desc("total")).limit(10).list();          // row.get("author_id"), row.get("total")
 * }</pre>
 *
 * @param <R> the record type of the resource read
 */
public final class TypedGrouped<R extends Record> {
    private final Grouped grouped;

    TypedGrouped(Grouped grouped) {
        this.grouped = grouped;
    }

    /** The same grouped read in the string API. */
    public Grouped untyped() {
        return grouped;
    }

    /** How many rows the group has, named {@code as}. */
    public TypedGrouped<R> count(String as) {
        return new TypedGrouped<>(grouped.count(as));
    }

    /** How many different non-null values of the field the group's rows hold. */
    public TypedGrouped<R> countDistinct(Field<R, ?> field, String as) {
        return new TypedGrouped<>(grouped.countDistinct(name(field), as));
    }

    /** The sum of a number field over the group's rows; null when none has a value. */
    public TypedGrouped<R> sum(Field<R, ? extends Number> field, String as) {
        return new TypedGrouped<>(grouped.sum(name(field), as));
    }

    /** The average of a number field over the group's rows; null when none has a value. */
    public TypedGrouped<R> avg(Field<R, ? extends Number> field, String as) {
        return new TypedGrouped<>(grouped.avg(name(field), as));
    }

    /** The least value of the field in the group. */
    public TypedGrouped<R> min(Field<R, ?> field, String as) {
        return new TypedGrouped<>(grouped.min(name(field), as));
    }

    /** The greatest value of the field in the group. */
    public TypedGrouped<R> max(Field<R, ?> field, String as) {
        return new TypedGrouped<>(grouped.max(name(field), as));
    }

    /** A value over each group of a field by name (reads written before the typed forms): see {@link Grouped}. */
    public TypedGrouped<R> countDistinct(String field, String as) {
        return new TypedGrouped<>(grouped.countDistinct(field, as));
    }

    /** By name; see {@link Grouped#sum}. */
    public TypedGrouped<R> sum(String field, String as) {
        return new TypedGrouped<>(grouped.sum(field, as));
    }

    /** By name; see {@link Grouped#avg}. */
    public TypedGrouped<R> avg(String field, String as) {
        return new TypedGrouped<>(grouped.avg(field, as));
    }

    /** By name; see {@link Grouped#min}. */
    public TypedGrouped<R> min(String field, String as) {
        return new TypedGrouped<>(grouped.min(field, as));
    }

    /** By name; see {@link Grouped#max}. */
    public TypedGrouped<R> max(String field, String as) {
        return new TypedGrouped<>(grouped.max(field, as));
    }

    /** Orders the groups by grouped fields or values, by the names they come back under. */
    public TypedGrouped<R> sort(Sort... sorts) {
        return new TypedGrouped<>(grouped.sort(sorts));
    }

    /**
     * Keeps the groups whose grouped fields and values match, named as they come back ({@code HAVING}); see
     * {@link Grouped#having}.
     */
    public TypedGrouped<R> having(Filter filter) {
        return new TypedGrouped<>(grouped.having(filter));
    }

    /** Keeps the groups whose grouped fields meet the condition: {@code having(AUTHOR_ID.notNil())}. */
    public TypedGrouped<R> having(Condition<R> condition) {
        return new TypedGrouped<>(grouped.having(QueryException.required(condition, "condition").filter()));
    }

    /**
     * Computes the value asked last over the group's rows that meet the condition too ({@code FILTER (WHERE ...)}):
     * {@code count("published").filterWhere(STATUS.eq(Status.PUBLISHED))}; see {@link Grouped#filterWhere}.
     */
    public TypedGrouped<R> filterWhere(Condition<R> condition) {
        return new TypedGrouped<>(grouped.filterWhere(QueryException.required(condition, "condition").filter()));
    }

    /** Adds the subtotals of {@code ROLLUP} and a grand total; see {@link Grouped#rollup}. */
    public TypedGrouped<R> rollup() {
        return new TypedGrouped<>(grouped.rollup());
    }

    /**
     * Groups by each set of grouped fields named ({@code GROUPING SETS}); see {@link Grouped#groupingSets}:
     * {@code groupingSets(List.of(List.of(REGION, PRODUCT), List.of(REGION), List.of()))}.
     */
    public TypedGrouped<R> groupingSets(List<List<Field<R, ?>>> sets) {
        QueryException.required(sets, "the grouping sets");
        return new TypedGrouped<>(grouped.groupingSets(sets.stream().map(set -> QueryException
                .required(set, "a grouping set").stream().map(TypedGrouped::name).toList()).toList()));
    }

    /** Adds the subtotals of {@code CUBE} and a grand total; see {@link Grouped#cube}. */
    public TypedGrouped<R> cube() {
        return new TypedGrouped<>(grouped.cube());
    }

    /** Names the value {@code GROUPING(...)} of the grouped fields; see {@link Grouped#grouping}. */
    public TypedGrouped<R> grouping(String as) {
        return new TypedGrouped<>(grouped.grouping(as));
    }

    /** Skips this many groups, the first in the sort order; see {@link Grouped#offset}. */
    public TypedGrouped<R> offset(int skipped) {
        return new TypedGrouped<>(grouped.offset(skipped));
    }

    /** At most this many groups, the first in the sort order. */
    public TypedGrouped<R> limit(int most) {
        return new TypedGrouped<>(grouped.limit(most));
    }

    /** One row per group. */
    public List<Row> list() {
        return grouped.list();
    }

    private static String name(Field<?, ?> field) {
        return QueryException.required(field, "field").name();
    }
}
