package dev.ashlar.spi.plugin;

/**
 * A feature added to Ashlar from outside the kernel: foreign keys, checks, indexes, tenancy,
 * replicas, manual relationships, or your own. This interface only names the plugin; what it can do
 * is the set of capability interfaces it also implements, each small and called only where it
 * applies:
 *
 * <ul>
 *   <li>{@link SectionValidator}, {@link DomainValidator}: check definitions when the domain is built;</li>
 *   <li>{@link SchemaContributor}: add DDL objects on a resource's table at code generation;</li>
 *   <li>{@link TenantScoping}: place resources in tenant schemas or behind a tenant column, and scope actions;</li>
 *   <li>{@link TenantDirectory}: list every tenant's schema for {@code migrate --tenants};</li>
 *   <li>{@link ErrorMapper}: turn database errors into clear ones;</li>
 *   <li>{@link Router}: choose the data source of an action;</li>
 *   <li>{@link RelationshipProvider}: give resources relationships with loaders of their own;</li>
 *   <li>{@link WriteListener}: act inside the transaction of a write;</li>
 *   <li>{@link RuntimeParticipant}: hold state for as long as one {@code Ashlar} lives.</li>
 * </ul>
 *
 * <p>The kernel sorts plugins into one list per capability once, when a domain's plugins are set up;
 * a new extension point is a new interface, never one more method here.
 *
 * <p>A plugin is found by {@link java.util.ServiceLoader}: its jar lists the class in
 * {@code META-INF/services/dev.ashlar.spi.plugin.AshlarPlugin}. It may also be installed by hand.
 * Plugins run in the order of their {@link #id()}. A plugin acts only on the resources that carry
 * its {@link dev.ashlar.api.resource.Extension section} (or that its own configuration names):
 * putting its jar on the classpath never changes what other resources do.
 *
 * <pre>{@code
 * public final class AuditPlugin implements AshlarPlugin, SchemaContributor {
 *     public String id() { return "audit"; }
 *     public List<SchemaObject> schemaObjects(SchemaContext context) {
 *         return context.resource().extension(Audited.class)
 *                 .map(audited -> List.of(triggerFor(context))).orElse(List.of());
 *     }
 * }
 * }</pre>
 */
public interface AshlarPlugin {

    /** A short unique id, e.g. {@code references}; sections name their plugin by it. */
    String id();
}
