package dev.ashlar.plugins.indexes;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.spi.schema.Ddl;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.SchemaObject.OnExistingTable;
import dev.ashlar.spi.schema.SchemaObject.ServerRequirement;
import dev.ashlar.api.resource.BaseFilter;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.Target;
import dev.ashlar.api.sql.Identifiers;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns custom indexes and statements into schema objects with their SQL. */
final class IndexSql {
    static final ServerRequirement NULLS_NOT_DISTINCT = new ServerRequirement(15, "NULLS NOT DISTINCT");

    private IndexSql() {
    }

    static SchemaObject index(CustomIndex declared, SchemaContext context) {
        CustomIndex index = scoped(declared, context);
        String name = declared.nameOn(context.resource());
        // Index names live in the table's schema; tenant tables are reached through the search_path.
        String qualified = context.objectSql(name);
        String create = create(index, name, context, index.concurrently());
        String up = create;
        String down = Ddl.dropIndex(qualified);
        if (index.concurrently()) {
            // A failed concurrent build leaves an INVALID index behind under the name (PostgreSQL docs,
            // "Building Indexes Concurrently"); dropping it first lets the migration simply be run again.
            up = "DROP INDEX CONCURRENTLY IF EXISTS " + qualified + ";\n" + create;
            down = Ddl.dropIndexConcurrently(qualified);
        }
        SchemaObject.Builder object = SchemaObject.builder(name, ObjectKind.INDEX)
                .definition(definition(index, context.resource()))
                .up(up).down(down).requires(index.nullsDistinct() ? null : NULLS_NOT_DISTINCT);
        if (index.concurrently()) {
            object.nonTransactional();
        } else {
            object.onExistingTable(OnExistingTable.concurrently(create(index, name, context, true),
                    Ddl.dropIndexConcurrently(qualified)));
        }
        return object.build();
    }

    private static String create(CustomIndex index, String name, SchemaContext context, boolean concurrently) {
        return "CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX "
                + (concurrently ? "CONCURRENTLY " : "") + Identifiers.quote(name) + " ON " + context.tableSql()
                + (index.using() == null ? "" : " USING " + Identifiers.quote(index.using()))
                + " (" + String.join(", ", index.fields().stream().map(f -> element(f, context.resource()))
                        .toList()) + ")"
                + (index.include().isEmpty() ? "" : " INCLUDE ("
                        + Ddl.columnList(context.resource().columnsOf(index.include())) + ")")
                + (index.nullsDistinct() ? "" : " NULLS NOT DISTINCT")
                + (index.where() == null ? "" : " WHERE " + Ddl.fragment(index.where())) + ";";
    }

    /**
     * A unique index holds per tenant: the resource's scope columns (a tenant column) go first, unless it spans all.
     * Its predicate includes the resource's base filter unless it opts out.
     */
    private static CustomIndex scoped(CustomIndex index, SchemaContext context) {
        if (index.unique() && index.allTenants() && !context.identityScope().isEmpty()
                && context.target() == Target.CITUS) {
            String name = index.nameOn(context.resource());
            throw DefinitionException.of(context.resource().name(), name, "The unique index '" + name
                    + "' of resource '" + context.resource().name() + "' spans all tenants, which Citus cannot enforce on a table "
                    + "distributed by " + context.identityScope() + " (a unique index there must include the "
                    + "distribution column): make it unique per tenant (leave out allTenants(true))");
        }
        String where = BaseFilter.indexPredicate(context.resource(), index.ignoreBaseFilter(), index.where());
        List<String> fields = new java.util.ArrayList<>(index.fields());
        if (index.unique() && !index.allTenants() && !context.identityScope().isEmpty()) {
            fields = new java.util.ArrayList<>(context.identityScope());
            index.fields().stream().filter(f -> !context.identityScope().contains(f)).forEach(fields::add);
        }
        return index.on(fields, where);
    }

    /**
     * An ordinary statement creates with its {@code up}. An on-destroy one acts only when its table is
     * dropped, when the object's {@code down} runs: that is the statement's {@code up}, and rolling the drop
     * back runs the object's {@code up}, the statement's {@code down}.
     */
    static SchemaObject statement(CustomStatement statement, SchemaContext context) {
        Map<String, Object> definition = new TreeMap<>();
        if (!statement.afterTables().isEmpty()) {
            definition.put("after_tables", statement.afterTables());
        }
        definition.put("up", statement.up().strip());
        definition.put("down", statement.down().strip());
        definition.put("on_destroy", statement.onDestroy());
        String up = terminated(statement.onDestroy() ? statement.down() : statement.up());
        String down = terminated(statement.onDestroy() ? statement.up() : statement.down());
        // Depending on a table's key makes the differ drop the statement before the table goes or is re-keyed.
        SchemaObject.Builder object = SchemaObject.builder(statement.name(), ObjectKind.STATEMENT)
                .definition(definition).up(up).down(down)
                .dependsOn(statement.afterTables().stream().map(r -> context.domain().resource(r))
                        .map(r -> context.objectKey(r, statement.name()).tableKey()).toList());
        if (statement.onDestroy()) {
            object.onlyOnTableDrop();
        }
        if (statement.global()) {
            object.mainScope();
        }
        return object.build();
    }

    /** The index as its table stores it: attributes by their columns, so a renamed attribute alone changes nothing. */
    private static Map<String, Object> definition(CustomIndex index, Resource resource) {
        Map<String, Object> definition = new TreeMap<>();
        definition.put("fields", index.sqlFields(resource));
        definition.put("unique", index.unique());
        definition.put("include", resource.columnsOf(index.include()));
        definition.put("concurrently", index.concurrently());
        definition.put("nulls_distinct", index.nullsDistinct());
        if (index.where() != null) {
            definition.put("where", index.where());
        }
        if (index.using() != null) {
            definition.put("using", index.using());
        }
        return definition;
    }

    /**
     * The SQL with a semicolon after its last statement, as the guide writes statements without one and
     * the migration file puts other steps after it; on a new line when the last line holds a comment.
     */
    static String terminated(String sql) {
        String text = sql.strip();
        if (text.isEmpty() || text.endsWith(";")) {
            return text;
        }
        return text + (text.substring(text.lastIndexOf('\n') + 1).contains("--") ? "\n;" : ";");
    }

    /** An attribute is its column, quoted; an expression is the resource author's SQL over columns, written as given. */
    private static String element(String field, Resource resource) {
        return CustomIndex.isAttribute(field, resource) ? Identifiers.quote(resource.columnOf(field)) : Ddl.fragment(field);
    }
}
