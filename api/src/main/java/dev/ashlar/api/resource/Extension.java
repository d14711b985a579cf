package dev.ashlar.api.resource;

import java.util.Map;

/**
 * A plugin's DSL section attached to a resource, e.g. the references plugin's list of foreign-key
 * options. The resource model stores it and never looks inside; the plugin named by
 * {@link #plugin()} reads it.
 *
 * <p>When a resource carries a section whose plugin is not installed, building Ashlar fails with a
 * message that names {@link #artifact()}, rather than silently ignoring the section.
 */
public interface Extension {

    /** The id of the plugin that acts on this section, as returned by its {@code AshlarPlugin.id()}. */
    String plugin();

    /** The Maven coordinates of the jar that brings that plugin, e.g. {@code dev.ashlar:ashlar-references}. */
    String artifact();

    /**
     * The relationships this section adds to its resource (a plugin's manual relationships), each name to its
     * destination resource's name, so that the resource's aggregates may go over them; checked when the domain is
     * built. Empty by default.
     */
    default Map<String, String> relationshipDestinations() {
        return Map.of();
    }
}
