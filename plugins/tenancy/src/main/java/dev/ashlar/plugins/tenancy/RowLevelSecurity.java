package dev.ashlar.plugins.tenancy;

import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Literals;
import dev.ashlar.api.sql.Names;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Row-level security for a table with a tenant column: enabled and forced (so the table's owner is
 * held to it too), with one policy that lets a session see and write only the rows whose tenant
 * column equals the {@value TenancyPlugin#TENANT_SETTING} setting. With the setting unset or empty, no
 * row is visible: a forgotten tenant fails closed.
 */
final class RowLevelSecurity {
    private RowLevelSecurity() {
    }

    /** The policy's name: {@code <table>_tenant_isolation}. */
    static String name(String table) {
        return table + "_tenant_isolation";
    }

    /**
     * Why the policy of a resource cannot be named, naming the fix, or null when it can: the name is made from the
     * table's, so only a shorter table name makes it fit.
     */
    static String nameProblem(String table) {
        return Names.tableDerivedProblem("the row-level security policy", table, name(table));
    }

    /**
     * The setting a tenant column is compared with: {@value TenancyPlugin#TENANT_SETTING} for the tenant's own, and
     * {@code ashlar.tenant.<attribute>} for each ancestor.
     */
    static String setting(Multitenancy multitenancy, String attribute) {
        return attribute.equals(multitenancy.attribute()) ? TenancyPlugin.TENANT_SETTING
                : TenancyPlugin.TENANT_SETTING + "." + attribute;
    }

    static SchemaObject policy(SchemaContext context, Multitenancy multitenancy) {
        String table = context.tableSql();
        String name = name(context.resource().table());
        String column = context.resource().columnOf(multitenancy.attribute());
        Map<String, String> definition = new LinkedHashMap<>(Map.of("column", column,
                "setting", TenancyPlugin.TENANT_SETTING, "empty_setting", "matches no row"));
        StringBuilder check = new StringBuilder(matches(column, TenancyPlugin.TENANT_SETTING));
        for (Multitenancy.Ancestor ancestor : multitenancy.ancestors()) {
            String ancestorColumn = context.resource().columnOf(ancestor.attribute());
            String setting = setting(multitenancy, ancestor.attribute());
            check.append(" AND ").append(matches(ancestorColumn, setting));
            definition.put("ancestor " + ancestorColumn, setting);
        }
        if (context.resource().tableOptions().history() || context.resource().tableOptions().draftable()) {
            // The kernel repeats the policy on the history and draft tables and in the history view (only then: a
            // table without either keeps the definition its snapshots have).
            definition.put(ObjectKind.ROW_CONDITION, check.toString());
        }
        return SchemaObject.builder(name, ObjectKind.ROW_LEVEL_SECURITY)
                .definition(definition)
                .up("ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY;\n"
                        + "ALTER TABLE " + table + " FORCE ROW LEVEL SECURITY;\n"
                        + "CREATE POLICY " + Identifiers.quote(name) + " ON " + table + " USING (" + check
                        + ") WITH CHECK (" + check + ");")
                .down("DROP POLICY " + Identifiers.quote(name) + " ON " + table + ";\n"
                        + "ALTER TABLE " + table + " NO FORCE ROW LEVEL SECURITY;\n"
                        + "ALTER TABLE " + table + " DISABLE ROW LEVEL SECURITY;")
                .build();
    }

    /**
     * A column equal to a setting. NULLIF: a pooled connection keeps the setting as '' (not NULL) after an earlier
     * transaction set it, so an empty setting must match no row, like an unset one.
     */
    private static String matches(String column, String setting) {
        return Identifiers.quote(column) + "::text = NULLIF(current_setting(" + Literals.quote(setting) + ", true), '')";
    }
}
