package dev.ashlar.kernel.data.internal;

import dev.ashlar.kernel.data.Load;
import dev.ashlar.kernel.data.Returning;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.data.internal.QueryShape.Kind;
import dev.ashlar.api.internal.Rows;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.plugin.Replication;
import dev.ashlar.spi.plugin.WriteEvent;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Operation;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The engine behind {@code Ashlar}: runs each action as hooks, rendering, routing, execution and
 * error mapping. Immutable after construction and shared by every thread.
 */
public final class DataLayer {
    private final Domain domain;
    private final Hooks hooks;
    private final ErrorMapper errors;
    private final Connections connections;
    private final KernelSchemaAdmin schemas;
    private final Map<String, Target> targets = new HashMap<>();
    private final Links links;
    private final Loader loader;

    /** One resource's precomputed parts. */
    private record Target(ResourcePlan plan, SqlRenderer renderer, BulkWriter writer) {
    }

    /** @param versionField the attribute that versions records for optimistic concurrency, or null for none */
    public DataLayer(Domain domain, Hooks hooks, Connections connections, String versionField) {
        this(domain, hooks, connections, versionField, Path.of("tenant_migrations"));
    }

    /** @param tenantMigrations the folder of tenant migrations, applied to a tenant schema a plugin creates */
    public DataLayer(Domain domain, Hooks hooks, Connections connections, String versionField, Path tenantMigrations) {
        this.domain = domain;
        this.hooks = hooks;
        this.errors = new ErrorMapper(hooks);
        this.connections = connections;
        this.schemas = new KernelSchemaAdmin(connections, tenantMigrations);
        Map<String, ResourcePlan> plans = new HashMap<>();
        for (Resource resource : domain.resources()) {
            plans.put(resource.name(), new ResourcePlan(resource, versionField,
                    i -> hooks.identityColumns(resource, i)));
        }
        this.links = new Links(plans, resource -> hooks.relationships(domain, resource));
        plans.forEach((name, plan) -> targets.put(name, new Target(plan, new SqlRenderer(plan, links),
                new BulkWriter(plan))));
        this.loader = new Loader(this, links);
    }

    Domain domain() {
        return domain;
    }

    public Connections connections() {
        return connections;
    }

    private Target target(String resource) {
        Target target = targets.get(resource);
        if (target == null) {
            throw new AshlarException(ErrorCode.INVALID_QUERY, "Domain '" + domain.name() + "' has no resource '"
                    + resource + "'; it has " + targets.keySet(), resource, null, null, null);
        }
        return target;
    }

    public List<Row> list(Query query) {
        Target target = target(query.resource());
        QueryContext context = context(target, "read", Operation.READ);
        Query rewritten = hooks.rewrite(query, context);
        SqlStatement statement = target.renderer.render(Kind.SELECT, rewritten, Map.of(), scopes(rewritten, query));
        return marked(run(target, context, readRoute(context, rewritten), query.tenant(), statement::query),
                scopedTenant(query, rewritten));
    }

    /**
     * The tenant the hooks scoped a query by (a schema or a filter they added), or null when the
     * resource is not tenant-scoped: rows of a global resource belong to no tenant.
     */
    private static String scopedTenant(Query query, Query rewritten) {
        boolean scoped = !Objects.equals(query.schema(), rewritten.schema())
                || !Objects.equals(query.filter(), rewritten.filter());
        return scoped ? query.tenant() : null;
    }

    /** Rows of a tenant's action remember the tenant, so that writing them later goes to the same tenant. */
    private static List<Row> marked(List<Row> rows, String tenant) {
        return tenant == null ? rows : Rows.withTenant(rows, tenant);
    }

    /** The tenant a write of this row runs as: the row's own, which a handle of another tenant may not change. */
    private static String tenantOf(Row row, String tenant) {
        String own = row.tenant().orElse(null);
        if (own != null && tenant != null && !own.equals(tenant)) {
            throw new AshlarException(ErrorCode.INVALID_QUERY, "This " + row.resource() + " record belongs to tenant '"
                    + own + "', not '" + tenant + "': write it through ashlar.withTenant(\"" + own + "\")",
                    row.resource(), null, null, null);
        }
        return own != null ? own : tenant;
    }

    /** The rows a query selects, each carrying the relationships loaded on it: one statement per relationship and level. */
    public List<Row> list(Query query, List<Load> loads) {
        return loads.isEmpty() ? list(query)
                : connections.sharing(() -> loader.load(list(query), loads, query.tenant()));
    }

    /** The scopes of the relationships a query reaches, for the caller's tenant. */
    private Scopes scopes(Query rewritten, Query asked) {
        return Scopes.of(rewritten, links, resource -> scope(resource, asked.tenant()));
    }

    /** A resource's query for a tenant after every plugin's rewrite: the scope of a relationship's records. */
    Query scope(String resource, String tenant) {
        Target target = target(resource);
        return hooks.rewrite(Query.of(resource).withTenant(tenant), context(target, "read", Operation.READ));
    }

    /** Runs a read of a resource's records where the hooks route it, with the tenant's settings. */
    <T> T read(String resource, Query scope, String tenant, Connections.Work<T> work) {
        Target target = target(resource);
        QueryContext context = context(target, "read", Operation.READ);
        return run(target, context, readRoute(context, scope), tenant, work);
    }

    public long count(Query query) {
        return ((Number) value(Kind.COUNT, query)).longValue();
    }

    public boolean exists(Query query) {
        return (Boolean) value(Kind.EXISTS, query);
    }

    private Object value(Kind kind, Query query) {
        Target target = target(query.resource());
        QueryContext context = context(target, "read", Operation.READ);
        Query rewritten = hooks.rewrite(query, context);
        SqlStatement statement = target.renderer.render(kind, rewritten, Map.of(), scopes(rewritten, query));
        return run(target, context, readRoute(context, rewritten), query.tenant(), statement::value);
    }

    /** Sets the changes on every row the query selects; returns the updated rows. */
    public List<Row> updateAll(Query query, Map<String, ?> changes) {
        Target target = target(query.resource());
        QueryContext context = context(target, "update", Operation.MUTATE);
        Map<ColumnPlan, Object> converted = convert(target.plan, changes, "update");
        if (converted.isEmpty()) {
            return list(query);
        }
        Query rewritten = hooks.rewrite(query, context);
        SqlStatement statement = target.renderer.render(Kind.UPDATE, rewritten, converted, scopes(rewritten, query));
        return marked(run(target, context, mutationRoute(context), query.tenant(), statement::query),
                scopedTenant(query, rewritten));
    }

    /** Deletes every row the query selects; returns how many. */
    public int destroyAll(Query query) {
        Target target = target(query.resource());
        QueryContext context = context(target, "destroy", Operation.MUTATE);
        Query rewritten = hooks.rewrite(query, context);
        SqlStatement statement = target.renderer.render(Kind.DELETE, rewritten, Map.of(), scopes(rewritten, query));
        return run(target, context, mutationRoute(context), query.tenant(), statement::update);
    }

    public Row create(String resource, Map<String, ?> values, String tenant) {
        return insert(resource, List.of(values), null, tenant, "create", Returning.ROWS).get(0);
    }

    public List<Row> createAll(String resource, List<? extends Map<String, ?>> records, String tenant) {
        return createAll(resource, records, tenant, Returning.ROWS);
    }

    public List<Row> createAll(String resource, List<? extends Map<String, ?>> records, String tenant,
                               Returning returning) {
        return records.isEmpty() ? List.of() : insert(resource, records, null, tenant, "create", returning);
    }

    public List<Row> upsert(String resource, List<? extends Map<String, ?>> records, Upsert upsert, String tenant) {
        return upsert(resource, records, upsert, tenant, Returning.ROWS);
    }

    public List<Row> upsert(String resource, List<? extends Map<String, ?>> records, Upsert upsert, String tenant,
                            Returning returning) {
        Objects.requireNonNull(upsert, "upsert");
        return records.isEmpty() ? List.of() : insert(resource, records, upsert, tenant, "upsert", returning);
    }

    /** With plugins that act after writes, full rows are written and read back for them, then reduced to keys. */
    private List<Row> insert(String resource, List<? extends Map<String, ?>> records, Upsert upsert, String tenant,
                             String action, Returning returning) {
        boolean keys = returning == Returning.KEYS;
        boolean keysOnly = keys && !hooks.watchesWrites();
        Target target = target(resource);
        QueryContext context = context(target, action, Operation.MUTATE);
        Query scope = hooks.rewrite(Query.of(resource).withTenant(tenant), context);
        List<Map<String, ?>> scoped = Scoping.impose(scope.filter(), records, resource, action);
        String dataSource = mutationRoute(context);
        return watched(context, () -> {
            List<Row> rows = marked(run(target, context, dataSource, tenant,
                    c -> target.writer.insert(c, scope.schema(), scoped, upsert, action, keysOnly)),
                    scopedTenant(Query.of(resource).withTenant(tenant), scope));
            rows.forEach(row -> hooks.afterWrite(new WriteEvent(action, null, row), context, schemas));
            return keys && !keysOnly && !target.plan.primaryKey().isEmpty()
                    ? rows.stream().map(target.plan::keyOf).toList() : rows;
        });
    }

    /** Runs a write in a transaction with the plugins that act after writes, when there are any. */
    private <T> T watched(QueryContext context, java.util.function.Supplier<T> write) {
        return hooks.watchesWrites() ? connections.transaction(write) : write.get();
    }

    /** The record with this primary key (a map of key fields for a composite key). */
    public Row get(String resource, Object key, String tenant) {
        Target target = target(resource);
        List<Row> rows = list(Query.of(resource).withTenant(tenant).withFilter(keyFilter(target.plan, key)));
        if (rows.isEmpty()) {
            throw notFound(target.plan, key, "get");
        }
        return rows.get(0);
    }

    /**
     * Writes the changes that differ from the row; returns the stored row afterwards. With a version
     * attribute, the update applies only if the stored version is still the row's, and counts it up.
     */
    public Row update(Row row, Map<String, ?> changes, String handleTenant) {
        String tenant = tenantOf(row, handleTenant);
        Target target = target(row.resource());
        Map<String, Object> changed = new LinkedHashMap<>();
        changes.forEach((field, value) -> {
            if (!row.has(field) || !Objects.deepEquals(row.get(field), value)) {
                changed.put(field, value);
            }
        });
        if (changed.isEmpty()) {
            return row;
        }
        Object version = version(target.plan, row);
        if (version != null) {
            changed.put(target.plan.version().name(), ((Number) version).longValue() + 1);
        }
        QueryContext context = context(target, "update", Operation.MUTATE);
        return watched(context, () -> {
            List<Row> updated = updateAll(selectOne(target.plan, row, tenant), changed);
            if (updated.isEmpty()) {
                throw missingOrStale(target.plan, row, tenant, "update");
            }
            hooks.afterWrite(new WriteEvent("update", row, updated.get(0)), context, schemas);
            return updated.get(0);
        });
    }

    /** Deletes the row's record; with a version attribute, only if it is still the row's version. */
    public void destroy(Row row, String handleTenant) {
        String tenant = tenantOf(row, handleTenant);
        Target target = target(row.resource());
        QueryContext context = context(target, "destroy", Operation.MUTATE);
        watched(context, () -> {
            if (destroyAll(selectOne(target.plan, row, tenant)) == 0) {
                throw missingOrStale(target.plan, row, tenant, "destroy");
            }
            hooks.afterWrite(new WriteEvent("destroy", row, null), context, schemas);
            return null;
        });
    }

    /** The row's record by key, and by version when the resource has one. */
    private static Query selectOne(ResourcePlan plan, Row row, String tenant) {
        Filter filter = keyFilter(plan, row);
        Object version = version(plan, row);
        if (version != null) {
            filter = Filter.and(filter, Filter.eq(plan.version().name(), version));
        }
        return Query.of(row.resource()).withTenant(tenant).withFilter(filter);
    }

    private static Object version(ResourcePlan plan, Row row) {
        return plan.version() != null && row.has(plan.version().name()) ? row.get(plan.version().name()) : null;
    }

    private AshlarException missingOrStale(ResourcePlan plan, Row row, String tenant, String action) {
        Object version = version(plan, row);
        boolean exists = version != null && !list(Query.of(row.resource()).withTenant(tenant)
                .withFilter(keyFilter(plan, row)).withSelect(List.of(plan.version().name()))).isEmpty();
        if (!exists) {
            return notFound(plan, row, action);
        }
        return new AshlarException(ErrorCode.STALE_RECORD, "Cannot " + action + " " + plan.name() + " "
                + keyOf(plan, row) + ": it changed since it was read (" + plan.version().name() + " " + version
                + "). Read it again and reapply the change.", plan.name(), plan.version().name(), null, null);
    }

    private static Filter keyFilter(ResourcePlan plan, Object key) {
        List<ColumnPlan> columns = plan.primaryKey();
        if (columns.isEmpty()) {
            throw new AshlarException(ErrorCode.INVALID_QUERY, "Resource '" + plan.name() + "' has no primary key; "
                    + "read it with a filter instead", plan.name(), null, null, null);
        }
        if (columns.size() == 1 && !(key instanceof Row) && !(key instanceof Map)) {
            return Filter.eq(columns.get(0).name(), key);
        }
        List<Filter> parts = new ArrayList<>();
        for (ColumnPlan column : columns) {
            Object value = key instanceof Row row ? row.get(column.name()) : ((Map<?, ?>) key).get(column.name());
            if (value == null) {
                throw new AshlarException(ErrorCode.INVALID_QUERY, "The key of " + plan.name() + " needs a value for '"
                        + column.name() + "'", plan.name(), column.name(), null, null);
            }
            parts.add(Filter.eq(column.name(), value));
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    private static AshlarException notFound(ResourcePlan plan, Object key, String action) {
        Object shown = key instanceof Row row ? keyOf(plan, row) : key;
        return new AshlarException(ErrorCode.NOT_FOUND, "Cannot " + action + " " + plan.name() + ": no record with "
                + "key " + shown, plan.name(), null, null, null);
    }

    private static Map<String, Object> keyOf(ResourcePlan plan, Row row) {
        Map<String, Object> key = new LinkedHashMap<>();
        plan.primaryKey().forEach(c -> key.put(c.name(), row.has(c.name()) ? row.get(c.name()) : null));
        return key;
    }

    private static Map<ColumnPlan, Object> convert(ResourcePlan plan, Map<String, ?> changes, String action) {
        Map<ColumnPlan, Object> converted = new LinkedHashMap<>();
        changes.keySet().forEach(plan::column);
        for (ColumnPlan column : plan.columns()) {
            if (changes.containsKey(column.name())) {
                converted.put(column, plan.toDatabase(column, changes.get(column.name()), action));
            }
        }
        return converted;
    }

    private QueryContext context(Target target, String action, Operation operation) {
        return new QueryContext(domain, target.plan.resource(), action, operation);
    }

    /** Reads go where a plugin routes them, except locking reads and reads in a transaction: the primary. */
    private String readRoute(QueryContext context, Query query) {
        if (query.lock() != Lock.NONE || connections.inTransaction()) {
            return null;
        }
        return hooks.route(context).orElse(null);
    }

    /**
     * Mutations run on the primary whatever a routing plugin says; a plugin that names another data
     * source is misconfigured, and the write is refused before anything is sent, rather than failing
     * on a standby with PostgreSQL's bare "cannot execute INSERT in a read-only transaction".
     */
    private String mutationRoute(QueryContext context) {
        String name = hooks.route(context).orElse(Replication.PRIMARY);
        if (!name.equals(Replication.PRIMARY)) {
            throw new AshlarException(ErrorCode.PLUGIN, "Cannot " + context.action() + " " + context.resource().name()
                    + " on data source '" + name + "': the routing sent a mutation there, but writes run on the "
                    + "primary only. Route MUTATE to \"" + Replication.PRIMARY + "\" (or to nothing) for resource '"
                    + context.resource().name() + "'", context.resource().name(), null, null, null);
        }
        return null;
    }

    /**
     * Runs work on a connection and maps its errors. When plugins ask for transaction settings (the
     * tenant of a row-level security policy), they are set first, in the same transaction.
     */
    private <T> T run(Target target, QueryContext context, String dataSource, String tenant,
                      Connections.Work<T> work) {
        Map<String, String> settings = hooks.settings(context, tenant);
        try {
            return settings.isEmpty() ? connections.run(dataSource, work)
                    : connections.run(dataSource, c -> Connections.atomically(c, inside -> {
                        Scoping.apply(inside, settings);
                        return work.run(inside);
                    }));
        } catch (SQLException e) {
            throw errors.map(e, context, target.plan, dataSource == null ? Replication.PRIMARY : dataSource);
        }
    }
}
