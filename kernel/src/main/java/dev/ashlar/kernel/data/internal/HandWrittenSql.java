package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.data.Upsert;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which queries and upserts hold SQL written by hand: a computed field, a condition in SQL, a change
 * {@code Atomic.sql} computes, a declared calculation or custom aggregate, named directly, through a path, or by an aggregate or
 * relationship whose own filter or order uses one, or a plugin's relationship, whose join filter may. In a tenant's schema such a query runs with that schema first
 * on the search path. Names are matched across the domain, so a name
 * that is a calculation of another resource counts too: at worst the path is set where it was not needed.
 */
final class HandWrittenSql {
    private final Set<String> names = new HashSet<>();
    /** Whether a resource's base filter holds SQL: it goes into every query that reaches the resource, however far. */
    private final boolean baseFilterSql;
    /** Whether every query counts: a read whose rows come from a statement written by hand ({@code Read.from}). */
    private final boolean everywhere;

    /**
     * @param custom the names of plugins' relationships: a manual relationship's join is known only when a query is
     *               rendered, and its filter may hold SQL
     */
    HandWrittenSql(Domain domain, Collection<String> custom) {
        domain.resources().forEach(resource -> resource.calculations().forEach(c -> names.add(c.name())));
        names.addAll(custom);
        Set<String> declaring = new HashSet<>();
        for (Resource resource : domain.resources()) {
            for (Aggregate aggregate : resource.aggregates()) {
                if (holds(aggregate)) {
                    declaring.add(aggregate.name());
                }
            }
            for (Relationship relationship : resource.relationships()) {
                if (holds(relationship.filter(), relationship.sorts())) {
                    declaring.add(relationship.name());
                }
            }
        }
        names.addAll(declaring);
        baseFilterSql = domain.resources().stream()
                .anyMatch(resource -> resource.baseFilter() != null && holds(resource.baseFilter().filter()));
        everywhere = false;
    }

    private HandWrittenSql(HandWrittenSql base, Collection<String> more, boolean everywhere) {
        names.addAll(base.names);
        names.addAll(more);
        baseFilterSql = base.baseFilterSql;
        this.everywhere = everywhere;
    }

    private HandWrittenSql(HandWrittenSql base, Collection<String> more) {
        this(base, more, base.everywhere);
    }

    /** This, counting every query: for a read whose rows come from a statement written by hand. */
    HandWrittenSql everywhere() {
        return new HandWrittenSql(this, List.of(), true);
    }

    /** This with the aggregates a read gives (Ash's {@code Query.aggregate}) counted as the declared ones are. */
    HandWrittenSql with(Collection<Aggregate> more) {
        return new HandWrittenSql(this, more.stream().filter(this::holds).map(Aggregate::name).toList());
    }

    /** This with a calculation a read gives (Ash's {@code Query.calculate}): its SQL is written by hand. */
    HandWrittenSql withCalculation(String name) {
        return new HandWrittenSql(this, List.of(name));
    }

    private boolean holds(Aggregate aggregate) {
        return aggregate.custom() != null || holds(aggregate.filter(), aggregate.sorts());
    }

    /**
     * Whether the query holds SQL written by hand; run for every query, so it walks without allocating. In a domain
     * that declares calculations, or aggregates and relationships whose filter or order holds SQL, every query
     * counts: such SQL can be reached from far (an aggregate over a relationship whose filter uses a calculation, a
     * destination's base filter), and a search path set once too often is cheaper than a table of another tenant.
     * So does every query in a domain where a base filter holds SQL: a relationship's scope brings it into an
     * {@code exists}, a path filter or an aggregate of a query that names nothing of it.
     */
    boolean in(Query query) {
        return everywhere || baseFilterSql || !names.isEmpty() || !query.computed().isEmpty() || holds(query.filter(), query.sorts());
    }

    /** Whether an upsert holds SQL written by hand: in its condition, or a change {@code Atomic.sql} computes. */
    boolean in(Upsert upsert) {
        if (upsert == null) {
            return false;
        }
        for (Atomic change : upsert.changes().values()) {
            if (change.expression()) {
                return true;
            }
        }
        return holds(upsert.condition());
    }

    private boolean holds(Filter filter, List<Sort> sorts) {
        if (holds(filter)) {
            return true;
        }
        for (Sort sort : sorts) {
            if (sort.byExpression() ? holds(sort.expression()) : names(sort.field())) {
                return true;
            }
        }
        return false;
    }

    private boolean holds(Filter filter) {
        if (filter == null) {
            return false;
        } else if (filter instanceof Filter.Sql) {
            return true;
        } else if (filter instanceof Filter.And and) {
            return anyHolds(and.filters());
        } else if (filter instanceof Filter.Or or) {
            return anyHolds(or.filters());
        } else if (filter instanceof Filter.Not not) {
            return holds(not.filter());
        } else if (filter instanceof Filter.Raise raise) {
            return holds(raise.when());
        } else if (filter instanceof Filter.Exists exists) {
            return names(exists.relationship()) || holds(exists.filter());
        } else if (filter instanceof Filter.Count count) {
            return names(count.relationship()) || holds(count.filter());
        }
        return names(FilterPaths.field(filter));
    }

    private boolean anyHolds(List<Filter> filters) {
        for (Filter filter : filters) {
            if (holds(filter)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a field, or any step of a dotted path, is a name that holds SQL. */
    private boolean names(String path) {
        if (names.isEmpty()) {
            return false;
        }
        int start = 0;
        for (int dot = path.indexOf('.'); ; dot = path.indexOf('.', start)) {
            if (names.contains(dot < 0 ? path.substring(start) : path.substring(start, dot))) {
                return true;
            }
            if (dot < 0) {
                return false;
            }
            start = dot + 1;
        }
    }
}
