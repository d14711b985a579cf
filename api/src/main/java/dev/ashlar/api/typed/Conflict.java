package dev.ashlar.api.typed;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;

import java.util.List;

/**
 * What a typed upsert does when a record's identity is taken, made from a {@link UniqueKey}:
 * {@code UNIQUE_EMAIL.update(NAME)}, {@code UNIQUE_EMAIL.updateAll()}, {@code UNIQUE_EMAIL.doNothing()}, and
 * only for stored records that meet a condition: {@code UNIQUE_SLUG.updateAll().where(VERSION.lt(VERSION.incoming()))}.
 *
 * @param <R> the record type of the resource
 */
public final class Conflict<R extends Record> {
    private final String identity;
    private final List<String> update;
    private final boolean keepStored;
    private final Filter condition;

    Conflict(String identity, List<String> update, boolean keepStored) {
        this(identity, update, keepStored, null);
    }

    private Conflict(String identity, List<String> update, boolean keepStored, Filter condition) {
        this.identity = QueryException.required(identity, "identity");
        this.update = List.copyOf(update);
        this.keepStored = keepStored;
        this.condition = condition;
    }

    /**
     * Overwrites a stored record only when it meets the condition; otherwise keeps it and leaves it out of the
     * returned records. {@link Field#incoming()} names the value the upsert brings. Not with {@code doNothing()}.
     */
    public Conflict<R> where(Condition<R> condition) {
        return new Conflict<>(identity, update, keepStored, condition.filter());
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

    /** What the stored record must meet to be overwritten, or {@code null} for always. */
    public Filter condition() {
        return condition;
    }
}
