package dev.ashlar.kernel.diff;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;
import dev.ashlar.kernel.diff.MigrationStep.AddPrimaryKey;
import dev.ashlar.kernel.diff.MigrationStep.AlterColumn;
import dev.ashlar.kernel.diff.MigrationStep.BuildKeyIndex;
import dev.ashlar.kernel.diff.MigrationStep.DropColumn;
import dev.ashlar.kernel.diff.MigrationStep.DropPrimaryKey;
import dev.ashlar.kernel.diff.MigrationStep.KeyRollbackIndex;
import dev.ashlar.kernel.diff.MigrationStep.SwapPrimaryKey;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.spi.schema.Scope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Changes the primary key of a table that already exists without building its index under an exclusive lock: the
 * new key's unique index is built {@code CONCURRENTLY} in a file of its own ({@link BuildKeyIndex}), then one short
 * transaction drops the old key and adds the new one from that index ({@link SwapPrimaryKey}). The old key stays in
 * force until then. A column that must wait for the old key to go (one leaving it that now allows null, one dropped)
 * changes right after the swap. A table this migration creates, a partitioned one (PostgreSQL builds no
 * partitioned index concurrently), and every table when concurrent builds are turned off keep the plain steps.
 */
final class KeySwaps {
    private KeySwaps() {
    }

    /** @param concurrentIndexes whether indexes on existing tables are built concurrently: if not, the plain steps */
    static List<MigrationStep> of(List<MigrationStep> steps, Set<String> created, boolean concurrentIndexes) {
        if (!concurrentIndexes) {
            return steps;
        }
        Map<String, DropPrimaryKey> drops = steps.stream().filter(DropPrimaryKey.class::isInstance)
                .map(DropPrimaryKey.class::cast).collect(Collectors.toMap(d -> d.table().key(), d -> d, (a, b) -> a));
        Set<String> swapped = steps.stream().filter(AddPrimaryKey.class::isInstance)
                .map(s -> s.table()).filter(t -> !created.contains(t.key()) && !t.partitioned())
                .map(Table::key).collect(Collectors.toSet());
        List<MigrationStep> ordered = new ArrayList<>();
        List<MigrationStep> afterSwap = new ArrayList<>();
        for (MigrationStep step : steps) {
            String table = step.table() == null ? null : step.table().key();
            if (!swapped.contains(table)) {
                ordered.add(step);
            } else if (step instanceof DropPrimaryKey) {
                continue;
            } else if (step instanceof AddPrimaryKey add) {
                List<String> old = drops.containsKey(table) ? drops.get(table).columns() : List.of();
                ordered.add(new BuildKeyIndex(add.table(), add.columns()));
                ordered.add(new SwapPrimaryKey(add.table(), old, add.columns()));
                if (!old.isEmpty()) {
                    // Going down, the old key's index is built right before the swap back, and after the columns
                    // changed after the swap are back as they were (a dropped key column added again).
                    ordered.add(new KeyRollbackIndex(add.table(), old));
                }
                ordered.addAll(afterSwap);
                afterSwap.clear();
            } else if (needsOldKeyGone(step, drops.get(table))) {
                afterSwap.add(step);
            } else {
                ordered.add(step);
            }
        }
        return ordered;
    }

    /** A column of the old key that now allows null, or is dropped: PostgreSQL refuses either while the key holds it. */
    private static boolean needsOldKeyGone(MigrationStep step, DropPrimaryKey old) {
        if (old == null) {
            return false;
        }
        if (step instanceof DropColumn drop) {
            return old.columns().contains(drop.column().name());
        }
        return step instanceof AlterColumn alter && old.columns().contains(alter.to().name())
                && alter.to().nullable() && !alter.from().nullable();
    }

    /** The index being built for the new key, as SQL: qualified for main tables, bare for tenant tables. */
    static String nextIndexSql(Table table) {
        return Identifiers.qualify(table.scope() == Scope.MAIN ? table.schema() : null,
                Names.nextPrimaryKey(table.name()));
    }

    /** Drops the key (when there is one) and adds it from the index built for it, in one statement. */
    static String swap(Table table, boolean dropOld) {
        String key = Identifiers.quote(Names.primaryKey(table.name()));
        return "ALTER TABLE " + table.sql() + (dropOld ? " DROP CONSTRAINT " + key + "," : "") + " ADD CONSTRAINT "
                + key + " PRIMARY KEY USING INDEX " + Identifiers.quote(Names.nextPrimaryKey(table.name())) + ";";
    }
}
