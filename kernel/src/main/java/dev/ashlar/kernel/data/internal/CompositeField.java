package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.sql.Identifiers;

/**
 * A field of a composite attribute, as a dotted field names it: {@code "price.currency"} is the field
 * {@code currency} of the attribute {@code price}, written {@code ("price")."currency"} and compared as the field's
 * type. The field's name comes from the domain (checked against the type's fields), its value is bound.
 */
record CompositeField(ColumnPlan column, String name, Codec codec) {

    /**
     * The field a dotted name points at when its first segment is a composite attribute of the resource, or null
     * when it is not one (a JSON path, or a path through relationships).
     *
     * @throws QueryException when the type has no such field
     */
    static CompositeField of(ResourcePlan plan, String field) {
        int dot = field.indexOf('.');
        if (dot <= 0 || !plan.hasAttribute(field.substring(0, dot))) {
            return null;
        }
        ColumnPlan column = plan.column(field.substring(0, dot));
        if (!(column.codec() instanceof CompositeCodec composite)) {
            return null;
        }
        String name = field.substring(dot + 1);
        Codec codec = composite.field(name);
        if (codec == null) {
            throw QueryException.of(plan.name(), field, "'" + field + "' on " + plan.name() + " names no field of "
                    + "composite type " + composite + " of '" + column.name() + "'; its fields are "
                    + composite.fieldNames());
        }
        return new CompositeField(column, name, codec);
    }

    /** {@code ("price")."currency"}. */
    void value(FilterRenderer from) {
        from.out().append("(").append(from.column(column)).append(").").append(Identifiers.quote(name));
    }

    /** Writes a leaf filter on this field: a comparison with a value or null, {@code in}, or {@code isNil}. */
    void filter(FilterRenderer from, Filter leaf) {
        SqlWriter out = from.out();
        if (leaf instanceof Filter.Compare compare && !(compare.value() instanceof Filter.Ref
                || compare.value() instanceof Filter.Parent || compare.value() instanceof Filter.Incoming)) {
            value(from);
            if (compare.value() == null && compare.operator() == Filter.Operator.EQ) {
                out.append(" IS NULL");
            } else if (compare.value() == null && compare.operator() == Filter.Operator.NE) {
                out.append(" IS NOT NULL");
            } else if (compare.value() == null) {
                throw refused(from, compare.operator() + " cannot compare with null; use isNil/notNil");
            } else {
                out.append(" ").append(compare.operator().sql()).append(" ")
                        .bind(codec, from.plan().filterValue(column, codec, compare.value()));
            }
        } else if (leaf instanceof Filter.In in) {
            ArrayCodec list = new ArrayCodec(codec);
            value(from);
            out.inList(new Bind(list, from.plan().filterValue(column, list, in.values())), in.values().size());
        } else if (leaf instanceof Filter.IsNil isNil) {
            value(from);
            out.append(isNil.nil() ? " IS NULL" : " IS NOT NULL");
        } else {
            throw refused(from, "a field of a composite attribute takes eq, ne, gt, gte, lt, lte, in and isNil");
        }
    }

    private QueryException refused(FilterRenderer from, String problem) {
        return QueryException.of(from.plan().name(), column.name() + "." + name, "Filter on " + from.plan().name()
                + "." + column.name() + "." + name + ", a field of a composite attribute: " + problem);
    }
}
