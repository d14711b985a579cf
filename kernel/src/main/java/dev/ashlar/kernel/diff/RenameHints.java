package dev.ashlar.kernel.diff;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.Table;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Checks rename hints against the tables the resources describe, before anything is generated: a hint that can
 * rename nothing (a resource's name where the table's belongs, a misspelt new name, an old name still there) would
 * otherwise be ignored, and the column or table dropped and added again with its data lost.
 */
public final class RenameHints {
    private RenameHints() {
    }

    /**
     * @throws AshlarException naming every hint that no table or column of {@code tables} can take, and why
     */
    public static void check(List<String> hints, Collection<Table> tables) {
        List<String> problems = new ArrayList<>();
        for (String hint : hints) {
            String[] sides = hint.split("=", -1);
            String problem = sides[1].contains(".") ? move(sides[0], sides[1], tables)
                    : sides[0].contains(".") ? column(sides[0], sides[1], tables) : table(sides[0], sides[1], tables);
            if (problem != null) {
                problems.add("--rename " + hint + ": " + problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new AshlarException(ErrorCode.MIGRATION, "Rename hints that can rename nothing (ignoring them "
                    + "would drop the old column or table and add a new one, losing its data):\n  "
                    + String.join("\n  ", problems)
                    + "\nA hint names tables and columns as the resources now have them: table.old_column=new_column, "
                    + "old_table=new_table, schema.old_table=schema.new_table (that schema only). Nothing was "
                    + "written.");
        }
    }

    private static String column(String left, String to, Collection<Table> tables) {
        int dot = left.lastIndexOf('.');
        String tableName = left.substring(0, dot);
        String from = left.substring(dot + 1);
        Optional<Table> found = named(tableName, tables);
        if (found.isEmpty()) {
            return noTable(tableName, tables);
        }
        Table table = found.get();
        if (table.column(to).isEmpty()) {
            return "table " + tableName + " has no column '" + to + "' in the resources; its columns: "
                    + table.columns().stream().map(Column::name).toList();
        }
        if (table.column(from).isPresent()) {
            return "table " + tableName + " still has the column '" + from + "', so it was not renamed";
        }
        return null;
    }

    private static String table(String from, String to, Collection<Table> tables) {
        if (named(to, tables).isEmpty()) {
            return noTable(to, tables);
        }
        if (named(from, tables).isPresent()) {
            return "the resources still have the table '" + from + "', so it was not renamed";
        }
        return null;
    }

    private static String move(String from, String to, Collection<Table> tables) {
        if (tables.stream().noneMatch(t -> (t.schema() + "." + t.name()).equals(to))) {
            return "the resources have no table " + to + "; tables: " + names(tables, true);
        }
        if (tables.stream().anyMatch(t -> (t.schema() + "." + t.name()).equals(from))) {
            return "the resources still have the table " + from + ", so it did not move";
        }
        return null;
    }

    /** The table of that name, or of that {@code schema.name}. */
    private static Optional<Table> named(String name, Collection<Table> tables) {
        return tables.stream().filter(t -> t.name().equals(name) || (t.schema() + "." + t.name()).equals(name))
                .findFirst();
    }

    private static String noTable(String name, Collection<Table> tables) {
        Optional<Table> resource = tables.stream().filter(t -> name.equals(t.resource())).findFirst();
        return "the resources have no table '" + name + "'" + resource.map(t -> " (resource '" + name
                + "' is stored in table '" + t.name() + "': hints name tables)").orElse("") + "; tables: "
                + names(tables, false);
    }

    private static TreeSet<String> names(Collection<Table> tables, boolean qualified) {
        TreeSet<String> names = new TreeSet<>();
        tables.forEach(t -> names.add(qualified ? t.schema() + "." + t.name() : t.name()));
        return names;
    }
}
