package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.internal.AggregateRules;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;

import java.util.List;
import java.util.Map;

/**
 * A resource's declared aggregate as the data layer renders it, resolved once: the relationships it goes over, the
 * destination's column it takes, and the shape of its values as if it were a column of the resource (read-only).
 *
 * @param path         the relationships from the resource to the records it aggregates, one or more
 * @param field        the path's destination's column it takes; {@code null} for count and exists, and for an
 *                     aggregate or calculation of the destination that it takes instead (see {@link #derivedField})
 * @param value        its values: the codec that reads them and binds the values compared with them
 * @param defaultValue the declared default as the value codec binds it, or {@code null}
 * @param custom       a custom aggregate's SQL with its {@code {attribute}} marks and its values, or {@code null}
 */
record AggregatePlan(Aggregate declared, List<Link> path, ColumnPlan field, ColumnPlan value, Object defaultValue,
                     Filter.Sql custom) implements DerivedPlan {

    AggregatePlan {
        path = List.copyOf(path);
    }

    /**
     * @param resources the domain's resources by name, for the type of a destination's aggregate or calculation that
     *                  the aggregate takes instead of an attribute
     */
    static AggregatePlan of(Aggregate declared, List<Link> path, Map<String, Resource> resources) {
        Link last = path.get(path.size() - 1);
        if (declared.kind().ordered() && declared.sorts().isEmpty() && !last.sorts().isEmpty()) {
            // Ash's first or list through a relationship with a sort (a has-one chosen from many) takes its order.
            declared = new Aggregate(declared.name(), declared.kind(), declared.relationship(), declared.field(),
                    declared.filter(), last.sorts(), declared.defaultValue(), declared.uniq(), declared.includeNil(),
                    declared.custom());
        }
        boolean overDerived = declared.takesField() && last.destination().isDerived(declared.field());
        ColumnPlan field = declared.takesField() && !overDerived ? last.destination().column(declared.field()) : null;
        Type fieldType = overDerived ? AggregateRules.fieldType(resources, last.destination().resource(),
                declared.field()) : field == null ? null : field.attribute().type();
        Type type = declared.type(fieldType);
        // min, max and first read as the column does (its migration type included); list as an array of it.
        Codec codec = switch (declared.kind()) {
            case MIN, MAX, FIRST -> field == null ? Codecs.of(fieldType) : field.codec();
            case LIST -> field == null ? Codecs.of(type) : field.listCodec();
            default -> Codecs.of(type);
        };
        String resource = path.get(0).source().name();
        return new AggregatePlan(declared, path, field, DerivedPlan.valueColumn(declared.name(), type, codec),
                defaultValue(declared, resource, codec), custom(declared, resource));
    }

    /** A custom aggregate's SQL, its values checked now, when the data layer starts, rather than at the first read. */
    private static Filter.Sql custom(Aggregate declared, String resource) {
        if (declared.custom() == null) {
            return null;
        }
        declared.custom().values().forEach(value -> Codecs.forValue(resource, value));
        return new Filter.Sql(declared.custom().sql(), declared.custom().values());
    }

    private static Object defaultValue(Aggregate declared, String resource, Codec codec) {
        if (declared.defaultValue() == null) {
            return null;
        }
        try {
            return codec.toDatabase(declared.defaultValue());
        } catch (Codec.RejectedValue e) {
            throw DefinitionException.of(resource, declared.name(), "the default " + declared.defaultValue()
                    + " of aggregate '" + declared.name() + "' " + e.getMessage() + "; give withDefault(...) a value "
                    + "of the aggregate's type, " + codec.castType());
        }
    }

    /** The destination's aggregate or calculation it takes rather than a column, or {@code null}. */
    String derivedField() {
        return field == null && declared.takesField() ? declared.field() : null;
    }

    /** The relationship whose destination's records it aggregates: the path's last. */
    Link link() {
        return path.get(path.size() - 1);
    }

    @Override
    public String name() {
        return declared.name();
    }
}
