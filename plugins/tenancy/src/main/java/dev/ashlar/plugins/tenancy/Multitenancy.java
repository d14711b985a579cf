package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * How a resource is split between tenants: {@code .with(Multitenancy.context())} keeps its table
 * in every tenant's schema; {@code .with(Multitenancy.attribute("org_id"))} keeps one table with a
 * tenant column.
 *
 * @param strategy         context (a schema per tenant) or attribute (a tenant column)
 * @param attribute        the tenant column, for the attribute strategy
 * @param global           whether reads and writes without a tenant are allowed (attribute strategy)
 * @param rowLevelSecurity whether PostgreSQL row-level security also isolates tenants (attribute strategy)
 * @param parseAttribute   the tenant column's value for a tenant (AshPostgres's {@code parse_attribute}); null when
 *                         the column holds the tenant itself
 */
public record Multitenancy(Strategy strategy, String attribute, boolean global, boolean rowLevelSecurity,
                           UnaryOperator<String> parseAttribute) implements TenancySection {

    /** The two ways of keeping tenants apart, as in AshPostgres. */
    public enum Strategy { CONTEXT, ATTRIBUTE }

    public Multitenancy(Strategy strategy, String attribute, boolean global, boolean rowLevelSecurity) {
        this(strategy, attribute, global, rowLevelSecurity, null);
    }

    /** A schema per tenant: the table exists only in tenant schemas. */
    public static Multitenancy context() {
        return new Multitenancy(Strategy.CONTEXT, null, false, false);
    }

    /** One table, a tenant column: every read, update and destroy is filtered by it, creates set it. */
    public static Multitenancy attribute(String attribute) {
        if (attribute == null || attribute.isBlank()) {
            throw DefinitionException.of(null, null, "Multitenancy.attribute needs the name of the tenant attribute, "
                    + "e.g. Multitenancy.attribute(\"org_id\"), got " + (attribute == null ? "null" : "'" + attribute
                    + "'"));
        }
        return new Multitenancy(Strategy.ATTRIBUTE, attribute, false, false);
    }

    /** Allows actions without a tenant, which then see every tenant's rows. */
    public Multitenancy global(boolean allowed) {
        return new Multitenancy(strategy, attribute, allowed, rowLevelSecurity, parseAttribute);
    }

    /**
     * Also generates row-level security for the table: a policy that compares the tenant column
     * with the setting {@value TenancyPlugin#TENANT_SETTING}, which the data layer sets for each
     * transaction, so even hand-written SQL on the same connection sees only that tenant's rows.
     */
    public Multitenancy rowLevelSecurity(boolean enabled) {
        return new Multitenancy(strategy, attribute, global, enabled, parseAttribute);
    }

    /**
     * How the tenant column's value is read from a tenant, as AshPostgres's {@code parse_attribute} does: so that one
     * handle serves both strategies when tenants are named by their schema and the column holds the key, e.g.
     * {@code .parseAttribute(tenant -> tenant.substring("org_".length()))} for tenant {@code org_42} and column
     * value {@code 42}. Rows still remember the tenant itself.
     */
    public Multitenancy parseAttribute(UnaryOperator<String> parse) {
        return new Multitenancy(strategy, attribute, global, rowLevelSecurity, parse);
    }

    /** What a schema-per-tenant resource asks that only a tenant column can do; each problem names the option. */
    List<String> contextProblems() {
        List<String> problems = new ArrayList<>();
        if (strategy != Strategy.CONTEXT) {
            return problems;
        }
        if (global) {
            problems.add("global(true) lets a tenant column's resource be read without a tenant; a schema-per-tenant "
                    + "resource has its table only in tenant schemas, so every action names one: remove global(true)");
        }
        if (rowLevelSecurity) {
            problems.add("rowLevelSecurity(true) compares a tenant column; a schema-per-tenant resource keeps tenants "
                    + "apart by schema: remove rowLevelSecurity(true), or use Multitenancy.attribute(...)");
        }
        if (parseAttribute != null) {
            problems.add("parseAttribute reads a tenant column's value; a schema-per-tenant resource has none: "
                    + "remove it");
        }
        return problems;
    }

    /** The tenant column's value for a tenant, or an error naming the resource when the tenant gives none. */
    String attributeValue(String tenant, String resource) {
        if (parseAttribute == null) {
            return tenant;
        }
        String value;
        try {
            value = parseAttribute.apply(tenant);
        } catch (RuntimeException e) {
            throw QueryException.of(resource, attribute, "Tenant '" + tenant + "' gives no value for the tenant "
                    + "column " + attribute + " of " + resource + ": its parseAttribute failed with " + e, e);
        }
        if (value == null || value.isBlank()) {
            throw QueryException.of(resource, attribute, "Tenant '" + tenant + "' gives no value for the tenant "
                    + "column " + attribute + " of " + resource + ": its parseAttribute returned "
                    + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }
}
