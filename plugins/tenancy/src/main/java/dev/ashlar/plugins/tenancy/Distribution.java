package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Literals;
import dev.ashlar.api.sql.Names;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a resource's table is on a Citus cluster ({@code SchemaContext.target()} is CITUS): a table with
 * a tenant column is distributed by it ({@code create_distributed_table}; tables distributed by
 * columns of one type are colocated, so keys between them stay on one node); a main table that tenant
 * tables reference (or that such a table references) is a reference table, copied to every node. A
 * context-strategy table needs nothing: its tenant schema is distributed when it is created. What
 * Citus cannot do is refused here, at codegen, with the reason.
 */
final class Distribution {
    /** The kind of the objects that distribute a table. */
    static final ObjectKind KIND = ObjectKind.DISTRIBUTION;
    private static final String SEQUENTIAL = "SET LOCAL citus.multi_shard_modify_mode = 'sequential';\n";

    private Distribution() {
    }

    static List<SchemaObject> objects(SchemaContext context) {
        Resource resource = context.resource();
        refuseUnsupportedKeys(context.domain(), resource);
        Optional<Multitenancy> tenancy = resource.extension(Multitenancy.class);
        if (tenancy.isPresent() && tenancy.get().strategy() == Multitenancy.Strategy.ATTRIBUTE) {
            String column = resource.columnOf(tenancy.get().attribute());
            return List.of(object(context, "distributed", "SELECT create_distributed_table(" + Literals.quote(context.tableSql())
                    + ", " + Literals.quote(column) + ");", column));
        }
        if (tenancy.isEmpty() && context.scope() == Scope.MAIN && referenceTables(context.domain()).contains(resource)) {
            return List.of(object(context, "reference", "SELECT create_reference_table(" + Literals.quote(context.tableSql())
                    + ");", null));
        }
        return List.of();
    }

    /**
     * Each statement after {@code SET LOCAL citus.multi_shard_modify_mode = 'sequential'}: with keys to
     * reference tables in the same transaction, Citus needs one connection per node throughout.
     */
    private static SchemaObject object(SchemaContext context, String kind, String up, String column) {
        Map<String, Object> definition = column == null ? Map.of("table", kind) : Map.of("table", kind, "column", column);
        return SchemaObject.builder(Names.distribution(context.resource().table()), KIND).definition(definition)
                .up(SEQUENTIAL + up)
                .down(SEQUENTIAL + "SELECT undistribute_table(" + Literals.quote(context.tableSql())
                        + ", cascade_via_foreign_keys => true);")
                .build();
    }

    /**
     * The main tables that must be reference tables: those a tenant table references, and, since a
     * reference table may only reference reference tables, those they reference in turn.
     */
    static Set<Resource> referenceTables(Domain domain) {
        Set<Resource> references = new LinkedHashSet<>();
        Deque<Resource> referencing = new ArrayDeque<>();
        domain.resources().stream().filter(r -> r.extension(Multitenancy.class).isPresent()).forEach(referencing::add);
        while (!referencing.isEmpty()) {
            for (BelongsTo key : belongsTo(referencing.pop())) {
                Resource target = domain.resource(key.destination());
                if (target.extension(Multitenancy.class).isEmpty() && references.add(target)) {
                    referencing.add(target);
                }
            }
        }
        return references;
    }

    /** Keys Citus refuses: from a main table into a tenant table, and between the two tenancy strategies. */
    private static void refuseUnsupportedKeys(Domain domain, Resource resource) {
        Optional<Multitenancy.Strategy> own = resource.extension(Multitenancy.class).map(Multitenancy::strategy);
        for (BelongsTo key : belongsTo(resource)) {
            Optional<Multitenancy.Strategy> other = domain.resource(key.destination()).extension(Multitenancy.class)
                    .map(Multitenancy::strategy);
            if (other.isEmpty() || other.equals(own)) {
                continue;
            }
            String why = own.isEmpty() ? "a main table is copied to every node (a reference table) or stays on the "
                    + "coordinator, and Citus enforces no key from it into rows that live on one worker; keep the key "
                    + "on the tenant side (let '" + key.destination() + "' belong to '" + resource.name() + "')"
                    : "Citus keeps a schema-per-tenant table and a table distributed by a tenant column in different "
                    + "colocation groups, and refuses keys between them; give both resources the same strategy";
            throw DefinitionException.of(resource.name(), key.name(), "Resource '" + resource.name() + "' belongs to '"
                    + key.destination() + "' (relationship '" + key.name() + "'), which Citus cannot enforce: " + why);
        }
    }

    private static List<BelongsTo> belongsTo(Resource resource) {
        return resource.relationships().stream().filter(BelongsTo.class::isInstance).map(BelongsTo.class::cast).toList();
    }
}
