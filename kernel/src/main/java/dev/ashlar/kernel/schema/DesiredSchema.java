package dev.ashlar.kernel.schema;

import dev.ashlar.spi.schema.Scope;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every table the resources call for: main tables first, then tenant tables, each in the domain's order.
 *
 * @param extensions the PostgreSQL extensions the domain needs
 * @param unmigrated the keys ({@link Table#key()}) of tables of resources that are not migrated
 * @param ignored    by table key, the columns of attributes left out of migrations ({@code migrationIgnore}): a
 *                   column of theirs that a snapshot records stays as it is, never dropped
 */
public record DesiredSchema(List<Table> tables, List<String> extensions, Set<String> unmigrated,
                            Map<String, Set<String>> ignored) {

    public DesiredSchema {
        tables = List.copyOf(tables);
        extensions = List.copyOf(extensions);
        unmigrated = Set.copyOf(unmigrated);
        ignored = Map.copyOf(ignored);
    }

    /** Tables alone, with no extension and every table migrated. */
    public DesiredSchema(List<Table> tables) {
        this(tables, List.of(), Set.of(), Map.of());
    }

    public List<Table> tables(Scope scope) {
        return tables.stream().filter(t -> t.scope() == scope).toList();
    }

    /** Whether {@code column} of the table of {@code tableKey} stores an attribute left out of migrations. */
    public boolean ignores(String tableKey, String column) {
        return ignored.getOrDefault(tableKey, Set.of()).contains(column);
    }

    public Optional<Table> table(String key) {
        return tables.stream().filter(t -> t.key().equals(key)).findFirst();
    }
}
