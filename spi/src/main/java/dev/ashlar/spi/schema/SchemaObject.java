package dev.ashlar.spi.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.sql.Identifiers;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A named database object on a resource's table that a plugin (or the kernel) contributes: a
 * foreign key, a check, an index, a custom statement. The differ compares objects by
 * {@link #definition()} and {@link #up()} without knowing their kind; when they differ it runs the
 * old {@link #down()} (kept in the snapshot) and the new {@link #up()}.
 *
 * <pre>{@code
 * new SchemaObject("comments_post_id_fkey", "foreign_key",
 *         Map.of("columns", List.of("post_id"), "references", "posts"),
 *         "ALTER TABLE \"comments\" ADD CONSTRAINT \"comments_post_id_fkey\" FOREIGN KEY ...",
 *         "ALTER TABLE \"comments\" DROP CONSTRAINT \"comments_post_id_fkey\"",
 *         List.of(context.objectKey("post", "posts_pkey")), true, null);
 * }</pre>
 *
 * @param name          the object's name, unique on its table; at most 63 bytes
 * @param kind          a short word for people and snapshots: {@code foreign_key}, {@code check}, {@code index}, ...
 * @param definition    the canonical description: plain JSON-friendly data (strings, numbers, booleans, lists, maps)
 *                      whose equality means "the same object"
 * @param up            the SQL that creates it (one or more statements)
 * @param down          the SQL that removes it
 * @param dependsOn     keys of objects that must exist first (see {@code SchemaContext.objectKey}); tables always
 *                      exist before their objects
 * @param transactional whether {@code up} and {@code down} may run inside a transaction ({@code false} for
 *                      {@code CREATE INDEX CONCURRENTLY}); such objects get a migration file of their own
 * @param requires      the oldest PostgreSQL that can run it, or {@code null} for any supported version
 * @param onlyOnTableDrop whether the object acts only when its table is dropped: adding, changing or removing it
 *                      while the table stays runs no SQL (the migration and the snapshot only record it); dropping
 *                      the table runs its {@link #down()} right after the table is gone, and rolling that back runs
 *                      its {@link #up()} before the table is created again.
 *                      For SQL that must run when a resource goes away, e.g. dropping an index the table left behind.
 * @param alterations   how the object changes in place when only some definition keys differ (see {@link Alteration});
 *                      empty when every change drops and adds it
 */
public record SchemaObject(String name, String kind, Map<String, Object> definition, String up, String down,
                           List<String> dependsOn, boolean transactional, ServerRequirement requires,
                           boolean onlyOnTableDrop, List<Alteration> alterations) {

    public SchemaObject {
        String problem = Identifiers.problem(name);
        if (problem != null) {
            throw DefinitionException.of(null, name, "the " + kind + " name '" + name + "' " + problem);
        }
        Objects.requireNonNull(kind, "kind");
        definition = Collections.unmodifiableMap(new TreeMap<>(definition));
        up = Objects.requireNonNull(up, "up").strip();
        down = Objects.requireNonNull(down, "down").strip();
        dependsOn = List.copyOf(dependsOn);
        alterations = List.copyOf(alterations);
    }

    /** An object without alterations: every change drops and adds it. */
    public SchemaObject(String name, String kind, Map<String, Object> definition, String up, String down,
                        List<String> dependsOn, boolean transactional, ServerRequirement requires,
                        boolean onlyOnTableDrop) {
        this(name, kind, definition, up, down, dependsOn, transactional, requires, onlyOnTableDrop, List.of());
    }

    /** An object that acts whenever it is added, changed or removed: the usual case. */
    public SchemaObject(String name, String kind, Map<String, Object> definition, String up, String down,
                        List<String> dependsOn, boolean transactional, ServerRequirement requires) {
        this(name, kind, definition, up, down, dependsOn, transactional, requires, false);
    }

    /** Whether two objects are the same in the database: equal definitions, creating SQL and time of acting. */
    public boolean sameAs(SchemaObject other) {
        return definition.equals(other.definition) && up.equals(other.up) && onlyOnTableDrop == other.onlyOnTableDrop;
    }

    /** The same object, changing in place as these alterations say. */
    public SchemaObject withAlterations(List<Alteration> inPlace) {
        return new SchemaObject(name, kind, definition, up, down, dependsOn, transactional, requires, onlyOnTableDrop,
                inPlace);
    }

    /**
     * The alteration that turns a previous definition of this object into this one in place, or {@code null} when
     * it must be dropped and added: found when the two definitions differ only in keys that one alteration covers.
     */
    public Alteration alterationFrom(SchemaObject previous) {
        if (onlyOnTableDrop || previous.onlyOnTableDrop) {
            return null;
        }
        Set<String> changed = new TreeSet<>(definition.keySet());
        changed.addAll(previous.definition.keySet());
        changed.removeIf(key -> Objects.equals(definition.get(key), previous.definition.get(key)));
        // Equal definitions with other SQL (a renamed table in it) are not a change the alterations describe.
        return changed.isEmpty() ? null
                : alterations.stream().filter(a -> a.keys().containsAll(changed)).findFirst().orElse(null);
    }

    /**
     * How an object changes in place instead of being dropped and added, when its previous definition differs
     * from its new one only in {@code keys}: {@code sql} brings any such previous object to this one. Undoing the
     * change runs the previous object's alteration for the same keys, so both must declare it. A foreign key
     * whose deferral changes, for one:
     *
     * <pre>{@code
     * new Alteration(List.of("deferrable", "initially_deferred"),
     *         "ALTER TABLE \"comments\" ALTER CONSTRAINT \"comments_post_id_fkey\" DEFERRABLE INITIALLY DEFERRED;")
     * }</pre>
     *
     * @param keys the definition keys that may differ
     * @param sql  the statements that make the object this one
     */
    public record Alteration(List<String> keys, String sql) {
        public Alteration {
            keys = List.copyOf(keys);
            sql = Objects.requireNonNull(sql, "sql").strip();
        }
    }

    /**
     * The oldest server an object needs.
     *
     * @param majorVersion e.g. 15
     * @param feature      what needs it, for the message, e.g. "ON DELETE SET NULL (columns)"
     */
    public record ServerRequirement(int majorVersion, String feature) {
    }
}
