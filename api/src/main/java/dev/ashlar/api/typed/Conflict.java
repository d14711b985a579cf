package dev.ashlar.api.typed;

import java.util.List;
import java.util.Objects;

/**
 * What a typed upsert does when a record's identity is taken, made from a {@link UniqueKey}:
 * {@code UNIQUE_EMAIL.update(NAME)}, {@code UNIQUE_EMAIL.updateAll()}, {@code UNIQUE_EMAIL.doNothing()}.
 *
 * @param <R> the record type of the resource
 */
public final class Conflict<R extends Record> {
    private final String identity;
    private final List<String> update;
    private final boolean keepStored;

    Conflict(String identity, List<String> update, boolean keepStored) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.update = List.copyOf(update);
        this.keepStored = keepStored;
    }

    /** The identity whose unique index decides a conflict. */
    public String identity() {
        return identity;
    }

    /** The fields to overwrite; empty for every given field except the identity's. */
    public List<String> update() {
        return update;
    }

    /** Whether a conflict leaves the stored record as it is. */
    public boolean keepStored() {
        return keepStored;
    }
}
