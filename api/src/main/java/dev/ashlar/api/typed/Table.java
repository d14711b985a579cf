package dev.ashlar.api.typed;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.internal.Unrelated;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.AttributeOptions;
import dev.ashlar.api.resource.Calculation;
import dev.ashlar.api.resource.Default;
import dev.ashlar.api.resource.RelationshipOptions;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A resource of the typed API: its name and the Java record its rows come back as and its creates
 * take. The resource's fields, relationships and identities are declared from it, once, as constants;
 * the same constants build the resource ({@link #builder()} and {@code add}) and query it, so a renamed
 * or removed field is a compile error at every use.
 *
 * <pre>{@code
 * import static dev.ashlar.api.typed.Kind.*;
 *
 * public record Post(Integer id, String title, Integer rating, UUID authorId) {
 *     public static final Table<Post> POSTS = Table.of("post", Post.class);
 *     public static final Field<Post, Integer> ID = POSTS.integerPrimaryKey("id");
 *     public static final TextField<Post> TITLE = POSTS.attribute("title", varchar(120), a -> a.notNull());
 *     public static final Field<Post, Integer> RATING = POSTS.attribute("rating", INTEGER);
 *     public static final Relation<Post, User> AUTHOR = POSTS.belongsTo("author", User.USERS);
 *     public static final Field<Post, UUID> AUTHOR_ID = POSTS.attribute("author_id", UUID);  // the key AUTHOR adds
 *
 *     public static final Resource RESOURCE = POSTS.builder().table("posts")
 *             .add(ID, TITLE, RATING, AUTHOR)
 *             .with(References.of(reference("author").onDelete(DELETE)))   // plugin sections as usual
 *             .build();
 * }
 * }</pre>
 *
 * <p>Rows map onto the record by component names (a component {@code authorId} takes the field
 * {@code author_id}); components holding loaded relationships (a record, a {@code List} of records, an
 * {@code Optional}) are read only when the relationship is loaded, and never written.
 *
 * @param <R> the record type of the resource's rows
 */
public final class Table<R extends Record> {
    private final String name;
    private final Class<R> type;
    private volatile RecordShape<R> shape;
    /** The table whose fields this one's records have: itself, or the one {@link #inTable} was called on. */
    private final Table<R> declaring;

    private Table(String name, Class<R> type) {
        this.name = QueryException.required(name, "name");
        this.type = QueryException.required(type, "type");
        this.shape = new RecordShape<>(name, type);
        this.declaring = this;
    }

    private Table(String name, Table<R> declaring) {
        this.name = name;
        this.type = declaring.type;
        this.shape = declaring.shape;
        this.declaring = declaring;
    }

    /** The typed resource of this name, whose rows are records of the type. */
    public static <R extends Record> Table<R> of(String resource, Class<R> type) {
        return new Table<>(resource, type);
    }

    /**
     * This polymorphic resource in one of its tables, for the typed actions: {@code COMMENTS.inTable("post_comments")}
     * reads and writes {@code post_comments} alone, with the same fields and records ({@code Query.withTable} in the
     * string API). The table must be one the domain declares for the resource; another is refused when an action runs.
     */
    public Table<R> inTable(String table) {
        return new Table<>(Resource.inTable(name, table), declaring);
    }

    /** The resource's name, as the string API and the domain know it. */
    public String name() {
        return name;
    }

    /** The record class the rows come back as. */
    public Class<R> type() {
        return type;
    }

    /** A builder for the resource of this name, to {@code add} the declared parts to. */
    public ResourceBuilder builder() {
        return Resource.builder(name);
    }

    /** A nullable attribute without a default. */
    public <T> Field<R, T> attribute(String attribute, Kind<T> kind) {
        return attribute(attribute, kind, a -> { });
    }

    /** An attribute with options: {@code a -> a.notNull().defaultValue(...)}. */
    public <T> Field<R, T> attribute(String attribute, Kind<T> kind, Consumer<AttributeOptions> options) {
        if (kind.type() == Type.JSON || kind.type() instanceof Type.Composite || kind.converter() != null) {
            // A record component holding JSON (jsonOf), a composite value or a converted one (a record stored as
            // bigint cents) is the attribute's value, not a loaded relationship.
            synchronized (this) {
                shape = shape.withJson(attribute);
            }
        }
        return new Field<>(this, attribute, kind, options, false);
    }

    /** A text attribute, which also matches patterns. */
    public TextField<R> attribute(String attribute, Kind.Text kind) {
        return attribute(attribute, kind, a -> { });
    }

    public TextField<R> attribute(String attribute, Kind.Text kind, Consumer<AttributeOptions> options) {
        return new TextField<>(this, attribute, kind, options, false);
    }

    /** An array attribute, whose values are lists. */
    public <E> ListField<R, E> attribute(String attribute, Kind.Array<E> kind) {
        return attribute(attribute, kind, a -> { });
    }

    public <E> ListField<R, E> attribute(String attribute, Kind.Array<E> kind, Consumer<AttributeOptions> options) {
        return new ListField<>(this, attribute, kind, options, false);
    }

    /** A range attribute, whose values are {@link dev.ashlar.api.data.Range}s. */
    public <E extends Comparable<? super E>> RangeField<R, E> attribute(String attribute, Kind.Range<E> kind) {
        return attribute(attribute, kind, a -> { });
    }

    public <E extends Comparable<? super E>> RangeField<R, E> attribute(String attribute, Kind.Range<E> kind,
                                                                        Consumer<AttributeOptions> options) {
        return new RangeField<>(this, attribute, kind, options, false);
    }

    /** A label path ({@code ltree}) attribute, whose values are lists of labels. */
    public PathField<R> attribute(String attribute, Kind.Ltree kind) {
        return attribute(attribute, kind, a -> { });
    }

    public PathField<R> attribute(String attribute, Kind.Ltree kind, Consumer<AttributeOptions> options) {
        return new PathField<>(this, attribute, kind, options, false);
    }

    /** An integer primary key generated by the database ({@code GENERATED BY DEFAULT AS IDENTITY}). */
    public Field<R, Integer> integerPrimaryKey(String attribute) {
        return attribute(attribute, Kind.INTEGER, a -> a.primaryKey().generated());
    }

    /** A bigint primary key generated by the database. */
    public Field<R, Long> bigintPrimaryKey(String attribute) {
        return attribute(attribute, Kind.BIGINT, a -> a.primaryKey().generated());
    }

    /** A UUID primary key defaulting to {@code gen_random_uuid()}. */
    public Field<R, UUID> uuidPrimaryKey(String attribute) {
        return attribute(attribute, Kind.UUID, a -> a.primaryKey().defaultSql("gen_random_uuid()"));
    }

    /**
     * A UUID primary key defaulting to a time-ordered version 7 UUID made by the server ({@link Default#UUID_V7_SQL}).
     */
    public Field<R, UUID> uuidV7PrimaryKey(String attribute) {
        return attribute(attribute, Kind.UUID, a -> a.primaryKey().defaultSql(Default.UUID_V7_SQL));
    }

    /** A belongs-to relationship; it adds its key attribute ({@code <name>_id}) unless a field declares it. */
    public <D extends Record> Relation<R, D> belongsTo(String relationship, Table<D> destination) {
        return belongsTo(relationship, destination, r -> { });
    }

    public <D extends Record> Relation<R, D> belongsTo(String relationship, Table<D> destination,
                                                        Consumer<RelationshipOptions> options) {
        return new Relation<>(this, relationship, destination, Relation.Shape.BELONGS_TO, options);
    }

    public <D extends Record> Relation<R, D> hasMany(String relationship, Table<D> destination) {
        return hasMany(relationship, destination, r -> { });
    }

    public <D extends Record> Relation<R, D> hasMany(String relationship, Table<D> destination,
                                                      Consumer<RelationshipOptions> options) {
        return new Relation<>(this, relationship, destination, Relation.Shape.HAS_MANY, options);
    }

    public <D extends Record> Relation<R, D> hasOne(String relationship, Table<D> destination) {
        return hasOne(relationship, destination, r -> { });
    }

    public <D extends Record> Relation<R, D> hasOne(String relationship, Table<D> destination,
                                                     Consumer<RelationshipOptions> options) {
        return new Relation<>(this, relationship, destination, Relation.Shape.HAS_ONE, options);
    }

    /** Records linked through a join resource, named with {@code r -> r.through("post_tag")}. */
    public <D extends Record> Relation<R, D> manyToMany(String relationship, Table<D> destination,
                                                         Consumer<RelationshipOptions> options) {
        return new Relation<>(this, relationship, destination, Relation.Shape.MANY_TO_MANY, options);
    }

    /**
     * A relationship that a plugin section declares (a manual relationship of {@code ashlar-relationships}):
     * a symbol to load, filter and sort by it. The section declares it, so it is not added to the builder.
     */
    public <D extends Record> Relation<R, D> declaredBySection(String relationship, Table<D> destination) {
        return new Relation<>(this, relationship, destination, Relation.Shape.SECTION, r -> { });
    }

    /**
     * Every record of another resource, which no relationship leads to (Ash's unrelated aggregates): a symbol to
     * aggregate over and to filter with, its condition comparing with this resource's record through
     * {@code parent()}. It is the string API's {@code "@profile"}; nothing is added to the builder.
     *
     * <pre>{@code
     * static final AggregateField<User, Long> SAME_NAME = USERS.count("same_name_profiles",
     *         USERS.unrelated(PROFILES), Profile.NAME.eq(User.NAME.parent()));
     * ashlar.read(USERS).where(USERS.unrelated(PROFILES).any(Profile.NAME.eq(User.NAME.parent())));
     * }</pre>
     */
    public <D extends Record> Relation<R, D> unrelated(Table<D> destination) {
        return new Relation<>(this, Unrelated.MARK + QueryException.required(destination, "destination").name(),
                destination, Relation.Shape.UNRELATED, r -> { });
    }

    /** How many records are related through the relation: {@code POSTS.count("count_of_comments", COMMENTS)}. */
    public AggregateField<R, Long> count(String aggregate, Relation<R, ?> relation) {
        return aggregate(aggregate, Aggregate.Kind.COUNT, relation, null, null, Kind.BIGINT);
    }

    /** How many related records match the condition; 0 when none. */
    public <D extends Record> AggregateField<R, Long> count(String aggregate, Relation<R, D> relation,
                                                            Condition<D> where) {
        return aggregate(aggregate, Aggregate.Kind.COUNT, relation, null, where, Kind.BIGINT);
    }

    /** How many different non-null values of the field the related records hold; 0 when none. */
    public <D extends Record> AggregateField<R, Long> countDistinct(String aggregate, Relation<R, D> relation,
                                                                    Field<D, ?> field) {
        return aggregate(aggregate, Aggregate.Kind.COUNT_DISTINCT, relation, field, null, Kind.BIGINT);
    }

    /** Whether any record is related through the relation. */
    public AggregateField<R, Boolean> exists(String aggregate, Relation<R, ?> relation) {
        return aggregate(aggregate, Aggregate.Kind.EXISTS, relation, null, null, Kind.BOOLEAN);
    }

    /** Whether any related record matches the condition. */
    public <D extends Record> AggregateField<R, Boolean> exists(String aggregate, Relation<R, D> relation,
                                                                Condition<D> where) {
        return aggregate(aggregate, Aggregate.Kind.EXISTS, relation, null, where, Kind.BOOLEAN);
    }

    /**
     * The sum of a number field of the related records, widened as PostgreSQL does (a {@code Long} for an integer,
     * a {@code BigDecimal} for a bigint or numeric); null when none.
     */
    public <D extends Record> AggregateField<R, Number> sum(String aggregate, Relation<R, D> relation,
                                                            Field<D, ? extends Number> field) {
        return computed(aggregate, Aggregate.Kind.SUM, relation, field, null);
    }

    /**
     * The sum of a number field of the related records that match the condition (Ash's aggregate {@code filter}):
     * {@code POSTS.sum("published_time", COMMENTS, Comment.READING_TIME, Comment.STATUS.eq("published"))}.
     */
    public <D extends Record> AggregateField<R, Number> sum(String aggregate, Relation<R, D> relation,
                                                            Field<D, ? extends Number> field, Condition<D> where) {
        return computed(aggregate, Aggregate.Kind.SUM, relation, field, where);
    }

    /** The average of a number field of the related records ({@code BigDecimal}, {@code Double} for floats). */
    public <D extends Record> AggregateField<R, Number> avg(String aggregate, Relation<R, D> relation,
                                                            Field<D, ? extends Number> field) {
        return computed(aggregate, Aggregate.Kind.AVG, relation, field, null);
    }

    /** The average of a number field of the related records that match the condition. */
    public <D extends Record> AggregateField<R, Number> avg(String aggregate, Relation<R, D> relation,
                                                            Field<D, ? extends Number> field, Condition<D> where) {
        return computed(aggregate, Aggregate.Kind.AVG, relation, field, where);
    }

    /** The least value of a field of the related records; null when none. */
    public <D extends Record, T> AggregateField<R, T> min(String aggregate, Relation<R, D> relation, Field<D, T> field) {
        return aggregate(aggregate, Aggregate.Kind.MIN, relation, field, null, field.kind());
    }

    /** The least value of a field of the related records that match the condition; null when none. */
    public <D extends Record, T> AggregateField<R, T> min(String aggregate, Relation<R, D> relation, Field<D, T> field,
                                                          Condition<D> where) {
        return aggregate(aggregate, Aggregate.Kind.MIN, relation, field, where, field.kind());
    }

    /** The greatest value of a field of the related records; null when none. */
    public <D extends Record, T> AggregateField<R, T> max(String aggregate, Relation<R, D> relation, Field<D, T> field) {
        return aggregate(aggregate, Aggregate.Kind.MAX, relation, field, null, field.kind());
    }

    /** The greatest value of a field of the related records that match the condition; null when none. */
    public <D extends Record, T> AggregateField<R, T> max(String aggregate, Relation<R, D> relation, Field<D, T> field,
                                                          Condition<D> where) {
        return aggregate(aggregate, Aggregate.Kind.MAX, relation, field, where, field.kind());
    }

    /** The field of the first related record in the order given; null when none. */
    @SafeVarargs
    public final <D extends Record, T> AggregateField<R, T> first(String aggregate, Relation<R, D> relation,
                                                                  Field<D, T> field, Order<D>... order) {
        List<Sort> sorts = new ArrayList<>();
        for (Order<D> key : order) {
            sorts.add(key.sort());
        }
        return new AggregateField<>(this, declare(aggregate, Aggregate.Kind.FIRST, relation, field, null, sorts),
                field.kind());
    }

    /** The field of every related record, in the order given, as a list; empty when none. */
    @SafeVarargs
    public final <D extends Record, T> AggregateField<R, List<T>> list(String aggregate, Relation<R, D> relation,
                                                                       Field<D, T> field, Order<D>... order) {
        List<Sort> sorts = new ArrayList<>();
        for (Order<D> key : order) {
            sorts.add(key.sort());
        }
        return new AggregateField<>(this, declare(aggregate, Aggregate.Kind.LIST, relation, field, null, sorts),
                new Kind<>(Type.arrayOf(field.kind().type())));
    }

    /**
     * An aggregate whose SQL is written here, each attribute of the related records named {@code {attribute}}:
     * {@code POSTS.customAggregate("titles", COMMENTS, String.class, "string_agg({title}, ', ' ORDER BY {title})")}.
     * See {@link Aggregate#custom}.
     *
     * @param type the Java type its values are read as, as a calculation's
     */
    public <T> AggregateField<R, T> customAggregate(String aggregate, Relation<R, ?> relation, Class<T> type,
                                                    String sql, Object... values) {
        Type column = Calculation.columnTypeOf(type);
        // Another type is reported with the domain's other problems when the resource is built; its kind is not used.
        return new AggregateField<>(this, Aggregate.custom(aggregate, relation.name(), column, sql, values),
                new Kind<>(column == null ? Type.TEXT : column));
    }

    private <D extends Record> AggregateField<R, Number> computed(String aggregate, Aggregate.Kind kind,
                                                                  Relation<R, D> relation,
                                                                  Field<D, ? extends Number> field,
                                                                  Condition<D> where) {
        Aggregate declared = declare(aggregate, kind, relation, field, where, List.of());
        return new AggregateField<>(this, declared, new Kind<>(declared.type(field.kind().type())));
    }

    private <T> AggregateField<R, T> aggregate(String aggregate, Aggregate.Kind kind, Relation<R, ?> relation,
                                               Field<?, ?> field, Condition<?> where, Kind<T> values) {
        return new AggregateField<>(this, declare(aggregate, kind, relation, field, where, List.of()), values);
    }

    private static Aggregate declare(String aggregate, Aggregate.Kind kind, Relation<?, ?> relation, Field<?, ?> field,
                                     Condition<?> where, List<Sort> sorts) {
        return new Aggregate(aggregate, kind, relation.name(), field == null ? null : field.name(),
                where == null ? null : where.filter(), sorts);
    }


    /**
     * A value computed in SQL from each record's own row, its columns named unqualified:
     * {@code USERS.calculate("full_name", String.class, "first_name || ' ' || last_name")}; values bound to its
     * {@code ?} marks in order; its {@link dev.ashlar.api.resource.CalculationArgument arguments}, named by
     * {@code :name} marks, among them.
     *
     * @param type String, Character, Integer, Long, BigInteger, BigDecimal, Double, Boolean, UUID, LocalDate,
     *             LocalTime, LocalDateTime or Instant
     * @see Calculation
     */
    public <T> CalculationField<R, T> calculate(String calculation, Class<T> type, String sql, Object... values) {
        Calculation declared = Calculation.of(calculation, type, sql, values);
        // Another type is reported with the domain's other problems when the resource is built; its kind is not used.
        Type column = declared.columnType() == null ? Type.TEXT : declared.columnType();
        return new CalculationField<>(this, declared, new Kind<>(column));
    }

    /**
     * {@link #calculate(String, Class, String, Object...)} for values of a column type no class names, read as an
     * attribute of that kind is: {@code TASKS.calculate("took", Kind.INTERVAL, "finished_at - started_at")} a
     * {@code Duration}, {@code Kind.arrayOf(Kind.TEXT)} a {@code List}, {@code Kind.JSON} the JSON's text;
     * {@code Kind.BIG_INTEGER} and {@code Kind.CHARACTER} as the classes {@code BigInteger} and {@code Character} are.
     */
    public <T> CalculationField<R, T> calculate(String calculation, Kind<T> kind, String sql, Object... values) {
        // BIG_INTEGER and CHARACTER are read exactly, a fraction or a longer text refused naming the calculation.
        Calculation declared = kind.exact() != null ? Calculation.of(calculation, kind.exact(), sql, values)
                : Calculation.of(calculation, kind.type(), sql, values);
        return new CalculationField<>(this, declared, kind);
    }

    /**
     * The primary key as an upsert's conflict target, for records that give their key (the string API's
     * {@code Upsert.onPrimaryKey()}): {@code ashlar.upsert(POSTS, posts, POSTS.primaryKey().update(TITLE))}.
     */
    public UniqueKey<R> primaryKey() {
        return new UniqueKey<>(this, UniqueKey.PRIMARY_KEY, List.of());
    }

    /** A named set of fields unique together. */
    @SafeVarargs
    public final UniqueKey<R> identity(String identity, Field<R, ?>... fields) {
        List<String> names = new ArrayList<>(fields.length);
        for (Field<R, ?> field : fields) {
            names.add(field.name());
        }
        return new UniqueKey<>(this, identity, names);
    }

    /**
     * A record's values as a create sends them: each attribute component by field name, the null ones
     * left out (so the database fills in its default or key, and a column without one gets null).
     */
    public Map<String, Object> values(R record) {
        return shape().values(QueryException.required(record, "record"));
    }

    /** A record as a row of the resource, every attribute component included: to update or destroy it. */
    public Row row(R record) {
        return shape().row(QueryException.required(record, "record"), name);
    }

    /** The field names the record's attribute components hold, in component order. */
    public List<String> fields() {
        return shape().fields();
    }

    RecordShape<R> shape() {
        return declaring == this ? shape : declaring.shape();
    }

    @Override
    public String toString() {
        return "Table[" + name + ", " + type.getName() + "]";
    }
}
