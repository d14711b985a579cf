package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records a merge or a create takes from a source that is not a list of records (jOOQ's
 * {@code mergeInto(T).using(select)} and {@code insertInto(T).select(select)}): a read of a resource, whose rows give
 * the target's fields under names the caller maps, or a statement written by hand, whose columns are named as the
 * target's fields. The source is read first, in the write's transaction, and its rows are then written as given
 * records are, so every check of the write holds for them.
 */
final class MergeSources {
    private MergeSources() {
    }

    /**
     * Refuses a map of fields that takes none, or names null, before the source is read.
     *
     * @param write the write, as a message names it: {@code "A merge into"}, {@code "A create of"}
     * @throws QueryException naming the target and the source, with an example of the map
     */
    static void refuseUnmapped(String write, String target, String source, Map<String, String> fields) {
        QueryException.required(fields, "fields");
        String example = ": map each field of " + target + " it writes to the field of " + source + " it comes from, "
                + "e.g. Map.of(\"sku\", \"sku\", \"qty\", \"on_hand\")";
        if (fields.isEmpty()) {
            throw QueryException.of(target, null, write + " " + target + " from a read of " + source + " takes "
                    + "no field" + example);
        }
        fields.forEach((into, from) -> {
            if (into == null || from == null) {
                throw QueryException.of(target, into, write + " " + target + " from a read of " + source
                        + " maps '" + into + "' to '" + from + "', and neither may be null" + example);
            }
        });
    }

    /**
     * Each field the source's rows give that the target declares, under its own name; the rows of a read all give
     * the same fields.
     *
     * @throws QueryException naming the target and the source when they share no field
     */
    static Map<String, String> sameNamed(String write, String target, Set<String> declared, String source,
                                         List<Row> rows) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (rows.isEmpty()) {
            return fields;
        }
        rows.get(0).fields().stream().filter(declared::contains).forEach(field -> fields.put(field, field));
        if (fields.isEmpty()) {
            throw QueryException.of(target, null, write + " " + target + " from a read of " + source + " takes "
                    + "the fields of both names, and they share none (" + source + " gives " + rows.get(0).fields()
                    + "): map the fields, createAll(\"" + target + "\", read, Map.of(\"<" + target + " field>\", \"<"
                    + source + " field>\"))");
        }
        return fields;
    }

    /**
     * Each row's values of the mapped source fields, under the target's field names.
     *
     * @param fields the target's field for each source field it takes: {@code Map.of("sku", "code")} writes the
     *               source's {@code code} into the target's {@code sku}
     * @throws QueryException naming the target, the source and the field when a row has no such field
     */
    static List<Map<String, ?>> taken(String write, String target, String source, List<Row> rows,
                                      Map<String, String> fields) {
        List<Map<String, ?>> records = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Map<String, Object> record = new LinkedHashMap<>();
            fields.forEach((into, from) -> {
                if (!row.fields().contains(from)) {
                    throw QueryException.of(target, into, write + " " + target + " takes '" + into + "' from "
                            + "the field '" + from + "' of " + source + ", which its read does not give (it gives "
                            + row.fields() + "): name one of those, or select it in the read");
                }
                record.put(into, row.get(from));
            });
            records.add(record);
        }
        return records;
    }

    /** Each row of a statement written by hand, its columns as the target's fields. */
    static List<Map<String, ?>> taken(List<Row> rows) {
        return rows.stream().<Map<String, ?>>map(Row::toMap).toList();
    }
}
