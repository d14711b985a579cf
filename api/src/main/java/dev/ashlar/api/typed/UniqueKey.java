package dev.ashlar.api.typed;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.ResourcePart;

import java.util.ArrayList;
import java.util.List;

/**
 * An identity (a set of fields unique together) as a symbol: added to the resource's builder, and named
 * by an upsert as the conflict to act on.
 *
 * <pre>{@code
 * static final UniqueKey<User> UNIQUE_EMAIL = USERS.identity("unique_email", EMAIL);
 * ashlar.upsert(USERS, users, UNIQUE_EMAIL.update(NAME));
 * }</pre>
 *
 * @param <R> the record type of the resource
 */
public final class UniqueKey<R extends Record> implements ResourcePart {
    /** The name a typed or string upsert gives the primary key, as if it were an identity ({@link Table#primaryKey()}). */
    public static final String PRIMARY_KEY = "primary_key";

    private final Table<R> table;
    private final String name;
    private final List<String> fields;

    UniqueKey(Table<R> table, String name, List<String> fields) {
        this.table = QueryException.required(table, "table");
        this.name = QueryException.required(name, "name");
        this.fields = List.copyOf(fields);
    }

    /** The identity's name. */
    public String name() {
        return name;
    }

    /** The names of its fields; empty for {@link Table#primaryKey()}, whose fields the resource declares. */
    public List<String> fields() {
        return fields;
    }

    public Table<R> table() {
        return table;
    }

    /** On a conflict on this identity, overwrite every field the record gives (except the identity's own). */
    public Conflict<R> updateAll() {
        return new Conflict<>(name, List.of(), false);
    }

    /**
     * On a conflict on this identity, overwrite only these fields.
     *
     * @throws QueryException when it names no field: {@code doNothing().returnSkipped()} keeps the stored record and
     *                        returns it (Ash's {@code upsert_fields: []}), {@link #updateAll()} overwrites every field
     */
    @SafeVarargs
    public final Conflict<R> update(Field<R, ?>... overwritten) {
        if (QueryException.required(overwritten, "fields").length == 0) {
            throw QueryException.of(table.name(), name, "An upsert on '" + name + "' of " + table.name()
                    + ": update() names no field to overwrite. To keep the stored record and return it (Ash's "
                    + "upsert_fields: []), use doNothing().returnSkipped(); to overwrite every given field, updateAll()");
        }
        List<String> names = new ArrayList<>(overwritten.length);
        for (Field<R, ?> field : overwritten) {
            names.add(QueryException.required(field, "field to overwrite").name());
        }
        return new Conflict<>(name, names, false);
    }

    /** On a conflict on this identity, keep the stored record; it is not returned. */
    public Conflict<R> doNothing() {
        return new Conflict<>(name, List.of(), true);
    }

    @Override
    public void addTo(ResourceBuilder builder) {
        if (name.equals(PRIMARY_KEY) && fields.isEmpty()) {
            throw DefinitionException.of(table.name(), null, "the primary key is declared by its fields "
                    + "(integerPrimaryKey(...), a primaryKey() option), not added as an identity; "
                    + "use primaryKey() only for an upsert's conflict");
        }
        builder.identity(name, fields.toArray(String[]::new));
    }
}
