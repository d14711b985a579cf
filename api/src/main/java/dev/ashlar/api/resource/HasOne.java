package dev.ashlar.api.resource;

/**
 * Like {@link HasMany}, for at most one destination record: {@code user hasOne profile}.
 *
 * @param sourceAttribute      the attribute on this resource (default: its primary key)
 * @param destinationAttribute the attribute on the destination that holds it (default {@code <this resource>_id})
 */
public record HasOne(String name, String destination, String sourceAttribute, String destinationAttribute)
        implements Relationship {

    /** The same relationship with its defaults filled in for the source resource; used when the domain is built. */
    public HasOne resolve(String source) {
        return new HasOne(name, destination, source, destinationAttribute);
    }
}
