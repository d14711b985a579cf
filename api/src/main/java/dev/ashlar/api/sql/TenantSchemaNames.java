package dev.ashlar.api.sql;


import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules a tenant schema's name follows, the same the data layer applies to a tenant value:
 * letters, digits, underscores and hyphens (AshPostgres's {@code ^[a-zA-Z0-9_-]+$}, so that a template
 * such as {@code ["org_", "id"]} takes a UUID key), at most 63 bytes, and never a system schema ({@code pg_*},
 * {@code information_schema}) nor the main schema ({@code public}). The tenancy plugin checks a tenant
 * value with it before the value becomes a schema name, and a migration run checks a schema it is
 * given: one rule in one place, applied before any name reaches the server.
 */
public final class TenantSchemaNames {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]+");

    private TenantSchemaNames() {
    }

    /** Why a name cannot be a tenant schema, completing a sentence that starts with the name; null when it can. */
    public static String problem(String schema) {
        String identifier = Identifiers.problem(schema);
        if (identifier != null) {
            return identifier;
        }
        if (!SAFE.matcher(schema).matches()) {
            int other = schema.codePoints().filter(c -> !SAFE.matcher(Character.toString(c)).matches()).findFirst()
                    .orElseThrow();
            return "may hold only letters, digits, underscores and hyphens (ASCII: a-z, A-Z, 0-9, _ and -), and holds "
                    + (Character.isISOControl(other) || Character.isWhitespace(other)
                    ? String.format("U+%04X", other) : "'" + Character.toString(other) + "'");
        }
        String lower = schema.toLowerCase(Locale.ROOT);
        if (lower.startsWith("pg_") || lower.equals("information_schema")) {
            return "names a system schema, which is never a tenant";
        }
        if (lower.equals("public")) {
            return "is the main schema, which is never a tenant (migrate it without --tenant)";
        }
        return null;
    }
}
