package dev.ashlar.api.resource;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;

import java.util.List;

/**
 * Like {@link HasMany}, for at most one destination record: {@code user hasOne profile}. With a sort, the
 * related record is the first in that order of those that match, one per source record: {@code post hasOne
 * latest_comment} sorted newest first.
 *
 * @param sourceAttribute      the attribute on this resource (default: its primary key)
 * @param destinationAttribute the attribute on the destination that holds it (default {@code <this resource>_id}), or
 *                             {@code null} for a relationship with no attributes, related by its filter alone
 * @param filter               the condition a destination record must meet to be related, or {@code null}
 * @param sorts                the order that picks the related record, unless a load sorts them itself
 */
public record HasOne(String name, String destination, String sourceAttribute, String destinationAttribute,
                     Filter filter, List<Sort> sorts) implements Relationship {

    public HasOne {
        sorts = sorts == null ? List.of() : List.copyOf(sorts);
    }

    /** A has-one without a filter or sort of its own. */
    public HasOne(String name, String destination, String sourceAttribute, String destinationAttribute) {
        this(name, destination, sourceAttribute, destinationAttribute, null, List.of());
    }

    /** Whether the records are related by the filter alone: there is no destination attribute. */
    @Override
    public boolean noAttributes() {
        return destinationAttribute == null;
    }

    /** The same relationship with its defaults filled in for the source resource; used when the domain is built. */
    public HasOne resolve(String source) {
        return new HasOne(name, destination, source, destinationAttribute, filter, sorts);
    }
}
