package dev.ashlar.kernel.diff;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.sql.Names;
import dev.ashlar.kernel.diff.MigrationStep.AddColumn;
import dev.ashlar.kernel.diff.MigrationStep.AddObject;
import dev.ashlar.kernel.diff.MigrationStep.AlterColumn;
import dev.ashlar.kernel.diff.MigrationStep.AlterObject;
import dev.ashlar.kernel.diff.MigrationStep.AddPrimaryKey;
import dev.ashlar.kernel.diff.MigrationStep.CreateSchema;
import dev.ashlar.kernel.diff.MigrationStep.CreateTable;
import dev.ashlar.kernel.diff.MigrationStep.DropColumn;
import dev.ashlar.kernel.diff.MigrationStep.DropObject;
import dev.ashlar.kernel.diff.MigrationStep.DropPrimaryKey;
import dev.ashlar.kernel.diff.MigrationStep.DropSchema;
import dev.ashlar.kernel.diff.MigrationStep.DropTable;
import dev.ashlar.kernel.diff.MigrationStep.RenameColumn;
import dev.ashlar.kernel.diff.MigrationStep.RenameTable;
import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.kernel.snapshot.SnapshotJson;
import dev.ashlar.spi.schema.ObjectKey;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.spi.schema.Target;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Compares the tables of the latest snapshots with the desired ones and emits the ordered steps
 * that turn one into the other. The order: dependent objects dropped first, then renames, new
 * tables, column changes, dropped columns and tables, and finally new objects in dependency order
 * (so a foreign key comes after both tables and after the unique key it references; a cycle of
 * belongs-to relationships is broken because every key is added after every table exists).
 */
public final class Differ {
    private final Renames renames;
    private final boolean citus;

    public Differ(Renames renames) {
        this(renames, Target.POSTGRESQL);
    }

    /** A differ for the migrations of a target: on {@link Target#CITUS} a main table's new schema stays local. */
    public Differ(Renames renames, Target target) {
        this.renames = renames;
        this.citus = target == Target.CITUS;
    }

    /** The desired table with its objects' definitions read back as JSON would give them. */
    public static Table canonical(Table table) {
        List<SchemaObject> objects = table.objects().stream()
                .map(o -> o.toBuilder().definition(SnapshotJson.canonical(o.definition())).build())
                .toList();
        return new Table(table.scope(), table.schema(), table.name(), table.resource(), table.columns(),
                table.primaryKey(), objects, table.options());
    }

    /**
     * @param previous the tables the latest snapshots describe, by {@link Table#key()}
     * @param desired  the tables the resources call for, in a stable order
     */
    public List<MigrationStep> diff(Map<String, Table> previous, List<Table> desired) {
        Plan plan = new Plan();
        Map<String, Table> removed = new LinkedHashMap<>(previous);
        List<Table> added = new ArrayList<>();
        for (Table table : desired.stream().map(Differ::canonical).toList()) {
            Table old = removed.remove(table.key());
            if (old == null) {
                added.add(table);
            } else {
                plan.pairs.add(new Pair(old, table));
            }
        }
        matchRenamedTables(plan, removed, added);
        plan.created.addAll(added);
        plan.dropped.addAll(removed.values());
        // Before the columns: a column whose enum type moves with it to another schema keeps its type.
        plan.enumTypes = EnumTypeSteps.diff(previous.values(), desired);
        plan.pairs.forEach(pair -> diffColumns(plan, pair));
        diffObjects(plan);
        diffSchemas(plan, previous.values(), desired);
        plan.compositeTypes = CompositeTypeSteps.diff(previous.values(), desired);
        return plan.steps();
    }

    /** Schemas of main tables other than {@code public}: created for the first table, dropped after the last. */
    private void diffSchemas(Plan plan, Collection<Table> previous, List<Table> desired) {
        Map<String, Table> before = schemas(previous);
        Map<String, Table> after = schemas(desired);
        after.forEach((schema, table) -> {
            if (!before.containsKey(schema)) {
                plan.createdSchemas.add(new CreateSchema(table, citus));
            }
        });
        before.forEach((schema, table) -> {
            if (!after.containsKey(schema)) {
                plan.droppedSchemas.add(new DropSchema(table, citus));
            }
        });
    }

    private static Map<String, Table> schemas(Collection<Table> tables) {
        Map<String, Table> schemas = new LinkedHashMap<>();
        tables.stream().filter(t -> t.scope() == Scope.MAIN && !"public".equals(t.schema()))
                .forEach(t -> schemas.putIfAbsent(t.schema(), t));
        return schemas;
    }

    private void matchRenamedTables(Plan plan, Map<String, Table> removed, List<Table> added) {
        List<Table> candidates = removed.values().stream().toList();
        Map<String, String> matches = Renames.match(
                candidates.stream().map(Table::key).toList(), added.stream().map(Table::key).toList(),
                (from, to) -> renamed(removed.get(from), find(added, to)));
        matches.forEach((from, to) -> {
            Table old = removed.remove(from);
            Table table = find(added, to);
            added.remove(table);
            plan.renamedTables.add(new RenameTable(old, old.movedTo(table.schema(), table.name())));
            plan.pairs.add(new Pair(old, table));
        });
    }

    private boolean renamed(Table from, Table to) {
        if (from.scope() != to.scope()) {
            return false;
        }
        return Objects.equals(from.schema(), to.schema()) ? renames.table(from.schema(), from.name(), to.name())
                || historyRenamed(from, to) : renames.moved(from.key(), to.key());
    }

    /**
     * Whether a history or draft table follows its table's rename: with the hint {@code posts=articles},
     * {@code posts_history} and {@code posts_draft} of the same resource become {@code articles_history} and
     * {@code articles_draft}, keeping their rows.
     */
    private boolean historyRenamed(Table from, Table to) {
        return Objects.equals(from.resource(), to.resource()) && FOLLOWERS.stream().anyMatch(suffix ->
                from.name().endsWith(suffix) && to.name().endsWith(suffix) && renames.table(from.schema(),
                        from.name().substring(0, from.name().length() - suffix.length()),
                        to.name().substring(0, to.name().length() - suffix.length())));
    }

    /** The suffixes of the tables that follow their table: its history ({@code history()}) and drafts. */
    private static final List<String> FOLLOWERS = List.of(Names.historyTable(""), Names.draftTable(""));

    private static Table find(List<Table> tables, String key) {
        return tables.stream().filter(t -> t.key().equals(key)).findFirst().orElseThrow();
    }

    private void diffColumns(Plan plan, Pair pair) {
        Table table = pair.now();
        refuseMovesOntoStayingColumns(pair);
        List<String> gone = pair.old().columns().stream().map(Column::name)
                .filter(name -> table.column(name).isEmpty()).toList();
        List<String> fresh = table.columns().stream().map(Column::name)
                .filter(name -> pair.old().column(name).isEmpty()).toList();
        Map<String, String> renamed = sameAttribute(pair, gone, fresh);
        renamed.putAll(Renames.match(gone.stream().filter(name -> !renamed.containsKey(name)).toList(),
                fresh.stream().filter(name -> !renamed.containsValue(name)).toList(),
                historyOf(plan, table).<BiPredicate<String, String>>map(live -> {
                    Map<String, String> decided = plan.columnRenames.get(live.key());
                    return decided != null ? (from, to) -> to.equals(decided.get(from))
                            : (from, to) -> renames.column(table.schema(), live.name(), from, to);
                }).orElse((from, to) -> renames.column(table.schema(), table.name(), from, to))));
        renamed.forEach((from, to) -> plan.renamedColumns.add(new RenameColumn(table, from, to,
                pair.old().column(from).orElseThrow().identity())));
        plan.columnRenames.put(table.key(), Map.copyOf(renamed));
        for (Column column : table.columns()) {
            String oldName = renamed.entrySet().stream().filter(e -> e.getValue().equals(column.name()))
                    .map(Map.Entry::getKey).findFirst().orElse(column.name());
            pair.old().column(oldName).ifPresentOrElse(old -> {
                String oldType = plan.enumTypes.afterMoves(old.type());
                Column before = new Column(column.name(), oldType, old.nullable(), old.defaultSql(), old.identity(),
                        false, column.attribute(), old.enumType(), old.compositeType(), old.sequence());
                // A native enum type's labels change with the type (EnumTypeSteps), not with each column stored in it;
                // a composite type's fields with the type too (CompositeTypeSteps).
                if (!before.withEnumType(column.enumType()).withCompositeType(column.compositeType()).equals(column)) {
                    plan.columnChanges.add(new AlterColumn(table, before, column));
                }
                if (!oldType.equals(column.type())) {
                    Set<String> names = plan.retypedColumns.computeIfAbsent(pair.old().objectKey(),
                            k -> new LinkedHashSet<>());
                    names.add(oldName);
                    names.add(column.name());
                }
            }, () -> plan.columnChanges.add(new AddColumn(table, column)));
        }
        List<String> oldKey = pair.old().primaryKey().stream().map(c -> renamed.getOrDefault(c, c)).toList();
        if (!oldKey.equals(table.primaryKey())) {
            if (!oldKey.isEmpty()) {
                plan.keyDrops.add(new DropPrimaryKey(table, oldKey));
            }
            if (!table.primaryKey().isEmpty()) {
                plan.keyAdds.add(new AddPrimaryKey(table, table.primaryKey()));
            }
            plan.rekeyed.add(pair.old().objectKey());
        }
        gone.stream().filter(name -> !renamed.containsKey(name))
                .forEach(name -> plan.droppedColumns.add(new DropColumn(table, pair.old().column(name).orElseThrow())));
    }

    /**
     * The table whose history or drafts a table keeps ({@code posts} for {@code posts_history} or {@code posts_draft} of
     * the same resource), whose column
     * renames it follows: the renames decided for that table (it comes first), so a hint or an answer about the
     * table's column renames its history's too, and no question is asked twice; empty for any other table.
     */
    private static Optional<Table> historyOf(Plan plan, Table table) {
        return plan.pairs.stream().map(Pair::now)
                .filter(live -> live.resource().equals(table.resource())
                        && FOLLOWERS.stream().anyMatch(suffix -> (live.name() + suffix).equals(table.name())))
                .findFirst();
    }

    /**
     * Refuses an attribute moved onto a column that stays in the table (two attributes exchanging their columns, or one
     * taking the column of an attribute removed): the columns keep their names, so no migration would move the rows,
     * and each attribute would read the other's values.
     */
    private static void refuseMovesOntoStayingColumns(Pair pair) {
        for (Column column : pair.now().columns()) {
            Column old = pair.old().column(column.name()).orElse(null);
            if (old == null || old.attributeName().equals(column.attributeName())) {
                continue;
            }
            pair.old().columns().stream()
                    .filter(from -> !from.name().equals(column.name())
                            && from.attributeName().equals(column.attributeName()))
                    .findFirst().ifPresent(from -> {
                        throw DefinitionException.of(pair.now().name(), column.attributeName(), "Attribute '"
                                + column.attributeName() + "' of table " + pair.now().name() + " moves from column "
                                + from.name() + " to " + column.name() + ", which stays in the table (it stored '"
                                + old.attributeName() + "'): a migration would leave the rows where they are, and "
                                + "each attribute would read the other's values. Move it in two generations: first "
                                + "to a column name not in use, then, once that migration is generated, to "
                                + column.name() + ".");
                    });
        }
    }

    /**
     * The columns whose attribute stayed while its column changed name ({@code a -> a.column(...)}): renamed without
     * a hint, since the resource says so itself. A snapshot without attributes gives each column its own name.
     */
    private static Map<String, String> sameAttribute(Pair pair, List<String> gone, List<String> fresh) {
        return Renames.match(gone, fresh, (from, to) -> pair.old().column(from).orElseThrow().attributeName()
                .equals(pair.now().column(to).orElseThrow().attributeName()));
    }

    private void diffObjects(Plan plan) {
        Map<ObjectKey, Placed> oldObjects = new LinkedHashMap<>();
        Map<ObjectKey, Placed> newObjects = new LinkedHashMap<>();
        for (Pair pair : plan.pairs) {
            Map<String, String> renamed = plan.columnRenames.getOrDefault(pair.now().key(), Map.of());
            pair.old().objects().forEach(o -> oldObjects.put(pair.now().objectKey(o), new Placed(pair.old(),
                    IndexesOnRenamedColumns.follow(o, pair.now().object(o.name()).orElse(null), renamed))));
            pair.now().objects().forEach(o -> newObjects.put(pair.now().objectKey(o), new Placed(pair.now(), o)));
        }
        plan.created.forEach(t -> t.objects().forEach(o -> newObjects.put(t.objectKey(o), new Placed(t, o))));
        Set<ObjectKey> drop = new LinkedHashSet<>();
        Set<ObjectKey> add = new LinkedHashSet<>();
        Set<ObjectKey> gone = new LinkedHashSet<>(plan.rekeyed);
        plan.dropped.forEach(t -> gone.add(t.objectKey()));
        Set<ObjectKey> renamedTables = new LinkedHashSet<>();
        plan.renamedTables.forEach(r -> renamedTables.add(r.table().objectKey()));
        gone.addAll(renamedTables);
        Set<ObjectKey> following = ObjectRenames.followRenamedTables(oldObjects, newObjects, plan.renamedTables,
                renamedTables);
        Set<ObjectKey> altered = compare(oldObjects, newObjects, gone, drop, add);
        List<MigrationStep.RenameObject> renamed = ObjectRenames.take(oldObjects, newObjects, gone, drop, add, citus);
        List<MigrationStep.RenameObject> alongTables = ObjectRenames.takeOnRenamedTables(oldObjects, newObjects,
                renamedTables, drop, add, citus);
        rebuildStatementsOnRetypedTables(oldObjects, newObjects, plan.retypedColumns.keySet(), drop, add);
        ExpressionsOnRetypedColumns.rebuild(oldObjects, newObjects, plan.retypedColumns, drop, add);
        keepDistributionsOfRenamedTables(oldObjects, newObjects, drop, add);
        rebuildKeysOfNewlyDistributedTables(oldObjects, newObjects, drop, add);
        Set<ObjectKey> along = new LinkedHashSet<>(following);
        alongTables.forEach(r -> along.add(r.table().objectKey(r.from())));
        closeOverDependents(oldObjects, newObjects, drop, add, gone, along, renamedTables);
        keepRenames(renamed, drop, add, plan.objectRenames);
        keepRenames(alongTables, drop, add, plan.objectRenamesAfterTables);
        for (ObjectKey key : altered) {
            if (drop.contains(key)) {
                add.add(key);
            } else {
                plan.objectAlters.add(new AlterObject(newObjects.get(key).table(), oldObjects.get(key).object(),
                        newObjects.get(key).object()));
            }
        }
        List<Placed> drops = new ArrayList<>();
        plan.dropped.forEach(t -> t.objects().forEach(o -> drops.add(new Placed(t, o))));
        Set<Placed> withTables = Set.copyOf(drops);
        drop.forEach(key -> drops.add(oldObjects.get(key)));
        for (Placed p : DependencyOrder.reversed(drops)) {
            boolean withTable = withTables.contains(p);
            // What acts when its table is dropped cleans up after the table, so it runs once the table is gone.
            (withTable && p.object().onlyOnTableDrop() ? plan.afterTableDrops : plan.objectDrops)
                    .add(new DropObject(p.table(), withTable ? goneWithTable(p.table(), p.object()) : dormant(p)));
        }
        Set<ObjectKey> created = new LinkedHashSet<>();
        plan.created.forEach(t -> created.add(t.objectKey()));
        plan.objectAdds.addAll(DependencyOrder.sorted(add.stream().map(newObjects::get).toList()).stream()
                .map(p -> new AddObject(p.table(), created.contains(p.table().objectKey())
                        ? goneWithTable(p.table(), dormant(p)) : dormant(p))).toList());
    }

    /**
     * A table's distribution on Citus goes with the table: dropping the table, or undoing its creation, runs no
     * {@code undistribute_table} first (which Citus refuses on a table with an identity column), only the
     * {@code DROP TABLE}. Any other object is returned as it is.
     */
    private static SchemaObject goneWithTable(Table table, SchemaObject object) {
        return object.kind().equals(ObjectKind.DISTRIBUTION)
                ? object.toBuilder().down("-- nothing to run: goes with table " + table.key()).build() : object;
    }

    /** One that must be re-created anyway, since something it depends on is, is dropped and added instead. */
    private static void keepRenames(List<MigrationStep.RenameObject> renames, Set<ObjectKey> drop, Set<ObjectKey> add,
                                    List<MigrationStep> steps) {
        for (MigrationStep.RenameObject rename : renames) {
            if (drop.contains(rename.table().objectKey(rename.from()))) {
                add.add(rename.table().objectKey(rename.to()));
            } else if (!rename.from().name().equals(rename.to().name())) {
                // A name of its own, not made from the table's: it goes along with the table as it is.
                steps.add(rename);
            }
        }
    }

    /** Sorts changed objects into those to drop, to add, and (returned) those altered in place. */
    private static Set<ObjectKey> compare(Map<ObjectKey, Placed> oldObjects, Map<ObjectKey, Placed> newObjects,
                                       Set<ObjectKey> gone, Set<ObjectKey> drop, Set<ObjectKey> add) {
        Set<ObjectKey> altered = new LinkedHashSet<>();
        newObjects.forEach((key, placed) -> {
            Placed old = oldObjects.get(key);
            if (old != null && !old.object().sameAs(placed.object()) && alterable(old, placed, gone)) {
                altered.add(key);
            } else if (old == null || !old.object().sameAs(placed.object())) {
                add.add(key);
            }
        });
        oldObjects.forEach((key, placed) -> {
            Placed now = newObjects.get(key);
            if (now == null || !now.object().sameAs(placed.object()) && !altered.contains(key)) {
                drop.add(key);
            }
        });
        return altered;
    }

    /** Whether an object changes in place: both definitions say how, and its table keeps its name and key. */
    private static boolean alterable(Placed old, Placed now, Set<ObjectKey> gone) {
        return !gone.contains(old.table().objectKey()) && now.object().alterationFrom(old.object()) != null
                && old.object().alterationFrom(now.object()) != null;
    }

    /**
     * The object as a step on a table that stays: one that acts only when its table is dropped runs no
     * SQL then, yet still gets a step, so that the migration shows it and the snapshot records it.
     */
    private static SchemaObject dormant(Placed placed) {
        SchemaObject o = placed.object();
        if (!o.onlyOnTableDrop()) {
            return o;
        }
        String note = "-- nothing to run: acts only when table " + placed.table().key() + " is dropped";
        return o.toBuilder().up(note).down(note).build();
    }

    /**
     * A renamed table's distribution on Citus, named after the table, goes along with it: the same distribution under
     * the new name is no change, rather than an {@code undistribute_table} (which Citus refuses on a table with an
     * identity column) and a distribution again.
     */
    private static void keepDistributionsOfRenamedTables(Map<ObjectKey, Placed> oldObjects,
                                                         Map<ObjectKey, Placed> newObjects, Set<ObjectKey> drop,
                                                         Set<ObjectKey> add) {
        for (ObjectKey from : List.copyOf(drop)) {
            SchemaObject old = oldObjects.get(from).object();
            if (old.kind().equals(ObjectKind.DISTRIBUTION)) {
                add.stream().filter(to -> to.tableKey().equals(from.tableKey())
                                && newObjects.get(to).object().kind().equals(ObjectKind.DISTRIBUTION)
                                && newObjects.get(to).object().definition().equals(old.definition()))
                        .findFirst().ifPresent(to -> {
                            drop.remove(from);
                            add.remove(to);
                        });
            }
        }
    }

    /**
     * On Citus, a table that exists and is now distributed, or made a reference table (a project switched to Citus,
     * a main table that tenant tables now reference), must have no key to or from another table while it is: Citus
     * would first turn the tables a key joins into coordinator-only ones, and then refuse to distribute one with an
     * identity column ({@code cannot complete operation on a table with identity column}). Its keys that stay, which
     * depend on its distribution, are dropped before and added again after.
     */
    private static void rebuildKeysOfNewlyDistributedTables(Map<ObjectKey, Placed> oldObjects,
                                                            Map<ObjectKey, Placed> newObjects, Set<ObjectKey> drop,
                                                            Set<ObjectKey> add) {
        Set<ObjectKey> distributed = new LinkedHashSet<>();
        add.stream().filter(key -> !oldObjects.containsKey(key)
                && newObjects.get(key).object().kind().equals(ObjectKind.DISTRIBUTION)).forEach(distributed::add);
        newObjects.forEach((key, placed) -> {
            if (oldObjects.containsKey(key) && placed.object().kind().equals(ObjectKind.FOREIGN_KEY)
                    && placed.object().dependsOn().stream().anyMatch(distributed::contains)) {
                drop.add(key);
                add.add(key);
            }
        });
    }

    /**
     * PostgreSQL refuses to change the type of a column that a view or rule reads ("cannot alter type of a column used
     * by a view or rule"). A statement is SQL the differ cannot read, so one that names a table among those it comes
     * after is dropped before a column of that table changes type and created again after. Keys and indexes name their
     * columns, and PostgreSQL rebuilds them itself.
     */
    private static void rebuildStatementsOnRetypedTables(Map<ObjectKey, Placed> oldObjects,
                                                         Map<ObjectKey, Placed> newObjects, Set<ObjectKey> retyped,
                                                         Set<ObjectKey> drop, Set<ObjectKey> add) {
        oldObjects.forEach((key, placed) -> {
            if (placed.object().kind().equals(ObjectKind.STATEMENT)
                    && placed.object().dependsOn().stream().anyMatch(retyped::contains) && drop.add(key)
                    && newObjects.containsKey(key)) {
                add.add(key);
            }
        });
    }

    /**
     * An object that depends on something being dropped (an object, a table, a primary key) must be
     * dropped first and added again afterwards, or PostgreSQL refuses the drop. One renamed along with its table,
     * or a key that only follows a renamed table, keeps pointing at that table: PostgreSQL follows the rename.
     *
     * @param along         the objects renamed along with their table, and the keys following a renamed one
     * @param renamedTables the old keys of the tables renamed or moved
     */
    private static void closeOverDependents(Map<ObjectKey, Placed> oldObjects, Map<ObjectKey, Placed> newObjects,
                                            Set<ObjectKey> drop, Set<ObjectKey> add, Set<ObjectKey> gone,
                                            Set<ObjectKey> along, Set<ObjectKey> renamedTables) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<ObjectKey, Placed> entry : oldObjects.entrySet()) {
                ObjectKey key = entry.getKey();
                if (drop.contains(key)) {
                    continue;
                }
                boolean dependsOnGone = entry.getValue().object().dependsOn().stream()
                        .filter(d -> !along.contains(key) || !renamedTables.contains(d))
                        .anyMatch(d -> gone.contains(d) || drop.contains(d) || dropsOldKey(oldObjects, drop, d));
                if (dependsOnGone) {
                    drop.add(key);
                    if (newObjects.containsKey(key)) {
                        add.add(key);
                    }
                    changed = true;
                }
            }
        }
    }

    /** Dependencies are recorded with the table key of their time; match them against dropped objects' old keys. */
    private static boolean dropsOldKey(Map<ObjectKey, Placed> oldObjects, Set<ObjectKey> drop, ObjectKey dependency) {
        return drop.stream().map(oldObjects::get).anyMatch(p -> p.key().equals(dependency));
    }

    /** An object with the table it sits on. */
    record Placed(Table table, SchemaObject object) {
        ObjectKey key() {
            return table.objectKey(object);
        }
    }

    private record Pair(Table old, Table now) {
    }

    /** The steps collected per phase; {@link #steps()} lays them out in execution order. */
    private static final class Plan {
        final List<Pair> pairs = new ArrayList<>();
        final List<Table> created = new ArrayList<>();
        final List<Table> dropped = new ArrayList<>();
        final Set<ObjectKey> rekeyed = new LinkedHashSet<>();
        /** The names, old and new, of the columns that change type, by the old key of their table. */
        final Map<ObjectKey, Set<String>> retypedColumns = new LinkedHashMap<>();
        final Map<String, Map<String, String>> columnRenames = new LinkedHashMap<>();
        final List<MigrationStep> createdSchemas = new ArrayList<>();
        final List<MigrationStep> droppedSchemas = new ArrayList<>();
        final List<MigrationStep> objectDrops = new ArrayList<>();
        final List<MigrationStep> objectRenames = new ArrayList<>();
        final List<RenameTable> renamedTables = new ArrayList<>();
        final List<MigrationStep> objectRenamesAfterTables = new ArrayList<>();
        final List<MigrationStep> renamedColumns = new ArrayList<>();
        final List<MigrationStep> keyDrops = new ArrayList<>();
        final List<MigrationStep> columnChanges = new ArrayList<>();
        final List<MigrationStep> keyAdds = new ArrayList<>();
        final List<MigrationStep> droppedColumns = new ArrayList<>();
        final List<MigrationStep> afterTableDrops = new ArrayList<>();
        final List<MigrationStep> objectAlters = new ArrayList<>();
        final List<MigrationStep> objectAdds = new ArrayList<>();
        EnumTypeSteps enumTypes;
        CompositeTypeSteps compositeTypes;

        List<MigrationStep> steps() {
            List<MigrationStep> steps = new ArrayList<>(createdSchemas);
            steps.addAll(enumTypes.created());
            steps.addAll(enumTypes.labelled());
            steps.addAll(compositeTypes.created());
            steps.addAll(compositeTypes.altered());
            steps.addAll(objectDrops);
            // After the drops, before the adds: a renamed object may take a dropped one's name or give up its own.
            steps.addAll(objectRenames);
            steps.addAll(renamedTables);
            // Their objects go along under their old names, and are renamed once the table has its new one.
            steps.addAll(objectRenamesAfterTables);
            steps.addAll(renamedColumns);
            created.forEach(t -> steps.add(new CreateTable(t)));
            // Keys change around the columns, so a column may leave a key (and allow null) or join one.
            steps.addAll(keyDrops);
            steps.addAll(columnChanges);
            steps.addAll(droppedColumns);
            steps.addAll(keyAdds);
            dropped.forEach(t -> steps.add(new DropTable(t)));
            steps.addAll(afterTableDrops);
            steps.addAll(enumTypes.dropped());
            steps.addAll(compositeTypes.dropped());
            steps.addAll(droppedSchemas);
            steps.addAll(objectAlters);
            steps.addAll(objectAdds);
            return steps;
        }
    }
}
