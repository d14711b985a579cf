package dev.ashlar.kernel.snapshot;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a snapshot edited by hand or by a merge can get wrong while every field keeps its type: a column or object
 * recorded twice, a primary key naming a column the snapshot does not hold, a column type that is no type. Read as
 * written, each would be diffed against without a word: a duplicate hidden behind the first of its name, a key
 * migrated onto nothing, a type's text copied into the generated DDL.
 */
final class TableConsistency {
    private TableConsistency() {
    }

    /** @throws JsonFields.Invalid naming the field that is inconsistent and what it clashes with */
    static void check(Table table) {
        if (table.scope() == Scope.MAIN && table.schema() == null) {
            throw new JsonFields.Invalid("'schema' is missing, which the snapshot of a main table records");
        }
        refuseIdentifier("schema", table.schema());
        refuseIdentifier("table", table.name());
        Set<String> columns = new HashSet<>();
        List<Column> all = table.columns();
        for (int i = 0; i < all.size(); i++) {
            Column column = all.get(i);
            refuseIdentifier("columns[" + i + "].name", column.name());
            if (!columns.add(column.name())) {
                throw new JsonFields.Invalid("'columns[" + i + "].name' is \"" + column.name() + "\", a column the "
                        + "snapshot records before it: a column is recorded once");
            }
            if (!isType(column.type())) {
                throw new JsonFields.Invalid("'columns[" + i + "].type' is \"" + column.type() + "\", which is no "
                        + "column type (it holds ';', a comment or unbalanced parentheses or quotes)");
            }
        }
        for (String key : table.primaryKey()) {
            if (!columns.contains(key)) {
                throw new JsonFields.Invalid("'primary_key' names column \"" + key + "\", which 'columns' does not "
                        + "hold");
            }
        }
        Set<String> objects = new HashSet<>();
        for (SchemaObject object : table.objects()) {
            if (!objects.add(object.kind() + " " + object.name())) {
                throw new JsonFields.Invalid("'objects' records " + object.kind() + " \"" + object.name() + "\" "
                        + "twice: an object is recorded once");
            }
        }
    }

    private static void refuseIdentifier(String field, String name) {
        String problem = name == null ? null : Identifiers.problem(name);
        if (problem != null) {
            throw new JsonFields.Invalid("'" + field + "' is \"" + name + "\", which " + problem);
        }
    }

    /**
     * Whether a column type, outside its quoted texts and names, holds nothing that ends a statement or starts a
     * comment, which a type copied into ALTER TABLE ... TYPE would carry along, and balances its parentheses. Quoted
     * parts are skipped: a migration type may be a generated column whose expression quotes any text
     * ({@code text GENERATED ALWAYS AS ('"' || title || '" -- (draft') STORED}), and its snapshot must read back.
     */
    private static boolean isType(String type) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            char next = i + 1 < type.length() ? type.charAt(i + 1) : 0;
            if (quote != 0) {
                // A doubled quote inside closes and opens again, which leaves it open.
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ';' || c == '-' && next == '-' || c == '/' && next == '*' || c == ')' && --depth < 0) {
                return false;
            } else if (c == '(') {
                depth++;
            }
        }
        return depth == 0 && quote == 0;
    }
}
