package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.spi.plugin.Join;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Resource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the query hooks say about each resource a read reaches through relationships (the tenant's
 * schema, a tenant filter), and the joins of the plugins' relationships it uses. Worked out per call,
 * before rendering, so the rendered SQL of a query shape never depends on a hidden value: the
 * {@link #shape} joins the cache key.
 */
final class Scopes {
    static final Scopes NONE = new Scopes(null, null);

    private final Links links;
    private final Function<String, Query> rewrite;
    private final Map<String, Query> queries;
    private final Map<String, Join> joins = new HashMap<>();
    private final Set<String> walking = new HashSet<>();
    /** The fields each resource's field policies hide from the action's actor, and where it sees them. */
    private Map<String, Map<String, Filter>> masks = Map.of();

    private Scopes(Links links, Function<String, Query> rewrite) {
        this.links = links;
        this.rewrite = rewrite;
        this.queries = new HashMap<>();
    }

    /**
     * The scopes of every relationship a query's filter, sorts and distinct fields use.
     *
     * @param rewrite a resource's query for the caller's tenant, after every plugin's rewrite
     */
    static Scopes of(Query query, Links links, Function<String, Query> rewrite) {
        return of(query, List.of(), links, rewrite);
    }

    /**
     * {@link #of(Query, Links, Function)}, with the scopes of the declared aggregates and calculations an update's
     * changes take ({@code Atomic.of}).
     */
    static Scopes of(Query query, List<String> taken, Links links, Function<String, Query> rewrite) {
        // Read as they are when nothing is taken: every read comes through here.
        List<Sort> orders = taken.isEmpty() ? orders(query) : new ArrayList<>(orders(query));
        for (String path : taken) {
            // A path taken (Atomic.of("author.name")) reaches its relationships as a sort by it does.
            if (ResourcePlan.isPath(path)) {
                orders.add(Sort.asc(path));
            }
        }
        if (taken.isEmpty() && !reachesOut(query.filter(), orders) && !namesDerived(query, orders, links)) {
            return NONE;
        }
        Scopes scopes = new Scopes(links, rewrite);
        scopes.walk(query.resource(), query.filter(), orders);
        scopes.parentPaths(query.resource(), List.of(), query.filter());
        query.aggregates().forEach(name -> scopes.aggregate(query.resource(), name));
        taken.stream().filter(name -> !ResourcePlan.isPath(name)).forEach(name -> scopes.aggregate(query.resource(), name));
        return scopes;
    }

    /**
     * Whether a query loads, filters or sorts by a declared aggregate of its resource, which reaches out too, or by a
     * calculation, which names the statement's table from a subquery.
     */
    private static boolean namesDerived(Query query, List<Sort> orders, Links links) {
        if (!query.aggregates().isEmpty()) {
            return true;
        }
        if (!links.derives(query.resource())) {
            return false;
        }
        boolean[] found = {false};
        Consumer<String> derived = field -> found[0] |= links.derived(query.resource(), field) != null;
        FilterPaths.fields(query.filter(), derived);
        for (Sort sort : orders) {
            if (sort.byExpression()) {
                FilterPaths.fields(sort.expression(), derived);
            } else {
                found[0] |= links.derived(query.resource(), sort.field()) != null;
            }
        }
        return found[0];
    }

    /** Whatever orders the query's rows: its sorts, and the fields and sorts that choose each distinct group's row. */
    private static List<Sort> orders(Query query) {
        if (query.distinct().isEmpty()) {
            return query.sorts();
        }
        List<Sort> orders = new ArrayList<>(query.sorts());
        orders.addAll(query.distinctSorts());
        query.distinct().forEach(field -> orders.add(Sort.asc(field)));
        return orders;
    }

    /** Empty scopes that {@link #reach} fills, for the relationships a load starts from. */
    static Scopes starting(Links links, Function<String, Query> rewrite) {
        return new Scopes(links, rewrite);
    }

    static boolean reachesOut(Filter filter, List<Sort> sorts) {
        if (FilterPaths.reachesOut(filter)) {
            return true;
        }
        for (Sort sort : sorts) {
            if (sort.byExpression() ? FilterPaths.reachesOut(sort.expression())
                    : sort.count() || sort.field().indexOf('.') >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Walks a filter and sorts over a resource, adding the scopes they need. */
    void walk(String resource, Filter filter, List<Sort> sorts) {
        FilterPaths.visit(filter, name -> links.hasAttribute(resource, name), (path, inner) -> {
            String end = followRelationships(resource, path);
            if (end != null) {
                walk(end, inner, List.of());
            }
        });
        FilterPaths.fields(filter, field -> aggregate(resource, field));
        for (Sort sort : sorts) {
            if (sort.byExpression()) {
                walk(resource, sort.expression(), List.of());
            } else if (sort.count()) {
                follow(resource, sort.field());
            } else {
                sortKey(resource, sort.field());
            }
        }
    }

    /** Adds the scopes a sort key needs: the relationships of its path, up to an attribute or a path inside one. */
    private void sortKey(String resource, String field) {
        int dot = field.indexOf('.');
        if (dot < 0) {
            aggregate(resource, field);
        } else if (!links.hasAttribute(resource, field.substring(0, dot))) {
            sortKey(follow(resource, field.substring(0, dot)), field.substring(dot + 1));
        }
    }

    /** Adds the scopes a declared aggregate of the resource needs, or those a calculation's aggregates need. */
    void aggregate(String resource, String name) {
        DerivedPlan derived = links.derived(resource, name);
        if (derived instanceof AggregatePlan aggregate) {
            aggregate.path().forEach(this::reach);
            walk(aggregate.link().destination().name(), aggregate.declared().filter(),
                    aggregate.declared().sorts());
            if (aggregate.derivedField() != null) {
                aggregate(aggregate.link().destination().name(), aggregate.derivedField());
            }
        } else if (derived instanceof CalculationPlan calculation) {
            calculation.uses().forEach(used -> aggregate(resource, used.name()));   // a cycle is refused at start
        }
    }

    /**
     * Adds the scopes along a path's relationships; returns the resource at its end, or null where the path goes on
     * inside a JSON attribute (an {@code exists} over its embedded records), which reaches no other table.
     */
    private String followRelationships(String resource, String path) {
        String current = resource;
        for (String name : path.split("\\.")) {
            if (links.hasAttribute(current, name)) {
                return null;
            }
            current = reach(links.link(current, name)).destination().name();
        }
        return current;
    }

    /** Adds the scopes along a dotted relationship path; returns the resource at its end. */
    String follow(String resource, String path) {
        String current = resource;
        for (String name : path.split("\\.")) {
            current = reach(links.link(current, name)).destination().name();
        }
        return current;
    }

    /** Adds the scopes one relationship needs (its destination's, the join's, those its own filter reaches). */
    Link reach(Link link) {
        Query destination = scope(link.destination().name());
        if (link.through() != null) {
            scope(link.through().name());
            if (!link.joinSorts().isEmpty()) {
                walk(link.through().name(), null, link.joinSorts());
            }
        }
        if (link.filter() != null || link.joinFilter() != null) {
            walkDefinition(link);
        }
        if (link.custom() != null) {
            String key = key(link);
            if (!joins.containsKey(key)) {
                Join join = link.custom().join(scope(link.source().name()), destination).orElseThrow(() ->
                        QueryException.of(link.source().name(), link.name(), "Relationship '" + link.name() + "' of "
                                + link.source().name() + " is manual and has no join, so it can be loaded but not "
                                + "used in a filter, a sort or exists; implement join(...) on it to supply the join "
                                + "condition"));
                joins.put(key, join);
            }
        }
        return link;
    }

    /**
     * Walks a relationship's own filter. One that reaches the same relationship again would be written inside
     * itself without end, so it is refused.
     */
    private void walkDefinition(Link link) {
        String key = key(link);
        if (!walking.add(key)) {
            throw QueryException.of(link.source().name(), link.name(), "The filter of relationship '" + link.name()
                    + "' of " + link.source().name() + " goes through '" + link.name() + "' again; a relationship's "
                    + "filter cannot reach the relationship itself, so write the condition over other relationships");
        }
        walk(link.destination().name(), link.filter(), List.of());
        parentPaths(link.destination().name(), List.of(link.source().name()), link.filter());
        if (link.joinFilter() != null) {
            walk(link.through().name(), link.joinFilter(), List.of());
            parentPaths(link.through().name(), List.of(link.source().name()), link.joinFilter());
        }
        walking.remove(key);
    }

    /**
     * Adds the scopes of the paths that parent references follow from the records they name
     * ({@code parent("post.score")}).
     *
     * @param enclosing the resources of the records around the filter, nearest first: its parent, then that one's
     */
    void parentPaths(String resource, List<String> enclosing, Filter filter) {
        if (filter instanceof Filter.And and) {
            and.filters().forEach(f -> parentPaths(resource, enclosing, f));
        } else if (filter instanceof Filter.Or or) {
            or.filters().forEach(f -> parentPaths(resource, enclosing, f));
        } else if (filter instanceof Filter.Not not) {
            parentPaths(resource, enclosing, not.filter());
        } else if (filter instanceof Filter.Raise raise) {
            parentPaths(resource, enclosing, raise.when());
        } else if (filter instanceof Filter.Exists exists) {
            inside(resource, enclosing, exists.relationship(), exists.filter());
        } else if (filter instanceof Filter.Count count) {
            inside(resource, enclosing, count.relationship(), count.filter());
        } else if (filter instanceof Filter.Compare compare && compare.value() instanceof Filter.Parent ref
                && ref.field().indexOf('.') > 0 && ref.levels() <= enclosing.size()) {
            String named = enclosing.get(ref.levels() - 1);
            String path = ref.field().substring(0, ref.field().lastIndexOf('.'));
            if (links.relationshipOrNull(named, path.split("\\.")[0]) != null) {
                follow(named, path);
            }
        }
    }

    /** The parent references inside {@code exists} or {@code count}, whose parent is the row the path starts from. */
    private void inside(String resource, List<String> enclosing, String path, Filter filter) {
        if (filter == null || links.relationshipOrNull(resource, path.split("\\.")[0]) == null) {
            return;
        }
        String end = followRelationships(resource, path);
        if (end == null) {
            return;
        }
        List<String> around = new ArrayList<>();
        around.add(resource);
        around.addAll(enclosing);
        parentPaths(end, around, filter);
    }

    /**
     * These scopes, with the field policies of the action's actor ({@code Policies.masks}): every statement reads
     * those fields through {@link FieldMasks}.
     */
    Scopes masked(Map<String, Map<String, Filter>> hidden) {
        if (hidden.isEmpty()) {
            return this;
        }
        Scopes scopes = this == NONE ? new Scopes(null, null) : this;
        scopes.masks = hidden;
        return scopes;
    }

    /**
     * The fields a resource's field policies hide, each with the rows on which the actor sees it; empty for none. Its
     * drafts and other tables ({@code post@posts_draft}) keep to the resource's own field policies.
     */
    Map<String, Filter> masks(String resource) {
        return masks.getOrDefault(Resource.withoutTable(resource), Map.of());
    }

    Query scope(String resource) {
        return queries.computeIfAbsent(resource, rewrite);
    }

    Join join(Link link) {
        return joins.get(key(link));
    }

    private static String key(Link link) {
        return link.source().name() + "." + link.name();
    }

    /** The parts of the scopes that change the rendered SQL: schemas, filter shapes, joins. */
    Object shape() {
        if (this == NONE) {
            return null;
        }
        Map<String, List<Object>> shape = new HashMap<>();
        queries.forEach((resource, query) -> {
            List<Object> parts = new ArrayList<>();
            parts.add(query.schema());
            parts.add(QueryShape.shape(query.filter()));
            shape.put(resource, parts);
        });
        joins.forEach((key, join) -> shape.put(key, Arrays.asList(join.sourceAttribute(),
                join.destinationAttribute(), String.valueOf(QueryShape.shape(join.filter())))));
        masks.forEach((resource, fields) -> fields.forEach((field, rows) ->
                shape.put(resource + "#" + field, List.of(String.valueOf(QueryShape.shape(rows))))));
        return shape;
    }
}
