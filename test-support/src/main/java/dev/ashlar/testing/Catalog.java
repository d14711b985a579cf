package dev.ashlar.testing;

import java.util.List;
import java.util.Map;

/**
 * The parts of the system catalog that a schema migration changes, for one schema, as sorted lines
 * that two databases can be compared on: tables, columns (type, not null, default, identity),
 * constraints, indexes and triggers. Column order is left out on purpose: a column added later
 * comes last, while a table created in one go lists it where declared.
 */
public final class Catalog {
    private Catalog() {
    }

    public static List<String> of(TestDatabase db, String schema) {
        String sql = """
                SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
                       || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END AS line
                  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE n.nspname = ? AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
                   AND c.relname NOT IN ('ashlar_schema_migrations', 'ashlar_migration_progress')
                UNION ALL
                SELECT 'constraint ' || c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)
                  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND c.relname NOT IN ('ashlar_schema_migrations', 'ashlar_migration_progress')
                UNION ALL
                SELECT 'index ' || i.indexname || ' ' || i.indexdef FROM pg_indexes i
                 WHERE i.schemaname = ? AND i.tablename NOT IN ('ashlar_schema_migrations', 'ashlar_migration_progress')
                UNION ALL
                SELECT 'trigger ' || c.relname || '.' || t.tgname || ' ' || pg_get_triggerdef(t.oid)
                  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND NOT t.tgisinternal
                ORDER BY 1
                """;
        return db.query(sql, schema, schema, schema, schema).stream()
                .map((Map<String, Object> row) -> (String) row.get("line")).toList();
    }
}
