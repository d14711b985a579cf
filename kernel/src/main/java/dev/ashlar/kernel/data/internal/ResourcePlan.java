package dev.ashlar.kernel.data.internal;

import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.internal.RowLayout;
import dev.ashlar.api.internal.Rows;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Identity;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Everything about one resource that the data layer needs on every call, computed once: quoted
 * names, codecs, the primary key, the layout of full rows and the names of identity indexes.
 */
public final class ResourcePlan {
    private final Function<Identity, List<String>> identityColumns;
    private final List<ColumnPlan> tenantColumns;
    private final Resource resource;
    private final List<ColumnPlan> columns;
    private final Map<String, ColumnPlan> byName = new HashMap<>();
    private final Map<String, String> byColumn = new HashMap<>();
    private final List<ColumnPlan> primaryKey;
    private final RowLayout layout;
    private final Codec[] codecs;
    private final String columnList;
    private final String comparedColumnList;
    private final RowLayout keyLayout;
    private final Codec[] keyCodecs;
    private final String keyList;
    private final Map<String, Identity> identitiesByIndex = new HashMap<>();
    private final String ownTable;
    private final ColumnPlan version;
    private final ColumnPlan createdBy;
    private final ColumnPlan modifiedBy;
    private final ColumnPlan softDelete;
    private final List<ColumnPlan> createOnly;
    /**
     * The plans the records embedded in this resource's JSON attributes are read with, by path
     * ({@link JsonArrayExists}): made on first use and kept, so a cached statement binding its values again makes none.
     * Paths come from filters, so no more than {@link #ELEMENT_PLANS_KEPT} are kept; a further one is made per use.
     */
    private final ConcurrentMap<String, ResourcePlan> elements = new ConcurrentHashMap<>();
    /** Whether this plan is that of an embedded record rather than of a declared resource. */
    private boolean element;
    private static final int ELEMENT_PLANS_KEPT = 256;
    private static final AtomicLong ELEMENT_PLANS_MADE = new AtomicLong();
    /** The types of a version counted up by one, and of one moved to the clock. */
    private static final Set<Codec> COUNTERS = Set.of(ScalarCodec.SMALLINT, ScalarCodec.INTEGER, ScalarCodec.BIGINT);
    private static final Set<Codec> MOVED = Set.of(ScalarCodec.TIMESTAMPTZ, ScalarCodec.TIMESTAMP);

    /**
     * @param versionField the attribute that counts a record's versions for optimistic concurrency, when the
     *                     resource has an integer or bigint attribute of that name; may be null
     */
    public ResourcePlan(Resource resource, String versionField) {
        this(resource, versionField, Identity::fields, List.of());
    }

    /**
     * @param identityColumns the columns of an identity's unique index, a tenant column first where a plugin scopes it
     * @param tenantColumns   the columns a tenant's scope fixes on the resource (a tenant column); usually none
     */
    public ResourcePlan(Resource resource, String versionField, Function<Identity, List<String>> identityColumns,
                        List<String> tenantColumns) {
        this.resource = resource;
        this.identityColumns = identityColumns;
        List<ColumnPlan> plans = new ArrayList<>();
        for (Attribute attribute : resource.attributes()) {
            Codec codec = Codecs.of(attribute, resource.name(), resource.schema());
            // The one place the data layer turns an attribute into its column: SQL names columns, rows and records
            // name attributes, and statements are read by position, so no alias is needed between the two.
            ColumnPlan plan = new ColumnPlan(attribute, Identifiers.quote(attribute.columnName()), codec,
                    ArrayCodec.ofValues(codec));
            plans.add(plan);
            byName.put(attribute.name(), plan);
            byColumn.put(attribute.columnName(), attribute.name());
        }
        this.columns = List.copyOf(plans);
        this.primaryKey = columns.stream().filter(c -> c.attribute().primaryKey()).toList();
        this.layout = new RowLayout(resource.name(), columns.stream().map(ColumnPlan::name).toList());
        this.codecs = columns.stream().map(ColumnPlan::codec).toArray(Codec[]::new);
        this.ownTable = Identifiers.qualify(resource.schema(), resource.table());
        this.columnList = String.join(", ", columns.stream().map(column -> column.selected("")).toList());
        this.comparedColumnList = columns.stream().allMatch(column -> column.codec().comparedAs() == null) ? null
                : String.join(", ", columns.stream().map(column -> column.codec().comparedAs() == null
                ? column.quoted() : column.compared("") + " AS " + column.quoted()).toList());
        this.keyLayout = new RowLayout(resource.name(), primaryKey.stream().map(ColumnPlan::name).toList());
        this.keyCodecs = primaryKey.stream().map(ColumnPlan::codec).toArray(Codec[]::new);
        this.keyList = String.join(", ", primaryKey.stream().map(ColumnPlan::quoted).toList());
        String versioning = resource.optimisticLock() != null ? resource.optimisticLock() : versionField;
        ColumnPlan counter = versioning == null ? null : byName.get(versioning);
        if (counter != null && !COUNTERS.contains(counter.codec()) && !MOVED.contains(counter.codec())) {
            // Left unversioned, the resource's updates would overwrite one another's changes without a word.
            throw DefinitionException.of(resource.name(), versioning, "Attribute " + resource.name() + "."
                    + versioning + " is " + counter.codec().castType() + ", but optimisticLock(\"" + versioning
                    + "\") versions records in a whole number or a timestamp: make it INTEGER (or SMALLINT, BIGINT, "
                    + "TIMESTAMPTZ, TIMESTAMP), or rename it");
        }
        this.version = counter;
        this.createdBy = resource.createdBy() == null ? null : byName.get(resource.createdBy());
        this.modifiedBy = resource.modifiedBy() == null ? null : byName.get(resource.modifiedBy());
        this.softDelete = resource.softDelete() == null ? null : byName.get(resource.softDelete());
        this.tenantColumns = tenantColumns.stream().map(byName::get).toList();
        for (ColumnPlan column : columns) {
            if (column.attribute().expressions().any() && (column == counter || column == softDelete
                    || column.attribute().column().touchOnUpdate())) {
                // Ashlar writes these itself, in SQL of its own (a count, a clock), which no writeAs could wrap.
                throw DefinitionException.of(resource.name(), column.name(), "Attribute " + resource.name() + "."
                        + column.name() + " is written by Ashlar on every " + (column == softDelete ? "destroy"
                        : "update") + " (a version, a deletion mark or an update time), so it cannot have "
                        + "readAs(...) or writeAs(...): remove them");
            }
        }
        this.createOnly = this.columns.stream().filter(c -> c == this.createdBy || !c.attribute().column().updatable())
                .toList();
        for (Identity identity : resource.identities()) {
            identitiesByIndex.put(identity.indexOn(resource.table()), identity);
        }
    }

    /**
     * Refuses, naming the attribute, a statement that cannot apply an attribute's {@code readAs} (or, with
     * {@code writes}, its {@code writeAs}) expression: {@code what} says which, for the message.
     */
    void refuseExpressions(String what, boolean writes) {
        for (ColumnPlan column : columns) {
            var expressions = column.attribute().expressions();
            if (expressions.read() != null || writes && expressions.write() != null) {
                throw QueryException.of(name(), column.name(), what + " of " + name() + " cannot apply the "
                        + (expressions.read() != null ? "readAs" : "writeAs") + " expression of '" + column.name()
                        + "': read (or write) the records one action at a time instead");
            }
        }
    }

    public Resource resource() {
        return resource;
    }

    /**
     * The plan of the records embedded at {@code path} (an attribute, then keys) of this resource, made once by
     * {@code make} and kept: a lookup without a lock on the path every cached read takes.
     */
    ResourcePlan element(String path, Function<String, ResourcePlan> make) {
        ResourcePlan kept = elements.get(path);
        if (kept != null) {
            return kept;
        }
        Function<String, ResourcePlan> marked = p -> {
            ResourcePlan plan = make.apply(p);
            plan.element = true;
            ELEMENT_PLANS_MADE.incrementAndGet();
            return plan;
        };
        return elements.size() < ELEMENT_PLANS_KEPT ? elements.computeIfAbsent(path, marked) : marked.apply(path);
    }

    /** Whether this is the plan of a record embedded in JSON ({@link #element}), not of a declared resource. */
    boolean isElement() {
        return element;
    }

    /** How many embedded-record plans this JVM has made (for tests and diagnostics: it grows only on first use). */
    public static long elementPlansMade() {
        return ELEMENT_PLANS_MADE.get();
    }

    public String name() {
        return resource.name();
    }

    List<ColumnPlan> columns() {
        return columns;
    }

    List<ColumnPlan> primaryKey() {
        return primaryKey;
    }

    /** The layout of rows holding every attribute. */
    RowLayout layout() {
        return layout;
    }

    Codec[] codecs() {
        return codecs;
    }

    /** The layout of rows holding only the primary key. */
    RowLayout keyLayout() {
        return keyLayout;
    }

    Codec[] keyCodecs() {
        return keyCodecs;
    }

    /** The primary key's columns, quoted, comma-separated; empty when the resource has none. */
    String keyList() {
        return keyList;
    }

    /** A stored row reduced to its primary key fields, with the same tenant. */
    Row keyOf(Row row) {
        Object[] values = new Object[primaryKey.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(primaryKey.get(i).name());
        }
        return Rows.withTenant(Rows.create(keyLayout, values), row.tenant().orElse(null));
    }

    /** The version counter of optimistic concurrency, or null when the resource has none. */
    ColumnPlan version() {
        return version;
    }

    /** The attribute set to the user who created a record ({@code createdBy(...)}), or null. */
    ColumnPlan createdBy() {
        return createdBy;
    }

    /**
     * Whether updates leave the column as stored, writing it only when a record is created: who created the record,
     * or an attribute declared {@code updatable(false)}.
     */
    boolean createOnly(ColumnPlan column) {
        return createOnly.contains(column);
    }

    /** The columns updates leave as stored ({@link #createOnly(ColumnPlan)}), worked out once; usually none. */
    List<ColumnPlan> createOnlyColumns() {
        return createOnly;
    }

    /** The attribute set to the user who last wrote a record ({@code modifiedBy(...)}), or null. */
    ColumnPlan modifiedBy() {
        return modifiedBy;
    }

    /** The attribute a destroy sets instead of deleting the row ({@code softDelete(...)}), or null. */
    ColumnPlan softDelete() {
        return softDelete;
    }

    /**
     * The value a write gives the version: the known one plus 1 when the row holds it (the write checks it is still the
     * stored one), otherwise the stored one plus 1; a timestamp moves to the statement's clock, or 1µs past the stored
     * value when that is not later (two writes in one transaction, or a clock set back), so that it always changes.
     */
    Object nextVersion(Object known) {
        if (MOVED.contains(version.codec())) {
            // clock_timestamp(), not now(): now() is the transaction's start, the same for each of its writes.
            String clock = version.codec() == ScalarCodec.TIMESTAMP ? "clock_timestamp()::timestamp"
                    : "clock_timestamp()";
            return Atomic.sql("greatest(" + clock + ", " + version.quoted() + " + interval '1 microsecond')");
        }
        return known == null ? Atomic.add(1) : ((Number) known).longValue() + 1;
    }

    /** Every column, quoted, comma-separated, in attribute order. */
    String columnList() {
        return columnList;
    }

    /**
     * Every column as it is compared ({@link ColumnPlan#compared}), named as itself, in attribute order, for rows
     * that set operators compare whole; null when every column is compared as it is stored.
     */
    String comparedColumnList() {
        return comparedColumnList;
    }

    /** The table, qualified by the schema a query hook chose, else by the resource's own. */
    String table(String schema) {
        return schema == null ? ownTable : Identifiers.qualify(schema, resource.table());
    }

    /** Whether the resource's records are stored across its parent's table and its own ({@code extending}). */
    boolean joined() {
        return resource.tableOptions().extending() != null;
    }

    /**
     * What a read names as the resource's rows: its table, or for a resource that extends another the join of the
     * tables of its chain, root first, {@code (SELECT "ashlar_0"."id", "ashlar_0"."name", "ashlar_1"."breed" FROM
     * "animals" AS "ashlar_0" JOIN "dogs" AS "ashlar_1" ON "ashlar_0"."id" = "ashlar_1"."id")}, which PostgreSQL reads
     * as a view, pushing the read's conditions into every table.
     */
    String rows(String schema) {
        if (!joined()) {
            return table(schema);
        }
        StringBuilder sql = new StringBuilder("(SELECT ");
        String separator = "";
        for (ColumnPlan column : columns) {
            sql.append(separator).append(JoinedTables.alias(JoinedTables.storing(resource, column.attribute())))
                    .append('.').append(column.quoted());
            separator = ", ";
        }
        List<JoinedTables.Table> tables = JoinedTables.of(resource, schema);
        sql.append(" FROM ").append(tables.get(0).sql()).append(" AS ").append(JoinedTables.alias(0));
        for (int level = 1; level < tables.size(); level++) {
            sql.append(" JOIN ").append(tables.get(level).sql()).append(" AS ").append(JoinedTables.alias(level))
                    .append(" ON ");
            separator = "";
            for (ColumnPlan key : primaryKey) {
                sql.append(separator).append(JoinedTables.alias(0)).append('.').append(key.quoted()).append(" = ")
                        .append(JoinedTables.alias(level)).append('.').append(key.quoted());
                separator = " AND ";
            }
        }
        return sql.append(')').toString();
    }

    /**
     * The codec that binds a value of SQL written by hand as the stored form of the resource's attributes whose
     * converter takes its Java type ({@code Filter.sql("status = ?", Status.PAID)} on an ordinal), or null when none
     * does, or the value binds by its own type (a Boolean stays a boolean, though a Y/N attribute converts one).
     * Attributes converting the type differently leave no stored form to choose: refused.
     */
    Codec converted(Object value) {
        if (value == null || Codecs.bindsByType(value)) {
            return null;
        }
        ColumnPlan found = null;
        for (ColumnPlan column : columns) {
            if (column.attribute().converter() == null || !column.attribute().converter().javaType().isInstance(value)) {
                continue;
            }
            if (found != null && found.attribute().converter() != column.attribute().converter()) {
                throw QueryException.of(name(), null, "A value of SQL written by hand on " + name() + " is a "
                        + value.getClass().getSimpleName() + ", which " + found.name() + " and " + column.name()
                        + " store by different converters: bind the stored value itself");
            }
            found = found == null ? column : found;
        }
        return found == null ? null : found.codec();
    }

    /**
     * The column of an attribute.
     *
     * @throws AshlarException with {@link ErrorCode#INVALID_QUERY} naming the valid attributes
     */
    ColumnPlan column(String field) {
        ColumnPlan column = byName.get(field);
        if (column == null && isDerived(field)) {
            throw QueryException.of(name(), field, "'" + field + "' is " + (resource.aggregate(field).isPresent()
                    ? "an aggregate of " + name() + ", computed from its related records"
                    : "a calculation of " + name() + ", computed from its stored row") + ": load or select it, filter "
                    + "and sort by it, or be distinct by it; it cannot be written");
        }
        if (column == null) {
            List<String> derived = java.util.stream.Stream.concat(resource.calculations().stream().map(c -> c.name()),
                    resource.aggregates().stream().map(a -> a.name())).toList();
            throw QueryException.of(name(), field, "Resource '" + name() + "' has no attribute '" + field
                    + "'" + ClosestName.hint(field, layout.fields()) + "; its attributes are " + layout.fields()
                    + (derived.isEmpty() ? "" : ", its calculations and aggregates (which select, values and "
                    + "distinct take, and writes do not) " + derived));
        }
        return column;
    }

    /**
     * Refuses a change that takes the value of a field ({@code Atomic.of}) the resource does not have: neither a
     * declared calculation or aggregate nor an attribute.
     */
    void refuseUnknownTaken(ColumnPlan changed, String field) {
        if (isPath(field)) {
            // A path through relationships is checked as it is rendered, where the relationships are known; one that
            // starts at an attribute (JSON or composite) is not such a path.
            String attribute = field.substring(0, field.indexOf('.'));
            if (hasAttribute(attribute)) {
                throw QueryException.of(name(), changed.name(), "'" + changed.name() + "' of " + name() + " is set "
                        + "to Atomic.of(\"" + field + "\"), which takes an attribute through relationships, but '"
                        + attribute + "' is an attribute of " + name() + ", not a relationship: compute a value "
                        + "inside it with Atomic.sql(...), e.g. Atomic.sql(\"" + attribute + " -> '"
                        + field.substring(attribute.length() + 1) + "'\") for JSON");
            }
        } else if (!isDerived(field) && !hasAttribute(field)) {
            throw QueryException.of(name(), changed.name(), "'" + changed.name() + "' of " + name() + " is set to "
                    + "Atomic.of(\"" + field + "\"), but " + name() + " has no calculation, aggregate or attribute '"
                    + field + "': its calculations are " + resource.calculations().stream().map(c -> c.name()).toList()
                    + ", its aggregates " + resource.aggregates().stream().map(a -> a.name()).toList()
                    + ", its attributes " + layout.fields() + ". Name one of them, or compute the value with "
                    + "Atomic.sql(...)");
        }
    }

    /** Whether {@code Atomic.of(field)} names a path through relationships ({@code "author.name"}). */
    static boolean isPath(String field) {
        return field.indexOf('.') > 0;
    }

    /** Whether the resource declares an aggregate or a calculation of that name. */
    boolean isDerived(String field) {
        return resource.aggregate(field).isPresent() || resource.calculation(field).isPresent();
    }

    /** The attribute a column named by the database stores, for its errors; the name itself when none does. */
    String fieldOf(String column) {
        return column == null ? null : byColumn.getOrDefault(column, column);
    }

    /** Whether one of the resource's columns has that name, which may differ from every attribute's. */
    boolean hasColumn(String column) {
        return byColumn.containsKey(column);
    }

    /** Whether the resource has an attribute of that name. */
    boolean hasAttribute(String name) {
        return byName.containsKey(name);
    }

    /** The identity a unique index was made for, by the index's name. */
    Optional<Identity> identityByIndex(String indexName) {
        return Optional.ofNullable(identitiesByIndex.get(indexName));
    }

    /** The columns a tenant's scope fixes: creates set them, updates may not change them, upserts never overwrite them. */
    List<ColumnPlan> tenantColumns() {
        return tenantColumns;
    }

    /** The columns of an identity's unique index: an upsert's conflict target. */
    List<String> identityColumns(Identity identity) {
        return identityColumns.apply(identity);
    }

    /**
     * The identity an upsert targets.
     *
     * @throws AshlarException with {@link ErrorCode#INVALID_QUERY} naming the identities there are
     */
    Identity identity(String identityName) {
        if (identityName.equals(Upsert.PRIMARY_KEY) && resource.identity(identityName).isEmpty()
                && !primaryKey().isEmpty()) {
            // Unique across tenants, as a primary key is: an upsert on it is guarded by the tenant.
            return new Identity(Upsert.PRIMARY_KEY, primaryKey().stream().map(ColumnPlan::name).toList(), null, true);
        }
        return resource.identity(identityName).orElseThrow(() -> QueryException.of(name(), identityName,
                "Resource '" + name() + "' has no identity '" + identityName + "'; it has "
                        + resource.identities().stream().map(Identity::name).toList()));
    }

    /** The first calculation an identity holds (its unique index holds the expression), if any. */
    Optional<String> calculationIn(Identity identity) {
        return identity.fields().stream().filter(field -> resource.calculation(field).isPresent()).findFirst();
    }

    /**
     * A caller's value for a column, checked and converted.
     *
     * @throws InvalidDataException naming the field when the value does not fit its type
     */
    Object toDatabase(ColumnPlan column, Object value, String action) {
        return toDatabase(column, value, action, false);
    }

    /** As {@link #toDatabase}; in a bulk write, leaving out the checks the codec makes for all values at once. */
    Object toDatabase(ColumnPlan column, Object value, String action, boolean inBulk) {
        try {
            Codec codec = column.codec();
            return value == null ? null : inBulk ? codec.toDatabaseInBulk(value) : codec.toDatabase(value);
        } catch (Codec.RejectedValue e) {
            throw new InvalidDataException(name(), action, List.of(new FieldError(column.name(), e.getMessage())),
                    null, null);
        }
    }

    /**
     * A value a write stores in the column: converted as {@link #toDatabase} converts it, then refused, naming the
     * field, when it breaks the attribute's {@link dev.ashlar.api.resource.ValueConstraints}. Atomic
     * amounts and versions are converted without it, since they are no value the attribute will hold.
     */
    Object storedValue(ColumnPlan column, Object value, String action, boolean inBulk) {
        // Converted first, so a value of the wrong kind (a list for text) is refused as that, not by a constraint.
        Object stored = toDatabase(column, value, action, inBulk);
        // A stream's constraints are checked on what it read, the only value it has.
        String problem = column.attribute().constraints().problem(StreamValues.isStream(value) ? stored : value);
        if (problem != null) {
            throw new InvalidDataException(name(), action, List.of(new FieldError(column.name(), problem)), null,
                    null);
        }
        return stored;
    }

    /** A filter value for a column, checked and converted; a misfit is a malformed query. */
    Object filterValue(ColumnPlan column, Codec codec, Object value) {
        try {
            return codec.toDatabase(value);
        } catch (Codec.RejectedValue e) {
            throw QueryException.of(name(), column.name(), "Filter on " + name() + "." + column.name() + ": "
                    + "the value " + e.getMessage());
        }
    }

    /**
     * A value a comparison or {@code in} binds: as the codec's type, or, when it lies past that type's bounds
     * ({@code rating < 3000000000} on an integer, {@code amount < 1000} on {@code numeric(5,2)}, a {@code varchar(20)}
     * compared with longer text), as the wider type the server compares it with. A value of the wrong kind is
     * refused as {@link #filterValue} refuses it.
     */
    Bind comparedValue(ColumnPlan column, Codec codec, Object value) {
        return comparedValue(column.name(), codec, value, null);
    }

    /**
     * {@link #comparedValue(ColumnPlan, Codec, Object)} for a field of this resource's or of a record it reaches
     * ({@code writer.name}), refused in words that start with {@code what}.
     *
     * @param what the start of the refusal, or null for {@code Filter on <resource>.<field>} (written only on a refusal,
     *             not for every comparison rendered)
     */
    Bind comparedValue(String field, Codec codec, Object value, String what) {
        try {
            return Bind.compared(codec, value);
        } catch (Codec.RejectedValue e) {
            throw QueryException.of(name(), field, (what != null ? what : "Filter on " + name() + "." + field)
                    + ": the value " + e.getMessage());
        }
    }
}
