package dev.ashlar.plugins.references;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.spi.schema.Ddl;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.api.sql.Names;
import dev.ashlar.spi.schema.ObjectKey;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.Target;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.SchemaObject.Alteration;
import dev.ashlar.spi.schema.SchemaObject.OnExistingTable;
import dev.ashlar.spi.schema.SchemaObject.ServerRequirement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/** Renders a {@link ForeignKey} as schema objects: the constraint, and the index on its columns when asked for. */
final class ForeignKeySql {
    /** {@code SET NULL (columns)} arrived in PostgreSQL 15 (release notes, "Allow foreign key ON DELETE SET actions to affect only specified columns"). */
    static final ServerRequirement NILIFY_COLUMNS = new ServerRequirement(15, "ON DELETE SET NULL (columns)");

    private ForeignKeySql() {
    }

    static SchemaObject constraint(SchemaContext context, ForeignKey key) {
        refuseOnCitus(context, key);
        String name = key.name();
        Ddl.AlterTable table = Ddl.alterTable(context.tableSql());
        boolean nilifyColumns = onDelete(key) instanceof OnDelete.Nilify;
        String body = "FOREIGN KEY (" + Ddl.columnList(key.sqlColumns()) + ") REFERENCES "
                + context.tableSql(key.destination()) + " (" + Ddl.columnList(key.referencedSqlColumns()) + ")"
                + clauses(key);
        return SchemaObject.builder(name, ObjectKind.FOREIGN_KEY)
                .definition(definition(context, key))
                .up(table.addConstraint(name, body))
                .down(table.dropConstraint(name))
                // Checking the rows of a table that has them would block writes to both tables for the whole scan.
                .onExistingTable(OnExistingTable.validatedLater(table.addConstraintNotValid(name, body),
                        table.dropConstraint(name), table.validateConstraint(name)))
                .dependsOn(key.uniqueKey().flatMap(columns -> context.uniqueKeyObject(key.destination(), columns))
                        .stream().toList())
                .dependsOn(distributions(context, key))
                .requires(nilifyColumns ? NILIFY_COLUMNS : null)
                .alteration(deferral(context, key))
                .build();
    }

    /**
     * A change of deferral alone is made in place: adding the key again would check every row under a lock that
     * blocks writes to both tables, while {@code ALTER CONSTRAINT} only changes the catalog.
     */
    private static Alteration deferral(SchemaContext context, ForeignKey key) {
        Reference options = key.options();
        return new Alteration(List.of("deferrable", "initially_deferred"), "ALTER TABLE " + context.tableSql()
                + " ALTER CONSTRAINT " + Identifiers.quote(key.name()) + (options.deferrable() ? "" : " NOT")
                + " DEFERRABLE INITIALLY " + (options.initiallyDeferred() ? "DEFERRED" : "IMMEDIATE") + ";");
    }

    /**
     * On Citus, a key whose columns include the tenant column its table is distributed by may neither set columns
     * on a delete nor act on an update: Citus refuses the constraint (measured on 13.2: {@code SET NULL or SET
     * DEFAULT is not supported in ON DELETE operation when distribution key is included in the foreign key
     * constraint}, and the same of {@code ON UPDATE} with {@code CASCADE}), even with {@code SET NULL (post_id)}.
     */
    private static void refuseOnCitus(SchemaContext context, ForeignKey key) {
        List<String> tenant = context.tenantColumns(key.owner());
        if (context.target() != Target.CITUS || tenant.isEmpty() || !key.columns().containsAll(tenant)) {
            return;
        }
        OnUpdate onUpdate = key.options().onUpdate();
        boolean nilifies = key.options().onDelete() == OnDelete.NILIFY
                || key.options().onDelete() instanceof OnDelete.Nilify;
        if (!nilifies && onUpdate != OnUpdate.UPDATE && onUpdate != OnUpdate.NILIFY) {
            return;
        }
        throw DefinitionException.of(key.owner().name(), key.relationship().name(), "Reference '"
                + key.relationship().name() + "' of resource '" + key.owner().name() + "' "
                + (nilifies ? "nilifies its rows when the referenced row is deleted (ON DELETE SET NULL)"
                : "acts on an update of the referenced key (ON UPDATE " + onUpdate(onUpdate) + ")")
                + ", but on Citus its key includes the tenant column " + tenant + " that '" + key.owner().table()
                + "' is distributed by, and Citus refuses such an action on that key: delete the rows with theirs "
                + "(onDelete(OnDelete.DELETE)), or keep the default (no action) and nilify them in the application; "
                + "leave onUpdate out");
    }

    /**
     * On Citus, a key comes after both tables are distributed: a key added first from a local table to a
     * reference table would make Citus turn the local table into a coordinator-only one.
     */
    private static List<ObjectKey> distributions(SchemaContext context, ForeignKey key) {
        if (context.target() != Target.CITUS) {
            return List.of();
        }
        return List.of(context.objectKey(key.owner(), Names.distribution(key.owner().table())),
                context.objectKey(key.destination(), Names.distribution(key.destination().table())));
    }

    static SchemaObject index(SchemaContext context, ForeignKey key) {
        String name = key.indexName();
        String where = predicate(key);
        Map<String, Object> definition = new LinkedHashMap<>(Map.of("columns", key.sqlColumns(), "unique", false));
        if (where != null) {
            definition.put("where", where);
        }
        return SchemaObject.builder(name, ObjectKind.INDEX)
                .definition(definition)
                .up(partial(Ddl.createIndex(name, context.tableSql(), key.sqlColumns()), where))
                .down(Ddl.dropIndex(context.objectSql(name)))
                .onExistingTable(OnExistingTable.concurrently(
                        partial(Ddl.createIndexConcurrently(name, context.tableSql(), key.sqlColumns(), false), where),
                        Ddl.dropIndexConcurrently(context.objectSql(name))))
                .build();
    }

    /** The index statement with the predicate before its semicolon, if there is one. */
    private static String partial(String createIndex, String where) {
        return where == null ? createIndex : createIndex.substring(0, createIndex.length() - 1) + " WHERE " + Ddl.fragment(where)
                + ";";
    }

    /** The index's predicate: the reference's SQL, or for {@link Reference#NOT_NULL} every key column set. */
    private static String predicate(ForeignKey key) {
        String where = key.options().indexWhere();
        return Reference.NOT_NULL.equals(where) ? String.join(" AND ", key.sqlColumns().stream()
                .map(c -> Identifiers.quote(c) + " IS NOT NULL").toList()) : where;
    }

    /**
     * What makes two keys the same. The column types are in it so that a change of the key's type
     * replaces the constraint (dropped before the columns change, added after) instead of asking
     * PostgreSQL to convert a column that a key still ties to another.
     */
    private static Map<String, Object> definition(SchemaContext context, ForeignKey key) {
        Reference options = key.options();
        Map<String, Object> definition = new LinkedHashMap<>();
        // Columns as the tables name them: an attribute renamed over the same column changes nothing.
        definition.put("columns", key.sqlColumns());
        definition.put("column_types", key.columns().stream().map(c -> context.sqlType(key.owner(), c)).toList());
        definition.put("references", key.destination().table());
        definition.put("referenced_columns", key.referencedSqlColumns());
        definition.put("referenced_types", key.referencedColumns().stream()
                .map(c -> context.sqlType(key.destination(), c)).toList());
        if (onDelete(key) instanceof OnDelete.Nilify nilify) {
            definition.put("on_delete", "set null");
            definition.put("on_delete_columns", key.owner().columnsOf(nilify.columns()));
        } else {
            definition.put("on_delete", onDelete(options.onDelete(), key).toLowerCase(Locale.ROOT));
        }
        definition.put("on_update", onUpdate(options.onUpdate()).toLowerCase(Locale.ROOT));
        definition.put("match", options.match().name().toLowerCase(Locale.ROOT));
        definition.put("deferrable", options.deferrable());
        definition.put("initially_deferred", options.initiallyDeferred());
        return definition;
    }

    /**
     * What a delete of the referenced row does. Nilifying a key that matches a tenant column sets only
     * the relationship's own column: the tenant column is NOT NULL and stays the row's tenant.
     */
    private static OnDelete onDelete(ForeignKey key) {
        OnDelete action = key.options().onDelete();
        return action == OnDelete.NILIFY && !key.tenant().isEmpty()
                ? OnDelete.nilify(key.relationship().attribute()) : action;
    }

    /** The clauses that differ from PostgreSQL's defaults, so that the file shows only what was chosen. */
    private static String clauses(ForeignKey key) {
        Reference options = key.options();
        StringBuilder sql = new StringBuilder();
        if (options.match() == Match.FULL) {
            sql.append(" MATCH FULL");
        }
        if (options.onDelete() != OnDelete.NOTHING) {
            sql.append(" ON DELETE ").append(onDelete(onDelete(key), key));
        }
        if (options.onUpdate() != OnUpdate.NOTHING) {
            sql.append(" ON UPDATE ").append(onUpdate(options.onUpdate()));
        }
        if (options.deferrable()) {
            sql.append(" DEFERRABLE");
        }
        if (options.initiallyDeferred()) {
            sql.append(" INITIALLY DEFERRED");
        }
        return sql.toString();
    }

    /** The action as SQL; a nilify's attributes are written as the key's table names their columns. */
    static String onDelete(OnDelete action, ForeignKey key) {
        if (action instanceof OnDelete.Nilify nilify) {
            return "SET NULL (" + Ddl.columnList(key.owner().columnsOf(nilify.columns())) + ")";
        }
        return switch ((OnDelete.Action) action) {
            case NOTHING -> "NO ACTION";
            case RESTRICT -> "RESTRICT";
            case DELETE -> "CASCADE";
            case NILIFY -> "SET NULL";
        };
    }

    static String onUpdate(OnUpdate action) {
        return switch (action) {
            case NOTHING -> "NO ACTION";
            case RESTRICT -> "RESTRICT";
            case UPDATE -> "CASCADE";
            case NILIFY -> "SET NULL";
        };
    }
}
