package dev.ashlar.api.typed;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a typed upsert does when a record's identity is taken, made from a {@link UniqueKey}:
 * {@code UNIQUE_EMAIL.update(NAME)}, {@code UNIQUE_EMAIL.updateAll()}, {@code UNIQUE_EMAIL.doNothing()}, and
 * only for stored records that meet a condition: {@code UNIQUE_SLUG.updateAll().where(VERSION.lt(VERSION.incoming()))};
 * fields changed from their stored values: {@code UNIQUE_SLUG.updateAll().set(HITS.add(1))}.
 *
 * @param <R> the record type of the resource
 */
public final class Conflict<R extends Record> {
    private final String identity;
    private final List<String> update;
    private final boolean keepStored;
    private final Filter condition;
    private final Map<String, Atomic> changes;
    private final boolean touchesUpdateTimes;
    private final boolean returnsSkipped;

    Conflict(String identity, List<String> update, boolean keepStored) {
        this(identity, update, keepStored, null, Map.of(), true, false);
    }

    private Conflict(String identity, List<String> update, boolean keepStored, Filter condition,
                     Map<String, Atomic> changes, boolean touchesUpdateTimes, boolean returnsSkipped) {
        this.identity = QueryException.required(identity, "identity");
        this.update = List.copyOf(update);
        this.keepStored = keepStored;
        this.condition = condition;
        this.changes = Map.copyOf(changes);
        this.touchesUpdateTimes = touchesUpdateTimes;
        this.returnsSkipped = returnsSkipped;
    }

    /**
     * Overwrites a stored record only when it meets the condition; otherwise keeps it and leaves it out of the
     * returned records. {@link Field#incoming()} names the value the upsert brings. Not with {@code doNothing()}.
     */
    public Conflict<R> where(Condition<R> condition) {
        return new Conflict<>(identity, update, keepStored, condition.filter(), changes, touchesUpdateTimes,
                returnsSkipped);
    }

    /**
     * On a conflict, changes a field from its stored value, computed by the server so concurrent upserts lose none:
     * {@code set(HITS.add(1))}, {@code set(STOCK.setSql("stock + ?", STOCK.incoming()))}. An inserted record keeps
     * the value it gives. Not with {@code doNothing()}, nor for a field named in {@code update(...)}.
     *
     * @throws QueryException for a change that sets a value ({@code HITS.set(5)}) rather than computing one
     */
    public Conflict<R> set(Change<R> change) {
        if (!(QueryException.required(change, "change").value() instanceof Atomic atomic)) {
            throw QueryException.of(null, change.field(), "An upsert on '" + identity + "' changes '" + change.field()
                    + "' from its stored value: give add(...), subtract(...) or setSql(...); to overwrite it with "
                    + "the incoming value, name it in update(...)");
        }
        Map<String, Atomic> more = new LinkedHashMap<>(changes);
        if (more.put(change.field(), atomic) != null) {
            throw QueryException.of(null, change.field(), "An upsert on '" + identity + "' sets '" + change.field()
                    + "' twice: give one change for each field");
        }
        return new Conflict<>(identity, update, keepStored, condition, more, touchesUpdateTimes, returnsSkipped);
    }

    /**
     * Overwrites a stored record but leaves its update times ({@code updated_at}, {@code touchOnUpdate()} attributes)
     * as stored, unless the record gives them (Ash's {@code touch_update_defaults?: false}).
     */
    public Conflict<R> keepUpdateTimes() {
        return new Conflict<>(identity, update, keepStored, condition, changes, false, returnsSkipped);
    }

    /**
     * Also returns the stored records a conflict kept ({@code doNothing()}, or a {@link #where} they did not meet), as
     * stored (Ash's {@code return_skipped_upsert?}): a list upsert returns them after the records it wrote, an upsert
     * of one record returns the stored record instead of refusing it.
     */
    public Conflict<R> returnSkipped() {
        return new Conflict<>(identity, update, keepStored, condition, changes, touchesUpdateTimes, true);
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

    /** Whether a conflict that writes the stored record sets its update times to the time of the upsert. */
    public boolean touchesUpdateTimes() {
        return touchesUpdateTimes;
    }

    /** Whether the stored records a conflict kept are returned too. */
    public boolean returnsSkipped() {
        return returnsSkipped;
    }

    /** The fields a conflict changes from their stored values, each with its change. */
    public Map<String, Atomic> changes() {
        return changes;
    }
}
