package dev.ashlar.spi.schema;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;

import java.util.Optional;

/**
 * What a plugin sees while contributing schema objects for one resource. Implemented by the kernel.
 *
 * <p>Lists of fields here name attributes. An attribute may be stored in a column of another name
 * ({@code a -> a.column("display_name")}): SQL a plugin writes names the column, {@link Resource#columnOf(String)}.
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

    /**
     * The name of an object in the table's schema as SQL, for a statement that names an index on its own
     * ({@code DROP INDEX}): qualified for main tables ({@code "public"."posts_slug_index"}), bare for tenant tables.
     */
    String objectSql(String objectName);

    /** The key of an object on a resource's table, for {@link SchemaObject.Builder#dependsOn}. */
    ObjectKey objectKey(Resource owner, String objectName);

    /**
     * The key of the object that makes these attributes of a resource unique (its primary key or an identity's
     * index), for a foreign key to depend on; empty when none does.
     */
    Optional<ObjectKey> uniqueKeyObject(Resource owner, java.util.List<String> attributes);

    /**
     * The attributes that scope the resource's unique keys (a tenant column), which a unique index puts
     * first unless it spans all tenants; empty for most resources.
     */
    default java.util.List<String> identityScope() {
        return java.util.List.of();
    }

    /**
     * The tenant attributes of any resource of the domain (its attribute tenancy), empty for resources
     * not scoped by a column; a foreign key between two resources with the same ones matches them too.
     */
    default java.util.List<String> tenantColumns(Resource other) {
        return java.util.List.of();
    }

    /** The database the migrations are for; plugins write what a Citus cluster needs when it is {@link Target#CITUS}. */
    default Target target() {
        return Target.POSTGRESQL;
    }

    /** The PostgreSQL type of an attribute, e.g. {@code bigint} or {@code text[]}. */
    String sqlType(Resource owner, String attribute);
}
