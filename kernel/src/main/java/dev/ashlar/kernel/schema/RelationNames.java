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
 * PostgreSQL keeps tables, indexes (a primary key's among them) and sequences in one namespace per schema: an index
 * named like a table, or like another table's primary key, fails its migration with "relation ... already exists",
 * and so does a table named like another table's primary key. An identity column's sequence named like another
 * relation is quietly named {@code ..._seq1} instead, which a later rename of its table or column would miss.
 */
final class RelationNames {
    private RelationNames() {
    }

    /** @throws DefinitionException naming every resource whose name (given or derived) is taken, and what to change */
    static void check(String domain, List<Table> tables) {
        Map<String, String> relations = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Table table : tables) {
            relations.put(key(table, table.name()), "table " + table.key());
        }
        for (Table table : tables) {
            if (!table.primaryKey().isEmpty()) {
                String name = Names.primaryKey(table.name());
                claim(relations, problems, table, name, "the primary key of table " + table.key(), "table",
                        "the primary key '" + name + "' of table " + table.key(), "rename one of the tables with "
                                + ".table(...)");
            }
        }
        for (Table table : tables) {
            for (Column column : table.columns().stream().filter(Column::identity).toList()) {
                String name = Names.identitySequence(table.name(), column.name());
                // PostgreSQL would quietly pick another name (..._seq1), which a later rename would miss.
                String owner = "the sequence '" + name + "' of identity column " + table.key() + "." + column.name();
                claim(relations, problems, table, name, owner, column.attributeName(), owner, "rename the table with "
                        + ".table(...) or the column with a -> a.column(...)");
            }
        }
        for (Table table : tables) {
            for (SchemaObject object : table.objects()) {
                if (object.kind().equals(ObjectKind.INDEX) || object.kind().equals(ObjectKind.IDENTITY)) {
                    String owner = object.kind().name() + " index '" + object.name() + "' on table " + table.key();
                    claim(relations, problems, table, object.name(), owner, null, owner, "give it another name (an "
                            + "identity's indexName(...), a custom index's name(...))");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(domain, problems);
        }
    }

    /** Records that {@code owner} takes {@code name}, or a problem on the table's resource when another already has. */
    private static void claim(Map<String, String> relations, List<Problem> problems, Table table, String name,
                              String owner, String field, String subject, String fix) {
        String taken = relations.putIfAbsent(key(table, name), owner);
        if (taken != null) {
            problems.add(new Problem(table.resource(), field, subject + " is named like " + taken + ", and PostgreSQL "
                    + "keeps tables, indexes and sequences in one namespace per schema: " + fix));
        }
    }

    private static String key(Table table, String name) {
        return table.scope() + "/" + table.schema() + "/" + name;
    }
}
