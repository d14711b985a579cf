package dev.ashlar.kernel.schema;

import dev.ashlar.spi.schema.Scope;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every table the resources call for: main tables first, then tenant tables, each in the domain's order.
 *
 * @param extensions the PostgreSQL extensions the domain needs
 * @param unmigrated the keys ({@link Table#key()}) of tables of resources that are not migrated
 */
public record DesiredSchema(List<Table> tables, List<String> extensions, Set<String> unmigrated) {

    public DesiredSchema {
        tables = List.copyOf(tables);
        extensions = List.copyOf(extensions);
        unmigrated = Set.copyOf(unmigrated);
    }

    /** Tables alone, with no extension and every table migrated. */
    public DesiredSchema(List<Table> tables) {
        this(tables, List.of(), Set.of());
    }

    public List<Table> tables(Scope scope) {
        return tables.stream().filter(t -> t.scope() == scope).toList();
    }

    public Optional<Table> table(String key) {
        return tables.stream().filter(t -> t.key().equals(key)).findFirst();
    }
}
