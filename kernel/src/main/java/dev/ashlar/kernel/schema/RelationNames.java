package dev.ashlar.kernel.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.sql.Names;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL keeps tables and indexes (a primary key's among them) in one namespace per schema: an index named like a
 * table, or like another table's primary key, fails its migration with "relation ... already exists".
 */
final class RelationNames {
    private RelationNames() {
    }

    /** @throws DefinitionException naming every resource whose index takes such a name, and the option to change */
    static void check(String domain, List<Table> tables) {
        Map<String, String> relations = new HashMap<>();
        for (Table table : tables) {
            relations.put(key(table, table.name()), "table " + table.key());
            if (!table.primaryKey().isEmpty()) {
                relations.put(key(table, Names.primaryKey(table.name())), "the primary key of table " + table.key());
            }
        }
        List<Problem> problems = new ArrayList<>();
        for (Table table : tables) {
            for (SchemaObject object : table.objects()) {
                String taken = relations.get(key(table, object.name()));
                boolean index = object.kind().equals(ObjectKind.INDEX) || object.kind().equals(ObjectKind.IDENTITY);
                if (index && taken != null) {
                    problems.add(new Problem(table.resource(), null, object.kind().name() + " index '" + object.name()
                            + "' on table " + table.key() + " is named like " + taken + ", and PostgreSQL keeps "
                            + "indexes and tables in one namespace per schema: give it another name (an identity's "
                            + "indexName(...), a custom index's name(...))"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(domain, problems);
        }
    }

    private static String key(Table table, String name) {
        return table.scope() + "/" + table.schema() + "/" + name;
    }
}
