package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.sql.Identifiers;

import java.util.List;
import java.util.Map;

/**
 * The filter of a grouped read's {@code having(...)}, over the names its groups come back under: {@code "posts" >= ?}.
 * It is rendered over the grouped rows as a sub-select, where those names are columns, and each value is bound as
 * the type of the field or value it is compared with.
 */
final class GroupFilter {
    private final String resource;
    private final Map<String, Codec> named;
    private final SqlWriter out;

    private GroupFilter(String resource, Map<String, Codec> named, SqlWriter out) {
        this.resource = resource;
        this.named = named;
        this.out = out;
    }

    /** Writes the condition into {@code out}. */
    static void render(String resource, Map<String, Codec> named, Filter filter, SqlWriter out) {
        new GroupFilter(resource, named, out).filter(filter);
    }

    private void filter(Filter filter) {
        if (out.junction(filter, this::filter)) {
            return;
        }
        if (filter instanceof Filter.Not not) {
            out.append("NOT (");
            filter(not.filter());
            out.append(")");
        } else if (filter instanceof Filter.IsNil isNil) {
            out.append(name(isNil.field())).append(isNil.nil() ? " IS NULL" : " IS NOT NULL");
        } else if (filter instanceof Filter.Compare compare) {
            compare(compare);
        } else if (filter instanceof Filter.In in) {
            Codec codec = codec(in.field());
            if (in.values().isEmpty()) {
                out.append("FALSE");
            } else {
                out.append(name(in.field())).inList(value(in.field(), new ArrayCodec(codec), in.values()),
                        in.values().size());
            }
        } else {
            throw QueryException.of(resource, null, "having(...) on a grouped read of " + resource + " compares the "
                    + "grouped fields and values with eq, ne, gt, gte, lt, lte, between, in, notIn, isNil and notNil, "
                    + "joined by and, or and not; it takes no " + kind(filter) + ": filter the rows before they are "
                    + "grouped with where(...)");
        }
    }

    private void compare(Filter.Compare compare) {
        Object value = compare.value();
        if (value == null && (compare.operator() == Filter.Operator.EQ || compare.operator() == Filter.Operator.NE)) {
            out.append(name(compare.field())).append(compare.operator() == Filter.Operator.EQ ? " IS NULL"
                    : " IS NOT NULL");
            return;
        }
        out.append(name(compare.field())).append(" ").append(compare.operator().sql()).append(" ");
        if (value instanceof Filter.Ref ref) {
            out.append(name(ref.field()));
        } else if (value instanceof Filter.Parent || value instanceof Filter.Incoming || value == null) {
            throw QueryException.of(resource, compare.field(), "having(...) on a grouped read of " + resource
                    + " compares '" + compare.field() + "' with " + (value == null ? "null, which no ordering holds"
                    : "a value of another record") + ": compare it with a value or with ref(name) of another "
                    + "grouped field or value");
        } else {
            out.bind(value(compare.field(), codec(compare.field()), value));
        }
    }

    private Bind value(String field, Codec codec, Object value) {
        try {
            return Bind.compared(codec, value);
        } catch (Codec.RejectedValue e) {
            throw QueryException.of(resource, field, "having(...) on a grouped read of " + resource + " compares '"
                    + field + "': the value " + e.getMessage());
        }
    }

    private String name(String field) {
        codec(field);
        return Identifiers.quote(field);
    }

    private Codec codec(String field) {
        Codec codec = named.get(field);
        if (codec == null) {
            throw QueryException.of(resource, field, "having(...) on a grouped read of " + resource + " names '"
                    + field + "'" + ClosestName.hint(field, named.keySet()) + ", which is no grouped field or value: "
                    + "it names " + List.copyOf(named.keySet()) + ", or filter the rows before they are grouped with "
                    + "where(...)");
        }
        return codec;
    }

    private static String kind(Filter filter) {
        return filter instanceof Filter.Like like ? (like.caseInsensitive() ? "ilike" : "like")
                : filter.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
