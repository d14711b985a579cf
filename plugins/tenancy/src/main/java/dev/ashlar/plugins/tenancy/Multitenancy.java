package dev.ashlar.plugins.tenancy;


/**
 * How a resource is split between tenants: {@code .with(Multitenancy.context())} keeps its table
 * in every tenant's schema; {@code .with(Multitenancy.attribute("org_id"))} keeps one table with a
 * tenant column.
 *
 * @param strategy         context (a schema per tenant) or attribute (a tenant column)
 * @param attribute        the tenant column, for the attribute strategy
 * @param global           whether reads and writes without a tenant are allowed (attribute strategy)
 * @param rowLevelSecurity whether PostgreSQL row-level security also isolates tenants (attribute strategy)
 */
public record Multitenancy(Strategy strategy, String attribute, boolean global, boolean rowLevelSecurity)
        implements TenancySection {

    /** The two ways of keeping tenants apart, as in AshPostgres. */
    public enum Strategy { CONTEXT, ATTRIBUTE }

    /** A schema per tenant: the table exists only in tenant schemas. */
    public static Multitenancy context() {
        return new Multitenancy(Strategy.CONTEXT, null, false, false);
    }

    /** One table, a tenant column: every read, update and destroy is filtered by it, creates set it. */
    public static Multitenancy attribute(String attribute) {
        return new Multitenancy(Strategy.ATTRIBUTE, attribute, false, false);
    }

    /** Allows actions without a tenant, which then see every tenant's rows. */
    public Multitenancy global(boolean allowed) {
        return new Multitenancy(strategy, attribute, allowed, rowLevelSecurity);
    }

    /**
     * Also generates row-level security for the table: a policy that compares the tenant column
     * with the setting {@value TenancyPlugin#TENANT_SETTING}, which the data layer sets for each
     * transaction, so even hand-written SQL on the same connection sees only that tenant's rows.
     */
    public Multitenancy rowLevelSecurity(boolean enabled) {
        return new Multitenancy(strategy, attribute, global, enabled);
    }
}
