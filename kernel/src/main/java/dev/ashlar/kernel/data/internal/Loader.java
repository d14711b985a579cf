package dev.ashlar.kernel.data.internal;

import dev.ashlar.kernel.data.Load;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.internal.RelatedMapping;
import dev.ashlar.api.internal.RowLayout;
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
import java.util.function.Function;

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

    /**
     * The parents as records of the type, carrying the relationships loaded on them. A relationship that the type takes
     * as records ({@link RelatedMapping#relatedRecords}) and whose load nests no other is read straight onto them;
     * the others are loaded on the rows first, as {@link #load} does.
     */
    <R extends Record> List<R> records(List<Row> parents, List<Load> loads, String tenant, Class<R> type) {
        if (parents.isEmpty()) {
            return List.of();
        }
        Set<String> names = new HashSet<>();
        loads.forEach(load -> names.add(load.relationship()));
        Map<String, Class<? extends Record>> direct = RelatedMapping.relatedRecords(type, names);
        Map<String, List<List<Object>>> mapped = new HashMap<>();
        List<Row> rows = parents;
        for (Load load : loads) {
            Level level = level(rows, load);
            Class<? extends Record> records = direct.get(level.link().name());
            if (records != null && level.nested().isEmpty() && level.link().custom() == null) {
                mapped.put(level.link().name(), mapped(level, records, tenant));
            } else {
                rows = attached(rows, level, tenant);
            }
        }
        return RelatedMapping.mapAll(rows, type, mapped);
    }

    /**
     * One relationship's load on the parents of a level, checked and split: its definition's shape, the related
     * records' aggregates and calculations it loads, its nested loads, each parent's key in order, and the parents'
     * distinct keys.
     */
    private record Level(Link link, Load load, List<DerivedPlan> derived, List<Load> nested, Object[] parentKeys,
                         Set<Object> keys, List<Object> bound) {
        Level(Link link, Load load, List<DerivedPlan> derived, List<Load> nested, Object[] parentKeys,
              Set<Object> keys) {
            this(link, load, derived, nested, parentKeys, keys, new ArrayList<>(keys));
        }
    }

    private List<Row> loadOne(List<Row> parents, Load asked, String tenant) {
        return attached(parents, level(parents, asked), tenant);
    }

    private Level level(List<Row> parents, Load asked) {
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
        load = selectingDerived(link, load);
        for (Load inner : load.loads()) {
            DerivedPlan field = derived(link, inner);
            if (field == null) {
                nested.add(inner);
            } else {
                derived.add(field);
            }
        }
        if (!load.select().isEmpty()) {
            // The related rows must still hold the keys their own nested loads start from.
            load = new Load(load.relationship(), load.filter(), load.sorts(), load.limit(), load.offset(), load.loads(),
                    load.arguments(), selectedWithLoadKeys(link.destination().name(), load.select(), nested));
        }
        if (BatchRenderer.perParent(link, load)) {
            return perParent(parents, new Level(link, load, derived, nested, null, Set.of()));
        }
        String sourceAttribute = sourceAttribute(link);
        if (!parents.get(0).has(sourceAttribute)) {
            throw QueryException.of(link.source().name(), link.name(), "Loading '" + link.name() + "' on rows of "
                    + link.source().name() + " starts from their '" + sourceAttribute + "', which these rows do not "
                    + "hold: read them with it, e.g. select(..., \"" + sourceAttribute + "\"), or load it in the read");
        }
        Object[] parentKeys = values(parents, sourceAttribute);
        Set<Object> keys = new LinkedHashSet<>();
        for (Object key : parentKeys) {
            if (key != null) {
                keys.add(key);
            }
        }
        return new Level(link, load, derived, nested, parentKeys, keys);
    }

    /**
     * The level of a load that binds each parent by its primary key ({@link BatchRenderer#perParent}): each parent's
     * key is its place among them, 1 for the first, and the statement is given their primary keys in that order.
     */
    private static Level perParent(List<Row> parents, Level level) {
        List<String> key = level.link().source().primaryKey().stream().map(ColumnPlan::name).toList();
        for (String field : key) {
            if (!parents.get(0).has(field)) {
                throw QueryException.of(level.link().source().name(), level.link().name(), "Loading '"
                        + level.link().name() + "' on rows of " + level.link().source().name() + " finds each of them "
                        + "by its primary key, and these rows do not hold its '" + field + "': read them with it");
            }
        }
        List<Object[]> columns = key.stream().map(field -> values(parents, field)).toList();
        Object[] places = new Object[parents.size()];
        Set<Object> keys = new LinkedHashSet<>();
        List<Object> bound = new ArrayList<>(parents.size());
        for (int i = 0; i < places.length; i++) {
            int at = i;
            places[i] = (long) i + 1;
            keys.add(places[i]);
            bound.add(columns.stream().map(values -> values[at]).toList());
        }
        return new Level(level.link(), level.load(), level.derived(), level.nested(), places, keys, bound);
    }

    /** Each row's value of the field, in order, found by its position once per run of rows that share a layout. */
    private static Object[] values(List<Row> rows, String field) {
        Object[] values = new Object[rows.size()];
        RowLayout layout = null;
        int position = -1;
        for (int i = 0; i < values.length; i++) {
            Row row = rows.get(i);
            if (Rows.layout(row) != layout) {
                layout = Rows.layout(row);
                position = layout.indexOf(field);
            }
            values[i] = position < 0 ? row.get(field) : row.get(position);
        }
        return values;
    }

    /** The parents, each carrying the level's related rows (with their own nested loads). */
    private List<Row> attached(List<Row> parents, Level level, String tenant) {
        Link link = level.link();
        Set<Object> keys = level.keys();
        BatchRenderer.Batch batch = keys.isEmpty() ? new BatchRenderer.Batch(List.of(), List.of())
                : link.custom() == null ? batch(level, tenant, statement -> statement.rows(keys.size()))
                : custom(link, level.load(), level.derived(), parents, keys, tenant);
        // Related rows remember their tenant like the rows of a read: written back later, they go to the same tenant.
        List<Row> children = load(data.owned(link.destination().name(), batch.rows(), tenant), level.nested(), tenant);
        Map<Object, List<Row>> groups = new HashMap<>();
        for (int i = 0; i < children.size(); i++) {
            groups.computeIfAbsent(ParentKeys.normal(batch.keys().get(i)), k -> new ArrayList<>())
                    .add(children.get(i));
        }
        List<Row> loaded = new ArrayList<>(parents.size());
        for (int i = 0; i < parents.size(); i++) {
            List<Row> related = groups.getOrDefault(ParentKeys.normal(level.parentKeys()[i]), List.of());
            loaded.add(Rows.withRelated(parents.get(i), link.name(), link.many() || related.size() < 2 ? related
                    : List.of(related.get(0))));
        }
        return loaded;
    }

    /**
     * For each parent, in order, the level's related records of the type, read straight onto them: records carry no
     * tenant, so there is none to mark.
     */
    private List<List<Object>> mapped(Level level, Class<? extends Record> type, String tenant) {
        ParentKeys keys = new ParentKeys(level.keys());
        List<List<Object>> groups = keys.size() == 0 ? List.of()
                : batch(level, tenant, statement -> BatchRecords.read(statement, keys, type, level.link().many()));
        List<List<Object>> perParent = new ArrayList<>(level.parentKeys().length);
        for (Object key : level.parentKeys()) {
            int group = keys.indexOf(key);
            perParent.add(group < 0 ? List.of() : groups.get(group));
        }
        return perParent;
    }

    /**
     * The load with the declared aggregates and calculations its select names loaded as nested loads of them (as
     * {@code Read.select} loads them), its select keeping the attributes; one that selects only those keeps the primary
     * key, so that it still reads no other attribute.
     */
    private Load selectingDerived(Link link, Load load) {
        String resource = link.destination().name();
        List<String> attributes = new ArrayList<>();
        List<Load> loads = new ArrayList<>(load.loads());
        for (String field : load.select()) {
            if (links.derived(resource, field) == null) {
                attributes.add(field);
            } else if (loads.stream().noneMatch(inner -> inner.relationship().equals(field))) {
                loads.add(new Load(field, null, List.of(), null, null, List.of()));
            }
        }
        if (attributes.size() == load.select().size()) {
            return load;
        }
        if (attributes.isEmpty()) {
            attributes.addAll(link.destination().primaryKey().stream().map(ColumnPlan::name).toList());
            if (attributes.isEmpty()) {
                attributes.add(link.destinationAttribute());
            }
        }
        return new Load(load.relationship(), load.filter(), load.sorts(), load.limit(), load.offset(), loads,
                load.arguments(), attributes);
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

    /**
     * Runs the level's batch statement, whose result the reading makes something of, loading the related records'
     * aggregates and calculations on them, computed in their scope.
     */
    private <T> T batch(Level level, String tenant, Function<BatchRenderer.Statement, Connections.Work<T>> reading) {
        Link link = level.link();
        Load load = level.load();
        List<DerivedPlan> derived = level.derived();
        String destination = link.destination().name();
        Scopes scopes = Scopes.starting(links, resource -> data.scope(resource, tenant, link.source().name()))
                .masked(data.masks(tenant));
        scopes.reach(link);
        scopes.walk(destination, load.filter(), load.sorts());
        scopes.parentPaths(destination, List.of(link.source().name()), load.filter());
        derived.forEach(field -> scopes.aggregate(destination, field.name()));
        Query scope = scopes.scope(destination);
        Filter own = load.filter() == null ? Filter.and() : load.filter();
        Query shape = Query.of(destination)
                .withFilter(link.filter() == null ? own : Filter.and(link.filter(), own)).withSorts(load.sorts());
        for (DerivedPlan field : derived) {
            shape = shape.withAggregate(field.name());
        }
        BatchRenderer.Statement statement = batches.render(link, load, derived, level.bound(), scopes);
        return data.read(destination, scope, shape, tenant, reading.apply(statement));
    }

    /**
     * The load as the relationship's definition shapes it: sorted in the definition's order unless it sorts itself,
     * and with the definition's limit (a sorted has-one's is 1), or its own when that is lower. (The definition's
     * filter is written beside the destination's scope, wherever the relationship is followed.)
     */
    private static Load defined(Link link, Load load) {
        // A many-to-many ordered by its join records keeps no sorts here: the batch writes that order, then these.
        List<Sort> sorts = load.sorts().isEmpty() && link.joinSorts().isEmpty() ? link.sorts() : load.sorts();
        Integer limit = link.limit() == null || load.limit() != null && load.limit() < link.limit() ? load.limit()
                : link.limit();
        return new Load(load.relationship(), load.filter(), sorts, limit, load.offset(), load.loads(), load.arguments(),
                load.select());
    }

    /** A plugin's loader, called once with every parent; its answer flattened like a batch's. */
    private BatchRenderer.Batch custom(Link link, Load load, List<DerivedPlan> derived, List<Row> parents,
                                       Set<Object> parentKeys, String tenant) {
        if (load.filter() != null || !load.sorts().isEmpty() || load.limit() != null || load.offset() != null
                || !derived.isEmpty() || !load.select().isEmpty()) {
            throw QueryException.of(link.source().name(), link.name(), "Relationship '" + link.name() + "' of "
                    + link.source().name() + " is manual: its loader decides which records it returns, so a load "
                    + "of it takes no filter, sort, limit, offset, select, aggregate or calculation");
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
        parentKeys.forEach(key -> parents.add(ParentKeys.normal(key)));
        Object sample = parentKeys.iterator().next();
        Class<?> comparable = ParentKeys.normal(sample).getClass();
        List<Object> keys = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        answer.forEach((key, related) -> {
            if (related == null) {
                throw refused(link, "answered null rows for " + key + ": give an empty list, or leave the key out");
            }
            Object normal = ParentKeys.normal(key);
            if (key == null || !parents.contains(normal) && normal.getClass() != comparable) {
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
}
