package dev.ashlar.kernel.diff;

import dev.ashlar.kernel.diff.MigrationStep.AddNotNullCheck;
import dev.ashlar.kernel.diff.MigrationStep.AddObject;
import dev.ashlar.kernel.diff.MigrationStep.AddPrimaryKey;
import dev.ashlar.kernel.diff.MigrationStep.AlterColumn;
import dev.ashlar.kernel.diff.MigrationStep.CreateTable;
import dev.ashlar.kernel.diff.MigrationStep.DropObject;
import dev.ashlar.kernel.diff.MigrationStep.DropTable;
import dev.ashlar.kernel.diff.MigrationStep.SetNotNull;
import dev.ashlar.kernel.diff.MigrationStep.SwapPrimaryKey;
import dev.ashlar.kernel.diff.MigrationStep.ValidateNotNullCheck;
import dev.ashlar.kernel.diff.MigrationStep.ValidateObject;
import dev.ashlar.kernel.schema.Column;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.spi.schema.Target;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rewrites the differ's steps on tables that already exist, which may hold many rows and take writes, so that no
 * step blocks writes for a whole scan or build. Tables created by the same migration keep the plain steps.
 * <ul>
 *   <li>an object with an {@link SchemaObject.OnExistingTable} form is added that way: a foreign key or check
 *       {@code NOT VALID} and validated in a later transaction, an index {@code CONCURRENTLY} in a file of its
 *       own (unless concurrent builds are turned off);</li>
 *   <li>an index dropped from a table that stays is dropped {@code CONCURRENTLY} in a file of its own (a plain
 *       {@code DROP INDEX} waits for every query on the table, and every query after it waits behind it), and
 *       built again concurrently going down (unless concurrent builds are turned off);</li>
 *   <li>a column made not null gets a {@code NOT VALID} check first; a later transaction validates it, sets
 *       {@code NOT NULL} from it without a scan and drops it;</li>
 *   <li>a primary key that changes is built concurrently and swapped in ({@link KeySwaps}), and so is an identity
 *       whose fields change ({@link IdentitySwaps});</li>
 *   <li>a column added with a volatile default is added empty, gets its default, and is filled in batches before
 *       it is made not null ({@link NewColumns#filledLater}).</li>
 * </ul>
 * The later steps come after every other step, in one transaction of their own: first every validation, then every
 * {@code SET NOT NULL}, whose exclusive lock is thus taken only once no scan is left. A constraint that is replaced
 * is dropped in the transaction that adds it again.
 */
public final class LiveTableSteps {
    private LiveTableSteps() {
    }

    /**
     * @param steps             the differ's steps, in order
     * @param concurrentIndexes whether indexes on existing tables are built {@code CONCURRENTLY}
     * @param target            the database the migrations are for
     */
    public static List<MigrationStep> of(List<MigrationStep> steps, boolean concurrentIndexes, Target target) {
        Set<String> created = steps.stream().filter(CreateTable.class::isInstance).map(s -> s.table().key())
                .collect(Collectors.toSet());
        steps = KeySwaps.of(NewColumns.filledLater(replacedInOneTransaction(steps, created), created,
                target == Target.CITUS), created, concurrentIndexes);
        Set<String> dropped = steps.stream().filter(DropTable.class::isInstance).map(s -> s.table().key())
                .collect(Collectors.toSet());
        // A column that joins a primary key is made not null by ADD PRIMARY KEY, which scans the table anyway:
        // its SET NOT NULL stays in the step that the key's undo relies on. A column made an identity, which
        // PostgreSQL accepts only on a column already NOT NULL, becomes one right after its SET NOT NULL.
        Set<String> keyed = steps.stream().filter(AddPrimaryKey.class::isInstance).map(AddPrimaryKey.class::cast)
                .flatMap(key -> key.columns().stream().map(column -> key.table().key() + "." + column))
                .collect(Collectors.toSet());
        List<MigrationStep> now = new ArrayList<>();
        List<MigrationStep> later = new ArrayList<>();
        List<MigrationStep> setNotNull = new ArrayList<>();
        for (MigrationStep step : steps) {
            if (step.table() != null && step.table().partitioned()) {
                // PostgreSQL builds no partitioned index concurrently, and takes no NOT VALID foreign key on a
                // partitioned table before 18: its changes run as on a new table, each partition built in turn.
                now.add(step);
            } else if (step instanceof AddObject add && !created.contains(add.table().key())) {
                addObject(add, concurrentIndexes, now, later);
            } else if (step instanceof DropObject drop && concurrentIndexes && !dropped.contains(drop.table().key())
                    && drop.object().onExistingTable() != null && !drop.object().onExistingTable().transactional()) {
                now.add(new DropObject(drop.table(), drop.object().forExistingTable()));
            } else if (step instanceof AlterColumn alter && alter.from().nullable() && !alter.to().nullable()
                    && !keyed.contains(alter.table().key() + "." + alter.to().name())) {
                // A column made an identity keeps its old default until it becomes one, in the last step: rows
                // written in between still get their values as before.
                Column identity = alter.to();
                Column nullable = identity.identity() ? identity.asPlain(alter.from().defaultSql()).asNullable()
                        : identity.asNullable();
                if (!alter.from().equals(nullable)) {
                    now.add(new AlterColumn(alter.table(), alter.from(), nullable));
                }
                now.add(new AddNotNullCheck(alter.table(), nullable.name()));
                later.add(new ValidateNotNullCheck(alter.table(), nullable.name()));
                setNotNull.add(new SetNotNull(alter.table(), nullable.name()));
                if (identity.identity()) {
                    setNotNull.add(new AlterColumn(alter.table(), nullable.asNotNull(), identity));
                }
            } else {
                now.add(step);
            }
        }
        now = IdentitySwaps.of(notNullBeforeKeySwaps(now, later, setNotNull));
        List<MigrationStep> ordered = keepNewTablesTogether(now, created, concurrentIndexes, later);
        ordered.addAll(later);
        // SET NOT NULL holds an ACCESS EXCLUSIVE lock until the transaction ends: a validation after it would scan
        // the table while every read and write waits.
        ordered.addAll(setNotNull);
        return ordered;
    }

    /**
     * A column that joins a primary key swapped in ({@link KeySwaps}) is validated and set not null right before the
     * swap, in its transaction: {@code ADD PRIMARY KEY USING INDEX} on a column that allows null would set
     * {@code NOT NULL} itself, scanning the table under the exclusive lock.
     */
    private static List<MigrationStep> notNullBeforeKeySwaps(List<MigrationStep> now, List<MigrationStep> later,
                                                             List<MigrationStep> setNotNull) {
        List<MigrationStep> ordered = new ArrayList<>();
        for (MigrationStep step : now) {
            if (step instanceof SwapPrimaryKey swap) {
                ordered.addAll(takeKeyed(later, swap));
                ordered.addAll(takeKeyed(setNotNull, swap));
            }
            ordered.add(step);
        }
        return ordered;
    }

    private static List<MigrationStep> takeKeyed(List<MigrationStep> steps, SwapPrimaryKey swap) {
        List<MigrationStep> taken = steps.stream().filter(step -> step.table().key().equals(swap.table().key())
                && (step instanceof ValidateNotNullCheck v && swap.to().contains(v.column())
                || step instanceof SetNotNull set && swap.to().contains(set.column()))).toList();
        steps.removeAll(taken);
        return taken;
    }

    /**
     * A constraint replaced on a table that stays (a check's expression, a foreign key's {@code ON DELETE}) is dropped
     * right before it is added again {@code NOT VALID}, in the same transaction. Dropped with the other drops, it would
     * be missing while the files between ran (concurrent index builds may take long), and rows breaking it could be
     * written, failing its validation. It moves only when no step between touches a table it depends on, nor its own
     * table but to add or drop another object: those may need it gone (a column that changes type, a referenced key
     * rebuilt).
     */
    private static List<MigrationStep> replacedInOneTransaction(List<MigrationStep> steps, Set<String> created) {
        List<MigrationStep> ordered = new ArrayList<>(steps);
        for (int at = 0; at < ordered.size(); at++) {
            if (ordered.get(at) instanceof AddObject add && !created.contains(add.table().key())
                    && validatedLater(add.object())) {
                int from = replacedBy(ordered, add, at);
                if (from >= 0 && ordered.subList(from + 1, at).stream().allMatch(step -> apart(step, add))) {
                    ordered.add(at - 1, ordered.remove(from));
                }
            }
        }
        return ordered;
    }

    private static boolean validatedLater(SchemaObject object) {
        SchemaObject.OnExistingTable safely = object.onExistingTable();
        return safely != null && safely.transactional() && !safely.validate().isEmpty();
    }

    /** The index of the step before {@code at} that drops the object {@code add} adds again, or -1. */
    private static int replacedBy(List<MigrationStep> steps, AddObject add, int at) {
        for (int i = at - 1; i >= 0; i--) {
            if (steps.get(i) instanceof DropObject drop && drop.transactional()
                    && drop.table().key().equals(add.table().key())
                    && drop.object().name().equals(add.object().name())) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a step may run while the constraint {@code add} replaces is still there. */
    private static boolean apart(MigrationStep step, AddObject add) {
        if (step.table() == null) {
            return false;
        }
        Set<String> needs = add.object().dependsOn().stream().map(key -> key.tableKey().toString())
                .collect(Collectors.toSet());
        String table = step.table().key();
        if (needs.contains(table)) {
            return false;
        }
        if (!table.equals(add.table().key())) {
            return true;
        }
        return step instanceof AddObject || step instanceof DropObject;
    }

    /**
     * A concurrent build on an existing table needs a file of its own; the keys, indexes, identities and checks of a
     * table this migration creates would otherwise land in a file after it, away from the file that creates the
     * table. Those that depend on nothing but tables it creates go first, so each such build waits until they are
     * written. One that must come after a build (a foreign key to the unique index being built) lands in a later
     * file than its table, which may have taken rows by then: it is added as to a table that already exists.
     */
    private static List<MigrationStep> keepNewTablesTogether(List<MigrationStep> steps, Set<String> created,
                                                             boolean concurrentIndexes, List<MigrationStep> later) {
        List<MigrationStep> ordered = new ArrayList<>();
        List<MigrationStep> waiting = new ArrayList<>();
        Set<Scope> split = new HashSet<>();
        for (MigrationStep step : steps) {
            if (!step.transactional()) {
                waiting.add(step);
                continue;
            }
            if (!ofNewTable(step, created) || split.contains(step.scope())) {
                // Each scope's steps go to files of their own: only a step of the same scope keeps the order.
                waiting.stream().filter(w -> w.scope() == step.scope()).forEach(w -> {
                    ordered.add(w);
                    split.add(w.scope());
                });
                waiting.removeIf(w -> w.scope() == step.scope());
            }
            if (split.contains(step.scope()) && step instanceof AddObject add && created.contains(add.table().key())) {
                addObject(add, concurrentIndexes, ordered, later);
            } else {
                ordered.add(step);
            }
        }
        ordered.addAll(waiting);
        return ordered;
    }

    private static boolean ofNewTable(MigrationStep step, Set<String> created) {
        return step instanceof AddObject add && created.contains(add.table().key())
                && add.object().dependsOn().stream().allMatch(key -> created.contains(key.tableKey().toString()));
    }

    private static void addObject(AddObject add, boolean concurrentIndexes, List<MigrationStep> now,
                                  List<MigrationStep> later) {
        SchemaObject.OnExistingTable safely = add.object().onExistingTable();
        if (safely == null || !safely.transactional() && !concurrentIndexes) {
            now.add(add);
            return;
        }
        now.add(new AddObject(add.table(), add.object().forExistingTable()));
        if (!safely.validate().isEmpty()) {
            later.add(new ValidateObject(add.table(), add.object()));
        }
    }
}
