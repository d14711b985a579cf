package dev.ashlar.api.sql;

import java.util.List;

/**
 * The one naming scheme for what Ashlar generates, so that a name never changes by accident
 * between two generations. Every generated name is checked against the 63-byte limit by whoever
 * creates the object, with {@link Identifiers#problem}.
 *
 * <ul>
 *   <li>primary key: {@code <table>_pkey}</li>
 *   <li>identity unique index: {@code <table>_<identity>_index}</li>
 *   <li>custom index: {@code <table>_<column>_<column>_index}</li>
 *   <li>foreign key: {@code <table>_<column>_fkey}</li>
 *   <li>check constraint: {@code <table>_<check>_check}</li>
 *   <li>tenant key (tenant columns and primary key, for keys that match a tenant): {@code <table>_tenant_key}</li>
 * </ul>
 */
public final class Names {
    private Names() {
    }

    public static String primaryKey(String table) {
        return table + "_pkey";
    }

    public static String identityIndex(String table, String identity) {
        return table + "_" + identity + "_index";
    }

    public static String index(String table, List<String> columns) {
        return table + "_" + String.join("_", columns) + "_index";
    }

    public static String foreignKey(String table, String column) {
        return table + "_" + column + "_fkey";
    }

    public static String tenantKey(String table) {
        return table + "_tenant_key";
    }

    /** The object that distributes a table on Citus ({@code create_distributed_table} or {@code create_reference_table}). */
    public static String distribution(String table) {
        return table + "_distribution";
    }

    public static String check(String table, String check) {
        return table + "_" + check + "_check";
    }
}
