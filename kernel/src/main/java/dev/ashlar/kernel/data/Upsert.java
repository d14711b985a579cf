package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;

import java.util.List;

/**
 * What an upsert does when a record's identity is already taken: update the fields you name (by
 * default every field the record gives, except the identity's own), or leave the stored record alone.
 *
 * <pre>{@code
 * ashlar.upsert("user", rows, Upsert.on("unique_email"));                   // update all given fields
 * ashlar.upsert("user", rows, Upsert.on("unique_email").update("name"));    // update only name
 * ashlar.upsert("user", rows, Upsert.on("unique_email").doNothing());       // keep stored records
 * ashlar.upsert("user", rows, Upsert.onPrimaryKey());                       // records that give their key
 * ashlar.upsert("doc", rows, Upsert.on("unique_slug")                       // update only older records
 *         .where(Filter.lt("version", Filter.incoming("version"))));
 * }</pre>
 *
 * <p>With {@link #doNothing()} ({@code ON CONFLICT DO NOTHING}), PostgreSQL returns only the records it inserted;
 * with {@link #where(Filter)}, only the records it inserted or updated.
 *
 * @param identity   the identity whose unique index decides a conflict
 * @param update     the fields to overwrite on a conflict; empty for every given field except the identity's
 * @param keepStored whether a conflict leaves the stored record as it is
 * @param condition  what the stored record must meet to be overwritten, or {@code null} for always
 */
public record Upsert(String identity, List<String> update, boolean keepStored, Filter condition) {

    public Upsert {
        QueryException.required(identity, "identity");
        update = List.copyOf(update);
        if (keepStored && condition != null) {
            throw QueryException.of(null, identity, "An upsert on '" + identity + "' cannot both keep every stored "
                    + "record (doNothing()) and overwrite those that meet a condition (where(...)): drop one of them");
        }
    }

    /** The name {@link #onPrimaryKey()} gives the primary key, as if it were an identity. */
    public static final String PRIMARY_KEY = "primary_key";

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

    /** On a conflict, overwrite only these fields. */
    public Upsert update(String... fields) {
        return new Upsert(identity, List.of(fields), false, condition);
    }

    /** On a conflict, keep the stored record; it is not returned. */
    public Upsert doNothing() {
        return new Upsert(identity, List.of(), true, condition);
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
        return new Upsert(identity, update, keepStored, QueryException.required(condition, "condition"));
    }
}
