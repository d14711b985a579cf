package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.ControlCharacters;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Literals;
import dev.ashlar.kernel.plugin.Tenancies;
import dev.ashlar.spi.plugin.Action;
import dev.ashlar.spi.plugin.Tenancy;
import dev.ashlar.spi.plugin.TenantScope;
import dev.ashlar.spi.schema.Scope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Which tenant an action runs for, and that tenant's scope applied alike to every action: the schema a
 * statement runs in, the tenant columns reads filter by and writes set, the transaction's settings.
 * A handle acting for a tenant never reaches outside it, whatever the query or the row says.
 */
final class Scoping {
    /** The transaction-local setting that keeps the search path a transaction had before a tenant's. */
    private static final String OUTER_SEARCH_PATH = "ashlar.outer_search_path";
    private static final String OUTER_PATH = "COALESCE(NULLIF(current_setting('" + OUTER_SEARCH_PATH + "', true), ''), "
            + "current_setting('search_path'))";

    private final Tenancies tenancies;

    Scoping(Tenancies tenancies) {
        this.tenancies = tenancies;
    }

    /**
     * The tenant an action runs for: the handle's, or the one the query or row names when the handle
     * has none. A handle for one tenant refuses a query naming another; empty names are refused.
     */
    static String tenant(String handle, String named, String resource) {
        checkName(handle, resource);
        checkName(named, resource);
        if (handle != null && named != null && !handle.equals(named)) {
            throw QueryException.of(resource, null, "This handle acts for tenant '" + handle
                    + "', but the " + resource + " query or record names tenant '" + named + "': a handle never "
                    + "reaches another tenant's rows. Use ashlar.withTenant(\"" + named + "\") to act for '" + named
                    + "'");
        }
        return handle != null ? handle : named;
    }

    private static void checkName(String tenant, String resource) {
        if (tenant != null && tenant.isBlank()) {
            throw QueryException.of(resource, null, "The tenant for " + resource + " is empty; name a "
                    + "tenant, e.g. ashlar.withTenant(\"acme\"), or use a handle without one");
        }
        if (tenant != null && tenant.indexOf('\0') >= 0) {
            throw QueryException.of(resource, null, "The tenant for " + resource + " holds a NUL character, "
                    + "which no tenant name, column or setting can hold: name the tenant without it");
        }
        // A tenant often comes from a request (a header, a subdomain): one holding a line break or a terminal escape
        // would be a tenant of its own, and every message quoting it could forge a log line.
        String shown = tenant == null ? null : ControlCharacters.escape(tenant);
        // Half a surrogate pair without its other half is no character: the driver sends it as '?', so "x\uD800" and
        // "x\uDC00" would both reach the rows of the tenant "x?".
        int half = tenant == null ? -1
                : tenant.codePoints().filter(c -> Character.getType(c) == Character.SURROGATE).findFirst().orElse(-1);
        if (half >= 0) {
            throw QueryException.of(resource, null, "The tenant '" + shown + "' for " + resource + " holds U+"
                    + String.format("%04X", half) + ", half a UTF-16 surrogate pair without its other half, which no "
                    + "tenant name may hold: the driver sends it as '?', so it would be a tenant other than the one it "
                    + "reads as; name the tenant with whole characters");
        }
        // An invisible character (a zero-width space, a byte order mark, a bidi control, a variation selector, a
        // Hangul filler) from a form or a CSV would make a tenant of its own that reads as another, and could reorder
        // a log line quoting it.
        int invisible = tenant == null ? -1
                : tenant.codePoints().filter(ControlCharacters::invisible).findFirst().orElse(-1);
        if (invisible >= 0) {
            throw QueryException.of(resource, null, "The tenant '" + shown + "' for " + resource + " holds the "
                    + "invisible character U+" + String.format("%04X", invisible) + " (a zero-width space, a byte "
                    + "order mark, a bidi control, a soft hyphen, a variation selector, a Hangul filler), which no "
                    + "tenant name may hold: it would be a tenant other than the one it reads as; name the tenant "
                    + "without it");
        }
        if (shown != null && !shown.equals(tenant)) {
            throw QueryException.of(resource, null, "The tenant '" + shown + "' for " + resource + " holds a control "
                    + "character (a line break, a tab, an escape), which no tenant name may hold: name the tenant "
                    + "without it");
        }
    }

    /**
     * The scope of an action for a tenant on a resource; {@code null} when the resource is not
     * tenant-scoped, or when it allows tenant-less access and no tenant is named.
     */
    TenantScope scope(Resource resource, String tenant, Action action) {
        return scope(resource, tenant, action, null);
    }

    /**
     * The scope of a resource an action reaches through relationships (loads, path filters, {@code exists},
     * aggregates); a missing tenant is refused naming the resource the action was on as well.
     *
     * @param from the resource the action is on, or null when it is this one's own
     */
    TenantScope scope(Resource resource, String tenant, Action action, String from) {
        Optional<Tenancy> tenancy = tenancies.of(resource.name());
        if (tenancy.isEmpty()) {
            return null;
        }
        if (tenant == null) {
            if (tenancy.get().global()) {
                return null;
            }
            throw QueryException.of(resource.name(), null, "Resource '" + resource.name() + "' is multitenant: "
                    + "every " + action + " must name a tenant"
                    + (tenancy.get().placement() == Scope.TENANT ? " by its schema's name, e.g. ashlar.withTenant("
                    + "\"tenant_acme\")" : ", e.g. ashlar.withTenant(\"acme\")")
                    + (tenancy.get().columns().isEmpty() ? "" : ", or allow tenant-less access by making its "
                    + "tenancy global")
                    + (from == null || from.equals(resource.name()) ? "" : "; this " + action + " of " + from
                    + " reaches " + resource.name() + " through a relationship (a load, a path filter, an exists or an "
                    + "aggregate), so it needs a tenant too"));
        }
        return tenancies.scope(resource, tenant);
    }

    /** Whether rows of a resource read or written for this tenant belong to it (and remember it). */
    String owner(Resource resource, String tenant) {
        return tenancies.of(resource.name()).isPresent() ? tenant : null;
    }

    /**
     * The query confined to the scope: in its schema, filtered by its columns, for its tenant. The schema a
     * query runs in is its resource's or its tenant's, never the caller's: a query naming another schema
     * ({@link Query#withSchema}) would reach a table of that name there, another tenant's included.
     */
    static Query apply(Query query, Resource resource, TenantScope scope, String tenant) {
        String schema = scope == null ? null : scope.schema();
        if (query.schema() != null && !query.schema().equals(schema)) {
            throw QueryException.of(resource.name(), null, "The " + resource.name() + " query names schema '"
                    + query.schema() + "', but a query runs in its resource's schema"
                    + (schema == null ? "" : " or its tenant's ('" + schema + "')") + ": leave the schema out and "
                    + "name a tenant with ashlar.withTenant(...) to act in a tenant's schema");
        }
        Query scoped = query.tenant() == null && tenant == null ? query : query.withTenant(tenant);
        if (scope == null) {
            return scoped;
        }
        if (scope.schema() != null) {
            scoped = scoped.withSchema(scope.schema());
        }
        for (Map.Entry<String, String> fixed : scope.fixed().entrySet()) {
            scoped = scoped.and(Filter.eq(fixed.getKey(), typed(resource, fixed.getKey(), fixed.getValue())));
        }
        return scoped;
    }

    /**
     * A tenant as its column holds it. Tenants are named by text; a tenant column of integers (an organization's
     * key, say) or UUIDs holds the value the name spells, and a name that spells none is refused, naming the column.
     * So is another spelling of a value ({@code 042} or {@code +42} for 42, a UUID in capitals): one tenant has one
     * name, the column's value as PostgreSQL prints it (what a row-level security policy compares), so that no name
     * of a tenant's own reaches the rows of the tenant the value belongs to.
     */
    static Object typed(Resource resource, String column, String tenant) {
        Type type = resource.attribute(column).map(Attribute::type).orElse(null);
        Object value;
        try {
            if (type == Type.SMALLINT || type == Type.INTEGER || type == Type.BIGINT) {
                value = Long.parseLong(tenant);
            } else if (type == Type.UUID) {
                value = UUID.fromString(tenant);
            } else if (type == Type.CITEXT) {
                return lowerCase(resource, column, trimmed(resource, column, tenant));
            } else {
                return trimmed(resource, column, tenant);
            }
        } catch (IllegalArgumentException e) {
            boolean uuid = type == Type.UUID;
            throw QueryException.of(resource.name(), column, "Tenant '" + tenant + "' is not a " + (uuid ? "UUID"
                    : "number") + ", but the tenant column " + column + " of " + resource.name() + " holds "
                    + (uuid ? "UUIDs" : "numbers") + ": name the tenant by its " + column + ", e.g. "
                    + "ashlar.withTenant(\"" + (uuid ? "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" : "42") + "\")");
        }
        if (!value.toString().equals(tenant)) {
            throw QueryException.of(resource.name(), column, "Tenant '" + tenant + "' spells the " + column + " "
                    + value + " of " + resource.name() + " otherwise than the column holds it: name the tenant "
                    + "ashlar.withTenant(\"" + value + "\"), so that each tenant has one name");
        }
        return value;
    }

    /**
     * A tenant of a text column, refused when white space begins or ends it: {@code "acme "} (a stray space from a
     * header or a form) would be a tenant of its own, whose rows {@code "acme"} never sees, rather than an error. A
     * schema's name allows no white space at all ({@link dev.ashlar.api.sql.TenantSchemaNames}).
     */
    private static String trimmed(Resource resource, String column, String tenant) {
        int start = 0;
        int end = tenant.length();
        while (start < end && blank(tenant.codePointAt(start))) {
            start += Character.charCount(tenant.codePointAt(start));
        }
        while (end > start && blank(tenant.codePointBefore(end))) {
            end -= Character.charCount(tenant.codePointBefore(end));
        }
        if (start > 0 || end < tenant.length()) {
            String meant = tenant.substring(start, end);
            throw QueryException.of(resource.name(), column, "Tenant '" + tenant + "' begins or ends with white "
                    + "space, so the tenant column " + column + " of " + resource.name() + " would hold it as a tenant "
                    + "other than '" + meant + "': name the tenant without it, e.g. ashlar.withTenant(\"" + meant
                    + "\")");
        }
        return tenant;
    }

    /**
     * A tenant of a citext column, which compares without case: {@code "ACME"} would read and write the rows of
     * {@code "acme"} (another tenant of that name in another case included), so a tenant has one name, in lower case.
     */
    private static String lowerCase(Resource resource, String column, String tenant) {
        // The server's lower() may know letters the JDK's Unicode does not (it leaves them as they are), so two
        // tenants this check passes could be one citext value.
        int unknown = tenant.codePoints().filter(c -> !Character.isDefined(c)).findFirst().orElse(-1);
        if (unknown >= 0) {
            throw QueryException.of(resource.name(), column, "Tenant '" + tenant + "' holds U+"
                    + String.format("%04X", unknown) + ", a character this Java's Unicode does not define, but the "
                    + "tenant column " + column + " of " + resource.name() + " is citext, which compares without case "
                    + "by the server's rules, so its lower case cannot be checked here: name the tenant with defined "
                    + "characters only");
        }
        String lower = tenant.toLowerCase(Locale.ROOT);
        if (!lower.equals(tenant)) {
            throw QueryException.of(resource.name(), column, "Tenant '" + tenant + "' is not in lower case, but the "
                    + "tenant column " + column + " of " + resource.name() + " is citext, which compares without case, "
                    + "so it would reach the rows of tenant '" + lower + "': name the tenant ashlar.withTenant(\""
                    + lower + "\"), so that each tenant has one name");
        }
        return tenant;
    }

    /** White space, the no-break spaces ({@code U+00A0}, {@code U+202F}) that {@link String#strip} keeps included. */
    private static boolean blank(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    /** A read confined by the resource's base filter as well (soft-deleted rows stay hidden), when it has one. */
    static Query baseFiltered(Resource resource, Query query) {
        return resource.baseFilter() == null ? query : query.and(resource.baseFilter().filter());
    }

    /**
     * The records with the scope's columns set on each. A record that gives another value for such a
     * column is refused: it would write into a tenant its own reads cannot see.
     */
    static List<Map<String, ?>> impose(TenantScope scope, List<? extends Map<String, ?>> records, Resource owner,
                                       String action) {
        String resource = owner.name();
        if (scope == null || scope.fixed().isEmpty()) {
            return List.copyOf(records);
        }
        List<Map<String, ?>> scoped = new ArrayList<>(records.size());
        for (Map<String, ?> record : records) {
            refuseOtherTenant(scope, record, resource, action);
            Map<String, Object> copy = new LinkedHashMap<>(record);
            scope.fixed().forEach((column, tenant) -> copy.put(column, typed(owner, column, tenant)));
            scoped.add(copy);
        }
        return scoped;
    }

    /** Refuses changes that would move rows into another tenant: a tenant column may only keep its value. */
    static void refuseOtherTenant(TenantScope scope, Map<String, ?> values, String resource, String action) {
        if (scope == null) {
            return;
        }
        scope.fixed().forEach((field, tenant) -> {
            Object value = values.get(field);
            if (values.containsKey(field) && !tenant.equals(String.valueOf(value))) {
                throw new InvalidDataException(resource, action, List.of(new FieldError(field, "is " + tenant
                        + " for this tenant and cannot be set to " + (value instanceof Atomic ? "a computed value "
                        + "(Atomic): a tenant column is never computed" : value))), null, null);
            }
        });
    }

    /**
     * Sets each setting for the current transaction only ({@code set_config(name, value, true)}). On
     * Citus, settings made that way stay on the coordinator, so they are also made with
     * {@code SET LOCAL} and {@code citus.propagate_set_commands = 'local'}, which reach the workers
     * that run the statements of this transaction (row-level security policies read them there).
     */
    static void apply(Connection connection, Map<String, String> settings) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')");
        if (settings.containsKey("search_path")) {
            // Remembers the transaction's search path before the first tenant's, for restoreSearchPath.
            sql.append(", set_config('").append(OUTER_SEARCH_PATH).append("', ").append(OUTER_PATH).append(", true)");
        }
        settings.forEach((name, value) -> sql.append(", set_config(?, ?, true)"));
        boolean citus;
        try (PreparedStatement set = connection.prepareStatement(sql.toString())) {
            int i = 0;
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                set.setString(++i, setting.getKey());
                set.setString(++i, setting.getValue());
            }
            try (ResultSet row = set.executeQuery()) {
                row.next();
                citus = row.getBoolean(1);
            }
        }
        if (citus) {
            StringBuilder propagated = new StringBuilder("SET LOCAL citus.propagate_set_commands = 'local'");
            settings.forEach((name, value) -> propagated.append("; SET LOCAL ").append(settingName(name))
                    .append(" = ").append(settingValue(value)));
            try (Statement statement = connection.createStatement()) {
                statement.execute(propagated.toString());
            }
        }
    }

    /**
     * Gives the transaction back the search path it had before a tenant's action put that tenant's schema
     * first, so that SQL written by hand in a later action of the same transaction (a main-schema resource's,
     * or another tenant's handle's) never resolves a table it names without a schema in the earlier tenant's
     * schema. Changes nothing when no tenant's search path was set in the transaction.
     */
    static void restoreSearchPath(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT set_config('search_path', " + OUTER_PATH + ", true)");
        }
    }

    /** A setting's dotted name with each part quoted, e.g. {@code "ashlar"."tenant"}. */
    private static String settingName(String name) {
        StringBuilder quoted = new StringBuilder();
        for (String part : name.split("\\.", -1)) {
            quoted.append(quoted.length() == 0 ? "" : ".").append(Identifiers.quote(part));
        }
        return quoted.toString();
    }

    /** A value as a string literal ({@code SET} takes no bound parameters), its NUL refused as a tenant's. */
    private static String settingValue(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new AshlarException(ErrorCode.INVALID_QUERY, "A transaction setting's value (a tenant) cannot hold a NUL character");
        }
        return Literals.quote(value);
    }
}
