package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Range;
import dev.ashlar.api.query.Computed;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;

import java.util.Collections;
import java.util.List;

/**
 * A query without its values: the key under which its rendered SQL is cached. Two queries of one
 * shape render to the same SQL and differ only in their binds ({@code in} lists are bound as one
 * array, so their length does not change the shape).
 */
record QueryShape(Kind kind, String schema, Object filter, List<Sort> sorts, boolean limit, boolean ties,
                  boolean offset, List<String> select, Lock lock, List<Object> after, List<Object> before,
                  List<String> changes, Object scopes, List<String> distinct, List<Computed> computed,
                  List<String> aggregates, List<Sort> distinctSorts) {

    /**
     * What the rendered statement does; {@code UPDATE_KEYS} is an update returning only the primary key, and
     * {@code UPDATE_COUNT} one returning nothing (the driver's update count). {@code PAGE} is a {@code SELECT} whose
     * rows are handed to the caller, who may take a keyset cursor of one: it selects the values of the computed sort
     * keys too, for the rows to keep ({@link SeenKeyColumns}).
     */
    enum Kind {
        SELECT, PAGE, COUNT, EXISTS, UPDATE, UPDATE_KEYS, UPDATE_COUNT, DELETE, AGGREGATE, SORT_VALUE;

        /** Whether the statement selects rows of the resource (its columns, computed fields and loaded ones). */
        boolean selectsRows() {
            return this == SELECT || this == PAGE;
        }
    }

    /** @param scopes the shape of the scopes of the relationships the query uses, or null */
    static QueryShape of(Kind kind, Query query, List<String> changes, Object scopes) {
        return new QueryShape(kind, query.schema(), shape(query.filter()), query.sorts(), query.limit() != null,
                query.withTies(), query.offset() != null, query.select(), query.lock(), nulls(query.after()),
                nulls(query.before()), changes, scopes, query.distinct(),
                kind.selectsRows() ? query.computed() : List.of(), kind.selectsRows() ? query.aggregates() : List.of(), query.distinctSorts());
    }

    /**
     * Which values of a keyset cursor are null, matched with {@code IS NULL}, and which are
     * {@link FilterRenderer#PAST_THE_TIES}, compared not at all; the others are bound values.
     */
    private static List<Object> nulls(List<Object> cursor) {
        if (cursor.isEmpty()) {
            return List.of();   // every read without a cursor: no stream for nothing
        }
        return cursor.stream().map(value -> value == FilterRenderer.PAST_THE_TIES ? value : value == null).toList();
    }

    /**
     * @param ref    the field a comparison's value names ({@link Filter.Ref}, {@link Filter.Parent} or
     *               {@link Filter.Incoming}), or null for a bound value; for SQL, which values are incoming ones
     * @param asJson for a dotted field, which may be a path inside JSON, the type its text is read as
     */
    private record Node(String operator, String field, boolean nullValue, Object ref, JsonValue asJson) {
        Node(String operator, String field, boolean nullValue) {
            this(operator, field, nullValue, null, null);
        }
    }

    private record Group(String operator, List<Object> children) {
    }

    /** How a path inside JSON would read a value compared with it: the cast is written into the SQL. */
    private static JsonValue asJson(String field, Object value) {
        // Not only a dotted field: inside exists over embedded records a key is named alone ("total_amt").
        return value != null ? JsonValue.typeOf(value) : null;
    }

    /**
     * Which of the values of SQL written by hand are {@link Filter.Incoming}, written into the SQL rather than bound
     * (in an upsert): {@code null} when none is, else a mark for each value.
     */
    private static List<Object> incoming(Filter.Sql sql) {
        for (Object value : sql.values()) {
            if (value instanceof Filter.Incoming) {
                return sql.values().stream().map(v -> v instanceof Filter.Incoming ? v : (Object) "?").toList();
            }
        }
        return null;
    }

    /** A filter without its values. */
    static Object shape(Filter filter) {
        if (filter == null) {
            return null;
        }
        if (filter instanceof Filter.Compare compare) {
            return new Node(compare.operator().name(), compare.field(), compare.value() == null,
                    compare.value() instanceof Filter.Ref || compare.value() instanceof Filter.Incoming
                            || compare.value() instanceof Filter.Parent ? compare.value() : null,
                    asJson(compare.field(), compare.value()));
        }
        if (filter instanceof Filter.In in) {
            return new Node(SqlWriter.longList(in.values().size()) ? "in long" : "in", in.field(), false, null,
                    asJson(in.field(), in.values().isEmpty() ? null : in.values().get(0)));
        }
        if (filter instanceof Filter.IsNil isNil) {
            return isNil;
        }
        if (filter instanceof Filter.RowIn row) {
            // One array per field whatever the number of rows: the fields alone make the shape.
            return new Node("row in", String.join(",", row.fields()), false);
        }
        if (filter instanceof Filter.Like like) {
            return new Node(like.caseInsensitive() ? "ilike" : "like", like.field(), false);
        }
        if (filter instanceof Filter.Sql sql) {
            return new Node("sql", sql.sql(), false, incoming(sql), null);
        }
        if (filter instanceof Filter.Contains contains) {
            // A range holding a value and one holding a range cast the bound value to different types; a parent's
            // field is written into the SQL; an element at a JSON path is matched by the type it has.
            Object element = contains.element();
            return new Node(element instanceof Range<?> ? "contains range" : "contains", contains.field(),
                    element == null, element instanceof Filter.Parent ? element : null,
                    element instanceof Filter.Parent ? null : asJson(contains.field(), element));
        }
        if (filter instanceof Filter.RangeCompare range) {
            return new Node(range.operator().name(), range.field(), false);
        }
        if (filter instanceof Filter.ArrayCompare array) {
            return new Node("array " + array.operator().name(), array.field(), false);
        }
        if (filter instanceof Filter.TextSearch search) {
            return new Node(search.function(), search.field(), false);
        }
        if (filter instanceof Filter.PathCompare path) {
            return new Node(path.operator().name(), path.field(), false);
        }
        if (filter instanceof Filter.Exists exists) {
            return new Group("exists " + exists.relationship(), Collections.singletonList(
                    shape(exists.filter())));
        }
        if (filter instanceof Filter.Count count) {
            return new Group("count " + count.relationship() + " " + count.operator(),
                    Collections.singletonList(shape(count.filter())));
        }
        if (filter instanceof Filter.And and) {
            return new Group("and", and.filters().stream().map(QueryShape::shape).toList());
        }
        if (filter instanceof Filter.Or or) {
            return new Group("or", or.filters().stream().map(QueryShape::shape).toList());
        }
        if (filter instanceof Filter.Raise raise) {
            // The fields an error's values read are written into the SQL; the rest of it is bound.
            return new Group(raise.detailed() ? "error " + Refusal.readFields(raise) : "error",
                    Collections.singletonList(shape(raise.when())));
        }
        return new Group("not", List.of(shape(((Filter.Not) filter).filter())));
    }
}
