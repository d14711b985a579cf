package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A value each record computes over its related records (AshPostgres's {@code aggregates}), declared on the
 * resource and used by name: loaded onto rows, filtered and sorted on. Read-only; each is a correlated subquery.
 *
 * <pre>{@code
 * Resource.builder("post")
 *         .count("count_of_comments", "comments")
 *         .max("best_rating", "comments", "rating", Filter.isNil("hidden_at"))
 *         .first("latest_comment_title", "comments", "title", Sort.desc("inserted_at"))
 * }</pre>
 *
 * @param name         the aggregate's name, which no attribute or relationship of the resource has
 * @param kind         what it computes
 * @param relationship the relationship whose records it is computed over, or a dotted path of relationships
 *                     ({@code "comments.author"}): then it goes over the records at the path's end, once for each
 *                     way they are reached, as a join would (Ash's aggregate over a relationship path)
 * @param field        the path's destination's attribute it takes; {@code null} for exists, and for a count of the
 *                     records (a count given one counts those that have a value)
 * @param filter       only the related records (at the path's end) that match count, or {@code null}; it may use
 *                     paths
 * @param sorts        the order of first and list; empty for the others
 * @param defaultValue the value when there is none (sum, avg, min, max and first; Ash's {@code default}), or
 *                     {@code null} for null
 * @param uniq         list only: each value once, where it first comes in the order (Ash's {@code uniq?})
 * @param includeNil   first and list only: related records without a value count too (Ash's {@code include_nil?})
 * @param custom       a custom aggregate's SQL and the type of its values; {@code null} for the other kinds
 */
public record Aggregate(String name, Kind kind, String relationship, String field, Filter filter, List<Sort> sorts,
                        Object defaultValue, boolean uniq, boolean includeNil, Custom custom) {

    public Aggregate {
        DefinitionException.required(kind, "kind");
        sorts = sorts == null ? List.of() : DefinitionException.requiredEach(sorts, "sort");
    }

    /** An aggregate of a kind other than custom. */
    public Aggregate(String name, Kind kind, String relationship, String field, Filter filter, List<Sort> sorts,
                     Object defaultValue, boolean uniq, boolean includeNil) {
        this(name, kind, relationship, field, filter, sorts, defaultValue, uniq, includeNil, null);
    }

    /** An aggregate without a default, keeping nulls out of first and list, each value as often as it comes. */
    public Aggregate(String name, Kind kind, String relationship, String field, Filter filter, List<Sort> sorts) {
        this(name, kind, relationship, field, filter, sorts, null, false, false);
    }

    /**
     * An aggregate that takes no attribute, a count or an exists:
     * {@code Aggregate.of("count_of_comments", Kind.COUNT, "comments").withFilter(Filter.notNil("title"))}; given to
     * a read ({@code read.aggregate(...)}, Ash's {@code Query.aggregate}) or to a resource's builder.
     */
    public static Aggregate of(String name, Kind kind, String relationship) {
        return new Aggregate(name, kind, relationship, null, null, List.of());
    }

    /**
     * An aggregate of an attribute of the related records, in the order given for first and list:
     * {@code Aggregate.of("latest_title", Kind.FIRST, "comments", "title", Sort.desc("id"))}.
     */
    public static Aggregate of(String name, Kind kind, String relationship, String field, Sort... order) {
        return new Aggregate(name, kind, relationship, field, null,
                order == null ? List.of() : Arrays.asList(order));
    }

    /**
     * This aggregate with a value for records that have no related value, instead of null (sum, avg, min, max and
     * first): {@code .aggregate("total_rating", a -> a.withDefault(0))}. A value of the aggregate's type.
     */
    public Aggregate withDefault(Object value) {
        return new Aggregate(name, kind, relationship, field, filter, sorts, value, uniq, includeNil, custom);
    }

    /** This list aggregate with each value once, in the order where it first comes. */
    public Aggregate withUniq() {
        return new Aggregate(name, kind, relationship, field, filter, sorts, defaultValue, true, includeNil, custom);
    }

    /** This first or list aggregate over every related record, those without a value too (a null in the list). */
    public Aggregate withIncludeNil() {
        return new Aggregate(name, kind, relationship, field, filter, sorts, defaultValue, uniq, true, custom);
    }

    /**
     * This aggregate over the related records (at the path's end) that match the filter only, which may use paths:
     * {@code .aggregate("titles", a -> a.withFilter(Filter.gte("rating", 3)))}.
     */
    public Aggregate withFilter(Filter only) {
        return new Aggregate(name, kind, relationship, field, only, sorts, defaultValue, uniq, includeNil, custom);
    }

    /**
     * An aggregate whose SQL the resource's author writes (AshPostgres's {@code kind: :custom}): an aggregate function
     * call over the related records, each attribute of the path's destination named as {@code {attribute}}, each
     * {@code ?} bound to the next value.
     *
     * <pre>{@code
     * Aggregate.custom("titles", "comments", Type.TEXT, "string_agg({title}, ', ' ORDER BY {title})")
     * Aggregate.custom("median_rating", "comments", Type.DOUBLE,
     *         "percentile_cont(?) WITHIN GROUP (ORDER BY {rating})", 0.5)
     * }</pre>
     *
     * @param type   the column type of its values ({@code Type.arrayOf(Type.TEXT)} for an {@code array_agg} of text)
     * @param sql    the aggregate expression; code, never built from input
     * @param values the values of its {@code ?} marks, in order; none null
     */
    public static Aggregate custom(String name, String relationship, Type type, String sql, Object... values) {
        return new Aggregate(name, Kind.CUSTOM, relationship, null, null, List.of(), null, false, false,
                new Custom(type, sql, values == null ? null : Arrays.asList(values)));
    }

    /**
     * A custom aggregate's SQL: see {@link #custom}.
     *
     * @param type   the column type of its values
     * @param sql    an aggregate function call over the related records, their attributes named {@code {attribute}}
     * @param values the values of its {@code ?} marks, in order
     */
    public record Custom(Type type, String sql, List<Object> values) {
        public Custom {
            // Kept as given (a null included) so that the domain reports a wrong value with the other problems.
            values = values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
        }
    }

    /** What an aggregate computes over the related records. */
    public enum Kind {
        /** How many there are, or how many have a value of the attribute given: a {@code Long}, 0 for none. */
        COUNT,
        /** How many different values of an attribute they hold, nulls left out (Ash's {@code uniq?}): a {@code Long}. */
        COUNT_DISTINCT,
        /** Whether there is one: a {@code Boolean}, never null. */
        EXISTS,
        /** The sum of a number attribute, widened as PostgreSQL does; null for none. */
        SUM,
        /** The average of a number attribute; null for none. */
        AVG,
        /** The least value of an attribute; null for none. */
        MIN,
        /** The greatest value of an attribute; null for none. */
        MAX,
        /** The attribute of the first related record in the sort order that has a value; null for none. */
        FIRST,
        /** The attribute of every related record that has a value, in the sort order, as a list; empty for none. */
        LIST,
        /** SQL the author writes, of the type declared with it: see {@link Aggregate#custom}. */
        CUSTOM;

        /** Whether it needs an attribute of the destination (a count takes one optionally: see {@link Aggregate#takesField}). */
        public boolean takesField() {
            return this != COUNT && this != EXISTS && this != CUSTOM;
        }

        /** Whether it takes a sort (first and list). */
        public boolean ordered() {
            return this == FIRST || this == LIST;
        }

        /**
         * The type of this kind's values over an attribute of {@code fieldType}, as PostgreSQL computes them (see
         * {@link Aggregate#type}).
         */
        public Type type(Type fieldType) {
            boolean floating = fieldType == Type.FLOAT || fieldType == Type.DOUBLE;
            return switch (this) {
                case COUNT, COUNT_DISTINCT -> Type.BIGINT;
                case EXISTS -> Type.BOOLEAN;
                case SUM -> fieldType == Type.SMALLINT || fieldType == Type.INTEGER ? Type.BIGINT
                        : floating ? fieldType : Type.DECIMAL;
                case AVG -> floating ? Type.DOUBLE : Type.DECIMAL;
                case MIN, MAX, FIRST -> fieldType;
                case LIST -> Type.arrayOf(fieldType);
                // Declared with the aggregate's SQL, which only the aggregate knows: see Aggregate#type.
                case CUSTOM -> null;
            };
        }
    }

    /**
     * Whether it takes an attribute of the destination: every kind that needs one, and a count given one, which counts
     * the related records that have a value (Ash's {@code count ..., field: :title}, SQL's {@code count(title)}).
     */
    public boolean takesField() {
        return kind.takesField() || kind == Kind.COUNT && field != null;
    }

    /**
     * The type of the aggregate's values, as PostgreSQL computes them: count a bigint, exists a boolean, sum of a
     * smallint or an integer a bigint and of a bigint or numeric a numeric, avg a numeric (a double for real and double), list an
     * array of the attribute's type, the others the attribute's type; a custom aggregate the type declared with it.
     *
     * @param fieldType the type of the attribute it takes; ignored for count, exists and custom
     */
    public Type type(Type fieldType) {
        return custom != null ? custom.type() : kind.type(fieldType);
    }
}
