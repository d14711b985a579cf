package dev.ashlar.spi.plugin;

import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;

import java.util.List;

/**
 * Adds DDL objects (keys, checks, indexes, triggers, policies, statements) on resources' tables.
 * Called at every code generation for every resource; the differ compares what it returns with the
 * last snapshots, so the same resource must give the same objects in the same order every time.
 */
public interface SchemaContributor {

    /** The schema objects on the resource's table; empty for a resource without this plugin's section. */
    List<SchemaObject> schemaObjects(SchemaContext context);
}
