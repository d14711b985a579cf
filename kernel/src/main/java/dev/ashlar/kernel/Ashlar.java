package dev.ashlar.kernel;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.kernel.data.internal.Policies;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.kernel.data.ActionObserver;
import dev.ashlar.kernel.data.Bulk;
import dev.ashlar.kernel.data.BulkResult;
import dev.ashlar.kernel.data.Isolation;
import dev.ashlar.kernel.data.TransactionJoin;
import dev.ashlar.kernel.data.TransactionOptions;
import dev.ashlar.kernel.data.Returning;
import dev.ashlar.kernel.data.Merge;
import dev.ashlar.kernel.data.MergeResult;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.data.Load;
import dev.ashlar.kernel.data.Manage;
import dev.ashlar.kernel.data.internal.Acting;
import dev.ashlar.kernel.data.internal.Connections;
import dev.ashlar.kernel.data.internal.DataLayer;
import dev.ashlar.kernel.data.DraftReport;
import dev.ashlar.kernel.data.internal.DraftResource;
import dev.ashlar.kernel.data.internal.Hooks;
import dev.ashlar.kernel.data.internal.KernelReplication;
import dev.ashlar.kernel.data.internal.PlainSql;
import dev.ashlar.kernel.data.internal.ServerDuration;
import dev.ashlar.kernel.data.internal.StatementTimeout;
import dev.ashlar.kernel.migrate.Placeholders;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.plugin.Tenancies;
import dev.ashlar.kernel.tenant.TenantSchemas;
import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.migrate.JavaMigration;
import dev.ashlar.kernel.migrate.JavaMigrations;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.Replication;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.api.typed.Change;
import dev.ashlar.api.typed.Condition;
import dev.ashlar.api.typed.Conflict;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The data layer of a domain: create, read, update, destroy, bulk writes, upserts and transactions
 * over JDBC. Thread-safe and cheap per call: SQL is rendered once per query shape and plugins are
 * found once, when it is built.
 *
 * <pre>{@code
 * try (Ashlar ashlar = Ashlar.builder().jdbcUrl(url, "app", secret).domain(blog).build()) {
 *     Row post = ashlar.create("post", Map.of("title", "Hello"));
 *     Row edited = ashlar.update(post, Map.of("title", "Hello, world"));
 *     List<Row> recent = ashlar.read("post").sort(Sort.desc("id")).limit(10).list();
 *     ashlar.transaction(tx -> tx.destroy(edited));
 * }
 * }</pre>
 *
 * <p>Every failure is an {@link AshlarException}: invalid data (a taken identity, a missing required
 * field, a value that does not fit its type) as an {@code InvalidDataException} with field errors,
 * a missing record as {@link ErrorCode#NOT_FOUND}, an unknown resource or field as
 * {@link ErrorCode#INVALID_QUERY}; database errors keep their SQL state.
 */
public final class Ashlar implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ashlar.class);
    /** How messages name a merge and a create from a source ({@link MergeSources}). */
    private static final String MERGE = "A merge into";
    private static final String CREATE = "A create of";

    private final DataLayer data;
    private final String tenant;
    private final Duration timeout;
    private final Acting user;
    private final AutoCloseable owned;

    private Ashlar(DataLayer data, String tenant, Duration timeout, Acting user, AutoCloseable owned) {
        this.data = data;
        this.tenant = tenant;
        this.timeout = timeout;
        this.user = user;
        this.owned = owned;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The same data layer acting for a tenant: every action on a tenant-scoped resource runs in that
     * tenant's scope, and a query or row naming another tenant is refused.
     *
     * @throws QueryException when the tenant is null: a tenant that went missing must not widen the handle to
     *                        every tenant's rows of a {@code global(true)} resource; {@link #withoutTenant()} says so
     *                        on purpose
     */
    public Ashlar withTenant(String newTenant) {
        if (newTenant == null) {
            throw QueryException.of(null, null, "withTenant(null) was given no tenant: name the tenant, e.g. "
                    + "ashlar.withTenant(\"acme\"), or call withoutTenant() for a handle that acts without one");
        }
        return new Ashlar(data, newTenant, timeout, user, null);
    }

    /** The same data layer acting for no tenant; a query may name one ({@code read("post").tenant("acme")}). */
    public Ashlar withoutTenant() {
        return new Ashlar(data, null, timeout, user, null);
    }

    /**
     * The same data layer with every statement of its actions bounded by {@code timeout} (Ash's {@code timeout:}
     * option): the driver cancels a statement that runs longer, nothing it did is kept, and the action fails with an
     * {@link dev.ashlar.api.error.ActionTimeoutException}. Reads begun from the handle, and actions inside its
     * transactions, take the timeout too: {@code ashlar.withTimeout(Duration.ofSeconds(2)).read("post").list()}.
     *
     * @throws QueryException when the timeout is under a millisecond, or longer than PostgreSQL's timeouts hold
     */
    public Ashlar withTimeout(Duration newTimeout) {
        if (QueryException.required(newTimeout, "timeout").compareTo(Duration.ofMillis(1)) < 0) {
            throw QueryException.of(null, null, "A timeout must be at least one millisecond, got " + newTimeout
                    + "; to run without one, use a handle made without withTimeout");
        }
        ServerDuration.refuseLonger(newTimeout, null, "withTimeout(" + newTimeout + ")",
                "to run without one, use a handle made without withTimeout");
        return new Ashlar(data, tenant, newTimeout, user, null);
    }

    /**
     * The same data layer acting for a user (Ebean's {@code CurrentUserProvider}, Spring Data's {@code
     * AuditorAware}): the attributes resources declare with {@code createdBy(...)} and {@code modifiedBy(...)} are set
     * to it by every create, update and upsert of the handle, its reads' {@code updateAll} and its transactions'
     * actions, converted like any value of the attribute and bound: {@code ashlar.withUser(session.userId())}. It wins over
     * the builder's {@link Builder#currentUser}; a handle with neither leaves them as given.
     *
     * @throws QueryException when the user is null
     */
    public Ashlar withUser(Object newUser) {
        if (newUser == null) {
            throw QueryException.of(null, null, "withUser(null) was given no user: name the user the handle acts "
                    + "for, e.g. ashlar.withUser(\"ada\"), or use a handle made without withUser");
        }
        return new Ashlar(data, tenant, timeout, user.withUser(newUser), null);
    }

    /**
     * The same data layer destroying rows for real (Ebean's {@code deletePermanent}): a destroy of a resource that
     * destroys softly ({@code softDelete(...)}) deletes its rows instead of marking them deleted, e.g.
     * {@code ashlar.permanently().read("account").ignoreBaseFilter().where(notNil("deleted_at")).destroyAll()} to purge
     * the soft-deleted ones. Other resources are destroyed as by any handle.
     */
    public Ashlar permanently() {
        return new Ashlar(data, tenant, timeout, user.permanently(), null);
    }

    /**
     * The same data layer acting past every resource's policies ({@code Ashlar.builder().policies(...)}): it reads and
     * changes every row, as a migration, an import or an administrator's job must. Give it only to trusted code; a
     * handle with no actor is otherwise refused on resources with policies.
     */
    public Ashlar bypassPolicies() {
        return new Ashlar(data, tenant, timeout, user.bypassingPolicies(), null);
    }

    /** Runs an action under this handle's timeout, if it has one, for its user, if it has one. */
    private <T> T timed(Supplier<T> action) {
        return Acting.within(user, timeout == null ? action : () -> StatementTimeout.within(timeout, action));
    }

    /**
     * The state a plugin keeps for this {@code Ashlar} (what a {@code RuntimeParticipant} started), e.g.
     * {@code ashlar.runtime(ReplicaRuntime.class).orElseThrow().metrics()}; empty when no plugin made one of that type.
     */
    public <T> Optional<T> runtime(Class<T> type) {
        return data.hooks().runtime(QueryException.required(type, "type"));
    }

    /** Stores a record; returns it as stored, with database defaults and generated keys filled in. */
    public Row create(String resource, Map<String, ?> values) {
        return timed(() -> data.create(resource, values, tenant));
    }

    /**
     * Stores a record with related records given under relationships' names in its values, each relationship managed
     * as its {@link Manage} says (Ash's {@code manage_relationship}; Hibernate's and Ebean's cascading saves), all in
     * one transaction: {@code ashlar.create("post", Map.of("title", "Hi", "comments", List.of(Map.of("body", "a"))),
     * Manage.relationship("comments").create())}. Belongs-to records are written first and their keys stored with
     * the record; has-many, has-one and many-to-many records take its key. Returns the record as stored, with the
     * managed relationships loaded.
     *
     * @throws dev.ashlar.api.error.InvalidDataException naming the relationship, the record's place and the field
     *                                                   ({@code comments[2].body is required}); nothing is written
     * @throws dev.ashlar.api.error.NotFoundException    for a related record given by key that this handle cannot
     *                                                   reach (another tenant's, hidden, or not related)
     */
    public Row create(String resource, Map<String, ?> values, Manage manage, Manage... more) {
        List<Manage> manages = manages(manage, more);
        return ManagedWrite.of(data, resource, values, manages).write(this, data, null, manages);
    }

    /**
     * {@link #update(Row, Map)} with related records given under relationships' names in the changes, each
     * relationship managed as its {@link Manage} says, all in one transaction (see
     * {@link #create(String, Map, Manage, Manage...)}): {@code ashlar.update(post, Map.of("comments", edited),
     * Manage.relationship("comments").directControl())}. Returns the record as stored afterwards, with the managed
     * relationships loaded.
     */
    public Row update(Row row, Map<String, ?> changes, Manage manage, Manage... more) {
        QueryException.required(row, "row");
        List<Manage> manages = manages(manage, more);
        return ManagedWrite.of(data, row.resource(), changes, manages).write(this, data, row, manages);
    }

    private static List<Manage> manages(Manage manage, Manage... more) {
        List<Manage> all = new ArrayList<>();
        all.add(QueryException.required(manage, "manage"));
        all.addAll(java.util.Arrays.asList(QueryException.required(more, "manages")));
        return all;
    }

    /**
     * Stores many records in few statements (one per set of fields the records give), all or none;
     * returns them as stored, in input order.
     */
    public List<Row> createAll(String resource, List<? extends Map<String, ?>> records) {
        return timed(() -> data.createAll(resource, records, tenant));
    }

    /**
     * Stores many records, each with related records given under relationships' names in its values and managed as
     * the {@link Manage}s say, all in one transaction, as {@link #create(String, Map, Manage, Manage...)} does for
     * one: {@code ashlar.createAll("order", orders, Manage.relationship("lines").create(),
     * Manage.relationship("lines.details").create())}. When every management creates, each relationship's records at
     * each depth go in one statement for all the records; otherwise (and to name a failed record's place) the records
     * are written one by one. Returns them as stored, in input order, with the managed relationships loaded.
     *
     * @throws dev.ashlar.api.error.InvalidDataException naming the place, the field and the record ({@code
     *                                                   lines[2].qty is required (record 42 of 1000)}); nothing is
     *                                                   written
     */
    public List<Row> createAll(String resource, List<? extends Map<String, ?>> records, Manage manage,
                               Manage... more) {
        QueryException.required(records, "records");
        return ManagedWriteAll.create(this, data, resource, records, manages(manage, more));
    }

    /**
     * Upserts many records, then writes each one's related records, managed as the {@link Manage}s say, as for an
     * update of the record as stored (inserted or updated) once its key is known (Ash's
     * {@code bulk_upsert_managed_relationship}), all in one transaction: {@code ashlar.upsert("order", orders,
     * Upsert.on("unique_number"), Manage.relationship("lines").directControl())}. An upsert that keeps some stored
     * records ({@code doNothing()}, {@code where(...)}) must {@code returnSkipped()}. Returns the records as stored,
     * in input order, with the managed relationships loaded.
     */
    public List<Row> upsert(String resource, List<? extends Map<String, ?>> records, Upsert upsert, Manage manage,
                            Manage... more) {
        QueryException.required(records, "records");
        return ManagedWriteAll.upsert(this, data, resource, records, upsert, manages(manage, more));
    }

    /** {@link #upsert(String, List, Upsert, Manage, Manage...)} of one record. */
    public Row upsert(String resource, Map<String, ?> record, Upsert upsert, Manage manage, Manage... more) {
        QueryException.required(record, "record");
        return upsert(resource, List.of(record), upsert, manage, more).get(0);
    }

    /**
     * Stores records, or on a taken identity does what the upsert says, all or none; returns the rows it
     * wrote in input order ({@link Upsert#doNothing()} leaves out the records that were already stored, and
     * {@link Upsert#where} those whose stored record did not meet the condition).
     */
    public List<Row> upsert(String resource, List<? extends Map<String, ?>> records, Upsert upsert) {
        return timed(() -> data.upsert(resource, records, upsert, tenant));
    }

    /**
     * Merges records into a resource with {@code MERGE} (PostgreSQL 15 and later), all or none: each record finds its
     * stored one by the merge's {@code on} fields, among the records this handle's tenant owns and that are not marked
     * deleted, and the first clause it meets updates, deletes or inserts it. A record writes only the fields it gives,
     * whatever the others give: records giving the same fields go in one statement, one statement for each set of
     * fields, all in one transaction. Each value is bound. Returns how many records each action wrote (counted by
     * action on PostgreSQL 17 and later).
     *
     * <pre>{@code
     * ashlar.merge("item", rows, Merge.on("sku")
     *         .whenMatched(Filter.eq("discontinued", true)).delete()
     *         .whenMatched().update("qty")
     *         .whenNotMatched().insert());
     * }</pre>
     *
     * @throws QueryException on PostgreSQL 13 or 14 (use {@link #upsert(String, List, Upsert)}), on a resource whose
     *                        plugins act after each write, on a record without an {@code on} field or a field its
     *                        update names, and on records that find one stored record twice
     */
    public MergeResult merge(String resource, List<? extends Map<String, ?>> records, Merge merge) {
        return timed(() -> data.merge(resource, records, merge, tenant));
    }

    /**
     * Merges the rows of a read of another resource (or of this one) into a resource, as jOOQ's
     * {@code mergeInto(ITEM).using(select(...).from(FEED).where(...))} does: the read runs first, in the merge's
     * transaction, with its own handle's tenant, base filter and policies, and its rows are then merged as given
     * records are by {@link #merge(String, List, Merge)}, within this handle's tenant. Each row gives the fields the
     * map names, each under its target name.
     *
     * <pre>{@code
     * ashlar.merge("item", ashlar.read("item_feed").where(eq("batch", 7)), Map.of("sku", "code", "qty", "qty"),
     *         Merge.on("sku").whenMatched().update("qty").whenNotMatched().insert());
     * }</pre>
     *
     * @param fields the source's field each target field takes ({@code "sku" -> "code"}); no other field is taken
     * @throws QueryException as a merge of records does, on an empty map or one naming null, on a source field the
     *                        read does not give, and on a read begun from another {@code Ashlar}, which would not share
     *                        the transaction
     */
    public MergeResult merge(String resource, Read source, Map<String, String> fields, Merge merge) {
        QueryException.required(source, "source");
        String from = source.query().resource();
        sourceHere(MERGE, resource, source.runsThrough(data), "reads " + from);
        MergeSources.refuseUnmapped(MERGE, resource, from, fields);
        return transaction(tx -> merge(resource, MergeSources.taken(MERGE, resource, from, source.list(), fields),
                merge));
    }

    /**
     * Refuses a merge's or create's source begun from another Ashlar: it would run outside the write's transaction.
     *
     * @param write the write, as a message names it: {@link #MERGE} or {@link #CREATE}
     */
    private static void sourceHere(String write, String resource, boolean here, String what) {
        if (!here) {
            throw QueryException.of(resource, null, write + " " + resource + " " + what + " through another "
                    + "Ashlar, outside the write's transaction: begin the source from this Ashlar (or one of its "
                    + "handles, withTenant(...))");
        }
    }

    /**
     * Merges the rows of a statement written by hand into a resource ({@code MERGE ... USING (SELECT ...)}): the
     * statement runs first, in the merge's transaction, each value bound, and its rows are then merged as given
     * records are by {@link #merge(String, List, Merge)}, within this handle's tenant; each column is the field of its
     * name ({@code SELECT code AS sku, qty FROM feed WHERE batch = ?}). A row naming another tenant is refused, as a
     * record naming one is.
     */
    public MergeResult merge(String resource, SqlQuery source, Merge merge) {
        QueryException.required(source, "source");
        sourceHere(MERGE, resource, source.runsThrough(data), "runs a statement written by hand");
        source.refuseNonQuery(MERGE, resource);
        return transaction(tx -> merge(resource, MergeSources.taken(source.list()), merge));
    }

    /**
     * Creates a record of a resource from each row of a read of another resource (or of this one), jOOQ's
     * {@code insertInto(ARCHIVE).select(select(...).from(ORDERS).where(...))}: the read runs first, in the create's
     * transaction, with its own handle's tenant, base filter, soft delete and policies, and each row's fields that
     * the resource declares, under the same names (but a tenant column), are then created as
     * {@link #createAll(String, List)} creates records: in this handle's tenant (its tenant column set here, not taken
     * from the read), with the resource's defaults, generated keys, timestamps, validations, write policy and plugins.
     * Returns the rows as stored, in the read's order. A key the read gives is copied with the other fields (map the
     * fields to leave it to the table), and the resource's key sequence is then moved past it.
     *
     * <pre>{@code
     * List<Row> archived = ashlar.createAll("order_archive", ashlar.read("order").where(lt("placed_on", cutoff)));
     * }</pre>
     *
     * @throws QueryException when the rows share no field with the resource, as a create of records does, and on a
     *                        read begun from another {@code Ashlar}, which would not share the transaction
     */
    public List<Row> createAll(String resource, Read source) {
        QueryException.required(source, "source");
        Set<String> declared = data.sameNamedFields(resource);
        return createAll(resource, source, rows -> MergeSources.sameNamed(CREATE, resource, declared,
                source.query().resource(), rows));
    }

    /**
     * {@link #createAll(String, Read)} taking the fields the map names, each under its target name ({@code
     * "total" -> "amount"} writes the read's {@code amount} into the resource's {@code total}); no other field.
     *
     * <pre>{@code
     * ashlar.createAll("order_archive", ashlar.read("order").where(eq("status", "closed")),
     *         Map.of("order_id", "id", "total", "amount"));
     * }</pre>
     *
     * @throws QueryException as {@link #createAll(String, Read)}, on an empty map or one naming null, and on a source
     *                        field the read does not give
     */
    public List<Row> createAll(String resource, Read source, Map<String, String> fields) {
        QueryException.required(source, "source");
        MergeSources.refuseUnmapped(CREATE, resource, source.query().resource(), fields);
        return createAll(resource, source, rows -> fields);
    }

    private List<Row> createAll(String resource, Read source, Function<List<Row>, Map<String, String>> fields) {
        String from = source.query().resource();
        sourceHere(CREATE, resource, source.runsThrough(data), "reads " + from);
        return transaction(tx -> {
            List<Row> rows = source.list();
            return copied(resource, MergeSources.taken(CREATE, resource, from, rows, fields.apply(rows)));
        });
    }

    /** Records created from a source's rows ({@link #keysPast}). */
    private List<Row> copied(String resource, List<Map<String, ?>> records) {
        List<Row> created = createAll(resource, records);
        keysPast(resource, records);
        return created;
    }

    /**
     * Moves the resource's key sequence past the keys the records copied from a source, when they gave any, so a
     * record created later never takes one of them (as after {@link #publish(String, Filter)}).
     */
    private void keysPast(String resource, List<? extends Map<String, ?>> records) {
        List<String> key = data.resource(resource).primaryKey().stream().map(Attribute::name).toList();
        if (records.stream().anyMatch(record -> key.stream().anyMatch(field -> record.get(field) != null))) {
            data.advanceKeySequence(resource, tenant);
        }
    }

    /**
     * Creates a record of a resource from each row of a statement written by hand ({@code INSERT INTO ... SELECT}):
     * the statement runs first, in the create's transaction, each value bound, and each row is then created as
     * {@link #createAll(String, List)} creates records, within this handle's tenant; each column is the field of its
     * name ({@code SELECT id AS order_id, total FROM orders WHERE closed}). A row naming another tenant is refused, as
     * a record naming one is.
     *
     * @throws QueryException for a statement that is not one query (SELECT, WITH ... SELECT, VALUES), before it runs
     */
    public List<Row> createAll(String resource, SqlQuery source) {
        QueryException.required(source, "source");
        sourceHere(CREATE, resource, source.runsThrough(data), "runs a statement written by hand");
        source.refuseNonQuery(CREATE, resource);
        return transaction(tx -> copied(resource, MergeSources.taken(source.list())));
    }

    /**
     * Stores one record, or on a taken identity does what the upsert says; returns it as stored.
     *
     * @throws AshlarException with {@link ErrorCode#STALE_RECORD} when the stored record does not meet the
     *                         upsert's {@link Upsert#where condition}, and is kept as it is; with
     *                         {@link ErrorCode#INVALID_QUERY} for {@link Upsert#doNothing()}, which returns no stored
     *                         record (upsert a list for that)
     */
    public Row upsert(String resource, Map<String, ?> record, Upsert upsert) {
        return timed(() -> data.upsert(resource, record, upsert, tenant));
    }

    /**
     * {@link #createAll(String, List)}, returning what {@code returning} says: with {@link Returning#KEYS}
     * each row holds only the record's primary key, which is all many bulk loads need.
     */
    public List<Row> createAll(String resource, List<? extends Map<String, ?>> records, Returning returning) {
        return timed(() -> data.createAll(resource, records, tenant, returning));
    }

    /** {@link #upsert(String, List, Upsert)}, returning what {@code returning} says (see {@link Returning}). */
    public List<Row> upsert(String resource, List<? extends Map<String, ?>> records, Upsert upsert,
                            Returning returning) {
        return timed(() -> data.upsert(resource, records, upsert, tenant, returning));
    }

    /**
     * {@link #createAll(String, List)} that stores every record it can (Ash's {@code return_errors?}): batch by
     * batch, each in a transaction of its own (a savepoint inside the caller's), a failed batch again by halves down
     * to the records that fail it. Records whose data is refused are reported with their index and error; see {@link Bulk}.
     */
    public BulkResult createAll(String resource, List<? extends Map<String, ?>> records, Bulk bulk) {
        return BulkWrites.run(this, data.transactionOpen(), resource, records, bulk,
                data.writesRecordByRecord(resource, false), (tx, some) -> tx.createAll(resource, some));
    }

    /**
     * {@link #createAll(String, List, Manage, Manage...)} that stores every record it can, each with its related
     * records (see {@link #createAll(String, List, Bulk)}): a record whose data or any of whose related records' data is
     * refused is reported with its index and the error naming the place ({@code lines[1].details[1].qty is
     * required}), and nothing of it is written, its related records neither; the others are written with theirs.
     */
    public BulkResult createAll(String resource, List<? extends Map<String, ?>> records, Bulk bulk, Manage manage,
                                Manage... more) {
        List<Manage> manages = manages(manage, more);
        ManagedWrite.check(data, data.resource(resource), manages);
        return BulkWrites.run(this, data.transactionOpen(), resource, records, bulk,
                !ManagedWriteAll.levelByLevel(manages) || data.writesRecordByRecord(resource, false),
                (tx, some) -> ManagedWriteAll.createBatch(tx, data, resource, some, manages));
    }

    /**
     * {@link #upsert(String, List, Upsert, Manage, Manage...)} that stores every record it can, each with its related
     * records (see {@link #createAll(String, List, Bulk, Manage, Manage...)}): a record whose data or any of whose
     * related records' data is refused is reported with its index and the error naming the place, and nothing of it
     * is written (an upsert's update of it neither); the others are written with theirs.
     *
     * @throws QueryException before anything is written, for the upserts and managements that
     *                        {@link #upsert(String, List, Upsert, Manage, Manage...)} refuses
     */
    public BulkResult upsert(String resource, List<? extends Map<String, ?>> records, Upsert upsert, Bulk bulk,
                             Manage manage, Manage... more) {
        List<Manage> manages = manages(manage, more);
        ManagedWriteAll.refusedUpsert(data, resource, upsert, manages);
        return BulkWrites.run(this, data.transactionOpen(), resource, records, bulk, true,
                (tx, some) -> ManagedWriteAll.upsert(tx, data, resource, some, upsert, manages));
    }

    /** {@link #upsert(String, List, Upsert)} that stores every record it can; see {@link #createAll(String, List, Bulk)}. */
    public BulkResult upsert(String resource, List<? extends Map<String, ?>> records, Upsert upsert, Bulk bulk) {
        QueryException.required(upsert, "upsert");
        return BulkWrites.run(this, data.transactionOpen(), resource, records, bulk,
                data.writesRecordByRecord(resource, true), (tx, some) -> tx.upsert(resource, some, upsert));
    }

    /**
     * The record with this primary key; a map of key fields for a composite key.
     *
     * @throws AshlarException with {@link ErrorCode#NOT_FOUND} when there is none
     */
    public Row get(String resource, Object key) {
        return timed(() -> data.get(resource, key, tenant));
    }

    /**
     * The record with this primary key, or empty when there is none (Hibernate's {@code find}, Ebean's
     * {@code find(type, id)}, a Jdbi {@code Optional}); {@link #get(String, Object)} fails instead.
     */
    public Optional<Row> find(String resource, Object key) {
        return timed(() -> data.find(resource, key, tenant));
    }

    /**
     * The records with these primary keys, read in one statement and given in the order of the keys, with null for a
     * key no record has (Hibernate's {@code StatelessSession.getMultiple} and {@code Session.findMultiple}): a value
     * for a one-column key ({@code 456L} finds an {@code integer} key 456), a map of its fields for a composite one, or
     * a row read before. Each key is paired with its record by the value the server compares: an {@code OffsetDateTime}
     * at any offset finds its {@code timestamptz} key, a {@code byte[]} its {@code bytea} one, {@code "ABC"} a
     * {@code citext} {@code 'abc'} (lower-cased as {@code Locale.ROOT} does). Read as {@link #find(String, Object)}
     * reads, in the handle's tenant and under the base filter.
     *
     * @throws dev.ashlar.api.error.QueryException naming the resource for a null key, a map lacking a field of the
     *                                             key, or a resource without a primary key
     */
    public List<Row> findMultiple(String resource, List<?> keys) {
        List<?> given = QueryException.required(keys, "keys");
        return timed(() -> data.findMultiple(resource, given, tenant));
    }

    /**
     * Writes the changed fields of a record (only those that differ from the row) and returns it as
     * stored afterwards.
     *
     * @throws AshlarException with {@link ErrorCode#NOT_FOUND} when the record is gone
     */
    public Row update(Row row, Map<String, ?> changes) {
        return timed(() -> data.update(row, changes, tenant));
    }

    /**
     * The row's record read again as stored now (Hibernate's and Ebean's {@code refresh}, jOOQ's
     * {@code record.refresh()}): every field, by the row's primary key, in its tenant and under the base filter.
     * Relationships loaded on the row are not loaded again ({@code load(refreshed, ...)}).
     *
     * @throws AshlarException with {@link ErrorCode#NOT_FOUND} when the record is gone or the base filter now hides it,
     *                         and with {@code INVALID_QUERY} for a row without its key or of another tenant
     */
    public Row refresh(Row row) {
        return timed(() -> data.refresh(row, tenant));
    }

    /**
     * Writes records each with values of its own in one statement (Hibernate's batched updates, jOOQ's
     * {@code batchUpdate}, Jdbi's {@code @SqlBatch}): each record gives its primary key and the same other fields,
     * and the update joins their values, one array a column, by key, for the handle's tenant (a record the base
     * filter hides is written, as by every update). Returns them as stored afterwards, in the order given; a record
     * the update does not reach (gone, another tenant's) is left out. A record that gives its version is checked by it.
     *
     * @throws QueryException with {@code INVALID_QUERY} naming the record that lacks its key, gives other fields or
     *                        repeats another's key
     */
    public List<Row> updateAll(String resource, List<? extends Map<String, ?>> records) {
        return timed(() -> data.updateEach(resource, records, tenant));
    }

    /** @throws AshlarException with {@link ErrorCode#NOT_FOUND} when the record is gone */
    public void destroy(Row row) {
        timed(() -> {
            data.destroy(row, tenant);
            return null;
        });
    }

    /**
     * {@link #update(Row, Map)} only if the stored record meets the guard, checked in the update statement itself:
     * {@code ashlar.update(post, Map.of("status", "published"), eq("status", "draft"))}. A record that does not is
     * left as it is, even when nothing would change.
     *
     * @throws dev.ashlar.api.error.StaleRecordException when the stored record does not meet the guard
     */
    public Row update(Row row, Map<String, ?> changes, Filter guard) {
        return timed(() -> data.update(row, changes, QueryException.required(guard, "guard"), tenant));
    }

    /**
     * {@link #destroy(Row)} only if the stored record meets the guard, checked in the delete statement itself.
     *
     * @throws dev.ashlar.api.error.StaleRecordException when the stored record does not meet the guard
     */
    public void destroy(Row row, Filter guard) {
        timed(() -> {
            data.destroy(row, QueryException.required(guard, "guard"), tenant);
            return null;
        });
    }

    /**
     * Rows already in hand (of one resource and tenant), each with these relationships loaded on it, as a read with
     * the same loads would give them: {@code ashlar.load(posts, "comments", "author")}. One statement per
     * relationship and level. A declared aggregate or calculation of the rows' resource is loaded as a field of each
     * row ({@code ashlar.load(posts, "count_of_comments")}, Ash's {@code Ash.load!(records, :count_of_comments)}): the
     * records are read again by primary key in one statement, in the rows' tenant and under the base filter, and a
     * record gone or hidden since gives null.
     */
    public List<Row> load(List<Row> rows, String... paths) {
        QueryException.required(rows, "rows");
        return load(rows, QueryException.requiredEach(paths, "path").stream().map(Load::of).toList());
    }

    /** Like {@link #load(List, String...)}, with the loads shaped (filter, sort, limit, nested loads). */
    public List<Row> load(List<Row> rows, List<Load> loads) {
        return timed(() -> data.load(rows, loads, tenant));
    }

    /** One row with these relationships loaded on it. */
    public Row load(Row row, String... paths) {
        return load(List.of(QueryException.required(row, "row")), paths).get(0);
    }

    /**
     * Creates the partition of a resource partitioned by list ({@code partitionBy(PartitionMethod.LIST, "key")}) that
     * holds the rows of one key ({@code AshPostgres.Partitioning.create_partition}): {@code "<table>_<key>"} in the
     * table's schema, the tenant's for a tenant's resource. Returns false, creating nothing, when it exists.
     */
    public boolean createPartition(String resource, Object key) {
        return timed(() -> data.createPartition(resource, key, tenant));
    }

    /** Whether the partition of a resource partitioned by list that holds the rows of one key exists. */
    public boolean partitionExists(String resource, Object key) {
        return timed(() -> data.partitionExists(resource, key, tenant));
    }

    /** A read of a resource, to refine and run. */
    public Read read(String resource) {
        return new Read(data, Query.of(resource), tenant, timeout, user);
    }

    /**
     * A statement written by hand, each {@code ?} bound to one of the values (text, numbers, booleans, UUIDs, dates
     * and times, enums, {@code byte[]}, and a {@code List} of one of them as one array):
     * {@code ashlar.sql("SELECT * FROM posts WHERE id = ANY(?)", ids).list(Post.class)}. See {@link SqlQuery}.
     *
     * @throws QueryException when the values are not one for each {@code ?}, or on a tenant's handle: the statement
     *                        runs as written, so it would not be scoped to the tenant
     */
    public SqlQuery sql(String sql, Object... values) {
        if (tenant != null) {
            throw QueryException.of(PlainSql.RESOURCE, null, "sql(...) runs as written, without a tenant's scope, and "
                    + "this handle acts for tenant '" + tenant + "': call it on a handle without a tenant "
                    + "(withoutTenant()) and name the tenant's schema or column in the SQL");
        }
        return new SqlQuery(data.plainSql(sql, values), timeout);
    }

    /** Sets the changes on every row a query selects; returns them updated. */
    public List<Row> updateAll(Query query, Map<String, ?> changes) {
        QueryException.required(query, "query");
        return timed(() -> data.updateAll(query, changes, tenant));
    }

    /** Deletes every row a query selects; returns how many. */
    public int destroyAll(Query query) {
        QueryException.required(query, "query");
        return timed(() -> data.destroyAll(query, tenant));
    }

    /**
     * Sets the changes on records in hand (Ash's {@code bulk_update} given records): rows of one resource and tenant,
     * as read or written before, each found by its primary key, all in one statement. Returns them as stored
     * afterwards, in the order given, so each one's position says which input it answers; a record deleted meanwhile
     * is left out.
     * {@code ashlar.updateAll(posts, Map.of("title", Atomic.sql("title || ?", "_stuff")))}.
     *
     * @throws QueryException for rows of several resources or tenants, or of a resource without a primary key
     */
    public List<Row> updateAll(List<Row> rows, Map<String, ?> changes) {
        return timed(() -> data.updateAll(rows, changes, tenant));
    }

    /**
     * Deletes records in hand (Ash's {@code bulk_destroy} given records), each found by its primary key, all in one
     * statement, so a constraint one of them breaks deletes none; returns how many were deleted.
     *
     * @throws QueryException for rows of several resources or tenants, or of a resource without a primary key
     */
    public int destroyAll(List<Row> rows) {
        return timed(() -> data.destroyAll(rows, tenant));
    }

    // The typed API (dev.ashlar.api.typed): the same actions with resources, fields and values that the
    // compiler checks, translated to the string API's maps and queries and run by the same data layer.

    /** A typed read: conditions, sorts and loads from the resource's declared fields; rows as its records. */
    public <R extends Record> TypedRead<R> read(Table<R> table) {
        return new TypedRead<>(typed(table), read(QueryException.required(table, "table").name()));
    }

    /** Stores a record (null components left out, for the database's defaults and keys); returns it as stored. */
    public <R extends Record> R create(Table<R> table, R record) {
        return create(writable(table).name(), table.values(QueryException.required(record, "record"))).as(table.type());
    }

    /**
     * Stores a record with fields the server computes in the insert itself, each {@code setSql(...)} (the string API's
     * {@code Atomic.sql} on a create): {@code ashlar.create(POSTS, post, RANK.setSql("(SELECT count(*) FROM posts)"))}.
     * A computed field replaces the record's component of that name.
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final <R extends Record> R create(Table<R> table, R record, Change<R> computed, Change<R>... more) {
        Map<String, Object> values = new LinkedHashMap<>(table.values(QueryException.required(record, "record")));
        values.putAll(Records.changes(computed, more));
        return create(writable(table).name(), values).as(table.type());
    }

    /**
     * Stores a record with related records, each relationship managed as given (see
     * {@link #create(String, Map, Manage, Manage...)}): {@code ashlar.create(POSTS, post,
     * Manage.of(POST_COMMENTS).create(comments), Manage.of(TAGS).append(List.of(3, 7)))}. Returns it as stored.
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final <R extends Record> R create(Table<R> table, R record, Manage.Given<R> related,
                                             Manage.Given<R>... more) {
        Map<String, Object> values = new LinkedHashMap<>(table.values(QueryException.required(record, "record")));
        List<Manage> manages = related(values, related, more);
        return create(writable(table).name(), values, manages.get(0), manages.subList(1, manages.size())
                .toArray(Manage[]::new)).as(table.type());
    }

    /**
     * Writes related records of a record in hand, each relationship managed as given (see
     * {@link #update(Row, Map, Manage, Manage...)}): {@code ashlar.update(POSTS, post,
     * Manage.of(POST_COMMENTS).directControl(comments))}. Returns the record as stored afterwards.
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final <R extends Record> R update(Table<R> table, R record, Manage.Given<R> related,
                                             Manage.Given<R>... more) {
        Map<String, Object> values = new LinkedHashMap<>();
        List<Manage> manages = related(values, related, more);
        Row row = writable(table).row(QueryException.required(record, "record"));
        return update(row, values, manages.get(0), manages.subList(1, manages.size()).toArray(Manage[]::new))
                .as(table.type());
    }

    /** Puts each typed management's records under its relationship's name; returns the managements. */
    private static <R extends Record> List<Manage> related(Map<String, Object> values, Manage.Given<R> first,
                                                           Manage.Given<R>[] more) {
        List<Manage> manages = new ArrayList<>();
        List<Manage.Given<R>> all = new ArrayList<>();
        all.add(QueryException.required(first, "related"));
        all.addAll(java.util.Arrays.asList(QueryException.required(more, "related")));
        for (Manage.Given<R> given : all) {
            QueryException.required(given, "related");
            values.put(given.manage().relationship(), given.records());
            manages.add(given.manage());
            manages.addAll(given.inner());
        }
        return manages;
    }

    /**
     * Stores many typed records, each with the related records its {@link Manage.Graph} gives, as
     * {@link #createAll(String, List, Manage, Manage...)} does by name (level by level when every management creates):
     * {@code ashlar.createGraphs(ORDERS, List.of(Manage.graph(order, Manage.of(ORDER_LINES).create(lines))))}. Returns
     * the records as stored, in input order.
     *
     * @throws QueryException for a path two records manage differently, as the string API takes one {@link Manage}
     *                        per path
     */
    public <R extends Record> List<R> createGraphs(Table<R> table, List<Manage.Graph<R>> records) {
        TypedGraphs<R> graphs = TypedGraphs.of(writable(table), records);
        return Records.of(table, graphs.manages().isEmpty() ? createAll(table.name(), graphs.values())
                : ManagedWriteAll.create(this, data, table.name(), graphs.values(), graphs.manages()));
    }

    /**
     * {@link #createGraphs(Table, List)} that stores every record it can, each with its related records; see
     * {@link #createAll(String, List, Bulk, Manage, Manage...)}. {@code result.rows(Order.class)}.
     */
    public <R extends Record> BulkResult createGraphs(Table<R> table, List<Manage.Graph<R>> records, Bulk bulk) {
        TypedGraphs<R> graphs = TypedGraphs.of(writable(table), records);
        ManagedWrite.check(data, data.resource(table.name()), graphs.manages());
        return BulkWrites.run(this, data.transactionOpen(), table.name(), graphs.values(), bulk,
                !ManagedWriteAll.levelByLevel(graphs.manages()) || data.writesRecordByRecord(table.name(), false),
                (tx, some) -> graphs.manages().isEmpty()
                        ? tx.createAll(table.name(), some)
                        : ManagedWriteAll.createBatch(tx, data, table.name(), some, graphs.manages()));
    }

    /**
     * Upserts typed records, then writes each one's related records as its {@link Manage.Graph} gives them, as
     * {@link #upsert(String, List, Upsert, Manage, Manage...)} does by name. Returns the records as stored.
     */
    public <R extends Record> List<R> upsertGraphs(Table<R> table, List<Manage.Graph<R>> records,
                                                  Conflict<R> conflict) {
        TypedGraphs<R> graphs = TypedGraphs.of(writable(table), records);
        Upsert upsert = Records.upsert(conflict);
        return Records.of(table, graphs.manages().isEmpty() ? upsert(table.name(), graphs.values(), upsert)
                : ManagedWriteAll.upsert(this, data, table.name(), graphs.values(), upsert, graphs.manages()));
    }

    /**
     * {@link #upsertGraphs(Table, List, Conflict)} that stores every record it can, each with its related records; see
     * {@link #upsert(String, List, Upsert, Bulk, Manage, Manage...)}. {@code result.rows(Order.class)}.
     */
    public <R extends Record> BulkResult upsertGraphs(Table<R> table, List<Manage.Graph<R>> records,
                                                      Conflict<R> conflict, Bulk bulk) {
        TypedGraphs<R> graphs = TypedGraphs.of(writable(table), records);
        Upsert upsert = Records.upsert(conflict);
        if (!graphs.manages().isEmpty()) {
            ManagedWriteAll.refusedUpsert(data, table.name(), upsert, graphs.manages());
        }
        return BulkWrites.run(this, data.transactionOpen(), table.name(), graphs.values(), bulk,
                !graphs.manages().isEmpty() || data.writesRecordByRecord(table.name(), true),
                (tx, some) -> graphs.manages().isEmpty() ? tx.upsert(table.name(), some, upsert)
                        : ManagedWriteAll.upsert(tx, data, table.name(), some, upsert, graphs.manages()));
    }

    /** Stores many records in few statements, all or none; returns them as stored, in input order. */
    public <R extends Record> List<R> createAll(Table<R> table, List<R> records) {
        QueryException.required(table, "table");
        return Records.of(table, createAll(writable(table).name(), Records.values(table, records)));
    }

    /** Stores every record it can; see {@link #createAll(String, List, Bulk)}. {@code result.rows(Post.class)}. */
    public <R extends Record> BulkResult createAll(Table<R> table, List<R> records, Bulk bulk) {
        QueryException.required(table, "table");
        return createAll(writable(table).name(), Records.values(table, QueryException.required(records, "records")), bulk);
    }

    /**
     * {@link #createAll(Table, List)} returning what {@code returning} says: with {@link Returning#KEYS} records
     * holding only their key components, the others null; see {@link #createAll(String, List, Returning)}.
     */
    public <R extends Record> List<R> createAll(Table<R> table, List<R> records, Returning returning) {
        QueryException.required(table, "table");
        return Records.written(table, createAll(writable(table).name(), Records.values(table, records), returning),
                returning);
    }

    /** {@link #upsert(Table, List, Conflict)} returning what {@code returning} says (see {@link Returning}). */
    public <R extends Record> List<R> upsert(Table<R> table, List<R> records, Conflict<R> conflict,
                                             Returning returning) {
        return Records.written(table, upsert(writable(table).name(), Records.values(table, records),
                Records.upsert(conflict), returning), returning);
    }

    /** Upserts every record it can; see {@link #createAll(String, List, Bulk)}. {@code result.rows(Post.class)}. */
    public <R extends Record> BulkResult upsert(Table<R> table, List<R> records, Conflict<R> conflict, Bulk bulk) {
        return upsert(writable(table).name(), Records.values(table, QueryException.required(records, "records")),
                Records.upsert(conflict), bulk);
    }

    /**
     * Records in hand with these relationships loaded, as view records with components for them:
     * {@code ashlar.load(POSTS, posts, PostView.class, AUTHOR, COMMENTS.then(Comment.AUTHOR))}; see
     * {@link #load(List, String...)}.
     */
    @SafeVarargs
    public final <R extends Record, V extends Record> List<V> load(Table<R> table, List<R> records, Class<V> view,
                                                                   Relation<R, ?>... relations) {
        String[] paths = new String[QueryException.required(relations, "relationships").length];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = QueryException.required(relations[i], "relationship").name();
        }
        List<Row> loaded = load(Records.rows(typed(table), records), paths);
        List<V> views = new ArrayList<>(loaded.size());
        for (Row row : loaded) {
            views.add(row.as(view));
        }
        return views;
    }

    /**
     * {@link #merge(String, List, Merge)} of typed records. A record gives its components that are not null, as a
     * create does: a null component is not written (an insert leaves the column to its default or key), whatever the
     * other records give.
     */
    public <R extends Record> MergeResult merge(Table<R> table, List<R> records, Merge merge) {
        return merge(writable(table).name(), Records.values(table, records), merge);
    }

    /**
     * {@link #merge(String, Read, Map, Merge)} with a typed read: each record the read returns, with its own handle's
     * tenant, base filter and policies, becomes the target's record the function makes of it, then the records are
     * merged as {@link #merge(Table, List, Merge)} merges them, in one transaction with the read.
     *
     * <pre>{@code
     * ashlar.merge(ITEMS, ashlar.read(FEED).where(FeedRow.BATCH.eq(7)), f -> new Item(null, f.code(), f.qty()),
     *         Merge.on("sku").whenMatched().update("qty").whenNotMatched().insert());
     * }</pre>
     */
    public <R extends Record, S extends Record> MergeResult merge(Table<R> table, TypedRead<S> source,
                                                                   Function<? super S, R> as, Merge merge) {
        QueryException.required(table, "table");
        QueryException.required(source, "source");
        QueryException.required(as, "as");
        Read read = source.untyped();
        sourceHere(MERGE, table.name(), read.runsThrough(data), "reads " + read.query().resource());
        return transaction(tx -> merge(table, source.list().stream().<R>map(as).toList(), merge));
    }

    /**
     * {@link #createAll(String, Read)} with a typed read: each record the read returns, with its own handle's tenant,
     * base filter and policies, becomes the record the function makes of it, and the records are created as
     * {@link #createAll(Table, List)} creates them, in one transaction with the read.
     *
     * <pre>{@code
     * List<Archived> archived = ashlar.createAll(ARCHIVE, ashlar.read(ORDERS).where(Order.STATUS.eq(Status.CLOSED)),
     *         o -> new Archived(null, o.id(), o.total()));
     * }</pre>
     */
    public <R extends Record, S extends Record> List<R> createAll(Table<R> table, TypedRead<S> source,
                                                                  Function<? super S, R> as) {
        QueryException.required(table, "table");
        QueryException.required(source, "source");
        QueryException.required(as, "as");
        Read read = source.untyped();
        sourceHere(CREATE, table.name(), read.runsThrough(data), "reads " + read.query().resource());
        return transaction(tx -> {
            List<R> records = source.list().stream().<R>map(as).toList();
            List<R> created = createAll(table, records);
            keysPast(table.name(), Records.values(table, records));
            return created;
        });
    }

    /** Stores records, or on a taken identity does what the conflict says: {@code UNIQUE_EMAIL.update(NAME)}. */
    public <R extends Record> List<R> upsert(Table<R> table, List<R> records, Conflict<R> conflict) {
        return Records.of(table, upsert(writable(table).name(), Records.values(table, records), Records.upsert(conflict)));
    }

    /**
     * Stores one record, or on a taken identity does what the conflict says; returns it as stored. A stored record
     * that does not meet the conflict's condition is kept and refused as stale (see {@link #upsert(String, Map, Upsert)}).
     */
    public <R extends Record> R upsert(Table<R> table, R record, Conflict<R> conflict) {
        return upsert(writable(table).name(), table.values(QueryException.required(record, "record")),
                Records.upsert(conflict)).as(table.type());
    }

    /** The record with this primary key; see {@link #get(String, Object)}. */
    public <R extends Record> R get(Table<R> table, Object key) {
        QueryException.required(table, "table");
        return timed(() -> data.get(typed(table).name(), key, tenant, table.type()));
    }

    /** The records with these primary keys, in their order, null where none; see {@link #findMultiple(String, List)}. */
    public <R extends Record> List<R> findMultiple(Table<R> table, List<?> keys) {
        List<Row> rows = findMultiple(typed(table).name(), keys);
        List<R> records = new ArrayList<>(rows.size());
        rows.forEach(row -> records.add(row == null ? null : row.as(table.type())));
        return Collections.unmodifiableList(records);
    }

    /** The record with this primary key, or empty when there is none; see {@link #find(String, Object)}. */
    public <R extends Record> Optional<R> find(Table<R> table, Object key) {
        QueryException.required(table, "table");
        return timed(() -> data.find(typed(table).name(), key, tenant, table.type()));
    }

    /**
     * Writes these fields of each record, each with its own values, in one statement; its other fields identify it
     * (its key, and its version when the record holds one). Returns the records as stored afterwards, in the order
     * given; see {@link #updateAll(String, List)}.
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final <R extends Record> List<R> updateAll(Table<R> table, List<R> records, Field<R, ?> field,
                                                      Field<R, ?>... more) {
        List<String> written = new ArrayList<>();
        written.add(QueryException.required(field, "field").name());
        for (Field<R, ?> other : more) {
            written.add(QueryException.required(other, "field").name());
        }
        List<Map<String, Object>> values = Records.rows(writable(table), records).stream().map(Row::toMap).toList();
        return Records.of(table, timed(() -> data.updateEach(table.name(), values, written, tenant)));
    }

    /** The record read again as stored now, by its key, in the handle's tenant; see {@link #refresh(Row)}. */
    public <R extends Record> R refresh(Table<R> table, R record) {
        typed(table);
        return refresh(table.row(QueryException.required(record, "record"))).as(table.type());
    }

    /** Writes the changes to the record's row ({@code TITLE.set("Hello")}); returns it as stored afterwards. */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final <R extends Record> R update(Table<R> table, R record, Change<R> change, Change<R>... more) {
        return Records.update(this, writable(table), QueryException.required(record, "record"), Records.changes(change, more),
                null);
    }

    /** Writes these fields of a changed record (its other fields identify it); returns it as stored afterwards. */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final <R extends Record> R update(Table<R> table, R changed, Field<R, ?> field, Field<R, ?>... more) {
        return Records.update(this, writable(table), QueryException.required(changed, "record"),
                Records.changes(changed, field, more), null);
    }

    /**
     * The table, once its record's components are known to be attributes of its resource: a component that is not
     * would be left out of a write (when null) and fail only when the stored row maps back onto the record, after the
     * row was kept. Refused before anything is written.
     */
    private <R extends Record> Table<R> writable(Table<R> table) {
        data.requireAttributes(typed(table).name(), table.type(), table.fields());
        return table;
    }

    /** The table, refused when null. */
    private static <R extends Record> Table<R> typed(Table<R> table) {
        return QueryException.required(table, "table");
    }

    /** Deletes the record's row, found by its primary key. */
    /**
     * {@link #updateAll(List, Map)} of typed records in hand, each found by its key:
     * {@code ashlar.updateAll(POSTS, posts, TITLE.setSql("title || ?", "_stuff"))}.
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final <R extends Record> List<R> updateAll(Table<R> table, List<R> records, Change<R> change,
                                                      Change<R>... more) {
        return Records.of(table, updateAll(Records.rows(writable(table), records), Records.changes(change, more)));
    }

    /** {@link #destroyAll(List)} of typed records in hand, each found by its key; returns how many were deleted. */
    public <R extends Record> int destroyAll(Table<R> table, List<R> records) {
        return destroyAll(Records.rows(typed(table), records));
    }

    public <R extends Record> void destroy(Table<R> table, R record) {
        destroy(typed(table).row(QueryException.required(record, "record")));
    }

    /** Writes the changes only if the stored record meets the guard; see {@link #update(Row, Map, Filter)}. */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final <R extends Record> R update(Table<R> table, R record, Condition<R> guard, Change<R> change,
                                             Change<R>... more) {
        return Records.update(this, writable(table), QueryException.required(record, "record"),
                Records.changes(change, more), guard.filter());
    }

    /** Deletes the record's row only if it meets the guard; see {@link #destroy(Row, Filter)}. */
    public <R extends Record> void destroy(Table<R> table, R record, Condition<R> guard) {
        destroy(typed(table).row(QueryException.required(record, "record")), guard.filter());
    }

    /**
     * The name under which a draftable resource's drafts are read and written ({@code draftable()}, Ebean's
     * {@code asDraft()}): {@code ashlar.create(ashlar.drafts("post"), values)}, {@code ashlar.read(ashlar.drafts("post"))};
     * rows read there carry it, so updating or destroying them writes the draft table again. Drafts have the resource's
     * fields and the flag {@code draft_dirty}, true once a draft is created or changed and until it is published.
     *
     * @throws QueryException naming the resource and the option, for one that is not draftable
     */
    public String drafts(String resource) {
        return data.drafts(resource, "drafts(\"" + resource + "\")").drafts();
    }

    /** {@link #drafts(String)} for the typed actions: {@code ashlar.create(ashlar.drafts(POSTS), post)}. */
    public <R extends Record> Table<R> drafts(Table<R> table) {
        QueryException.required(table, "table");
        return table.inTable(data.drafts(table.name(), "drafts(\"" + table.name() + "\")").table());
    }

    /**
     * Publishes the drafts the filter selects (Ebean's {@code publish}): in one transaction, each is copied to the
     * resource's table, inserted or overwriting the record of its key, without its {@code draft_dirty} flag; the drafts
     * are then marked clean and lose their reset attributes ({@code draftable("comment")}). The drafts of their elements
     * ({@code r -> r.draftElement()}) are published with them in the same transaction, and the elements whose drafts
     * were destroyed are destroyed. Returns how many records of the resource were written ({@link #publishReport}
     * tells what was created, updated and destroyed of each resource). Drafts are read in the
     * handle's tenant, and a draft whose key another tenant's record holds fails the whole publish. Data where a record
     * is an element of itself, directly or through others, is refused, naming the records, and nothing is written.
     *
     * @throws QueryException for a resource that is not draftable, naming it and the option
     * @throws dev.ashlar.api.error.InvalidDataException for a draft whose key another tenant's record holds; nothing
     *                                                   is published
     */
    public int publish(String resource, Filter filter) {
        return publishReport(resource, filter).count();
    }

    /**
     * {@link #publish(String, Filter)}, reporting what it wrote (Ebean's {@code publish} returns the published beans):
     * for the resource and each resource reached through its elements, how many records of the table it created,
     * updated and destroyed. {@code publishReport("document", filter).of("media").destroyed()} is how many live media
     * went because their drafts had been destroyed.
     *
     * @throws QueryException as {@code publish} does, and when the draft of an element of a published record moved to
     *                        another owner this publish does not publish, naming the element and its owners
     */
    public DraftReport publishReport(String resource, Filter filter) {
        return published(resource, filter, false);
    }

    /** {@link #publishReport(String, Filter)} with a typed condition. */
    public <R extends Record> DraftReport publishReport(Table<R> table, Condition<R> condition) {
        return publishReport(table.name(), QueryException.required(condition, "condition").filter());
    }

    /**
     * {@link #publishReport(String, Filter)}, first withdrawing, in the same transaction, the records of the table the
     * filter selects (read on the table, in the handle's tenant) that have no draft, their elements first: on a
     * resource declared {@code .draftable().refuseLiveWrites()}, whose table only publish writes, such a record is
     * taken for one whose draft was destroyed. A record that never had a draft (a row from before {@code
     * draftable()}, or written by hand-written SQL) is withdrawn all the same: {@code restoreDraft} it first. The
     * report counts the records withdrawn as {@code destroyed()}.
     *
     * @throws QueryException for a resource that takes live writes, naming it and the fix, before anything is written;
     *                        and as {@code publishReport} does
     */
    public DraftReport publishWithdrawing(String resource, Filter filter) {
        return published(resource, filter, true);
    }

    /** {@link #publishWithdrawing(String, Filter)} with a typed condition. */
    public <R extends Record> DraftReport publishWithdrawing(Table<R> table, Condition<R> condition) {
        return publishWithdrawing(table.name(), QueryException.required(condition, "condition").filter());
    }

    private DraftReport published(String resource, Filter filter, boolean withdraw) {
        String call = withdraw ? "publishWithdrawing" : "publish";
        DraftResource.Drafted drafted = data.drafts(resource, call);
        if (withdraw && !drafted.liveWritesRefused()) {
            throw QueryException.of(resource, null, "publishWithdrawing of '" + resource + "' is refused: its table "
                    + "takes live writes, so a record there with no draft may never have had one, and withdrawing it "
                    + "would destroy it. Declare '" + resource + "' with .draftable().refuseLiveWrites(), or destroy "
                    + "the record itself and publish with publish(...). Nothing was published.");
        }
        Drafts.Graph graph = new Drafts.Graph(name -> data.drafts(name, "publish"), new LinkedHashSet<>());
        DraftReport report = data.publishing(() -> Drafts.publish(this, drafted, filter, graph, withdraw));
        graph.written().forEach(written -> keysAdvanced(written, 1));
        return report;
    }

    /**
     * The count, once the written resource's key sequence is moved past the keys publish or restore copied into it
     * from the other table, so a record created there later never takes one of them.
     */
    private int keysAdvanced(String written, int count) {
        if (count > 0) {
            timed(() -> {
                data.advanceKeySequence(written, tenant);
                return null;
            });
        }
        return count;
    }

    /** {@link #publish(String, Filter)} with a typed condition. */
    public <R extends Record> int publish(Table<R> table, Condition<R> condition) {
        return publish(table.name(), QueryException.required(condition, "condition").filter());
    }

    /**
     * Restores drafts from the resource's table (Ebean's {@code draftRestore}): in one transaction, the records the
     * filter selects are copied to their drafts, inserted or overwriting the draft of their key, clean and without
     * their reset attributes, discarding what the drafts held. Their elements ({@code r -> r.draftElement()}) are
     * restored with them, and element drafts with no record in the table are destroyed. Returns how many drafts of the
     * resource were written.
     *
     * @throws QueryException for a resource that is not draftable, naming it and the option
     */
    public int restoreDraft(String resource, Filter filter) {
        return restoreDraftReport(resource, filter).count();
    }

    /**
     * {@link #restoreDraft(String, Filter)}, reporting what it wrote: for the resource and each resource reached
     * through its elements, how many drafts it created, updated (overwrote) and destroyed. An element draft moved to
     * another owner than its record's is restored from its record as well, back below that owner.
     *
     * @throws QueryException as {@code restoreDraft} does
     */
    public DraftReport restoreDraftReport(String resource, Filter filter) {
        DraftResource.Drafted drafted = data.drafts(resource, "restoreDraft");
        Drafts.Graph graph = new Drafts.Graph(name -> data.drafts(name, "restoreDraft"), new LinkedHashSet<>());
        DraftReport report = Drafts.restore(this, drafted, filter, graph);
        graph.written().forEach(written -> keysAdvanced(written, 1));
        return report;
    }

    /** {@link #restoreDraftReport(String, Filter)} with a typed condition. */
    public <R extends Record> DraftReport restoreDraftReport(Table<R> table, Condition<R> condition) {
        return restoreDraftReport(table.name(), QueryException.required(condition, "condition").filter());
    }

    /** {@link #restoreDraft(String, Filter)} with a typed condition. */
    public <R extends Record> int restoreDraft(Table<R> table, Condition<R> condition) {
        return restoreDraft(table.name(), QueryException.required(condition, "condition").filter());
    }

    /**
     * Runs the body in a transaction and returns its result: every action inside (on any thread-bound
     * use of this Ashlar) uses the transaction's connection; it commits when the body returns and rolls
     * back when it throws. A transaction inside another runs in a savepoint, rolled back alone.
     */
    public <T> T transaction(Function<Ashlar, T> body) {
        QueryException.required(body, "body");
        return data.transaction(() -> body.apply(this));
    }

    /**
     * {@link #transaction(Function)} at an isolation level. A transaction inside another runs at the outer one's
     * level, which must be this one. A serializable transaction that loses a race fails with a
     * {@link dev.ashlar.api.error.ConcurrencyException}; run it again ({@link TransactionOptions#attempts} does).
     */
    public <T> T transaction(Isolation isolation, Function<Ashlar, T> body) {
        QueryException.required(isolation, "isolation");
        QueryException.required(body, "body");
        return data.transaction(isolation, () -> body.apply(this));
    }

    /**
     * {@link #transaction(Function)} with options: an isolation level, read only, and attempts, as many times in all
     * as the body may run when a concurrent transaction makes it fail with a serialization failure or a deadlock:
     * {@code ashlar.transaction(TransactionOptions.defaults().isolation(SERIALIZABLE).attempts(3), tx -> ...)}. A
     * transaction inside another shares its level and read-only mode and is never run again on its own.
     */
    public <T> T transaction(TransactionOptions options, Function<Ashlar, T> body) {
        QueryException.required(options, "options");
        QueryException.required(body, "body");
        return data.transaction(options, () -> body.apply(this));
    }

    /**
     * Marks the innermost transaction running on this thread to be rolled back when its body returns, instead of
     * committed, as Spring's {@code setRollbackOnly()} and Jdbi's {@code rollback()} do: a dry run, a test, a check
     * that should leave nothing. The body goes on and its result is returned; inside another transaction only its
     * savepoint is rolled back.
     *
     * @throws dev.ashlar.api.error.AshlarException with {@code INVALID_QUERY} outside a transaction
     */
    public void setRollbackOnly() {
        data.connections().setRollbackOnly();
    }

    /**
     * Runs the callback once the transaction open on this thread commits (Jdbi's {@code afterCommit}, Ebean's
     * {@code postCommit}, Spring's {@code afterCommit}): a message sent, a cache cleared, only for work that was kept.
     * It runs after the commit, with the transaction's connection back in the pool, so an action it takes runs on its
     * own. Registered inside a savepoint, it waits for the outermost transaction, and is dropped when the savepoint is
     * rolled back. A callback that throws leaves the commit as it is; the transaction call throws its exception after
     * the other callbacks have run.
     *
     * @throws dev.ashlar.api.error.AshlarException with {@code INVALID_QUERY} outside a transaction, or inside the
     *                                              application's transaction that Ashlar joined (register with its
     *                                              manager instead)
     */
    public void afterCommit(Runnable callback) {
        data.connections().afterCommit(callback);
    }

    /**
     * Runs the callback once the work of the transaction open on this thread is rolled back (Jdbi's
     * {@code afterRollback}, Ebean's {@code postRollback}): by a failure, {@link #setRollbackOnly()} or a failed
     * commit. Registered inside a savepoint, it runs right after that savepoint is rolled back, or when the outermost
     * transaction rolls back. Never after a commit.
     *
     * @throws dev.ashlar.api.error.AshlarException as {@link #afterCommit}
     */
    public void afterRollback(Runnable callback) {
        data.connections().afterRollback(callback);
    }

    /** {@link #transaction(Function)} for a body without a result. */
    public void inTransaction(Consumer<Ashlar> body) {
        QueryException.required(body, "body");
        data.transaction(() -> {
            body.accept(this);
            return null;
        });
    }

    /** {@link #transaction(TransactionOptions, Function)} for a body without a result. */
    public void inTransaction(TransactionOptions options, Consumer<Ashlar> body) {
        QueryException.required(body, "body");
        transaction(options, tx -> {
            body.accept(tx);
            return null;
        });
    }

    /** {@link #transaction(Isolation, Function)} for a body without a result. */
    public void inTransaction(Isolation isolation, Consumer<Ashlar> body) {
        QueryException.required(body, "body");
        transaction(isolation, tx -> {
            body.accept(tx);
            return null;
        });
    }

    /**
     * Stops the plugins and closes the connection pools Ashlar made from JDBC URLs; a data source given
     * to it stays open. Closing an Ashlar made by {@link #withTenant} does nothing.
     */
    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (AshlarException e) {
                throw e;
            } catch (Exception e) {
                throw new AshlarException(ErrorCode.DATABASE, "Closing Ashlar failed: " + e, e);
            } finally {
                // After the plugins stopped, which may still run statements as they stop.
                data.connections().close();
            }
        }
    }

    /** Collects the data sources, the domain and plugins; {@link #build()} checks them and freezes them. */
    public static final class Builder {
        private DataSource primary;
        private PoolSpec primaryUrl;
        private final Map<String, Object> named = new LinkedHashMap<>();
        private OwnedPools.Timeouts timeouts = OwnedPools.Timeouts.DEFAULT;
        private Domain domain;
        private final List<AshlarPlugin> installed = new ArrayList<>();
        private ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        private boolean discover = true;
        private String versionField;
        private java.nio.file.Path tenantMigrations = java.nio.file.Path.of("tenant_migrations");
        private Placeholders placeholders = Placeholders.NONE;
        private List<JavaMigration> tenantJavaMigrations = List.of();
        private String historyTable = History.DEFAULT_TABLE;
        private TransactionJoin join;
        private ActionObserver observer;
        private Supplier<?> currentUser;
        private final Map<String, Policy> policies = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The primary data source: every write, every transaction and every read no plugin routes elsewhere.
         * A routing plugin names it {@value Replication#PRIMARY}.
         */
        public Builder dataSource(DataSource dataSource) {
            this.primary = DefinitionException.required(dataSource, "dataSource");
            this.primaryUrl = null;
            return this;
        }

        /** Another data source (a replica) that a plugin may route reads to by this name. */
        public Builder dataSource(String name, DataSource dataSource) {
            named.put(checkName(name), DefinitionException.required(dataSource, "dataSource"));
            return this;
        }

        /** A HikariCP pool on this URL as the primary data source, made when built, owned by Ashlar and closed with it. */
        public Builder jdbcUrl(String url, String user, String password) {
            this.primaryUrl = new PoolSpec(Replication.PRIMARY, DefinitionException.required(url, "url"), user, password);
            this.primary = null;
            return this;
        }

        /**
         * A replica on this URL, by the name a routing plugin uses for it: a HikariCP pool of its own, owned by
         * Ashlar, with the {@link #timeouts timeouts}. Building succeeds while the replica is down; its reads
         * go to the primary until it answers.
         */
        public Builder replica(String name, String url, String user, String password) {
            named.put(checkName(name), new PoolSpec(name, DefinitionException.required(url, "url"), user, password));
            return this;
        }

        /**
         * How long the pools Ashlar makes from URLs wait for a connection (5 s by default) and how long a
         * statement may run on them ({@code statement_timeout}; zero, the default, for no limit).
         *
         * @throws DefinitionException for a connection timeout under 250 ms, or a statement timeout that is negative,
         *                             above zero but under a millisecond (PostgreSQL would read it as no limit), or
         *                             longer than PostgreSQL's {@code statement_timeout} holds
         */
        public Builder timeouts(Duration connect, Duration statement) {
            DefinitionException.required(connect, "connect");
            DefinitionException.required(statement, "statement");
            // HikariCP refuses a connection timeout under 250 ms; PostgreSQL a statement_timeout past an int of ms.
            if (connect.compareTo(Duration.ofMillis(250)) < 0) {
                throw DefinitionException.of(null, null, "timeouts(" + connect + ", " + statement + "): the pool "
                        + "waits at least 250 ms for a connection (HikariCP's least connectionTimeout); give 250 ms "
                        + "or more");
            }
            // statement_timeout counts whole milliseconds: a positive timeout under one would be sent as 0, no limit.
            boolean underAMillisecond = !statement.isZero() && statement.compareTo(Duration.ofMillis(1)) < 0;
            if (statement.isNegative() || underAMillisecond || statement.compareTo(ServerDuration.MAX) > 0) {
                throw DefinitionException.of(null, null, "timeouts(" + connect + ", " + statement + "): a statement "
                        + "timeout is zero (no limit) or from 1 ms up to " + ServerDuration.MAX.toMillis() + " ms "
                        + "(about 24 days), the most PostgreSQL's statement_timeout holds");
            }
            this.timeouts = new OwnedPools.Timeouts(connect, statement);
            return this;
        }

        private static String checkName(String name) {
            if (DefinitionException.required(name, "name").equals(Replication.PRIMARY)) {
                throw new AshlarException(ErrorCode.INVALID_DEFINITION, "The name '" + Replication.PRIMARY
                        + "' is the primary's; give the primary with dataSource(dataSource) or jdbcUrl(...)");
            }
            return name;
        }

        public Builder domain(Domain newDomain) {
            this.domain = DefinitionException.required(newDomain, "domain");
            return this;
        }

        /** Installs a plugin by hand, beside those discovered. */
        public Builder install(AshlarPlugin plugin) {
            installed.add(DefinitionException.required(plugin, "plugin"));
            return this;
        }

        /** Where to discover plugins ({@code META-INF/services}); the thread's context class loader by default. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /** Whether to discover plugins on the class path (default true); installed ones are always used. */
        public Builder discoverPlugins(boolean enabled) {
            this.discover = enabled;
            return this;
        }

        /**
         * The folder of tenant migrations ({@code tenant_migrations} by default, in the working directory),
         * applied to the schema of every tenant the tenancy plugin creates. Creating a tenant fails, naming the
         * folder, when it does not exist (building warns when the domain keeps tables in tenant schemas); a
         * folder inside a jar is opened with {@code MigrationLocation.resolve("classpath:...", loader)}.
         */
        public Builder tenantMigrations(java.nio.file.Path folder) {
            this.tenantMigrations = DefinitionException.required(folder, "folder");
            return this;
        }

        /**
         * The values of the tenant migrations' {@code ${name}} placeholders, as the project's migrate gets them
         * ({@code ashlar.migrate.placeholders.*} in Spring Boot): a tenant schema the tenancy plugin creates runs its
         * files with them, {@code ${ashlar:schema}} being its schema. A file using a placeholder not given here is
         * refused, naming it, before the schema is made.
         */
        public Builder placeholders(Placeholders values) {
            this.placeholders = DefinitionException.required(values, "values");
            return this;
        }

        /**
         * The Java migrations of the tenant schemas ({@link JavaMigration#scope()} {@code TENANT}), as the project's
         * tenant runs get them ({@code Project.javaMigrationsFor(Scope.TENANT)}; every such bean in Spring Boot): a
         * tenant schema the tenancy plugin creates runs them in version order with the files of
         * {@link #tenantMigrations}, in the creating transaction, with the new schema as the search path.
         *
         * @throws dev.ashlar.kernel.migrate.MigrationException for a migration of the main schema, or a malformed one
         */
        public Builder tenantJavaMigrations(List<JavaMigration> migrations) {
            JavaMigrations.of(Scope.TENANT, DefinitionException.required(migrations, "migrations"));
            this.tenantJavaMigrations = List.copyOf(migrations);
            return this;
        }

        /**
         * The table that holds a tenant schema's migration history, as the project's tenant runs name it
         * ({@code Project.historyTable}; {@code ashlar.migrate.history-table} in Spring Boot): a tenant schema the
         * tenancy plugin creates records its files there. {@code ashlar_schema_migrations} by default; of a name with a
         * schema ({@code meta.history}, the main schema's history kept apart), the table's name, in the tenant's own
         * schema.
         *
         * @throws dev.ashlar.kernel.migrate.MigrationException for a name {@link History#tableName} refuses
         */
        public Builder historyTable(String name) {
            this.historyTable = History.tableName(DefinitionException.required(name, "name"));
            return this;
        }

        /**
         * Takes part in the application's transactions (e.g. Spring's): inside one, every action uses its
         * connection, and {@link Ashlar#transaction} runs in a savepoint of it.
         */
        public Builder transactionJoin(TransactionJoin transactions) {
            this.join = DefinitionException.required(transactions, "transactions");
            return this;
        }

        /** Watches every action's statement, e.g. to time it; none by default. */
        public Builder observer(ActionObserver actions) {
            this.observer = DefinitionException.required(actions, "actions");
            return this;
        }

        /**
         * Optimistic concurrency: resources with an attribute of this name (e.g. {@code lock_version}), a smallint,
         * integer or bigint (or a timestamptz or timestamp, moved past the stored value), count it up on every update
         * (an {@code updateAll} and an upsert that overwrites a record too), and an update or destroy of a row whose
         * version is no longer the stored one fails with {@link ErrorCode#STALE_RECORD} instead of overwriting
         * another's change. {@link #build()} refuses an attribute of the name of another type, and warns of a name no
         * resource has. A resource that names its own version ({@code Resource.builder(..).optimisticLock(...)}) uses
         * that one instead.
         */
        public Builder optimisticLock(String field) {
            this.versionField = DefinitionException.required(field, "field");
            return this;
        }

        /**
         * Who every handle acts for when it names no user with {@link Ashlar#withUser} (Spring Data's {@code
         * AuditorAware}, Ebean's {@code CurrentUserProvider}): asked once by each create, update and upsert that writes
         * a resource's {@code createdBy(...)}/{@code modifiedBy(...)} attributes, e.g. {@code
         * .currentUser(() -> SecurityContext.userId())}. A null answer is no user, as for a handle without one; a
         * supplier that throws fails the write, which writes nothing. None by default.
         */
        public Builder currentUser(Supplier<?> users) {
            this.currentUser = DefinitionException.required(users, "users");
            return this;
        }

        /**
         * The resources' policies (Ash's policies, Hibernate's {@code @Filter} enabled per session): which rows the
         * actor a handle acts for ({@link Ashlar#withUser}, {@link #currentUser}) may read, create, update and
         * destroy, applied in SQL by every action and every relationship that reaches the resource. A handle with no
         * actor is refused on those resources unless it {@link Ashlar#bypassPolicies() bypasses policies}.
         *
         * @throws DefinitionException for a resource given two policies
         */
        public Builder policies(Policy... given) {
            for (Policy policy : DefinitionException.required(given, "policies")) {
                DefinitionException.required(policy, "policy");
                if (policies.putIfAbsent(policy.resource(), policy) != null) {
                    throw DefinitionException.of(policy.resource(), null, "Resource '" + policy.resource() + "' is "
                            + "given two policies: give one Policy.on(\"" + policy.resource() + "\") naming every action");
                }
            }
            return this;
        }

        /** @throws AshlarException when the data source or domain is missing or the domain is invalid */
        public Ashlar build() {
            if ((primary == null && primaryUrl == null) || domain == null) {
                throw new AshlarException(ErrorCode.INVALID_DEFINITION, "Ashlar needs " + (domain != null
                        ? "a data source (dataSource(...) or jdbcUrl(...))" : "a domain (domain(...))"));
            }
            Plugins plugins = plugins();
            plugins.check(domain);
            warnWithoutTenantMigrations(plugins);
            OwnedPools pools = new OwnedPools();
            try {
                Connections connections = connections(pools);
                Hooks hooks = Hooks.start(domain, plugins, new KernelReplication(connections));
                try {
                    DataLayer data = new DataLayer(domain, hooks, connections, versionField,
                            new TenantSchemas(tenantMigrations, placeholders).javaMigrations(tenantJavaMigrations)
                                    .historyTable(historyTable),
                            observer, checkedPolicies());
                    return new Ashlar(data, null, null, Acting.askingFor(currentUser), () -> {
                        try (pools) {
                            hooks.close();
                        }
                    });
                } catch (RuntimeException e) {
                    hooks.close();
                    throw e;
                }
            } catch (RuntimeException e) {
                pools.close();
                throw e;
            }
        }

        /**
         * The policies, each for a resource of the domain (one naming another would guard nothing), a child of joined
         * inheritance kept to its parent's too.
         */
        private Policies checkedPolicies() {
            for (String resource : policies.keySet()) {
                if (domain.resources().stream().noneMatch(r -> r.name().equals(resource))) {
                    throw DefinitionException.of(resource, null, "A policy is given for resource '" + resource
                            + "', which domain '"
                            + domain.name() + "' does not declare: name one of its resources");
                }
            }
            return Policies.inheriting(policies, domain);
        }

        /**
         * Says at once, rather than at the first new tenant, that tenant schemas cannot be created: the domain keeps
         * tables in them and the tenant migrations folder is missing (a relative default read from another working
         * directory, a location never set).
         */
        private void warnWithoutTenantMigrations(Plugins plugins) {
            Optional<String> missing = TenantSchemas.missingFolder(tenantMigrations);
            if (missing.isEmpty()) {
                return;
            }
            Tenancies tenancies = plugins.tenancies(domain);
            List<String> inTenantSchemas = domain.resources().stream()
                    .filter(resource -> tenancies.placement(resource) == Scope.TENANT).map(Resource::name).toList();
            if (!inTenantSchemas.isEmpty()) {
                LOG.warn("Creating a tenant will fail: resources {} live in tenant schemas, but {}", inTenantSchemas,
                        missing.get());
            }
        }

        /** Installed plugins first, so that one configured by hand wins over the same plugin discovered. */
        private Plugins plugins() {
            Plugins plugins = Plugins.none();
            for (AshlarPlugin plugin : installed) {
                plugins = plugins.with(plugin);
            }
            if (discover) {
                for (AshlarPlugin plugin : Plugins.discover(classLoader).all()) {
                    plugins = plugins.with(plugin);
                }
            }
            return plugins;
        }

        private Connections connections(OwnedPools pools) {
            DataSource main = primary != null ? primary
                    : pools.open(primaryUrl.name(), primaryUrl.url(), primaryUrl.user(), primaryUrl.password(), timeouts,
                    true);
            Map<String, DataSource> sources = new LinkedHashMap<>();
            named.forEach((name, source) -> sources.put(name, source instanceof PoolSpec spec
                    ? pools.open(name, spec.url(), spec.user(), spec.password(), timeouts, false) : (DataSource) source));
            return new Connections(main, sources, join);
        }

        /** A pool to make when built: pools are made last, so that the timeouts apply whatever the call order. */
        private record PoolSpec(String name, String url, String user, String password) {
        }
    }
}
