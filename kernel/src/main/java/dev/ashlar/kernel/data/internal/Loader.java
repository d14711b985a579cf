package dev.ashlar.kernel.data.internal;

import dev.ashlar.kernel.data.Load;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.internal.Rows;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.spi.plugin.CustomRelationship;
import dev.ashlar.spi.plugin.LoadContext;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads relationships on the rows of a read, level by level: one statement per relationship per
 * level, whatever the number of parents (a plugin's relationship: one call of its loader). Nested
 * loads run on all the related rows of a level at once, before those rows are attached to their
 * parents, so each level costs one statement.
 */
final class Loader {
    private final DataLayer data;
    private final Links links;
    private final BatchRenderer batches;

    Loader(DataLayer data, Links links) {
        this.data = data;
        this.links = links;
        this.batches = new BatchRenderer(links);
    }

    /** The parents, each carrying the relationships loaded on it, in the same order. */
    List<Row> load(List<Row> parents, List<Load> loads, String tenant) {
        List<Row> result = parents;
        for (Load load : loads) {
            if (result.isEmpty()) {
                return result;
            }
            result = loadOne(result, load, tenant);
        }
        return result;
    }

    /**
     * The fields a read that selects these reads with its loads: the selected ones and each load's source attribute (a
     * belongs-to's key, {@code author_id}), as Ash selects them, since without it no related record can be matched.
     */
    List<String> selectedWithLoadKeys(String resource, List<String> select, List<Load> loads) {
        Set<String> fields = new LinkedHashSet<>(select);
        for (Load load : loads) {
            fields.add(sourceAttribute(links.loaded(resource, load.relationship())));
        }
        return List.copyOf(fields);
    }

    private static String sourceAttribute(Link link) {
        return link.custom() == null ? link.sourceAttribute() : link.custom().sourceAttribute();
    }

    private List<Row> loadOne(List<Row> parents, Load asked, String tenant) {
        Link link = links.loaded(parents.get(0).resource(), asked.relationship());
        Load load = defined(link, asked);
        for (String calculation : load.arguments().keySet()) {
            if (links.derived(link.destination().name(), calculation) == null) {
                throw QueryException.of(link.destination().name(), calculation, "The load of '" + link.name()
                        + "' gives arguments to '" + calculation + "', and " + link.destination().name()
                        + " declares no calculation of that name");
            }
        }
        List<DerivedPlan> derived = new ArrayList<>();
        List<Load> nested = new ArrayList<>();
        for (Load inner : load.loads()) {
            DerivedPlan field = derived(link, inner);
            if (field == null) {
                nested.add(inner);
            } else {
                derived.add(field);
            }
        }
        String sourceAttribute = sourceAttribute(link);
        if (!parents.get(0).has(sourceAttribute)) {
            throw QueryException.of(link.source().name(), link.name(), "Loading '" + link.name() + "' on rows of "
                    + link.source().name() + " starts from their '" + sourceAttribute + "', which these rows do not "
                    + "hold: read them with it, e.g. select(..., \"" + sourceAttribute + "\"), or load it in the read");
        }
        Set<Object> keys = new LinkedHashSet<>();
        for (Row parent : parents) {
            Object key = parent.get(sourceAttribute);
            if (key != null) {
                keys.add(key);
            }
        }
        BatchRenderer.Batch batch = keys.isEmpty() ? new BatchRenderer.Batch(List.of(), List.of())
                : link.custom() == null ? batch(link, load, derived, new ArrayList<>(keys), tenant)
                : custom(link, load, derived, parents, keys, tenant);
        // Related rows remember their tenant like the rows of a read: written back later, they go to the same tenant.
        List<Row> children = load(data.owned(link.destination().name(), batch.rows(), tenant), nested, tenant);
        Map<Object, List<Row>> groups = new HashMap<>();
        for (int i = 0; i < children.size(); i++) {
            groups.computeIfAbsent(normal(batch.keys().get(i)), k -> new ArrayList<>()).add(children.get(i));
        }
        List<Row> loaded = new ArrayList<>(parents.size());
        for (Row parent : parents) {
            List<Row> related = groups.getOrDefault(normal(parent.get(sourceAttribute)), List.of());
            loaded.add(Rows.withRelated(parent, link.name(), link.many() || related.size() < 2 ? related
                    : List.of(related.get(0))));
        }
        return loaded;
    }

    /**
     * The declared aggregate or calculation of the related records a nested load names, loaded as a field of each, or
     * {@code null} when it names a relationship of theirs; any other name is refused.
     */
    private DerivedPlan derived(Link link, Load inner) {
        String resource = link.destination().name();
        DerivedPlan field = links.derived(resource, inner.relationship());
        if (field == null) {
            links.loaded(resource, inner.relationship());
        } else if (inner.filter() != null || !inner.sorts().isEmpty() || inner.limit() != null
                || inner.offset() != null || !inner.loads().isEmpty()) {
            throw QueryException.of(resource, field.name(), "'" + field.name() + "' of " + resource + " is "
                    + (field instanceof AggregatePlan ? "an aggregate" : "a calculation") + ", a value of each "
                    + "record: load it by its name alone, with no filter, sort, limit, offset or loads");
        }
        return field;
    }

    /** @param derived the related records' aggregates and calculations to load on them, computed in their scope */
    private BatchRenderer.Batch batch(Link link, Load load, List<DerivedPlan> derived, List<Object> keys,
                                      String tenant) {
        String destination = link.destination().name();
        Scopes scopes = Scopes.starting(links, resource -> data.scope(resource, tenant));
        scopes.reach(link);
        scopes.walk(destination, load.filter(), load.sorts());
        derived.forEach(field -> scopes.aggregate(destination, field.name()));
        Query scope = scopes.scope(destination);
        Filter own = load.filter() == null ? Filter.and() : load.filter();
        Query shape = Query.of(destination)
                .withFilter(link.filter() == null ? own : Filter.and(link.filter(), own)).withSorts(load.sorts());
        for (DerivedPlan field : derived) {
            shape = shape.withAggregate(field.name());
        }
        return data.read(destination, scope, shape, tenant, batches.render(link, load, derived, keys, scopes));
    }

    /**
     * The load as the relationship's definition shapes it: sorted in the definition's order unless it sorts itself,
     * and with the definition's limit (a sorted has-one's is 1), or its own when that is lower. (The definition's
     * filter is written beside the destination's scope, wherever the relationship is followed.)
     */
    private static Load defined(Link link, Load load) {
        List<Sort> sorts = load.sorts().isEmpty() ? link.sorts() : load.sorts();
        Integer limit = link.limit() == null || load.limit() != null && load.limit() < link.limit() ? load.limit()
                : link.limit();
        return new Load(load.relationship(), load.filter(), sorts, limit, load.offset(), load.loads(), load.arguments());
    }

    /** A plugin's loader, called once with every parent; its answer flattened like a batch's. */
    private BatchRenderer.Batch custom(Link link, Load load, List<DerivedPlan> derived, List<Row> parents,
                                       Set<Object> parentKeys, String tenant) {
        if (load.filter() != null || !load.sorts().isEmpty() || load.limit() != null || load.offset() != null
                || !derived.isEmpty()) {
            throw QueryException.of(link.source().name(), link.name(), "Relationship '" + link.name() + "' of "
                    + link.source().name() + " is manual: its loader decides which records it returns, so a load "
                    + "of it takes no filter, sort, limit, offset, aggregate or calculation");
        }
        CustomRelationship relationship = link.custom();
        LoadContext context = new LoadContext(data.domain(), link.source().resource(), tenant,
                query -> data.list(query, tenant));
        Map<Object, List<Row>> answer;
        try {
            answer = relationship.load(List.copyOf(parents), context);
        } catch (AshlarException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PluginException("The loader of relationship '" + link.name() + "' of " + link.source().name()
                    + " failed: " + e, link.source().name(), e);
        }
        return flattened(link, answer, parentKeys);
    }

    /**
     * A loader's answer as a batch, refused where it cannot be what the loader meant: no map, no list for a key, or
     * keys of another type than the parents' (a String "1" for an integer id), which would match no parent and leave
     * every parent silently without related records.
     */
    private static BatchRenderer.Batch flattened(Link link, Map<Object, List<Row>> answer, Set<Object> parentKeys) {
        String attribute = sourceAttribute(link);
        if (answer == null) {
            throw refused(link, "returned null: return a map from each parent's '" + attribute + "' to its related "
                    + "rows (an empty map when none has any)");
        }
        Set<Object> parents = new HashSet<>();
        parentKeys.forEach(key -> parents.add(normal(key)));
        Object sample = parentKeys.iterator().next();
        Class<?> comparable = normal(sample).getClass();
        List<Object> keys = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        answer.forEach((key, related) -> {
            if (related == null) {
                throw refused(link, "answered null rows for " + key + ": give an empty list, or leave the key out");
            }
            if (key == null || !parents.contains(normal(key)) && normal(key).getClass() != comparable) {
                throw refused(link, "keyed its answer by " + (key == null ? "null" : key + " (a "
                        + key.getClass().getSimpleName() + ")") + ", which no parent's '" + attribute + "' (a "
                        + sample.getClass().getSimpleName() + ") can equal: key it by the parents' values as read, e.g. "
                        + "parent.get(\"" + attribute + "\")");
            }
            related.forEach(row -> {
                keys.add(key);
                rows.add(row);
            });
        });
        return new BatchRenderer.Batch(keys, rows);
    }

    private static PluginException refused(Link link, String problem) {
        return new PluginException("The loader of relationship '" + link.name() + "' of " + link.source().name() + " "
                + problem, link.source().name(), null);
    }

    /** Integral keys compare by value, whatever their width (an integer key, a bigint reference). */
    private static Object normal(Object key) {
        if (key instanceof Integer || key instanceof Short) {
            return ((Number) key).longValue();
        }
        return key;
    }
}
