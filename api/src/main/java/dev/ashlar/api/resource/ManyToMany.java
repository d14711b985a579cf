package dev.ashlar.api.resource;

/**
 * Records linked through a join resource: {@code post manyToMany tags through post_tag}.
 *
 * @param through                    the join resource's name
 * @param sourceAttribute            the attribute on this resource (default: its primary key)
 * @param sourceAttributeOnJoin      the join attribute holding it (default {@code <this resource>_id})
 * @param destinationAttribute       the attribute on the destination (default: its primary key)
 * @param destinationAttributeOnJoin the join attribute holding it (default {@code <destination>_id})
 */
public record ManyToMany(String name, String destination, String through, String sourceAttribute,
                         String sourceAttributeOnJoin, String destinationAttribute,
                         String destinationAttributeOnJoin) implements Relationship {

    /** The same relationship with its defaults filled in for the source resource; used when the domain is built. */
    public ManyToMany resolve(String source, String destinationKey) {
        return new ManyToMany(name, destination, through, source, sourceAttributeOnJoin, destinationKey,
                destinationAttributeOnJoin);
    }
}
