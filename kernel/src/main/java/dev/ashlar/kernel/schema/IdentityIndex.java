package dev.ashlar.kernel.schema;

import dev.ashlar.api.resource.Calculation;
import dev.ashlar.api.resource.Identity;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.spi.schema.Ddl;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.SchemaObject.ServerRequirement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An identity's unique index with its options: a predicate (its own and the resource's base filter),
 * {@code NULLS NOT DISTINCT}, an explicit name, and calculations indexed as their expressions
 * ({@code ((lower(email)))}, AshPostgres's identity over an expression calculation).
 * A plain identity keeps the definition older snapshots hold, so upgrading changes no index.
 */
final class IdentityIndex {
    private IdentityIndex() {
    }

    /** @param fields the index's fields in order: the identity's, led by the tenant's unless it spans all tenants */
    static SchemaObject of(SchemaContext context, Identity identity, List<String> fields) {
        Resource resource = context.resource();
        String name = identity.indexOn(resource.table());
        String predicate = identity.predicateOn(resource);
        boolean expressions = fields.stream().anyMatch(field -> resource.calculation(field).isPresent());
        if (predicate == null && identity.nullsDistinct() && !expressions) {
            return SchemaBuilder.uniqueIndex(context, name, resource.columnsOf(fields));
        }
        // A calculation is kept as its SQL, as a custom index keeps an expression: changing it rebuilds the index.
        List<String> keys = fields.stream().map(field -> resource.calculation(field).map(Calculation::sql)
                .orElseGet(() -> resource.columnOf(field))).toList();
        Map<String, Object> definition = new LinkedHashMap<>(Map.of("fields", keys, "unique", true));
        if (!identity.nullsDistinct()) {
            definition.put("nulls_distinct", false);
        }
        if (predicate != null) {
            definition.put("where", predicate);
        }
        String elements = String.join(", ", fields.stream().map(field -> element(resource, field)).toList());
        SchemaObject.Builder index = SchemaObject.builder(name, ObjectKind.IDENTITY).definition(definition)
                .up(create(context, identity, name, elements, predicate, false))
                .down(Ddl.dropIndex(context.objectSql(name)))
                .onExistingTable(SchemaObject.OnExistingTable.concurrently(
                        create(context, identity, name, elements, predicate, true),
                        Ddl.dropIndexConcurrently(context.objectSql(name))));
        if (!identity.nullsDistinct()) {
            index.requires(new ServerRequirement(15, "NULLS NOT DISTINCT on identity '" + identity.name() + "'"));
        }
        return index.build();
    }

    /** An attribute's quoted column, or a calculation's expression in the parentheses an index element needs. */
    private static String element(Resource resource, String field) {
        return resource.calculation(field).map(calculation -> "(" + Ddl.fragment(calculation.sql()) + ")")
                .orElseGet(() -> Identifiers.quote(resource.columnOf(field)));
    }

    private static String create(SchemaContext context, Identity identity, String name, String elements,
                                 String predicate, boolean concurrently) {
        return "CREATE UNIQUE INDEX " + (concurrently ? "CONCURRENTLY " : "") + Identifiers.quote(name) + " ON "
                + context.tableSql() + " (" + elements + ")"
                + (identity.nullsDistinct() ? "" : " NULLS NOT DISTINCT")
                + (predicate == null ? "" : " WHERE " + Ddl.fragment(predicate)) + ";";
    }
}
