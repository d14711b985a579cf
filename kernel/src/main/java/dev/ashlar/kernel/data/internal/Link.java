package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.spi.plugin.CustomRelationship;

import java.util.List;

/**
 * A relationship as the data layer follows it, resolved once: the plans at both ends and the
 * attributes that link them.
 *
 * @param sourceAttribute      the source's attribute the link starts from
 * @param destinationAttribute the destination's attribute that matches it (many-to-many: the one the join points at)
 * @param through              many-to-many: the join resource's plan; else {@code null}
 * @param sourceOnJoin         many-to-many: the join attribute holding the source's key
 * @param destinationOnJoin    many-to-many: the join attribute holding the destination's key
 * @param custom               a plugin's relationship, or {@code null} for a standard one
 * @param filter               the definition's condition on the destination's records, or {@code null}
 * @param sorts                the definition's order of a load, or empty
 * @param limit                how many related records, first in that order, each source record has; {@code null}
 *                             for all (a sorted has-one has one)
 * @param joinFilter           many-to-many: the definition's condition on the join records, or {@code null}
 * @param joinSorts            many-to-many: the definition's order of a load by the join records, before {@code sorts}
 */
record Link(String name, Kind kind, ResourcePlan source, ResourcePlan destination, String sourceAttribute,
            String destinationAttribute, ResourcePlan through, String sourceOnJoin, String destinationOnJoin,
            CustomRelationship custom, Filter filter, List<Sort> sorts, Integer limit, Filter joinFilter,
            List<Sort> joinSorts) {

    enum Kind { BELONGS_TO, HAS_ONE, HAS_MANY, MANY_TO_MANY, CUSTOM }

    /**
     * Whether no attribute links the records, only the {@link #filter} (Ash's {@code no_attributes? true}); its
     * {@link #sourceAttribute} is the source's key, by which a load groups the related records.
     */
    boolean noAttributes() {
        return custom == null && destinationAttribute == null;
    }

    /** Whether a source record may have several related records. */
    boolean many() {
        return switch (kind) {
            case HAS_MANY, MANY_TO_MANY -> true;
            case BELONGS_TO, HAS_ONE -> false;
            case CUSTOM -> custom.many();
        };
    }
}
