package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;

import java.util.List;

/**
 * A path inside a JSON attribute, as a dotted field names it: {@code "bio.title"} is the key {@code title} of the
 * attribute {@code bio}, and a number steps into an array ({@code "tags.0"}). The keys are bound as one text array
 * ({@code "bio" #>> ?}), never written into the SQL, so any key is safe and the path is not part of the statement.
 *
 * <p>A missing key and a JSON {@code null} are both SQL {@code NULL}: {@code isNil} matches them and no comparison
 * does. A comparison reads the value as the type of the value it is given: text for a string, {@code numeric} for a
 * number, {@code boolean} for a boolean, {@code date} for a {@code LocalDate} and so on ({@link JsonValue}).
 */
record JsonPath(ColumnPlan column, List<String> keys) {
    private static final ArrayCodec KEYS = new ArrayCodec(TextCodec.text(null));

    /**
     * The path a field names when its first segment is an attribute of the resource, or null when it is not one (a
     * plain field, or a path through relationships).
     *
     * @throws dev.ashlar.api.error.AshlarException when the attribute is not JSON or a key is empty
     */
    static JsonPath of(ResourcePlan plan, String field) {
        int dot = field.indexOf('.');
        if (dot <= 0 || !plan.hasAttribute(field.substring(0, dot))) {
            return null;
        }
        ColumnPlan column = plan.column(field.substring(0, dot));
        if (!(column.codec() instanceof JsonCodec)) {
            throw QueryException.of(plan.name(), field, "'" + field + "' on " + plan.name() + " looks inside '"
                    + column.name() + "', which is a " + column.attribute().type() + " attribute: only a JSON "
                    + "attribute has keys to follow; a dotted field otherwise starts with a relationship");
        }
        List<String> keys = List.of(field.substring(dot + 1).split("\\.", -1));
        if (keys.contains("")) {
            throw QueryException.of(plan.name(), field, "'" + field + "' on " + plan.name() + " has an empty key: "
                    + "write each key of the path inside '" + column.name() + "' between dots, e.g. '"
                    + column.name() + ".title'");
        }
        try {
            KEYS.toDatabase(keys);
        } catch (Codec.RejectedValue e) {
            // The keys are bound as text: one the server cannot read would fail the statement with a bare 22021.
            throw QueryException.of(plan.name(), field, "The path '" + field.replace("\0", "\\u0000") + "' on "
                    + plan.name() + " has a key that " + e.getMessage() + "; remove it from the key");
        }
        return new JsonPath(column, keys);
    }

    /** The value at the path as text ({@code NULL} when missing or JSON null), as filters read it. */
    void text(FilterRenderer from) {
        from.out().append("(").append(from.compared(column)).append(" #>> ").bind(KEYS, keys).append(")");
    }

    /**
     * The value at the path as {@code jsonb}, as a sort orders it: numbers by value, text by the database's
     * collation. A JSON {@code null} becomes SQL {@code NULL}, so it sorts with the missing keys.
     */
    void sortKey(FilterRenderer from) {
        from.out().append("NULLIF(");
        json(from);
        from.out().append(", 'null')");
    }

    /** The value at the path read as the type of a value compared with it. */
    void typed(FilterRenderer from, JsonValue as) {
        text(from);
        from.out().append(as.cast());
    }

    /** The name written in the filter, for messages. */
    String field() {
        return column.name() + "." + String.join(".", keys);
    }

    /** Writes a leaf filter on this path. */
    void filter(FilterRenderer from, Filter leaf) {
        SqlWriter out = from.out();
        if (leaf instanceof Filter.Compare compare) {
            compare(from, compare);
        } else if (leaf instanceof Filter.In in) {
            JsonValue as = JsonValue.ofAll(in.values(), problem -> refused(from, problem));
            typed(from, as);
            out.inList(new Bind(as.list(), value(from, as.list(), in.values().stream().map(as::convert).toList())),
                    in.values().size());
        } else if (leaf instanceof Filter.IsNil isNil) {
            text(from);
            out.append(isNil.nil() ? " IS NULL" : " IS NOT NULL");
        } else if (leaf instanceof Filter.Like like) {
            text(from);
            out.append(like.caseInsensitive() ? " ILIKE " : " LIKE ")
                    .bind(JsonValue.TEXT.codec(), value(from, JsonValue.TEXT.codec(), like.pattern()));
        } else if (leaf instanceof Filter.Contains contains) {
            contains(from, contains.element());
        } else if (leaf instanceof Filter.RangeCompare range) {
            throw refused(from, range.operator().method() + " compares a range attribute; the value at a JSON path "
                    + "is no range");
        } else if (leaf instanceof Filter.ArrayCompare array) {
            throw refused(from, array.operator().method() + " compares an array attribute; for a JSON array at a path "
                    + "use contains");
        } else if (leaf instanceof Filter.TextSearch) {
            throw refused(from, "textSearch searches a text attribute; the value at a JSON path is searched with "
                    + "Filter.sql(\"to_tsvector(...) @@ websearch_to_tsquery(...)\", ...)");
        } else if (leaf instanceof Filter.PathCompare) {
            throw refused(from, "ancestorOf, descendantOf and matches compare an ltree attribute; the value at a "
                    + "JSON path is no ltree");
        } else {
            throw new IllegalArgumentException("not a leaf filter on a field: " + leaf);
        }
    }

    /**
     * An array at the path holds the element (Ash's {@code "email" in settings["dues_reminders"]}), compared as JSON
     * so {@code "mat"} is not found in {@code ["math"]}; text at the path holds a string anywhere in it.
     */
    private void contains(FilterRenderer from, Object element) {
        if (element == null) {
            throw refused(from, "contains cannot look for null; use isNil");
        }
        JsonValue as = JsonValue.of(element, problem -> refused(from, problem));
        if (!as.plainJson()) {
            // The server's JSON form of a time (to_jsonb) is not always the one written ("+00:00" for "Z").
            throw refused(from, "contains compares elements as JSON, so it looks for text, a number or a boolean, "
                    + "not a " + element.getClass().getName() + "; give a date or time as the text stored");
        }
        SqlWriter out = from.out();
        if (as == JsonValue.TEXT) {
            out.append("CASE WHEN jsonb_typeof(");
            json(from);
            out.append(") = 'array' THEN ");
        }
        out.append("(");
        json(from);
        // The cast names the element's type: jsonb_build_array takes any, so an untyped bind has none.
        out.append(" @> jsonb_build_array(").bind(as.codec(), value(from, as.codec(), as.convert(element)))
                .append(as == JsonValue.TEXT ? "::text" : as.cast()).append("))");
        if (as == JsonValue.TEXT) {
            out.append(" ELSE strpos(");
            text(from);
            out.append(", ").bind(as.codec(), value(from, as.codec(), as.convert(element))).append(") > 0 END");
        }
    }

    /** The value at the path as {@code jsonb} ({@code NULL} when missing). */
    private void json(FilterRenderer from) {
        from.out().append("(").append(from.compared(column)).append(" #> ").bind(KEYS, keys).append(")");
    }

    private void compare(FilterRenderer from, Filter.Compare compare) {
        Object value = compare.value();
        if (value == null) {
            if (compare.operator() != Filter.Operator.EQ && compare.operator() != Filter.Operator.NE) {
                throw refused(from, compare.operator() + " cannot compare with null; use isNil/notNil");
            }
            text(from);
            from.out().append(compare.operator() == Filter.Operator.EQ ? " IS NULL" : " IS NOT NULL");
            return;
        }
        if (value instanceof Filter.Parent ref) {
            compareWithParent(from, compare.operator(), ref);
            return;
        }
        if (value instanceof Filter.Ref || value instanceof Filter.Incoming) {
            throw refused(from, "a path inside JSON compares with a value or a parent's field, not with another field");
        }
        JsonValue as = JsonValue.of(value, problem -> refused(from, problem));
        typed(from, as);
        from.out().append(" ").append(compare.operator().sql()).append(" ")
                .bind(as.codec(), value(from, as.codec(), as.convert(value)));
    }

    /**
     * {@code eq("name", parent("name"))} inside an embedded record (Ash's {@code parent(name)} in {@code exists} over
     * embedded resources): the value at the path read as the parent's column type, compared with that column.
     */
    private void compareWithParent(FilterRenderer from, Filter.Operator operator, Filter.Parent ref) {
        if (ref.field().indexOf('.') > 0) {
            throw refused(from, "parent(\"" + ref.field() + "\") follows the parent's relationships, which a key "
                    + "inside JSON is not compared with; compare with a field of the parent itself");
        }
        StringBuilder parentSql = new StringBuilder();
        ColumnPlan parentColumn = from.parentOperand(ref, parentSql);
        Codec codec = parentColumn.codec();
        if (codec instanceof JsonCodec || codec instanceof ArrayCodec || codec instanceof CompositeCodec) {
            throw refused(from, "parent(\"" + ref.field() + "\") is a " + parentColumn.attribute().type()
                    + " attribute; a key inside JSON is compared with a parent's scalar field (text, a number, a "
                    + "boolean, a date or time, a uuid)");
        }
        text(from);
        from.out().append("::").append(codec.castType()).append(" ").append(operator.sql()).append(" ")
                .append(parentSql.toString());
    }

    private Object value(FilterRenderer from, Codec codec, Object value) {
        return from.plan().filterValue(column, codec, value);
    }

    private QueryException refused(FilterRenderer from, String problem) {
        if (JsonArrayExists.isElement(from.plan())) {
            // An embedded record's keys: named by the resource, the attribute and the key, not the internal plan.
            String where = JsonArrayExists.described(from.plan(), keys);
            String resource = where.substring(0, where.indexOf('.'));
            return QueryException.of(resource, where.substring(resource.length() + 1), "Filter on " + where
                    + ", a key of the records embedded in JSON: " + problem);
        }
        return QueryException.of(from.plan().name(), field(), "Filter on " + from.plan().name() + "." + field()
                + ", a path inside JSON: " + problem);
    }
}
