package dev.ashlar.api.typed;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.RelationshipOptions;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.ResourcePart;

import java.util.function.Consumer;

/**
 * A relationship of a resource as a symbol the compiler knows: declared once from the resource's
 * {@link Table}, added to the resource's builder, and used to load related records and to filter and
 * sort by them. Conditions on the related records must be over the destination's fields.
 *
 * <pre>{@code
 * static final Relation<Post, Comment> COMMENTS = POSTS.hasMany("comments", Comment.COMMENTS);
 *
 * ashlar.read(POSTS).where(COMMENTS.any(Comment.RATING.gt(4)))      // EXISTS (... rating > 4)
 *         .sort(COMMENTS.countDesc())
 *         .load(COMMENTS, c -> c.sort(Comment.ID.asc()).limit(3))
 *         .list(PostWithComments.class);
 * }</pre>
 *
 * @param <R> the record type of the resource the relationship starts from
 * @param <D> the record type of its destination
 */
public final class Relation<R extends Record, D extends Record> implements ResourcePart {
    /** How a relationship is declared on the builder. */
    enum Shape { BELONGS_TO, HAS_MANY, HAS_ONE, MANY_TO_MANY, PATH, SECTION, UNRELATED }

    private final Table<R> table;
    private final String name;
    private final Table<D> destination;
    private final Shape shape;
    private final Consumer<RelationshipOptions> options;

    Relation(Table<R> table, String name, Table<D> destination, Shape shape, Consumer<RelationshipOptions> options) {
        this.table = QueryException.required(table, "table");
        this.name = QueryException.required(name, "name");
        this.destination = QueryException.required(destination, "destination");
        this.shape = shape;
        this.options = QueryException.required(options, "options");
    }

    /** The relationship's name, or a dotted path of them ({@code comments.author}). */
    public String name() {
        return name;
    }

    public Table<R> table() {
        return table;
    }

    public Table<D> destination() {
        return destination;
    }

    /** The relationships of the destination reached through this one: {@code COMMENTS.then(Comment.AUTHOR)}. */
    public <E extends Record> Relation<R, E> then(Relation<D, E> next) {
        String path = name + "." + QueryException.required(next, "next relationship").name;
        return new Relation<>(table, path, next.destination, Shape.PATH, o -> { });
    }

    /** A field of the destination, to filter or sort this resource by: {@code AUTHOR.field(User.NAME).eq("Ada")}. */
    public <T> Field<R, T> field(Field<D, T> field) {
        return new Field<>(table, pathTo(field), field.kind(), a -> { }, true);
    }

    /** A text field of the destination, with the text matches. */
    public TextField<R> field(TextField<D> field) {
        return new TextField<>(table, pathTo(field), field.kind(), a -> { }, true);
    }

    /** There is at least one related record. */
    public Condition<R> any() {
        return new Condition<>(Filter.exists(name));
    }

    /** At least one related record matches the condition. */
    public Condition<R> any(Condition<D> condition) {
        return new Condition<>(Filter.exists(name, QueryException.required(condition, "condition").filter()));
    }

    /** The number of related records compares with the value: {@code COMMENTS.count(GTE, 3)}. */
    public Condition<R> count(Filter.Operator operator, long value) {
        return new Condition<>(Filter.count(name, operator, value));
    }

    /** The number of related records that match the condition compares with the value. */
    public Condition<R> count(Condition<D> condition, Filter.Operator operator, long value) {
        return new Condition<>(Filter.count(name, QueryException.required(condition, "condition").filter(), operator, value));
    }

    /** Sorts by the number of related records, fewest first. */
    public Order<R> countAsc() {
        return new Order<>(Sort.asc(name).byCount(), null);
    }

    /** Sorts by the number of related records, most first. */
    public Order<R> countDesc() {
        return new Order<>(Sort.desc(name).byCount(), null);
    }

    /** Declares the relationship on the builder, with the options it was declared with. */
    @Override
    public void addTo(ResourceBuilder builder) {
        switch (shape) {
            case BELONGS_TO -> builder.belongsTo(name, destination.name(), options);
            case HAS_MANY -> builder.hasMany(name, destination.name(), options);
            case HAS_ONE -> builder.hasOne(name, destination.name(), options);
            case MANY_TO_MANY -> builder.manyToMany(name, destination.name(), options);
            case PATH -> throw DefinitionException.of(table.name(), name,
                    "a path of relationships cannot be added to a resource; add each relationship to its own resource");
            case SECTION -> throw DefinitionException.of(table.name(), name,
                    "a plugin section declares this relationship; attach the section with .with(...) instead");
            case UNRELATED -> throw DefinitionException.of(table.name(), name, "'" + name + "' reads another "
                    + "resource, not a relationship, and adds nothing to the builder; add the aggregates over it");
        }
    }

    private String pathTo(Field<D, ?> field) {
        return name + "." + QueryException.required(field, "field").name();
    }

    @Override
    public String toString() {
        return table.name() + "." + name + " -> " + destination.name();
    }
}
