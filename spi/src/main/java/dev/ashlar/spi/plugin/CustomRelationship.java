package dev.ashlar.spi.plugin;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Query;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A relationship whose records a plugin finds rather than the kernel (the guide's manual
 * relationships). A plugin returns these from {@link RelationshipProvider#relationships}; the kernel then
 * loads, filters and sorts them like a standard relationship of the same name.
 *
 * <p>Loading is batched: {@link #load} is called once per level of a read, with every parent row of
 * that level. Filters, sorts and {@code exists} need a {@link #join}; without one, using the
 * relationship there fails with an error saying so.
 */
public interface CustomRelationship {

    /** The relationship's name, unique among the resource's attributes and relationships. */
    String name();

    /** The name of the related resource. */
    String destination();

    /** The attribute of the parents that {@link #load} groups by: the keys of its answer are its values. */
    String sourceAttribute();

    /** Whether a parent has any number of related records (true) or at most one (false). */
    boolean many();

    /**
     * The related records of every parent, by the parent's {@link #sourceAttribute} value; a parent
     * with none may be left out.
     *
     * @param parents every parent row of this level, never empty
     */
    Map<Object, List<Row>> load(List<Row> parents, LoadContext context);

    /**
     * The join condition (the guide's {@code ash_postgres_join}), given the query being built on the
     * source resource and the query on the destination after its hooks ran; empty when the
     * relationship can only be loaded.
     */
    default Optional<Join> join(Query source, Query destination) {
        return Optional.empty();
    }
}
