package dev.ashlar.api.query;

import dev.ashlar.api.error.QueryException;

/**
 * One sort key: an attribute, a path to an attribute of a to-one relationship ({@code "author.name"}),
 * or, with {@link #count}, the number of records related through a relationship.
 *
 * <pre>{@code
 * read("post").sort(Sort.desc("comments").byCount(), Sort.asc("id"))
 * }</pre>
 *
 * @param nulls where nulls go; {@code DEFAULT} leaves PostgreSQL's order (last ascending, first descending)
 * @param count whether the key is the number of records related through {@code field}, a relationship
 */
public record Sort(String field, Direction direction, Nulls nulls, boolean count) {

    public Sort {
        QueryException.required(field, "field");
        QueryException.required(direction, "direction");
        QueryException.required(nulls, "nulls");
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

    public Sort nullsFirst() {
        return new Sort(field, direction, Nulls.FIRST, count);
    }

    public Sort nullsLast() {
        return new Sort(field, direction, Nulls.LAST, count);
    }

    /** This key on the number of records related through {@code field}, which names a relationship. */
    public Sort byCount() {
        return new Sort(field, direction, nulls, true);
    }

    public enum Direction { ASC, DESC }

    public enum Nulls { DEFAULT, FIRST, LAST }
}
