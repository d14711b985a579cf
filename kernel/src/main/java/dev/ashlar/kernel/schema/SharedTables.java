package dev.ashlar.kernel.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Merges the tables of resources that share one, as AshPostgres does: every resource's columns, the same
 * type required where two declare one; {@code NOT NULL} only if every resource declares the column so (a
 * resource without it inserts null); a default only if every resource that declares the column agrees.
 */
final class SharedTables {
    private final List<Problem> problems = new ArrayList<>();

    /** The tables with those of one key merged into the first, in their order. */
    static List<Table> merge(String domain, List<Table> tables) {
        Map<String, List<Table>> byKey = new LinkedHashMap<>();
        tables.forEach(t -> byKey.computeIfAbsent(t.key(), k -> new ArrayList<>()).add(t));
        SharedTables merger = new SharedTables();
        List<Table> merged = byKey.values().stream().map(group -> group.size() == 1 ? group.get(0)
                : merger.merge(group)).toList();
        if (!merger.problems.isEmpty()) {
            throw new DefinitionException(domain, merger.problems);
        }
        return merged;
    }

    private Table merge(List<Table> group) {
        Table first = group.get(0);
        Set<String> names = new LinkedHashSet<>();
        group.forEach(t -> t.columns().forEach(c -> names.add(c.name())));
        List<Column> columns = new ArrayList<>();
        for (String name : names) {
            columns.add(column(group, name));
        }
        Map<String, dev.ashlar.spi.schema.SchemaObject> objects = new LinkedHashMap<>();
        String options = first.options();
        for (Table table : group.subList(1, group.size())) {
            same(first, table, "primary key", first.primaryKey(), table.primaryKey(), "give both the same primary key");
            if (table.options() != null) {
                same(first, table, "createTableOptions", options == null ? table.options() : options, table.options(),
                        "give the options on one of them only");
                options = table.options();
            }
        }
        group.forEach(t -> t.objects().forEach(o -> objects.putIfAbsent(o.name(), o)));
        return new Table(first.scope(), first.schema(), first.name(), first.resource(), columns, first.primaryKey(),
                List.copyOf(objects.values()), options);
    }

    private Column column(List<Table> group, String name) {
        Table owner = null;
        Column merged = null;
        boolean nullable = false;
        for (Table table : group) {
            Column column = table.column(name).orElse(null);
            if (column == null) {
                nullable = true;
                continue;
            }
            nullable |= column.nullable();
            if (merged == null) {
                owner = table;
                merged = column;
                continue;
            }
            same(owner, table, "column '" + name + "'", typeOf(merged), typeOf(column),
                    "declare it with the same type on both (or the same migrationType)");
            if (!Objects.equals(merged.defaultSql(), column.defaultSql())) {
                merged = new Column(name, merged.type(), merged.nullable(), null, merged.identity(), false,
                        merged.attribute(), merged.enumType(), merged.compositeType(), merged.sequence());
            }
        }
        return new Column(name, merged.type(), nullable, merged.defaultSql(), merged.identity(), false,
                merged.attribute(), merged.enumType(), merged.compositeType(), merged.sequence());
    }

    private static String typeOf(Column column) {
        return column.type() + (column.identity() ? " generated as identity" + (column.sequence() == null ? ""
                : " " + column.sequence().clause()) : "");
    }

    private void same(Table first, Table other, String what, Object expected, Object actual, String fix) {
        if (!expected.equals(actual)) {
            problems.add(new Problem(other.resource(), null, "shares table " + first.key() + " with resource '"
                    + first.resource() + "', but its " + what + " is " + actual + " where '" + first.resource()
                    + "' has " + expected + "; " + fix));
        }
    }
}
