package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an upsert does when a record's identity is already taken: update the fields you name (by
 * default every field the record gives, except the identity's own), change fields from their stored values, or leave
 * the stored record alone.
 *
 * <pre>{@code
 * ashlar.upsert("user", rows, Upsert.on("unique_email"));                   // update all given fields
 * ashlar.upsert("user", rows, Upsert.on("unique_email").update("name"));    // update only name
 * ashlar.upsert("user", rows, Upsert.on("unique_email").doNothing());       // keep stored records
 * ashlar.upsert("user", rows, Upsert.onPrimaryKey());                       // records that give their key
 * ashlar.upsert("doc", rows, Upsert.on("unique_slug")                       // update only older records
 *         .where(Filter.lt("version", Filter.incoming("version"))));
 * ashlar.upsert("counter", rows, Upsert.on("unique_slug")                   // the stored hits + 1
 *         .set("hits", Atomic.add(1)));
 * }</pre>
 *
 * <p>With {@link #doNothing()} ({@code ON CONFLICT DO NOTHING}), PostgreSQL returns only the records it inserted;
 * with {@link #where(Filter)}, only the records it inserted or updated; with {@link #returnSkipped()} also the stored
 * records it kept.
 *
 * @param identity   the identity whose unique index decides a conflict
 * @param update     the fields to overwrite on a conflict; empty for every given field except the identity's and
 *                   those changed atomically
 * @param keepStored whether a conflict leaves the stored record as it is
 * @param condition  what the stored record must meet to be overwritten, or {@code null} for always
 * @param changes    the fields a conflict changes from their stored values, each with its change
 * @param returnsSkipped whether the stored records a conflict kept are returned too, as they are stored
 * @param touchesUpdateTimes whether a conflict that writes the stored record sets its update times ({@code
 *                   timestamps()}' {@code updated_at}, {@code touchOnUpdate()} attributes) to {@code now()}
 */
public record Upsert(String identity, List<String> update, boolean keepStored, Filter condition,
                     Map<String, Atomic> changes, boolean returnsSkipped, boolean touchesUpdateTimes) {

    public Upsert {
        QueryException.required(identity, "identity");
        update = List.copyOf(update);
        changes = Map.copyOf(changes);
        if (keepStored && condition != null) {
            throw QueryException.of(null, identity, "An upsert on '" + identity + "' cannot both keep every stored "
                    + "record (doNothing()) and overwrite those that meet a condition (where(...)): drop one of them");
        }
        if (keepStored && !changes.isEmpty()) {
            throw QueryException.of(null, identity, "An upsert on '" + identity + "' cannot both keep every stored "
                    + "record (doNothing()) and change " + changes.keySet() + " in the records it meets (set(...)): "
                    + "drop one of them");
        }
        for (String field : update) {
            if (changes.containsKey(field)) {
                throw QueryException.of(null, field, "An upsert on '" + identity + "' both overwrites '" + field
                        + "' with the incoming value (update(...)) and changes it from the stored value (set(\""
                        + field + "\", ...)): leave it out of update(...)");
            }
        }
    }

    /** An upsert that touches the update times of the records it overwrites. */
    public Upsert(String identity, List<String> update, boolean keepStored, Filter condition,
                  Map<String, Atomic> changes, boolean returnsSkipped) {
        this(identity, update, keepStored, condition, changes, returnsSkipped, true);
    }

    /** An upsert that returns only the records it wrote. */
    public Upsert(String identity, List<String> update, boolean keepStored, Filter condition,
                  Map<String, Atomic> changes) {
        this(identity, update, keepStored, condition, changes, false);
    }

    /** An upsert that changes no field from its stored value. */
    public Upsert(String identity, List<String> update, boolean keepStored, Filter condition) {
        this(identity, update, keepStored, condition, Map.of());
    }

    /** The name {@link #onPrimaryKey()} gives the primary key, as if it were an identity. */
    public static final String PRIMARY_KEY = dev.ashlar.api.typed.UniqueKey.PRIMARY_KEY;

    /**
     * On a conflict on the primary key (records that give their key), overwrite every field the record gives. A
     * resource may not name an identity of its own {@value #PRIMARY_KEY}; when it does, that identity is used.
     */
    public static Upsert onPrimaryKey() {
        return on(PRIMARY_KEY);
    }

    /** On a conflict on the identity, overwrite every field the record gives. */
    public static Upsert on(String identity) {
        return new Upsert(identity, List.of(), false, null);
    }

    /**
     * On a conflict, overwrite only these fields (and change those given to {@link #set}).
     *
     * @throws QueryException when it names no field: to keep the stored record and return it (Ash's {@code
     *                        upsert_fields: []}) use {@code doNothing().returnSkipped()}
     */
    public Upsert update(String... fields) {
        if (QueryException.required(fields, "fields").length == 0) {
            // An empty list stands for "every given field" in this record, so an empty update(...) would overwrite the
            // very fields a caller meant to keep.
            throw QueryException.of(null, identity, "An upsert on '" + identity + "': update() names no field to "
                    + "overwrite. To keep the stored record and return it (Ash's upsert_fields: []), use "
                    + "doNothing().returnSkipped(); to overwrite every given field, leave update(...) out");
        }
        return new Upsert(identity, List.of(fields), false, condition, changes, returnsSkipped, touchesUpdateTimes);
    }

    /** On a conflict, keep the stored record; it is not returned. */
    public Upsert doNothing() {
        return new Upsert(identity, List.of(), true, condition, changes, returnsSkipped, touchesUpdateTimes);
    }

    /**
     * On a conflict, overwrite the stored record only when it meets the condition (Ash's {@code upsert_condition});
     * otherwise keep it as it is and leave it out of the returned rows. The condition is a filter over the stored
     * record's own fields, its values bound; {@link Filter#incoming(String)} names the value the upsert brings:
     * {@code where(lt("version", incoming("version")))} overwrites only older records,
     * {@code where(isNil("archived_at"))} never overwrites an archived one.
     *
     * @throws QueryException with {@link #doNothing()}, which never overwrites
     */
    public Upsert where(Filter condition) {
        return new Upsert(identity, update, keepStored, QueryException.required(condition, "condition"), changes,
                returnsSkipped, touchesUpdateTimes);
    }

    /**
     * On a conflict, give the field the value the server computes from the stored record (Ash's atomic update on an
     * upsert), in the upsert statement itself, so that concurrent upserts never lose one another's changes; an
     * inserted record keeps the value it gives. {@code set("hits", Atomic.add(1))} counts a stored NULL as 0;
     * {@code set("stock", Atomic.sql("stock + ?", 5))} names the stored record's columns, and a value
     * {@link Filter#incoming(String)} stands for the one the upsert brings: {@code Atomic.sql("stock + ?",
     * incoming("stock"))}. A field changed so is not also overwritten with the incoming value.
     *
     * @throws QueryException with {@link #doNothing()}, for a field already set, or one named in {@link #update}
     */
    public Upsert set(String field, Atomic change) {
        QueryException.required(field, "field");
        QueryException.required(change, "change");
        if (changes.containsKey(field)) {
            throw QueryException.of(null, field, "An upsert on '" + identity + "' sets '" + field + "' twice: "
                    + "give one change for each field");
        }
        Map<String, Atomic> more = new HashMap<>(changes);
        more.put(field, change);
        return new Upsert(identity, update, keepStored, condition, more, returnsSkipped, touchesUpdateTimes);
    }

    /**
     * Also return the stored records that a conflict kept ({@link #doNothing()}, or a {@link #where(Filter)} they did
     * not meet), read as they are stored after the upsert (Ash's {@code return_skipped_upsert?}): a list upsert returns
     * them after the records it wrote, and an upsert of one record returns the stored record instead of refusing it.
     */
    public Upsert returnSkipped() {
        return new Upsert(identity, update, keepStored, condition, changes, true, touchesUpdateTimes);
    }

    /**
     * On a conflict, leave the stored record's update times as they are (Ash's {@code touch_update_defaults?:
     * false}): {@code timestamps()}' {@code updated_at} and every {@code touchOnUpdate()} attribute keep their stored
     * value unless the upsert overwrites them with one it gives. Every other field is written as without it.
     */
    public Upsert keepUpdateTimes() {
        return new Upsert(identity, update, keepStored, condition, changes, returnsSkipped, false);
    }
}
