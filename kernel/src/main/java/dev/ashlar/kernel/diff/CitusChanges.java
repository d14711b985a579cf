package dev.ashlar.kernel.diff;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.kernel.diff.MigrationStep.AddColumn;
import dev.ashlar.kernel.diff.MigrationStep.AlterColumn;
import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.IdentitySequence;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.Scope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Column changes that Citus refuses on the tables it holds (a tenant schema's tables, tables distributed by a tenant
 * column, reference tables), found at codegen rather than in every tenant at migrate time. Measured on Citus 13.2:
 * an identity column added ({@code cannot execute ADD COLUMN commands involving identity columns}), a column made or
 * no longer an identity ({@code alter table command is currently unsupported}), an identity's type changed
 * ({@code cannot execute ALTER COLUMN command involving identity column}), an identity's start or step changed
 * ({@code alter table command is currently unsupported}), the distribution column's type changed
 * ({@code cannot execute ALTER TABLE command involving partition column}), and a column added with a
 * {@code nextval(...)} default to a table with rows.
 */
public final class CitusChanges {
    private static final Pattern NEXTVAL = Pattern.compile("\\bnextval\\s*\\(", Pattern.CASE_INSENSITIVE);

    private CitusChanges() {
    }

    /** Whether Citus holds the table, on a Citus target: every tenant schema's table, and every distributed one. */
    static boolean citusTable(Table table) {
        return table.scope() == Scope.TENANT
                || table.objects().stream().anyMatch(o -> o.kind().equals(ObjectKind.DISTRIBUTION));
    }

    /** @throws DefinitionException naming each resource and attribute whose change Citus refuses, and what to do */
    public static void refuse(List<MigrationStep> steps) {
        List<Problem> problems = new ArrayList<>();
        for (MigrationStep step : steps) {
            if (step instanceof AddColumn add && citusTable(add.table())) {
                Column column = add.column();
                if (column.identity()) {
                    problems.add(problem(add.table(), column, "adds identity column", ", which Citus "
                            + "refuses on a table it holds. Give the table its identity when it is created, or add a "
                            + "plain bigint column that the application fills"));
                } else if (column.defaultSql() != null && NEXTVAL.matcher(column.defaultSql()).find()) {
                    problems.add(problem(add.table(), column, "adds column", " with the default " + column.defaultSql()
                            + ", which Citus refuses on a table with rows. Add it without that default (allowing nil), "
                            + "and set the default in a later migration: new rows get it, the rows there keep nil"));
                }
            } else if (step instanceof AlterColumn alter && citusTable(alter.table())) {
                Column from = alter.from();
                Column to = alter.to();
                boolean retyped = !from.type().equals(to.type());
                if (from.identity() != to.identity()) {
                    problems.add(problem(alter.table(), to, to.identity() ? "makes column" : "takes column",
                            (to.identity() ? " an identity" : " out of its identity") + ", which Citus refuses on a "
                            + "table it holds. Keep the column as it is, or add a new table with the key it needs and "
                            + "copy the rows over in a migration of your own"));
                } else if (retyped && to.identity()) {
                    problems.add(problem(alter.table(), to, "changes identity column", " from " + from.type()
                            + " to " + to.type() + ", which Citus refuses on a table it holds (the identity's "
                            + "sequence lives on every node). Keep its type (bigint holds any count of rows)"));
                } else if (to.identity() && restepped(from.sequence(), to.sequence())) {
                    problems.add(problem(alter.table(), to, "changes the start or step of identity column", ", which "
                            + "Citus refuses on a table it holds (each node keeps a range of the identity's sequence "
                            + "of its own). Keep generated(...) as the table was created with it"));
                } else if (retyped && to.name().equals(distributionColumn(alter.table()))) {
                    problems.add(problem(alter.table(), to, "changes tenant column", " from " + from.type() + " to "
                            + to.type() + ", which Citus refuses: the table is distributed by it, and each row's "
                            + "node follows from its value. Keep its type, or add a new table distributed by a column "
                            + "of the new type and copy the rows over in a migration of your own"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(null, problems);
        }
    }

    /**
     * A table Citus holds cannot keep history: the trigger that copies each replaced row runs on the node holding the
     * row's shard and writes the history table from there, which Citus neither distributes with it nor routes to.
     *
     * @throws DefinitionException naming each resource whose table Citus holds and keeps history
     */
    public static void refuseHistory(Collection<Table> tables) {
        List<Problem> problems = new ArrayList<>();
        for (Table table : tables) {
            if (citusTable(table) && table.objects().stream()
                    .anyMatch(o -> o.definition().containsKey("keeps_history_of"))) {
                problems.add(new Problem(table.resource(), "history", "On Citus, table " + table.sql() + " keeps "
                        + "history (history()), which Ashlar does not make on a table Citus holds: the trigger that "
                        + "records each version runs on the node of the row's shard, where no history table is. "
                        + "Remove .history() from the resource, or keep its table out of Citus"));
            }
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(null, problems);
        }
    }

    private static boolean restepped(IdentitySequence from, IdentitySequence to) {
        return IdentitySequence.start(from) != IdentitySequence.start(to)
                || IdentitySequence.increment(from) != IdentitySequence.increment(to);
    }

    private static Problem problem(Table table, Column column, String what, String why) {
        return new Problem(table.resource(), column.attributeName(), "On Citus, the migration " + what + " "
                + table.key() + "." + column.name() + why);
    }

    /** The column a table is distributed by, or null. */
    private static String distributionColumn(Table table) {
        return table.objects().stream().filter(o -> o.kind().equals(ObjectKind.DISTRIBUTION))
                .map(o -> o.definition().get("column")).filter(Objects::nonNull).map(Object::toString)
                .findFirst().orElse(null);
    }
}
