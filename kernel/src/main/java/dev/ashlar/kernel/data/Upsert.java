package dev.ashlar.kernel.data;

import java.util.List;
import java.util.Objects;

/**
 * What an upsert does when a record's identity is already taken: update the fields you name (by
 * default every field the record gives, except the identity's own), or leave the stored record alone.
 *
 * <pre>{@code
 * ashlar.upsert("user", rows, Upsert.on("unique_email"));                   // update all given fields
 * ashlar.upsert("user", rows, Upsert.on("unique_email").update("name"));    // update only name
 * ashlar.upsert("user", rows, Upsert.on("unique_email").doNothing());       // keep stored records
 * ashlar.upsert("user", rows, Upsert.onPrimaryKey());                       // records that give their key
 * }</pre>
 *
 * <p>With {@link #doNothing()} ({@code ON CONFLICT DO NOTHING}), PostgreSQL returns only the records it inserted.
 *
 * @param identity  the identity whose unique index decides a conflict
 * @param update    the fields to overwrite on a conflict; empty for every given field except the identity's
 * @param keepStored whether a conflict leaves the stored record as it is
 */
public record Upsert(String identity, List<String> update, boolean keepStored) {

    public Upsert {
        Objects.requireNonNull(identity, "identity");
        update = List.copyOf(update);
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
        return new Upsert(identity, List.of(), false);
    }

    /** On a conflict, overwrite only these fields. */
    public Upsert update(String... fields) {
        return new Upsert(identity, List.of(fields), false);
    }

    /** On a conflict, keep the stored record; it is not returned. */
    public Upsert doNothing() {
        return new Upsert(identity, List.of(), true);
    }
}
