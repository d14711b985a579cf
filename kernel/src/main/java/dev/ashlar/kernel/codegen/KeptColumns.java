package dev.ashlar.kernel.codegen;

import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.kernel.diff.MigrationStep.AlterColumn;
import dev.ashlar.kernel.diff.MigrationStep.DropColumn;
import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.DesiredSchema;
import dev.ashlar.kernel.schema.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the columns of removed attributes ({@code codegen --dont-drop-columns}, AshPostgres's
 * {@code --dont-drop-columns}): instead of dropping one, the migration only lets it be null (Ashlar no
 * longer writes it), and the snapshot keeps it marked as kept, so that later generations, with or
 * without the option, do not drop it either. The column of an attribute that turns {@code migrationIgnore} is kept
 * as the snapshot records it, with no step at all: the resource still reads and writes it.
 */
final class KeptColumns {
    private KeptColumns() {
    }

    /**
     * The steps and desired tables with the columns to keep kept.
     *
     * @param marked whether a column is kept for the first time: the snapshots must record it even when no step is left
     */
    record Kept(List<MigrationStep> steps, List<Table> tables, boolean marked) {
    }

    static Kept apply(List<MigrationStep> steps, DesiredSchema desired, boolean dontDrop) {
        List<MigrationStep> kept = new ArrayList<>();
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        boolean marked = false;
        for (MigrationStep step : steps) {
            if (step instanceof DropColumn drop && desired.ignores(drop.table().key(), drop.column().name())) {
                columns.computeIfAbsent(drop.table().key(), k -> new ArrayList<>()).add(drop.column());
            } else if (step instanceof DropColumn drop && (dontDrop || drop.column().kept())) {
                Column column = drop.column().keptWithoutAttribute();
                marked |= !drop.column().kept();
                columns.computeIfAbsent(drop.table().key(), k -> new ArrayList<>()).add(column);
                // An identity column stays NOT NULL (PostgreSQL refuses to drop it) and numbers the rows Ashlar inserts.
                if (drop.column().nullable() != column.nullable()) {
                    kept.add(new AlterColumn(drop.table(), drop.column(), column));
                }
            } else {
                kept.add(step);
            }
        }
        List<Table> tables = desired.tables().stream().map(t -> columns.containsKey(t.key()) ? withColumns(t, columns.get(t.key()))
                : t).toList();
        return new Kept(kept, tables, marked);
    }

    private static Table withColumns(Table table, List<Column> more) {
        List<Column> all = new ArrayList<>(table.columns());
        all.addAll(more);
        return table.withColumns(all);
    }
}
