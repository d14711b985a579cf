package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Resource;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Marks the tenant resource: creating one of its records creates the tenant's schema, named by a
 * template, and applies every tenant migration to it in the same transaction.
 *
 * <pre>{@code
 * Resource tenant = Resource.builder("tenant").table("tenants")
 *         .attribute("id", TEXT, a -> a.primaryKey())
 *         .with(ManageTenant.template("tenant_", "id"))
 *         .build();
 * }</pre>
 *
 * @param template            literal parts and attribute names; a part that names an attribute of the resource is
 *                            replaced by its value, any other part is text
 * @param update              rename the schema when the attributes in the template change (true by default, as
 *                            AshPostgres's {@code update?})
 * @param dropSchemaOnDestroy drop the tenant's schema, and all its data, when the record is destroyed
 * @param create              create the tenant's schema with the record (AshPostgres's {@code create?}); false when
 *                            the schemas are made another way and the record only names one
 */
public record ManageTenant(List<String> template, boolean update, boolean dropSchemaOnDestroy, boolean create)
        implements TenancySection {

    public ManageTenant {
        if (template == null || template.isEmpty() || template.stream().anyMatch(Objects::isNull)) {
            throw DefinitionException.of(null, "manageTenant", "ManageTenant.template needs its parts, text and "
                    + "attribute names, none of them null, e.g. ManageTenant.template(\"tenant_\", \"id\"); got "
                    + template);
        }
        template = List.copyOf(template);
    }

    /** A tenant resource whose records create their schemas. */
    public ManageTenant(List<String> template, boolean update, boolean dropSchemaOnDestroy) {
        this(template, update, dropSchemaOnDestroy, true);
    }

    /** A tenant resource whose records create their schemas and rename them (AshPostgres's defaults). */
    public static ManageTenant template(String... parts) {
        return new ManageTenant(Arrays.asList(parts), true, false, true);
    }

    public ManageTenant update(boolean rename) {
        return new ManageTenant(template, rename, dropSchemaOnDestroy, create);
    }

    public ManageTenant dropSchemaOnDestroy(boolean drop) {
        return new ManageTenant(template, update, drop, create);
    }

    /** Whether creating a record creates its schema (true by default). */
    public ManageTenant create(boolean createSchema) {
        return new ManageTenant(template, update, dropSchemaOnDestroy, createSchema);
    }

    /** The template parts that name attributes of the tenant resource. */
    public List<String> attributes(Resource resource) {
        return template.stream().filter(part -> resource.attribute(part).isPresent()).toList();
    }
}
