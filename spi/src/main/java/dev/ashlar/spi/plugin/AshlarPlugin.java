package dev.ashlar.spi.plugin;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Operation;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;

import java.util.List;
import java.util.Optional;

/**
 * A feature added to Ashlar from outside the kernel: foreign keys, checks, indexes, tenancy,
 * replicas, manual relationships, or your own. One method per phase, each a no-op by default, so a
 * plugin implements only what it needs.
 *
 * <p>A plugin is found by {@link java.util.ServiceLoader}: its jar lists the class in
 * {@code META-INF/services/dev.ashlar.spi.plugin.AshlarPlugin}. It may also be installed by hand.
 * Plugins run in the order of their {@link #id()}. A plugin acts only on the resources that carry
 * its {@link dev.ashlar.api.resource.Extension section} (or that its own configuration names):
 * putting its jar on the classpath never changes what other resources do.
 *
 * <pre>{@code
 * public final class AuditPlugin implements AshlarPlugin {
 *     public String id() { return "audit"; }
 *     public List<SchemaObject> schemaObjects(SchemaContext context) {
 *         return context.resource().extension(Audited.class)
 *                 .map(audited -> List.of(triggerFor(context))).orElse(List.of());
 *     }
 * }
 * }</pre>
 */
public interface AshlarPlugin {

    /** A short unique id, e.g. {@code references}; extensions name their plugin by it. */
    String id();

    /** Checks this plugin's sections of a resource when the domain is built; returns what is wrong. */
    default List<DefinitionException.Problem> validate(Domain domain, Resource resource) {
        return List.of();
    }

    /** Where the resource's table lives, if this plugin decides it (tenancy does); empty leaves it in {@link Scope#MAIN}. */
    default Optional<Scope> placement(Resource resource) {
        return Optional.empty();
    }

    /**
     * Columns that scope every identity of the resource, e.g. a tenant column: the kernel puts them
     * first in each identity's unique index (and upserts in their conflict target), unless the
     * identity is declared unique across all tenants. Empty by default.
     */
    default List<String> identityScope(Resource resource) {
        return List.of();
    }

    /**
     * The schema objects this plugin adds on the resource's table, in a stable order. Called at every
     * code generation, for every resource.
     */
    default List<SchemaObject> schemaObjects(SchemaContext context) {
        return List.of();
    }

    /** Rewrites a query before it is rendered: add a tenant filter, pick a schema. Returns the query unchanged by default. */
    default Query rewrite(Query query, QueryContext context) {
        return query;
    }

    /**
     * Settings for the transaction of every statement on a resource, e.g. the tenant that a
     * row-level security policy reads: the kernel runs {@code set_config(name, value, true)} before
     * the statement, in the same transaction. Empty by default, which costs nothing.
     *
     * @param tenant the tenant the action names, or {@code null}
     */
    default java.util.Map<String, String> settings(QueryContext context, String tenant) {
        return java.util.Map.of();
    }

    /**
     * Called after a create, update or destroy, inside its transaction: a failure here rolls the
     * write back. The tenancy plugin creates a tenant's schema here.
     */
    default void afterWrite(WriteEvent event, QueryContext context, SchemaAdmin schemas) {
    }

    /**
     * Turns a database error into a clear one, e.g. a violated check into a field error with the
     * check's message. Runs before the kernel's own mapping; the first plugin that answers wins.
     */
    default Optional<AshlarException> mapError(DatabaseError error, QueryContext context) {
        return Optional.empty();
    }

    /**
     * A query listing the schema of every tenant (the guide's {@code all_tenants}), one text column,
     * for {@code ashlar migrate --tenants}; empty when this plugin does not know the tenants. The SQL
     * comes from plugin code, never from request data.
     */
    default Optional<String> tenantSchemasQuery(Domain domain) {
        return Optional.empty();
    }

    /**
     * The custom relationships this plugin gives a resource (the manual-relationships plugin reads them
     * from its section); the kernel loads and filters them like standard ones. Called once per resource
     * when Ashlar is built. Empty by default.
     */
    default List<CustomRelationship> relationships(Domain domain, Resource resource) {
        return List.of();
    }

    /**
     * Names the data source that serves an operation on a resource (the guide's
     * {@code fn resource, :read | :mutate -> repo}); empty leaves the choice to others or the primary.
     *
     * <p>The kernel asks before every mutation (also inside a transaction) and before every read
     * outside a transaction that takes no row lock; the others run on the primary without asking.
     * A mutation must be answered with nothing or {@link Replication#PRIMARY}: the kernel refuses any
     * other name before sending the statement.
     */
    default Optional<String> route(Resource resource, Operation operation) {
        return Optional.empty();
    }

    /**
     * Called once when an {@code Ashlar} that uses this plugin is built, with the kernel's view of its
     * data sources; a routing plugin keeps it to check health and replay positions. Does nothing by
     * default.
     */
    default void start(Replication replication) {
    }

    /** Called when that {@code Ashlar} is closed: stop threads started in {@link #start}. Does nothing by default. */
    default void stop() {
    }
}
