package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.kernel.data.Isolation;
import dev.ashlar.kernel.data.TransactionOptions;
import dev.ashlar.kernel.data.ActionObserver;
import dev.ashlar.kernel.data.Grouping;
import dev.ashlar.kernel.data.Subtotals;
import dev.ashlar.kernel.data.Load;
import dev.ashlar.kernel.data.Returning;
import dev.ashlar.kernel.data.Merge;
import dev.ashlar.kernel.data.MergeResult;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.data.internal.QueryShape.Kind;
import dev.ashlar.api.internal.RowLayout;
import dev.ashlar.api.internal.Rows;
import dev.ashlar.api.internal.SeenSortKeys;
import dev.ashlar.api.data.ForbiddenField;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.AggregateRules;
import dev.ashlar.api.internal.CalculationRules;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Calculation;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.spi.plugin.Action;
import dev.ashlar.spi.plugin.CustomRelationship;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.plugin.Replication;
import dev.ashlar.spi.plugin.TenantScope;
import dev.ashlar.kernel.tenant.TenantSchemas;
import dev.ashlar.spi.plugin.WriteEvent;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Computed;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Operation;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Extending;
import dev.ashlar.api.resource.Identity;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The engine behind {@code Ashlar}: runs each action as hooks, rendering, routing, execution and
 * error mapping. Immutable after construction and shared by every thread.
 */
public final class DataLayer {
    private static final Logger LOG = LoggerFactory.getLogger(DataLayer.class);

    /** What to do instead of a write of many records that a resource's own update statement cannot stand in for. */
    private static final String UPDATE_EACH = "update each record with update(row, changes), in a transaction for "
            + "all or none";

    /** The SQL state of a call of a function the server has not for its argument types. */
    private static final String UNDEFINED_FUNCTION = "42883";

    /**
     * A filter keeping the records whose field holds one of the keys, each list written {@code = ANY(?)}, so that an
     * index of the field finds them: a list of more than {@link SqlWriter#LONG_LIST} values is otherwise a hashed
     * subquery, which the planner may join to a scan of the whole table when it expects few rows from the rest of the
     * filter. Longer lists are split, each part an index scan of the {@code or}.
     */
    public static Filter keyIn(String field, List<?> keys) {
        if (keys.size() <= SqlWriter.LONG_LIST) {
            return Filter.in(field, keys);
        }
        List<Filter> parts = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += SqlWriter.LONG_LIST) {
            parts.add(Filter.in(field, keys.subList(from, Math.min(keys.size(), from + SqlWriter.LONG_LIST))));
        }
        return Filter.or(parts.toArray(Filter[]::new));
    }

    private final Domain domain;
    private final Hooks hooks;
    private final Scoping scoping;

    private final ErrorMapper errors;
    private final CommitErrors commitErrors;
    private final Connections connections;
    /**
     * The transaction settings (a tenant's) each connection's open transaction has been given, so that a later
     * action of the same transaction that names none of them (a main-schema resource's, another tenant's) empties
     * them first rather than running with an earlier tenant's. A stale entry only empties a setting already gone.
     */
    private final Map<Connection, Set<String>> transactionSettings;
    private final KernelSchemaAdmin schemas;
    private final Map<String, Target> targets = new HashMap<>();
    private final Links links;
    private final Loader loader;
    private final ActionObserver observer;
    private final HandWrittenSql handWritten;
    private final Policies policies;
    /** The resource whose history this layer reads ({@link #history}) in place of its table, or null. */
    private final String history;
    /** The statement a read takes one resource's rows from in place of its table ({@link #fromStatement}), or null. */
    private final SqlSource source;
    /** The layer reading every resource from its table: this one, or the one a view ({@link #fromStatement}) is of. */
    private final DataLayer tables;

    /**
     * One resource's precomputed parts.
     *
     * @param custom the statements its writes run in place of the data layer's own, or null
     */
    private record Target(ResourcePlan plan, SqlRenderer renderer, BulkWriter writer, boolean watched,
                          CustomStatements custom) {
    }

    /** @param versionField the attribute that versions records for optimistic concurrency, or null for none */
    public DataLayer(Domain domain, Hooks hooks, Connections connections, String versionField) {
        this(domain, hooks, connections, versionField, Path.of("tenant_migrations"));
    }

    /** @param tenantMigrations the folder of tenant migrations, applied to a tenant schema a plugin creates */
    public DataLayer(Domain domain, Hooks hooks, Connections connections, String versionField, Path tenantMigrations) {
        this(domain, hooks, connections, versionField, new TenantSchemas(tenantMigrations), null, Policies.NONE);
    }

    /**
     * @param tenants  what creates a tenant schema a plugin asks for, with the tenant migrations
     * @param observer what watches every action's statement, or null for nothing
     * @param policies which rows the actor of each action may reach ({@code Ashlar.builder().policies(...)})
     */
    public DataLayer(Domain domain, Hooks hooks, Connections connections, String versionField, TenantSchemas tenants,
                     ActionObserver observer, Policies policies) {
        this.observer = observer;
        this.policies = policies;
        this.transactionSettings = Collections.synchronizedMap(new WeakHashMap<>());
        this.domain = domain;
        this.hooks = hooks;
        this.scoping = new Scoping(hooks.tenancies());
        policies.checkFields(domain, hooks.tenancies()::columns, versionField);
        dev.ashlar.kernel.schema.JoinedKey.checkTenancy(domain, hooks.tenancies());
        this.errors = new ErrorMapper(hooks);
        this.connections = connections;
        this.schemas = new KernelSchemaAdmin(connections, tenants);
        Map<String, ResourcePlan> plans = new HashMap<>();
        for (Resource resource : domain.resources()) {
            plans.put(resource.name(), new ResourcePlan(resource, versionField,
                    i -> hooks.identityColumns(resource, i), hooks.tenancies().columns(resource)));
            if (resource.tableOptions().draftable()) {
                Resource drafts = DraftResource.of(resource);
                plans.put(drafts.name(), new ResourcePlan(drafts, versionField,
                        i -> hooks.identityColumns(resource, i), hooks.tenancies().columns(resource)));
            }
        }
        if (versionField != null && plans.values().stream().noneMatch(plan -> plan.version() != null
                && plan.resource().optimisticLock() == null)) {
            // A warning, not a refusal: one setting may serve applications whose domains do not all version records.
            LOG.warn("optimisticLock(\"{}\") names no attribute of any resource "
                    + "of domain '{}', so no record is versioned: give the attribute's name as resources declare it "
                    + "(e.g. lock_version), or leave the option out", versionField, domain.name());
        }
        this.links = new Links(plans, hooks::relationships);
        RelationshipFilterCheck.check(domain, links);
        plans.forEach((name, plan) -> targets.put(name, new Target(plan, new SqlRenderer(plan, links),
                new BulkWriter(plan), hooks.watchesWrites(plan.resource()), CustomStatements.of(plan))));
        this.loader = new Loader(this, links);
        this.commitErrors = new CommitErrors(domain, errors, name -> targets.get(name).plan());
        this.handWritten = new HandWrittenSql(domain, domain.resources().stream()
                .flatMap(resource -> hooks.relationships(resource).stream()).map(CustomRelationship::name).toList());
        this.history = null;
        this.source = null;
        this.tables = this;
    }

    /** A view of the base sharing its pools, plugins and state, with other links (a read's own aggregates). */
    private DataLayer(DataLayer base, String resource, Links links, HandWrittenSql handWritten) {
        this(base, resource, links, handWritten, base.target(resource).plan, base.history, base.source);
    }

    /**
     * @param plan   the resource's plan in this view: its own, or one reading its history
     * @param source the statement the resource's reads take their rows from, or null for its table
     */
    private DataLayer(DataLayer base, String resource, Links links, HandWrittenSql handWritten, ResourcePlan plan,
                      String history, SqlSource source) {
        this.observer = base.observer;
        this.policies = base.policies;
        this.domain = base.domain;
        this.hooks = base.hooks;
        this.scoping = base.scoping;
        this.errors = base.errors;
        this.connections = base.connections;
        this.schemas = base.schemas;
        this.transactionSettings = base.transactionSettings;
        this.commitErrors = base.commitErrors;
        this.links = links;
        this.handWritten = handWritten;
        // Only the resource's own statements name its read's aggregates; the others' renderers are shared.
        targets.putAll(base.targets);
        Target own = base.target(resource);
        SqlSource read = source != null && source.resource().equals(resource) ? source : null;
        targets.put(resource, new Target(plan, new SqlRenderer(plan, links, read), own.writer, own.watched,
                own.custom));
        // A read from a statement loads its relationships as any read does: from their tables, also a relationship
        // back to the resource itself, which this view would read from the statement.
        this.loader = source == null ? new Loader(this, links) : base.loader;
        this.history = history;
        this.source = source;
        this.tables = base.tables;
    }

    /**
     * This data layer reading the resource's view of its current rows and past versions ({@code <table>_with_history},
     * which {@code history()} makes) in place of its table, its period column {@code sys_period} beside its attributes
     * for the read's filter to name. Filters, sorts, the base filter and the tenant scope apply as to its table.
     *
     * @throws QueryException naming the resource and the fix, for one that keeps no history
     */
    public DataLayer history(String resource) {
        Resource stored = target(resource).plan.resource();
        if (!stored.tableOptions().history()) {
            throw QueryException.of(resource, null, "Resource '" + resource + "' keeps no history, so there is no past "
                    + "version to read: declare it with .history() on its resource builder and generate a migration, "
                    + "which creates " + Names.historyTable(stored.table()) + " and " + Names.historyView(stored.table()));
        }
        Resource viewed = new Resource(stored.name(), Names.historyView(stored.table()), stored.schema(),
                stored.attributes(), stored.identities(), stored.relationships(), stored.extensions(),
                stored.tableOptions(), stored.knownConstraints(), stored.baseFilter(), stored.aggregates(),
                stored.calculations(), null, stored.authorship(), stored.softDelete(), stored.softDeleteClears());
        ResourcePlan plan = new ResourcePlan(viewed, null, i -> hooks.identityColumns(stored, i),
                hooks.tenancies().columns(stored));
        return new DataLayer(this, resource, links, handWritten, plan, resource, source);
    }

    /**
     * This data layer reading the resource's rows from a statement written by hand ({@code Read.from}) in place of its
     * table: {@code FROM (<statement>) AS "<table>"}, every scope, filter, sort and page of a read applied to them. In a
     * tenant's schema the statement runs with that schema first on the search path, as other SQL written by hand does.
     *
     * @throws QueryException naming the resource, for a statement that is no one SELECT, or values that do not match
     *                        its marks
     */
    public DataLayer fromStatement(String resource, String sql, Object[] values) {
        ResourcePlan plan = target(resource).plan;
        return new DataLayer(this, resource, links, handWritten.everywhere(), plan, history,
                SqlSource.of(plan, sql, values));
    }

    /** Whether this layer reads the resource's rows from a statement ({@link #fromStatement}). */
    public boolean readsStatement(String resource) {
        return source != null && source.resource().equals(resource);
    }

    /**
     * Refuses a write or lock through a read of the resource from a statement.
     *
     * @param action what was asked, as the message names it
     */
    public void refuseOnStatement(String resource, String action) {
        if (readsStatement(resource)) {
            throw SqlSource.refusedWrite(target(resource).plan, action);
        }
    }

    /**
     * A write by query over a read from a statement, done to the table's rows that the statement returns (jOOQ's
     * {@code UPDATE ... FROM}, {@code DELETE ... USING}): the keys of the rows the read returns, read with its
     * tenant scope, base filter, policy, filters, sorts and page over the statement's rows, then the write of the
     * table's rows with those keys, in the handle's scope again, so a statement returning rows the handle may not
     * reach writes none of them. Both in one transaction.
     *
     * @param write the write of the table's rows, given the query that selects them
     */
    private <T> T overStatement(Query query, String handle, java.util.function.Function<Query, T> write) {
        ResourcePlan plan = target(query.resource()).plan;
        return transaction(() -> write.apply(SqlSource.tableRows(plan, query,
                list(query.withSelect(SqlSource.keyNames(plan)), handle))));
    }

    /**
     * A draftable resource's drafts: the name under which they are read and written ({@code post@posts_draft}), its
     * key and its reset attributes.
     *
     * @param action what asked, named in the error
     * @throws QueryException naming the resource and the option, for one that is not draftable
     */
    public DraftResource.Drafted drafts(String resource, String action) {
        ResourcePlan plan = target(resource).plan;
        DraftResource.Drafted drafted = DraftResource.checked(plan.resource(), action);
        String version = plan.version() == null ? null : plan.version().name();
        return version == null || version.equals(plan.resource().optimisticLock()) ? drafted
                : drafted.withUnseenVersion(version, plan.version().attribute().columnName());
    }

    /**
     * Runs a publish: its writes of a draftable resource's table are let through {@code refuseLiveWrites()}, on this
     * thread, until it returns.
     */
    public <T> T publishing(Supplier<T> publish) {
        return ReadOnlyResources.publishing(publish);
    }

    /** Whether this layer reads the resource's history rather than its table: such a read writes nothing. */
    public boolean readsHistory(String resource) {
        return resource.equals(history);
    }

    /**
     * This data layer with aggregates a read gives a resource (Ash's {@code Query.aggregate}), beside those it
     * declares: they are loaded, filtered and sorted on by name in that read alone.
     *
     * @throws QueryException naming the aggregate and the fix, for one the domain would refuse to declare (a name
     *                        the resource uses, a missing relationship or attribute, an option its kind does not take)
     */
    public DataLayer withAggregates(String resource, List<dev.ashlar.api.resource.Aggregate> more) {
        ResourcePlan plan = target(resource).plan;
        Map<String, Resource> resources = new HashMap<>();
        domain.resources().forEach(r -> resources.put(r.name(), r));
        for (dev.ashlar.api.resource.Aggregate aggregate : more) {
            QueryException.required(aggregate, "aggregate");
            String problem = links.derived(plan.name(), aggregate.name()) != null ? "is used twice; attributes, "
                    + "relationships, aggregates and calculations share one namespace, so rename the aggregate"
                    : AggregateRules.problem(resources, plan.resource(), aggregate);
            if (problem != null) {
                throw QueryException.of(resource, aggregate.name(), "The aggregate '" + aggregate.name()
                        + "' a read of " + resource + " gives: " + problem);
            }
        }
        return new DataLayer(this, resource, links.withAggregates(plan.name(), more), handWritten.with(more));
    }

    /**
     * This data layer with a calculation a read gives a resource (Ash's {@code Query.calculate}), beside those it
     * declares: loaded, filtered and sorted on by name in that read alone.
     *
     * @throws QueryException naming the calculation and the fix, for one the domain would refuse to declare
     */
    public DataLayer withCalculation(String resource, Calculation calculation) {
        QueryException.required(calculation, "calculation");
        return withCalculation(resource, resource, calculation,
                "The calculation '" + calculation.name() + "' a read of " + resource + " gives");
    }

    /**
     * {@link #withCalculation(String, Calculation)} for a resource a read of {@code reading} reaches by a path;
     * {@code given} names, in a refusal, what gave the calculation.
     */
    private DataLayer withCalculation(String reading, String resource, Calculation calculation, String given) {
        ResourcePlan plan = target(resource).plan;
        String problem = links.derived(plan.name(), calculation.name()) != null ? "is used twice; attributes, "
                + "relationships, aggregates and calculations share one namespace, so rename the calculation"
                : CalculationRules.problem(plan.resource(), calculation);
        try {
            if (problem == null) {
                return new DataLayer(this, reading, links.withCalculations(plan.name(), List.of(calculation)),
                        handWritten.withCalculation(calculation.name()));
            }
        } catch (DefinitionException e) {
            problem = e.getMessage();
        }
        throw QueryException.of(resource, calculation.name(), given + ": " + problem);
    }

    /**
     * This layer where the resource also has its declared calculation under another name, {@code as}, so that one read
     * loads it twice with two sets of arguments (AshPostgres loads a calculation under another name so).
     *
     * @throws QueryException naming the calculation when the resource declares none of that name, or {@code as} when
     *                        the resource already has a field of that name
     */
    public DataLayer withCalculationAs(String resource, String calculation, String as) {
        QueryException.required(as, "name");
        return withCalculation(resource, resource,
                renamed(resource, calculation, as, "load(\"" + calculation + "\", \"" + as + "\", arguments) loads"),
                "The calculation '" + as + "' a read of " + resource + " gives");
    }

    /**
     * This layer where the resource that a read of {@code reading} reaches by {@code path} ({@code "author.full_name"})
     * also has the calculation at the path's end under another name, {@code as}, which that read's filter and sorts
     * name.
     *
     * @throws QueryException naming the call when a step is no relationship, the path ends at no calculation, or
     *                        that resource already has a field named {@code as}
     */
    public DataLayer withRelatedCalculationAs(String reading, String path, String as) {
        QueryException.required(as, "name");
        String resource = resourceAt(reading, path);
        String calculation = path.substring(path.lastIndexOf('.') + 1);
        String call = "arguments(\"" + path + "\", \"" + as + "\", arguments) in a read of " + reading;
        return withCalculation(reading, resource, renamed(resource, calculation, as, call + " names"),
                call + " names " + resource + "'s calculation '" + calculation + "' '" + as + "' too");
    }

    /** The resource's declared calculation under the name {@code as}; {@code call} begins a refusal's message. */
    private Calculation renamed(String resource, String calculation, String as, String call) {
        Resource declaring = target(resource).plan.resource();
        Calculation declared = declaring.calculation(calculation).orElseThrow(() -> QueryException.of(resource,
                calculation, call + " a calculation of " + resource + " under another name, and " + resource
                + " declares no calculation named '" + calculation + "'; its calculations are "
                + declaring.calculations().stream().map(Calculation::name).toList()));
        return new Calculation(as, declared.type(), declared.sql(), declared.values(), declared.arguments(),
                declared.valueType());
    }

    Domain domain() {
        return domain;
    }

    /**
     * The resolved resource of that name, as the data layer acts on it.
     *
     * @throws QueryException naming the resources there are, and the one meant, when the domain has none of that name
     */
    public Resource resource(String name) {
        return target(name).plan.resource();
    }

    /**
     * The fields a create takes from a read's rows under their own names ({@code createAll(resource, read)}): the
     * resource's attributes but those a tenant's scope fixes, which the create sets in its own tenant.
     */
    public Set<String> sameNamedFields(String resource) {
        ResourcePlan plan = target(resource).plan;
        Set<String> fields = new LinkedHashSet<>();
        plan.resource().attributes().forEach(attribute -> fields.add(attribute.name()));
        plan.tenantColumns().forEach(column -> fields.remove(column.name()));
        return fields;
    }

    public Hooks hooks() {
        return hooks;
    }

    /**
     * Whether a write of the resource sends a statement for each record anyway, so that a bulk write's failed batch
     * is best written again record by record: a create whose statement returns the key (a joined resource's, or a
     * {@code createSql} with {@code RETURNING}) runs once a record ({@link CustomStatements#runEach}), and a joined
     * resource's upsert looks each record up before it writes it.
     */
    public boolean writesRecordByRecord(String resource, boolean upsert) {
        Target target = target(resource);
        if (target.custom == null) {
            return false;
        }
        return upsert ? target.plan.joined() : target.custom.create() != null && target.custom.create().returning();
    }

    /** Whether a transaction, Ashlar's or the application's it joins, is open on this thread. */
    public boolean transactionOpen() {
        return connections.inTransaction();
    }

    public Connections connections() {
        return connections;
    }

    /**
     * A statement written by hand ({@code ashlar.sql(...)}), run without a tenant's scope: in a transaction where an
     * earlier action gave a tenant's settings (a row-level security setting, the tenant's schema first on the search
     * path), it runs with them emptied and the transaction's own search path back, as a main-schema action does.
     */
    public PlainSql plainSql(String sql, Object... values) {
        return new PlainSql(connections, this::unscoped, sql, values);
    }

    /** Whether a statement written by hand runs through this layer, and so in a transaction it holds on this thread. */
    public boolean runs(PlainSql sql) {
        return sql.runsOn(connections);
    }

    /** Empties the settings that earlier tenants' actions gave the transaction open on the connection, if any. */
    private void unscoped(Connection connection) throws SQLException {
        Set<String> earlier = earlierSettings(connection, false);
        if (earlier != null) {
            applySettings(connection, earlier, Map.of(), true);
        }
    }

    /** {@link Connections#transaction} reporting a deferred constraint broken at commit like any violation. */
    public <T> T transaction(java.util.function.Supplier<T> body) {
        return connections.transaction(body, commitErrors::map);
    }

    /** {@link #transaction(java.util.function.Supplier)} at an isolation level. */
    public <T> T transaction(dev.ashlar.kernel.data.Isolation isolation, java.util.function.Supplier<T> body) {
        return connections.transaction(isolation, body, commitErrors::map);
    }

    /** {@link #transaction(java.util.function.Supplier)} with options: a level, read only, attempts. */
    public <T> T transaction(dev.ashlar.kernel.data.TransactionOptions options, java.util.function.Supplier<T> body) {
        return connections.transaction(options, body, commitErrors::map);
    }

    private Target target(String resource) {
        Target target = targets.get(resource);
        if (target == null) {
            String polymorphic = resource == null ? null : domain.polymorphicProblem(resource);
            throw QueryException.of(resource, null, polymorphic != null ? polymorphic : "Domain '" + domain.name()
                    + "' has no resource '" + resource + "'" + ClosestName.hint(resource, targets.keySet())
                    + "; it has " + targets.keySet() + ": fix the name, or add the resource to the domain the Ashlar was "
                    + "built with (Domain.builder(...).resources(...))");
        }
        return target;
    }

    /**
     * Refuses a record class that a typed write would store but could not return: one of its components (by field
     * name) is no attribute of the resource.
     *
     * @throws QueryException naming the component and the resource's attributes
     */
    public void requireAttributes(String resource, Class<?> recordType, List<String> fields) {
        ResourcePlan plan = target(resource).plan;
        for (String field : fields) {
            if (!plan.hasAttribute(field)) {
                throw QueryException.of(resource, field, "Record " + recordType.getName() + " has a component for '"
                        + field + "', which is no attribute of " + resource + " " + plan.layout().fields() + ", so "
                        + "the stored row could not come back as that record: nothing was written. Declare the "
                        + "attribute on the resource, or remove the component (read derived and related fields into "
                        + "a view record with list(View.class))");
            }
        }
    }

    /**
     * Whether the resource declares an aggregate or a calculation of that name, which a read loads as a field of its
     * rows.
     */
    public boolean declaresDerived(String resource, String name) {
        return links.derived(target(resource).plan.name(), name) != null;
    }

    /**
     * The resource a dotted name reaches through the resource's relationships (every name but the last: {@code
     * "author.full_name"} is the author's), or the resource itself for a name without a dot.
     *
     * @throws QueryException naming the path when a step is no relationship
     */
    public String resourceAt(String resource, String path) {
        String current = target(resource).plan.name();
        String[] names = path.split("\\.");
        for (int i = 0; i < names.length - 1; i++) {
            Link link = links.relationshipOrNull(current, names[i]);
            if (link == null) {
                throw QueryException.of(resource, path, "'" + path + "' on " + resource + ": '" + names[i]
                        + "' is no relationship of " + current + "; name the relationships to the resource that "
                        + "declares the calculation, then the calculation");
            }
            current = link.destination().name();
        }
        return current;
    }

    /** The rows a query selects, for the handle's tenant (or the query's, when the handle has none). */
    public List<Row> list(Query query, String handle) {
        return list(query, handle, true);
    }

    /**
     * The rows a query selects as records of the type, each mapped straight from the result as {@link Row#as} maps a
     * row: records carry no tenant, so there is none to mark.
     */
    public <R extends Record> List<R> records(Query query, String handle, Class<R> type) {
        Prepared read = prepare(query, handle, Action.READ);
        return records(read, read.target.renderer.render(Kind.SELECT, read.query, Map.of(), scopes(read)), type);
    }

    private <R extends Record> List<R> records(Prepared read, SqlStatement statement, Class<R> type) {
        return paged(read, readRoute(read.context, read.query), connection -> statement.records(connection, type));
    }

    /**
     * The rows a query selects as a write just left them, read on the primary: a replica may not have replayed the
     * write yet (the stored records an upsert kept, the record an update by key and version did not change).
     */
    private List<Row> reread(Query query, String handle) {
        return list(query, handle, false);
    }

    /**
     * {@link #reread} past the resource's base filter, in the same tenant scope: for the reads that pick, precede or
     * explain a write by key or by query, which does not apply the base filter either (a soft-deleted record found
     * with {@code ignoreBaseFilter()} is restored, purged, or refused as stale, never reported missing).
     */
    private List<Row> rereadAsWritten(Query query, String handle) {
        return reread(query.withBaseFilterIgnored(true), handle);
    }

    /** @param routed whether the read goes where the routers send it, rather than to the primary */
    private List<Row> list(Query query, String handle, boolean routed) {
        Prepared read = prepare(query, handle, Action.READ);
        return list(read, read.target.renderer.render(Kind.PAGE, read.query, Map.of(), scopes(read)), routed);
    }

    private List<Row> list(Prepared read, SqlStatement statement, boolean routed) {
        String dataSource = routed ? readRoute(read.context, read.query) : null;
        return marked(paged(read, dataSource, statement::query), read.owner());
    }

    /**
     * Runs a read that may page by cursor ({@code list}, {@code forEach}, {@code stream}): a cursor's value the server
     * cannot compare is the client's mistake.
     */
    private <T> T paged(Prepared read, String dataSource, Connections.Work<T> work) {
        try {
            return run(read, dataSource, work);
        } catch (DatabaseException e) {
            throw SortValue.mistyped(read.query, e);
        }
    }

    /**
     * The rows of reads of one resource combined by set operators ({@code UNION}, {@code INTERSECT ALL}, ...), then
     * sorted and paged by {@code outer}: one statement, each read scoped by the plugins' hooks as it would be alone.
     *
     * @param operators one per read after the first
     */
    public List<Row> combine(List<Query> parts, List<String> operators, Query combination, String handle) {
        Query outer = combination;
        for (Computed field : SqlRenderer.combinedComputed(combination.resource(), parts)) {
            outer = outer.withComputed(field);
        }
        List<Prepared> reads = new ArrayList<>();
        for (Query part : parts) {
            reads.add(prepare(SqlRenderer.combinable(part), handle, Action.READ));
        }
        Prepared first = reads.get(0);
        for (Prepared read : reads) {
            if (!Objects.equals(read.tenant, first.tenant)) {
                throw QueryException.of(first.target.plan.name(), null, "Combined reads of "
                        + first.target.plan.name() + " read one tenant, but they name '" + first.tenant + "' and '"
                        + read.tenant + "': combine reads of one tenant, e.g. made from ashlar.withTenant(...)");
            }
        }
        List<SqlStatement> statements = new ArrayList<>();
        for (Prepared read : reads) {
            statements.add(read.target.renderer.render(Kind.SELECT, read.query, Map.of(), scopes(read)));
        }
        SqlStatement combined = first.target.renderer.combination(statements, operators, outer,
                scopes(SqlRenderer.combinedOuter(outer), List.of(), first.tenant, first.query.resource())
                        .masked(masks(first.tenant)));
        Prepared all = first.handWritten(handWritten.in(outer) || reads.stream().anyMatch(Prepared::handWritten));
        return marked(run(all, readRoute(first.context, first.query), combined::query), first.owner());
    }

    /**
     * Hands over the rows a query selects one at a time, never all in memory: the server sends them {@code batch}
     * at a time through a cursor, in a transaction of their own (or the caller's). Returns how many.
     */
    public long forEach(Query query, String handle, int batch, Consumer<Row> each) {
        given(query.resource(), each, "forEach", "what to do with each row");
        Prepared read = rowByRow(query, handle);
        SqlStatement statement = read.target.renderer.render(Kind.PAGE, read.query, Map.of(), scopes(read));
        String owner = read.owner();
        long[] handed = {0};
        Consumer<Row> marking = row -> {
            handed[0]++;
            each.accept(owner == null ? row : Rows.withTenant(row, owner));
        };
        // In a transaction of its own, forEach holds a lock it takes until its last row is handed over.
        String dataSource = read.query.lock() != Lock.NONE ? null : readRoute(read.context, read.query);
        boolean inTransaction = connections.inTransaction();
        return paged(read, dataSource, connection -> {
            try {
                return Connections.atomically(connection, inside -> statement.each(inside, batch, marking));
            } catch (SQLException e) {
                if (handed[0] > 0 && DatabaseError.connectionLost(e.getSQLState())) {
                    throw handedOver("forEach", query.resource(), dataSource, handed[0], inTransaction, e);
                }
                throw e;
            }
        });
    }

    /** A read prepared to be handed over row by row through a cursor: refused before a cursor, which reverses it. */
    private Prepared rowByRow(Query query, String handle) {
        if (!query.before().isEmpty()) {
            throw QueryException.of(query.resource(), null, "A read of " + query.resource() + " before a cursor "
                    + "comes in reverse and cannot be handed over row by row; use after(...) with the sorts reversed");
        }
        return prepare(query, handle, Action.READ);
    }

    /**
     * The rows a query selects as a stream pulled row by row, never all in memory: the server sends them {@code
     * batch} at a time through the cursor {@link #forEach} reads, in the transaction open on the thread or in one of
     * the stream's own (read only unless the read locks), held until the stream is closed or read to its end.
     */
    public Stream<Row> stream(Query query, String handle, int batch) {
        Prepared read = rowByRow(query, handle);
        SqlStatement statement = read.target.renderer.render(Kind.PAGE, read.query, Map.of(), scopes(read));
        boolean locks = read.query.lock() != Lock.NONE;
        String dataSource = locks ? null : readRoute(read.context, read.query);
        String source = dataSource == null ? Replication.PRIMARY : dataSource;
        Lease lease;
        try {
            lease = connections.lease(dataSource, !locks);
        } catch (SQLException e) {
            throw errors.map(e, read.context, read.target.plan, source, connections.inTransaction());
        }
        Runnable ended = lease.own() ? () -> transactionSettings.remove(lease.connection()) : () -> { };
        Cursor cursor;
        try {
            cursor = connections.on(lease, () -> paged(read, dataSource, c -> Cursor.open(statement, c, batch)));
        } catch (RuntimeException | Error e) {
            try {
                lease.end(true);
            } catch (SQLException end) {
                e.addSuppressed(end);
            }
            ended.run();
            throw e;
        }
        boolean inTransaction = connections.inTransaction();
        Stream<Row> rows = CursorStream.of(query.resource(), cursor, lease, (e, handed) ->
                handed > 0 && DatabaseError.connectionLost(e.getSQLState())
                        ? handedOver("A stream", query.resource(), dataSource, handed, inTransaction, e)
                        : errors.map(e, read.context, read.target.plan, source, true), ended);
        String owner = read.owner();
        return owner == null ? rows : rows.map(row -> Rows.withTenant(row, owner));
    }

    /**
     * A cursor read again after it lost its connection midway would hand its first rows twice; {@link Connections}
     * reads again only work that may run twice, so a forEach (or a stream) that has handed over rows fails instead,
     * keeping the server's SQL state.
     *
     * @param call          what read the rows, as the message names it
     * @param inTransaction whether it read inside a caller's transaction, which the lost connection took with it
     */
    private static DatabaseException handedOver(String call, String resource, String dataSource, long handed,
                                                boolean inTransaction, SQLException lost) {
        String again = inTransaction ? "The transaction it read in was lost and rolled back, with everything it "
                + "wrote: run the whole transaction again once the server answers"
                : "Once the server answers, run it again from the start, or, with a sort, from the last row handed "
                + "over (read.after(read.cursor(row)))" + (dataSource == null ? "" : "; or route the reads of "
                + resource + " to the primary");
        return DatabaseException.refused(resource, null, call + " over " + resource + " lost its connection to "
                + (dataSource == null ? "the database" : "data source '" + dataSource + "'") + " after " + handed
                + " rows were handed over (" + lost.getMessage() + ") [SQL state " + lost.getSQLState() + "]. It is "
                + "not read again, which would hand those rows twice. " + again, lost.getSQLState(), lost);
    }

    /** The rows a query selects, each carrying the relationships loaded on it: one statement per relationship and level. */
    public List<Row> list(Query query, List<Load> loads, String handle) {
        if (loads.isEmpty()) {
            return list(query, handle);
        }
        return connections.sharing(() -> loader.load(list(withLoadKeys(query, loads), handle), loads,
                Scoping.tenant(handle, query.tenant(), query.resource())));
    }

    /**
     * The rows a query selects as records of the type, each carrying the relationships loaded on it; the related rows
     * of a relationship the type takes as records are read straight onto them, with no rows in between.
     */
    public <R extends Record> List<R> list(Query query, List<Load> loads, String handle, Class<R> type) {
        return connections.sharing(() -> loader.records(list(withLoadKeys(query, loads), handle), loads,
                Scoping.tenant(handle, query.tenant(), query.resource()), type));
    }

    /** The query, selecting the fields its loads start from when it selects only some. */
    private Query withLoadKeys(Query query, List<Load> loads) {
        return query.select().isEmpty() ? query
                : query.withSelect(loader.selectedWithLoadKeys(query.resource(), query.select(), loads));
    }

    /**
     * The resources that extend this one ({@code extending(...)}), directly or down a chain, those nearer first and by
     * name: a mammal before the dog that extends it.
     *
     * @throws QueryException when there is none, for a read asking for its records' children's parts
     */
    public List<String> requireChildren(String resource) {
        target(resource);
        Map<String, Integer> depths = new HashMap<>();
        targets.forEach((name, target) -> {
            Extending extending = target.plan.resource().tableOptions().extending();
            List<Extending> ancestors = extending == null ? List.of() : extending.ancestors();
            for (int i = 0; i < ancestors.size(); i++) {
                if (ancestors.get(i).parent().equals(resource)) {
                    depths.put(name, ancestors.size() - i);
                }
            }
        });
        List<String> children = depths.keySet().stream().sorted(Comparator.comparing((String name) ->
                depths.get(name)).thenComparing(Comparator.naturalOrder())).toList();
        if (children.isEmpty()) {
            throw QueryException.of(resource, null, "loadChildren() reads the records of " + resource + " that are "
                    + "records of a resource extending it, and no resource of domain '" + domain.name() + "' extends '"
                    + resource + "': declare one with Resource.builder(...).extending(\"" + resource + "\"), or read "
                    + "without loadChildren()");
        }
        return children;
    }

    /**
     * The rows of a read with {@code loadChildren()} ({@link #asChildren}), the parent's and the children's read in
     * one snapshot: in the transaction open on the thread (which, at {@code REPEATABLE READ} or above, is one snapshot;
     * at {@code READ COMMITTED} each statement takes its own, as PostgreSQL has it), or else in a read-only {@code
     * REPEATABLE READ} transaction of their own, on the connection the read is routed to, so that a record written
     * between the two is never read half before and half after.
     */
    public List<Row> listWithChildren(Query query, List<Load> loads, String handle) {
        if (connections.inTransaction()) {
            return asChildren(query, list(query, loads, handle), handle);
        }
        Prepared read = prepare(query, handle, Action.READ);
        String dataSource = readRoute(read.context, read.query);
        String source = dataSource == null ? Replication.PRIMARY : dataSource;
        Lease lease;
        try {
            lease = connections.lease(dataSource, TransactionOptions.defaults().isolation(Isolation.REPEATABLE_READ)
                    .readOnly());
        } catch (SQLException e) {
            throw errors.map(e, read.context, read.target.plan, source, false);
        }
        List<Row> rows;
        try {
            rows = connections.on(lease, () -> asChildren(query, list(query, loads, handle), handle));
        } catch (RuntimeException | Error e) {
            transactionSettings.remove(lease.connection());
            try {
                lease.end(true);
            } catch (SQLException end) {
                e.addSuppressed(end);
            }
            throw e;
        }
        transactionSettings.remove(lease.connection());
        try {
            lease.end(false);
        } catch (SQLException e) {
            throw errors.map(e, read.context, read.target.plan, source, false);
        }
        return rows;
    }

    /**
     * The rows of a read with {@code loadChildren()}: each that is a record of a resource extending the read's replaced
     * by that resource's row, the most specific one's down a chain (a dog's rather than a mammal's), read by key in the
     * handle's scope (its tenant, and the base filter unless the read ignores it), with what the read gave the
     * parent's row besides its attributes (computed fields, aggregates, calculations, the relationships loaded); one
     * statement per child, reading the fields the read selects, if it selects some. A child whose policy lets the
     * handle read none of its records (no actor, or no read rule) is not read: its records stay the parent's rows.
     */
    private List<Row> asChildren(Query read, List<Row> rows, String handle) {
        List<String> children = requireChildren(read.resource());
        if (rows.isEmpty()) {
            return rows;
        }
        ResourcePlan plan = target(read.resource()).plan;
        Map<Map<String, Object>, Row> found = new HashMap<>();
        for (String child : children.stream().filter(child -> !policies.hidesEveryRecord(child)).toList()) {
            Query byKeys = Query.of(child).withFilter(Keys.byKeys(plan, rows).filter()).withTenant(read.tenant())
                    .withBaseFilterIgnored(read.ignoreBaseFilter());
            // The fields the read selects are the parent's, which every child has: the child's row reads those alone.
            byKeys = read.select().isEmpty() ? byKeys : byKeys.withSelect(read.select());
            list(byKeys, handle).forEach(row -> found.put(Keys.keyOf(plan, row), row));
        }
        return rows.stream().map(row -> {
            Row child = found.get(Keys.keyOf(plan, row));
            return child == null ? row : asChild(row, child);
        }).toList();
    }

    /**
     * A child's row carrying what the read gave its parent's row and the child's row lacks (computed fields,
     * aggregates, calculations, each as the parent's read masked it), the relationships loaded on it and the sort keys
     * its cursor takes.
     */
    private static Row asChild(Row parent, Row child) {
        List<String> fields = new ArrayList<>(child.fields());
        List<Object> values = new ArrayList<>(Arrays.asList(Rows.values(child)));
        Object[] given = Rows.values(parent);
        for (int i = 0; i < given.length; i++) {
            if (!child.has(parent.fields().get(i))) {
                fields.add(parent.fields().get(i));
                values.add(given[i]);
            }
        }
        return rebuilt(child.resource(), fields, values, child.tenant().orElse(null), parent);
    }

    /** A row of these fields and values in the tenant, with the sort keys and relationships the other row carries. */
    private static Row rebuilt(String resource, List<String> fields, List<Object> values, String tenant, Row carrying) {
        Row row = Rows.withSeenSortKeys(Rows.withTenant(Rows.create(new RowLayout(resource, fields), values.toArray()),
                tenant), Rows.seenSortKeys(carrying));
        for (Map.Entry<String, List<Row>> related : carrying.relationships().entrySet()) {
            row = row.withRelated(related.getKey(), related.getValue());
        }
        return row;
    }

    /**
     * Rows already in hand, each carrying the relationships loaded on it, as a read with the same loads would give
     * them; the rows are of one resource and one tenant, which a handle of another tenant may not reach.
     */
    public List<Row> load(List<Row> rows, List<Load> loads, String handle) {
        given(null, rows, "load", "the rows to load relationships on");
        for (int i = 0; i < rows.size(); i++) {
            given(null, rows.get(i), "load", "row " + (i + 1) + " of " + rows.size());
        }
        if (rows.isEmpty() || loads.isEmpty()) {
            return rows;
        }
        String tenant = oneTenant(rows, handle, "load");
        String resource = rows.get(0).resource();
        List<String> derived = new ArrayList<>();
        List<Load> relationships = new ArrayList<>();
        for (Load load : loads) {
            if (declaresDerived(resource, load.relationship())) {
                derived.add(bare(resource, load).relationship());
            } else {
                relationships.add(load);
            }
        }
        List<Row> withDerived = derived.isEmpty() ? rows : withDerived(rows, derived, tenant, handle);
        return relationships.isEmpty() ? withDerived
                : connections.sharing(() -> loader.load(withDerived, relationships, tenant));
    }

    /**
     * A load of an aggregate or calculation onto rows in hand, which takes its name alone: a filter, sort, limit, nested
     * load, selection or arguments given with it would otherwise be dropped without a word.
     */
    private static Load bare(String resource, Load load) {
        if (load.filter() != null || !load.sorts().isEmpty() || load.limit() != null || load.offset() != null
                || !load.loads().isEmpty() || !load.arguments().isEmpty() || !load.select().isEmpty()) {
            throw QueryException.of(resource, load.relationship(), "'" + load.relationship() + "' of " + resource
                    + " is an aggregate or calculation, loaded onto rows in hand by its name alone (calculations at "
                    + "their default arguments); give Load.of(\"" + load.relationship() + "\"), or load it with "
                    + "arguments on a read, read(\"" + resource + "\").load(\"" + load.relationship()
                    + "\", arguments)");
        }
        return load;
    }

    /**
     * Rows in hand with declared aggregates and calculations of their resource loaded (Ash's {@code Ash.load!} of
     * records): their records read again by primary key in one statement, in the rows' tenant and under the base
     * filter, each computing the fields as a read loading them would. A record gone or hidden since gives nulls, as
     * does one the rows were read past the base filter for ({@code ignoreBaseFilter()}): the rows do not carry that.
     */
    private List<Row> withDerived(List<Row> rows, List<String> names, String tenant, String handle) {
        ResourcePlan plan = target(rows.get(0).resource()).plan;
        if (plan.primaryKey().isEmpty()) {
            throw QueryException.of(plan.name(), names.get(0), plan.name() + " has no primary key, so rows in hand "
                    + "cannot be found again to compute " + names + ": load them on a read, read(\"" + plan.name()
                    + "\").load(\"" + names.get(0) + "\")");
        }
        requireKeys(plan, rows, names);
        Query query = Query.of(plan.name()).withFilter(Keys.byKeys(plan, rows).filter()).withTenant(tenant);
        for (String name : names) {
            query = query.withAggregate(name);
        }
        Map<Map<String, Object>, Row> found = new HashMap<>();
        list(query, handle).forEach(row -> found.put(Keys.keyOf(plan, row), row));
        return rows.stream().map(row -> withFields(row, found.get(Keys.keyOf(plan, row)), names)).toList();
    }

    /**
     * Refuses rows in hand that cannot be found again: each must hold every field of the primary key, whether one row
     * is given or many.
     *
     * @throws QueryException naming the resource, the key field and the row's position
     */
    private static void requireKeys(ResourcePlan plan, List<Row> rows, List<String> names) {
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            for (ColumnPlan column : plan.primaryKey()) {
                if (!row.has(column.name()) || row.get(column.name()) == null) {
                    throw QueryException.of(plan.name(), column.name(), "row " + (i + 1) + " of " + rows.size()
                            + " given to load(...) holds no '" + column.name() + "', so its " + plan.name()
                            + " record cannot be read again to compute " + names + ": read the rows with their key "
                            + "(a select that includes '" + column.name() + "')");
                }
            }
        }
    }

    /** The row with the named fields set from the record read again (nulls without it), keeping what it held. */
    private static Row withFields(Row row, Row read, List<String> names) {
        List<String> fields = new ArrayList<>(row.fields());
        List<Object> values = new ArrayList<>(Arrays.asList(Rows.values(row)));
        for (String name : names) {
            Object value = read == null ? null : read.get(name);
            int at = fields.indexOf(name);
            if (at >= 0) {
                values.set(at, value);
            } else {
                fields.add(name);
                values.add(value);
            }
        }
        return rebuilt(row.resource(), fields, values, row.tenant().orElse(null), row);
    }

    /**
     * The tenant of rows in hand, which must be of one resource (a known one) and one tenant.
     *
     * @param action what is done with them, {@code load}, {@code update} or {@code destroy}
     */
    private String oneTenant(List<Row> rows, String handle, String action) {
        String resource = rows.get(0).resource();
        String tenant = tenantOf(rows.get(0), handle, action);
        for (Row row : rows) {
            if (!row.resource().equals(resource)) {
                throw QueryException.of(resource, null, "A " + action + " takes rows of one resource; it was given "
                        + "rows of " + resource + " and of " + row.resource() + ": " + action + " each resource's "
                        + "rows on their own");
            }
            String other = tenantOf(row, handle, action);
            if (!Objects.equals(other, tenant)) {
                throw QueryException.of(resource, null, "A " + action + " takes rows of one tenant; it was given "
                        + "rows of " + tenant + " and of " + other + ": " + action + " each tenant's rows on their own");
            }
        }
        target(resource);
        return tenant;
    }

    /**
     * The records of rows in hand (of one resource and tenant), each found by its primary key: a query for them all,
     * to update or destroy in one statement. Null when there are none.
     */
    private Query byKeys(List<Row> rows, String handle, String action) {
        given(null, rows, action, "the rows to " + action);
        for (int i = 0; i < rows.size(); i++) {
            given(null, rows.get(i), action, "row " + (i + 1) + " of " + rows.size());
        }
        if (rows.isEmpty()) {
            return null;
        }
        oneTenant(rows, handle, action);
        ResourcePlan plan = target(rows.get(0).resource()).plan;
        if (plan.primaryKey().isEmpty()) {
            throw QueryException.of(plan.name(), null, plan.name() + " has no primary key, so rows in hand cannot be "
                    + "found again: " + action + " them with a read's filter, read(\"" + plan.name() + "\").where(...)");
        }
        return Keys.byKeysAndVersions(plan, rows);
    }

    /**
     * Sets the changes on the records of rows in hand (Ash's {@code bulk_update} of a list of records), found by their
     * primary keys (and versions) in one statement, for the rows' tenant; returns them as stored afterwards.
     */
    public List<Row> updateAll(List<Row> rows, Map<String, ?> changes, String handle) {
        Query query = byKeys(rows, handle, "update");
        if (query == null) {
            return List.of();
        }
        record(rows.get(0).resource(), changes, "update", "the changes");
        String tenant = tenantOf(rows.get(0), handle, "update");
        ResourcePlan plan = target(rows.get(0).resource()).plan;
        if (!Keys.checksVersions(plan, rows)) {
            return Keys.inOrderOf(plan, rows, updateAll(query, changes, tenant));
        }
        return transaction(() -> {
            List<Row> updated = updateAll(query, changes, tenant);
            if (updated.size() < rows.size()) {
                refuseStale(plan, rows, updated, tenant, "update");
            }
            return Keys.inOrderOf(plan, rows, updated);
        });
    }

    /**
     * Writes records each with values of its own (Hibernate's batched updates, jOOQ's {@code batchUpdate}): every
     * record gives its primary key and the same other fields, and all are written in one statement that joins their
     * values, one array a column, by key, for the handle's tenant (as every update, whatever the base filter);
     * returns them as stored afterwards, in the order given, leaving out those the update does not reach. Records that give their version are
     * checked by it, and one changed since is a {@link StaleRecordException} that writes none. A resource that plugins
     * watch after writes, or a field whose values cannot travel as one typed array (a native enum, an array, a
     * composite), takes one statement a record, in one transaction.
     */
    public List<Row> updateEach(String resource, List<? extends Map<String, ?>> records, String handle) {
        return updateEach(resource, records, null, handle);
    }

    /**
     * {@link #updateEach(String, List, String)} of whole records (the typed API's) writing only these fields; each
     * record's key identifies it and its version, when it holds one, is checked.
     *
     * @param only the fields to write, or null for every field each record gives
     */
    public List<Row> updateEach(String resource, List<? extends Map<String, ?>> given, List<String> only,
                                String handle) {
        records(resource, given, "update");
        Target target = target(resource);
        ResourcePlan plan = target.plan;
        ReadOnlyResources.refuseWrite(plan, Action.UPDATE);
        if (target.custom != null) {
            target.custom.refuse(target.custom.update(), "update of many records in one statement", UPDATE_EACH);
        }
        if (only != null) {
            refuseCreateOnlyChange(plan, only);
        }
        List<? extends Map<String, ?>> records = writtenFields(plan, given, only);
        if (records.isEmpty()) {
            return List.of();
        }
        eachRecordsFields(plan, records);
        List<String> keyFields = plan.primaryKey().stream().map(ColumnPlan::name).toList();
        Map<String, Object> changesByName = new LinkedHashMap<>(records.get(0));
        changesByName.keySet().removeAll(keyFields);
        List<ColumnPlan> written = plan.columns().stream().filter(c -> changesByName.containsKey(c.name())).toList();
        List<ColumnPlan> columns = new ArrayList<>(plan.primaryKey());
        columns.addAll(written);
        List<List<Object>> values = new ArrayList<>();
        columns.forEach(column -> values.add(new ArrayList<>(records.size())));
        // Each record's key (and version) as the database holds it, {id: 5} and {id: 5L} alike, so that the rows the
        // update returns, read back typed, match the records they answer.
        List<Row> rows = new ArrayList<>(records.size());
        for (Map<String, ?> record : records) {
            Map<ColumnPlan, Object> converted = convert(plan, record, "update");
            for (int i = 0; i < columns.size(); i++) {
                values.get(i).add(converted.get(columns.get(i)));
            }
            Map<String, Object> key = new LinkedHashMap<>();
            converted.forEach((column, value) -> {
                if (keyFields.contains(column.name()) || column == plan.version()) {
                    key.put(column.name(), value);
                }
            });
            rows.add(Row.of(resource, key));
        }
        refuseSameKey(plan, rows);
        if (target.watched || written.stream().anyMatch(c -> !c.codec().fitsInArray() || c.codec().arraysAsLiterals())) {
            return transaction(() -> updateOneByOne(resource, records, keyFields, handle));
        }
        String tenant = tenantOf(rows.get(0), handle, "update");
        UpdateInput input = new UpdateInput(columns, values);
        Map<ColumnPlan, Object> changes = new LinkedHashMap<>();
        boolean versions = plan.version() != null && changesByName.containsKey(plan.version().name());
        StringJoiner join = new StringJoiner(" AND ");
        for (int i = 0; i < columns.size(); i++) {
            ColumnPlan column = columns.get(i);
            if (i < keyFields.size() || column == plan.version()) {
                join.add(column.quoted() + " = " + new UpdateInput.Column(input, i).sql());
            }
            if (i >= keyFields.size()) {
                changes.put(column, new UpdateInput.Column(input, i));
            }
        }
        if (plan.version() != null) {
            // Each record's version is checked by the join and counted up as the stored one, as update does.
            changes.putAll(convert(plan, Map.of(plan.version().name(), plan.nextVersion(null)), "update"));
        }
        changes.putAll(convert(plan, lastWriter(plan, List.of()), "update"));
        Query query = Keys.byKeys(plan, rows);
        Query joined = query.withFilter(Filter.and(query.filter(), new Filter.Sql(join.toString(), List.of())));
        Prepared update = preparedUpdate(joined, changesByName, tenant);
        for (Map<String, ?> record : records.subList(1, records.size())) {
            // Every record's tenant value is written to its own row: none may move its row into another tenant.
            Map<String, Object> recordChanges = new LinkedHashMap<>(record);
            recordChanges.keySet().removeAll(keyFields);
            refuseTenantChange(update, recordChanges);
            policies.checkChanges(resource, Action.UPDATE, update.tenant, recordChanges);
        }
        SqlStatement statement = update.target.renderer.render(Kind.UPDATE, update.query, changes, scopes(update));
        java.util.function.Supplier<List<Row>> write = () -> {
            List<Row> updated = marked(shown(update, run(update, mutationRoute(update.context), statement::query)), update.owner());
            if (versions && updated.size() < rows.size()) {
                refuseStale(plan, rows, updated, tenant, "update");
            }
            return Keys.inOrderOf(plan, rows, updated);
        };
        return versions ? transaction(write) : write.get();
    }

    /**
     * The fields every record of {@link #updateEach} gives, the same for each: its key and at least one field to
     * write. A record without them is refused naming it.
     */
    private static List<String> eachRecordsFields(ResourcePlan plan, List<? extends Map<String, ?>> records) {
        if (plan.primaryKey().isEmpty()) {
            throw QueryException.of(plan.name(), null, plan.name() + " has no primary key, so records cannot be "
                    + "updated each by its key: update them with a read's filter, read(\"" + plan.name() + "\")");
        }
        List<String> fields = new ArrayList<>(records.get(0).keySet());
        for (int i = 0; i < records.size(); i++) {
            Map<String, ?> record = records.get(i);
            String which = "record " + (i + 1) + " of " + records.size();
            if (!record.keySet().equals(Set.copyOf(fields))) {
                throw QueryException.of(plan.name(), null, "Records updated together each give the same fields, and "
                        + which + " of " + plan.name() + " gives " + new java.util.TreeSet<>(record.keySet())
                        + " where record 1 gives " + new java.util.TreeSet<>(fields) + ": update the others apart");
            }
            record.forEach((field, value) -> {
                if (value instanceof Atomic) {
                    throw QueryException.of(plan.name(), field, "The " + which + " of " + plan.name() + " to update "
                            + "gives '" + field + "' an Atomic, but records updated each by their key take values: "
                            + "update with a read's filter, read(\"" + plan.name() + "\").where(...).updateAll("
                            + "Map.of(\"" + field + "\", ...)), or ashlar.update(record, Map.of(\"" + field
                            + "\", ...))");
                }
            });
            for (ColumnPlan column : plan.primaryKey()) {
                if (record.get(column.name()) == null) {
                    throw QueryException.of(plan.name(), column.name(), "The " + which + " of " + plan.name()
                            + " to update gives no value for its key field '" + column.name() + "'");
                }
            }
        }
        if (fields.size() == plan.primaryKey().size()) {
            throw QueryException.of(plan.name(), null, "The records of " + plan.name() + " to update give only their "
                    + "key: give the fields to write too");
        }
        return fields;
    }

    /** Refuses two records of {@link #updateEach} with the same key (compared as stored: 5 and 5L are one key). */
    private static void refuseSameKey(ResourcePlan plan, List<Row> rows) {
        Map<Map<String, Object>, Integer> seen = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> key = Keys.keyOf(plan, rows.get(i));
            Integer first = seen.putIfAbsent(key, i + 1);
            if (first != null) {
                throw QueryException.of(plan.name(), null, "records " + first + " and " + (i + 1) + " of "
                        + rows.size() + " to update give the same " + plan.name() + " key " + key.values()
                        + ": give each record once");
            }
        }
    }

    /**
     * {@link #updateEach} a record at a time: each update by key, a record it does not reach left out. A record's
     * version goes with its key, so that the update checks it and counts it up as the one statement does.
     */
    private List<Row> updateOneByOne(String resource, List<? extends Map<String, ?>> records, List<String> keyFields,
                                     String handle) {
        ResourcePlan plan = target(resource).plan;
        List<String> keyAndVersion = new ArrayList<>(keyFields);
        if (plan.version() != null) {
            keyAndVersion.add(plan.version().name());
        }
        List<Row> updated = new ArrayList<>();
        for (Map<String, ?> record : records) {
            Map<String, Object> changes = new LinkedHashMap<>(record);
            changes.keySet().removeAll(keyAndVersion);
            Map<String, Object> key = new LinkedHashMap<>(record);
            key.keySet().retainAll(keyAndVersion);
            // The row holds its key (and version) alone, so that update writes every field given, as the one
            // statement would.
            try {
                updated.add(update(Row.of(resource, key), changes, null, handle));
            } catch (NotFoundException e) {
                // as the one statement leaves a record it does not reach out
            }
        }
        return updated;
    }

    /** Deletes the records of rows in hand, found by their primary keys (and versions) in one statement; returns how many. */
    public int destroyAll(List<Row> rows, String handle) {
        Query query = byKeys(rows, handle, "destroy");
        if (query == null) {
            return 0;
        }
        String tenant = tenantOf(rows.get(0), handle, "destroy");
        ResourcePlan plan = target(rows.get(0).resource()).plan;
        if (!Keys.checksVersions(plan, rows)) {
            return destroyAll(query, tenant);
        }
        return transaction(() -> {
            int destroyed = destroyAll(query, tenant);
            if (destroyed < rows.size()) {
                refuseStale(plan, rows, List.of(), tenant, "destroy");
            }
            return destroyed;
        });
    }

    /**
     * After a write of versioned rows in hand that met fewer records than rows: refuses it, for its transaction to roll
     * it back, when a record of a row it did not write is still stored, so changed since the row was read (Hibernate
     * and Ebean refuse a batch of versioned entities so); a record that is gone is left out, as without versions.
     *
     * @param written the rows the write returned (none for a delete, whose records are gone)
     */
    private void refuseStale(ResourcePlan plan, List<Row> rows, List<Row> written, String tenant, String action) {
        Set<Map<String, Object>> done = new HashSet<>();
        written.forEach(row -> done.add(Keys.keyOf(plan, row)));
        Map<Map<String, Object>, Row> given = new LinkedHashMap<>();
        rows.forEach(row -> given.put(Keys.keyOf(plan, row), row));
        Query byKeys = Keys.byKeys(plan, rows);
        // A record marked deleted, before or by this write, is gone to a soft destroy (destroy of it is not found):
        // left out, never stale.
        for (Row stored : rereadAsWritten(action.equals("destroy") && marksDeleted(plan) ? unmarked(plan, byKeys)
                : byKeys, tenant)) {
            Map<String, Object> key = Keys.keyOf(plan, stored);
            if (!done.contains(key) && given.containsKey(key)) {
                throw StaleRecordException.changed(plan.name(), action, key, plan.version().name(),
                        Keys.version(plan, given.get(key)));
            }
        }
    }

    /**
     * An action on a resource, scoped to the tenant it runs for.
     *
     * @param handWritten whether its query holds SQL written by hand ({@link HandWrittenSql})
     */
    private record Prepared(Target target, String tenant, TenantScope scope, Query query, QueryContext context,
                            String owner, boolean handWritten) {
        /**
         * The transaction settings the action runs with: its tenant's (a row-level security setting), and, for SQL
         * written by hand (a computed field, {@code Filter.sql}, a calculation) in a tenant's schema, that schema
         * first on the search path, so that a table the SQL names without a schema is the tenant's own, never
         * another's.
         */
        /** Whether the action runs in a tenant's schema, where SQL written by hand needs that schema's search path. */
        boolean inTenantSchema() {
            return scope != null && scope.schema() != null;
        }

        /** The same action on the rows another query picks. */
        Prepared kept(Query other) {
            return new Prepared(target, tenant, scope, other, context, owner, handWritten);
        }

        /** The same action, holding SQL written by hand also when {@code more} says so. */
        Prepared handWritten(boolean more) {
            return more && !handWritten ? new Prepared(target, tenant, scope, query, context, owner, true) : this;
        }

        Map<String, String> settings() {
            Map<String, String> settings = scope == null ? Map.of() : scope.settings();
            if (scope == null || scope.schema() == null || !handWritten) {
                return settings;
            }
            Map<String, String> withPath = new LinkedHashMap<>(settings);
            withPath.put("search_path", Identifiers.quote(scope.schema()) + ", public");
            return withPath;
        }
    }

    /** Resolves the tenant an action runs for and confines the query to that tenant's scope. */
    private Prepared prepare(Query asked, String handle, Action action) {
        return prepare(asked, handle, action, action);
    }

    /**
     * @param policy the action whose policy picks the rows: a soft destroy is an update kept to the rows the actor
     *               may destroy
     */
    private Prepared prepare(Query asked, String handle, Action action, Action policy) {
        Target target = target(asked.resource());
        Resource resource = target.plan.resource();
        Query query = Discriminated.scoped(resource, tieBroken(Ties.checked(asked)));
        FilterDepth.check(query);
        String tenant = Scoping.tenant(handle, query.tenant(), query.resource());
        TenantScope scope = scoping.scope(resource, tenant, action);
        boolean baseFiltered = action == Action.READ && !query.ignoreBaseFilter();
        Query scoped = allowed(Scoping.apply(baseFiltered ? Scoping.baseFiltered(resource, query) : query, resource,
                scope, tenant), policy, tenant);
        return new Prepared(target, tenant, scope, scoped,
                new QueryContext(domain, resource, action, tenant), scoping.owner(resource, tenant),
                handWritten.in(scoped));
    }

    /** The query kept to the rows the policy of its resource lets the action's actor reach. */
    private Query allowed(Query query, Action action, String tenant) {
        Filter rows = policies.rows(query.resource(), action, tenant);
        return rows == null ? query : query.and(rows);
    }

    /**
     * A row's value of a sort key no row holds (an expression, a count of related records), for a keyset cursor: read
     * by the row's primary key in the read's tenant scope and under its base filter, so a row of another tenant, or one
     * gone since, gives none.
     *
     * @throws NotFoundException when no record of the row's key is in the read's scope
     * @throws QueryException    for a row read in another tenant than the read's
     */
    public Object sortValue(Query read, Sort sort, Row row, String handle) {
        ResourcePlan plan = target(read.resource()).plan;
        // A row read in another tenant is refused; one in no tenant is looked for in the read's own.
        tenantOf(row, Scoping.tenant(handle, read.tenant(), read.resource()), "take a cursor of");
        for (ColumnPlan key : plan.primaryKey()) {
            if (!row.has(key.name()) || row.get(key.name()) == null) {
                throw QueryException.of(plan.name(), key.name(), "cursor(row) reads the value of " + sort.describe()
                        + " by the row's primary key, and this row holds no '" + key.name() + "': select it too");
            }
        }
        Query one = read.withFilter(Keys.keyFilter(plan, row)).withSorts(List.of(sort)).withPage(null, null)
                .withCursor(null, null).withLock(Lock.NONE).withDistinct(List.of())
                .keepingTies(false);
        Prepared prepared = prepare(one, handle, Action.READ);
        SqlStatement statement = prepared.target.renderer.render(Kind.SORT_VALUE, prepared.query, Map.of(),
                scopes(prepared));
        Object value = run(prepared, readRoute(prepared.context, prepared.query),
                connection -> statement.sortValue(connection, plan.name()));
        if (value == SortValue.NONE) {
            throw notFound(plan, row, "take a cursor of");
        }
        return value;
    }

    /**
     * The values a listed row's computed sort keys had when its page was read, for a keyset cursor over those keys:
     * null when the row carries none for the read's keys (a row built by the caller, or listed by a read sorted
     * otherwise), whose values are then read again ({@link #sortValue}). A row read in another tenant is refused.
     *
     * @throws QueryException for a row read in another tenant than the read's, or a key of a type no cursor takes
     */
    public Object[] seenSortValues(Query read, Row row, String handle) {
        SeenSortKeys seen = Rows.seenSortKeys(row);
        if (seen == null || !row.resource().equals(read.resource())
                || !seen.keys().equals(read.sorts().stream().filter(SortValue::computed).toList())) {
            return null;
        }
        tenantOf(row, Scoping.tenant(handle, read.tenant(), read.resource()), "take a cursor of");
        Object[] values = seen.values().toArray();
        for (Object value : values) {
            SortValue.given(read.resource(), value);
        }
        return values;
    }

    /**
     * The primary key fields a sorted read orders by after its sorts, when they do not name them all: without them,
     * rows equal on every sort key come in any order, so pages by limit and offset may repeat or skip some, and a
     * keyset cursor of the sort keys alone skips every row equal to the last one (Ash sorts by the key last too).
     * Empty for an unsorted or distinct read, and for one whose limit keeps ties (the key would cut them off).
     */
    public List<String> tieBreakers(Query query) {
        if (query.sorts().isEmpty() || !query.distinct().isEmpty() || query.withTies()) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        for (ColumnPlan key : target(query.resource()).plan.primaryKey()) {
            if (!sortsBy(query.sorts(), key.name())) {
                missing.add(key.name());
            }
        }
        return missing;
    }

    /** Whether a sort orders by the field's own value (a loop: this runs on every paged read). */
    private static boolean sortsBy(List<Sort> sorts, String field) {
        for (Sort sort : sorts) {
            if (!sort.count() && field.equals(sort.field())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The query ordered by its {@link #tieBreakers} too when it pages: with a limit or an offset, or with cursors
     * that give their values (as {@code Read.cursor} takes them). A cursor of the sort keys alone is made up to the
     * new sorts with {@link FilterRenderer#PAST_THE_TIES}, so it still goes on past every row equal to it (a tied
     * read's {@code first()} comes here untied, with such a cursor). A cursor of another length is left to be refused.
     */
    private Query tieBroken(Query query) {
        boolean cursors = !query.after().isEmpty() || !query.before().isEmpty();
        if (!cursors && query.limit() == null && query.offset() == null) {
            return query;
        }
        List<String> missing = tieBreakers(query);
        int keys = query.sorts().size();
        if (missing.isEmpty() || !fits(query.after(), keys, missing.size())
                || !fits(query.before(), keys, missing.size())) {
            return query;
        }
        List<Sort> sorts = new ArrayList<>(query.sorts());
        missing.forEach(field -> sorts.add(Sort.asc(field)));
        return query.withSorts(sorts).withCursor(pastTheTies(query.after(), keys, missing.size()),
                pastTheTies(query.before(), keys, missing.size()));
    }

    /** Whether a cursor is absent, of the sort keys alone, or of them and the tie breakers. */
    private static boolean fits(List<Object> cursor, int keys, int breakers) {
        return cursor.isEmpty() || cursor.size() == keys || cursor.size() == keys + breakers;
    }

    /** A cursor of the sort keys alone, made up with {@link FilterRenderer#PAST_THE_TIES} for each tie breaker. */
    private static List<Object> pastTheTies(List<Object> cursor, int keys, int breakers) {
        if (cursor.size() != keys) {
            return cursor;
        }
        List<Object> padded = new ArrayList<>(cursor);
        for (int i = 0; i < breakers; i++) {
            padded.add(FilterRenderer.PAST_THE_TIES);
        }
        return padded;
    }

    /** Rows of a tenant's action remember the tenant, so that writing them later goes to the same tenant. */
    private static List<Row> marked(List<Row> rows, String tenant) {
        return tenant == null ? rows : Rows.withTenant(rows, tenant);
    }

    /** Refuses a missing argument of an action, naming it; Java's own message would name neither. */
    private static void given(String resource, Object argument, String action, String what) {
        if (argument == null) {
            throw QueryException.of(resource, null, "The " + action + (resource == null ? "" : " of " + resource)
                    + " was given null for " + what);
        }
    }

    /** Refuses a missing list of records, or a missing record in it, or one keyed by other than text, naming it. */
    private static void records(String resource, List<? extends Map<String, ?>> records, String action) {
        given(resource, records, action, "the list of records");
        for (int i = 0; i < records.size(); i++) {
            // The position is put in words only for a record refused: a bulk write has thousands.
            Map<?, ?> record = records.get(i);
            if (record == null || !namedByText(record)) {
                record(resource, record, action, "record " + (i + 1) + " of " + records.size());
            }
        }
    }

    /**
     * Refuses a missing map of a record's values (or changes), and one with a key that is not text: a raw
     * {@code Map} compiles with any keys, and the first lookup of a field by its key would fail with a
     * {@code ClassCastException} naming neither the key nor the action.
     */
    private static void record(String resource, Map<?, ?> values, String action, String what) {
        given(resource, values, action, what);
        for (Object key : values.keySet()) {
            if (!(key instanceof String)) {
                throw QueryException.of(resource, null, "The " + action + (resource == null ? "" : " of " + resource)
                        + " was given " + (key == null ? "a null field name" : "the field name " + key + " (a "
                        + key.getClass().getName() + ")") + " in " + what + ": name each field by its text, e.g. \""
                        + key + "\"");
            }
        }
    }

    private static boolean namedByText(Map<?, ?> record) {
        for (Object key : record.keySet()) {
            if (!(key instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /** Rows of a resource read for a tenant, marked with the tenant that owns them, as a read marks its rows. */
    List<Row> owned(String resource, List<Row> rows, String tenant) {
        // A load reads hidden values as NULL; its rows hold them as the rows of a read do.
        List<Row> shown = FieldMasks.hidden(rows, masks(tenant, resource));
        return marked(shown, scoping.owner(target(resource).plan.resource(), tenant));
    }

    /**
     * The tenant an action on this row runs as: the row's own, which a handle of another tenant may not change.
     *
     * @param action what is done with it, {@code load}, {@code update} or {@code destroy}
     */
    private static String tenantOf(Row row, String tenant, String action) {
        String own = row.tenant().orElse(null);
        if (own != null && tenant != null && !own.equals(tenant)) {
            throw QueryException.of(row.resource(), null, "This " + row.resource() + " record belongs to tenant '"
                    + own + "', not '" + tenant + "': " + action + " it through ashlar.withTenant(\"" + own + "\")");
        }
        return Scoping.tenant(tenant, own, row.resource());
    }

    /** The scopes of the relationships a query reaches, for the action's tenant. */
    private Scopes scopes(Prepared action) {
        return scopes(action, List.of());
    }

    /**
     * The scopes of an update, with those of the calculations, aggregates and to-one paths its changes take
     * ({@code Atomic.of}).
     */
    private Scopes scopes(Prepared action, Map<ColumnPlan, Object> changes) {
        return scopes(action, changes.values().stream()
                .map(change -> change instanceof Atomic atomic ? atomic.field() : null)
                .filter(field -> field != null && (action.target.plan.isDerived(field) || ResourcePlan.isPath(field)))
                .toList());
    }

    /** @param taken the declared calculations and aggregates an update's changes take, by name */
    private Scopes scopes(Prepared action, List<String> taken) {
        return scopes(action.query, taken, action.tenant, action.query.resource()).masked(masks(action.tenant));
    }

    /**
     * The rows a write returns, each field its field policy hides from the actor on that row held as a
     * {@code ForbiddenField}: a write returns the stored record as a read would show it.
     */
    private List<Row> shown(Prepared write, List<Row> rows) {
        return FieldMasks.hidden(rows, masks(write.tenant, write.query.resource()));
    }

    /**
     * Refuses an upsert or a merge that meets the stored row, inside one statement, in a field its field policy hides
     * from the actor: an upsert's {@code where(...)} (whether it matched would tell the hidden value) and its
     * {@code set(..., Atomic.of(...))} (which would copy it into a field the actor sees), and any merge, whose clauses
     * and changes read any field. The stored row is not read through the masking sub-select there.
     *
     * @param upsert the upsert, or null for a merge
     */
    private void refuseHidden(String resource, String handle, Upsert upsert) {
        Map<String, Filter> masks = masks(Scoping.tenant(handle, null, resource), resource);
        if (masks.isEmpty()) {
            return;
        }
        Set<String> named = new LinkedHashSet<>(upsert == null ? masks.keySet() : Set.of());
        if (upsert != null && upsert.condition() != null) {
            FilterPaths.fields(upsert.condition(), named::add);
        }
        if (upsert != null) {
            upsert.changes().values().stream().map(Atomic::field).filter(Objects::nonNull).forEach(named::add);
        }
        named.retainAll(masks.keySet());
        if (!named.isEmpty()) {
            String what = upsert == null ? "a merge of " + resource + ": it meets the stored " + named
                    : "an upsert of " + resource + ": its where(...) or set(..., Atomic.of(...)) reads the stored "
                    + named;
            throw new ForbiddenException(resource, upsert == null ? "merge" : "upsert", "field "
                    + named.iterator().next(), "Cannot run " + what + ", which field policies hide from the actor, "
                    + "and whether it matched or what it copied would tell the hidden values. Read and update the rows "
                    + "instead, which keep to the field policies, or run it with bypassPolicies()");
        }
    }

    /**
     * Refuses an upsert that would overwrite, on a conflict, a field its field policy hides from the actor with no value
     * from a record: a record read with the value hidden holds it as null (a typed record) or leaves it out, and writing
     * that back would replace the stored value the actor never saw. The record gives the value, or the conflict leaves
     * the field out of {@code update(...)}.
     */
    private void refuseHiddenOverwrite(String resource, String handle, List<? extends Map<String, ?>> records,
                                       Upsert upsert) {
        Map<String, Filter> masks = masks(Scoping.tenant(handle, null, resource), resource);
        if (masks.isEmpty() || upsert.keepStored()) {
            return;
        }
        for (String field : masks.keySet()) {
            boolean overwritten = upsert.update().isEmpty()
                    ? records.stream().anyMatch(record -> given(record.get(field))) : upsert.update().contains(field);
            if (overwritten && !records.stream().allMatch(record -> given(record.get(field)))) {
                throw new ForbiddenException(resource, "upsert", "field " + field, "Cannot run an upsert of "
                        + resource + " that overwrites '" + field + "' on a conflict without a value for it in every "
                        + "record: a field policy hides '" + field + "' from the actor, and a record read with it "
                        + "hidden holds no value there, so the stored value would be lost. Give '" + field + "' in "
                        + "every record, or leave it out of update(...) (name the fields to overwrite)");
            }
        }
    }

    private static boolean given(Object value) {
        return value != null && !(value instanceof ForbiddenField);
    }

    /** The fields the resources' field policies hide from the actor of the action on this thread. */
    Map<String, Map<String, Filter>> masks(String tenant) {
        return policies.masks(tenant);
    }

    /**
     * The fields one resource's field policies hide from the actor of the action on this thread; its drafts and other
     * tables ({@code post@posts_draft}) keep to the resource's own.
     */
    private Map<String, Filter> masks(String tenant, String resource) {
        return masks(tenant).getOrDefault(Resource.withoutTable(resource), Map.of());
    }

    /**
     * A resource's query for a tenant, confined to its scope: the scope of a relationship's records.
     *
     * @param from the resource whose action reaches it, named when a missing tenant is refused
     */
    Query scope(String resource, String tenant, String from) {
        Resource owner = target(resource).plan.resource();
        return allowed(Scoping.apply(Discriminated.scoped(owner, Scoping.baseFiltered(owner, Query.of(resource))),
                owner, scoping.scope(owner, tenant, Action.READ, from), tenant), Action.READ, tenant);
    }

    /** The scopes of a statement of the tenant's, reached from the resource {@code from}. */
    private Scopes scopes(Query query, List<String> taken, String tenant, String from) {
        return Scopes.of(query, taken, links, resource -> scope(resource, tenant, from));
    }

    /** Runs a read of a resource's records where the routers send it, with the tenant's settings. */
    /** @param shape the load's own filter and sorts with the relationship's, for the settings of the read */
    <T> T read(String resource, Query scope, Query shape, String tenant, Connections.Work<T> work) {
        Prepared read = prepare(Query.of(resource), tenant, Action.READ).handWritten(handWritten.in(shape));
        return run(read, loadRoute(read.context, scope), work);
    }

    /**
     * A load goes where the routers send the loads of a read whose first statement went where it did (see
     * {@link dev.ashlar.spi.plugin.Router#routeLoad}), so that a read and its loads can see one server's state.
     */
    private String loadRoute(QueryContext context, Query query) {
        String first = connections.firstRead();
        if (first == null || query.lock() != Lock.NONE || connections.inTransaction()) {
            return readRoute(context, query);
        }
        return hooks.routeLoad(context, first).orElse(null);
    }

    /**
     * Creates the list partition of a partitioned resource's table that holds the rows of one key, in the handle's
     * tenant's schema for a tenant's resource.
     *
     * @return whether it was created; false when it was there
     */
    public boolean createPartition(String resource, Object key, String handle) {
        Prepared action = prepare(Query.of(resource), handle, Action.CREATE);
        String table = action.target.plan.table(action.query.schema());
        return run(action, null, c -> Partitions.of(c, resource, table, key).create(c));
    }

    /**
     * Moves the sequence of a resource's generated key past the keys stored in its table, in the handle's tenant's
     * schema; never back. Rows written with keys of their own (restored drafts) leave it behind, and a later record
     * that lets the database pick its key would get one of theirs. Nothing for a key that is not a generated number.
     */
    public void advanceKeySequence(String resource, String handle) {
        Prepared action = prepare(Query.of(resource), handle, Action.UPDATE);
        ResourcePlan plan = action.target.plan;
        List<ColumnPlan> key = plan.primaryKey();
        if (key.size() != 1 || !key.get(0).attribute().hasDatabaseValue() || !key.get(0).attribute().type().isNumber()) {
            return;
        }
        String table = plan.table(action.query.schema());
        String sql = "SELECT setval(s, v) FROM (SELECT s, greatest((SELECT max(" + key.get(0).quoted() + ") FROM "
                + table + "), pg_sequence_last_value(s)) AS v FROM (SELECT pg_get_serial_sequence(?, ?)::regclass AS s)"
                + " q WHERE s IS NOT NULL) m WHERE v IS NOT NULL";
        run(action, null, c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setString(1, table);
                statement.setString(2, key.get(0).attribute().columnName());
                statement.execute();
            }
            return null;
        });
    }

    /** Whether the list partition of a partitioned resource's table for one key exists. */
    public boolean partitionExists(String resource, Object key, String handle) {
        Prepared action = prepare(Query.of(resource), handle, Action.READ);
        String table = action.target.plan.table(action.query.schema());
        return run(action, null, c -> Partitions.of(c, resource, table, key).exists(c));
    }

    /**
     * The rows of a read grouped by some of its fields, each group's row holding those fields and the values asked
     * of its rows (SQL's {@code GROUP BY}); see {@link GroupedSql}.
     */
    public List<Row> grouped(Query query, List<String> by, List<Grouping> values, Filter having, Subtotals subtotals,
                             List<Sort> sorts, Integer limit, int offset, String handle) {
        String resource = query.resource();
        if (by.isEmpty()) {
            throw QueryException.of(resource, null, "groupBy(...) on " + resource + " names no field: give the "
                    + "fields whose values make a group, e.g. groupBy(\"status\")");
        }
        Query rows = query;
        List<String> attributes = new ArrayList<>();
        Set<String> fields = new LinkedHashSet<>(by);
        values.stream().map(Grouping::field).filter(Objects::nonNull).forEach(fields::add);
        values.stream().map(Grouping::where).filter(Objects::nonNull)
                .forEach(where -> fields.addAll(GroupFilter.fields(where)));
        for (String field : fields) {
            if (links.hasAttribute(resource, field)) {
                attributes.add(field);
            } else if (links.derived(resource, field) != null) {
                rows = rows.withAggregate(field);
            } else {
                target(resource).plan.column(field);   // refuses it, naming the attributes
            }
        }
        Prepared read = prepare(rows.withSelect(attributes), handle, Action.READ);
        ResourcePlan plan = read.target.plan;
        Map<String, ColumnPlan> columns = new HashMap<>();
        for (String field : fields) {
            columns.put(field, links.hasAttribute(resource, field) ? plan.column(field)
                    : links.derived(resource, field).value());
        }
        SqlStatement inner = read.target.renderer.render(Kind.SELECT, read.query, Map.of(), scopes(read));
        SqlStatement statement = GroupedSql.of(plan.name(), inner, columns, by, values, having, subtotals, sorts,
                limit, offset);
        return run(read, readRoute(read.context, read.query), statement::query);
    }

    public long count(Query query, String handle) {
        return ((Number) value(Kind.COUNT, query, handle)).longValue();
    }

    public boolean exists(Query query, String handle) {
        return (Boolean) value(Kind.EXISTS, query, handle);
    }

    /**
     * An aggregate of one attribute, or of a declared aggregate or calculation, over the rows a query selects: min and
     * max as values of the field, sum and avg as the numbers PostgreSQL computes, null when no row is selected (or
     * every value is null); a count of different values as a {@code Long}, 0 then.
     */
    public Object aggregate(Aggregate aggregate, String field, Query query, String handle) {
        DerivedPlan derived = links.hasAttribute(query.resource(), field) ? null
                : links.derived(query.resource(), field);
        // A declared field is loaded by the read, so that its relationships are scoped like a load's.
        Prepared read = prepare(derived == null ? query : query.withAggregate(field), handle, Action.READ);
        ColumnPlan column = derived == null ? read.target.plan.column(field) : derived.value();
        if (aggregate.needsNumber() && !column.attribute().isNumber()) {
            throw QueryException.of(read.target.plan.name(), field, aggregate.name().toLowerCase(java.util.Locale.ROOT)
                    + "(\"" + field + "\") of " + read.target.plan.name() + " needs a number attribute; min and max "
                    + "take any attribute that orders, countDistinct any");
        }
        if (aggregate.keepsType()) {
            Aggregate.requireOrdered(aggregate.function(), read.target.plan.name(), field, column);
        }
        SqlStatement statement = read.target.renderer.render(Kind.AGGREGATE, read.query, Map.of(column, aggregate),
                scopes(read));
        try {
            return run(read, readRoute(read.context, read.query), statement::value);
        } catch (DatabaseException e) {
            // "function min(ltree) does not exist": a migration type without them, which only the server knows.
            if (aggregate.keepsType() && e.sqlState().filter(UNDEFINED_FUNCTION::equals).isPresent()
                    && column.codec() instanceof TextCodec text && text.checkedByServer()) {
                throw Aggregate.unordered(aggregate.function(), read.target.plan.name(), field, column);
            }
            throw e;
        }
    }

    private Object value(Kind kind, Query query, String handle) {
        Prepared read = prepare(query, handle, Action.READ);
        SqlStatement statement = read.target.renderer.render(kind, read.query, Map.of(), scopes(read));
        return run(read, readRoute(read.context, read.query), statement::value);
    }

    /**
     * Sets the changes on every row the query selects; returns the updated rows. When plugins act after writes of
     * the resource, the rows are read and locked first, updated by their keys, and each is handed to the plugins
     * with its stored values before the update.
     */
    public List<Row> updateAll(Query query, Map<String, ?> given, String handle) {
        return updateAll(query, given, handle, Returning.ROWS);
    }

    /**
     * {@link #updateAll(Query, Map, String)}, returning only the updated rows' keys for {@link Returning#KEYS} (the
     * {@code RETURNING} names only the key, unless plugins act on the full rows; a resource without a primary key
     * returns its rows).
     */
    public List<Row> updateAll(Query query, Map<String, ?> given, String handle, Returning returning) {
        if (readsStatement(query.resource())) {
            return overStatement(query, handle, rows -> tables.updateAll(rows, given, handle, returning));
        }
        record(query.resource(), given, "update", "the changes");
        Target target = target(query.resource());
        boolean keys = returning == Returning.KEYS && !target.plan.primaryKey().isEmpty();
        if (target.plan.joined()) {
            List<Row> updated = updateJoined(target, query, given, handle);
            return keys ? updated.stream().map(target.plan::keyOf).toList() : updated;
        }
        Map<String, ?> changes = stamped(target.plan, given);
        if (!target.watched) {
            return updateRows(query, changes, handle, keys);
        }
        return transaction(() -> {
            List<Row> before = locked(target.plan, query, handle, "its plugins act on each updated record",
                    Action.UPDATE);
            if (before.isEmpty()) {
                return List.of();
            }
            Map<Map<String, Object>, Row> byKey = new LinkedHashMap<>();
            before.forEach(row -> byKey.put(Keys.keyOf(target.plan, row), row));
            List<Row> updated = updateRows(Keys.byKeys(target.plan, before).withTenant(query.tenant()), changes,
                    handle);
            QueryContext context = context(target, Action.UPDATE, Scoping.tenant(handle, query.tenant(),
                    query.resource()));
            updated.forEach(row -> hooks.afterWrite(new WriteEvent(Action.UPDATE, byKey.get(Keys.keyOf(target.plan, row)),
                    row), context, schemas));
            return keys ? updated.stream().map(target.plan::keyOf).toList() : updated;
        });
    }

    private List<Row> updateRows(Query query, Map<String, ?> changes, String handle) {
        return updateRows(query, changes, handle, false);
    }

    /** @param keys whether the updated rows come back as their primary keys only */
    private List<Row> updateRows(Query query, Map<String, ?> changes, String handle, boolean keys) {
        Prepared update = preparedUpdate(query, changes, handle);
        Map<ColumnPlan, Object> converted = convert(update.target.plan, changes, "update");
        if (converted.isEmpty()) {
            // Nothing to write: the rows the update reaches, as a changing one would reach them (past the base filter).
            List<Row> rows = rereadAsWritten(query, handle);
            return keys ? rows.stream().map(update.target.plan::keyOf).toList() : rows;
        }
        SqlStatement statement = update.target.renderer.render(keys ? Kind.UPDATE_KEYS : Kind.UPDATE, update.query,
                converted, scopes(update, converted));
        try {
            return marked(shown(update, run(update, mutationRoute(update.context), statement::query)), update.owner());
        } catch (InvalidDataException e) {
            throw onComputedField(e, update.target.plan, atomic(converted));
        } catch (DatabaseException e) {
            throw changeSql(converted).blamed(e, update.target.plan.name(), "update");
        }
    }

    /**
     * Sets the changes on every row the query selects and returns how many, with no row sent back (Hibernate's
     * {@code executeUpdate}, jOOQ's {@code execute}). When plugins act after writes of the resource, the rows are
     * read and locked first, as {@link #updateAll(Query, Map, String)} does.
     */
    public int updateCount(Query query, Map<String, ?> given, String handle) {
        if (readsStatement(query.resource())) {
            return overStatement(query, handle, rows -> tables.updateCount(rows, given, handle));
        }
        record(query.resource(), given, "update", "the changes");
        Target target = target(query.resource());
        if (target.watched || target.plan.joined()) {
            return updateAll(query, given, handle, Returning.KEYS).size();
        }
        Map<String, ?> changes = stamped(target.plan, given);
        Prepared update = preparedUpdate(query, changes, handle);
        Map<ColumnPlan, Object> converted = convert(update.target.plan, changes, "update");
        if (converted.isEmpty()) {
            return Math.toIntExact(count(query.withBaseFilterIgnored(true), handle));
        }
        SqlStatement statement = update.target.renderer.render(Kind.UPDATE_COUNT, update.query, converted,
                scopes(update, converted));
        try {
            return run(update, mutationRoute(update.context), statement::update);
        } catch (InvalidDataException e) {
            throw onComputedField(e, update.target.plan, atomic(converted));
        } catch (DatabaseException e) {
            throw changeSql(converted).blamed(e, update.target.plan.name(), "update");
        }
    }

    /** The SQL written by hand among an update's changes, by field. */
    private static ChangeSql changeSql(Map<ColumnPlan, Object> changes) {
        ChangeSql sql = new ChangeSql();
        changes.forEach((column, change) -> sql.with(column.name(), change));
        return sql;
    }

    /** The columns of the changes the server computes from the stored values. */
    private static List<ColumnPlan> atomic(Map<ColumnPlan, Object> changes) {
        return changes.entrySet().stream().filter(change -> change.getValue() instanceof Atomic)
                .map(Map.Entry::getKey).toList();
    }

    private Prepared preparedUpdate(Query query, Map<String, ?> changes, String handle) {
        return preparedUpdate(query, changes, handle, Action.UPDATE);
    }

    /** @param policy the action whose policy picks the rows: {@code DESTROY} for a soft destroy */
    private Prepared preparedUpdate(Query query, Map<String, ?> changes, String handle, Action policy) {
        ReadOnlyResources.refuseWrite(target(query.resource()).plan, Action.UPDATE);
        CustomStatements custom = target(query.resource()).custom;
        if (custom != null && policy == Action.UPDATE) {
            custom.refuse(custom.update(), "update by query or of many records at once", UPDATE_EACH);
        }
        Discriminated.refuseChange(target(query.resource()).plan.resource(), changes);
        Prepared update = prepare(query, handle, Action.UPDATE, policy).handWritten(changes.values().stream()
                .anyMatch(value -> value instanceof Atomic atomic && atomic.expression()));
        refuseTenantChange(update, changes);
        if (policy == Action.UPDATE) {
            policies.checkChanges(query.resource(), Action.UPDATE, update.tenant, changes);
        }
        return update;
    }

    /**
     * A value that does not fit its column (out of range, too long) names no column in the server's report. Every
     * bound value was checked before it was sent, so when one change was computed by the server (an atomic change),
     * it is that change's field.
     */
    private static InvalidDataException onComputedField(InvalidDataException e, ResourcePlan plan,
                                                        List<ColumnPlan> changed) {
        // The version an optimistic lock counts up is computed too, but is not the one that fails beside another.
        List<ColumnPlan> computed = changed.size() > 1 ? changed.stream().filter(c -> c != plan.version()).toList()
                : changed;
        FieldError error = e.errors().size() == 1 ? e.errors().get(0) : null;
        if (computed.size() != 1 || error == null || error.column() != null || !"value".equals(error.field())) {
            return e;
        }
        String field = computed.get(0).name();
        return new InvalidDataException(e.resource().orElse(null), e.action(), List.of(new FieldError(field,
                error.message() + " (the value the server computed for it)", field, error.constraint())),
                e.sqlState().orElse(null), e);
    }

    /**
     * Refuses changes that would move rows into another tenant: a scoped action may only keep its
     * tenant's value; a tenant-less one may not change a tenant column at all.
     */
    private static void refuseTenantChange(Prepared action, Map<String, ?> changes) {
        ResourcePlan plan = action.target.plan;
        if (action.scope != null) {
            Scoping.refuseOtherTenant(action.scope, changes, plan.name(), action.context.action().toString());
            return;
        }
        for (ColumnPlan column : plan.tenantColumns()) {
            if (changes.containsKey(column.name())) {
                throw new InvalidDataException(plan.name(), action.context.action().toString(), List.of(
                        new FieldError(column.name(), "is the tenant of the row and cannot be changed; create the "
                                + "record in the other tenant instead")), null, null);
            }
        }
    }

    /**
     * Deletes every row the query selects; returns how many. When plugins act after writes of the resource, the
     * rows are read and locked first, deleted by their keys, and each is handed to the plugins.
     */
    public int destroyAll(Query query, String handle) {
        if (readsStatement(query.resource())) {
            return overStatement(query, handle, rows -> tables.destroyAll(rows, handle));
        }
        Target target = target(query.resource());
        return target.watched || target.plan.joined() ? destroyAll(query, handle, Returning.KEYS).size()
                : destroyRows(query, handle);
    }

    /**
     * Deletes every row a query selects and returns them as they were stored (only their keys for
     * {@link Returning#KEYS}): they are read and locked first, then deleted by key, in one transaction. A soft delete
     * returns the rows it marked, as marked, and hands each to the plugins as the update it is.
     */
    public List<Row> destroyAll(Query query, String handle, Returning returning) {
        if (readsStatement(query.resource())) {
            return overStatement(query, handle, rows -> tables.destroyAll(rows, handle, returning));
        }
        Target target = target(query.resource());
        if (target.plan.joined()) {
            List<Row> destroyed = destroyJoined(target, query, handle);
            return returning == Returning.KEYS ? destroyed.stream().map(target.plan::keyOf).toList() : destroyed;
        }
        ReadOnlyResources.refuseWrite(target.plan, Action.DESTROY);
        refuseCustomDestroy(target.custom);
        return transaction(() -> {
            List<Row> before = locked(target.plan, query, handle, target.watched
                    ? "its plugins act on each destroyed record" : "the deleted records are returned", Action.DESTROY);
            if (before.isEmpty()) {
                return before;
            }
            Query byKeys = Keys.byKeys(target.plan, before).withTenant(query.tenant());
            String tenant = Scoping.tenant(handle, query.tenant(), query.resource());
            List<Row> destroyed;
            if (marksDeleted(target.plan)) {
                destroyed = markDeleted(target.plan, byKeys, handle);
                if (target.watched) {
                    Map<Map<String, Object>, Row> byKey = new LinkedHashMap<>();
                    before.forEach(row -> byKey.put(Keys.keyOf(target.plan, row), row));
                    QueryContext context = context(target, Action.UPDATE, tenant);
                    destroyed.forEach(row -> hooks.afterWrite(new WriteEvent(Action.UPDATE,
                            byKey.get(Keys.keyOf(target.plan, row)), row), context, schemas));
                }
            } else {
                destroyRows(byKeys, handle);
                destroyed = before;
                if (target.watched) {
                    QueryContext context = context(target, Action.DESTROY, tenant);
                    before.forEach(row -> hooks.afterWrite(new WriteEvent(Action.DESTROY, row, null), context,
                            schemas));
                }
            }
            return returning == Returning.KEYS ? destroyed.stream().map(target.plan::keyOf).toList() : destroyed;
        });
    }

    /**
     * Every field of the rows a query selects, locked until the transaction ends, to act on them by key.
     *
     * @param why why they are acted on one by one, for the refusal of a resource without a primary key
     */
    /** @param action the write the rows are locked for, whose policy picks those the actor may change */
    private List<Row> locked(ResourcePlan plan, Query query, String handle, String why, Action action) {
        if (plan.primaryKey().isEmpty()) {
            throw QueryException.of(plan.name(), null, "Resource '" + plan.name() + "' has no primary key, and "
                    + why + ": give it a primary key to find each of them again");
        }
        // A write by query ignores the base filter, so the rows it acts on are picked past it too: whether it returns
        // them or a plugin watches it must not change which rows it reaches.
        Query changeable = allowed(query, action, Scoping.tenant(handle, query.tenant(), query.resource()));
        return list(changeable.withSelect(List.of()).withLock(Lock.FOR_UPDATE).withBaseFilterIgnored(true), handle);
    }

    private int destroyRows(Query query, String handle) {
        ResourcePlan plan = target(query.resource()).plan;
        ReadOnlyResources.refuseWrite(plan, Action.DESTROY);
        refuseCustomDestroy(target(query.resource()).custom);
        if (marksDeleted(plan)) {
            Marking marking = markingDeleted(plan, query, handle);
            Prepared update = marking.update();
            SqlStatement statement = update.target.renderer.render(Kind.UPDATE_COUNT, update.query, marking.changes(),
                    scopes(update, marking.changes()));
            return run(update, mutationRoute(update.context), statement::update);
        }
        Prepared destroy = prepare(query, handle, Action.DESTROY);
        SqlStatement statement = destroy.target.renderer.render(Kind.DELETE, destroy.query, Map.of(), scopes(destroy));
        return run(destroy, mutationRoute(destroy.context), statement::update);
    }

    /** Whether a destroy of the resource's records marks them deleted ({@code softDelete(...)}, not permanently()). */
    private static boolean marksDeleted(ResourcePlan plan) {
        return plan.softDelete() != null && !Acting.destroysPermanently();
    }

    /** A soft delete of the rows the query selects, returning the rows it marked, as marked. */
    private List<Row> markDeleted(ResourcePlan plan, Query query, String handle) {
        Marking marking = markingDeleted(plan, query, handle);
        Prepared update = marking.update();
        SqlStatement statement = update.target.renderer.render(Kind.UPDATE, update.query, marking.changes(),
                scopes(update, marking.changes()));
        return marked(shown(update, run(update, mutationRoute(update.context), statement::query)), update.owner());
    }

    /**
     * A soft delete ({@code softDelete(...)}): the rows the query selects that are not marked yet are marked deleted,
     * {@code now()} or true (false for the flag {@code softDeleteClearing(...)} names), as an update that counts their
     * version up and names its user. A row already marked is not reached, so that it keeps the time it was deleted.
     */
    private Marking markingDeleted(ResourcePlan plan, Query query, String handle) {
        Query unmarked = unmarked(plan, query);
        Map<String, ?> changes = stamped(plan, Map.of(plan.softDelete().name(), mark(plan)));
        return new Marking(preparedUpdate(unmarked, changes, handle, Action.DESTROY), convert(plan, changes,
                "destroy"));
    }

    /** What marks a record deleted: {@code now()} or true, false for the flag {@code softDeleteClearing(...)} names. */
    private static Object mark(ResourcePlan plan) {
        ColumnPlan marker = plan.softDelete();
        return plan.resource().softDeleteClears() ? Boolean.FALSE
                : marker.codec() == ScalarCodec.BOOLEAN ? Boolean.TRUE
                : Atomic.sql(marker.codec() == ScalarCodec.TIMESTAMP ? "localtimestamp" : "now()");
    }

    /** The rows a query selects that are not marked deleted ({@code softDelete(...)}) yet. */
    private static Query unmarked(ResourcePlan plan, Query query) {
        Filter live = plan.resource().notSoftDeleted();
        return query.withFilter(query.filter() == null ? live : Filter.and(query.filter(), live));
    }

    /** The update that marks rows deleted, and its changes as written. */
    private record Marking(Prepared update, Map<ColumnPlan, Object> changes) {
    }

    public Row create(String resource, Map<String, ?> values, String handle) {
        record(resource, values, "create", "the values of the record");
        return insert(resource, List.of(values), null, handle, Action.CREATE, Returning.ROWS).get(0);
    }

    public List<Row> createAll(String resource, List<? extends Map<String, ?>> records, String handle) {
        return createAll(resource, records, handle, Returning.ROWS);
    }

    public List<Row> createAll(String resource, List<? extends Map<String, ?>> records, String handle,
                               Returning returning) {
        records(resource, records, "createAll");
        return records.isEmpty() ? List.of() : insert(resource, records, null, handle, Action.CREATE, returning);
    }

    public List<Row> upsert(String resource, List<? extends Map<String, ?>> records, Upsert upsert, String handle) {
        return upsert(resource, records, upsert, handle, Returning.ROWS);
    }

    public List<Row> upsert(String resource, List<? extends Map<String, ?>> records, Upsert upsert, String handle,
                            Returning returning) {
        records(resource, records, "upsert");
        given(resource, upsert, "upsert", "how to upsert, e.g. Upsert.on(\"unique_email\")");
        if (records.isEmpty()) {
            return List.of();
        }
        refuseHidden(resource, handle, upsert);
        refuseHiddenOverwrite(resource, handle, records, upsert);
        List<Row> written = insert(resource, records, upsert, handle, Action.UPSERT, returning);
        if (!upsert.returnsSkipped() || !upsert.keepStored() && upsert.condition() == null) {
            return written;
        }
        ResourcePlan plan = target(resource).plan;
        List<Row> rows = new ArrayList<>(written);
        for (Row kept : kept(plan, records, upsert, written, handle)) {
            rows.add(Rows.upsertSkipped(returning == Returning.KEYS && !plan.primaryKey().isEmpty() ? plan.keyOf(kept)
                    : kept));
        }
        return rows;
    }

    /**
     * The stored records an upsert met and kept: those with a given record's identity that it did not return. A
     * record with a null in its identity never conflicts, so it is never kept.
     */
    private List<Row> kept(ResourcePlan plan, List<? extends Map<String, ?>> records, Upsert upsert,
                           List<Row> written, String handle) {
        Identity identity = plan.identity(upsert.identity());
        List<String> fields = identity.fields();
        List<? extends Map<String, ?>> conflicting = records.stream()
                .filter(record -> fields.stream().allMatch(field -> record.get(field) != null)).toList();
        if (identity.where() != null && !written.isEmpty()) {
            conflicting = InsertedBeside.left(conflicting, fields, withFields(plan, fields, written, handle));
        }
        if (conflicting.isEmpty()) {
            return List.of();
        }
        // One field's values are bound as one list, so any number of records fits in the statement.
        Filter identities = fields.size() == 1 && !throughExpressions(plan, fields.get(0))
                ? Filter.in(fields.get(0), conflicting.stream().map(record -> record.get(fields.get(0))).toList())
                : new Filter.Or(conflicting.stream().map(record -> Filter.and(fields.stream()
                        .map(field -> stored(plan, field, record.get(field))).toArray(Filter[]::new))).toList());
        if (identity.where() != null) {
            // A partial identity's index holds only the rows its predicate keeps: a stored row outside it met no
            // record (one that gives its values was inserted beside it), so it was not kept. The base filter's part
            // of the index predicate needs no repeating: every read is base-filtered already.
            identities = Filter.and(identities, Filter.sql(identity.where()));
        }
        Query stored = Query.of(plan.name()).withFilter(written.isEmpty() || plan.primaryKey().isEmpty() ? identities
                : Filter.and(identities, Filter.not(Keys.byKeys(plan, written).filter())));
        return reread(stored, handle);
    }

    /** Whether the field is an attribute read or written through an expression ({@code readAs}, {@code writeAs}). */
    private static boolean throughExpressions(ResourcePlan plan, String field) {
        return plan.resource().attribute(field).filter(attribute -> attribute.expressions().any()).isPresent();
    }

    /**
     * The rows that store a record's value of an identity field, as the conflict met it: the column as stored against
     * the value through the field's {@code writeAs}, where a filter would compare its {@code readAs} expression.
     */
    private static Filter stored(ResourcePlan plan, String field, Object value) {
        if (!throughExpressions(plan, field)) {
            return Filter.eq(field, value);
        }
        ColumnPlan column = plan.column(field);
        return Filter.sql(column.quoted() + " = " + column.written("?"), value);
    }

    /** The written rows with the identity's fields: read again by key when the write returned keys alone. */
    private List<Row> withFields(ResourcePlan plan, List<String> fields, List<Row> written, String handle) {
        if (InsertedBeside.holdFields(written, fields) || plan.primaryKey().isEmpty()) {
            return written;
        }
        return rereadAsWritten(Query.of(plan.name()).withFilter(Keys.byKeys(plan, written).filter()), handle);
    }

    /**
     * The fields of an upsert's conflict target, to name the records that met one key twice by their values; none for
     * a create, or for an identity over a calculation, whose values the records do not give.
     */
    private static List<String> conflictTarget(ResourcePlan plan, Upsert upsert) {
        Identity identity = upsert == null ? null : plan.identity(upsert.identity());
        return identity == null || plan.calculationIn(identity).isPresent() ? List.of()
                : plan.identityColumns(identity);
    }

    /**
     * One record upserted; returns it as stored.
     *
     * @throws StaleRecordException when the stored record does not meet the upsert's condition and is kept
     */
    public Row upsert(String resource, Map<String, ?> record, Upsert upsert, String handle) {
        record(resource, record, "upsert", "the values of the record");
        given(resource, upsert, "upsert", "how to upsert, e.g. Upsert.on(\"unique_email\")");
        if (upsert.keepStored() && !upsert.returnsSkipped()) {
            throw QueryException.of(resource, upsert.identity(), "An upsert of one " + resource + " returns it, but "
                    + "doNothing() returns no stored record: add returnSkipped() to return the stored one, or upsert "
                    + "a list, List.of(record), to keep stored records");
        }
        List<Row> rows = upsert(resource, List.of(record), upsert, handle, Returning.ROWS);
        if (rows.isEmpty()) {
            var declared = target(resource).plan.identity(upsert.identity());
            if (upsert.returnsSkipped()) {
                // Kept and still not returned: the stored record is one this handle cannot read (another tenant's, on
                // an identity unique across all tenants, or one the base filter hides), so its identity is taken.
                throw new InvalidDataException(resource, "upsert", List.of(new FieldError(declared.reportedField(),
                        declared.message() != null ? declared.message() : "has already been taken")), null, null);
            }
            // An identity over a calculation is named by the record's values, which the record gives instead.
            Map<String, Object> identity = new LinkedHashMap<>();
            if (target(resource).plan.calculationIn(declared).isPresent()) {
                identity.putAll(record);
            } else {
                declared.fields().forEach(f -> identity.put(f, record.get(f)));
            }
            throw StaleRecordException.conditionFailed(resource, identity);
        }
        return rows.get(0);
    }

    /**
     * Merges records into a resource ({@code MERGE}, PostgreSQL 15 and later), one statement for each set of fields
     * the records give, in one transaction, so that a record writes only what it gives: each record finds its
     * stored one by the merge's {@code on} fields among the records the handle's tenant owns that are not marked
     * deleted, and the merge's first clause it meets acts on it. Records get the tenant's key as created ones do; an
     * update counts the version up, names its user and touches the update times as an update does.
     *
     * @throws QueryException on a server older than PostgreSQL 15, on a resource whose plugins act after each write,
     *                        on a record without an {@code on} field, and on records that find one stored record twice
     */
    public MergeResult merge(String resource, List<? extends Map<String, ?>> records, Merge merge, String handle) {
        records(resource, records, "merge");
        given(resource, merge, "merge", "how to merge, e.g. Merge.on(\"sku\").whenNotMatched().insert()");
        refuseHidden(resource, handle, null);
        Target target = target(resource);
        ResourcePlan plan = target.plan;
        ReadOnlyResources.refuseWrite(plan, "merge");
        // PostgreSQL's MERGE writes one table and, before version 17, cannot be one step of a WITH: a record across
        // several tables has no MERGE.
        refuseCustom(target, "merge", plan.joined() ? "upsert them (ashlar.upsert(resource, records, Upsert.on(...)), "
                + "which writes each of its tables), and destroy the others by query"
                : "create the new records and update the stored ones by record");
        if (target.watched) {
            throw QueryException.of(resource, null, "A merge of " + resource + " writes in one statement, and the "
                    + "plugins that act after each write of " + resource + " would not see its records: use upsert, "
                    + "updateAll and destroyAll, which hand each record to them");
        }
        if (merge.clauses().isEmpty() || records.isEmpty()) {
            return new MergeResult(0, 0, 0, 0, 0);
        }
        boolean deletes = merge.clauses().stream().anyMatch(clause -> clause.act() == Merge.Act.DELETE);
        Prepared prepared = prepare(Query.of(resource), handle, Action.UPSERT);
        if (deletes) {
            prepared = prepared.kept(allowed(prepared.query, Action.DESTROY, prepared.tenant));
        }
        Prepared merging = prepared.handWritten(prepared.inTenantSchema());
        refusePolicyPaths(plan, merging.query.filter(), "a merge's match of the stored record");
        // Each value converted and checked as an update's are (converters, lengths), then bound by its column.
        List<? extends Map<String, ?>> kinded = Discriminated.stamped(plan.resource(), authored(plan, records), "merge");
        List<Map<String, ?>> imposed = Scoping.impose(merging.scope, kinded, plan.resource(), "merge");
        // The policy's rules compare the records' own values, as a create's are checked, not their stored forms
        if (merge.clauses().stream().anyMatch(clause -> clause.act() == Merge.Act.INSERT)) {
            policies.checkCreated(resource, Action.UPSERT, merging.tenant, imposed);
        }
        checkMergeUpdates(resource, merge, merging.tenant, imposed);
        List<Map<String, ?>> scoped = imposed.stream().<Map<String, ?>>map(record -> {
            Map<String, Object> converted = new LinkedHashMap<>();
            convert(plan, record, "merge").forEach((column, value) -> converted.put(column.name(), value));
            return converted;
        }).toList();
        List<MergeSql.Group> groups = MergeSql.groups(plan, scoped, merge);
        MergeSql sql = new MergeSql(plan, merging.query.schema());
        groups.forEach(group -> sql.refuseUpdates(merge, group));
        sql.refuseEmptyUpdates(merge, groups);
        Map<String, ?> marking = deletes && marksDeleted(plan) ? Map.of(plan.softDelete().name(), mark(plan)) : Map.of();
        // The user who writes is among the given values (authored), so only the version is stamped.
        Map<String, ?> stamps = plan.version() == null ? Map.of()
                : Map.of(plan.version().name(), plan.nextVersion(null));
        Filter live = plan.resource().notSoftDeleted();
        Filter scope = merging.query.filter() == null ? live : live == null ? merging.query.filter()
                : Filter.and(merging.query.filter(), live);
        List<MergeSql.Parts> parts = groups.stream().map(group -> new MergeSql.Parts(group.columns(),
                group.records(), scope, convert(plan, stamps, "merge"), convert(plan, marking, "merge"))).toList();
        try {
            return merged(resource, merge, merging, sql, parts, scoped);
        } catch (InvalidDataException e) {
            throw MarkedHolder.explained(OffendingRecords.named(e, plan, scoped, List.of()), plan, scoped,
                    key -> markedDeleted(resource, key, handle));
        }
    }

    private MergeResult merged(String resource, Merge merge, Prepared merging, MergeSql sql,
                               List<MergeSql.Parts> parts, List<? extends Map<String, ?>> records) {
        return run(merging, mutationRoute(merging.context), connection -> {
            int server = connection.getMetaData().getDatabaseMajorVersion();
            if (server < 15) {
                throw QueryException.of(resource, null, "A merge of " + resource + " needs PostgreSQL 15 or later "
                        + "(MERGE), and the server is PostgreSQL " + server + ": use ashlar.upsert(\"" + resource
                        + "\", records, Upsert.on(...)), which inserts or updates on every version");
            }
            return parts.size() == 1 ? sql.counted(connection, sql.render(merge, parts.get(0), server >= 17), server)
                    : Connections.atomically(connection, c -> {
                        sql.refuseSameStored(c, merge, records);
                        return sql.counted(c, merge, parts, server);
                    });
        });
    }

    /**
     * Whether a record marked deleted holds these values, in the handle's tenant (another tenant's record stays
     * unknown to it). False where the read fails: a caller's transaction the failed write aborted answers nothing.
     */
    private boolean markedDeleted(String resource, Map<String, Object> key, String handle) {
        List<Filter> holds = new ArrayList<>();
        key.forEach((field, value) -> holds.add(Filter.eq(field, value)));
        holds.add(Filter.not(target(resource).plan.resource().notSoftDeleted()));
        try {
            return count(Query.of(resource).withFilter(Filter.and(holds.toArray(Filter[]::new)))
                    .withBaseFilterIgnored(true), handle) > 0;
        } catch (AshlarException e) {
            return false;
        }
    }

    /**
     * Refuses a merge whose update of a matched row writes values the create policy refuses (an actor may not hand
     * its row to another owner), as an update's changes are checked: each update clause's fields of each record.
     */
    private void checkMergeUpdates(String resource, Merge merge, String tenant, List<Map<String, ?>> records) {
        for (Merge.Clause clause : merge.clauses()) {
            if (clause.act() != Merge.Act.UPDATE) {
                continue;
            }
            for (Map<String, ?> record : records) {
                Map<String, Object> written = new LinkedHashMap<>(record);
                if (clause.fields().isEmpty()) {
                    written.keySet().removeAll(merge.on());
                } else {
                    written.keySet().retainAll(clause.fields());
                }
                policies.checkChanges(resource, Action.UPSERT, tenant, written);
            }
        }
    }

    /**
     * Changes that also count a versioned record's version up ({@code optimisticLock(...)}) and name the user who
     * writes them ({@code modifiedBy(...)}): every write that changes such a record does, so that a copy read before
     * it is stale and cannot overwrite it. The version is left as given when they name it themselves.
     */
    private static Map<String, ?> stamped(ResourcePlan plan, Map<String, ?> changes) {
        Map<String, Object> writer = lastWriter(plan, changes.keySet());
        boolean counted = plan.version() != null && !changes.containsKey(plan.version().name());
        if (changes.isEmpty() || !counted && writer.isEmpty()) {
            return changes;
        }
        Map<String, Object> stamped = new LinkedHashMap<>(changes);
        if (counted) {
            stamped.put(plan.version().name(), plan.nextVersion(null));
        }
        stamped.putAll(writer);
        return stamped;
    }

    /**
     * The handle's user as the last writer of records an update changes ({@code modifiedBy(...)}), empty when the
     * resource declares none or the handle acts for no user; refuses changes of who created them first.
     */
    private static Map<String, Object> lastWriter(ResourcePlan plan, Collection<String> changed) {
        refuseCreateOnlyChange(plan, changed);
        Object user = plan.modifiedBy() == null ? null : Acting.currentUser();
        return user == null ? Map.of() : Map.of(plan.modifiedBy().name(), user);
    }

    /**
     * The fields of each record that an update of records writes: {@code only} those, with the key and a given version,
     * or every one given. Who created a record, and an attribute updatable(false), are never written by it (Hibernate's
     * updatable = false): records read back, edited and written hold them, as stored or not. The key is kept even when
     * it is updatable(false): it finds the record, and the update does not write it.
     */
    private static List<? extends Map<String, ?>> writtenFields(ResourcePlan plan,
                                                               List<? extends Map<String, ?>> given, List<String> only) {
        Set<String> createOnly = plan.createOnlyColumns().stream().map(ColumnPlan::name).collect(Collectors.toSet());
        if (only == null && createOnly.isEmpty()) {
            return given;
        }
        return given.stream().map(record -> {
            Map<String, Object> kept = new LinkedHashMap<>();
            record.forEach((field, value) -> {
                boolean version = plan.version() != null && field.equals(plan.version().name()) && value != null;
                boolean key = plan.primaryKey().stream().anyMatch(c -> c.name().equals(field));
                if (key || version || !createOnly.contains(field) && (only == null || only.contains(field))) {
                    kept.put(field, value);
                }
            });
            return kept;
        }).toList();
    }

    /**
     * Who created a record, and an attribute declared {@code updatable(false)}, are written once, when the record is
     * created: no update changes them.
     */
    static void refuseCreateOnlyChange(ResourcePlan plan, Collection<String> changed) {
        Optional<ColumnPlan> refused = plan.createOnlyColumns().stream().filter(c -> changed.contains(c.name()))
                .findFirst();
        refused.ifPresent(c -> {
            String field = c.name();
            String what = c == plan.createdBy() ? "records who created the record (createdBy(\"" + field + "\"))"
                    : "is declared updatable(false)";
            throw QueryException.of(plan.name(), field, "An update of " + plan.name() + " changes '" + field
                    + "', which " + what + " and is written only when it is created: leave '" + field
                    + "' out of the changes");
        });
    }

    /**
     * The records to insert, each naming the handle's user as its creator and last writer ({@code createdBy(...)},
     * {@code modifiedBy(...)}) in place of any value it gives; as given when the resource declares neither or the
     * handle acts for no user.
     */
    private static List<? extends Map<String, ?>> authored(ResourcePlan plan, List<? extends Map<String, ?>> records) {
        Object user = plan.createdBy() == null && plan.modifiedBy() == null ? null : Acting.currentUser();
        if (user == null) {
            return records;
        }
        List<Map<String, ?>> authored = new ArrayList<>(records.size());
        for (Map<String, ?> record : records) {
            Map<String, Object> stamped = new LinkedHashMap<>(record);
            for (ColumnPlan column : Arrays.asList(plan.createdBy(), plan.modifiedBy())) {
                if (column != null) {
                    stamped.put(column.name(), user);
                }
            }
            authored.add(stamped);
        }
        return authored;
    }

    /**
     * An upsert that counts a versioned record's version up when it overwrites it, as every update does, and names
     * the user who wrote it among the fields it overwrites.
     */
    /**
     * The upsert overwriting only the stored records the actor may update (Ash's upsert with an update policy): a
     * conflict with another's record keeps it as it is, and the record is not written.
     */
    private Upsert allowed(Upsert upsert, String resource, String tenant) {
        Filter rows = upsert == null || upsert.keepStored() ? null : policies.rows(resource, Action.UPSERT, tenant);
        refusePolicyPaths(target(resource).plan, rows, "an upsert's update of the stored record (ON CONFLICT)");
        return rows == null ? upsert : upsert.where(upsert.condition() == null ? rows
                : Filter.and(upsert.condition(), rows));
    }

    /**
     * Refuses, naming the policy, a policy filter reaching through a relationship where the write applies it to the
     * stored record it meets in one statement (an upsert's conflict, a merge's match), which cannot follow one.
     */
    private static void refusePolicyPaths(ResourcePlan plan, Filter rows, String write) {
        FilterPaths.visit(rows, plan::hasAttribute, (path, filter) -> {
            throw QueryException.of(plan.name(), path, "The policy of " + plan.name() + " reaches through the "
                    + "relationship '" + path + "', which " + write + " cannot follow: write its read, update and "
                    + "destroy rules with " + plan.name() + "'s own fields, or change the records by key or by query, "
                    + "which apply them");
        });
    }

    private static Upsert stamped(ResourcePlan plan, Upsert upsert) {
        if (upsert == null || upsert.keepStored()) {
            return upsert;
        }
        refuseCreateOnlyChange(plan, upsert.update());
        refuseCreateOnlyChange(plan, upsert.changes().keySet());
        Upsert stamped = upsert;
        if (plan.version() != null) {
            String version = plan.version().name();
            stamped = upsert.changes().containsKey(version) || upsert.update().contains(version) ? upsert
                    : upsert.set(version, (Atomic) plan.nextVersion(null));
        }
        // With no fields named, every given one is overwritten, the record's modifiedBy among them.
        if (plan.modifiedBy() != null && Acting.currentUser() != null && !stamped.update().isEmpty()
                && !stamped.update().contains(plan.modifiedBy().name())) {
            List<String> fields = new ArrayList<>(stamped.update());
            fields.add(plan.modifiedBy().name());
            stamped = stamped.update(fields.toArray(String[]::new));
        }
        return stamped;
    }

    /** Whether a record gives a value the server computes ({@code Atomic.sql}). */
    private static boolean computed(List<? extends Map<String, ?>> records) {
        for (Map<String, ?> record : records) {
            for (Object value : record.values()) {
                if (value instanceof Atomic) {
                    return true;
                }
            }
        }
        return false;
    }

    /** With plugins that act after writes, full rows are written and read back for them, then reduced to keys. */
    private List<Row> insert(String resource, List<? extends Map<String, ?>> incoming, Upsert given, String handle,
                             Action action, Returning returning) {
        ReadOnlyResources.refuseWrite(target(resource).plan, action);
        if (target(resource).custom != null) {
            if (given != null && target(resource).plan.joined()) {
                return upsertJoined(target(resource), incoming, given, handle, returning);
            } else if (given != null) {
                refuseCustom(target(resource), "upsert", "create the new records and update the stored ones by "
                        + "record");
            } else if (target(resource).custom.create() != null) {
                return createByStatement(target(resource), incoming, handle, returning);
            }
        }
        ResourcePlan written = target(resource).plan;
        List<? extends Map<String, ?>> records = Discriminated.stamped(target(resource).plan.resource(),
                authored(target(resource).plan, incoming), action.toString());
        boolean keys = returning == Returning.KEYS;
        Prepared prepared = prepare(Query.of(resource), handle, action, given != null && given.keepStored()
                ? Action.READ : action);
        Upsert upsert = allowed(Discriminated.confined(written.resource(), stamped(written, given)), resource,
                prepared.tenant);
        if (given != null && !given.keepStored()) {
            // The upsert's own changes of a stored record (set(...)) are an update's: they may not hand it to another.
            policies.checkChanges(resource, action, prepared.tenant, given.changes());
        }
        // Records are searched for Atomic.sql only where it matters (in a tenant's schema): a bulk write of thousands
        // of records should not walk every value once more.
        Prepared insert = prepared.handWritten(handWritten.in(upsert) || prepared.inTenantSchema() && computed(records));
        boolean keysOnly = keys && !insert.target.watched;
        List<Map<String, ?>> scoped = Scoping.impose(insert.scope, records, insert.target.plan.resource(),
                action.toString());
        policies.checkCreated(resource, action, insert.tenant, scoped);
        String dataSource = mutationRoute(insert.context);
        ResourcePlan plan = insert.target.plan;
        return watched(insert.target, () -> {
            List<Row> rows;
            try {
                rows = marked(shown(insert, run(insert, dataSource, c -> insert.target.writer.insert(c,
                        insert.query.schema(), scoped, upsert, action.toString(), keysOnly))), insert.owner());
            } catch (InvalidDataException e) {
                InvalidDataException named = MarkedHolder.explained(OffendingRecords.named(LaggingSequence
                        .explained(e, plan, insert.query.schema(), scoped), plan, scoped, conflictTarget(plan, upsert)),
                        plan, scoped, key -> markedDeleted(resource, key, handle));
                // The values the server computes: those given as Atomic.sql, and the upsert's changes.
                Set<String> computed = new LinkedHashSet<>(upsert == null ? Set.of() : upsert.changes().keySet());
                records.forEach(record -> record.forEach((field, value) -> {
                    if (value instanceof Atomic) {
                        computed.add(field);
                    }
                }));
                throw onComputedField(named, plan, computed.stream().map(plan::column).toList());
            } catch (DatabaseException e) {
                ChangeSql sql = new ChangeSql();
                if (upsert != null) {
                    upsert.changes().forEach(sql::with);
                }
                records.forEach(record -> record.forEach(sql::with));
                throw sql.blamed(e, plan.name(), action.toString());
            }
            if (insert.target.watched) {
                rows.forEach(row -> hooks.afterWrite(new WriteEvent(action, null, row), insert.context, schemas));
            }
            return keys && !keysOnly && !plan.primaryKey().isEmpty() ? rows.stream().map(plan::keyOf).toList() : rows;
        });
    }

    /** Runs a write in a transaction with the plugins that act after writes of the resource, when there are any. */
    private <T> T watched(Target target, java.util.function.Supplier<T> write) {
        return target.watched ? transaction(write) : write.get();
    }

    /** The record with this primary key (a map of key fields for a composite key). */
    public Row get(String resource, Object key, String handle) {
        return found(resource, key, onlyOne(resource, key, rowByKey(resource, key, handle)));
    }

    /**
     * The records with these primary keys in one read, in the order of the keys, null for a key none has (Hibernate's
     * {@code getMultiple}): in the handle's tenant and under the base filter, as {@link #find} reads.
     */
    public List<Row> findMultiple(String resource, List<?> keys, String handle) {
        if (keys.isEmpty()) {
            return List.of();
        }
        ResourcePlan plan = target(resource).plan;
        List<Row> asked = KeyOrder.asRows(plan, keys);
        return KeyOrder.inOrder(plan, asked, list(Keys.byKeys(plan, asked), handle));
    }

    /** The record with this primary key, or empty when there is none (Hibernate's {@code find}). */
    public Optional<Row> find(String resource, Object key, String handle) {
        return Optional.ofNullable(onlyOne(resource, key, rowByKey(resource, key, handle)));
    }

    private List<Row> rowByKey(String resource, Object key, String handle) {
        Query asked = byKey(resource, key);
        Prepared read = prepare(asked, handle, Action.READ);
        return list(read, keyStatement(Kind.PAGE, asked, read), true);
    }

    private <R extends Record> List<R> recordByKey(String resource, Object key, String handle, Class<R> type) {
        Query asked = byKey(resource, key);
        Prepared read = prepare(asked, handle, Action.READ);
        return records(read, keyStatement(Kind.SELECT, asked, read), type);
    }

    /**
     * The statement of a read by key: the one its resource's renderer keeps by schema when the read's scoping left it
     * only its key ({@link KeyRead#plain}) with no field policy, relationship or SQL written by hand to scope, else
     * rendered as any read's. The checks follow the scoping, so that what a tenant, a policy or a base filter adds to
     * a read always takes the general path.
     */
    private SqlStatement keyStatement(Kind kind, Query asked, Prepared read) {
        Scopes scopes = scopes(read);
        return scopes == Scopes.NONE && !read.handWritten && !readsStatement(read.target.plan.name())
                && KeyRead.plain(asked, read.query, read.target.plan)
                ? read.target.renderer.byKey(kind, read.query)
                : read.target.renderer.render(kind, read.query, Map.of(), scopes);
    }

    /**
     * {@link #get(String, Object, String)} as a record of the type, mapped straight from the result as {@link Row#as}
     * maps a row, with no row in between.
     */
    public <R extends Record> R get(String resource, Object key, String handle, Class<R> type) {
        return found(resource, key, onlyOne(resource, key, recordByKey(resource, key, handle, type)));
    }

    /** {@link #find(String, Object, String)} as a record of the type, mapped as {@link #records} maps rows. */
    public <R extends Record> Optional<R> find(String resource, Object key, String handle, Class<R> type) {
        return Optional.ofNullable(onlyOne(resource, key, recordByKey(resource, key, handle, type)));
    }

    /**
     * The read of the record with this key, at most two rows so that a key matching more is refused. Built whole
     * rather than through Query.of(...).withFilter(...).withPage(...): a read by key is the hottest path.
     */
    private Query byKey(String resource, Object key) {
        return new Query(resource, Keys.getFilter(target(resource).plan, key), List.of(), KeyRead.LIMIT, null, List.of(),
                Lock.NONE, null, null, null, null, List.of(), List.of(), List.of());
    }

    /** The one row or record a read by key found, or null for none; more than one is refused. */
    private static <T> T onlyOne(String resource, Object key, List<T> found) {
        if (found.size() > 1) {
            // Only an identity made partial by its where(...) SQL, which a read cannot repeat, lets two rows match.
            throw QueryException.of(resource, null, "More than one " + resource + " has the key " + key + ", an "
                    + "identity that is unique only where its where(...) holds: read them with a filter instead");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** What a get found, or its refusal as not found (no Optional, nor a lambda for its refusal, on the hot path). */
    private <T> T found(String resource, Object key, T one) {
        if (one == null) {
            throw notFound(target(resource).plan, key, "get");
        }
        return one;
    }

    /**
     * The record of a row in hand read again as stored now (Hibernate's and Ebean's {@code refresh}), by its primary
     * key, in the row's tenant and under the base filter; every field, whichever the row held.
     */
    public Row refresh(Row row, String handle) {
        given(null, row, "refresh", "the row to refresh");
        String tenant = tenantOf(row, handle, "refresh");
        ResourcePlan plan = target(row.resource()).plan;
        for (ColumnPlan key : plan.primaryKey()) {
            if (!row.has(key.name()) || row.get(key.name()) == null) {
                throw QueryException.of(plan.name(), key.name(), "This " + plan.name() + " row holds no value for its "
                        + "key field '" + key.name() + "', so it cannot be read again: refresh a row read or written "
                        + "with its key, or read the record with get(\"" + plan.name() + "\", key)");
            }
        }
        List<Row> rows = list(Query.of(row.resource()).withFilter(Keys.keyFilter(plan, row)).withPage(1, null), tenant);
        if (rows.isEmpty()) {
            throw notFound(plan, row, "refresh");
        }
        return rows.get(0);
    }

    /**
     * Writes the changes that differ from the row; returns the stored row afterwards. With a version
     * attribute, the update applies only if the stored version is still the row's, and counts it up.
     */
    public Row update(Row row, Map<String, ?> changes, String handleTenant) {
        return update(row, changes, null, handleTenant);
    }

    /**
     * Writes the changed fields of a record only if its stored row meets {@code guard} (null: always); a record that
     * does not is left as it is and refused with a {@link StaleRecordException}, even when nothing changed. An update
     * that changes nothing reads the record in the same scope instead, and refuses one it does not reach.
     */
    public Row update(Row row, Map<String, ?> changes, Filter guard, String handleTenant) {
        given(row == null ? null : row.resource(), row, "update", "the record to update");
        record(row.resource(), changes, "update", "the changes");
        String tenant = tenantOf(row, handleTenant, "update");
        Target target = target(row.resource());
        ReadOnlyResources.refuseWrite(target.plan, Action.UPDATE);
        refuseOtherVersion(target.plan, row, changes);
        // Plugins that act after the write see the record as stored, not as the caller holds it: a stale or made-up
        // row must not make them rename another record's schema.
        return watched(target, () -> {
            Row before = target.watched ? stored(target.plan, row, tenant, "update") : row;
            Map<String, Object> changed = new LinkedHashMap<>();
            changes.forEach((field, value) -> {
                // A value hidden from the actor (a field policy) is written, never compared: it cannot be read.
                if (!before.has(field) || before.forbidden(field) || !Objects.deepEquals(before.get(field), value)) {
                    changed.put(field, value);
                }
            });
            Query one = guarded(Keys.selectOne(target.plan, row), guard);
            if (changed.isEmpty()) {
                // Nothing to write, but the record must still be one this update reaches: its tenant, the guard and
                // the version are checked as a write would check them (an empty update must not confirm, or hand
                // back, a record they leave out), and it is returned as stored. Like the write, it ignores the base
                // filter.
                List<Row> stored;
                try {
                    stored = rereadAsWritten(one, tenant);
                } catch (InvalidDataException e) {
                    // The check runs as a read, but what it refuses is the caller's update.
                    throw new InvalidDataException(e.resource().orElse(target.plan.name()), "update", e.errors(),
                            e.sqlState().orElse(null), e);
                }
                if (stored.isEmpty()) {
                    throw refused(target.plan, row, tenant, "update", guard);
                }
                return stored.get(0);
            }
            if (target.custom != null && target.custom.update() != null) {
                return updateByStatement(target, row, changed, guard, tenant);
            }
            Object version = Keys.version(target.plan, row);
            if (version != null
                    || target.plan.version() != null && !changed.containsKey(target.plan.version().name())) {
                // A row without its version (a key-only row, a record type without it) cannot be checked, but its
                // change still counts the stored version up, so that copies read before it are stale.
                changed.put(target.plan.version().name(), target.plan.nextVersion(version));
            }
            changed.putAll(lastWriter(target.plan, changed.keySet()));
            List<Row> updated = updateRows(one, changed, tenant);
            if (updated.isEmpty()) {
                throw refused(target.plan, row, tenant, "update", guard);
            }
            hooks.afterWrite(new WriteEvent(Action.UPDATE, before, updated.get(0)), context(target, Action.UPDATE,
                    tenant), schemas);
            return updated.get(0);
        });
    }

    /** Deletes the row's record; with a version attribute, only if it is still the row's version. */
    public void destroy(Row row, String handleTenant) {
        destroy(row, null, handleTenant);
    }

    /** Deletes the row's record only if its stored row meets {@code guard} (null: always); see {@link #update}. */
    public void destroy(Row row, Filter guard, String handleTenant) {
        given(null, row, "destroy", "the record to destroy");
        String tenant = tenantOf(row, handleTenant, "destroy");
        Target target = target(row.resource());
        ReadOnlyResources.refuseWrite(target.plan, Action.DESTROY);
        if (target.custom != null && target.custom.destroy() != null) {
            destroyByStatement(target, row, guard, tenant);
            return;
        }
        watched(target, () -> {
            Row before = target.watched ? stored(target.plan, row, tenant, "destroy") : row;
            Query one = guarded(Keys.selectOne(target.plan, row), guard);
            if (marksDeleted(target.plan)) {
                // A soft delete is the update it is to the plugins: the record, and what hangs on it, stays.
                List<Row> marked = markDeleted(target.plan, one, tenant);
                if (marked.isEmpty()) {
                    throw unmarkable(target.plan, row, tenant, guard);
                }
                hooks.afterWrite(new WriteEvent(Action.UPDATE, before, marked.get(0)), context(target, Action.UPDATE,
                        tenant), schemas);
                return null;
            }
            if (destroyRows(one, tenant) == 0) {
                throw refused(target.plan, row, tenant, "destroy", guard);
            }
            hooks.afterWrite(new WriteEvent(Action.DESTROY, before, null), context(target, Action.DESTROY, tenant),
                    schemas);
            return null;
        });
    }

    /** Refuses a write the resource's own statements cannot stand in for, when it has any. */
    private static void refuseCustom(Target target, String write, String instead) {
        CustomStatements custom = target.custom;
        if (custom != null) {
            custom.refuse(custom.create() != null ? custom.create() : custom.update() != null ? custom.update()
                    : custom.destroy(), write, instead);
        }
    }

    private static void refuseCustomDestroy(CustomStatements custom) {
        if (custom != null) {
            custom.refuse(custom.destroy(), "destroy by query or of many records at once", "destroy each record "
                    + "with destroy(row), in a transaction for all or none");
        }
    }

    /**
     * A create by the resource's own statement ({@code createSql}), run for each record in one transaction (as one
     * batch when it returns nothing): each record as a create takes it (its tenant, kind and author stamped, the policy
     * checked), its key the one it gives or the one the statement returns, all read back in one read as then stored in
     * the handle's scope.
     */
    private List<Row> createByStatement(Target target, List<? extends Map<String, ?>> incoming, String handle,
                                        Returning returning) {
        ResourcePlan plan = target.plan;
        CustomStatements.Statement create = target.custom.create();
        if (computed(incoming)) {
            target.custom.refuse(create, "create of a value given as Atomic.sql", "give the value itself, or "
                    + "compute it in the statement");
        }
        Prepared insert = prepare(Query.of(plan.name()), handle, Action.CREATE).handWritten(true);
        List<Map<String, ?>> records = Scoping.impose(insert.scope, Discriminated.stamped(plan.resource(),
                authored(plan, incoming), "create"), plan.resource(), "create");
        policies.checkCreated(plan.name(), Action.CREATE, insert.tenant, records);
        if (plan.joined()) {
            JoinedStatements.refuseNullForDefault(plan, records);
        }
        List<Row> given = create.returning() ? null
                : records.stream().map(record -> Row.of(plan.name(), givenKey(plan, record))).toList();
        List<Map<String, Object>> values = new ArrayList<>(records.size());
        for (Map<String, ?> record : records) {
            Map<String, Object> stored = new HashMap<>();
            convert(plan, record, "create").forEach((column, value) -> stored.put(column.name(), value));
            values.add(stored);
        }
        String dataSource = mutationRoute(insert.context);
        return transaction(() -> {
            List<Map<String, Object>> returned = run(insert, dataSource, c -> target.custom.runEach(c, create,
                    values));
            List<Row> keys = given != null ? given
                    : returned.stream().map(key -> Row.of(plan.name(), key)).toList();
            // As the data layer's own insert returns what it wrote: in the tenant's scope, whatever the read policy.
            List<Row> stored = Keys.inOrderOf(plan, keys, readInScope(Keys.byKeys(plan, keys)
                    .withBaseFilterIgnored(true), insert.tenant, Action.CREATE));
            if (stored.size() != keys.size()) {
                throw QueryException.of(plan.name(), null, "createSql(...) of resource '" + plan.name() + "' ran for "
                        + keys.size() + " record(s), and " + stored.size() + " of them are found by their keys in the "
                        + "handle's scope: make the statement store the key (and tenant) its marks give");
            }
            if (target.watched) {
                stored.forEach(row -> hooks.afterWrite(new WriteEvent(Action.CREATE, null, row), insert.context,
                        schemas));
            }
            return returning == Returning.KEYS ? stored.stream().map(plan::keyOf).toList() : stored;
        });
    }

    /** The key a record gives for a create whose statement returns none. */
    private static Map<String, Object> givenKey(ResourcePlan plan, Map<String, ?> record) {
        Map<String, Object> key = new LinkedHashMap<>();
        for (ColumnPlan column : plan.primaryKey()) {
            if (record.get(column.name()) == null) {
                throw QueryException.of(plan.name(), column.name(), "createSql(...) of resource '" + plan.name()
                        + "' returns no key, and the record gives no '" + column.name() + "': give the key's value, "
                        + "or end the statement with RETURNING " + column.attribute().columnName());
            }
            key.put(column.name(), record.get(column.name()));
        }
        return key;
    }

    /**
     * An update by the resource's own statement ({@code updateSql}): the record is read and locked in the handle's
     * whole scope, the marks take its stored values with the changes (and the next version) over them, and the
     * record is returned as then stored.
     */
    private Row updateByStatement(Target target, Row row, Map<String, Object> changed, Filter guard, String tenant) {
        refuseStatementChanges(target, changed);
        return transaction(() -> writeByStatement(target, lockedInScope(target, row, guard, tenant, Action.UPDATE),
                changed, tenant));
    }

    /** Refuses changes the resource's own update statement cannot make: an atomic change, a change of the key. */
    private static void refuseStatementChanges(Target target, Map<String, ?> changed) {
        ResourcePlan plan = target.plan;
        changed.forEach((field, value) -> {
            if (value instanceof Atomic) {
                target.custom.refuse(target.custom.update(), "change of '" + field + "' computed by the server "
                        + "(an atomic change)", plan.joined() ? "read the record and give the new value"
                        : "give the new value, or compute it in the statement");
            }
        });
        Discriminated.refuseChange(plan.resource(), changed);
        for (ColumnPlan key : plan.primaryKey()) {
            if (changed.containsKey(key.name()) && plan.joined()) {
                target.custom.refuse(target.custom.update(), "change of its key '" + key.name() + "'", "leave the "
                        + "key as it is (create the record under the new key and destroy the old one)");
            } else if (changed.containsKey(key.name())) {
                // The marks take the values after the changes: WHERE id = :id would reach the record of the new key.
                throw QueryException.of(plan.name(), key.name(), "Resource '" + plan.name() + "' writes with its own "
                        + "updateSql(...), whose marks take the record's values after the changes, so a change of its "
                        + "key '" + key.name() + "' would make :" + key.name() + " name another record: leave the key "
                        + "as it is (create the record under the new key and destroy the old one)");
            }
        }
    }

    /**
     * Runs the resource's own update statement on a record locked in the handle's scope, its marks taking the stored
     * values with the changes (and the next version) over them; returns the record as then stored.
     */
    private Row writeByStatement(Target target, Row before, Map<String, Object> changed, String tenant) {
        ResourcePlan plan = target.plan;
        Prepared update = prepare(Query.of(before.resource()), tenant, Action.UPDATE).handWritten(true);
        refuseTenantChange(update, changed);
        policies.checkChanges(before.resource(), Action.UPDATE, update.tenant, changed);
        if (plan.version() != null && !changed.containsKey(plan.version().name())) {
            changed.put(plan.version().name(), plan.nextVersion(before.get(plan.version().name())));
        }
        changed.putAll(lastWriter(plan, changed.keySet()));
        Map<String, Object> values = storedValues(target, before, tenant);
        convert(plan, changed, "update").forEach((column, value) -> values.put(column.name(), value));
        run(update, mutationRoute(update.context), c -> target.custom.run(c, target.custom.update(changed.keySet()),
                values));
        // As the data layer's own update returns what it wrote: in the tenant's scope, whatever the read policy.
        List<Row> after = readInScope(Query.of(before.resource()).withFilter(Keys.keyFilter(plan, before))
                .withBaseFilterIgnored(true), tenant, Action.CREATE);
        if (after.isEmpty()) {
            throw QueryException.of(plan.name(), null, "updateSql(...) of resource '" + plan.name() + "' left the "
                    + "record it updated outside the handle's scope (its key or tenant changed): make the statement "
                    + "keep the key and tenant its marks give");
        }
        Row updated = after.get(0);
        hooks.afterWrite(new WriteEvent(Action.UPDATE, before, updated), update.context, schemas);
        return updated;
    }

    /** A destroy by the resource's own statement ({@code destroySql}), of the record read and locked in scope. */
    private void destroyByStatement(Target target, Row row, Filter guard, String tenant) {
        transaction(() -> {
            destroyLocked(target, lockedInScope(target, row, guard, tenant, Action.DESTROY), tenant);
            return null;
        });
    }

    /** Runs the resource's own destroy statement on a record locked in the handle's scope. */
    private void destroyLocked(Target target, Row before, String tenant) {
        Prepared destroy = prepare(Query.of(before.resource()), tenant, Action.DESTROY).handWritten(true);
        run(destroy, mutationRoute(destroy.context), c -> target.custom.run(c, target.custom.destroy(),
                storedValues(target, before, tenant)));
        hooks.afterWrite(new WriteEvent(Action.DESTROY, before, null), destroy.context, schemas);
    }

    /**
     * An update by query of a resource extending another (joined inheritance), whose records no one statement writes:
     * the rows the query selects in the handle's scope (tenant, the update policies of the child and its parent; as
     * every write by query, past the base filters) read and locked, then each written by the joined update, all in
     * one transaction, all or none.
     */
    private List<Row> updateJoined(Target target, Query query, Map<String, ?> given, String handle) {
        ReadOnlyResources.refuseWrite(target.plan, Action.UPDATE);
        refuseStatementChanges(target, given);
        String tenant = Scoping.tenant(handle, query.tenant(), query.resource());
        refuseChanges(target, query.resource(), given, tenant);
        return transaction(() -> {
            List<Row> rows = lockedByQuery(query, tenant, Action.UPDATE);
            if (given.isEmpty()) {
                return rows;
            }
            List<Row> updated = new ArrayList<>(rows.size());
            for (Row before : rows) {
                updated.add(writeByStatement(target, before, new LinkedHashMap<>(given), tenant));
            }
            return updated;
        });
    }

    /**
     * An upsert of a resource extending another (joined inheritance), whose records no one {@code INSERT ... ON
     * CONFLICT} writes: in one transaction, each record's stored one is looked up by the upsert's key or identity in
     * the handle's scope (tenant, update policy, past the base filter) and locked; if there is one, the fields the
     * upsert overwrites that differ are written by the joined update (only the tables holding them), else the record
     * is created in every table. A key or identity taken outside the handle's scope (another tenant's) makes the create
     * fail on its unique index: nothing of that record is written.
     */
    private List<Row> upsertJoined(Target target, List<? extends Map<String, ?>> records, Upsert upsert, String handle,
                                   Returning returning) {
        ResourcePlan plan = target.plan;
        if (upsert.condition() != null || !upsert.changes().isEmpty() || !upsert.touchesUpdateTimes()) {
            target.custom.refuse(target.custom.update(), "upsert with " + (upsert.condition() != null ? "where(...)"
                    : !upsert.changes().isEmpty() ? "set(...)" : "keepUpdateTimes()"), "upsert without it, or read "
                    + "the stored records in a transaction and update each one");
        }
        refuseCreateOnlyChange(plan, upsert.update());
        // As on a single table, before any statement: a field update(...) names that no record gives is refused,
        // whether or not a record is stored.
        OnConflict.overwritten(plan, List.of(), List.of(), records.stream().flatMap(r -> r.keySet().stream())
                .distinct().filter(plan::hasAttribute).map(plan::column).toList(), upsert);
        List<String> identity = plan.identity(upsert.identity()).fields();
        String tenant = Scoping.tenant(handle, null, plan.name());
        return transaction(() -> {
            List<Row> written = new ArrayList<>(records.size());
            for (Map<String, ?> record : records) {
                Filter match = Filter.and(identity.stream().map(field -> Filter.eq(field, record.get(field)))
                        .toArray(Filter[]::new));
                // A record with a null in its identity never conflicts, as under ON CONFLICT.
                boolean conflicts = identity.stream().noneMatch(field -> record.get(field) == null);
                List<Row> stored = !conflicts ? List.of()
                        : lockedByQuery(Query.of(plan.name()).withFilter(match), tenant, Action.UPDATE);
                if (stored.isEmpty()) {
                    try {
                        written.addAll(createByStatement(target, List.of(record), handle, returning));
                        continue;
                    } catch (AshlarException e) {
                        // A concurrent upsert created the record after this one's lookup missed it (the insert waited
                        // for its commit, then met the unique index; the create's savepoint is rolled back): look
                        // again, once. Still none in the handle's scope (another tenant's key): the error stands.
                        stored = !conflicts || !"23505".equals(e.sqlState().orElse(null)) ? List.of()
                                : lockedByQuery(Query.of(plan.name()).withFilter(match), tenant, Action.UPDATE);
                        if (stored.isEmpty()) {
                            throw e;
                        }
                    }
                }
                if (!upsert.keepStored()) {
                    Row updated = overwrite(target, stored.get(0), record, upsert, identity, tenant);
                    written.add(returning == Returning.KEYS ? plan.keyOf(updated) : updated);
                }
            }
            return written;
        });
    }

    /**
     * A stored record overwritten by an upsert's record: of the fields it overwrites, those that differ, if any. As
     * on a single table's conflict ({@link OnConflict#overwritten}): with no fields named, every given one but the
     * identity, the key, the version (counted up instead), the tenant (refused if it differs) and the create-only ones
     * (kept as stored).
     */
    private Row overwrite(Target target, Row before, Map<String, ?> record, Upsert upsert, List<String> identity,
                          String tenant) {
        ResourcePlan plan = target.plan;
        List<ColumnPlan> kept = new ArrayList<>(plan.primaryKey());
        identity.stream().filter(plan::hasAttribute).map(plan::column).forEach(kept::add);
        List<ColumnPlan> counted = plan.version() == null || upsert.update().contains(plan.version().name())
                ? List.of() : List.of(plan.version());
        List<ColumnPlan> overwritten = OnConflict.overwritten(plan, kept, counted,
                record.keySet().stream().map(plan::column).toList(), upsert);
        Map<String, Object> changed = new LinkedHashMap<>();
        record.forEach((field, value) -> {
            // A tenant differing from the stored one is kept to be refused, as a single table's insert refuses it.
            ColumnPlan column = plan.column(field);
            if ((overwritten.contains(column) || plan.tenantColumns().contains(column)) && (!before.has(field)
                    || before.forbidden(field)
                    || !Objects.deepEquals(before.get(field), value))) {
                changed.put(field, value);
            }
        });
        if (changed.isEmpty()) {
            return before;
        }
        if (counted.isEmpty() && plan.version() != null && record.containsKey(plan.version().name())) {
            // A version update(...) names is written as given, equal to the stored one or not, as ON CONFLICT does.
            changed.putIfAbsent(plan.version().name(), record.get(plan.version().name()));
        }
        refuseStatementChanges(target, changed);
        return writeByStatement(target, before, changed, tenant);
    }

    /**
     * Refuses, before any row is read and whether or not the query selects one, the changes an update of the resource
     * refuses on every record: an unknown field or a value its column does not take, a change of who created the
     * record or of a create-only field, of the tenant, and one its create policy refuses.
     */
    private void refuseChanges(Target target, String resource, Map<String, ?> given, String tenant) {
        convert(target.plan, given, "update");
        lastWriter(target.plan, given.keySet());
        Prepared update = prepare(Query.of(resource), tenant, Action.UPDATE);
        refuseTenantChange(update, given);
        policies.checkChanges(resource, Action.UPDATE, update.tenant, given);
    }

    /**
     * A destroy by query of a resource extending another: the rows the query selects in the handle's scope read and
     * locked, then each destroyed by the joined destroy, in one transaction. As every destroy by query it passes the
     * base filters, and a soft delete marks only the rows not marked yet, which keep the time they were deleted.
     * Returns them as they were stored before, or as marked.
     */
    private List<Row> destroyJoined(Target target, Query query, String handle) {
        ReadOnlyResources.refuseWrite(target.plan, Action.DESTROY);
        String tenant = Scoping.tenant(handle, query.tenant(), query.resource());
        Query destroyed = marksDeleted(target.plan) ? unmarked(target.plan, query) : query;
        return transaction(() -> {
            List<Row> rows = lockedByQuery(destroyed, tenant, Action.DESTROY);
            rows.forEach(before -> destroyLocked(target, before, tenant));
            return rows.isEmpty() || !marksDeleted(target.plan) ? rows : readInScope(Keys.byKeys(target.plan, rows)
                    .withBaseFilterIgnored(true), tenant, Action.CREATE);
        });
    }

    /**
     * Every field of the rows a query selects in the handle's tenant, kept to the write's policy and, as every write
     * by query, past the base filter; locked until the transaction ends.
     */
    private List<Row> lockedByQuery(Query query, String tenant, Action write) {
        return readInScope(query.withSelect(List.of()).withLock(Lock.FOR_UPDATE).withBaseFilterIgnored(true), tenant,
                write);
    }

    /**
     * The record a write by the resource's own statement acts on, read and locked until the transaction ends in the
     * handle's whole scope: its tenant, the base filter (so a soft-deleted one too), the policy of the write, the
     * guard, and the version the row holds.
     *
     * @throws NotFoundException when there is none; {@link StaleRecordException} when its version or guard differs
     */
    private Row lockedInScope(Target target, Row row, Filter guard, String tenant, Action write) {
        List<Row> rows = readInScope(guarded(Keys.selectOne(target.plan, row), guard).withLock(Lock.FOR_UPDATE),
                tenant, write);
        if (rows.isEmpty()) {
            throw refused(target.plan, row, tenant, write.toString(), guard);
        }
        return rows.get(0);
    }

    /**
     * The rows a query reads on the primary in the handle's tenant scope, kept to the rows the policy of {@code write}
     * lets its actor reach (none for {@code CREATE}, whose policy checks the values given).
     */
    private List<Row> readInScope(Query query, String tenant, Action write) {
        Prepared read = prepare(query, tenant, Action.READ, write);
        SqlStatement statement = read.target.renderer.render(Kind.PAGE, read.query, Map.of(), scopes(read));
        return marked(paged(read, null, statement::query), read.owner());
    }

    /**
     * The values of a record locked by {@link #lockedInScope} as the resource's own statement binds them. A value a
     * field policy hides from the actor is bound as stored (read again, by key, without the masks): the statement
     * writes it back unseen, as an update by the data layer leaves it, and it is never returned.
     */
    private Map<String, Object> storedValues(Target target, Row locked, String tenant) {
        ResourcePlan plan = target.plan;
        if (plan.columns().stream().noneMatch(column -> locked.has(column.name()) && locked.forbidden(column.name()))) {
            return storedValues(plan, locked);
        }
        // The record is locked already, found in the write's scope: read by key in the tenant's scope, no policy.
        Prepared read = prepare(Query.of(locked.resource()).withFilter(Keys.keyFilter(plan, locked))
                .withBaseFilterIgnored(true), tenant, Action.READ, Action.CREATE);
        Scopes unmasked = scopes(read.query, List.of(), read.tenant, read.query.resource());
        SqlStatement statement = read.target.renderer.render(Kind.PAGE, read.query, Map.of(), unmasked);
        return storedValues(plan, run(read, null, statement::query).get(0));
    }

    /** A stored row's values as a statement binds them, by attribute. */
    private static Map<String, Object> storedValues(ResourcePlan plan, Row row) {
        Map<String, Object> values = new HashMap<>();
        for (ColumnPlan column : plan.columns()) {
            if (row.has(column.name())) {
                values.put(column.name(), plan.toDatabase(column, row.get(column.name()), "update"));
            }
        }
        return values;
    }

    /** The stored record of a row (by key, and version when there is one), locked until the transaction ends. */
    private Row stored(ResourcePlan plan, Row row, String tenant, String action) {
        List<Row> rows = rereadAsWritten(Keys.selectOne(plan, row).withLock(Lock.FOR_UPDATE), tenant);
        if (rows.isEmpty()) {
            throw action.equals("destroy") && marksDeleted(plan) ? unmarkable(plan, row, tenant, null)
                    : missingOrStale(plan, row, tenant, action);
        }
        return rows.get(0);
    }

    /**
     * Why a soft destroy by key met no record to mark: one marked already is not found, as one gone is, whatever
     * version the row holds or guard it is given; a live one is stale or fails the guard.
     */
    private AshlarException unmarkable(ResourcePlan plan, Row row, String tenant, Filter guard) {
        Query live = unmarked(plan, Query.of(row.resource()).withFilter(Keys.keyFilter(plan, row))
                .withSelect(List.of(plan.primaryKey().get(0).name())));
        return rereadAsWritten(live, tenant).isEmpty() ? notFound(plan, row, "destroy")
                : refused(plan, row, tenant, "destroy", guard);
    }

    private static Query guarded(Query one, Filter guard) {
        return guard == null ? one : one.withFilter(Filter.and(one.filter(), guard));
    }

    /**
     * A version given with the changes is the one the caller read (a form posted with its record's version, as Ebean
     * checks a bean's): when the record in hand holds another, the changes were made to an older copy, and applying
     * them would overwrite what changed since.
     */
    private static void refuseOtherVersion(ResourcePlan plan, Row row, Map<String, ?> changes) {
        Object held = Keys.version(plan, row);
        Object given = held == null ? null : changes.get(plan.version().name());
        if (given != null && !(given instanceof Atomic) && !sameVersion(plan, held, given)) {
            throw StaleRecordException.changed(plan.name(), "update", Keys.keyOf(plan, row), plan.version().name(),
                    given);
        }
    }

    /** Whether two values of the version are one: a number of any Java type, an instant at any offset, to the µs. */
    private static boolean sameVersion(ResourcePlan plan, Object held, Object given) {
        Object stored = plan.toDatabase(plan.version(), held, "update");
        Object other = plan.toDatabase(plan.version(), given, "update");
        return stored instanceof Number a && other instanceof Number b ? a.longValue() == b.longValue()
                : stored instanceof java.time.OffsetDateTime a && other instanceof java.time.OffsetDateTime b
                ? a.isEqual(b) : Objects.equals(stored, other);
    }

    /** Why a write by key (and version, and guard) met no row: gone, changed since read, or not meeting the guard. */
    private AshlarException refused(ResourcePlan plan, Row row, String tenant, String action, Filter guard) {
        if (guard == null || rereadAsWritten(Keys.selectOne(plan, row), tenant).isEmpty()) {
            return missingOrStale(plan, row, tenant, action);
        }
        return StaleRecordException.guardFailed(plan.name(), action, Keys.keyOf(plan, row));
    }

    /**
     * Why a write by key met no row: the record is gone (or not the handle's to change), or another writer changed
     * its version. A record still holding the row's version was left out by the write's own scope (a policy that lets
     * the actor read it but not change it), which no retry mends: it is not found, as an unversioned one is.
     */
    private AshlarException missingOrStale(ResourcePlan plan, Row row, String tenant, String action) {
        Object version = Keys.version(plan, row);
        List<Row> stored = version == null ? List.of() : rereadAsWritten(Query.of(row.resource())
                .withFilter(Keys.keyFilter(plan, row)).withSelect(List.of(plan.version().name())), tenant);
        if (stored.isEmpty() || sameVersion(plan, stored.get(0).get(plan.version().name()), version)) {
            return notFound(plan, row, action);
        }
        return StaleRecordException.changed(plan.name(), action, Keys.keyOf(plan, row), plan.version().name(), version);
    }

    private static AshlarException notFound(ResourcePlan plan, Object key, String action) {
        Object shown = key instanceof Row row ? Keys.keyOf(plan, row) : key;
        return NotFoundException.noRecord(plan.name(), action, shown);
    }

    private static Map<ColumnPlan, Object> convert(ResourcePlan plan, Map<String, ?> changes, String action) {
        Map<ColumnPlan, Object> converted = new LinkedHashMap<>();
        changes.keySet().forEach(plan::column);
        List<FieldError> errors = new ArrayList<>();
        for (ColumnPlan column : plan.columns()) {
            if (changes.containsKey(column.name())) {
                Object value = changes.get(column.name());
                try {
                    converted.put(column, value instanceof Atomic atomic ? atomic(plan, column, atomic, action)
                            : plan.storedValue(column, value, action, false));
                } catch (InvalidDataException e) {
                    errors.addAll(e.errors());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidDataException(plan.name(), action, errors, null, null);
        }
        return converted;
    }

    /** An atomic change of a number attribute, its amount converted like a value of the attribute. */
    private static Atomic atomic(ResourcePlan plan, ColumnPlan column, Atomic atomic, String action) {
        if (atomic.field() != null) {
            plan.refuseUnknownTaken(column, atomic.field());
        }
        if (atomic.expression()) {
            return atomic;
        }
        if (!column.attribute().isNumber()) {
            throw new InvalidDataException(plan.name(), action, List.of(new FieldError(column.name(), "is not a "
                    + "number, and atomic additions and subtractions take numbers only (integer, bigint, numeric, "
                    + "real, double precision)")), null, null);
        }
        return atomic.withAmount(plan.toDatabase(column, atomic.amount(), action));
    }

    private QueryContext context(Target target, Action action, String tenant) {
        return new QueryContext(domain, target.plan.resource(), action, tenant);
    }

    /**
     * Reads go where a plugin routes them, except locking reads and reads in a transaction: the primary. A read that
     * locks its rows outside a transaction is refused (as JPA refuses a pessimistic lock without one): PostgreSQL
     * would release the locks as the statement ends, so they would protect nothing.
     */
    private String readRoute(QueryContext context, Query query) {
        boolean inTransaction = connections.inTransaction();
        if (query.lock() != Lock.NONE && !inTransaction) {
            throw QueryException.of(query.resource(), null, "A read of " + query.resource() + " that locks its rows ("
                    + query.lock() + ") ran outside a transaction, where PostgreSQL releases the locks as soon as the "
                    + "statement ends, so they would protect nothing. Read inside ashlar.transaction(tx -> ...) (or "
                    + "the application's transaction) and write before it commits, or read without lock(...)");
        }
        return query.lock() != Lock.NONE || inTransaction ? null : hooks.route(context).orElse(null);
    }

    /**
     * Mutations run on the primary whatever a routing plugin says; a plugin that names another data
     * source is misconfigured, and the write is refused before anything is sent, rather than failing
     * on a standby with PostgreSQL's bare "cannot execute INSERT in a read-only transaction".
     */
    private String mutationRoute(QueryContext context) {
        String name = hooks.route(context).orElse(Replication.PRIMARY);
        if (!name.equals(Replication.PRIMARY)) {
            throw new PluginException("Cannot " + context.action() + " " + context.resource().name()
                    + " on data source '" + name + "': the routing sent a mutation there, but writes run on the "
                    + "primary only. Route MUTATE to \"" + Replication.PRIMARY + "\" (or to nothing) for resource '"
                    + context.resource().name() + "'", context.resource().name(), null);
        }
        return null;
    }

    /**
     * Refuses a read from a statement of a resource whose field policies hide a field from the actor: the statement
     * reads the stored values, so its own conditions and columns could tell a hidden one.
     */
    private void refuseHiddenFields(Prepared action) {
        Map<String, Filter> hidden = masks(action.tenant, action.query.resource());
        if (!hidden.isEmpty()) {
            String resource = action.target.plan.name();
            throw new ForbiddenException(resource, "read", "field " + hidden.keySet().iterator().next(), "A read of "
                    + resource + " from a statement (from(...)) is refused for this actor: field policies hide "
                    + hidden.keySet() + " from it, and the statement reads their stored values, so its conditions "
                    + "could tell them. Read the table (ashlar.read(\"" + resource + "\")), or run the read in a "
                    + "trusted job (bypassPolicies())");
        }
    }

    /**
     * Runs work on a connection and maps its errors. When plugins ask for transaction settings (the
     * tenant of a row-level security policy), they are set first, in the same transaction.
     */
    private <T> T run(Prepared action, String dataSource, Connections.Work<T> given) {
        // A read from a statement checks first that the statement returns the columns the read names.
        if (readsStatement(action.target.plan.name())) {
            refuseHiddenFields(action);
        }
        Connections.Work<T> work = !readsStatement(action.target.plan.name()) ? given
                : connection -> {
                    source.check(connection, action.target.plan, action.query);
                    return given.run(connection);
                };
        if (observer == null) {
            return execute(action, dataSource, work);
        }
        ActionObserver.Observation observation = observer.start(action.context.resource().name(),
                action.context.action().toString(), dataSource == null ? Replication.PRIMARY : dataSource);
        try {
            T result = execute(action, dataSource, work);
            observation.stop(null);
            return result;
        } catch (AshlarException e) {
            observation.stop(e);
            throw e;
        }
    }

    /**
     * The settings earlier actions of the transaction open on this connection were given; created for an action
     * that gives some, null when none did. Only a transaction that goes on around an action has any: an action in
     * a transaction of its own meets no earlier tenant's settings, and records none.
     */
    private Set<String> earlierSettings(Connection connection, boolean create) throws SQLException {
        if (connection.getAutoCommit()) {
            return null;
        }
        return create ? transactionSettings.computeIfAbsent(connection, c -> new HashSet<>())
                : transactionSettings.get(connection);
    }

    /**
     * Gives an action its settings in a transaction where earlier actions may have left a tenant's: each earlier
     * setting it does not name is emptied, and SQL written by hand gets back the search path the transaction had
     * before a tenant's schema was put first on it.
     */
    private static void applySettings(Connection connection, Set<String> earlier, Map<String, String> settings,
                                      boolean handWritten) throws SQLException {
        Map<String, String> all = new LinkedHashMap<>();
        boolean pathLeft;
        synchronized (earlier) {
            earlier.stream().filter(name -> !settings.containsKey(name) && !name.equals("search_path"))
                    .forEach(name -> all.put(name, ""));
            pathLeft = earlier.contains("search_path") && !settings.containsKey("search_path");
            earlier.addAll(settings.keySet());
        }
        all.putAll(settings);
        if (handWritten && pathLeft) {
            Scoping.restoreSearchPath(connection);
        }
        if (!all.isEmpty()) {
            Scoping.apply(connection, all);
        }
    }

    private <T> T execute(Prepared action, String dataSource, Connections.Work<T> work) {
        Map<String, String> settings = action.settings();
        try {
            return connections.run(dataSource, action.context.operation() == Operation.READ, c -> {
                Set<String> earlier = earlierSettings(c, !settings.isEmpty());
                if (settings.isEmpty()) {
                    if (earlier != null) {
                        applySettings(c, earlier, settings, action.handWritten);
                    }
                    return work.run(c);
                }
                return Connections.atomically(c, inside -> {
                    if (earlier == null) {
                        Scoping.apply(inside, settings);
                    } else {
                        applySettings(inside, earlier, settings, action.handWritten);
                    }
                    return work.run(inside);
                });
            });
        } catch (SQLException e) {
            throw errors.map(e, action.context, action.target.plan, dataSource == null ? Replication.PRIMARY
                    : dataSource, connections.inTransaction());
        }
    }
}
