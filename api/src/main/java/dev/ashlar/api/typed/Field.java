package dev.ashlar.api.typed;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.AttributeOptions;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.ResourcePart;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * An attribute of a resource as a symbol the compiler knows: declared once from the resource's
 * {@link Table}, added to the resource's builder, and used in its reads and writes. A filter, a sort
 * or a change made from it is tied to the resource (a field of comments does not fit a read of posts)
 * and takes only values of the field's Java type ({@code TITLE.eq(42)} does not compile).
 *
 * <pre>{@code
 * static final Field<Post, Integer> RATING = POSTS.attribute("rating", INTEGER);
 * static final Resource RESOURCE = POSTS.builder().table("posts").add(ID, TITLE, RATING).build();
 *
 * ashlar.read(POSTS).where(RATING.gte(3)).sort(RATING.desc()).list();
 * ashlar.update(POSTS, post, RATING.set(5));
 * }</pre>
 *
 * <p>A field reached through a relationship ({@code AUTHOR.field(User.NAME)}, named {@code author.name})
 * filters and sorts like the string API's dotted paths; it cannot be added to a resource.
 *
 * @param <R> the record type of the resource the field belongs to
 * @param <T> the Java type of its values
 */
public class Field<R extends Record, T> implements ResourcePart {
    private final Table<R> table;
    private final String name;
    private final Kind<T> kind;
    private final Consumer<AttributeOptions> options;
    private final boolean path;

    Field(Table<R> table, String name, Kind<T> kind, Consumer<AttributeOptions> options, boolean path) {
        this.table = QueryException.required(table, "table");
        this.name = QueryException.required(name, "name");
        this.kind = QueryException.required(kind, "kind");
        this.options = QueryException.required(options, "options");
        this.path = path;
    }

    /** The attribute's name, or for a field reached through relationships its dotted path. */
    public String name() {
        return name;
    }

    public Kind<T> kind() {
        return kind;
    }

    /** The resource the field's filters and sorts apply to. */
    public Table<R> table() {
        return table;
    }

    /** Whether this is a field of another resource reached through relationships. */
    public boolean isPath() {
        return path;
    }

    public Condition<R> eq(T value) {
        return compare(Filter.Operator.EQ, value);
    }

    public Condition<R> ne(T value) {
        return compare(Filter.Operator.NE, value);
    }

    public Condition<R> gt(T value) {
        return compare(Filter.Operator.GT, value);
    }

    public Condition<R> gte(T value) {
        return compare(Filter.Operator.GTE, value);
    }

    public Condition<R> lt(T value) {
        return compare(Filter.Operator.LT, value);
    }

    public Condition<R> lte(T value) {
        return compare(Filter.Operator.LTE, value);
    }

    /** Equal to another field of the same record: {@code SHIPPED_ON.eq(ORDERED_ON)}; a null on either side matches nothing. */
    public Condition<R> eq(Field<R, T> other) {
        return compare(Filter.Operator.EQ, Filter.ref(QueryException.required(other, "other field").name()));
    }

    /** Not equal to another field of the same record, as SQL's {@code <>}: a null on either side matches nothing. */
    public Condition<R> ne(Field<R, T> other) {
        return compare(Filter.Operator.NE, Filter.ref(QueryException.required(other, "other field").name()));
    }

    /** Greater than another field of the same record: {@code RATING.gt(BEST_RATING)}. */
    public Condition<R> gt(Field<R, T> other) {
        return compare(Filter.Operator.GT, Filter.ref(QueryException.required(other, "other field").name()));
    }

    public Condition<R> gte(Field<R, T> other) {
        return compare(Filter.Operator.GTE, Filter.ref(QueryException.required(other, "other field").name()));
    }

    public Condition<R> lt(Field<R, T> other) {
        return compare(Filter.Operator.LT, Filter.ref(QueryException.required(other, "other field").name()));
    }

    public Condition<R> lte(Field<R, T> other) {
        return compare(Filter.Operator.LTE, Filter.ref(QueryException.required(other, "other field").name()));
    }

    /**
     * The value an upsert brings for this field, for its condition, {@code VERSION.lt(VERSION.incoming())}, and its
     * changes, {@code STOCK.setSql("stock + ?", STOCK.incoming())}.
     */
    public Incoming<R, T> incoming() {
        return new Incoming<>(name);
    }

    /** The stored value is greater than the one the upsert brings (see {@link #incoming()}). */
    public Condition<R> gt(Incoming<R, T> incoming) {
        return compare(Filter.Operator.GT, QueryException.required(incoming, "incoming value").value());
    }

    public Condition<R> gte(Incoming<R, T> incoming) {
        return compare(Filter.Operator.GTE, QueryException.required(incoming, "incoming value").value());
    }

    public Condition<R> lt(Incoming<R, T> incoming) {
        return compare(Filter.Operator.LT, QueryException.required(incoming, "incoming value").value());
    }

    public Condition<R> lte(Incoming<R, T> incoming) {
        return compare(Filter.Operator.LTE, QueryException.required(incoming, "incoming value").value());
    }

    /** The stored value differs from the one the upsert brings: the upsert changes something. */
    public Condition<R> ne(Incoming<R, T> incoming) {
        return compare(Filter.Operator.NE, QueryException.required(incoming, "incoming value").value());
    }

    /**
     * This field of the parent record, for a condition on related records: {@code Comment.TITLE.eq(Post.TITLE.parent())}
     * in {@code COMMENTS.any(...)}, a relationship's filter or a load's (see {@link Filter#parent(String)}).
     */
    public Parent<R, T> parent() {
        return new Parent<>(name, 1);
    }

    /** This field of the record {@code levels} relationships up (see {@link Filter#parent(String, int)}). */
    public Parent<R, T> parent(int levels) {
        return new Parent<>(name, levels);
    }

    /** Equal to a field of the parent record (see {@link #parent()}). */
    public Condition<R> eq(Parent<?, T> parent) {
        return compare(Filter.Operator.EQ, QueryException.required(parent, "parent value").value());
    }

    public Condition<R> ne(Parent<?, T> parent) {
        return compare(Filter.Operator.NE, QueryException.required(parent, "parent value").value());
    }

    public Condition<R> gt(Parent<?, T> parent) {
        return compare(Filter.Operator.GT, QueryException.required(parent, "parent value").value());
    }

    public Condition<R> gte(Parent<?, T> parent) {
        return compare(Filter.Operator.GTE, QueryException.required(parent, "parent value").value());
    }

    public Condition<R> lt(Parent<?, T> parent) {
        return compare(Filter.Operator.LT, QueryException.required(parent, "parent value").value());
    }

    public Condition<R> lte(Parent<?, T> parent) {
        return compare(Filter.Operator.LTE, QueryException.required(parent, "parent value").value());
    }

    /** The value is one of these. */
    public Condition<R> in(Collection<? extends T> values) {
        return new Condition<>(Filter.in(name, values == null ? null : new ArrayList<>(values)));
    }

    /** The value is none of these; a null value is not kept, as with SQL's {@code NOT IN}. */
    public Condition<R> notIn(Collection<? extends T> values) {
        return new Condition<>(Filter.notIn(name, values == null ? null : new ArrayList<>(values)));
    }

    /** Differs from the value, a null counting as a value (SQL's {@code IS DISTINCT FROM}): nulls are kept. */
    public Condition<R> isDistinctFrom(T value) {
        return new Condition<>(Filter.distinctFrom(name, value));
    }

    /** Equals the value, a null counting as a value (SQL's {@code IS NOT DISTINCT FROM}): null is {@link #isNil()}. */
    public Condition<R> isNotDistinctFrom(T value) {
        return new Condition<>(Filter.notDistinctFrom(name, value));
    }

    /** The value lies between the two, both included (SQL's {@code BETWEEN}). */
    public Condition<R> between(T low, T high) {
        return gte(low).and(lte(high));
    }

    public Condition<R> isNil() {
        return new Condition<>(new Filter.IsNil(name, true));
    }

    public Condition<R> notNil() {
        return new Condition<>(new Filter.IsNil(name, false));
    }

    public Order<R> asc() {
        return new Order<>(Sort.asc(name), this);
    }

    public Order<R> desc() {
        return new Order<>(Sort.desc(name), this);
    }

    /**
     * A path inside this JSON field, to filter and sort on: {@code BIO.path("title").eq("Dr.")} is the string API's
     * {@code eq("bio.title", "Dr.")}. A comparison reads the value at the path as text, a number or a boolean, as the
     * value compared with it is; a missing key and a JSON null are nil.
     *
     * @throws AshlarException with {@link ErrorCode#INVALID_QUERY} when the field is not JSON or a key is empty or
     *                         holds a dot
     */
    public JsonPathField<R> path(String... keys) {
        if (kind.type() != dev.ashlar.api.resource.Type.JSON || keys == null || keys.length == 0) {
            throw QueryException.of(table.name(), name, "path(...) follows keys inside a JSON field, with at least "
                    + "one key; '" + name + "' of " + table.name() + " is " + kind);
        }
        StringBuilder path = new StringBuilder(name);
        for (String key : keys) {
            if (key == null || key.isEmpty() || key.indexOf('.') >= 0) {
                throw QueryException.of(table.name(), name, "path(...) on '" + name + "' of " + table.name()
                        + " needs keys that are neither empty nor dotted; got " + java.util.Arrays.toString(keys));
            }
            path.append('.').append(key);
        }
        return new JsonPathField<>(table, path.toString());
    }

    /** A change that sets the field to the value in an update. */
    public Change<R> set(T value) {
        return new Change<>(name, value);
    }

    /** A change the server makes from the stored value, so concurrent updates lose none: {@code VIEWS.add(1)}. */
    public Change<R> add(Number amount) {
        return new Change<>(name, Atomic.add(amount));
    }

    /** The stored value minus {@code amount}, computed by the server (see {@link #add}). */
    public Change<R> subtract(Number amount) {
        return new Change<>(name, Atomic.subtract(amount));
    }

    /**
     * A change to the value of another field of the same record, computed by the server in the update statement: a
     * calculation or an aggregate ({@code TOTAL.setTo(COUNT_OF_ITEMS)}, Ash's
     * {@code atomic_update(:total, expr(count_of_items))}) or an attribute (see {@link Atomic#of}). The server converts
     * the value to this field's type as on assignment, and a value it cannot convert is refused naming this field.
     */
    public Change<R> setTo(Field<R, ?> source) {
        return new Change<>(name, Atomic.of(QueryException.required(source, "source").name()));
    }

    /**
     * A change the server computes in the update statement from the stored row, written in SQL with each value
     * bound: {@code TITLE.setSql("title || ?", "_draft")} (see {@link Atomic#sql}). In an upsert's change
     * ({@link Conflict#set}) a value {@code STOCK.incoming()} stands for the one the upsert brings:
     * {@code STOCK.setSql("stock + ?", STOCK.incoming())}.
     */
    public Change<R> setSql(String expression, Object... values) {
        Object[] given = values == null ? null : values.clone();
        for (int i = 0; given != null && i < given.length; i++) {
            if (given[i] instanceof Incoming<?, ?> incoming) {
                given[i] = incoming.value();
            }
        }
        return new Change<>(name, Atomic.sql(expression, given));
    }

    /**
     * The field's value in a record of its resource: the component of the same name, or of its
     * camelCase form ({@code published_at} is {@code publishedAt}).
     */
    @SuppressWarnings("unchecked")
    public T of(R record) {
        if (path) {
            throw QueryException.of(table.name(), name, "Field '" + name + "' is reached through "
                    + "relationships, so a " + table.type().getSimpleName() + " record does not hold it");
        }
        return (T) table.shape().value(record, name);
    }

    /**
     * A value the data layer read for this field (a row's value, a {@code min} or {@code max}) as the field's type:
     * as its record component holds it, or for a field no component holds, as its kind reads it.
     */
    @SuppressWarnings("unchecked")
    public T valueOf(Object read) {
        return (T) table.shape().component(name, read, kind.exact());
    }

    /** Declares the attribute on the builder, with the options it was declared with. */
    @Override
    public void addTo(ResourceBuilder builder) {
        if (path) {
            throw DefinitionException.of(table.name(), name, "a field reached through relationships cannot be "
                    + "added to a resource; add the destination's own field to the destination");
        }
        if (kind.converter() != null) {
            builder.attribute(name, kind.converter(), options);
        } else {
            builder.attribute(name, kind.type(), options);
        }
    }

    Condition<R> compare(Filter.Operator operator, Object value) {
        return new Condition<>(new Filter.Compare(name, operator, value));
    }

    @Override
    public String toString() {
        return table.name() + "." + name + " (" + kind + ")";
    }
}
