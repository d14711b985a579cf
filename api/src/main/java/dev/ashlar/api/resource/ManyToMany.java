package dev.ashlar.api.resource;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;

import java.util.List;

/**
 * Records linked through a join resource: {@code post manyToMany tags through post_tag}.
 *
 * @param through                    the join resource's name
 * @param sourceAttribute            the attribute on this resource (default: its primary key)
 * @param sourceAttributeOnJoin      the join attribute holding it (default {@code <this resource>_id})
 * @param destinationAttribute       the attribute on the destination (default: its primary key)
 * @param destinationAttributeOnJoin the join attribute holding it (default {@code <destination>_id})
 * @param filter                     the condition a destination record must meet to be related, or {@code null}
 * @param sorts                      the order a load gives the related records unless it sorts them itself
 * @param limit                      how many of the related records, first in that order, are related; {@code null}
 *                                   for all
 * @param joinFilter                 the condition a join record must meet for its link to count, over the join
 *                                   resource's fields, or {@code null}
 * @param joinSorts                  the order of a load by the join records' fields, before {@code sorts}, unless the
 *                                   load sorts itself; empty for none
 */
public record ManyToMany(String name, String destination, String through, String sourceAttribute,
                         String sourceAttributeOnJoin, String destinationAttribute,
                         String destinationAttributeOnJoin, Filter filter, List<Sort> sorts, Integer limit,
                         Filter joinFilter, List<Sort> joinSorts)
        implements Relationship {

    public ManyToMany {
        sorts = sorts == null ? List.of() : List.copyOf(sorts);
        joinSorts = joinSorts == null ? List.of() : List.copyOf(joinSorts);
    }

    /** A many-to-many that follows every link of its join resource. */
    public ManyToMany(String name, String destination, String through, String sourceAttribute,
                      String sourceAttributeOnJoin, String destinationAttribute, String destinationAttributeOnJoin,
                      Filter filter, List<Sort> sorts, Integer limit) {
        this(name, destination, through, sourceAttribute, sourceAttributeOnJoin, destinationAttribute,
                destinationAttributeOnJoin, filter, sorts, limit, null, List.of());
    }

    /** A many-to-many without a limit. */
    public ManyToMany(String name, String destination, String through, String sourceAttribute,
                      String sourceAttributeOnJoin, String destinationAttribute, String destinationAttributeOnJoin,
                      Filter filter, List<Sort> sorts) {
        this(name, destination, through, sourceAttribute, sourceAttributeOnJoin, destinationAttribute,
                destinationAttributeOnJoin, filter, sorts, null, null, List.of());
    }

    /** A many-to-many without a filter, sort or limit of its own. */
    public ManyToMany(String name, String destination, String through, String sourceAttribute,
                      String sourceAttributeOnJoin, String destinationAttribute, String destinationAttributeOnJoin) {
        this(name, destination, through, sourceAttribute, sourceAttributeOnJoin, destinationAttribute,
                destinationAttributeOnJoin, null, List.of(), null, null, List.of());
    }

    /** The same relationship with its defaults filled in for the source resource; used when the domain is built. */
    public ManyToMany resolve(String source, String destinationKey) {
        return new ManyToMany(name, destination, through, source, sourceAttributeOnJoin, destinationKey,
                destinationAttributeOnJoin, filter, sorts, limit, joinFilter, joinSorts);
    }
}
