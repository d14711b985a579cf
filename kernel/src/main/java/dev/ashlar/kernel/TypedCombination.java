package dev.ashlar.kernel;

import dev.ashlar.api.query.Sort;
import dev.ashlar.api.typed.AggregateField;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Condition;
import dev.ashlar.api.typed.Order;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;

import java.util.List;
import java.util.Optional;

/**
 * Typed reads of one resource combined by set operations, then sorted and paged as a whole: the typed API's
 * {@link Combination}, which runs it under the same rules. The compiler accepts only reads of the same table.
 * Immutable.
 *
 * <pre>{@code
 * List<Post> shown = ashlar.read(POSTS).where(RATING.gt(3)).sort(RATING.desc()).limit(3)
 *         .union(ashlar.read(POSTS).where(VIEWS.gt(1000)))
 *         .except(ashlar.read(POSTS).where(AUTHOR_ID.isNil()))
 *         .sort(TITLE.asc()).limit(10).list();
 * }</pre>
 *
 * @param <R> the record type of the resource read
 */
public final class TypedCombination<R extends Record> {
    private final Table<R> table;
    private final Combination combination;

    TypedCombination(Table<R> table, Combination combination) {
        this.table = table;
        this.combination = combination;
    }

    /** The same combination in the string API. */
    public Combination untyped() {
        return combination;
    }

    /** The records of both, each once ({@code UNION}). */
    public TypedCombination<R> union(TypedRead<R> other) {
        return with(combination.union(other.untyped()));
    }

    /** The records of both, duplicates kept ({@code UNION ALL}). */
    public TypedCombination<R> unionAll(TypedRead<R> other) {
        return with(combination.unionAll(other.untyped()));
    }

    /** The records in both, each once ({@code INTERSECT}). */
    public TypedCombination<R> intersect(TypedRead<R> other) {
        return with(combination.intersect(other.untyped()));
    }

    /** The records in both, as many times as in both ({@code INTERSECT ALL}). */
    public TypedCombination<R> intersectAll(TypedRead<R> other) {
        return with(combination.intersectAll(other.untyped()));
    }

    /** The records so far that are not in the other, each once ({@code EXCEPT}). */
    public TypedCombination<R> except(TypedRead<R> other) {
        return with(combination.except(other.untyped()));
    }

    /** The records so far that are not in the other, as many times as they outnumber it ({@code EXCEPT ALL}). */
    public TypedCombination<R> exceptAll(TypedRead<R> other) {
        return with(combination.exceptAll(other.untyped()));
    }

    /** Keeps the combined records that meet the condition, as {@link Combination#where} does; calls AND. */
    public TypedCombination<R> where(Condition<R> condition) {
        return with(combination.where(condition == null ? null : condition.filter()));
    }

    /**
     * The order of the combined records, by fields of the resource, conditions ({@code TITLE.eq("d").desc()}) and the
     * fields every combined read computes ({@code Order.desc("sort_order")}); replaces any order given before.
     */
    @SafeVarargs
    public final TypedCombination<R> sort(Order<R>... orders) {
        Sort[] sorts = new Sort[orders.length];
        for (int i = 0; i < orders.length; i++) {
            sorts[i] = orders[i].sort();
        }
        return with(combination.sort(sorts));
    }

    /** Loads a declared aggregate on every combined row, for a view record with a component of its name. */
    public TypedCombination<R> load(AggregateField<R, ?> aggregate) {
        return with(combination.load(aggregate.name()));
    }

    /** Loads a declared calculation on every combined row, for a view record with a component of its name. */
    public TypedCombination<R> load(CalculationField<R, ?> calculation) {
        return with(combination.load(calculation.name()));
    }

    /** Loads a relationship, or a path of them, on every combined row; see {@link Combination#load(String)}. */
    public TypedCombination<R> load(Relation<R, ?> relation) {
        return with(combination.load(relation.name()));
    }

    /** At most this many combined records. */
    public TypedCombination<R> limit(int limit) {
        return with(combination.limit(limit));
    }

    /** Skips this many combined records. */
    public TypedCombination<R> offset(int offset) {
        return with(combination.offset(offset));
    }

    /** The combined rows as records of the resource. */
    public List<R> list() {
        return Records.of(table, combination.list());
    }

    /** The combined rows as another record, e.g. a view with loaded relationships, aggregates or computed fields. */
    public <V extends Record> List<V> list(Class<V> view) {
        return combination.list(view);
    }

    public Optional<R> first() {
        return combination.first().map(row -> row.as(table.type()));
    }

    private TypedCombination<R> with(Combination next) {
        return new TypedCombination<>(table, next);
    }
}
