package dev.ashlar.kernel.schema;

import dev.ashlar.spi.schema.Scope;

import java.util.List;
import java.util.Optional;

/** Every table the resources call for: main tables first, then tenant tables, each in the domain's order. */
public record DesiredSchema(List<Table> tables) {

    public DesiredSchema {
        tables = List.copyOf(tables);
    }

    public List<Table> tables(Scope scope) {
        return tables.stream().filter(t -> t.scope() == scope).toList();
    }

    public Optional<Table> table(String key) {
        return tables.stream().filter(t -> t.key().equals(key)).findFirst();
    }
}
