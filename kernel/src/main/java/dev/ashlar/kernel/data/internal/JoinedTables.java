package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Extending;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The tables a record of a resource extending another ({@code extending(parent)}) is stored in: the root's first,
 * then each table down the chain, the resource's own last (two for a child of a root, three for a dog that is a mammal
 * that is an animal). Every one holds the key; each other column is stored in exactly one.
 */
final class JoinedTables {
    /** One table of the chain and the attributes it stores besides the key. */
    record Table(String resource, String sql, List<Attribute> stored) {
    }

    private JoinedTables() {
    }

    /** The tables, root first, each qualified by {@code schema} when given, else by its own schema. */
    static List<Table> of(Resource resource, String schema) {
        List<Extending> ancestors = resource.tableOptions().extending().ancestors();
        List<Table> tables = new ArrayList<>(ancestors.size() + 1);
        for (Extending ancestor : ancestors) {
            tables.add(new Table(ancestor.parent(), qualify(schema, ancestor.schema(), ancestor.table()),
                    stored(resource, ancestor)));
        }
        tables.add(new Table(resource.name(), qualify(schema, resource.schema(), resource.table()),
                stored(resource, null)));
        return tables;
    }

    /** Which of {@link #of}'s tables stores the attribute; the key, stored in all, is read from the root's. */
    static int storing(Resource resource, Attribute attribute) {
        Extending storing = attribute.primaryKey() ? resource.tableOptions().extending().ancestors().get(0)
                : resource.tableOptions().extending().storing(attribute.columnName());
        return storing == null ? resource.tableOptions().extending().ancestors().size()
                : resource.tableOptions().extending().ancestors().indexOf(storing);
    }

    /** The alias of the table at this level of the chain in a statement naming several: {@code "ashlar_1"}. */
    static String alias(int level) {
        return Identifiers.quote("ashlar_" + level);
    }

    private static List<Attribute> stored(Resource resource, Extending ancestor) {
        Extending extending = resource.tableOptions().extending();
        return resource.attributes().stream().filter(a -> !a.primaryKey())
                .filter(a -> Objects.equals(extending.storing(a.columnName()), ancestor)).toList();
    }

    private static String qualify(String given, String own, String table) {
        return Identifiers.qualify(given != null ? given : own, table);
    }
}
