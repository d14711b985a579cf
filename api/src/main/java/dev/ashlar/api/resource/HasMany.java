package dev.ashlar.api.resource;

/**
 * Destination records hold this resource's key: {@code post hasMany comments} reads comments whose
 * {@code post_id} is the post's {@code id}.
 *
 * @param sourceAttribute      the attribute on this resource (default: its primary key)
 * @param destinationAttribute the attribute on the destination that holds it (default {@code <this resource>_id})
 */
public record HasMany(String name, String destination, String sourceAttribute, String destinationAttribute)
        implements Relationship {

    /** The same relationship with its defaults filled in for the source resource; used when the domain is built. */
    public HasMany resolve(String source) {
        return new HasMany(name, destination, source, destinationAttribute);
    }
}
