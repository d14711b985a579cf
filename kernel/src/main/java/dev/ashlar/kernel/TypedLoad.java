package dev.ashlar.kernel;

import dev.ashlar.api.query.Sort;
import dev.ashlar.api.typed.AggregateField;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Condition;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Order;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.kernel.data.Load;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A relationship load of the typed API, shaped with the destination's own fields: a filter, a sort,
 * a limit per parent and nested loads. It is the string API's {@link Load}, whose conditions the
 * compiler checks against the destination.
 *
 * <pre>{@code
 * ashlar.read(POSTS).load(COMMENTS, c -> c.where(Comment.RATING.gt(3)).sort(Comment.ID.desc()).limit(3)
 *         .load(Comment.AUTHOR).load(Comment.SCORE))   // a relationship and a calculation of each comment
 * }</pre>
 *
 * @param <D> the record type of the related resource
 */
public final class TypedLoad<D extends Record> {
    private final Load load;

    TypedLoad(Load load) {
        this.load = load;
    }

    /** The load as the data layer receives it. */
    public Load load() {
        return load;
    }

    /** Keeps the related records that match; several calls AND their conditions. */
    public TypedLoad<D> where(Condition<D> condition) {
        return new TypedLoad<>(load.where(condition.filter()));
    }

    /** The order of each parent's related records; keys add to those already given. */
    @SafeVarargs
    public final TypedLoad<D> sort(Order<D>... orders) {
        Sort[] sorts = new Sort[orders.length];
        for (int i = 0; i < orders.length; i++) {
            sorts[i] = orders[i].sort();
        }
        return new TypedLoad<>(load.sort(sorts));
    }

    /** At most this many related records per parent, the first in the sort order. */
    public TypedLoad<D> limit(int most) {
        return new TypedLoad<>(load.limit(most));
    }

    /** Skips each parent's first related records in the sort order; see {@link Load#offset}. */
    public TypedLoad<D> offset(int skip) {
        return new TypedLoad<>(load.offset(skip));
    }

    /**
     * Reads only these fields of the related records, with their keys ({@link Load#select}); map them onto a record
     * of those components: a record with others is refused, naming the fields the rows hold.
     */
    @SafeVarargs
    public final TypedLoad<D> select(Field<D, ?>... fields) {
        String[] names = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            names[i] = fields[i].name();
        }
        return new TypedLoad<>(load.select(names));
    }

    /** Also loads a declared aggregate of the related records, as a field of each. */
    public TypedLoad<D> load(AggregateField<D, ?> aggregate) {
        return new TypedLoad<>(load.load(aggregate.name()));
    }

    /** Also loads a declared calculation of the related records, as a field of each. */
    public TypedLoad<D> load(CalculationField<D, ?> calculation) {
        return new TypedLoad<>(load.load(calculation.name()));
    }

    /** Also loads a declared calculation of the related records with arguments ({@link Load#load(String, Map)}). */
    public TypedLoad<D> load(CalculationField<D, ?> calculation, Map<String, ?> arguments) {
        return new TypedLoad<>(load.load(calculation.name(), arguments));
    }

    /** Gives a calculation of the related records arguments for this load's filter and sorts. */
    public TypedLoad<D> arguments(CalculationField<D, ?> calculation, Map<String, ?> arguments) {
        return new TypedLoad<>(load.arguments(calculation.name(), arguments));
    }

    /** Also loads a relationship (or a path of them) of the related records. */
    public TypedLoad<D> load(Relation<D, ?> relation) {
        return new TypedLoad<>(load.load(relation.name()));
    }

    /** Also loads a relationship of the related records, shaped by the function. */
    public <E extends Record> TypedLoad<D> load(Relation<D, E> relation, UnaryOperator<TypedLoad<E>> shape) {
        List<String> path = Arrays.asList(relation.name().split("\\."));
        Load shaped = shaped(path, shape);
        return new TypedLoad<>(load.load(path.get(0), first -> shaped));
    }

    /** The load of a path whose last relationship is shaped: the shape's conditions are over the last destination. */
    static <E extends Record> Load shaped(List<String> path, UnaryOperator<TypedLoad<E>> shape) {
        Load last = shape.apply(new TypedLoad<>(Load.of(path.get(path.size() - 1)))).load;
        for (int i = path.size() - 2; i >= 0; i--) {
            last = new Load(path.get(i), null, List.of(), null, List.of(last));
        }
        return last;
    }
}
