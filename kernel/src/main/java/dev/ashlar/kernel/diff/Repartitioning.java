package dev.ashlar.kernel.diff;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.kernel.schema.Table;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A partitioned table that would stop being partitioned or take another partition key. Table options apply only where
 * a table is created, and PostgreSQL cannot change a table's partitioning in place: left unsaid, the table would stay
 * partitioned while later migrations took it to be otherwise (and built its indexes {@code CONCURRENTLY}, which a
 * partitioned table refuses). A snapshot without options may predate them, so a table that turns partitioned is not
 * refused: its options stay unused, as the README says of {@code createTableOptions}.
 */
public final class Repartitioning {
    private Repartitioning() {
    }

    /**
     * @param previous the tables of the latest snapshots, by key
     * @throws DefinitionException naming every such resource, the table, its partitioning before and after, and the way
     */
    public static void refuse(Map<String, Table> previous, List<Table> desired) {
        List<Problem> problems = desired.stream()
                .filter(table -> previous.containsKey(table.key()))
                .filter(table -> changed(previous.get(table.key()), table))
                .map(table -> new Problem(table.resource(), "partitionBy", "table " + table.key() + " exists "
                        + partitioning(previous.get(table.key())) + " and would be " + partitioning(table) + ", which "
                        + "PostgreSQL cannot change in place (table options apply when a table is created). Keep the "
                        + "table as it is, or create the new one under another table name, copy the rows in a "
                        + "migration of your own, then remove the old one"))
                .toList();
        if (!problems.isEmpty()) {
            throw new DefinitionException(null, problems);
        }
    }

    private static boolean changed(Table before, Table after) {
        return before.partitioned() && !Objects.equals(before.options(), after.options());
    }

    private static String partitioning(Table table) {
        return table.partitioned() ? table.options().strip() : "unpartitioned";
    }
}
