package dev.ashlar.plugins.relationships;

import dev.ashlar.api.data.Row;
import dev.ashlar.spi.plugin.Join;
import dev.ashlar.spi.plugin.LoadContext;
import dev.ashlar.api.query.Query;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The code of a manual relationship: how to find its records (the guide's {@code load}) and,
 * optionally, how to join them (its {@code ash_postgres_join}) so the relationship also works in
 * filters, sorts, {@code exists} and {@code count}.
 *
 * <pre>{@code
 * final class HighlyRatedComments implements ManualRelationship {
 *     public Map<Object, List<Row>> load(List<Row> posts, LoadContext context) {
 *         List<Object> ids = posts.stream().map(p -> p.get("id")).toList();
 *         return context.reader().read(Query.of("comment").withFilter(and(in("post_id", ids), gt("rating", 4))))
 *                 .stream().collect(groupingBy(c -> c.get("post_id")));
 *     }
 *     public Optional<Join> join(Query posts, Query comments) {
 *         return Optional.of(new Join("id", "post_id", gt("rating", 4)));
 *     }
 * }
 * }</pre>
 */
public interface ManualRelationship {

    /**
     * The related records of every parent, by the parent's key (its primary key, or the declared
     * source attribute). Called once per level of a read, with every parent of that level.
     *
     * @param parents every parent row, never empty
     * @param context the tenant of the read and a reader through the data layer for it
     */
    Map<Object, List<Row>> load(List<Row> parents, LoadContext context);

    /**
     * The join condition, given the query being built on the parent resource and the destination's
     * query; empty (the default) when the relationship can only be loaded.
     */
    default Optional<Join> join(Query source, Query destination) {
        return Optional.empty();
    }
}
