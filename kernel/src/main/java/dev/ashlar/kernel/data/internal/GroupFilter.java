package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.sql.Identifiers;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The filter of a grouped read's {@code having(...)}, over the names its groups come back under: {@code "posts" >= ?};
 * and of a value's {@code filterWhere(...)}, over the read's rows: {@code count(*) FILTER (WHERE "grouped"."status" =
 * ?)}. Each value is bound as the type of the field or value it is compared with.
 */
final class GroupFilter {
    private final String resource;
    private final Map<String, Codec> named;
    private final Function<String, String> column;
    private final String clause;
    private final String elsewhere;
    private final SqlWriter out;

    private GroupFilter(String resource, Map<String, Codec> named, Function<String, String> column, String clause,
                        String elsewhere, SqlWriter out) {
        this.resource = resource;
        this.named = named;
        this.column = column;
        this.clause = clause;
        this.elsewhere = elsewhere;
        this.out = out;
    }

    /** Writes a {@code having(...)} condition into {@code out}, over the groups' columns by their names. */
    static void render(String resource, Map<String, Codec> named, Filter filter, SqlWriter out) {
        new GroupFilter(resource, named, Identifiers::quote, "having(...)", "filter the rows before they are grouped "
                + "with where(...)", out).filter(filter);
    }

    /**
     * Writes a {@code filterWhere(...)} condition into {@code out}, over the read's rows: {@code column} gives each
     * field's SQL, {@code named} its codec.
     */
    static void renderRows(String resource, Map<String, Codec> named, Function<String, String> column, Filter filter,
                           SqlWriter out) {
        new GroupFilter(resource, named, column, "filterWhere(...)", "a condition through a relationship belongs in "
                + "a declared aggregate or calculation, grouped by name", out).filter(filter);
    }

    /** The fields a filter of the kinds these clauses take names, in order; those of other kinds are refused later. */
    static Set<String> fields(Filter filter) {
        Set<String> fields = new LinkedHashSet<>();
        collect(filter, fields);
        return fields;
    }

    private static void collect(Filter filter, Set<String> fields) {
        if (filter instanceof Filter.And and) {
            and.filters().forEach(each -> collect(each, fields));
        } else if (filter instanceof Filter.Or or) {
            or.filters().forEach(each -> collect(each, fields));
        } else if (filter instanceof Filter.Not not) {
            collect(not.filter(), fields);
        } else if (filter instanceof Filter.IsNil isNil) {
            fields.add(isNil.field());
        } else if (filter instanceof Filter.In in) {
            fields.add(in.field());
        } else if (filter instanceof Filter.Compare compare) {
            fields.add(compare.field());
            if (compare.value() instanceof Filter.Ref ref) {
                fields.add(ref.field());
            }
        }
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
            throw QueryException.of(resource, null, clause + " on a grouped read of " + resource + " compares "
                    + "fields with eq, ne, gt, gte, lt, lte, between, in, notIn, isNil and notNil, joined by and, or "
                    + "and not; it takes no " + kind(filter) + ": " + elsewhere);
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
            throw QueryException.of(resource, compare.field(), clause + " on a grouped read of " + resource
                    + " compares '" + compare.field() + "' with " + (value == null ? "null, which no ordering holds"
                    : "a value of another record") + ": compare it with a value or with ref(name) of another "
                    + "field");
        } else {
            out.bind(value(compare.field(), codec(compare.field()), value));
        }
    }

    private Bind value(String field, Codec codec, Object value) {
        try {
            return Bind.compared(codec, value);
        } catch (Codec.RejectedValue e) {
            throw QueryException.of(resource, field, clause + " on a grouped read of " + resource + " compares '"
                    + field + "': the value " + e.getMessage());
        }
    }

    private String name(String field) {
        codec(field);
        return column.apply(field);
    }

    private Codec codec(String field) {
        Codec codec = named.get(field);
        if (codec == null) {
            throw QueryException.of(resource, field, clause + " on a grouped read of " + resource + " names '"
                    + field + "'" + ClosestName.hint(field, named.keySet()) + ", which it cannot compare: it names "
                    + List.copyOf(named.keySet()) + "; or " + elsewhere);
        }
        return codec;
    }

    private static String kind(Filter filter) {
        return filter instanceof Filter.Like like ? (like.caseInsensitive() ? "ilike" : "like")
                : filter.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
