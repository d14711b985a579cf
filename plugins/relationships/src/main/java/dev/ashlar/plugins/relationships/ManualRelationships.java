package dev.ashlar.plugins.relationships;

import dev.ashlar.api.resource.Extension;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manual relationships section of a resource.
 *
 * <pre>{@code
 * Resource.builder("post").table("posts").integerPrimaryKey("id")
 *         .hasMany("comments", "comment")
 *         .with(ManualRelationships.of(Manual.hasMany("highly_rated_comments", "comment",
 *                 new HighlyRatedComments())))
 *         .build();
 * }</pre>
 */
public record ManualRelationships(List<Manual> relationships) implements Extension {

    public ManualRelationships {
        relationships = List.copyOf(relationships);
    }

    public static ManualRelationships of(Manual... relationships) {
        return new ManualRelationships(Arrays.asList(relationships));
    }

    @Override
    public String plugin() {
        return ManualRelationshipsPlugin.ID;
    }

    @Override
    public String artifact() {
        return ManualRelationshipsPlugin.ARTIFACT;
    }

    /** Each manual relationship's destination, by its name: the resource's aggregates may go over them. */
    @Override
    public Map<String, String> relationshipDestinations() {
        Map<String, String> destinations = new LinkedHashMap<>();
        relationships.forEach(manual -> destinations.put(manual.name(), manual.destination()));
        return destinations;
    }
}
