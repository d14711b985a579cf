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

    /** Declares the aggregate on the builder. */
    @Override
    public void addTo(ResourceBuilder builder) {
        builder.aggregate(declared);
    }
}
