package dev.ashlar.roundtrip;

import dev.ashlar.testing.Catalog;
import dev.ashlar.testing.TestDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The catalog the round trip compares: the shared {@link Catalog} lines (tables, columns, constraints,
 * indexes, triggers) of the two main schemas and the tenant schema, plus the schemas themselves, sequences (names,
 * types and the column that owns them), table storage options, extensions, views and functions by definition, row-level
 * security flags and policies.
 */
final class RoundTripCatalog {
    /** The schema that stands for every tenant's in the round trip. */
    static final String TENANT_SCHEMA = "rt_tenant";

    private static final String MORE = """
            SELECT 'schema ' || nspname AS line FROM pg_namespace WHERE nspname = ?
            UNION ALL
            SELECT 'sequence ' || c.relname || ' ' || format_type(s.seqtypid, NULL)
                   || coalesce(' owned by ' || t.relname || '.' || a.attname, '')
              FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass
                   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
              LEFT JOIN pg_class t ON t.oid = d.refobjid
              LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
             WHERE n.nspname = ?
            UNION ALL
            SELECT 'table options ' || c.relname || ' ' || c.reloptions::text
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relkind = 'r' AND c.reloptions IS NOT NULL
            UNION ALL
            SELECT 'view ' || viewname || ' ' || definition FROM pg_views WHERE schemaname = ?
            UNION ALL
            SELECT 'function ' || p.proname || ' ' || pg_get_functiondef(p.oid)
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ? AND p.prokind IN ('f', 'p')
            UNION ALL
            SELECT 'row security ' || c.relname || ' ' || c.relrowsecurity || ' forced ' || c.relforcerowsecurity
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relkind = 'r' AND (c.relrowsecurity OR c.relforcerowsecurity)
            UNION ALL
            SELECT 'policy ' || tablename || '.' || policyname || ' ' || permissive || ' ' || roles::text || ' ' || cmd
                   || coalesce(' using ' || qual, '') || coalesce(' check ' || with_check, '')
              FROM pg_policies WHERE schemaname = ?
            ORDER BY 1
            """;

    private RoundTripCatalog() {
    }

    static List<String> of(TestDatabase db) {
        List<String> lines = new ArrayList<>(of(db, DomainGenerator.SCHEMA));
        of(db, DomainGenerator.OTHER_SCHEMA).forEach(line -> lines.add(DomainGenerator.OTHER_SCHEMA + " " + line));
        of(db, TENANT_SCHEMA).forEach(line -> lines.add("tenant " + line));
        db.query("SELECT 'extension ' || extname || ' ' || extversion AS line FROM pg_extension ORDER BY 1").stream()
                .map(row -> (String) row.get("line")).forEach(lines::add);
        return lines;
    }

    private static List<String> of(TestDatabase db, String schema) {
        List<String> lines = new ArrayList<>(Catalog.of(db, schema));
        db.query(MORE, schema, schema, schema, schema, schema, schema, schema).stream()
                .map((Map<String, Object> row) -> (String) row.get("line")).forEach(lines::add);
        return lines;
    }
}
