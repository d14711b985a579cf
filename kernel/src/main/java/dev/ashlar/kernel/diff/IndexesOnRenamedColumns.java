package dev.ashlar.kernel.diff;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An index on a column that is renamed: PostgreSQL renames the column inside the index too, so an index whose new
 * definition is its old one with the column's new name stays as it is, as AshPostgres leaves it, rather than being
 * dropped and built again. Only indexes: their SQL names the columns and the table, and a table named like the
 * column would not match; a foreign key could name another table like the column.
 */
final class IndexesOnRenamedColumns {
    private IndexesOnRenamedColumns() {
    }

    /**
     * The old object as the column renames leave it, when that is the new object; else the old object unchanged.
     *
     * @param renamed old column name to new, on the object's table
     */
    static SchemaObject follow(SchemaObject old, SchemaObject now, Map<String, String> renamed) {
        if (now == null || renamed.isEmpty()
                || !(old.kind().equals(ObjectKind.INDEX) || old.kind().equals(ObjectKind.IDENTITY))) {
            return old;
        }
        String up = old.up();
        for (Map.Entry<String, String> rename : renamed.entrySet()) {
            up = up.replace(Identifiers.quote(rename.getKey()), Identifiers.quote(rename.getValue()));
        }
        Map<String, Object> definition = new LinkedHashMap<>();
        old.definition().forEach((key, value) -> definition.put(key, value instanceof List<?> list
                ? list.stream().map(v -> v instanceof String s ? renamed.getOrDefault(s, s) : v).toList() : value));
        SchemaObject followed = old.toBuilder().definition(definition).up(up).down(now.down()).build();
        return followed.sameAs(now) ? followed : old;
    }
}
