package dev.ashlar.api.resource;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;

import java.util.List;

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

    /**
     * The attribute on the destination (for many-to-many: on the destination, reached through the join); {@code null}
     * for a relationship with no attributes ({@link #noAttributes()}).
     */
    String destinationAttribute();

    /**
     * Whether no attribute links the records (Ash's {@code no_attributes? true}): every destination record that meets
     * the {@link #filter()} is related, a filter that may compare with the source record through
     * {@code parent(...)} ("posts of the same category", "every admin user").
     */
    default boolean noAttributes() {
        return false;
    }

    /**
     * The condition a destination record must meet to be related, over the destination's fields, or {@code null}:
     * loads, {@code exists}, {@code count} and paths through the relationship all apply it.
     */
    Filter filter();

    /** The order a load gives the related records unless it sorts them itself; empty for none. */
    default List<Sort> sorts() {
        return List.of();
    }

    /**
     * How many of the related records, first in the order of {@link #sorts()}, are related to each record (Ash's
     * {@code limit}), wherever the relationship is followed; {@code null} for all of them.
     */
    default Integer limit() {
        return null;
    }
}
