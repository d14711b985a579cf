package dev.ashlar.api.resource;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;

import java.util.List;
import java.util.Optional;

/**
 * An immutable description of one table and what is stored in it: the unit Ashlar generates
 * migrations for and serves data from. Built with {@link #builder(String)}; its relationships are
 * resolved when it joins a {@link Domain}.
 *
 * <pre>{@code
 * Resource tweet = Resource.builder("tweet")
 *         .table("tweets")
 *         .primaryKey("id")
 *         .attribute("text", TEXT)
 *         .belongsTo("author", "user")
 *         .build();
 * }</pre>
 *
 * @param name          the resource's name, unique in its domain
 * @param table         the table's name
 * @param schema        the table's schema, or {@code null} for the connection's default ({@code public})
 * @param attributes    the attributes in declaration order, including keys added by belongs-to relationships
 * @param identities    named unique attribute sets
 * @param relationships links to other resources
 * @param extensions    plugin sections
 * @param tableOptions  how the table is migrated ({@link TableOptions#DEFAULT} unless told otherwise)
 * @param knownConstraints constraints created elsewhere whose violations Ashlar maps to field errors
 * @param baseFilter    the filter every read applies, or {@code null}
 * @param aggregates    values computed over related records, used by name
 * @param calculations  values computed in SQL from each record's own row, used by name
 * @param optimisticLock the attribute that versions the resource's records ({@link ResourceBuilder#optimisticLock}),
 *                      or {@code null} for the one {@code Ashlar.builder().optimisticLock(...)} names
 * @param authorship    the attributes that record who created and who last modified a record, or {@code null}
 * @param softDelete    the attribute a destroy sets instead of deleting the row ({@link ResourceBuilder#softDelete}),
 *                      or {@code null} for destroys that delete
 * @param softDeleteClears whether that attribute is a flag a destroy clears ({@link ResourceBuilder#softDeleteClearing},
 *                      records live while it is true) rather than a mark it sets
 */
public record Resource(String name, String table, String schema, List<Attribute> attributes,
                       List<Identity> identities, List<Relationship> relationships, List<Extension> extensions,
                       TableOptions tableOptions, List<KnownConstraint> knownConstraints, BaseFilter baseFilter,
                       List<Aggregate> aggregates, List<Calculation> calculations, String optimisticLock,
                       Authorship authorship, String softDelete, boolean softDeleteClears) {

    public Resource {
        attributes = List.copyOf(attributes);
        identities = List.copyOf(identities);
        relationships = List.copyOf(relationships);
        extensions = List.copyOf(extensions);
        tableOptions = tableOptions == null ? TableOptions.DEFAULT : tableOptions;
        knownConstraints = List.copyOf(knownConstraints);
        aggregates = aggregates == null ? List.of() : List.copyOf(aggregates);
        calculations = calculations == null ? List.of() : List.copyOf(calculations);
    }

    /** A resource versioned, if at all, by the project-wide optimistic lock. */
    public Resource(String name, String table, String schema, List<Attribute> attributes, List<Identity> identities,
                    List<Relationship> relationships, List<Extension> extensions, TableOptions tableOptions,
                    List<KnownConstraint> knownConstraints, BaseFilter baseFilter, List<Aggregate> aggregates,
                    List<Calculation> calculations) {
        this(name, table, schema, attributes, identities, relationships, extensions, tableOptions, knownConstraints,
                baseFilter, aggregates, calculations, null, null, null, false);
    }

    /** A resource without calculations. */
    public Resource(String name, String table, String schema, List<Attribute> attributes, List<Identity> identities,
                    List<Relationship> relationships, List<Extension> extensions, TableOptions tableOptions,
                    List<KnownConstraint> knownConstraints, BaseFilter baseFilter, List<Aggregate> aggregates) {
        this(name, table, schema, attributes, identities, relationships, extensions, tableOptions, knownConstraints,
                baseFilter, aggregates, List.of());
    }

    /** A resource without aggregates or calculations. */
    public Resource(String name, String table, String schema, List<Attribute> attributes, List<Identity> identities,
                    List<Relationship> relationships, List<Extension> extensions, TableOptions tableOptions,
                    List<KnownConstraint> knownConstraints, BaseFilter baseFilter) {
        this(name, table, schema, attributes, identities, relationships, extensions, tableOptions, knownConstraints,
                baseFilter, List.of());
    }

    /** A resource whose table is migrated with no options, no known constraints and no base filter. */
    public Resource(String name, String table, String schema, List<Attribute> attributes,
                    List<Identity> identities, List<Relationship> relationships, List<Extension> extensions) {
        this(name, table, schema, attributes, identities, relationships, extensions, TableOptions.DEFAULT, List.of(),
                null);
    }

    /**
     * What separates a polymorphic resource's name from one of its tables in the name of the resource stored there:
     * {@code comment@post_comments}.
     */
    public static final char TABLE_SEPARATOR = Query.TABLE_SEPARATOR;

    /**
     * The name under which a domain serves the records of a polymorphic resource stored in one of its tables:
     * {@code inTable("comment", "post_comments")} is {@code "comment@post_comments"}. Every action that takes a
     * resource's name takes it ({@code ashlar.create(Resource.inTable("comment", "post_comments"), values)}), and
     * rows read there carry it, so that updating or destroying them reaches the same table. Naming a table the
     * domain does not declare for the resource is refused.
     *
     * @param resource a polymorphic resource's name (a name that already names a table is taken without it)
     * @param table    one of the tables the domain declares for it
     */
    public static String inTable(String resource, String table) {
        return Query.of(resource).withTable(table).resource();
    }

    /** A resource's name without the table {@link #inTable(String, String)} added to it: {@code comment}. */
    public static String withoutTable(String name) {
        int separator = name == null ? -1 : name.indexOf(TABLE_SEPARATOR);
        return separator < 0 ? name : name.substring(0, separator);
    }

    /** Starts a resource definition; the table defaults to the resource's name. */
    public static ResourceBuilder builder(String name) {
        return new ResourceBuilder(name);
    }

    public Optional<Attribute> attribute(String attributeName) {
        return attributes.stream().filter(a -> a.name().equals(attributeName)).findFirst();
    }

    /**
     * Whether the resource's own table stores the attribute: every one, unless the resource extends a parent (joined
     * inheritance, {@link ResourceBuilder#extending(String)}), whose table stores the parent's attributes, the key
     * apart. An index, key or check over the others belongs on the parent's table.
     */
    public boolean storedInOwnTable(Attribute attribute) {
        Extending extending = tableOptions.extending();
        return extending == null || attribute.primaryKey() || !extending.columns().contains(attribute.columnName());
    }

    /** The parent whose table stores the named attribute, or null when the resource's own table does (or none). */
    public String parentStoring(String attributeName) {
        return attribute(attributeName).filter(a -> !storedInOwnTable(a))
                .map(a -> tableOptions.extending().storing(a.columnName()).parent()).orElse(null);
    }

    /**
     * The column that stores an attribute ({@link Attribute#columnName()}), for whoever writes SQL about the resource;
     * a name that is no attribute of the resource is returned as it is.
     */
    public String columnOf(String attributeName) {
        return attribute(attributeName).map(Attribute::columnName).orElse(attributeName);
    }

    /** The columns of these attributes, in the same order (see {@link #columnOf(String)}). */
    public List<String> columnsOf(List<String> attributeNames) {
        return attributeNames.stream().map(this::columnOf).toList();
    }

    public Optional<Relationship> relationship(String relationshipName) {
        return relationships.stream().filter(r -> r.name().equals(relationshipName)).findFirst();
    }

    /** The aggregate of that name, if the resource declares one. */
    public Optional<Aggregate> aggregate(String aggregateName) {
        return aggregates.stream().filter(a -> a.name().equals(aggregateName)).findFirst();
    }

    /** The calculation of that name, if the resource declares one. */
    public Optional<Calculation> calculation(String calculationName) {
        return calculations.stream().filter(c -> c.name().equals(calculationName)).findFirst();
    }

    public Optional<Identity> identity(String identityName) {
        return identities.stream().filter(i -> i.name().equals(identityName)).findFirst();
    }

    /** The constraint of that name Ashlar maps but does not create, if there is one. */
    public Optional<KnownConstraint> knownConstraint(String constraintName) {
        return knownConstraints.stream().filter(c -> c.name().equals(constraintName)).findFirst();
    }

    /** The attribute set to the user who created a record, or {@code null}. */
    public String createdBy() {
        return authorship == null ? null : authorship.createdBy();
    }

    /** The attribute set to the user who last wrote a record, or {@code null}. */
    public String modifiedBy() {
        return authorship == null ? null : authorship.modifiedBy();
    }

    /** The primary-key attributes, in declaration order. */
    public List<Attribute> primaryKey() {
        return attributes.stream().filter(Attribute::primaryKey).toList();
    }

    /** The plugin section of the given type, if the resource has one. */
    public <T extends Extension> Optional<T> extension(Class<T> type) {
        return extensions.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The schema the table lives in, {@code public} when none was given. */
    public String schemaOrDefault() {
        return schema == null ? "public" : schema;
    }

    /**
     * Whether the resource is polymorphic: it has no table of its own, and the domain serves it once per table its
     * relationships and its own declaration name ({@link ResourceBuilder#polymorphic(String...)}).
     */
    public boolean polymorphic() {
        return tableOptions.polymorphic();
    }

    /**
     * This polymorphic resource as stored in one of its tables: named {@link #inTable(String, String)}, with every
     * attribute, identity, relationship and plugin section; used when the domain is built.
     */
    public Resource storedIn(String newTable) {
        return new Resource(inTable(name, newTable), newTable, schema, attributes, identities, relationships,
                extensions, tableOptions.inPolymorphicTable(newTable), knownConstraints, baseFilter, aggregates,
                calculations, optimisticLock, authorship, softDelete, softDeleteClears);
    }

    /**
     * The records a soft delete has not marked: for {@link ResourceBuilder#softDelete} its attribute nil, or for a
     * boolean one nil or false; for {@link ResourceBuilder#softDeleteClearing} its flag true. Null when the
     * resource's destroys delete.
     */
    public Filter notSoftDeleted() {
        return softDelete == null ? null : notMarked(softDelete,
                attribute(softDelete).map(a -> a.type() == Type.BOOLEAN).orElse(false), softDeleteClears);
    }

    /**
     * The records whose soft-delete mark {@code attribute} is not set; {@code flag} when it is a boolean, {@code
     * clears} when a destroy clears it, so that only true is live (a null counts as deleted).
     */
    static Filter notMarked(String attribute, boolean flag, boolean clears) {
        return clears ? Filter.eq(attribute, true)
                : flag ? Filter.or(Filter.isNil(attribute), Filter.eq(attribute, false)) : Filter.isNil(attribute);
    }

    /** The same resource with resolved attributes and relationships; used when the domain is built. */
    public Resource withAttributesAndRelationships(List<Attribute> newAttributes, List<Relationship> newRelationships) {
        return new Resource(name, table, schema, newAttributes, identities, newRelationships, extensions, tableOptions,
                knownConstraints, baseFilter, aggregates, calculations, optimisticLock, authorship, softDelete,
                softDeleteClears);
    }
}
