package dev.ashlar.spi.plugin;

import dev.ashlar.api.data.Row;

import java.util.Optional;

/**
 * A record that a create, update or destroy just wrote, seen by {@link WriteListener#afterWrite}
 * inside the same transaction.
 *
 * @param action {@link Action#CREATE}, {@link Action#UPSERT}, {@link Action#UPDATE} or {@link Action#DESTROY}
 * @param before the record before the change ({@code null} for a create)
 * @param after  the record after the change ({@code null} for a destroy)
 */
public record WriteEvent(Action action, Row before, Row after) {

    /** The record as it now is, or as it was for a destroy. */
    public Row record() {
        return after != null ? after : before;
    }

    public Optional<Row> previous() {
        return Optional.ofNullable(before);
    }
}
