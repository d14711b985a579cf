package dev.ashlar.kernel.diff;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.kernel.diff.MigrationStep.AddColumn;
import dev.ashlar.kernel.diff.MigrationStep.AlterColumn;
import dev.ashlar.kernel.diff.MigrationStep.BackfillColumn;
import dev.ashlar.kernel.diff.MigrationStep.DropColumn;
import dev.ashlar.kernel.diff.MigrationStep.DropPrimaryKey;
import dev.ashlar.kernel.diff.MigrationStep.RenameColumn;
import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What adding a column to a table that already exists, and may hold rows, can and cannot do. */
public final class NewColumns {
    /**
     * Functions PostgreSQL marks volatile ({@code pg_proc.provolatile = 'v'}) that defaults use. A column added with
     * a default that is not volatile costs no rewrite since PostgreSQL 11: the value is computed once and kept in the
     * catalog ({@code now()} is stable, so it is one of those); a volatile one is computed for every row.
     */
    private static final Pattern VOLATILE = Pattern.compile("(?i)\\b(random|random_normal|gen_random_uuid|uuidv4"
            + "|uuidv7|uuid_generate_v1|uuid_generate_v1mc|uuid_generate_v4|gen_random_bytes|clock_timestamp|timeofday"
            + "|nextval|setseed)\\s*\\(");

    private NewColumns() {
    }

    /**
     * Refuses a column added {@code NOT NULL} without a default to a table that already exists: the statement
     * fails on the first row, so a migration that works on an empty development database breaks in production.
     *
     * @throws DefinitionException naming every such resource and attribute, and the fixes
     */
    public static void requireFillable(List<MigrationStep> steps) {
        List<Problem> problems = steps.stream().filter(AddColumn.class::isInstance).map(AddColumn.class::cast)
                .filter(add -> !add.column().nullable() && add.column().defaultSql() == null && !add.column().identity())
                .map(add -> new Problem(add.table().resource(), add.column().name(), "is added NOT NULL without a "
                        + "default to table " + add.table().key() + ", which already exists: on a table with rows "
                        + "that fails. Give the attribute a default, or allow nil, backfill it, and make it required "
                        + "in a later migration (which sets NOT NULL without blocking writes)"))
                .toList();
        if (!problems.isEmpty()) {
            throw new DefinitionException(null, problems);
        }
    }

    /**
     * Adds a column with a volatile default to a table that already exists without rewriting it: the column is added
     * without a default (nothing to compute for the rows there), the default is set (new rows get it), the rows there
     * are filled in batches that each commit ({@link BackfillColumn}), and only then is a required column made
     * {@code NOT NULL} (through the check that {@link LiveTableSteps} adds, validates and drops). A table this
     * migration creates, a partitioned table, a table without a key to walk ({@link #walkingKey}) and on Citus a table
     * it holds, a tenant schema's included (Citus refuses a volatile function in an {@code UPDATE} of one, and fills
     * the column on each shard), keep the plain step.
     */
    static List<MigrationStep> filledLater(List<MigrationStep> steps, Set<String> created, boolean citus) {
        List<MigrationStep> expanded = new ArrayList<>();
        for (MigrationStep step : steps) {
            List<String> walk = step instanceof AddColumn add ? walkingKey(add.table(), steps) : List.of();
            if (step instanceof AddColumn add && !created.contains(add.table().key()) && !add.table().partitioned()
                    && !walk.isEmpty() && !add.column().identity()
                    && volatileDefault(add.column()) && !(citus && CitusChanges.citusTable(add.table()))) {
                Column column = add.column();
                Column empty = column.asPlain(null).asNullable();
                Column filled = column.asNullable();
                expanded.add(new AddColumn(add.table(), empty));
                expanded.add(new AlterColumn(add.table(), empty, filled));
                expanded.add(new BackfillColumn(add.table(), column.name(), walk));
                if (!column.nullable()) {
                    expanded.add(new AlterColumn(add.table(), filled, column));
                }
            } else {
                expanded.add(step);
            }
        }
        return expanded;
    }

    /**
     * The columns a backfill walks: a key whose values the rows there already hold. The table's primary key, unless
     * a column of it is added by this migration (a new {@code uuidPrimaryKey} replacing the old key, all null until
     * filled, so walking it would fill nothing); then the key it replaces, if its columns stay as they are. Empty
     * when there is none, and the column is added in one statement that fills every row.
     */
    private static List<String> walkingKey(Table table, List<MigrationStep> steps) {
        Set<String> added = steps.stream().filter(AddColumn.class::isInstance).map(AddColumn.class::cast)
                .filter(add -> add.table().key().equals(table.key())).map(add -> add.column().name())
                .collect(Collectors.toSet());
        if (table.primaryKey().stream().noneMatch(added::contains)) {
            return table.primaryKey();
        }
        Set<String> changed = steps.stream().filter(s -> table.key().equals(s.table() == null ? null : s.table().key()))
                .flatMap(s -> s instanceof RenameColumn rename ? Stream.of(rename.from(), rename.to())
                        : s instanceof DropColumn drop ? Stream.of(drop.column().name()) : Stream.empty())
                .collect(Collectors.toSet());
        return steps.stream().filter(DropPrimaryKey.class::isInstance).map(DropPrimaryKey.class::cast)
                .filter(drop -> drop.table().key().equals(table.key())).map(DropPrimaryKey::columns)
                .filter(old -> old.stream().noneMatch(c -> added.contains(c) || changed.contains(c)
                        || table.column(c).isEmpty()))
                .findFirst().orElse(List.of());
    }

    private static boolean volatileDefault(Column column) {
        return column.defaultSql() != null && VOLATILE.matcher(column.defaultSql()).find();
    }

    /** Why adding the column rewrites the table, or empty when its value for existing rows is computed once. */
    static Optional<String> rewrites(Table table, Column column) {
        String where = table.key() + "." + column.name();
        if (column.identity()) {
            return Optional.of("adding identity column " + where + " numbers every row, rewriting the table while "
                    + "reads and writes wait");
        }
        if (volatileDefault(column)) {
            return Optional.of("adding " + where + " with the volatile default " + column.defaultSql() + " computes it "
                    + "for every row, rewriting the table while reads and writes wait");
        }
        return Optional.empty();
    }
}
