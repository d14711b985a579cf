package dev.ashlar.spi.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
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
 * old {@link #down()} (kept in the snapshot) and the new {@link #up()}. Plugins build one with
 * {@link #builder}:
 *
 * <pre>{@code
 * SchemaObject.builder("comments_post_id_fkey", ObjectKind.FOREIGN_KEY)
 *         .definition(Map.of("columns", List.of("post_id"), "references", "posts"))
 *         .up(Ddl.alterTable(context.tableSql()).addConstraint("comments_post_id_fkey", "FOREIGN KEY ..."))
 *         .down(Ddl.alterTable(context.tableSql()).dropConstraint("comments_post_id_fkey"))
 *         .dependsOn(context.uniqueKeyObject(posts, List.of("id")).stream().toList())
 *         .build();
 * }</pre>
 *
 * @param name          the object's name, unique on its table; at most 63 bytes, no control character
 * @param kind          what it is, for people and snapshots
 * @param definition    the canonical description: plain JSON-friendly data (strings, numbers, booleans, lists, maps)
 *                      whose equality means "the same object"
 * @param up            the SQL that creates it (one or more statements)
 * @param down          the SQL that removes it
 * @param dependsOn     objects that must exist first (see {@link SchemaContext#objectKey}); tables always exist
 *                      before their objects
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
 * @param onExistingTable how the object is added to a table that already exists without blocking its writes for a
 *                      scan or a build (see {@link OnExistingTable}); {@code null} when {@link #up()} is used there too
 * @param mainScope     whether the object goes into the main migrations, once, even when its table lives in each
 *                      tenant's schema (a function or an extension all tenants share); ignored on main tables
 */
public record SchemaObject(String name, ObjectKind kind, Map<String, Object> definition, String up, String down,
                           List<ObjectKey> dependsOn, boolean transactional, ServerRequirement requires,
                           boolean onlyOnTableDrop, List<Alteration> alterations, OnExistingTable onExistingTable,
                           boolean mainScope) {

    public SchemaObject {
        Objects.requireNonNull(kind, "kind");
        // The name is written into the migration file's comments: a newline in it would end the comment.
        String problem = Identifiers.problem(name);
        if (problem != null) {
            throw DefinitionException.of(null, name, "the " + kind + " name '" + name + "' " + problem);
        }
        definition = Collections.unmodifiableMap(new TreeMap<>(definition));
        up = Objects.requireNonNull(up, "up").strip();
        down = Objects.requireNonNull(down, "down").strip();
        dependsOn = List.copyOf(dependsOn);
        alterations = List.copyOf(alterations);
    }

    /** An object that is added the same way to new and existing tables (as snapshots read it back). */
    public SchemaObject(String name, ObjectKind kind, Map<String, Object> definition, String up, String down,
                        List<ObjectKey> dependsOn, boolean transactional, ServerRequirement requires,
                        boolean onlyOnTableDrop, List<Alteration> alterations) {
        this(name, kind, definition, up, down, dependsOn, transactional, requires, onlyOnTableDrop, alterations, null,
                false);
    }

    /**
     * Starts an object: give it its {@link Builder#up} and {@link Builder#down} SQL, then {@link Builder#build}.
     * By default it has an empty definition, depends on nothing, runs in a transaction on any supported
     * server and acts whenever it is added, changed or removed.
     */
    public static Builder builder(String name, ObjectKind kind) {
        return new Builder(name, kind);
    }

    /** A builder holding this object's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder builder = builder(name, kind).definition(definition).up(up).down(down).dependsOn(dependsOn)
                .requires(requires);
        builder.transactional = transactional;
        builder.onlyOnTableDrop = onlyOnTableDrop;
        builder.alterations.addAll(alterations);
        builder.onExistingTable = onExistingTable;
        builder.mainScope = mainScope;
        return builder;
    }

    /**
     * Whether two objects are the same in the database: equal definitions, creating SQL, time of acting and
     * migrations they go into.
     */
    public boolean sameAs(SchemaObject other) {
        return definition.equals(other.definition) && up.equals(other.up) && onlyOnTableDrop == other.onlyOnTableDrop
                && mainScope == other.mainScope;
    }

    /** The same object, changing in place as these alterations say. */
    public SchemaObject withAlterations(List<Alteration> inPlace) {
        return new SchemaObject(name, kind, definition, up, down, dependsOn, transactional, requires, onlyOnTableDrop,
                inPlace, onExistingTable, mainScope);
    }

    /**
     * The object as it is added to a table that already exists: with the {@link OnExistingTable} SQL when it has
     * one, else itself.
     */
    public SchemaObject forExistingTable() {
        if (onExistingTable == null) {
            return this;
        }
        return new SchemaObject(name, kind, definition, onExistingTable.up(), onExistingTable.down(), dependsOn,
                onExistingTable.transactional(), requires, onlyOnTableDrop, alterations, null, mainScope);
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
     * How an object is added to a table that already exists, which may hold many rows and take writes: the plain
     * {@code up} would block writes for a whole scan (a foreign key, a check) or build (an index). The kernel uses
     * it for tables that existed before the migration; tables created by the same migration get {@code up}.
     *
     * <pre>{@code
     * // ALTER TABLE ... ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later transaction:
     * OnExistingTable.validatedLater(table.addConstraintNotValid(name, body), table.dropConstraint(name),
     *         table.validateConstraint(name))
     * // CREATE INDEX CONCURRENTLY, outside a transaction:
     * OnExistingTable.concurrently(Ddl.createIndexConcurrently(name, tableSql, columns), Ddl.dropIndexConcurrently(indexSql))
     * }</pre>
     *
     * @param up            creates the object without the long lock
     * @param down          removes it, where {@code up} ran
     * @param validate      checks the existing rows in a later transaction, under a lock that lets writes go on
     *                      ({@code VALIDATE CONSTRAINT}); empty when nothing is left to check
     * @param transactional whether {@code up} and {@code down} may run in a transaction ({@code false} for
     *                      {@code CREATE INDEX CONCURRENTLY}, which then gets a file of its own)
     */
    public record OnExistingTable(String up, String down, String validate, boolean transactional) {
        public OnExistingTable {
            up = Objects.requireNonNull(up, "up").strip();
            down = Objects.requireNonNull(down, "down").strip();
            validate = Objects.requireNonNull(validate, "validate").strip();
        }

        /**
         * A constraint added {@code NOT VALID} (it holds for new rows at once, after a brief lock) whose existing rows
         * {@code validate} checks in a later transaction, under a lock that lets writes go on.
         */
        public static OnExistingTable validatedLater(String notValidUp, String down, String validate) {
            return new OnExistingTable(notValidUp, down, validate, true);
        }

        /** An index built with {@code CONCURRENTLY}, outside a transaction, while writes go on. */
        public static OnExistingTable concurrently(String up, String down) {
            return new OnExistingTable(up, down, "", false);
        }
    }

    /**
     * The oldest server an object needs.
     *
     * @param majorVersion e.g. 15
     * @param feature      what needs it, for the migration file's comment, e.g. "ON DELETE SET NULL (columns)"
     */
    public record ServerRequirement(int majorVersion, String feature) {
        public ServerRequirement {
            Objects.requireNonNull(feature, "feature");
            if (feature.chars().anyMatch(Character::isISOControl)) {
                throw DefinitionException.of(null, null, "the server requirement '" + feature + "' contains a "
                        + "control character, which would break the migration file comment it is written into");
            }
        }
    }

    /** Collects an object's values; {@link #build()} checks them and returns the object. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final ObjectKind kind;
        private Map<String, ?> definition = Map.of();
        private String up;
        private String down;
        private final List<ObjectKey> dependsOn = new ArrayList<>();
        private boolean transactional = true;
        private ServerRequirement requires;
        private boolean onlyOnTableDrop;
        private final List<Alteration> alterations = new ArrayList<>();
        private OnExistingTable onExistingTable;
        private boolean mainScope;

        private Builder(String name, ObjectKind kind) {
            this.name = name;
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        /** What makes two versions of the object the same: plain JSON-friendly data. */
        public Builder definition(Map<String, ?> definition) {
            this.definition = Objects.requireNonNull(definition, "definition");
            return this;
        }

        /** The SQL that creates the object (one or more statements). */
        public Builder up(String sql) {
            this.up = sql;
            return this;
        }

        /** The SQL that removes the object. */
        public Builder down(String sql) {
            this.down = sql;
            return this;
        }

        /** Objects that must exist before this one; adds to those given before. */
        public Builder dependsOn(ObjectKey... keys) {
            return dependsOn(List.of(keys));
        }

        /** Objects that must exist before this one; adds to those given before. */
        public Builder dependsOn(Collection<ObjectKey> keys) {
            keys.forEach(key -> dependsOn.add(Objects.requireNonNull(key, "key")));
            return this;
        }

        /**
         * The SQL cannot run in a transaction ({@code CREATE INDEX CONCURRENTLY}): it gets a migration file of its own.
         */
        public Builder nonTransactional() {
            this.transactional = false;
            return this;
        }

        /** The oldest server that can run the SQL, or {@code null} for any supported one. */
        public Builder requires(ServerRequirement requirement) {
            this.requires = requirement;
            return this;
        }

        /** The object acts only when its table is dropped (see {@link SchemaObject#onlyOnTableDrop()}). */
        public Builder onlyOnTableDrop() {
            this.onlyOnTableDrop = true;
            return this;
        }

        /** How the object changes in place when only some definition keys differ; adds to those given before. */
        public Builder alteration(Alteration alteration) {
            alterations.add(Objects.requireNonNull(alteration, "alteration"));
            return this;
        }

        /** How the object is added to a table that already exists (see {@link OnExistingTable}); null for {@code up}. */
        public Builder onExistingTable(OnExistingTable safely) {
            this.onExistingTable = safely;
            return this;
        }

        /** The object goes into the main migrations once, even on a tenant table (see {@link SchemaObject#mainScope()}). */
        public Builder mainScope() {
            this.mainScope = true;
            return this;
        }

        /**
         * The object.
         *
         * @throws DefinitionException if the name is not a valid identifier or holds a control character
         * @throws PluginException if {@code up} or {@code down} was not given
         */
        public SchemaObject build() {
            if (up == null || down == null) {
                throw new PluginException("The " + kind + " '" + name + "' has no " + (up == null ? "up" : "down")
                        + " SQL: give it with " + (up == null ? "up" : "down") + "(...) before build()");
            }
            return new SchemaObject(name, kind, new HashMap<>(definition), up, down, dependsOn, transactional,
                    requires, onlyOnTableDrop, alterations, onExistingTable, mainScope);
        }
    }
}
