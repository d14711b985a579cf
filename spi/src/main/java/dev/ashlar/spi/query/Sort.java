package dev.ashlar.spi.query;

import java.util.Objects;

/**
 * One sort key.
 *
 * @param nulls where nulls go; {@code DEFAULT} leaves PostgreSQL's order (last ascending, first descending)
 */
public record Sort(String field, Direction direction, Nulls nulls) {

    public Sort {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(nulls, "nulls");
    }

    public static Sort asc(String field) {
        return new Sort(field, Direction.ASC, Nulls.DEFAULT);
    }

    public static Sort desc(String field) {
        return new Sort(field, Direction.DESC, Nulls.DEFAULT);
    }

    public Sort nullsFirst() {
        return new Sort(field, direction, Nulls.FIRST);
    }

    public Sort nullsLast() {
        return new Sort(field, direction, Nulls.LAST);
    }

    public enum Direction { ASC, DESC }

    public enum Nulls { DEFAULT, FIRST, LAST }
}
