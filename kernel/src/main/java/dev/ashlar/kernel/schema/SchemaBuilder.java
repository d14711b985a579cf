package dev.ashlar.kernel.schema;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.kernel.plugin.Tenancies;
import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.Default;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.HasMany;
import dev.ashlar.api.resource.HasOne;
import dev.ashlar.api.resource.Identity;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.spi.schema.Ddl;
import dev.ashlar.spi.schema.ObjectKey;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.spi.schema.Target;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns a domain and its plugins into the schema the database should have. */
public final class SchemaBuilder {
    private static final String UNSAFE_TRIGGERS = "SET LOCAL citus.enable_unsafe_triggers = on;\n";
    private static final Pattern TRIGGER = Pattern.compile("(?i)\\bCREATE\\s+(OR\\s+REPLACE\\s+)?(CONSTRAINT\\s+)?TRIGGER\\b");
    private final Domain domain;
    private final Plugins plugins;
    private final Tenancies tenancies;
    private final Target target;

    public SchemaBuilder(Domain domain, Plugins plugins) {
        this(domain, plugins, Target.POSTGRESQL);
    }

    /** On {@link Target#CITUS}, a table with a tenant column has it in its primary key, which Citus requires. */
    public SchemaBuilder(Domain domain, Plugins plugins, Target target) {
        this.domain = domain;
        this.plugins = plugins;
        this.tenancies = plugins.tenancies(domain);
        this.target = target;
    }

    public DesiredSchema build() {
        plugins.check(domain);
        JoinedKey.checkTenancy(domain, tenancies);
        List<Table> tables = new ArrayList<>();
        Set<String> unmigrated = new HashSet<>();
        Map<String, Set<String>> ignored = new HashMap<>();
        Map<SchemaName, SchemaObject> claimed = new HashMap<>();
        Map<SchemaName, String> objectOwners = new HashMap<>();
        for (Resource resource : domain.resources()) {
            Scope scope = tenancies.placement(resource);
            String schema = scope == Scope.MAIN ? resource.schemaOrDefault() : null;
            if (!resource.tableOptions().migrated()) {
                unmigrated.add(ObjectKey.ofTable(scope, schema, resource.table()).toString());
                continue;
            }
            resource.tableOptions().migrationIgnore().forEach(a -> ignored.computeIfAbsent(
                    ObjectKey.ofTable(scope, schema, resource.table()).toString(), k -> new HashSet<>())
                    .add(resource.attribute(a).orElseThrow().columnName()));
            Context context = new Context(resource, scope);
            List<SchemaObject> objects = new ArrayList<>(identityIndexes(context));
            TimestampTrigger.of(context).ifPresent(objects::add);
            JoinedKey.of(context, domain).ifPresent(objects::add);
            for (SchemaObject object : objects) {
                claim(objectOwners, claimed, context, object, "the kernel (identity)");
            }
            for (SchemaContributor plugin : plugins.contributors()) {
                for (SchemaObject object : contribute(plugin, context)) {
                    claim(objectOwners, claimed, context, object, "plugin '" + Plugins.idOf(plugin) + "'");
                    objects.add(forTarget(object));
                }
            }
            if (target == Target.CITUS && (scope == Scope.TENANT || objects.stream()
                    .anyMatch(o -> o.kind().equals(ObjectKind.DISTRIBUTION)))) {
                objects.forEach(object -> CitusStatements.check(resource, object));
            }
            Table table = new Table(scope, schema, resource.table(), resource.name(), columns(resource, schema),
                    resource.columnsOf(primaryKey(resource)), objects, resource.tableOptions().createTableOptions());
            tables.addAll(HistoryTables.of(context, table));
            DraftTables.of(context, table).ifPresent(tables::add);
        }
        NativeEnums.check(domain.name(), tables);
        CompositeTypes.check(domain.name(), tables);
        tables = new ArrayList<>(SharedTables.merge(domain.name(), tables));
        RelationNames.check(domain.name(), tables);
        // Main tables first, then tenant tables, each in the domain's order, which is how people read them.
        tables.sort(Comparator.comparing(Table::scope));
        tables.forEach(t -> unmigrated.remove(t.key()));
        return new DesiredSchema(tables, domain.extensions(), unmigrated, ignored);
    }

    private static List<SchemaObject> contribute(SchemaContributor plugin, SchemaContext context) {
        String resource = context.resource().name();
        try {
            return plugin.schemaObjects(context);
        } catch (DefinitionException e) {
            // A name over 63 bytes and the like: say which resource and plugin section it comes from.
            throw new DefinitionException(context.domain().name(), e.problems().stream()
                    .map(p -> new Problem(resource, p.field(), p.message() + " (in the '" + Plugins.idOf(plugin)
                            + "' section; set a shorter name there)"))
                    .toList());
        } catch (AshlarException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PluginException("Plugin '" + Plugins.idOf(plugin) + "' failed while describing resource '" + resource
                    + "': " + e, resource, e);
        }
    }

    /**
     * Object names share one namespace per schema in PostgreSQL (indexes do), so two owners may not reuse one;
     * resources sharing a table may declare the same object (an identity) twice.
     */
    private static void claim(Map<SchemaName, String> owners, Map<SchemaName, SchemaObject> claimed, Context context,
                              SchemaObject object, String owner) {
        SchemaName key = new SchemaName(context.scope, context.scope == Scope.MAIN
                ? context.resource.schemaOrDefault() : null, object.name());
        String previous = owners.putIfAbsent(key, owner + " on resource '" + context.resource.name() + "'");
        SchemaObject same = claimed.putIfAbsent(key, object);
        if (previous != null && !same.sameAs(object)) {
            throw new PluginException("The name '" + object.name() + "' is used twice: by " + previous + " and by "
                    + owner + " on resource '" + context.resource.name() + "'. Give one of them another name: an identity's "
                    + "indexName(...), or the name(...) of a check, index or reference.",
                    context.resource.name(), null);
        }
    }

    /** A name in a schema's namespace: a main schema's, or that of every tenant schema. */
    private record SchemaName(Scope scope, String schema, String name) {
    }

    /**
     * The migrated columns: ignored attributes left out, migration types and defaults in place of derived ones. From
     * here on the schema speaks of columns; the attribute each stores is kept for the differ to follow renames.
     */
    private static List<Column> columns(Resource resource, String schema) {
        return columns(resource, resource.attributes(), schema);
    }

    /** {@link #columns(Resource, String)} of some of the resource's attributes: those stored only in drafts. */
    static List<Column> columns(Resource resource, List<Attribute> attributes, String schema) {
        List<String> ignored = resource.tableOptions().migrationIgnore();
        return attributes.stream().filter(a -> !ignored.contains(a.name()))
                .filter(resource::storedInOwnTable)
                .map(a -> new Column(a.columnName(), sqlType(a, schema), a.nullable(), defaultSql(a, schema), a.generated(),
                        false, a.name(), enumType(a), compositeType(a),
                        IdentitySequence.of(a.column().identityStart(), a.column().identityIncrement())))
                .toList();
    }

    /** @param schema the table's schema, or null in tenant schemas, which names a native enum type bare */
    private static String sqlType(Attribute attribute, String schema) {
        String override = attribute.column().migrationType();
        if (override != null) {
            return override;
        }
        if (enumType(attribute) != null) {
            return Identifiers.qualify(schema, enumType(attribute).name());
        }
        if (attribute.type() instanceof Type.Composite composite) {
            return Identifiers.qualify(schema, composite.typeName());
        }
        return schema == null ? SqlTypes.inTenantSchema(attribute.type()) : SqlTypes.of(attribute.type());
    }

    /** The composite type the attribute is stored in, unless its migration type says another. */
    private static CompositeType compositeType(Attribute attribute) {
        if (!(attribute.type() instanceof Type.Composite composite) || attribute.column().migrationType() != null) {
            return null;
        }
        return new CompositeType(composite.typeName(), composite.fields().stream()
                .map(f -> new CompositeType.Field(f.name(), SqlTypes.of(f.type()))).toList());
    }

    /** The native enum type the attribute is stored in, unless its migration type says another. */
    private static EnumType enumType(Attribute attribute) {
        return attribute.type() instanceof Type.Enumerated e && e.isNative()
                && attribute.column().migrationType() == null ? new EnumType(e.nativeType(), e.values()) : null;
    }

    /**
     * The SQL of an attribute's column default, or null when it has none: its migration default, else its declared
     * default, written as migrations write it.
     *
     * @param schema the schema its enum or composite type lives in, or null for the session's search path
     */
    public static String defaultSql(Attribute attribute, String schema) {
        Default value = attribute.defaultValue();
        // An expression is written into the column's line of CREATE TABLE, followed by more of the statement.
        if (attribute.column().migrationDefault() != null) {
            return Ddl.fragment(attribute.column().migrationDefault());
        }
        if (value == null) {
            return null;
        }
        if (value instanceof Default.Expression expression) {
            return Ddl.fragment(expression.sql());
        }
        Object constant = ((Default.Value) value).value();
        return SqlLiterals.of(constant) + (SqlLiterals.needsArrayCast(constant, attribute.type()) ? "::" + sqlType(attribute, schema) : "");
    }

    private List<SchemaObject> identityIndexes(Context context) {
        List<SchemaObject> indexes = new ArrayList<>();
        for (Identity identity : context.resource.identities()) {
            if (!identity.skipIndex()) {
                indexes.add(IdentityIndex.of(context, identity, identityColumns(context.resource, identity)));
            }
        }
        if (tenantKeyReferenced(context.resource)) {
            indexes.add(uniqueIndex(context, tenantKeyName(context.resource),
                    context.resource.columnsOf(tenantKey(context.resource))));
        }
        return indexes;
    }

    /**
     * The name of the (tenant, primary key) index, refused over 63 bytes naming the resource and the fix: the
     * domain checks only the names every table gets, and this one exists only once a key matches the tenant.
     */
    private static String tenantKeyName(Resource resource) {
        String name = Names.tenantKey(resource.table());
        String problem = Names.tableDerivedProblem("the unique index of (tenant, primary key) that keys matching the "
                + "tenant need", resource.table(), name);
        if (problem != null) {
            throw DefinitionException.of(resource.name(), "table", problem);
        }
        return name;
    }

    static SchemaObject uniqueIndex(SchemaContext context, String name, List<String> fields) {
        return SchemaObject.builder(name, ObjectKind.IDENTITY)
                .definition(Map.of("fields", fields, "unique", true))
                .up(Ddl.createUniqueIndex(name, context.tableSql(), fields))
                .down(Ddl.dropIndex(context.objectSql(name)))
                .onExistingTable(SchemaObject.OnExistingTable.concurrently(
                        Ddl.createIndexConcurrently(name, context.tableSql(), fields, true),
                        Ddl.dropIndexConcurrently(context.objectSql(name))))
                .build();
    }

    /**
     * On Citus, a trigger on a distributed table is refused unless {@code citus.enable_unsafe_triggers}
     * is on for the statement that creates it, and for the one that drops it (the down); the trigger then
     * fires on the worker and moves with the table.
     */
    private SchemaObject forTarget(SchemaObject object) {
        boolean trigger = object.kind().equals(ObjectKind.TRIGGER) || TRIGGER.matcher(object.up()).find();
        if (target != Target.CITUS || !trigger) {
            return object;
        }
        // Dropping the trigger touches every shard; in sequential mode the down may then drop its function too.
        String down = object.down();
        return object.toBuilder().up(UNSAFE_TRIGGERS + object.up()).down(down == null || down.isBlank() ? down
                : UNSAFE_TRIGGERS + "SET LOCAL citus.multi_shard_modify_mode = 'sequential';\n" + down).build();
    }

    /** The table's primary key: on Citus led by the tenant columns, the distribution column being among them. */
    private List<String> primaryKey(Resource resource) {
        return distributedByColumn(resource) ? tenantKey(resource)
                : resource.primaryKey().stream().map(Attribute::name).toList();
    }

    /**
     * The columns of an identity's unique index. Citus creates no unique index without the distribution
     * column: on a table distributed by its tenant column, an identity across all tenants on the primary key
     * is unique by {@code (tenant, key)} (upserts on it say so too), and any other is refused.
     */
    private List<String> identityColumns(Resource resource, Identity identity) {
        List<String> columns = tenancies.identityColumns(resource, identity);
        if (!distributedByColumn(resource) || columns.containsAll(tenancies.columns(resource))) {
            return columns;
        }
        if (identity.fields().equals(resource.primaryKey().stream().map(Attribute::name).toList())) {
            return tenantKey(resource);
        }
        throw DefinitionException.of(resource.name(), identity.name(), "Identity '" + identity.name()
                + "' of resource '" + resource.name() + "' is unique across all tenants, which Citus cannot enforce on "
                + "a table distributed by " + tenancies.columns(resource) + " (a unique index there must include the "
                + "distribution column): make it unique per tenant (leave out allTenants), or keep the resource on one "
                + "server");
    }

    private boolean distributedByColumn(Resource resource) {
        return target == Target.CITUS && !tenancies.columns(resource).isEmpty();
    }

    /** A resource's primary key led by its tenant columns: unique, since the key alone is. */
    private List<String> tenantKey(Resource resource) {
        List<String> key = new ArrayList<>(tenancies.columns(resource));
        resource.primaryKey().stream().map(Attribute::name).filter(c -> !key.contains(c)).forEach(key::add);
        return key;
    }

    /**
     * Whether a tenant-column resource is referenced from a resource scoped by the same columns: a key
     * between them matches the tenant too, so (tenant, primary key) must be unique on their own index. Never for a
     * child of joined inheritance, or from one: its table holds no tenant column (its parent's does), and a key to
     * or from it is its key alone.
     */
    private boolean tenantKeyReferenced(Resource resource) {
        List<String> columns = tenancies.columns(resource);
        if (columns.isEmpty() || distributedByColumn(resource) || resource.tableOptions().extending() != null
                || resource.primaryKey().stream().map(Attribute::name).toList().containsAll(columns)) {
            return false;
        }
        return domain.resources().stream().filter(source -> tenancies.columns(source).equals(columns))
                .filter(source -> source.tableOptions().extending() == null)
                .flatMap(source -> source.relationships().stream())
                .anyMatch(r -> r instanceof BelongsTo belongsTo && belongsTo.destination().equals(resource.name()))
                || namesPolymorphicTableScopedAlike(resource, columns);
    }

    /**
     * Whether a has-many or has-one of the resource names a table of a polymorphic resource scoped by the same
     * columns: that table's key back to the resource (the references plugin's) matches the tenant too.
     */
    private boolean namesPolymorphicTableScopedAlike(Resource resource, List<String> columns) {
        return resource.relationships().stream()
                .filter(r -> (r instanceof HasMany || r instanceof HasOne) && !r.noAttributes())
                .flatMap(r -> domain.find(r.destination()).stream())
                .anyMatch(destination -> destination.polymorphic() && tenancies.columns(destination).equals(columns));
    }

    private final class Context implements SchemaContext {
        private final Resource resource;
        private final Scope scope;

        Context(Resource resource, Scope scope) {
            this.resource = resource;
            this.scope = scope;
        }

        @Override
        public Domain domain() {
            return domain;
        }

        @Override
        public Resource resource() {
            return resource;
        }

        @Override
        public Scope scope() {
            return scope;
        }

        @Override
        public String tableSql() {
            return tableSql(resource);
        }

        @Override
        public String tableSql(Resource other) {
            Scope otherScope = other == resource ? scope : tenancies.placement(other);
            return Identifiers.qualify(otherScope == Scope.MAIN ? other.schemaOrDefault() : null, other.table());
        }

        @Override
        public String objectSql(String name) {
            return Identifiers.qualify(scope == Scope.MAIN ? resource.schemaOrDefault() : null, name);
        }

        @Override
        public ObjectKey objectKey(Resource owner, String objectName) {
            return tableKey(owner).on(objectName);
        }

        @Override
        public Optional<ObjectKey> uniqueKeyObject(Resource owner, List<String> attributes) {
            if (primaryKey(owner).equals(attributes)
                    || owner.primaryKey().stream().map(Attribute::name).toList().equals(attributes)) {
                return Optional.of(tableKey(owner));
            }
            if (tenantKeyReferenced(owner) && tenantKey(owner).equals(attributes)) {
                return Optional.of(objectKey(owner, Names.tenantKey(owner.table())));
            }
            // Match the index's real columns: a tenant column may lead them.
            return owner.identities().stream()
                    .filter(i -> identityColumns(owner, i).equals(attributes) || i.fields().equals(attributes))
                    .findFirst()
                    .filter(i -> !i.skipIndex())
                    .map(i -> objectKey(owner, i.indexOn(owner.table())));
        }

        @Override
        public Target target() {
            return target;
        }

        @Override
        public List<String> identityScope() {
            return tenancies.columns(resource);
        }

        @Override
        public List<String> tenantColumns(Resource other) {
            return tenancies.columns(other);
        }

        @Override
        public String sqlType(Resource owner, String attribute) {
            Scope ownerScope = owner == resource ? scope : tenancies.placement(owner);
            String schema = ownerScope == Scope.MAIN ? owner.schemaOrDefault() : null;
            return owner.attribute(attribute).map(a -> SchemaBuilder.sqlType(a, schema)).orElseThrow(() ->
                    new PluginException("Resource '" + owner.name() + "' has no attribute '" + attribute + "'",
                            owner.name(), null));
        }

        private ObjectKey tableKey(Resource owner) {
            Scope ownerScope = owner == resource ? scope : tenancies.placement(owner);
            return ObjectKey.ofTable(ownerScope, owner.schemaOrDefault(), owner.table());
        }
    }
}
