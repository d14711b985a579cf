package dev.ashlar.kernel.plugin;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Identity;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.spi.plugin.Tenancy;
import dev.ashlar.spi.plugin.TenantScope;
import dev.ashlar.spi.plugin.TenantScoping;
import dev.ashlar.spi.schema.Scope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How every resource of a domain is confined to tenants, resolved once from the {@link TenantScoping}
 * plugins and used alike by code generation (where a table lives, which columns lead its unique
 * indexes) and by the data layer (each action's {@link TenantScope}).
 */
public final class Tenancies {
    private final Map<String, Scoped> byResource;
    private final List<Problem> problems;
    /** The schemas of the domain's main tables, by schema: a tenant's schema is never one of them. */
    private final Map<String, String> mainSchemas;

    private record Scoped(TenantScoping plugin, Tenancy tenancy) {
    }

    private Tenancies(Map<String, Scoped> byResource, List<Problem> problems, Map<String, String> mainSchemas) {
        this.byResource = Map.copyOf(byResource);
        this.problems = List.copyOf(problems);
        this.mainSchemas = Map.copyOf(mainSchemas);
    }

    static Tenancies resolve(Domain domain, Plugins plugins) {
        Map<String, Scoped> scoped = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Resource resource : domain.resources()) {
            for (TenantScoping plugin : plugins.scopings()) {
                Optional<Tenancy> tenancy = plugin.tenancy(domain, resource);
                if (tenancy.isEmpty()) {
                    continue;
                }
                Scoped earlier = scoped.putIfAbsent(resource.name(), new Scoped(plugin, tenancy.get()));
                if (earlier != null) {
                    problems.add(new Problem(resource.name(), null, "is scoped to tenants by two plugins, '"
                            + Plugins.idOf(earlier.plugin) + "' and '" + Plugins.idOf(plugin) + "'. Remove one of "
                            + "their sections from the resource."));
                }
                tenancy.get().columns().stream().filter(c -> resource.attribute(c).isEmpty()).forEach(c ->
                        problems.add(new Problem(resource.name(), c, "is the tenant attribute but the resource has "
                                + "no such attribute; add it, e.g. .attribute(\"" + c + "\", TEXT, a -> a.notNull())")));
                // A tenant's filter and its writes would go through the expressions, and a stored value another
                // tenant's filter reads as its own would be that tenant's row.
                tenancy.get().columns().stream().flatMap(c -> resource.attribute(c).stream())
                        .filter(a -> a.expressions().any()).forEach(a -> problems.add(new Problem(resource.name(),
                                a.name(), "is the tenant attribute, which is matched and written as stored, so it "
                                + "cannot have readAs(...) or writeAs(...): remove them")));
            }
        }
        Tenancies placed = new Tenancies(scoped, List.of(), Map.of());
        problems.addAll(placed.mainToTenantReferences(domain));
        Map<String, String> mainSchemas = new HashMap<>();
        domain.resources().stream().filter(r -> placed.placement(r) == Scope.MAIN)
                .forEach(r -> mainSchemas.putIfAbsent(r.schemaOrDefault(), r.name()));
        return new Tenancies(scoped, problems, mainSchemas);
    }

    /** A table in the main schema cannot reference one that exists only in tenant schemas. */
    private List<Problem> mainToTenantReferences(Domain domain) {
        List<Problem> found = new ArrayList<>();
        for (Resource resource : domain.resources()) {
            if (placement(resource) != Scope.MAIN) {
                continue;
            }
            for (Relationship relationship : resource.relationships()) {
                if (relationship instanceof BelongsTo belongsTo && domain.find(belongsTo.destination())
                        .map(d -> placement(d) == Scope.TENANT).orElse(false)) {
                    found.add(new Problem(resource.name(), belongsTo.name(), "points from the main schema at '"
                            + belongsTo.destination() + "', whose table exists only in tenant schemas; a main table "
                            + "cannot reference it. Make '" + resource.name() + "' multitenant too, or drop the relationship"));
                }
            }
        }
        return found;
    }

    /** What is wrong with the resources' tenancy: two plugins scoping one resource, a missing tenant column. */
    List<Problem> problems() {
        return problems;
    }

    /** How a resource is confined to tenants; empty when it is not. */
    public Optional<Tenancy> of(String resource) {
        Scoped scoped = scoped(resource);
        return scoped == null ? Optional.empty() : Optional.of(scoped.tenancy);
    }

    /**
     * The tenancy of a resource by its name; a draftable resource's drafts ({@code post@posts_draft}, which the data
     * layer serves beside the domain's resources) have their resource's, so a tenant's drafts are its own.
     */
    private Scoped scoped(String resource) {
        Scoped scoped = byResource.get(resource);
        return scoped != null || resource == null ? scoped : byResource.get(Resource.withoutTable(resource));
    }

    /** Where a resource's table lives. */
    public Scope placement(Resource resource) {
        return of(resource.name()).map(Tenancy::placement).orElse(Scope.MAIN);
    }

    /** The columns a tenant's scope fixes on a resource (a tenant column); empty for most resources. */
    public List<String> columns(Resource resource) {
        return of(resource.name()).map(Tenancy::columns).orElse(List.of());
    }

    /** The columns of an identity's unique index: the tenant columns first, unless it spans all tenants. */
    public List<String> identityColumns(Resource resource, Identity identity) {
        List<String> columns = new ArrayList<>();
        if (!identity.allTenants()) {
            columns.addAll(columns(resource));
        }
        identity.fields().stream().filter(f -> !columns.contains(f)).forEach(columns::add);
        return columns;
    }

    /**
     * One tenant's scope on a resource, from its plugin, checked against the resource's tenancy: a
     * schema exactly for tenant-schema resources, and the tenant columns fixed.
     *
     * @param tenant a non-empty tenant name
     */
    public TenantScope scope(Resource resource, String tenant) {
        Scoped scoped = scoped(resource.name());
        TenantScope scope;
        try {
            scope = scoped.plugin.scope(resource, scoped.tenancy, tenant);
        } catch (AshlarException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PluginException("Plugin '" + Plugins.idOf(scoped.plugin) + "' failed to scope '"
                    + resource.name() + "' to tenant '" + tenant + "': " + e, resource.name(), e);
        }
        boolean inSchema = scoped.tenancy.placement() == Scope.TENANT;
        if (scope == null || (scope.schema() != null) != inSchema
                || !scope.fixed().keySet().equals(java.util.Set.copyOf(scoped.tenancy.columns()))) {
            throw new PluginException("Plugin '" + Plugins.idOf(scoped.plugin) + "' gave resource '" + resource.name()
                    + "' the scope " + scope + " for tenant '" + tenant + "', which does not match its tenancy "
                    + scoped.tenancy + ": a tenant-schema resource needs a schema, a column resource its columns fixed",
                    resource.name(), null);
        }
        if (scope.schema() != null) {
            Identifiers.quote(scope.schema());
            String owner = mainSchemas.get(scope.schema());
            if (owner != null) {
                throw QueryException.of(resource.name(), null, "Tenant '" + tenant + "' of resource '"
                        + resource.name() + "' would be schema " + scope.schema() + ", which holds the domain's own "
                        + "tables (resource '" + owner + "'): a tenant never shares a schema with them. Name the "
                        + "tenant otherwise, or give its schemas a prefix in the tenant template");
            }
        }
        return scope;
    }
}
