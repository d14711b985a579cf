package dev.ashlar.kernel.schema;

import dev.ashlar.api.resource.Identity;
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
 * {@code NULLS NOT DISTINCT}, an explicit name.
 * A plain identity keeps the definition older snapshots hold, so upgrading changes no index.
 */
final class IdentityIndex {
    private IdentityIndex() {
    }

    static SchemaObject of(SchemaContext context, Identity identity, List<String> columns) {
        String name = identity.indexOn(context.resource().table());
        String predicate = identity.predicateOn(context.resource());
        if (predicate == null && identity.nullsDistinct()) {
            return SchemaBuilder.uniqueIndex(context, name, columns);
        }
        Map<String, Object> definition = new LinkedHashMap<>(Map.of("fields", columns, "unique", true));
        if (!identity.nullsDistinct()) {
            definition.put("nulls_distinct", false);
        }
        if (predicate != null) {
            definition.put("where", predicate);
        }
        SchemaObject.Builder index = SchemaObject.builder(name, ObjectKind.IDENTITY).definition(definition)
                .up(create(context, identity, name, columns, predicate, false))
                .down(Ddl.dropIndex(context.objectSql(name)))
                .onExistingTable(SchemaObject.OnExistingTable.concurrently(
                        create(context, identity, name, columns, predicate, true),
                        Ddl.dropIndexConcurrently(context.objectSql(name))));
        if (!identity.nullsDistinct()) {
            index.requires(new ServerRequirement(15, "NULLS NOT DISTINCT on identity '" + identity.name() + "'"));
        }
        return index.build();
    }

    private static String create(SchemaContext context, Identity identity, String name, List<String> columns,
                                 String predicate, boolean concurrently) {
        return "CREATE UNIQUE INDEX " + (concurrently ? "CONCURRENTLY " : "") + Identifiers.quote(name) + " ON "
                + context.tableSql() + " (" + Ddl.columnList(columns) + ")"
                + (identity.nullsDistinct() ? "" : " NULLS NOT DISTINCT")
                + (predicate == null ? "" : " WHERE " + Ddl.fragment(predicate)) + ";";
    }
}
