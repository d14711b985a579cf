package dev.ashlar.api.typed;

import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.ResourceBuilder;

/**
 * A declared aggregate of a resource as a field ({@link Table#count}, {@link Table#sum}, ...): added to the
 * resource's builder like an attribute, loaded with {@code TypedRead.load}, filtered and sorted on like any
 * field. Read-only: it is computed from the related records, so a change of it is refused.
 *
 * <pre>{@code
 * static final AggregateField<Post, Long> COUNT_OF_COMMENTS = POSTS.count("count_of_comments", COMMENTS);
 * static final AggregateField<Post, Long> COUNT_OF_LIKES = POSTS.count("count_of_likes",
 *         COMMENTS.then(Comment.LIKES));                                  // over a path
 *
 * ashlar.read(POSTS).where(COUNT_OF_COMMENTS.gt(1L)).sort(COUNT_OF_COMMENTS.desc())
 *         .load(COUNT_OF_COMMENTS).list(PostWithCount.class);
 * }</pre>
 *
 * @param <R> the record type of the resource the aggregate belongs to
 * @param <T> the Java type of its values
 */
public final class AggregateField<R extends Record, T> extends Field<R, T> {
    private final Aggregate declared;

    AggregateField(Table<R> table, Aggregate declared, Kind<T> kind) {
        super(table, declared.name(), kind, a -> { }, false);
        this.declared = declared;
    }

    /** The declaration it adds to the resource. */
    public Aggregate declared() {
        return declared;
    }

    /**
     * This aggregate with a value instead of null when nothing is related (sum, avg, min, max and first):
     * {@code POSTS.sum("total_rating", COMMENTS, Comment.RATING).withDefault(0)}. See {@link Aggregate#withDefault}.
     */
    public AggregateField<R, T> withDefault(T value) {
        return new AggregateField<>(table(), declared.withDefault(value), kind());
    }

    /** This list aggregate with each value once, where it first comes in its order. See {@link Aggregate#withUniq}. */
    public AggregateField<R, T> withUniq() {
        return new AggregateField<>(table(), declared.withUniq(), kind());
    }

    /** This first or list aggregate over the related records without a value too. */
    public AggregateField<R, T> withIncludeNil() {
        return new AggregateField<>(table(), declared.withIncludeNil(), kind());
    }

    /** Declares the aggregate on the builder. */
    @Override
    public void addTo(ResourceBuilder builder) {
        builder.aggregate(declared);
    }
}
