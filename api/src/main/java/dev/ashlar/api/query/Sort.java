package dev.ashlar.api.query;

import dev.ashlar.api.error.QueryException;

/**
 * One sort key: an attribute, a path to an attribute of a to-one relationship ({@code "author.name"}), with
 * {@link #count} the number of records related through a relationship, or an expression ({@link #ascBy(Filter)}).
 *
 * <pre>{@code
 * read("post").sort(Sort.desc("comments").byCount(), Sort.asc("id"))
 * read("post").sort(Sort.descBy(eq("title", "Pinned")), Sort.asc("title"))     // the pinned post first
 * }</pre>
 *
 * @param field      the field sorted by, or {@code null} for a key on an {@code expression}
 * @param nulls      where nulls go; {@code DEFAULT} leaves PostgreSQL's order (last ascending, first descending)
 * @param count      whether the key is the number of records related through {@code field}, a relationship
 * @param expression the condition or {@link Filter#sql} expression sorted by, or {@code null} for a key on a field
 */
public record Sort(String field, Direction direction, Nulls nulls, boolean count, Filter expression) {

    public Sort {
        if ((field == null) == (expression == null)) {
            throw QueryException.of(null, field, "A sort key names a field or gives an expression, not "
                    + (field == null ? "neither" : "both") + ": Sort.asc(\"title\") or Sort.descBy(eq(\"title\", x))");
        }
        QueryException.required(direction, "direction");
        QueryException.required(nulls, "nulls");
        if (count && expression != null) {
            throw QueryException.of(null, null, "A sort by an expression counts nothing: byCount() takes a "
                    + "relationship's name, Sort.desc(\"comments\").byCount()");
        }
    }

    /** A key on a field, or with {@code count} on the number of records related through it. */
    public Sort(String field, Direction direction, Nulls nulls, boolean count) {
        this(QueryException.required(field, "field"), direction, nulls, count, null);
    }

    /** A key on an attribute or a path to one. */
    public Sort(String field, Direction direction, Nulls nulls) {
        this(field, direction, nulls, false);
    }

    public static Sort asc(String field) {
        return new Sort(field, Direction.ASC, Nulls.DEFAULT);
    }

    public static Sort desc(String field) {
        return new Sort(field, Direction.DESC, Nulls.DEFAULT);
    }

    /**
     * A key on an expression over the record (Ash's {@code Ash.Sort.expr_sort}, a calculation given inline). A
     * condition orders the rows it does not hold for (a null comparison among them, as in a filter) before those it
     * holds for: {@code Sort.descBy(eq("title", "Pinned"))} puts the matches first. {@link Filter#sql} orders by any
     * value PostgreSQL orders, its nulls where {@link #nullsFirst()} or {@link #nullsLast()} put them:
     * {@code Sort.ascBy(sql("length(title)"))}. In a relationship's sort or a load's, the condition may compare with
     * the parent record: {@code eq("title", parent("organization.name"))}. A keyset cursor takes such a key:
     * {@code cursor(row)} reads the key's value for the row's record on the server.
     */
    public static Sort ascBy(Filter expression) {
        return new Sort(null, Direction.ASC, Nulls.DEFAULT, false, QueryException.required(expression, "expression"));
    }

    /** A descending key on an expression; see {@link #ascBy(Filter)}. */
    public static Sort descBy(Filter expression) {
        return new Sort(null, Direction.DESC, Nulls.DEFAULT, false, QueryException.required(expression, "expression"));
    }

    public Sort nullsFirst() {
        return new Sort(field, direction, Nulls.FIRST, count, expression);
    }

    public Sort nullsLast() {
        return new Sort(field, direction, Nulls.LAST, count, expression);
    }

    /** This key on the number of records related through {@code field}, which names a relationship. */
    public Sort byCount() {
        return new Sort(field, direction, nulls, true, expression);
    }

    /** Whether the key is an expression rather than a field. */
    public boolean byExpression() {
        return expression != null;
    }

    /** The key as messages name it: its field in quotes, or the expression. */
    public String describe() {
        return field != null ? "'" + field + "'" : "the expression " + expression;
    }

    public enum Direction { ASC, DESC }

    public enum Nulls { DEFAULT, FIRST, LAST }
}
