package dev.ashlar.plugins.references;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.HasMany;
import dev.ashlar.api.resource.HasOne;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Names;

import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.Target;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A belongs-to relationship resolved into the key the database should have: which columns, what
 * they reference, under which name, with which options.
 *
 * @param owner        the resource whose table holds the key
 * @param relationship the belongs-to relationship
 * @param destination  the referenced resource
 * @param options      the relationship's entry in the references section, or the defaults
 * @param tenant       the tenant columns the key matches first (both resources are scoped by them); usually none
 * @param toSource     whether the key goes from a polymorphic resource's table to the resource whose has-many or
 *                     has-one names that table, its options coming from that resource's
 *                     {@link References#polymorphic()}; {@code relationship} then stands for that relationship seen
 *                     from the table, named after the source resource
 */
record ForeignKey(Resource owner, BelongsTo relationship, Resource destination, Reference options,
                  List<String> tenant, boolean toSource) {

    /**
     * The keys of a resource's belongs-to relationships, in declaration order, leaving out ignored ones and those a
     * child of joined inheritance takes from its parent, whose table holds the key's column and the key.
     */
    static List<ForeignKey> of(Domain domain, Resource owner) {
        Optional<References> section = owner.extension(References.class);
        List<ForeignKey> keys = new ArrayList<>();
        for (var relationship : owner.relationships()) {
            if (relationship instanceof BelongsTo belongsTo) {
                Reference options = section.flatMap(s -> s.find(belongsTo.name()))
                        .orElse(Reference.reference(belongsTo.name()));
                Optional<Resource> destination = domain.find(belongsTo.destination());
                if (!options.ignored() && destination.isPresent() && owner.parentStoring(belongsTo.attribute()) == null) {
                    keys.add(new ForeignKey(owner, belongsTo, destination.get(), options, List.of(), false));
                }
            }
        }
        return keys;
    }

    /**
     * The keys of one table of a polymorphic resource to the resources whose has-many or has-one relationships name
     * it ({@code r.table("post_comments")}), as AshPostgres generates them: the relationship's destination attribute
     * references its source attribute. None when the source opts out ({@link References#polymorphicIgnore()}), for a
     * relationship with no attributes, or when the source attribute is no key PostgreSQL could reference.
     */
    static List<ForeignKey> toSources(Domain domain, Resource owner) {
        Map<String, ForeignKey> keys = new LinkedHashMap<>();
        sourceKeys(domain, owner).forEach(key -> keys.putIfAbsent(key.name(), key));
        return List.copyOf(keys.values());
    }

    /**
     * Every key of {@link #toSources} before keys alike are merged: one per relationship naming the table, so that
     * the rules see two sources whose keys would share a column.
     */
    static List<ForeignKey> sourceKeys(Domain domain, Resource owner) {
        List<ForeignKey> keys = new ArrayList<>();
        if (!owner.polymorphic()) {
            return keys;
        }
        for (Resource source : domain.resources()) {
            Reference options = source.extension(References.class).map(References::polymorphic)
                    .orElse(Reference.reference(References.POLYMORPHIC));
            for (Relationship relationship : source.relationships()) {
                if ((relationship instanceof HasMany || relationship instanceof HasOne) && !options.ignored()
                        && !relationship.noAttributes() && relationship.destination().equals(owner.name())) {
                    BelongsTo seen = new BelongsTo(source.name(), source.name(), relationship.destinationAttribute(),
                            relationship.sourceAttribute(), true, false);
                    ForeignKey key = new ForeignKey(owner, seen, source, options, List.of(), true);
                    if (key.uniqueKey().isPresent()) {
                        keys.add(key);
                    }
                }
            }
        }
        return keys;
    }

    /** Every key of the domain held by the resources on this table (one resource, unless schemas differ). */
    static Stream<ForeignKey> onTable(Domain domain, String table) {
        return domain.resources().stream().filter(r -> r.table().equals(table))
                .flatMap(r -> Stream.concat(of(domain, r).stream(), toSources(domain, r).stream()));
    }

    /**
     * The same key matching the tenant columns first, when both resources are scoped by the same ones
     * (attribute tenancy), the reference does not opt out and does not match them itself already.
     */
    ForeignKey inTenant(SchemaContext context) {
        List<String> columns = joined(owner) || joined(destination) ? List.of() : context.tenantColumns(owner);
        boolean matched = options.matchWith().stream().anyMatch(pair -> columns.contains(pair.source()));
        if (columns.isEmpty() || matched || columns.contains(relationship.attribute())
                || !columns.equals(context.tenantColumns(destination))) {
            return this;
        }
        if (!options.matchTenant()) {
            refuseOnCitus(context, columns);
            return this;
        }
        return new ForeignKey(owner, relationship, destination, options, columns, toSource);
    }

    /**
     * Whether the resource extends a parent (joined inheritance): its table holds no tenant column, the parent's does,
     * and its key, unique on its own, is reached through the parent's row that holds the tenant.
     */
    private static boolean joined(Resource resource) {
        return resource.tableOptions().extending() != null;
    }

    /**
     * On Citus both tables are distributed by the tenant columns, and a key between them must include
     * them: Citus refuses one without, so {@code matchTenant(false)} is refused here, at codegen.
     */
    private void refuseOnCitus(SchemaContext context, List<String> columns) {
        if (context.target() == Target.CITUS) {
            throw DefinitionException.of(owner.name(), relationship.name(), "Reference '" + relationship.name()
                    + "' of resource '" + owner.name() + "' says matchTenant(false), but on Citus '" + owner.table()
                    + "' and '" + destination.table() + "' are distributed by " + columns + ", and Citus creates no "
                    + "foreign key between them that leaves the distribution column out: let the key match the tenant "
                    + "(remove matchTenant(false); it becomes " + columns + " plus '" + relationship.attribute()
                    + "'), or ignore the reference (no key)");
        }
    }

    /** The constraint's name: the one given, or {@code <table>_<column>_fkey}, named by the key attribute's column. */
    String name() {
        return options.name() != null ? options.name()
                : Names.foreignKey(owner.table(), owner.columnOf(relationship.attribute()));
    }

    /** The name of the index on the referencing columns, when {@link Reference#index()} asks for one. */
    String indexName() {
        return Names.index(owner.table(), sqlColumns());
    }

    /** The columns of {@link #columns()} as the table names them, for SQL: an attribute may be stored under another. */
    List<String> sqlColumns() {
        return owner.columnsOf(columns());
    }

    /** The columns of {@link #referencedColumns()} as the referenced table names them. */
    List<String> referencedSqlColumns() {
        return destination.columnsOf(referencedColumns());
    }

    /**
     * The referencing attributes: the tenant columns, the relationship's attribute, then the {@code matchWith}
     * sources. The rules and the unique key speak of attributes; SQL uses {@link #sqlColumns()}.
     */
    List<String> columns() {
        List<String> columns = new ArrayList<>(tenant);
        columns.add(relationship.attribute());
        options.matchWith().forEach(pair -> columns.add(pair.source()));
        return columns;
    }

    /** The referenced attributes, in the same order. */
    List<String> referencedColumns() {
        List<String> columns = new ArrayList<>(tenant);
        columns.add(relationship.destinationAttribute());
        options.matchWith().forEach(pair -> columns.add(pair.destination()));
        return columns;
    }

    /**
     * The referenced columns in the order of the destination's primary key or identity that makes
     * them unique; PostgreSQL accepts them in any order, but the kernel names a key by its own order.
     */
    Optional<List<String>> uniqueKey() {
        Set<String> wanted = Set.copyOf(referencedColumns());
        List<List<String>> candidates = new ArrayList<>();
        candidates.add(destination.primaryKey().stream().map(Attribute::name).toList());
        // PostgreSQL refuses a foreign key to a partial index: an identity with a predicate makes no key to reference.
        destination.identities().stream().filter(identity -> identity.predicateOn(destination) == null)
                .forEach(identity -> candidates.add(identity.fields()));
        if (!tenant.isEmpty()) {
            // The destination's keys scoped by the tenant: its identities' indexes lead with the tenant
            // columns, and the kernel makes (tenant, primary key) unique for keys that reference it.
            List<List<String>> scoped = candidates.stream().map(c -> {
                List<String> withTenant = new ArrayList<>(tenant);
                c.stream().filter(column -> !tenant.contains(column)).forEach(withTenant::add);
                return withTenant;
            }).toList();
            candidates.addAll(scoped);
        }
        return candidates.stream()
                .filter(c -> c.size() == referencedColumns().size() && Set.copyOf(c).equals(wanted))
                .findFirst();
    }
}
