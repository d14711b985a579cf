package dev.ashlar.api.internal;

import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The problems of a resource's aggregates, once its relationships are resolved: each names the fix. */
final class AggregateRules {
    private final Map<String, Resource> resources;

    /** @param resources the domain's resolved resources, by name */
    AggregateRules(Map<String, Resource> resources) {
        this.resources = resources;
    }

    List<Problem> check(Resource resource) {
        List<Problem> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Aggregate aggregate : resource.aggregates()) {
            String problem = name(resource, aggregate, names);
            if (problem == null) {
                problem = relationship(resource, aggregate);
            }
            if (problem != null) {
                problems.add(new Problem(resource.name(), aggregate.name(), problem));
            }
        }
        return problems;
    }

    private static String name(Resource resource, Aggregate aggregate, Set<String> names) {
        String invalid = FieldNames.problem(aggregate.name());
        if (invalid != null) {
            return "the aggregate's name '" + aggregate.name() + "' " + invalid + "; rename the aggregate";
        }
        if (resource.attribute(aggregate.name()).isPresent() || resource.relationship(aggregate.name()).isPresent()
                || !names.add(aggregate.name())) {
            return "is used twice; attributes, relationships and aggregates share one namespace, so rename the "
                    + "aggregate";
        }
        return null;
    }

    private String relationship(Resource resource, Aggregate aggregate) {
        String kind = aggregate.kind().name().toLowerCase(Locale.ROOT);
        String path = aggregate.relationship();
        if (path == null || path.indexOf('.') >= 0) {
            return "the " + kind + " aggregate is over '" + path + "', but an aggregate goes over one relationship of "
                    + resource.name() + "; put the rest of a path in its filter, e.g. exists(\"author\", ...)";
        }
        Optional<Relationship> relationship = resource.relationship(path);
        if (relationship.isEmpty()) {
            return "the " + kind + " aggregate is over relationship '" + path + "', which " + resource.name()
                    + " does not have; name one of " + resource.relationships().stream().map(Relationship::name)
                    .toList();
        }
        Resource destination = resources.get(relationship.get().destination());
        return destination == null ? null : field(aggregate, kind, destination);
    }

    private static String field(Aggregate aggregate, String kind, Resource destination) {
        if (aggregate.kind() == Aggregate.Kind.FIRST && aggregate.sorts().isEmpty()) {
            return "the first aggregate needs an order to say which record is first, e.g. .first(\"" + aggregate.name()
                    + "\", \"" + aggregate.relationship() + "\", \"" + aggregate.field() + "\", Sort.desc(\"id\"))";
        }
        for (Sort sort : aggregate.sorts()) {
            if (sort.field().indexOf('.') < 0 && !sort.count() && destination.attribute(sort.field()).isEmpty()
                    && destination.aggregate(sort.field()).isEmpty()) {
                return "the " + kind + " aggregate sorts by '" + sort.field() + "', which " + destination.name()
                        + " does not have; sort by one of " + names(destination);
            }
        }
        if (!aggregate.kind().takesField()) {
            return null;
        }
        Optional<Attribute> field = aggregate.field() == null ? Optional.empty()
                : destination.attribute(aggregate.field());
        if (field.isEmpty()) {
            return "the " + kind + " aggregate takes attribute '" + aggregate.field() + "', which " + destination.name()
                    + " does not have; name one of " + names(destination);
        }
        Type type = field.get().type();
        if ((aggregate.kind() == Aggregate.Kind.SUM || aggregate.kind() == Aggregate.Kind.AVG) && !type.isNumber()) {
            return "the " + kind + " aggregate takes " + destination.name() + "." + aggregate.field() + " of type "
                    + type + ", but " + kind + " needs a number attribute (integer, bigint, numeric, real, double)";
        }
        if (aggregate.kind() == Aggregate.Kind.LIST && (type instanceof Type.Array || type instanceof Type.Vector)) {
            return "the list aggregate takes " + destination.name() + "." + aggregate.field() + ", an array; a list "
                    + "of arrays is not supported, list a scalar attribute";
        }
        return null;
    }

    private static List<String> names(Resource resource) {
        return resource.attributes().stream().map(Attribute::name).toList();
    }
}
