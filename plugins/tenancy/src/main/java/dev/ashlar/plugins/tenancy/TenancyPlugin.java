package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.sql.Names;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Literals;
import dev.ashlar.api.sql.TenantSchemaNames;
import dev.ashlar.spi.plugin.Action;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.plugin.SchemaAdmin;
import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.spi.plugin.SectionValidator;
import dev.ashlar.spi.plugin.Tenancy;
import dev.ashlar.spi.plugin.TenantDirectory;
import dev.ashlar.spi.plugin.TenantScope;
import dev.ashlar.spi.plugin.TenantScoping;
import dev.ashlar.spi.plugin.WriteEvent;
import dev.ashlar.spi.plugin.WriteListener;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.spi.schema.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

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
public final class TenancyPlugin implements AshlarPlugin, SectionValidator, SchemaContributor, TenantScoping,
        TenantDirectory, WriteListener {
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
        resource.extension(ManageTenant.class).ifPresent(manage -> validateTemplate(domain, resource, manage, problems));
        resource.extension(Multitenancy.class).ifPresent(m -> {
            m.contextProblems().forEach(problem -> problems.add(new Problem(resource.name(), "multitenancy", problem)));
            m.ancestorProblems().forEach(problem -> problems.add(new Problem(resource.name(), "multitenancy", problem)));
        });
        attributeStrategy(resource).filter(Multitenancy::rowLevelSecurity)
                .map(m -> RowLevelSecurity.nameProblem(resource.table()))
                .ifPresent(problem -> problems.add(new Problem(resource.name(), "table", problem)));
        joinedUnderRowLevelSecurity(domain, resource).ifPresent(problems::add);
        // The history table's policy and its view filter by the tenant column, which past versions must then keep.
        attributeStrategy(resource).filter(Multitenancy::rowLevelSecurity).stream().flatMap(m -> m.columns().stream())
                .flatMap(attribute -> resource.attributes().stream().filter(a -> a.name().equals(attribute)
                        && a.column().historyExcluded()))
                .forEach(a -> problems.add(new Problem(resource.name(), a.name(), "the tenant attribute '" + a.name()
                        + "' is excluded from history under row-level security, whose policy on "
                        + Names.historyTable(resource.table()) + " needs it: remove a -> a.historyExcluded()")));
        return problems;
    }

    private static void validateTemplate(Domain domain, Resource resource, ManageTenant manage, List<Problem> problems) {
        if (manage.attributes(resource).isEmpty()) {
            problems.add(new Problem(resource.name(), "manageTenant", "the template " + manage.template() + " names no "
                    + "attribute of the resource, so every tenant would get the same schema; e.g. template(\"tenant_\", \"id\")"));
        }
        for (int i = 0; i < manage.template().size(); i++) {
            String part = manage.template().get(i);
            if (part == null || part.isEmpty() || resource.attribute(part).isPresent()) {
                continue;
            }
            // A text part that breaks the rules of tenant names breaks every tenant's; a whole-name rule (public,
            // information_schema) cannot, and a system prefix only where the part leads.
            String problem = TenantSchemaNames.problem(part);
            if (problem != null && (!problem.contains("schema") || i == 0 && problem.contains("system schema"))) {
                problems.add(new Problem(resource.name(), "manageTenant", "the template's text '" + part + "' "
                        + problem + ", so no tenant could be created; e.g. template(\"tenant_\", \"id\")"));
            }
        }
        long managers = domain.resources().stream().filter(r -> r.extension(ManageTenant.class).isPresent()).count();
        if (managers > 1) {
            problems.add(new Problem(resource.name(), "manageTenant", "is one of " + managers + " tenant resources; a "
                    + "domain has at most one"));
        }
    }

    @Override
    public Optional<Tenancy> tenancy(Domain domain, Resource resource) {
        return resource.extension(Multitenancy.class).map(m -> m.strategy() == Multitenancy.Strategy.CONTEXT
                ? Tenancy.schemaPerTenant() : new Tenancy(Scope.MAIN, m.columns(), m.global()));
    }

    /** A tenant's schema under the context strategy; its column value (and row-level security setting) otherwise. */
    @Override
    public TenantScope scope(Resource resource, Tenancy tenancy, String tenant) {
        Multitenancy m = resource.extension(Multitenancy.class).orElseThrow();
        if (m.strategy() == Multitenancy.Strategy.CONTEXT) {
            return TenantScope.schema(TenantNames.schema(tenant, resource.name()));
        }
        Map<String, String> values = m.values(tenant, resource.name());
        TenantScope scope = new TenantScope(null, values, Map.of());
        if (m.rowLevelSecurity()) {
            for (Map.Entry<String, String> value : values.entrySet()) {
                scope = scope.withSetting(RowLevelSecurity.setting(m, value.getKey()), value.getValue());
            }
        }
        return scope;
    }

    @Override
    public List<SchemaObject> schemaObjects(SchemaContext context) {
        List<SchemaObject> objects = new ArrayList<>(context.target() == Target.CITUS ? Distribution.objects(context)
                : List.of());
        attributeStrategy(context.resource()).filter(Multitenancy::rowLevelSecurity)
                .ifPresent(m -> objects.add(RowLevelSecurity.policy(context, m)));
        return objects;
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
            parts.add(tenant.attribute(part).isPresent() ? Identifiers.quote(tenant.columnOf(part)) + "::text"
                    : Literals.quote(part));
        }
        return String.join(" || ", parts);
    }

    /** Only the tenant resource's writes: they create, rename or drop its schema. */
    @Override
    public boolean watches(Resource resource) {
        return resource.extension(ManageTenant.class).isPresent();
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
        if (event.action() == Action.UPSERT) {
            // An upsert does not say which records it inserted: an updated one already has its schema, and one
            // whose template field changed would leave its old schema behind. The whole write is rolled back.
            throw QueryException.of(resource.name(), null, "Tenant records of " + resource.name() + " cannot be "
                    + "upserted: their schemas are created with them and renamed with them. Create new tenants with "
                    + "ashlar.create and change existing ones with ashlar.update");
        }
        String schema = event.action() == Action.DESTROY
                ? TenantNames.schema(schemaOf(manage, resource, event.record()), resource.name())
                : recordSchema(manage, resource, event.record());
        switch (event.action()) {
            case CREATE -> {
                if (manage.create()) {
                    schemas.createTenantSchema(schema);
                }
            }
            case UPDATE -> {
                String before = schemaOf(manage, resource, event.before());
                if (manage.update() && !before.equals(schema)) {
                    schemas.renameSchema(TenantNames.schema(before, resource.name()), schema);
                }
            }
            case DESTROY -> {
                if (manage.dropSchemaOnDestroy()) {
                    schemas.dropSchema(schema);
                }
            }
            default -> {
            }
        }
    }

    /**
     * The schema a tenant record being written names; one no schema can be named (too long, a character the tenant
     * rules refuse) is a field error on each attribute of the template, as a blank value is, since the record is the
     * caller's data: the writer fixes the value, not a tenant name it never wrote.
     */
    private static String recordSchema(ManageTenant manage, Resource resource, Row record) {
        String schema = schemaOf(manage, resource, record);
        String problem = TenantSchemaNames.problem(schema);
        if (problem != null) {
            throw new InvalidDataException(resource.name(), "name its tenant schema", manage.attributes(resource)
                    .stream().map(attribute -> new FieldError(attribute, "names the tenant schema '" + schema
                            + "', which " + problem)).toList(), null, null);
        }
        return schema;
    }

    /** The schema a tenant record's template names. */
    static String schemaOf(ManageTenant manage, Resource resource, Row record) {
        StringBuilder schema = new StringBuilder();
        for (String part : manage.template()) {
            if (resource.attribute(part).isEmpty()) {
                schema.append(part);
            } else if (record.get(part) == null || record.get(part).toString().isBlank()) {
                // A blank value would name the template's prefix alone (tenant_): a schema no tenant is named by.
                throw new InvalidDataException(resource.name(), "name its tenant schema", List.of(new FieldError(part,
                        "is " + (record.get(part) == null ? "nil" : "blank") + ", and it names the tenant's schema: "
                                + "give every " + resource.name() + " a " + part)), null, null);
            } else {
                schema.append(record.get(part));
            }
        }
        return schema.toString();
    }

    /**
     * A resource extending another ({@code extending(parent)}) under row-level security: its table holds no tenant
     * column for a policy to compare, and a policy looking the parent's row up cannot check a create, whose parent
     * row the same statement inserts (PostgreSQL shows a statement's own inserts to none of its sub-selects).
     */
    private static Optional<Problem> joinedUnderRowLevelSecurity(Domain domain, Resource resource) {
        if (resource.tableOptions().extending() == null) {
            return Optional.empty();
        }
        String parent = resource.tableOptions().extending().parent();
        if (Stream.of(resource, domain.resource(parent))
                .noneMatch(r -> attributeStrategy(r).filter(Multitenancy::rowLevelSecurity).isPresent())) {
            return Optional.empty();
        }
        return Optional.of(new Problem(resource.name(), "multitenancy", "resource '" + resource.name() + "' extends '"
                + parent + "' under rowLevelSecurity(true), but its table " + resource.table() + " holds no tenant "
                + "column for a policy to compare, so a tenant's own connection would read every tenant's rows of it: "
                + "remove rowLevelSecurity(true) from both, or make '" + resource.name() + "' a resource of its own "
                + "(with its tenant column) that belongsTo '" + parent + "'"));
    }

    private static Optional<Multitenancy> attributeStrategy(Resource resource) {
        return resource.extension(Multitenancy.class).filter(m -> m.strategy() == Multitenancy.Strategy.ATTRIBUTE);
    }
}
