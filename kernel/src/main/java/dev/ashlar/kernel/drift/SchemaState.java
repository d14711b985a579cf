package dev.ashlar.kernel.drift;

import java.util.Map;

/**
 * The tables of one schema as the catalog shows them, each object by name with its definition as
 * PostgreSQL prints it ({@code pg_get_constraintdef}, {@code pg_get_indexdef}, {@code pg_get_triggerdef},
 * the policy's command, roles and expressions), with the schema's own name taken out, so that two schemas
 * made by the same DDL read the same.
 *
 * @param tables the tables by name
 */
public record SchemaState(Map<String, TableState> tables) {

    public SchemaState {
        tables = Map.copyOf(tables);
    }

    /**
     * One table.
     *
     * @param rowSecurity  {@code enabled}, {@code forced} or {@code off}
     * @param columns      column name to {@code type [NOT NULL] [DEFAULT expr] [GENERATED ...]}
     * @param objects      per kind ({@code constraint}, {@code index}, {@code trigger}, {@code policy}), name to definition
     */
    public record TableState(String rowSecurity, Map<String, String> columns, Map<String, Map<String, String>> objects) {
        public TableState {
            columns = Map.copyOf(columns);
            objects = Map.copyOf(objects);
        }
    }
}
