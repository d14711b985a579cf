package dev.ashlar.kernel.diff;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.diff.Differ.Placed;
import dev.ashlar.kernel.diff.MigrationStep.RenameObject;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.spi.schema.ObjectKey;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Indexes and constraints that only changed their name (an identity's {@code indexName}, a check's {@code name}):
 * renamed in place, as AshPostgres does, rather than dropped and built again, which would scan the whole table (and
 * for a unique index on a live table take a concurrent build in a file of its own). An object counts as renamed when
 * one of the same kind is dropped from a table that keeps its name and key and another is added to it whose
 * definition is equal and whose creating SQL is the same but for the name. Other kinds (statements, triggers) run
 * their own SQL and are dropped and added.
 */
final class ObjectRenames {
    private static final Set<ObjectKind> INDEXES = Set.of(ObjectKind.INDEX, ObjectKind.IDENTITY);
    private static final Set<ObjectKind> CONSTRAINTS = Set.of(ObjectKind.FOREIGN_KEY, ObjectKind.CHECK);

    private ObjectRenames() {
    }

    /**
     * Takes the renamed objects out of {@code drop} and {@code add} and returns them as renames.
     *
     * @param gone the tables whose objects are all re-created: dropped, renamed or given another primary key
     */
    static List<RenameObject> take(Map<ObjectKey, Placed> oldObjects, Map<ObjectKey, Placed> newObjects,
                                   Set<ObjectKey> gone, Set<ObjectKey> drop, Set<ObjectKey> add, boolean citus) {
        return pair(oldObjects, newObjects, drop, add,
                (from, old) -> !newObjects.containsKey(from) && !gone.contains(old.table().objectKey()),
                (old, to) -> !oldObjects.containsKey(to)
                        && sameButName(old.object(), newObjects.get(to).object(), citus));
    }

    /**
     * The indexes and constraints of a renamed or moved table that are the same but for the table's name and their
     * own (PostgreSQL takes them along, under their old names): renamed in place after the table, rather than
     * dropped before it and built again after it. A rebuild would scan the table again, and until it ended the table
     * would go without them: writes could break a unique index or a key that is about to come back.
     */
    static List<RenameObject> takeOnRenamedTables(Map<ObjectKey, Placed> oldObjects, Map<ObjectKey, Placed> newObjects,
                                                  Set<ObjectKey> renamedTables, Set<ObjectKey> drop,
                                                  Set<ObjectKey> add, boolean citus) {
        return pair(oldObjects, newObjects, drop, add,
                (from, old) -> renamedTables.contains(old.table().objectKey()),
                (old, to) -> sameButName(old.object().toBuilder().up(old.object().up().replace(old.table().sql(),
                        newObjects.get(to).table().sql())).build(), newObjects.get(to).object(), citus));
    }

    /**
     * Pairs each dropped object that may have been renamed with the first added one of its table that matches it,
     * takes both out of {@code drop} and {@code add}, and returns the pairs as renames.
     */
    private static List<RenameObject> pair(Map<ObjectKey, Placed> oldObjects, Map<ObjectKey, Placed> newObjects,
                                           Set<ObjectKey> drop, Set<ObjectKey> add,
                                           BiPredicate<ObjectKey, Placed> candidate, BiPredicate<Placed, ObjectKey> same) {
        List<RenameObject> renames = new ArrayList<>();
        for (ObjectKey from : List.copyOf(drop)) {
            Placed old = oldObjects.get(from);
            if (!candidate.test(from, old)) {
                continue;
            }
            add.stream()
                    .filter(to -> to.tableKey().equals(from.tableKey()) && same.test(old, to))
                    .findFirst().ifPresent(to -> {
                        drop.remove(from);
                        add.remove(to);
                        renames.add(new RenameObject(newObjects.get(to).table(), old.object(),
                                newObjects.get(to).object()));
                    });
        }
        return renames;
    }

    /**
     * The foreign keys on tables that stay which reference a renamed or moved table and change in nothing else:
     * PostgreSQL keeps them pointing at the table under its new name, so they are taken as unchanged (their old
     * entry replaced with the new object) rather than dropped before the rename and added again after it, which
     * would leave the key unenforced in between and check every row again.
     *
     * @param renamedTables the old keys of {@code tables}
     * @return the keys of the objects taken as unchanged
     */
    static Set<ObjectKey> followRenamedTables(Map<ObjectKey, Placed> oldObjects, Map<ObjectKey, Placed> newObjects,
                                              List<MigrationStep.RenameTable> tables, Set<ObjectKey> renamedTables) {
        Set<ObjectKey> following = new HashSet<>();
        for (Map.Entry<ObjectKey, Placed> entry : oldObjects.entrySet()) {
            Placed old = entry.getValue();
            Placed now = newObjects.get(entry.getKey());
            if (tables.isEmpty() || now == null || !old.object().kind().equals(ObjectKind.FOREIGN_KEY)
                    || renamedTables.contains(old.table().objectKey()) || old.object().sameAs(now.object())) {
                continue;
            }
            String up = old.object().up();
            Map<String, Object> definition = new LinkedHashMap<>(old.object().definition());
            for (MigrationStep.RenameTable rename : tables) {
                up = up.replace(rename.table().sql(), rename.moved().sql());
                definition.replaceAll((k, v) -> rename.table().name().equals(v) ? rename.moved().name() : v);
            }
            if (old.object().toBuilder().up(up).definition(definition).build().sameAs(now.object())) {
                entry.setValue(new Placed(old.table(), now.object()));
                following.add(entry.getKey());
            }
        }
        return following;
    }

    /**
     * Whether only the name differs, for an object that can be renamed: an index, or a check or key, but not on Citus
     * ({@code renaming constraints belonging to distributed tables is currently unsupported}), where one is dropped
     * and added again.
     */
    private static boolean sameButName(SchemaObject old, SchemaObject now, boolean citus) {
        return (INDEXES.contains(old.kind()) || !citus && CONSTRAINTS.contains(old.kind()))
                && old.kind().equals(now.kind())
                && old.definition().equals(now.definition()) && old.mainScope() == now.mainScope()
                && !old.onlyOnTableDrop() && !now.onlyOnTableDrop()
                && old.up().replace(Identifiers.quote(old.name()), Identifiers.quote(now.name())).equals(now.up());
    }

    /** The statement that gives {@code object} the name {@code newName}. */
    static String sql(Table table, SchemaObject object, String newName) {
        if (INDEXES.contains(object.kind())) {
            // An index lives in its table's schema; a tenant table's is found on the search path, as its table is.
            return "ALTER INDEX " + Identifiers.qualify(table.scope() == Scope.MAIN ? table.schema() : null,
                    object.name()) + " RENAME TO " + Identifiers.quote(newName) + ";";
        }
        return "ALTER TABLE " + table.sql() + " RENAME CONSTRAINT " + Identifiers.quote(object.name()) + " TO "
                + Identifiers.quote(newName) + ";";
    }
}
