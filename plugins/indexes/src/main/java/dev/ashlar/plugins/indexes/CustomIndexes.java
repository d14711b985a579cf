package dev.ashlar.plugins.indexes;

import java.util.List;
import java.util.stream.Stream;

/**
 * A resource's custom indexes, the guide's {@code custom_indexes} section:
 *
 * <pre>{@code
 * import static dev.ashlar.plugins.indexes.CustomIndexes.index;
 *
 * Resource.builder("user").table("users") ...
 *         .with(CustomIndexes.of(
 *                 index("first_name", "last_name"),
 *                 index("email").unique().name("users_email_index").where("email IS NOT NULL"),
 *                 index("status", "created_at").concurrently().include("user_id"),
 *                 index("lower(email)").unique().message("is already registered")))
 * }</pre>
 *
 * @param indexes the indexes, in the order their migrations create them
 */
public record CustomIndexes(List<CustomIndex> indexes) implements Section {

    public CustomIndexes {
        indexes = List.copyOf(indexes);
    }

    /** The section holding these indexes. */
    public static CustomIndexes of(CustomIndex.Builder... indexes) {
        return new CustomIndexes(Stream.of(indexes).map(CustomIndex.Builder::build).toList());
    }

    /**
     * Starts an index on attributes or SQL expressions, in key order: {@code index("last_name", "first_name")},
     * {@code index("lower(email)")}, {@code index("(price * quantity)")}.
     */
    public static CustomIndex.Builder index(String... fields) {
        return new CustomIndex.Builder(List.of(fields));
    }
}
