package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.plugin.SchemaAdmin;
import dev.ashlar.spi.plugin.WriteEvent;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Multitenancy, as AshPostgres has it. Acts only on resources that carry a {@link Multitenancy} or
 * {@link ManageTenant} section.
 *
 * <ul>
 *   <li><b>context</b>: the table lives in every tenant schema; each query names a tenant (its schema)
 *       and runs there.</li>
 *   <li><b>attribute</b>: one table with a tenant column; each query is filtered by it, identities are
 *       unique per tenant, and row-level security can enforce it in the database too.</li>
 * </ul>
 */
public final class TenancyPlugin implements AshlarPlugin {
    static final String ID = "tenancy";
    static final String ARTIFACT = "dev.ashlar:ashlar-tenancy";
    /** The setting that row-level security policies compare the tenant column with. */
    public static final String TENANT_SETTING = "ashlar.tenant";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Problem> validate(Domain domain, Resource resource) {
        List<Problem> problems = new ArrayList<>();
        resource.extension(Multitenancy.class).ifPresent(m -> {
            if (m.strategy() == Multitenancy.Strategy.ATTRIBUTE && resource.attribute(m.attribute()).isEmpty()) {
                problems.add(new Problem(resource.name(), m.attribute(), "is the tenant attribute but the resource has "
                        + "no such attribute; add it, e.g. .attribute(\"" + m.attribute() + "\", TEXT, a -> a.notNull())"));
            }
        });
        if (!isContext(resource)) {
            for (Relationship relationship : resource.relationships()) {
                if (relationship instanceof BelongsTo belongsTo
                        && domain.find(belongsTo.destination()).map(TenancyPlugin::isContext).orElse(false)) {
                    problems.add(new Problem(resource.name(), belongsTo.name(), "points from the main schema at '"
                            + belongsTo.destination() + "', whose table exists only in tenant schemas; a main table "
                            + "cannot reference it. Make '" + resource.name() + "' multitenant too, or drop the relationship"));
                }
            }
        }
        resource.extension(ManageTenant.class).ifPresent(manage -> validateTemplate(domain, resource, manage, problems));
        return problems;
    }

    private static void validateTemplate(Domain domain, Resource resource, ManageTenant manage, List<Problem> problems) {
        if (manage.attributes(resource).isEmpty()) {
            problems.add(new Problem(resource.name(), "manageTenant", "the template " + manage.template() + " names no "
                    + "attribute of the resource, so every tenant would get the same schema; e.g. template(\"tenant_\", \"id\")"));
        }
        long managers = domain.resources().stream().filter(r -> r.extension(ManageTenant.class).isPresent()).count();
        if (managers > 1) {
            problems.add(new Problem(resource.name(), "manageTenant", "is one of " + managers + " tenant resources; a "
                    + "domain has at most one"));
        }
    }

    @Override
    public Optional<Scope> placement(Resource resource) {
        return isContext(resource) ? Optional.of(Scope.TENANT) : Optional.empty();
    }

    @Override
    public List<String> identityScope(Resource resource) {
        return attributeStrategy(resource).map(m -> List.of(m.attribute())).orElse(List.of());
    }

    @Override
    public List<SchemaObject> schemaObjects(SchemaContext context) {
        return attributeStrategy(context.resource()).filter(Multitenancy::rowLevelSecurity)
                .map(m -> List.of(RowLevelSecurity.policy(context, m.attribute()))).orElse(List.of());
    }

    @Override
    public Optional<String> tenantSchemasQuery(Domain domain) {
        return domain.resources().stream().filter(r -> r.extension(ManageTenant.class).isPresent()).findFirst()
                .map(tenant -> "SELECT " + schemaExpression(tenant, tenant.extension(ManageTenant.class).orElseThrow())
                        + " FROM " + Identifiers.qualify(tenant.schemaOrDefault(), tenant.table()) + " ORDER BY 1");
    }

    /** The SQL expression that computes a tenant row's schema name from its template. */
    static String schemaExpression(Resource tenant, ManageTenant manage) {
        List<String> parts = new ArrayList<>();
        for (String part : manage.template()) {
            parts.add(tenant.attribute(part).isPresent() ? Identifiers.quote(part) + "::text"
                    : "'" + part.replace("'", "''") + "'");
        }
        return String.join(" || ", parts);
    }

    @Override
    public Query rewrite(Query query, QueryContext context) {
        Resource resource = context.resource();
        Optional<Multitenancy> multitenancy = resource.extension(Multitenancy.class);
        if (multitenancy.isEmpty()) {
            return query;
        }
        Multitenancy m = multitenancy.get();
        if (query.tenant() == null) {
            if (m.global()) {
                return query;
            }
            throw new AshlarException(ErrorCode.INVALID_QUERY, "Resource '" + resource.name() + "' is multitenant ("
                    + m.strategy().name().toLowerCase(java.util.Locale.ROOT) + " strategy): every " + context.action()
                    + " must name a tenant, e.g. .tenant(\"tenant_acme\")" + (m.strategy() == Multitenancy.Strategy.ATTRIBUTE
                    ? ", or allow global access with Multitenancy.attribute(...).global(true)" : ""),
                    resource.name(), null, null, null);
        }
        if (m.strategy() == Multitenancy.Strategy.CONTEXT) {
            return query.withSchema(TenantNames.schema(query.tenant(), resource.name()));
        }
        return query.and(Filter.eq(m.attribute(), query.tenant()));
    }

    @Override
    public Map<String, String> settings(QueryContext context, String tenant) {
        boolean secured = attributeStrategy(context.resource()).map(Multitenancy::rowLevelSecurity).orElse(false);
        return secured && tenant != null ? Map.of(TENANT_SETTING, tenant) : Map.of();
    }

    /** Creates, renames or drops a tenant's schema with its record, in the same transaction. */
    @Override
    public void afterWrite(WriteEvent event, QueryContext context, SchemaAdmin schemas) {
        Resource resource = context.resource();
        Optional<ManageTenant> managed = resource.extension(ManageTenant.class);
        if (managed.isEmpty()) {
            return;
        }
        ManageTenant manage = managed.get();
        String schema = TenantNames.schema(schemaOf(manage, resource, event.record()), resource.name());
        switch (event.action()) {
            case "create" -> schemas.createTenantSchema(schema);
            case "update" -> {
                String before = schemaOf(manage, resource, event.before());
                if (manage.update() && !before.equals(schema)) {
                    schemas.renameSchema(TenantNames.schema(before, resource.name()), schema);
                }
            }
            case "destroy" -> {
                if (manage.dropSchemaOnDestroy()) {
                    schemas.dropSchema(schema);
                }
            }
            default -> {
            }
        }
    }

    /** The schema a tenant record's template names. */
    static String schemaOf(ManageTenant manage, Resource resource, Row record) {
        StringBuilder schema = new StringBuilder();
        for (String part : manage.template()) {
            schema.append(resource.attribute(part).isPresent() ? String.valueOf(record.get(part)) : part);
        }
        return schema.toString();
    }

    static boolean isContext(Resource resource) {
        return resource.extension(Multitenancy.class).map(m -> m.strategy() == Multitenancy.Strategy.CONTEXT)
                .orElse(false);
    }

    private static Optional<Multitenancy> attributeStrategy(Resource resource) {
        return resource.extension(Multitenancy.class).filter(m -> m.strategy() == Multitenancy.Strategy.ATTRIBUTE);
    }
}
