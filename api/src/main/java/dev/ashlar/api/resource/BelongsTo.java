package dev.ashlar.api.resource;

import dev.ashlar.api.query.Filter;

import java.util.List;

/**
 * This resource holds the key of one destination record: {@code comment belongsTo post} adds a
 * {@code post_id} attribute typed like the post's primary key.
 *
 * @param attribute            the foreign-key attribute on this resource (default {@code <name>_id})
 * @param destinationAttribute the referenced attribute (default: the destination's primary key;
 *                             {@code null} until the domain resolves it)
 * @param nullable             whether the key may be null (default true)
 * @param primaryKey           whether the key attribute is also (part of) this resource's primary key
 * @param filter               the condition the destination record must meet to be related, or {@code null}
 */
public record BelongsTo(String name, String destination, String attribute, String destinationAttribute,
                        boolean nullable, boolean primaryKey, Filter filter) implements Relationship {

    /** A belongs-to without a filter of its own. */
    public BelongsTo(String name, String destination, String attribute, String destinationAttribute,
                     boolean nullable, boolean primaryKey) {
        this(name, destination, attribute, destinationAttribute, nullable, primaryKey, null);
    }

    @Override
    public String sourceAttribute() {
        return attribute;
    }

    /**
     * Whether a record has one destination record at most: the destination attribute is by itself the whole primary
     * key or the whole of an identity without a predicate. One column of a composite key (which a reference's
     * {@code matchWith} completes in the foreign key but reads do not) may match several records.
     */
    public boolean reachesOne(Resource destination) {
        List<String> target = destinationAttribute == null ? null : List.of(destinationAttribute);
        List<String> key = destination.primaryKey().stream().map(Attribute::name).toList();
        return key.size() == 1 && (target == null || key.equals(target)) || destination.identities().stream()
                .anyMatch(i -> i.fields().equals(target) && i.predicateOn(destination) == null);
    }

    /** The same relationship with its destination key resolved; used when the domain is built. */
    public BelongsTo withDestinationAttribute(String resolved) {
        return new BelongsTo(name, destination, attribute, resolved, nullable, primaryKey, filter);
    }
}
