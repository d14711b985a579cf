package dev.ashlar.kernel;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.kernel.data.Load;
import dev.ashlar.kernel.data.Page;
import dev.ashlar.kernel.data.Returning;
import dev.ashlar.kernel.data.internal.Aggregate;
import dev.ashlar.kernel.data.internal.DataLayer;
import dev.ashlar.kernel.data.internal.LockWait;
import dev.ashlar.kernel.data.internal.ServerDuration;
import dev.ashlar.kernel.data.internal.Acting;
import dev.ashlar.kernel.data.internal.StatementTimeout;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A read of one resource, built fluently and run by a terminal method. Immutable: every step returns
 * a new read, so one can be kept and reused from several threads.
 *
 * <pre>{@code
 * List<Post> page = ashlar.read("post")
 *         .where(and(eq("status", "published"), gt("rating", 3)))
 *         .sort(Sort.desc("published_at"), Sort.asc("id"))
 *         .after(lastPublishedAt, lastId)
 *         .limit(20)
 *         .load("comments", c -> c.sort(Sort.desc("inserted_at")).limit(3).load("author"))
 *         .list(Post.class);
 * }</pre>
 */
public final class Read {
    /** Rows fetched from the server at a time by {@link #forEach}, unless {@link #fetchSize} says otherwise. */
    static final int FETCH = 1_000;

    private final DataLayer data;
    private final Query query;
    private final List<Load> loads;
    private final String handle;
    private final Duration timeout;
    /** Who the handle the read began from acts for, and how it destroys. */
    private final Acting user;
    /** Whether each row that is a record of a resource extending this one comes back as that resource's row. */
    private final boolean children;
    private final int fetch;
    /** How long a locking read waits for a locked row, or null for the server's {@code lock_timeout}. */
    private final Duration lockWait;

    Read(DataLayer data, Query query, String handle, Duration timeout, Acting user) {
        this(data, query, List.of(), handle, timeout, user, false, FETCH, null);
    }

    private Read(DataLayer data, Query query, List<Load> loads, String handle, Duration timeout, Acting user,
                 boolean children, int fetch, Duration lockWait) {
        this.data = data;
        this.children = children;
        this.query = query;
        this.loads = loads;
        this.handle = handle;
        this.timeout = timeout;
        this.user = user;
        this.fetch = fetch;
        this.lockWait = lockWait;
    }

    private Read with(Query newQuery) {
        return new Read(data, newQuery, loads, handle, timeout, user, children, fetch, lockWait);
    }

    /**
     * Runs a terminal step under the timeout of the handle the read began from, if it had one, and the wait for locked
     * rows its lock was given.
     */
    private <T> T timed(Supplier<T> action) {
        Supplier<T> waiting = lockWait == null ? action : () -> LockWait.within(lockWait, action);
        return Acting.within(user, timeout == null ? waiting : () -> StatementTimeout.within(timeout, waiting));
    }

    /**
     * Whether this read runs through this data layer, and so in a transaction it holds on this thread: also through a
     * view of it (a read from a statement, of past versions, with aggregates of its own), which shares its connections.
     */
    boolean runsThrough(DataLayer layer) {
        return data.connections() == layer.connections();
    }

    /** The query this read runs (before plugins' hooks). */
    public Query query() {
        return query;
    }

    /** This read's rows and the other's, each once ({@code UNION}); see {@link Combination}. */
    public Combination union(Read other) {
        return combination().union(QueryException.required(other, "other read"));
    }

    /** This read's rows and the other's, duplicates kept ({@code UNION ALL}). */
    public Combination unionAll(Read other) {
        return combination().unionAll(QueryException.required(other, "other read"));
    }

    /** The rows in both reads ({@code INTERSECT}). */
    public Combination intersect(Read other) {
        return combination().intersect(QueryException.required(other, "other read"));
    }

    /** This read's rows that the other does not have ({@code EXCEPT}). */
    public Combination except(Read other) {
        return combination().except(QueryException.required(other, "other read"));
    }

    private Combination combination() {
        return Combination.of(this);
    }

    DataLayer data() {
        return data;
    }

    boolean sameHandle(String other) {
        return Objects.equals(handle, other);
    }

    String handle() {
        return handle;
    }

    Duration timeout() {
        return timeout;
    }

    /** Who the read acts for (its handle's user, and whether it bypasses policies). */
    Acting user() {
        return user;
    }

    boolean loadsNothing() {
        return loads.isEmpty() && !children;
    }

    /** Keeps the rows that match; several calls AND their filters. */
    public Read where(Filter filter) {
        return with(query.and(filter));
    }

    /** Adds sort keys after those already given. */
    public Read sort(Sort... sorts) {
        List<Sort> all = new ArrayList<>(query.sorts());
        all.addAll(Arrays.asList(QueryException.required(sorts, "sorts")));
        return with(query.withSorts(all));
    }

    public Read limit(int limit) {
        return with(query.withPage(limit, query.offset()));
    }

    public Read offset(int offset) {
        return with(query.withPage(query.limit(), offset));
    }

    /**
     * The limit keeps the rows that tie with its last row on every sort key too (jOOQ's {@code limit(n).withTies()},
     * SQL's {@code FETCH FIRST n ROWS WITH TIES}): {@code sort(Sort.desc("score")).limit(3).withTies()} is every
     * record scoring as high as the third, so more than three when several tie for third. Such a read orders rows
     * equal on every sort key in no set order (the primary key would break the ties), and its {@link #cursor} holds
     * the sort keys alone, so {@code after(cursor)} goes on past every tied row. Checked when the read runs: it needs
     * a limit and a sort, and takes no lock that skips locked rows ({@code INVALID_QUERY} naming the resource);
     * {@link #page()} refuses it.
     */
    public Read withTies() {
        return with(query.keepingTies(true));
    }

    /** Keyset pagination: rows after the row whose sort-key values these are (see {@link #cursor}). */
    public Read after(Object... cursor) {
        return with(query.withCursor(Arrays.asList(QueryException.required(cursor, "cursor")), query.before()));
    }

    /** Keyset pagination: the rows just before the row whose sort-key values these are, in sort order. */
    public Read before(Object... cursor) {
        return with(query.withCursor(query.after(), Arrays.asList(QueryException.required(cursor, "cursor"))));
    }

    /**
     * Loads only these fields (and the primary key): attributes, and aggregates or calculations, a declared one named
     * here loaded as {@link #load(String)} loads it, one this read gives ({@link #aggregate}, {@link #calculate},
     * {@link #load(String, String, Map)}) as it gives it. A later select replaces this one: a declared aggregate or
     * calculation named here and not there is no longer loaded.
     */
    public Read select(String... fields) {
        List<String> named = Arrays.asList(QueryException.required(fields, "fields"));
        List<String> loaded = new ArrayList<>(query.aggregates());
        loaded.removeIf(field -> query.select().contains(field) && !named.contains(field));
        Query selecting = query.withSelect(named).withAggregates(loaded);
        for (String field : fields) {
            if (field != null && data.declaresDerived(query.resource(), field)) {
                selecting = selecting.withAggregate(field);
            }
        }
        return with(selecting);
    }

    /**
     * Locks the rows read, until the transaction ends: refused outside {@code ashlar.transaction(...)} (or the
     * application's transaction), where the locks would end with the statement; {@link #forEach} and {@link #stream()}
     * hold them in a transaction of their own until the last row is handed over.
     */
    public Read lock(Lock lock) {
        refuseOnHistory("lock(" + lock + ")");
        Query locked = query.withLock(QueryException.required(lock, "lock (Lock.NONE for none)"));
        return new Read(data, locked, loads, handle, timeout, user, children, fetch, null);
    }

    /**
     * Locks the rows read as {@link #lock(Lock)} does, waiting at most {@code wait} for a row another transaction has
     * locked (Hibernate's lock timeout, {@code jakarta.persistence.lock.timeout}; the server's {@code lock_timeout},
     * set for the read's statements alone): {@code lock(Lock.FOR_UPDATE, Duration.ofMillis(500))}. A wait that runs
     * out fails with a {@code ConcurrencyException} ({@code LOCK_NOT_AVAILABLE}) and, as any failed statement, leaves
     * the transaction to be rolled back.
     *
     * @throws QueryException with {@code INVALID_QUERY} for a wait under a millisecond or past what PostgreSQL's
     *                        {@code lock_timeout} holds, or a lock that does not wait
     *                        ({@code NONE}, a {@code _NOWAIT} or {@code _SKIP_LOCKED} lock)
     */
    public Read lock(Lock lock, Duration wait) {
        Read locked = lock(lock);
        QueryException.required(wait, "wait");
        String waitless = lock == Lock.NONE ? "takes no lock" : lock.name().endsWith("_NOWAIT") ? "never waits"
                : lock.name().endsWith("_SKIP_LOCKED") ? "skips locked rows rather than wait" : null;
        if (waitless != null) {
            throw QueryException.of(query.resource(), null, "lock(Lock." + lock.name() + ", " + wait + ") on "
                    + query.resource() + ": Lock." + lock.name() + " " + waitless + ", so it has no wait to bound; "
                    + "give a lock that waits, e.g. Lock.FOR_UPDATE");
        }
        if (wait.compareTo(java.time.Duration.ofMillis(1)) < 0) {
            throw QueryException.of(query.resource(), null, "lock(Lock." + lock.name() + ", " + wait + ") on "
                    + query.resource() + ": the wait must be a millisecond or more (PostgreSQL reads a lock_timeout "
                    + "of 0 as waiting for ever; lock(Lock." + lock.name() + ") waits as the server's lock_timeout "
                    + "says)");
        }
        ServerDuration.refuseLonger(wait, query.resource(), "lock(Lock." + lock.name() + ", " + wait + ") on "
                + query.resource(), "a lock that may wait longer waits as the server's lock_timeout says: lock(Lock."
                + lock.name() + ")");
        return new Read(data, locked.query, loads, handle, timeout, user, children, fetch, wait);
    }

    /**
     * The tenant the read runs for, on a handle without one; a handle acting for a tenant refuses any
     * other (use {@code ashlar.withTenant(...)} to act for it). Null is refused, as by {@code withTenant}: a tenant gone
     * missing must never read a resource shared by tenants across all of them.
     */
    public Read tenant(String tenant) {
        if (tenant == null) {
            throw QueryException.of(query.resource(), null, "The read of " + query.resource() + " was given a null "
                    + "tenant: name the tenant, e.g. read(...).tenant(\"acme\"), or leave tenant(...) out to read "
                    + "as the handle does");
        }
        return with(query.withTenant(tenant));
    }

    /**
     * Keeps the rows the resource's base filter hides (Ebean's {@code setIncludeSoftDeletes()}, Hibernate's disabled
     * filter): a soft-deleted record for a trash view, or to find it again and restore it. Only the resource's own base
     * filter is left out: the tenant scope applies as to any read, and relationships, paths and aggregates keep their
     * resources' base filters. On a resource without a base filter it changes nothing.
     */
    public Read ignoreBaseFilter() {
        return with(query.withBaseFilterIgnored(true));
    }

    /**
     * The table of a polymorphic resource the read reads, one the domain declares for it
     * ({@link Query#withTable(String)}); its rows are named after it, so that updating them writes there too.
     */
    public Read table(String table) {
        data.refuseOnStatement(query.resource(), "table(" + table + ")");
        return with(query.withTable(table));
    }

    /**
     * This read on the resource's drafts ({@code draftable()}, Ebean's {@code asDraft()}): the same filters, sorts,
     * base filter and tenant scope, on {@code <table>_draft}, whose rows carry the flag {@code draft_dirty}. Updates and
     * destroys through it write the drafts; {@code ashlar.publish} copies them to the table.
     *
     * @throws QueryException naming the resource and the option, for one that is not draftable
     */
    public Read asDraft() {
        return table(data.drafts(query.resource(), "asDraft()").table());
    }

    /**
     * This read taking its rows from a statement written by hand in place of the resource's table (Ebean's
     * {@code RawSql}, jOOQ's common table expressions and {@code LATERAL} joins as a read), with the whole read on top:
     * the handle's tenant scope, the base filter, soft delete and the actor's policy, then the read's own filters,
     * sorts, pages, counts, aggregates and loads. The statement returns rows of the resource, its columns named as
     * the table names them; its {@code ?} marks are bound to the values, in order, as {@code Filter.sql} binds them.
     *
     * <pre>{@code
     * List<Row> big = ashlar.read("order")
     *         .from("SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.vip AND o.total > ?", 100)
     *         .where(gt("id", 2)).sort(Sort.desc("id")).limit(10).load("customer").list();
     * }</pre>
     *
     * It runs as {@code FROM (<statement>) AS "<table>"}, so SQL over the row ({@code compute}, {@code Filter.sql})
     * names it by the table's name. The tenant column, base filter and policy are conditions on the rows the
     * statement returns, not inside it: a {@code LIMIT}, aggregate or subquery in the statement sees every tenant's
     * rows of a table with a tenant column; and a statement that computes such a column rather than reading it
     * decides what it holds. In a
     * tenant's schema the statement runs with that schema first on the search path, so a table it names without a
     * schema is the tenant's; one it names with another schema is read as named. The statement is code: never build
     * it from input.
     * <p>
     * A write by query over it ({@link #updateAll}, {@link #updateCount}, {@link #destroyAll}; jOOQ's {@code UPDATE
     * ... FROM} a common table expression or {@code DELETE} of a {@code LATERAL} join's rows) writes the table's rows
     * the read returns: their keys are read as above, then the rows of the table with those keys are written in the
     * handle's scope again, under the write's policy, in one transaction, so a statement returning another tenant's
     * rows changes none of them:
     * {@code ashlar.read("order").from("WITH late AS (SELECT * FROM orders WHERE due < now()) SELECT * FROM late")
     * .updateAll(Map.of("status", "late"))}.
     *
     * @throws QueryException naming the resource: for a statement that is not one SELECT (or WITH ... SELECT), holds a
     *                        {@code ;}, or has not one value per mark; when it runs, for columns the read needs that
     *                        the statement does not return, naming them; for a lock, {@code asOf}, {@code table} or
     *                        a combination ({@code union}) over it
     */
    public Read from(String sql, Object... values) {
        if (data.readsStatement(query.resource()) || data.readsHistory(query.resource())
                || query.lock() != Lock.NONE) {
            throw QueryException.of(query.resource(), null, "from(...) on a read of " + query.resource() + " that "
                    + (query.lock() != Lock.NONE ? "locks its rows: a read from a statement locks none"
                    : data.readsStatement(query.resource()) ? "already reads from a statement: give one per read"
                    : "reads past versions (asOf, versionsBetween): read them from the history, or from a statement")
                    + " is refused");
        }
        return new Read(data.fromStatement(query.resource(), sql, values), query, loads, handle, timeout, user,
                children, fetch, lockWait);
    }

    /**
     * The records as they were at that instant (Ebean's {@code asOf}, SQL:2011's {@code FOR SYSTEM_TIME AS OF}), read
     * from the view of current rows and past versions that {@code history()} on the resource makes: each record's
     * version whose period holds the instant, none for one not yet created or already deleted then. Filters, sorts,
     * the base filter and the tenant scope apply as to any read; such a read writes and locks nothing.
     *
     * <pre>{@code List<Row> before = ashlar.read("post").asOf(yesterday).where(eq("status", "draft")).list();}</pre>
     *
     * @throws QueryException naming the resource and the fix, when it keeps no history
     */
    public Read asOf(Instant instant) {
        refuseOnHistory("asOf");
        refuseChildrenOfHistory(children);
        QueryException.required(instant, "instant");
        return new Read(data.history(query.resource()), query.and(Filter.sql(HistoryPeriod.CURRENT_AT, instant)),
                loads, handle, timeout, user, children, fetch, lockWait);
    }

    /**
     * Every version of the records that was current at some moment from {@code from} (included) to {@code to}
     * (excluded), Ebean's {@code findVersionsBetween}: the current rows and past ones from the resource's history view,
     * each with the period it was current readable as {@code sys_period_start} and {@code sys_period_end} (an
     * {@code Instant}; the end null for a version still current). Sort by {@code sys_period_start} to read a
     * record's versions in order.
     *
     * @throws QueryException naming the resource and the fix, when it keeps no history, or for {@code to} before
     *                        {@code from}
     */
    public Read versionsBetween(Instant from, Instant to) {
        refuseOnHistory("versionsBetween");
        refuseChildrenOfHistory(children);
        QueryException.required(from, "from");
        QueryException.required(to, "to");
        if (to.isBefore(from)) {
            throw QueryException.of(query.resource(), null, "versionsBetween(" + from + ", " + to + ") on "
                    + query.resource() + " ends before it starts: give the earlier instant first");
        }
        return new Read(data.history(query.resource()), query.and(Filter.sql(HistoryPeriod.OVERLAPS, from, to)),
                loads, handle, timeout, user, children, fetch, lockWait)
                .compute(HistoryPeriod.START, Instant.class, HistoryPeriod.START_SQL)
                .compute(HistoryPeriod.END, Instant.class, HistoryPeriod.END_SQL);
    }

    /**
     * Refuses children's parts on a read of past versions, when it has both: the children's rows would be read as
     * stored now, not as they were then.
     */
    private void refuseChildrenOfHistory(boolean both) {
        if (both) {
            throw QueryException.of(query.resource(), null, "loadChildren() reads each child's row as stored now, so "
                    + "it is refused on a read of past versions (asOf, versionsBetween) of " + query.resource()
                    + ": read the past versions without loadChildren(), and a child's through its own read "
                    + "(read(child).asOf(...))");
        }
    }

    /**
     * Refuses a write or lock through a read of past versions, which a history view cannot take, and a second asOf or
     * versionsBetween, whose view has no history of its own; and any of them through a read from a statement.
     */
    private void refuseOnHistory(String action) {
        data.refuseOnStatement(query.resource(), action);
        refuseWriteOfHistory(action);
    }

    /**
     * Refuses a write by query through a read of past versions. Through a read from a statement one writes the
     * table's rows the statement returns ({@link #from}).
     */
    private void refuseWriteOfHistory(String action) {
        if (data.readsHistory(query.resource())) {
            String why = action.equals("asOf") || action.equals("versionsBetween")
                    ? "it already reads past versions; give one asOf or versionsBetween per read"
                    : "past versions cannot be changed or locked; write through ashlar.read(\"" + query.resource()
                    + "\") without asOf";
            throw QueryException.of(query.resource(), null, action + " on a read of " + query.resource()
                    + "'s history (asOf or versionsBetween) is refused: " + why);
        }
    }

    /** The relationships this read loads on its rows. */
    public List<Load> loads() {
        return loads;
    }

    /**
     * Loads a relationship, or a dotted path of them ({@code "comments.author"}), on every row read,
     * readable with {@link Row#related} and {@link Row#relatedOne}. One statement per relationship and
     * level, whatever the number of rows. A declared aggregate's or calculation's name loads it as a field of each
     * row ({@code row.get("count_of_comments")}, {@code row.get("full_name")}), computed in the same statement; a path
     * may end in one of the related records' ({@code "comments.score"}).
     */
    public Read load(String path) {
        QueryException.required(path, "relationship, aggregate or calculation");
        if (data.declaresDerived(query.resource(), path)) {
            return with(query.withAggregate(path));
        }
        return new Read(data, query, Load.merge(loads, Load.of(path)), handle, timeout, user, children, fetch,
                lockWait);
    }

    /**
     * Loads an aggregate this read gives rather than the resource declares (Ash's {@code Query.aggregate}), as a field
     * of each row, computed in the same statement; the read's filter and sorts may name it too:
     * {@code read("post").aggregate(Aggregate.of("titled", Kind.COUNT, "comments").withFilter(notNil("title")))}.
     * It takes every kind, path and option a declared one does and is checked by the same rules; other reads of the
     * resource do not know it.
     *
     * @throws QueryException naming the aggregate and the fix, for one the domain would refuse to declare, or a name
     *                        an attribute, relationship, aggregate or calculation of the resource has
     */
    public Read aggregate(dev.ashlar.api.resource.Aggregate aggregate) {
        QueryException.required(aggregate, "aggregate");
        return new Read(data.withAggregates(query.resource(), List.of(aggregate)),
                query.withAggregate(aggregate.name()), loads, handle, timeout, user, children, fetch, lockWait);
    }

    /**
     * Loads a calculation this read gives rather than the resource declares (Ash's {@code Query.calculate}), as a
     * field of each row; the read's filter and sorts may name it too. Its SQL names the row's columns unqualified,
     * and the resource's aggregates and calculations, as a declared one's does, each {@code ?} bound to the next value:
     * {@code read("post").calculate("total", BigDecimal.class, "price * quantity").where(gt("total", 100))}.
     *
     * @throws QueryException naming the calculation and the fix, for one the domain would refuse to declare, or a
     *                        name an attribute, relationship, aggregate or calculation of the resource has
     */
    public Read calculate(String name, Class<?> type, String sql, Object... values) {
        return calculate(dev.ashlar.api.resource.Calculation.of(name, type, sql, values));
    }

    /** Loads a calculation this read gives, one of a column type or with arguments: see {@link #calculate(String, Class, String, Object...)}. */
    public Read calculate(dev.ashlar.api.resource.Calculation calculation) {
        QueryException.required(calculation, "calculation");
        return new Read(data.withCalculation(query.resource(), calculation),
                query.withAggregate(calculation.name()), loads, handle, timeout, user, children, fetch, lockWait);
    }

    /**
     * Loads a declared calculation with arguments ({@code CalculationArgument}), those not given at their defaults:
     * {@code load("full_name", Map.of("separator", "-"))}. The values are bound, never written into the SQL; an
     * unknown argument, a missing one without a default, a value not of its type, or null for one declared
     * {@code notNull()} is refused.
     */
    public Read load(String calculation, Map<String, ?> arguments) {
        QueryException.required(calculation, "calculation");
        return with(query.withCalculation(calculation, declaredArguments("load", calculation, arguments)));
    }

    /**
     * Loads a declared calculation under another name, with its own arguments, so that one read loads the same
     * calculation with two sets of them (AshPostgres's {@code load(full_name_upper: {:full_name, %{upper?: true}})}):
     * {@code load("full_name", Map.of("separator", " ")).load("full_name", "full_name_dashed", Map.of("separator",
     * "-"))}. Each row holds the value under the new name, which the read's filter and sorts may name too; the
     * arguments are checked as {@link #load(String, Map)} checks them.
     *
     * @throws QueryException naming the calculation when the resource declares none of that name, or the new name
     *                        when the resource already has a field of that name
     */
    public Read load(String calculation, String as, Map<String, ?> arguments) {
        QueryException.required(calculation, "calculation");
        QueryException.required(as, "name");
        QueryException.required(arguments, "arguments");
        return new Read(data.withCalculationAs(query.resource(), calculation, as), query.withCalculation(as, arguments),
                loads, handle, timeout, user, children, fetch, lockWait);
    }

    /**
     * Gives a declared calculation arguments wherever this read names it, without loading it: its filter and its
     * sorts ({@code where(gt("older", 50)).arguments("older", Map.of("years", 10))}, Ash's
     * {@code filter(older(years: 10) > 50)}). A dotted name gives them to a related resource's calculation wherever
     * the read's filter and sorts reach it through that path ({@code arguments("author.full_name", ...)}, Ash's
     * {@code filter(author.full_name(separator: "~") == ...)}). A read gives a calculation one set of arguments; those of a later
     * {@code load(calculation, arguments)} replace them. Checked as {@link #load(String, Map)} checks them.
     */
    public Read arguments(String calculation, Map<String, ?> arguments) {
        QueryException.required(calculation, "calculation");
        return with(query.withArguments(calculation, declaredArguments("arguments", calculation, arguments)));
    }

    /**
     * Gives a calculation a second set of arguments under another name, which this read's filter and sorts name
     * instead ({@code arguments("author.full_name", "tilde_name", Map.of("separator", "~"))}, then
     * {@code eq("author.tilde_name", "Ada~Lovelace")}), so that one filter compares two values of one related
     * calculation (Ash's {@code author.full_name(separator: "~") == ... and author.full_name(separator: " ") == ...}).
     * The new name belongs to the resource at the path's end in this read alone; checked as
     * {@link #arguments(String, Map)} checks the arguments.
     *
     * @throws QueryException naming the path when a step is no relationship or its resource declares no such
     *                        calculation, or the new name when that resource already has a field of that name
     */
    public Read arguments(String calculation, String as, Map<String, ?> arguments) {
        QueryException.required(calculation, "calculation");
        QueryException.required(as, "name");
        declaredArguments("arguments", calculation, QueryException.required(arguments, "arguments"));
        String renamed = calculation.substring(0, calculation.lastIndexOf('.') + 1) + as;
        return new Read(data.withRelatedCalculationAs(query.resource(), calculation, as),
                query.withArguments(renamed, arguments), loads, handle, timeout, user, children, fetch, lockWait);
    }

    private Map<String, ?> declaredArguments(String method, String calculation, Map<String, ?> arguments) {
        String declaring = data.resourceAt(query.resource(), calculation);
        String name = calculation.substring(calculation.lastIndexOf('.') + 1);
        if (!data.declaresDerived(declaring, name)) {
            throw QueryException.of(query.resource(), calculation, method + "(\"" + calculation + "\", arguments) "
                    + "gives a calculation arguments, and " + declaring + " declares none named '" + name + "'");
        }
        return QueryException.required(arguments, "arguments");
    }

    /**
     * Reads each record that is also a record of a resource extending this one ({@code extending(...)}, joined
     * inheritance) as that resource's row (Hibernate's polymorphic {@code from Animal}): {@code
     * ashlar.read("animal").loadChildren().list()} returns a dog's row with {@code resource()} {@code "dog"} and every
     * field of a dog, and an animal that is no dog's as an animal's row; down a chain (a dog extending mammal, which
     * extends animal) the most specific one's. Each child's rows are read by key in one statement, in the handle's
     * scope: a record the child's policy or base filter hides stays the parent's row.
     *
     * @throws QueryException with {@code INVALID_QUERY} when no resource of the domain extends this one, or on a read
     *                        of past versions ({@code asOf}, {@code versionsBetween})
     */
    public Read loadChildren() {
        refuseChildrenOfHistory(data.readsHistory(query.resource()));
        data.requireChildren(query.resource());
        return new Read(data, query, loads, handle, timeout, user, true, fetch, lockWait);
    }

    /** Loads a relationship with its own filter, sort, limit per row and nested loads. */
    public Read load(String relationship, UnaryOperator<Load> shape) {
        QueryException.required(relationship, "relationship");
        QueryException.required(shape, "shape");
        return new Read(data, query, Load.merge(loads, shape.apply(Load.of(relationship))), handle, timeout, user,
                children, fetch, lockWait);
    }

    /**
     * The values of this read's sort keys in a row, then of the primary key fields the sorts do not name: a cursor for
     * {@link #after} or {@link #before}. A read that pages orders by those key fields last, so rows equal on every sort
     * key are neither repeated nor skipped from page to page; a cursor of the sort keys alone is taken as before.
     * A key no row holds ({@link Sort#ascBy} an expression, a {@link Sort#byCount()}) takes the value the row was
     * listed with, which a row of a read sorted by that key keeps: the next page starts where this one ended even if
     * the record's key changed, or the record was deleted, since. A row that keeps none (built with {@link Row#of},
     * or listed by a read sorted otherwise) has it read for its record by its primary key, one statement per such
     * key, in this read's tenant scope and under its base filter.
     *
     * @throws dev.ashlar.api.error.NotFoundException when a key is read again and the row's record is not in the
     *                                                read's scope (deleted since, or another tenant's)
     */
    public Object[] cursor(Row row) {
        QueryException.required(row, "row");
        List<Object> values = new ArrayList<>();
        Object[] seen = data.seenSortValues(query, row, handle);
        int computed = 0;
        for (Sort sort : query.sorts()) {
            if (sort.byExpression() || sort.count()) {
                // No row field holds it: the value the page saw, or else the server's for the row's record now.
                values.add(seen != null ? seen[computed++] : sortValue(sort, row));
                continue;
            }
            if (!row.has(sort.field()) && data.declaresDerived(query.resource(), sort.field())) {
                throw QueryException.of(query.resource(), sort.field(), "cursor(row) takes the row's value of each "
                        + "sort key, and this row has no '" + sort.field() + "': load(\"" + sort.field() + "\") on "
                        + "the read whose rows give the cursor");
            }
            // A value a field policy hides is NULL to the sort, and so to the cursor.
            values.add(sort.field().indexOf('.') > 0 && !row.has(sort.field()) ? relatedValue(row, sort.field())
                    : row.forbidden(sort.field()) ? null : row.get(sort.field()));
        }
        tieBreakers().forEach(field -> values.add(row.get(field)));
        return values.toArray();
    }

    /** A row's value of a sort key no row holds, as {@link #cursor} reads it; for a typed read's cursor. */
    Object sortValue(Sort sort, Row row) {
        return timed(() -> data.sortValue(query, sort, row, handle));
    }

    /**
     * A sort key through to-one relationships ({@code "author.name"}) in a row whose read loaded them: null when a
     * relationship has no record, as the sort reads it.
     */
    private Object relatedValue(Row row, String path) {
        String[] names = path.split("\\.");
        Row current = row;
        for (int i = 0; i < names.length - 1; i++) {
            if (current.has(names[i])) {
                return row.get(path);   // a composite or JSON attribute's part: the row's own value, or its error
            }
            Optional<Row> next = current.relatedOne(names[i]);
            if (next.isEmpty()) {
                return null;
            }
            current = next.get();
        }
        String last = names[names.length - 1];
        return current.forbidden(last) ? null : current.get(last);
    }

    /** The primary key fields the read orders by after its sorts, when it pages (see {@link #cursor}). */
    List<String> tieBreakers() {
        return data.tieBreakers(query);
    }

    public List<Row> list() {
        return timed(() -> children ? data.listWithChildren(query, loads, handle) : data.list(query, loads, handle));
    }

    /** The rows mapped onto a Java record class by component names. */
    public <R extends Record> List<R> list(Class<R> type) {
        QueryException.required(type, "record type");
        if (children) {
            return list().stream().map(row -> row.as(type)).toList();
        }
        return timed(() -> loads.isEmpty() ? data.records(query, handle, type) : data.list(query, loads, handle, type));
    }

    /**
     * The first row in the read's order, or none (also under a limit of 0). It reads one row, also of a read keeping
     * ties ({@link #withTies()}): its first row is one of those equal on every sort key to the first, as the primary
     * key orders them.
     */
    public Optional<Row> first() {
        Read one = with(query.keepingTies(false));
        List<Row> rows = one.limit(query.limit() == null ? 1 : Math.min(query.limit(), 1)).list();
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public <R extends Record> Optional<R> first(Class<R> type) {
        QueryException.required(type, "type");
        return first().map(row -> row.as(type));
    }

    /**
     * The one row the read selects, or none (Ash's {@code read_one}, jOOQ's {@code fetchOptional}): for a filter
     * that should match at most one record, such as a unique field that is no declared identity. It reads at most two
     * rows, so a filter that matches many costs no more than two.
     *
     * @throws QueryException with {@code INVALID_QUERY} when the read selects more than one row
     */
    public Optional<Row> one() {
        List<Row> rows = limit(query.limit() == null ? 2 : Math.min(query.limit(), 2)).list();
        if (rows.size() > 1) {
            throw QueryException.of(query.resource(), null, "Expected at most one " + query.resource() + " and the "
                    + "read selects more: narrow the filter, e.g. to an identity, or take the "
                    + "first in an order with sort(...).first()");
        }
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** {@link #one()} as a record of the type. */
    public <R extends Record> Optional<R> one(Class<R> type) {
        QueryException.required(type, "type");
        return one().map(row -> row.as(type));
    }

    /**
     * Only the first row of each combination of these fields' values ({@code DISTINCT ON}), first by the sorts,
     * which also order the rows kept: {@code read("post").distinct("author_id").sort(Sort.desc("inserted_at"))} is
     * each author's newest post, newest first, and a limit takes the newest of them.
     */
    public Read distinct(String... fields) {
        // A null field in the list is refused by the query, naming this read's resource.
        return with(query.withDistinct(Arrays.asList(QueryException.required(fields, "fields"))));
    }

    /**
     * Keeps, of each {@link #distinct} group, the first row in this order (Ash's {@code distinct_sort}), while
     * {@code sort(...)} orders the rows kept: {@code read("post").distinct("author_id").distinctSort(Sort.desc(
     * "rating")).sort(Sort.desc("inserted_at"))} is each author's best post, newest first.
     */
    public Read distinctSort(Sort... keys) {
        return with(query.withDistinctSorts(Arrays.asList(QueryException.required(keys, "sort keys"))));
    }

    /**
     * How many rows {@link #forEach} fetches from the server at a time (1,000 unless given): fewer holds less in
     * memory for wide rows, more takes fewer round trips for narrow ones (JDBC's, Jdbi's and jOOQ's
     * {@code fetchSize}). Other reads fetch every row at once and are not changed by it.
     *
     * @throws QueryException with {@code INVALID_QUERY} for a size below 1
     */
    public Read fetchSize(int rows) {
        return new Read(data, query, loads, handle, timeout, user, children, checkedFetchSize(query.resource(), rows),
                lockWait);
    }

    static int checkedFetchSize(String resource, int rows) {
        if (rows < 1) {
            throw QueryException.of(resource, null, "fetchSize(" + rows + ") on " + resource + " fetches no row at a "
                    + "time: give 1 or more rows (1,000 unless given)");
        }
        return rows;
    }

    /**
     * Hands over the rows one at a time, never all in memory (an export, a backfill): the server sends them 1,000 at
     * a time (or {@link #fetchSize}) through a cursor, in one transaction (the caller's, when there is one), and the connection is held until
     * the last row is handed over. Returns how many. Relationships are not loaded here: load them on a batch of rows
     * with {@code ashlar.load(rows, ...)}.
     */
    public long forEach(Consumer<Row> each) {
        loadless("forEach");
        return timed(() -> data.forEach(query, handle, fetch, each));
    }

    /** Refuses loads on a read handed over row by row, which loads none. */
    private void loadless(String call) {
        if (!loadsNothing()) {
            throw QueryException.of(query.resource(), null, call + " hands over rows one at a "
                    + "time and loads no relationships or children's parts; collect a batch and load them with "
                    + "ashlar.load(rows, ...), or read them with list()");
        }
    }

    /**
     * The rows as a stream pulled one at a time, never all in memory (Hibernate's {@code getResultStream}, jOOQ's
     * {@code fetchStream}, Jdbi's {@code stream()}): the server sends them 1,000 at a time (or {@link #fetchSize})
     * through the cursor {@link #forEach} reads, with every filter, sort, limit, scope, lock and timeout of this read.
     * Inside a transaction it reads in it, and must be read before the transaction ends; outside one it borrows a
     * connection and opens a transaction of its own (read only, unless the read locks), both given back when the
     * stream is closed, read to its end, or fails (its consumer's exception comes out as thrown). Close it, with
     * try-with-resources: a stream left open holds its connection until the garbage collector finds it, which logs a
     * warning naming the resource. Relationships are not loaded here, as in {@code forEach}.
     *
     * <pre>{@code
     * try (Stream<Row> rows = ashlar.read("event").sort(Sort.asc("id")).stream()) {
     *     rows.filter(row -> row.get("kind") != null).forEach(writer::write);
     * }
     * }</pre>
     *
     * @throws QueryException with {@code INVALID_QUERY} for a read with loads or before a cursor, or, from the stream,
     *                        when it is read after the transaction it was opened in ended
     */
    public Stream<Row> stream() {
        loadless("stream");
        return timed(() -> data.stream(query, handle, fetch));
    }

    /** {@link #stream()} with each row as a record of the type. */
    public <R extends Record> Stream<R> stream(Class<R> type) {
        // Checked before the stream borrows its connection, which a stream refused later would keep until closed.
        QueryException.required(type, "type");
        return stream().map(row -> row.as(type));
    }

    /** {@link #forEach(Consumer)} with each row as a record of the type. */
    public <R extends Record> long forEach(Class<R> type, Consumer<R> each) {
        QueryException.required(type, "type");
        QueryException.required(each, "consumer");
        return forEach(row -> each.accept(row.as(type)));
    }

    /**
     * A field computed for each row in SQL (AshPostgres's calculations and per-row aggregates), read as the Java
     * type given and found on the rows (and on records with a component of that name) after the attributes:
     * {@code read("post").compute("comment_count", Long.class,
     * "SELECT count(*) FROM comments c WHERE c.post_id = posts.id")}. Sort by it with its name; filter with
     * {@code Filter.sql} and the same expression. The expression is code: never build it from input. A field used
     * by name in filters, also through paths and inside {@code exists}, is declared on the resource instead
     * ({@code ResourceBuilder.calculate}).
     */
    public Read compute(String name, Class<?> type, String sql) {
        return with(query.withComputed(new dev.ashlar.api.query.Computed(name, type, sql)));
    }

    /**
     * Groups this read's rows by these fields (SQL's {@code GROUP BY}), for values computed over each group:
     * {@code groupBy("status").count("posts").list()}. See {@link Grouped}.
     */
    public Grouped groupBy(String... fields) {
        if (Arrays.asList(QueryException.required(fields, "fields")).contains(null)) {
            throw dev.ashlar.api.error.QueryException.of(query.resource(), null, "A read of " + query.resource()
                    + " was given null for a field to group by; give the name of an attribute, aggregate or calculation");
        }
        return new Grouped(data, query, List.of(fields), handle, timeout, user);
    }

    public long count() {
        return timed(() -> data.count(query, handle));
    }

    /**
     * The read's terminal step run on the executor (Ebean's {@code findFutureList}, {@code findFutureCount},
     * {@code findFutureIds}), in a transaction of its own and in the tenant, actor and timeout of the handle the read
     * began from:
     *
     * <pre>{@code
     * CompletableFuture<List<Object>> ids = ashlar.read("post").where(eq("status", "draft"))
     *         .async(r -> r.values("id", Object.class), executor);
     * }</pre>
     *
     * Cancelling the future before the executor starts the read keeps it from running; once running, the statement
     * runs to its end (bound it with {@code ashlar.withTimeout(...)}), as a {@link CompletableFuture} does not
     * interrupt its work.
     *
     * @throws QueryException with {@code INVALID_QUERY} inside a transaction, which stays on its own thread
     */
    public <T> CompletableFuture<T> async(Function<Read, T> terminal, Executor executor) {
        QueryException.required(terminal, "terminal");
        return AsyncReads.run(query.resource(), data.transactionOpen(), () -> terminal.apply(this), executor);
    }

    /** {@link #async(Function, Executor)} on Ashlar's own daemon threads, made as reads need them. */
    public <T> CompletableFuture<T> async(Function<Read, T> terminal) {
        return async(terminal, AsyncReads.DEFAULT);
    }

    /** {@link #list()} on the executor (Ebean's {@code findFutureList}); see {@link #async(Function, Executor)}. */
    public CompletableFuture<List<Row>> listAsync(Executor executor) {
        return async(Read::list, executor);
    }

    /** {@link #list()} on Ashlar's own threads; see {@link #async(Function)}. */
    public CompletableFuture<List<Row>> listAsync() {
        return async(Read::list);
    }

    /** {@link #count()} on the executor (Ebean's {@code findFutureCount}); see {@link #async(Function, Executor)}. */
    public CompletableFuture<Long> countAsync(Executor executor) {
        return async(Read::count, executor);
    }

    /** {@link #count()} on Ashlar's own threads; see {@link #async(Function)}. */
    public CompletableFuture<Long> countAsync() {
        return async(Read::count);
    }

    public boolean exists() {
        return timed(() -> data.exists(query, handle));
    }

    /**
     * A page of the rows with the count of every row the read selects (Ebean's {@code findPagedList}, Spring Data's
     * {@code Page}): the read's {@code limit} is the page size, its offset or cursor where the page begins, and the
     * total leaves all three out. Outside a transaction both statements run in one, at {@code REPEATABLE READ}, so
     * the total counts the rows the page was read from.
     *
     * @throws QueryException with {@code INVALID_QUERY} when the read has no limit
     */
    public Page<Row> page() {
        return paged(Read::list);
    }

    /** {@link #page()} with the rows as records of the type. */
    public <R extends Record> Page<R> page(Class<R> type) {
        QueryException.required(type, "record type");
        return paged(read -> read.list(type));
    }

    private <T> Page<T> paged(java.util.function.Function<Read, List<T>> rows) {
        Integer size = query.limit();
        if (query.withTies()) {
            throw QueryException.of(query.resource(), null, "page() of " + query.resource() + " cannot say whether "
                    + "another page follows a read that keeps ties (withTies()), whose rows outnumber its limit when "
                    + "some tie: read the rows with list() and the total with a read without limit and count()");
        }
        if (size == null) {
            throw QueryException.of(query.resource(), null, "page() of " + query.resource() + " needs a page size: "
                    + "give the read a limit(n), and offset(n) or after(...) for where the page begins");
        }
        // One row past the page says whether another follows, with an offset or a cursor alike. A before(...) read
        // pages backwards: its rows come back in the read's order, so the extra row is the first, not the last.
        Read oneMore = limit(size == Integer.MAX_VALUE ? size : size + 1);
        Read whole = with(query.withPage(null, null).withCursor(null, null));
        boolean backwards = !query.before().isEmpty();
        Supplier<Page<T>> page = () -> {
            List<T> read = rows.apply(oneMore);
            boolean hasNext = read.size() > size;
            List<T> kept = !hasNext ? read : backwards ? read.subList(read.size() - size, read.size())
                    : read.subList(0, size);
            return new Page<>(kept, whole.count(), hasNext);
        };
        // A locking read outside a transaction stays refused, rather than locking rows for this one alone.
        return data.transactionOpen() || query.lock() != Lock.NONE ? page.get()
                : data.transaction(dev.ashlar.kernel.data.Isolation.REPEATABLE_READ, page);
    }

    /**
     * One field of every row the read selects, in its order, as values of the type, nulls kept (Ebean's
     * {@code findSingleAttributeList} and {@code findIds}, jOOQ's {@code fetch(field)}): the statement selects that
     * field alone. {@code read("post").where(eq("status", "draft")).values("id", Integer.class)}. The field may be an
     * aggregate or calculation, declared or given by this read ({@code load("full_name", "dashed", arguments)
     * .values("dashed", String.class)}). A value a field policy hides from the actor is null.
     *
     * @throws QueryException naming the field when the resource lacks it or a value is not of the type
     */
    public <T> List<T> values(String field, Class<T> type) {
        QueryException.required(field, "field");
        QueryException.required(type, "value type");
        List<Row> rows = select(field).list();
        List<T> values = new ArrayList<>(rows.size());
        // A value a field policy hides is null here, as in a typed record.
        rows.forEach(row -> values.add(row.forbidden(field) ? null : row.get(field, type)));
        return java.util.Collections.unmodifiableList(values);
    }

    /**
     * How many different values a field has over the rows this read selects, nulls left out ({@code count(DISTINCT
     * "author_id")}; Hibernate's {@code count(distinct ...)}, jOOQ's {@code countDistinct}): any attribute, or a
     * declared aggregate or calculation; 0 when no row has a value.
     */
    public long countDistinct(String field) {
        QueryException.required(field, "field");
        return ((Number) timed(() -> data.aggregate(Aggregate.COUNT_DISTINCT, field, query, handle))).longValue();
    }

    /**
     * The sum of a number attribute over the rows this read selects, as PostgreSQL computes it (a {@code Long} for
     * an integer, a {@code BigDecimal} for a bigint or numeric, a {@code Double} for a double); null when no row has
     * a value.
     */
    public Number sum(String field) {
        return (Number) timed(() -> data.aggregate(Aggregate.SUM, field, query, handle));
    }

    /** The average of a number attribute ({@code BigDecimal}, or {@code Double} for real and double); null for none. */
    public Number avg(String field) {
        return (Number) timed(() -> data.aggregate(Aggregate.AVG, field, query, handle));
    }

    /** The least value of an attribute, as rows hold it; null when no row has one. */
    public Object min(String field) {
        return timed(() -> data.aggregate(Aggregate.MIN, field, query, handle));
    }

    /** The greatest value of an attribute, as rows hold it; null when no row has one. */
    public Object max(String field) {
        return timed(() -> data.aggregate(Aggregate.MAX, field, query, handle));
    }

    /** Sets the changes on every row this read selects (honouring limit and offset); returns them updated. */
    public List<Row> updateAll(Map<String, ?> changes) {
        refuseWriteOfHistory("updateAll");
        QueryException.required(changes, "changes");
        return timed(() -> data.updateAll(query, changes, handle));
    }

    /**
     * Sets the changes on every row this read selects and returns them updated, or only their keys with
     * {@link Returning#KEYS}: then the statement returns the primary key alone, however many rows it changes.
     */
    public List<Row> updateAll(Map<String, ?> changes, Returning returning) {
        refuseWriteOfHistory("updateAll");
        QueryException.required(changes, "changes");
        return timed(() -> data.updateAll(query, changes, handle, QueryException.required(returning, "returning")));
    }

    /**
     * Sets the changes on every row this read selects (honouring limit and offset) and returns how many, sending no
     * row back: an {@code UPDATE} without {@code RETURNING}, for updates of many rows (Hibernate's
     * {@code executeUpdate}, jOOQ's {@code execute}).
     */
    public int updateCount(Map<String, ?> changes) {
        refuseWriteOfHistory("updateCount");
        QueryException.required(changes, "changes");
        return timed(() -> data.updateCount(query, changes, handle));
    }

    /** Deletes every row this read selects; returns how many. */
    public int destroyAll() {
        refuseWriteOfHistory("destroyAll");
        return timed(() -> data.destroyAll(query, handle));
    }

    /**
     * Deletes every row this read selects and returns them as they were stored, or only their keys with
     * {@link Returning#KEYS}. They are read and locked first, then deleted by key, in one transaction.
     */
    public List<Row> destroyAll(Returning returning) {
        refuseWriteOfHistory("destroyAll");
        return timed(() -> data.destroyAll(query, handle, QueryException.required(returning, "returning")));
    }
}
