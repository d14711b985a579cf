package dev.ashlar.spi.plugin;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;

import java.util.List;

/**
 * Gives resources relationships with loaders of their own (the manual-relationships plugin reads
 * them from its section); the kernel loads and filters them like standard ones. Called once per
 * resource when an {@code Ashlar} is built.
 */
public interface RelationshipProvider {

    /** The resource's custom relationships; empty for most resources. */
    List<CustomRelationship> relationships(Domain domain, Resource resource);
}
