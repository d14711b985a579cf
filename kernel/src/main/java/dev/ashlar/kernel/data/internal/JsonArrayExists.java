package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;

import java.util.List;

/**
 * {@code exists} over the embedded records of a JSON attribute (AshPostgres's {@code exists(options, total_amt >
 * 100)} over an array of embedded resources): {@code EXISTS (SELECT 1 FROM (SELECT "options" AS "value") AS "r1",
 * jsonb_array_elements(<r1.value as an array>) AS "r2" WHERE ("r2"."value" #>> ?)::numeric > ?)}. Each element is
 * read as a JSON attribute {@code value} of a resource of its own, so its keys are filtered as any JSON path is
 * ({@link JsonPath}). A path's further names are arrays inside each element ({@code "options.line_items"}, as Ash
 * reads it), each key bound. An object counts as an array of itself and anything else (a missing key, a JSON
 * {@code null}, a number) as an empty one, so no element of it matches and {@code not(exists(...))} keeps its row.
 */
final class JsonArrayExists {
    private static final String VALUE = "value";
    private static final Codec KEY = TextCodec.text(null);

    private JsonArrayExists() {
    }

    /** Whether the plan is that of an embedded record, as this class reads one. */
    static boolean isElement(ResourcePlan plan) {
        return plan.isElement();
    }

    /** What an embedded record's key is called in messages: {@code estimate.options[].total_amt}. */
    static String described(ResourcePlan element, List<String> keys) {
        return element.name() + "[]." + String.join(".", keys);
    }

    /**
     * The plan an embedded record is read with: named {@code estimate.options} so that a refusal names where the
     * record is, holding the record as its one JSON attribute {@code value}. Its table is a fixed short name, never
     * written in SQL: the descriptive name can be longer than an identifier may be. Made once per path of the owner
     * ({@link ResourcePlan#element}), as the binding pass of every cached read asks for it again.
     */
    private static ResourcePlan element(ResourcePlan owner, String path) {
        return owner.element(path, p -> new ResourcePlan(Resource.builder(owner.name() + "." + p).table("element")
                .attribute(VALUE, Type.JSON).build(), null));
    }

    /** Whether the path starts with an attribute of the resource rather than a relationship. */
    static boolean applies(ResourcePlan plan, String path) {
        int dot = path.indexOf('.');
        return plan.hasAttribute(dot < 0 ? path : path.substring(0, dot));
    }

    /**
     * Writes the {@code EXISTS}.
     *
     * @param from   the row whose JSON attribute the path starts with
     * @param parent the row {@code parent(...)} names inside: the one the whole {@code exists} starts from, as in Ash
     *               ({@code exists("estimates.options", eq("name", parent("name")))} on a company names the company)
     * @throws QueryException naming the field when the attribute is not JSON
     */
    static void exists(FilterRenderer from, String path, Filter inner, RelatedSql related, FilterRenderer parent) {
        List<String> names = List.of(path.split("\\.", -1));
        ColumnPlan column = from.plan().column(names.get(0));
        if (!(column.codec() instanceof JsonCodec) || names.contains("")) {
            throw QueryException.of(from.plan().name(), names.get(0), "exists(\"" + path + "\") on "
                    + from.plan().name() + " looks inside '" + column.name() + "', which is a "
                    + column.attribute().type() + " attribute: exists follows a relationship, or the records "
                    + "embedded in a JSON attribute (names between dots: exists(\"options.line_items\", ...))");
        }
        SqlWriter out = from.out();
        String holder = related.nextAlias();
        out.append("EXISTS (SELECT 1 FROM (SELECT ").append(from.compared(column)).append(" AS \"value\") AS ")
                .append(holder);
        ResourcePlan element = element(from.plan(), path);
        level(out, holder, names.subList(1, names.size()), inner, related, parent, element);
        out.append(")");
    }

    /** The elements of {@code <holder>.value}, then the rest of the path inside each, then the filter. */
    private static void level(SqlWriter out, String holder, List<String> rest, Filter inner, RelatedSql related,
                              FilterRenderer parent, ResourcePlan elementPlan) {
        String array = holder + ".\"value\"";
        String element = related.nextAlias();
        out.append(", jsonb_array_elements(CASE jsonb_typeof(").append(array).append(") WHEN 'array' THEN ")
                .append(array).append(" WHEN 'object' THEN jsonb_build_array(").append(array).append(") END) AS ")
                .append(element);
        if (!rest.isEmpty()) {
            String next = related.nextAlias();
            out.append(", LATERAL (SELECT ").append(element).append(".\"value\" -> ").bind(KEY, rest.get(0))
                    .append(" AS \"value\") AS ").append(next);
            level(out, next, rest.subList(1, rest.size()), inner, related, parent, elementPlan);
        } else if (inner != null) {
            out.append(" WHERE ");
            new FilterRenderer(elementPlan, out, related, element + ".").under(parent).filter(insideValue(inner));
        }
    }

    /** The filter over an element's keys as paths inside its {@code value}. */
    private static Filter insideValue(Filter filter) {
        if (filter instanceof Filter.And and) {
            return new Filter.And(and.filters().stream().map(JsonArrayExists::insideValue).toList());
        } else if (filter instanceof Filter.Or or) {
            return new Filter.Or(or.filters().stream().map(JsonArrayExists::insideValue).toList());
        } else if (filter instanceof Filter.Not not) {
            return new Filter.Not(insideValue(not.filter()));
        } else if (filter instanceof Filter.Exists exists) {
            return new Filter.Exists(VALUE + "." + exists.relationship(), exists.filter());
        } else if (filter instanceof Filter.Raise raise) {
            return new Filter.Raise(raise.when() == null ? null : insideValue(raise.when()), raise.message(),
                    raise.field(), raise.details());
        } else if (filter instanceof Filter.Count || filter instanceof Filter.Sql) {
            return filter;
        }
        return FilterPaths.withField(filter, VALUE + "." + FilterPaths.field(filter));
    }
}
