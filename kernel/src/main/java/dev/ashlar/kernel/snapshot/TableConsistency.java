package dev.ashlar.kernel.snapshot;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a snapshot edited by hand or by a merge can get wrong while every field keeps its type: a column or object
 * recorded twice, a primary key naming a column the snapshot does not hold, a column type that is no type. Read as
 * written, each would be diffed against without a word: a duplicate hidden behind the first of its name, a key
 * migrated onto nothing, a type's text copied into the generated DDL.
 */
final class TableConsistency {
    // A column type is a name with an optional modifier, array brackets or a quoted schema: nothing that ends a
    // statement or starts a comment, which a type copied into ALTER TABLE ... TYPE would carry along.
    private static final Pattern NO_TYPE = Pattern.compile(";|--|/\\*");

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
            if (NO_TYPE.matcher(column.type()).find() || !balanced(column.type())) {
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

    private static boolean balanced(String type) {
        int depth = 0;
        boolean quoted = false;
        for (char c : type.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && --depth < 0) {
                return false;
            }
        }
        return depth == 0 && !quoted;
    }
}
