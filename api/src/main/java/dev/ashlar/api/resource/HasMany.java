package dev.ashlar.api.resource;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;

import java.util.List;

/**
 * Destination records hold this resource's key: {@code post hasMany comments} reads comments whose
 * {@code post_id} is the post's {@code id}.
 *
 * @param sourceAttribute      the attribute on this resource (default: its primary key)
 * @param destinationAttribute the attribute on the destination that holds it (default {@code <this resource>_id}), or
 *                             {@code null} for a relationship with no attributes, related by its filter alone
 * @param filter               the condition a destination record must meet to be related, or {@code null}
 * @param sorts                the order a load gives the related records unless it sorts them itself
 * @param limit                how many of the related records, first in that order, are related; {@code null} for all
 * @param orderAttribute       the destination's attribute that keeps each record's position in the list, which writes
 *                             with the record number from 0 and loads sort by first (JPA's {@code @OrderColumn}); or
 *                             {@code null}
 */
public record HasMany(String name, String destination, String sourceAttribute, String destinationAttribute,
                      Filter filter, List<Sort> sorts, Integer limit, String orderAttribute) implements Relationship {

    public HasMany {
        sorts = sorts == null ? List.of() : List.copyOf(sorts);
        if (orderAttribute != null && (sorts.isEmpty() || !sorts.get(0).equals(Sort.asc(orderAttribute)))) {
            List<Sort> ordered = new java.util.ArrayList<>(List.of(Sort.asc(orderAttribute)));
            ordered.addAll(sorts);
            sorts = List.copyOf(ordered);
        }
    }

    /** A has-many whose records keep no position of their own. */
    public HasMany(String name, String destination, String sourceAttribute, String destinationAttribute,
                   Filter filter, List<Sort> sorts, Integer limit) {
        this(name, destination, sourceAttribute, destinationAttribute, filter, sorts, limit, null);
    }

    /** A has-many without a limit. */
    public HasMany(String name, String destination, String sourceAttribute, String destinationAttribute,
                   Filter filter, List<Sort> sorts) {
        this(name, destination, sourceAttribute, destinationAttribute, filter, sorts, null);
    }

    /** A has-many without a filter, sort or limit of its own. */
    public HasMany(String name, String destination, String sourceAttribute, String destinationAttribute) {
        this(name, destination, sourceAttribute, destinationAttribute, null, List.of(), null);
    }

    /** Whether the records are related by the filter alone: there is no destination attribute. */
    @Override
    public boolean noAttributes() {
        return destinationAttribute == null;
    }

    /** The same relationship with its defaults filled in for the source resource; used when the domain is built. */
    public HasMany resolve(String source) {
        return new HasMany(name, destination, source, destinationAttribute, filter, sorts, limit, orderAttribute);
    }
}
