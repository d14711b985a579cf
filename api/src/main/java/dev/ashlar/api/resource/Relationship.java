package dev.ashlar.api.resource;

/**
 * A link from one resource to another. Destinations are named by resource name and resolved when
 * the {@link Domain} is built, so resources may refer to each other in cycles.
 */
public sealed interface Relationship permits BelongsTo, HasMany, HasOne, ManyToMany {

    /** The relationship's name, unique among the resource's attributes and relationships. */
    String name();

    /** The name of the related resource. */
    String destination();

    /** The attribute on this resource that the link starts from. */
    String sourceAttribute();

    /** The attribute on the destination (for many-to-many: on the destination, reached through the join). */
    String destinationAttribute();
}
