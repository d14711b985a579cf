package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.Unrelated;
import dev.ashlar.spi.plugin.CustomRelationship;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.Calculation;
import dev.ashlar.api.resource.HasOne;
import dev.ashlar.api.resource.ManyToMany;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Every relationship of a domain, standard or a plugin's, and every declared aggregate and calculation, by resource
 * and name, resolved once.
 */
final class Links {
    private final Map<String, Map<String, Link>> byResource = new HashMap<>();
    private final Map<String, Map<String, DerivedPlan>> derived = new HashMap<>();
    private final Map<String, ResourcePlan> plans;

    /**
     * @param plans  the plan of each resource, by name
     * @param custom the plugins' relationships of a resource
     */
    Links(Map<String, ResourcePlan> plans, Function<Resource, List<CustomRelationship>> custom) {
        this.plans = Map.copyOf(plans);
        for (ResourcePlan source : plans.values()) {
            Map<String, Link> links = new LinkedHashMap<>();
            for (Relationship relationship : source.resource().relationships()) {
                links.put(relationship.name(), standard(source, relationship, plans));
            }
            for (CustomRelationship relationship : custom.apply(source.resource())) {
                links.put(relationship.name(), new Link(relationship.name(), Link.Kind.CUSTOM, source,
                        plans.get(relationship.destination()), relationship.sourceAttribute(), null, null, null,
                        null, relationship, null, List.of(), null, null, List.of()));
            }
            byResource.put(source.name(), links);
        }
        Map<String, Resource> resources = resources();
        for (ResourcePlan source : plans.values()) {
            Map<String, DerivedPlan> declared = new HashMap<>();
            for (Aggregate aggregate : source.resource().aggregates()) {
                declared.put(aggregate.name(),
                        AggregatePlan.of(aggregate, path(source.name(), aggregate.relationship()), resources));
            }
            CalculationPlans.build(source.name(), source.resource().calculations(), declared);
            derived.put(source.name(), declared);
        }
    }

    /** The base's links, with the derived plans of one resource that {@code adding} adds to. */
    private Links(Links base, String resource, BiConsumer<Links, Map<String, DerivedPlan>> adding) {
        this.plans = base.plans;
        this.byResource.putAll(base.byResource);
        this.derived.putAll(base.derived);
        Map<String, DerivedPlan> own = new HashMap<>(base.derived.getOrDefault(resource, Map.of()));
        adding.accept(this, own);
        this.derived.put(resource, own);
    }

    /**
     * These links with aggregates a read gives one resource (Ash's {@code Query.aggregate}), beside those the resource
     * declares; the aggregates are checked already.
     */
    Links withAggregates(String resource, List<Aggregate> more) {
        return new Links(this, resource, (links, own) -> more.forEach(aggregate -> own.put(aggregate.name(),
                AggregatePlan.of(aggregate, links.path(resource, aggregate.relationship()), links.resources()))));
    }

    /**
     * These links with calculations a read gives one resource (Ash's {@code Query.calculate}), which may name its
     * declared aggregates and calculations; the calculations are checked already.
     *
     * @throws DefinitionException for SQL whose argument marks do not match its arguments
     */
    Links withCalculations(String resource, List<Calculation> more) {
        List<Calculation> all = new ArrayList<>(plans.get(resource).resource().calculations());
        all.addAll(more);
        return new Links(this, resource, (links, own) -> CalculationPlans.build(resource, all, own));
    }

    /** The domain's resources by name. */
    private Map<String, Resource> resources() {
        Map<String, Resource> resources = new HashMap<>();
        plans.forEach((name, plan) -> resources.put(name, plan.resource()));
        return resources;
    }

    /** The relationships of a dotted path from a resource, in order. */
    private List<Link> path(String resource, String path) {
        List<Link> links = new ArrayList<>();
        String current = resource;
        for (String name : path.split("\\.")) {
            Link link = link(current, name);
            links.add(link);
            current = link.destination().name();
        }
        return links;
    }

    /** Whether a resource declares aggregates or calculations: most do not, and their queries skip the lookups. */
    boolean derives(String resource) {
        Map<String, DerivedPlan> declared = derived.get(resource);
        return declared != null && !declared.isEmpty();
    }

    /** The declared aggregate or calculation of a resource of that name, or {@code null} when the name is not one. */
    DerivedPlan derived(String resource, String name) {
        return derived.getOrDefault(resource, Map.of()).get(name);
    }

    /**
     * Whether a resource of that name has an attribute of that name: a dotted field starting with it is a path inside
     * JSON (see {@link JsonPath}), not through a relationship.
     */
    boolean hasAttribute(String resource, String name) {
        ResourcePlan plan = plans.get(resource);
        return plan != null && plan.hasAttribute(name);
    }

    /**
     * A step naming another resource ({@code "@profile"}): every record of it, related by the filter alone as a
     * has-many with no attributes is, so it is read in its own scope and its filter may name {@code parent(...)}.
     */
    private Link unrelated(String resource, String step) {
        ResourcePlan destination = plans.get(Unrelated.resource(step));
        if (destination == null) {
            throw QueryException.of(resource, step, "Resource '" + resource + "' reads '" + step + "', the records "
                    + "of a resource '" + Unrelated.resource(step) + "', which the domain does not have; name one of "
                    + new TreeSet<>(plans.keySet()) + " after '" + Unrelated.MARK + "'");
        }
        ResourcePlan source = plans.get(resource);
        List<String> key = source.resource().primaryKey().stream().map(a -> a.name()).toList();
        return new Link(step, Link.Kind.HAS_MANY, source, destination, key.size() == 1 ? key.get(0) : null, null,
                null, null, null, null, null, List.of(), null, null, List.of());
    }

    private static Link standard(ResourcePlan source, Relationship relationship, Map<String, ResourcePlan> plans) {
        ResourcePlan destination = plans.get(relationship.destination());
        String name = relationship.name();
        String from = relationship.sourceAttribute();
        String to = relationship.destinationAttribute();
        if (relationship instanceof ManyToMany many) {
            return new Link(name, Link.Kind.MANY_TO_MANY, source, destination, from, to, plans.get(many.through()),
                    many.sourceAttributeOnJoin(), many.destinationAttributeOnJoin(), null, many.filter(), many.sorts(),
                    many.limit(), many.joinFilter(), many.joinSorts());
        }
        Link.Kind kind = relationship instanceof BelongsTo ? Link.Kind.BELONGS_TO
                : relationship instanceof HasOne ? Link.Kind.HAS_ONE : Link.Kind.HAS_MANY;
        Integer limit = kind == Link.Kind.HAS_ONE && !relationship.sorts().isEmpty() ? Integer.valueOf(1)
                : relationship.limit();
        return new Link(name, kind, source, destination, from, to, null, null, null, null, relationship.filter(),
                relationship.sorts(), limit, null, List.of());
    }

    /** A relationship of a resource, or null when it has none of that name (an attribute, a JSON key ...). */
    Link relationshipOrNull(String resource, String name) {
        return byResource.getOrDefault(resource, Map.of()).get(name);
    }

    /**
     * A relationship of a resource, to load.
     *
     * @throws AshlarException with {@link ErrorCode#INVALID_QUERY} for a name that is no relationship, aggregate or
     *                         calculation of the resource, naming those there are
     */
    Link loaded(String resource, String name) {
        Map<String, Link> links = byResource.getOrDefault(resource, Map.of());
        if (Unrelated.resource(name) != null) {
            throw QueryException.of(resource, name, "'" + name + "' reads the records of another resource, which a "
                    + "load does not take; declare a hasMany(..., r -> r.noAttributes().filter(...)) on '" + resource
                    + "' and load it, or load an aggregate over '" + name + "'");
        }
        if (!links.containsKey(name) && derived(resource, name) == null) {
            throw QueryException.of(resource, name, "Resource '" + resource + "' has no relationship, aggregate or "
                    + "calculation '" + name + "' to load" + ClosestName.hint(name, loadable(resource, links))
                    + "; its relationships are " + links.keySet()
                    + ", its aggregates and calculations " + new TreeSet<>(derived.getOrDefault(resource, Map.of())
                    .keySet()));
        }
        return link(resource, name);
    }

    /**
     * A relationship of a resource.
     *
     * @throws AshlarException with {@link ErrorCode#INVALID_QUERY} naming the relationships there are
     */
    Link link(String resource, String name) {
        Map<String, Link> links = byResource.getOrDefault(resource, Map.of());
        if (Unrelated.resource(name) != null) {
            return unrelated(resource, name);
        }
        Link link = links.get(name);
        if (link == null && derived(resource, name) != null) {
            throw QueryException.of(resource, name, "'" + name + "' is " + (derived(resource, name) instanceof
                    AggregatePlan ? "an aggregate" : "a calculation") + " of " + resource + ", not a relationship: load it on the rows of a read of " + resource + " with load(\"" + name + "\")");
        }
        if (link == null) {
            throw QueryException.of(resource, name, "Resource '" + resource + "' has no relationship '"
                    + name + "'" + ClosestName.hint(name, links.keySet()) + "; its relationships are " + links.keySet());
        }
        return link;
    }

    private List<String> loadable(String resource, Map<String, Link> links) {
        List<String> names = new ArrayList<>(links.keySet());
        names.addAll(derived.getOrDefault(resource, Map.of()).keySet());
        return names;
    }
}
