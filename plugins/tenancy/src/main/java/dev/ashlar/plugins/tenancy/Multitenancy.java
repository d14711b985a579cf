package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * @param ancestors        further tenant columns whose values the tenant also fixes (AshPostgres's
 *                         {@code ancestor_attributes}), in the order they lead the tenant's keys and identities
 */
public record Multitenancy(Strategy strategy, String attribute, boolean global, boolean rowLevelSecurity,
                           UnaryOperator<String> parseAttribute, List<Ancestor> ancestors) implements TenancySection {

    /** The two ways of keeping tenants apart, as in AshPostgres. */
    public enum Strategy { CONTEXT, ATTRIBUTE }

    /**
     * A tenant column above the tenant's own, e.g. the organization of a department: its value is read from the tenant
     * by {@code parse}, and rows, filters, identities and keys hold it as they hold the tenant column.
     */
    public record Ancestor(String attribute, UnaryOperator<String> parse) {
    }

    public Multitenancy {
        ancestors = List.copyOf(ancestors);
    }

    public Multitenancy(Strategy strategy, String attribute, boolean global, boolean rowLevelSecurity,
                        UnaryOperator<String> parseAttribute) {
        this(strategy, attribute, global, rowLevelSecurity, parseAttribute, List.of());
    }

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
        return new Multitenancy(strategy, attribute, allowed, rowLevelSecurity, parseAttribute, ancestors);
    }

    /**
     * Also generates row-level security for the table: a policy that compares the tenant column
     * with the setting {@value TenancyPlugin#TENANT_SETTING}, which the data layer sets for each
     * transaction, so even hand-written SQL on the same connection sees only that tenant's rows.
     */
    public Multitenancy rowLevelSecurity(boolean enabled) {
        return new Multitenancy(strategy, attribute, global, enabled, parseAttribute, ancestors);
    }

    /**
     * How the tenant column's value is read from a tenant, as AshPostgres's {@code parse_attribute} does: so that one
     * handle serves both strategies when tenants are named by their schema and the column holds the key, e.g.
     * {@code .parseAttribute(tenant -> tenant.substring("org_".length()))} for tenant {@code org_42} and column
     * value {@code 42}. Rows still remember the tenant itself.
     */
    public Multitenancy parseAttribute(UnaryOperator<String> parse) {
        return new Multitenancy(strategy, attribute, global, rowLevelSecurity, parse, ancestors);
    }

    /**
     * Another tenant column whose value the tenant fixes too (AshPostgres's {@code ancestor_attributes}), so that a
     * department's rows are also its organization's: {@code Multitenancy.attribute("department_id").parseAttribute(t ->
     * t.substring(t.indexOf(':') + 1)).ancestor("organization_id", t -> t.substring(0, t.indexOf(':')))} for tenant
     * {@code <organization>:<department>}. Creates set it, every action is filtered by it, and identities, upserts'
     * conflict targets and keys between resources of the same tenant columns include it, ancestors first; a tenant
     * whose department id is another organization's reaches none of that organization's rows.
     */
    public Multitenancy ancestor(String ancestor, UnaryOperator<String> parse) {
        if (ancestor == null || ancestor.isBlank() || parse == null) {
            throw DefinitionException.of(null, ancestor, "Multitenancy.ancestor needs the name of a tenant attribute "
                    + "and how its value is read from the tenant, e.g. ancestor(\"organization_id\", t -> "
                    + "t.substring(0, t.indexOf(':')))");
        }
        List<Ancestor> more = new ArrayList<>(ancestors);
        more.add(new Ancestor(ancestor, parse));
        return new Multitenancy(strategy, attribute, global, rowLevelSecurity, parseAttribute, more);
    }

    /** The tenant columns, ancestors first, in the order they lead identities and keys. */
    List<String> columns() {
        List<String> columns = new ArrayList<>();
        ancestors.forEach(ancestor -> columns.add(ancestor.attribute()));
        columns.add(attribute);
        return columns;
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
        if (!ancestors.isEmpty()) {
            problems.add("ancestor(...) adds a tenant column; a schema-per-tenant resource has none: remove it");
        }
        return problems;
    }

    /** What a tenant column's ancestors ask that cannot be done; each problem names the option. */
    List<String> ancestorProblems() {
        List<String> problems = new ArrayList<>();
        if (strategy != Strategy.ATTRIBUTE || ancestors.isEmpty()) {
            return problems;
        }
        if (java.util.Set.copyOf(columns()).size() < columns().size()) {
            problems.add("ancestor(...) names a tenant column twice in " + columns() + ": name each once");
        }
        if (rowLevelSecurity) {
            ancestors.stream().map(Ancestor::attribute).filter(a -> !a.matches("[A-Za-z_][A-Za-z0-9_]*")).forEach(a ->
                    problems.add("rowLevelSecurity(true) compares ancestor " + a + " with the setting "
                            + RowLevelSecurity.setting(this, a) + ", which PostgreSQL cannot name: give the ancestor "
                            + "an attribute name of letters, digits and underscores"));
        }
        return problems;
    }

    /** The tenant column's value for a tenant, or an error naming the resource when the tenant gives none. */
    String attributeValue(String tenant, String resource) {
        return parseAttribute == null ? tenant : value(attribute, "parseAttribute", parseAttribute, tenant, resource);
    }

    /** Each tenant column's value for a tenant, ancestors first; an error naming the column when the tenant gives none. */
    Map<String, String> values(String tenant, String resource) {
        Map<String, String> values = new LinkedHashMap<>();
        ancestors.forEach(ancestor -> values.put(ancestor.attribute(), value(ancestor.attribute(),
                "ancestor(\"" + ancestor.attribute() + "\", ...)", ancestor.parse(), tenant, resource)));
        values.put(attribute, attributeValue(tenant, resource));
        return values;
    }

    private static String value(String column, String option, UnaryOperator<String> parse, String tenant,
                                String resource) {
        String value;
        try {
            value = parse.apply(tenant);
        } catch (RuntimeException e) {
            throw QueryException.of(resource, column, "Tenant '" + tenant + "' gives no value for the tenant "
                    + "column " + column + " of " + resource + ": its " + option + " failed with " + e, e);
        }
        if (value == null || value.isBlank()) {
            throw QueryException.of(resource, column, "Tenant '" + tenant + "' gives no value for the tenant "
                    + "column " + column + " of " + resource + ": its " + option + " returned "
                    + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }
}
