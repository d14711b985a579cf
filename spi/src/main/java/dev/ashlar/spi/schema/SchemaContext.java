package dev.ashlar.spi.schema;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;

import java.util.Optional;

/**
 * What a plugin sees while contributing schema objects for one resource. Implemented by the kernel.
 */
public interface SchemaContext {

    /** The resolved domain the resource belongs to. */
    Domain domain();

    /** The resource being described. */
    Resource resource();

    /** Where the resource's table lives. */
    Scope scope();

    /**
     * The table's name as SQL, quoted: schema-qualified for main tables ({@code "public"."posts"}),
     * bare for tenant tables, which are reached through the tenant schema's {@code search_path}.
     */
    String tableSql();

    /** The same, for another resource of the domain (e.g. the table a foreign key references). */
    String tableSql(Resource other);

    /** The key that {@link SchemaObject#dependsOn()} uses for an object on a resource's table. */
    String objectKey(Resource owner, String objectName);

    /**
     * The key of the object that makes these attributes of a resource unique (its primary key or an identity's
     * index), for a foreign key to depend on; empty when none does.
     */
    Optional<String> uniqueKeyObject(Resource owner, java.util.List<String> attributes);

    /**
     * The columns that scope the resource's unique keys (a tenant column), which a unique index puts
     * first unless it spans all tenants; empty for most resources.
     */
    default java.util.List<String> identityScope() {
        return java.util.List.of();
    }

    /** The PostgreSQL type of an attribute, e.g. {@code bigint} or {@code text[]}. */
    String sqlType(Resource owner, String attribute);
}
