package dev.ashlar.kernel;

import dev.ashlar.kernel.data.Page;
import dev.ashlar.kernel.data.Returning;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.typed.Change;
import dev.ashlar.api.typed.AggregateField;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Condition;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Order;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A read of the typed API: conditions, sorts, selects and loads made from the resource's declared
 * fields and relationships, rows returned as the resource's records. It builds the same {@link Query}
 * as the string API's {@link Read}, which runs it. Immutable, like {@code Read}.
 *
 * <pre>{@code
 * List<Post> page = ashlar.read(POSTS)
 *         .where(STATUS.eq(Status.PUBLISHED).and(RATING.gt(3)))
 *         .sort(PUBLISHED_AT.desc(), ID.asc())
 *         .after(lastOfPreviousPage)
 *         .limit(20)
 *         .list();
 * }</pre>
 *
 * @param <R> the record type of the resource read
 */
public final class TypedRead<R extends Record> {
    private final Table<R> table;
    private final Read read;
    private final List<Order<R>> orders;

    TypedRead(Table<R> table, Read read) {
        this(table, read, List.of());
    }

    private TypedRead(Table<R> table, Read read, List<Order<R>> orders) {
        this.table = table;
        this.read = read;
        this.orders = orders;
    }

    /** The query this read runs (before plugins' hooks): the string API's, field for field. */
    public Query query() {
        return read.query();
    }

    /** The same read in the string API, for what is decided at run time. */
    public Read untyped() {
        return read;
    }

    /** This read's records and the other's, each once ({@code UNION}); see {@link TypedCombination}. */
    public TypedCombination<R> union(TypedRead<R> other) {
        return combination().union(other);
    }

    /** This read's records and the other's, duplicates kept ({@code UNION ALL}). */
    public TypedCombination<R> unionAll(TypedRead<R> other) {
        return combination().unionAll(other);
    }

    /** The records in both reads ({@code INTERSECT}). */
    public TypedCombination<R> intersect(TypedRead<R> other) {
        return combination().intersect(other);
    }

    /** This read's records that the other does not have ({@code EXCEPT}). */
    public TypedCombination<R> except(TypedRead<R> other) {
        return combination().except(other);
    }

    private TypedCombination<R> combination() {
        return new TypedCombination<>(table, Combination.of(read));
    }

    /** Keeps the rows that match; several calls AND their conditions. */
    public TypedRead<R> where(Condition<R> condition) {
        return new TypedRead<>(table, read.where(condition == null ? null : condition.filter()), orders);
    }

    /** Adds sort keys after those already given. */
    @SafeVarargs
    public final TypedRead<R> sort(Order<R>... more) {
        Sort[] sorts = new Sort[more.length];
        List<Order<R>> all = new ArrayList<>(orders);
        for (int i = 0; i < more.length; i++) {
            sorts[i] = more[i] == null ? null : more[i].sort();
            all.add(more[i]);
        }
        return new TypedRead<>(table, read.sort(sorts), List.copyOf(all));
    }

    /** The limit keeps the records that tie with its last one on every sort key; see {@link Read#withTies()}. */
    public TypedRead<R> withTies() {
        return new TypedRead<>(table, read.withTies(), orders);
    }

    /**
     * Reads each record that is one of a resource extending this table's as that resource's row; see
     * {@link Read#loadChildren()}. Its {@link #rows()} tell them apart ({@code row.resource()}), each mapped onto its
     * own record class: {@code row.resource().equals("dog") ? row.as(Dog.class) : row.as(Animal.class)}.
     */
    public TypedRead<R> loadChildren() {
        return new TypedRead<>(table, read.loadChildren(), orders);
    }

    /** Keeps the records the table's base filter hides (a soft-deleted one); see {@link Read#ignoreBaseFilter()}. */
    public TypedRead<R> ignoreBaseFilter() {
        return new TypedRead<>(table, read.ignoreBaseFilter(), orders);
    }

    /**
     * This read taking its records from a statement written by hand in place of the table, with every scope, filter,
     * sort, page and load of the read on top; see {@link Read#from}.
     */
    public TypedRead<R> from(String sql, Object... values) {
        return new TypedRead<>(table, read.from(sql, values), orders);
    }

    /** The records as they were at that instant, from the table's history; see {@link Read#asOf}. */
    public TypedRead<R> asOf(Instant instant) {
        return new TypedRead<>(table, read.asOf(instant), orders);
    }

    /**
     * Every version current at some moment from {@code from} to {@code to}; a record component named
     * {@code sys_period_start} or {@code sys_period_end} receives its period's bounds; see {@link Read#versionsBetween}.
     */
    public TypedRead<R> versionsBetween(Instant from, Instant to) {
        return new TypedRead<>(table, read.versionsBetween(from, to), orders);
    }

    /** Only the first record of each combination of these fields' values; see {@link Read#distinct}. */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final TypedRead<R> distinct(Field<R, ?>... fields) {
        return new TypedRead<>(table, read.distinct(names(fields)), orders);
    }

    /** The fields' names, a null field kept as null for the string API to refuse naming the call. */
    private static String[] names(Field<?, ?>[] fields) {
        String[] names = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            names[i] = fields[i] == null ? null : fields[i].name();
        }
        return names;
    }

    /** Keeps, of each distinct group, the first record in this order; see {@link Read#distinctSort}. */
    @SafeVarargs
    public final TypedRead<R> distinctSort(Order<R>... keys) {
        Sort[] sorts = new Sort[keys.length];
        for (int i = 0; i < keys.length; i++) {
            sorts[i] = keys[i] == null ? null : keys[i].sort();
        }
        return new TypedRead<>(table, read.distinctSort(sorts), orders);
    }

    public TypedRead<R> limit(int limit) {
        return new TypedRead<>(table, read.limit(limit), orders);
    }

    public TypedRead<R> offset(int offset) {
        return new TypedRead<>(table, read.offset(offset), orders);
    }

    /** Keyset pagination: the rows after this record in the sort order (its values of the sort keys). */
    public TypedRead<R> after(R record) {
        return new TypedRead<>(table, read.after(cursor(record)), orders);
    }

    /** Keyset pagination: the rows just before this record in the sort order. */
    public TypedRead<R> before(R record) {
        return new TypedRead<>(table, read.before(cursor(record)), orders);
    }

    /** Loads only these fields (and the primary key); the records' other components are null. */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final TypedRead<R> select(Field<R, ?>... fields) {
        return new TypedRead<>(table, read.select(names(fields)), orders);
    }

    /** Locks the rows read; meaningful inside {@code ashlar.transaction(...)}. */
    public TypedRead<R> lock(Lock lock) {
        return new TypedRead<>(table, read.lock(lock), orders);
    }

    /**
     * Locks the rows read, waiting at most {@code wait} for one another transaction holds (see
     * {@link Read#lock(Lock, java.time.Duration)}).
     */
    public TypedRead<R> lock(Lock lock, java.time.Duration wait) {
        return new TypedRead<>(table, read.lock(lock, wait), orders);
    }

    /** The tenant the read runs for; a tenancy plugin scopes the query to it. */
    public TypedRead<R> tenant(String tenant) {
        return new TypedRead<>(table, read.tenant(tenant), orders);
    }

    /** Loads a declared aggregate as a field of each row, for a record with a component of its name. */
    public TypedRead<R> load(AggregateField<R, ?> aggregate) {
        return new TypedRead<>(table, read.load(aggregate.name()), orders);
    }

    /**
     * Loads an aggregate field that is not added to the resource's builder, for this read alone (Ash's
     * {@code Query.aggregate}; {@link Read#aggregate}): its filter and sorts may use it too.
     */
    public TypedRead<R> aggregate(AggregateField<R, ?> aggregate) {
        return new TypedRead<>(table, read.aggregate(aggregate.declared()), orders);
    }

    /**
     * Loads a calculation field that is not added to the resource's builder, for this read alone (Ash's
     * {@code Query.calculate}; {@link Read#calculate(dev.ashlar.api.resource.Calculation)}).
     */
    public TypedRead<R> calculate(CalculationField<R, ?> calculation) {
        return new TypedRead<>(table, read.calculate(calculation.declared()), orders);
    }

    /** Loads a declared calculation as a field of each row, for a record with a component of its name. */
    public TypedRead<R> load(CalculationField<R, ?> calculation) {
        return new TypedRead<>(table, read.load(calculation.name()), orders);
    }

    /** Loads a declared calculation with arguments, the others at their defaults ({@link Read#load(String, Map)}). */
    public TypedRead<R> load(CalculationField<R, ?> calculation, Map<String, ?> arguments) {
        return new TypedRead<>(table, read.load(calculation.name(), arguments), orders);
    }

    /**
     * Gives a declared calculation arguments for this read's filter and sorts, without loading it
     * ({@link Read#arguments(String, Map)}).
     */
    public TypedRead<R> arguments(CalculationField<R, ?> calculation, Map<String, ?> arguments) {
        return new TypedRead<>(table, read.arguments(calculation.name(), arguments), orders);
    }

    /**
     * Gives a related resource's calculation arguments wherever this read's filter and sorts reach it through the
     * relationship, or path of them: {@code arguments(AUTHOR, User.FULL_NAME, Map.of("separator", "~"))}
     * ({@link Read#arguments(String, Map)} with {@code "author.full_name"}).
     */
    public <D extends Record> TypedRead<R> arguments(Relation<R, D> through, CalculationField<D, ?> calculation,
                                                     Map<String, ?> arguments) {
        return new TypedRead<>(table, read.arguments(through.name() + "." + calculation.name(), arguments), orders);
    }

    /** Loads a relationship, or a path of them ({@code COMMENTS.then(Comment.AUTHOR)}), on every row read. */
    public TypedRead<R> load(Relation<R, ?> relation) {
        return new TypedRead<>(table, read.load(relation.name()), orders);
    }

    /** Loads a relationship (or the last of a path) with its own condition, sort, limit and nested loads. */
    public <D extends Record> TypedRead<R> load(Relation<R, D> relation, UnaryOperator<TypedLoad<D>> shape) {
        List<String> path = Arrays.asList(relation.name().split("\\."));
        var shaped = TypedLoad.shaped(path, shape);
        return new TypedRead<>(table, read.load(path.get(0), first -> shaped), orders);
    }

    /** The rows as records of the resource. */
    public List<R> list() {
        return read.query().select().isEmpty() ? read.list(table.type()) : Records.partial(table, read.list());
    }

    private List<R> records(List<Row> rows) {
        return read.query().select().isEmpty() ? Records.of(table, rows) : Records.partial(table, rows);
    }

    /** Rows of a bulk write as records: with {@link Returning#KEYS}, records holding only their keys. */
    private List<R> written(List<Row> rows, Returning returning) {
        return returning == Returning.KEYS ? Records.partial(table, rows) : records(rows);
    }

    /** The rows as another record, e.g. one with components for the loaded relationships. */
    public <V extends Record> List<V> list(Class<V> view) {
        return read.list(view);
    }

    /** The first row in the read's order as another record, e.g. a view with loaded relationships; see {@link Read#first()}. */
    public <V extends Record> Optional<V> first(Class<V> view) {
        return read.first(view);
    }

    /**
     * The one row the read selects as another record, or none; see {@link Read#one()}.
     *
     * @throws QueryException with {@code INVALID_QUERY} when the read selects more than one record
     */
    public <V extends Record> Optional<V> one(Class<V> view) {
        return read.one(view);
    }

    /** The rows as rows, for the string API's getters. */
    public List<Row> rows() {
        return read.list();
    }

    /** The first record in the read's order, or none; see {@link Read#first()}. */
    public Optional<R> first() {
        return read.first().map(row -> records(List.of(row)).get(0));
    }

    /**
     * The one record the read selects, or none; see {@link Read#one()}.
     *
     * @throws QueryException with {@code INVALID_QUERY} when the read selects more than one record
     */
    public Optional<R> one() {
        return read.one().map(row -> records(List.of(row)).get(0));
    }

    /** How many rows {@link #forEach} fetches at a time; see {@link Read#fetchSize}. */
    public TypedRead<R> fetchSize(int rows) {
        return new TypedRead<>(table, read.fetchSize(rows), orders);
    }

    /** Hands over the records one at a time, never all in memory; see {@link Read#forEach(Consumer)}. */
    public long forEach(java.util.function.Consumer<R> each) {
        return read.forEach(row -> each.accept(Records.of(table, List.of(row)).get(0)));
    }

    /** Hands over the rows one at a time as another record, e.g. one with a computed field; see {@link Read#forEach}. */
    public <V extends Record> long forEach(Class<V> view, java.util.function.Consumer<V> each) {
        return read.forEach(view, each);
    }

    /**
     * The records as a stream pulled one at a time, never all in memory; close it (try-with-resources). See
     * {@link Read#stream()}.
     */
    public Stream<R> stream() {
        return read.stream().map(row -> records(List.of(row)).get(0));
    }

    /** The rows as a stream of another record, e.g. one with a computed field; see {@link Read#stream()}. */
    public <V extends Record> Stream<V> stream(Class<V> view) {
        return read.stream(view);
    }

    /**
     * A field computed for each row in SQL, sortable by its name and read onto a view record's component of that
     * name ({@code list(View.class)}); see {@link Read#compute}. The SQL is code: never build it from input.
     */
    public TypedRead<R> compute(String name, Class<?> type, String sql) {
        return new TypedRead<>(table, read.compute(name, type, sql), orders);
    }

    /**
     * Groups this read's rows by these fields (SQL's {@code GROUP BY}) for values computed over each group, named
     * as asked: {@code groupBy(Post.STATUS).count("posts").sum(Post.RATING, "total").list()} ({@link Read#groupBy}).
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final TypedGrouped<R> groupBy(Field<R, ?>... fields) {
        return new TypedGrouped<>(read.groupBy(names(fields)));
    }

    public long count() {
        return read.count();
    }

    /**
     * The read's terminal step run on the executor, e.g. {@code read.async(r -> r.values(Post.ID), executor)}; see
     * {@link Read#async(java.util.function.Function, Executor)}.
     */
    public <T> CompletableFuture<T> async(Function<TypedRead<R>, T> terminal, Executor executor) {
        QueryException.required(terminal, "terminal");
        return read.async(r -> terminal.apply(this), executor);
    }

    /** {@link #async(Function, Executor)} on Ashlar's own daemon threads; see {@link Read#async(Function)}. */
    public <T> CompletableFuture<T> async(Function<TypedRead<R>, T> terminal) {
        QueryException.required(terminal, "terminal");
        return read.async(r -> terminal.apply(this));
    }

    /** {@link #list()} on the executor (Ebean's {@code findFutureList}). */
    public CompletableFuture<List<R>> listAsync(Executor executor) {
        return async(TypedRead::list, executor);
    }

    /** {@link #list()} on Ashlar's own threads. */
    public CompletableFuture<List<R>> listAsync() {
        return async(TypedRead::list);
    }

    /** {@link #count()} on the executor (Ebean's {@code findFutureCount}). */
    public CompletableFuture<Long> countAsync(Executor executor) {
        return async(TypedRead::count, executor);
    }

    /** {@link #count()} on Ashlar's own threads. */
    public CompletableFuture<Long> countAsync() {
        return async(TypedRead::count);
    }

    public boolean exists() {
        return read.exists();
    }

    /** A page of the records with the count of every record the read selects; see {@link Read#page()}. */
    public Page<R> page() {
        return read.page().map(row -> records(List.of(row)).get(0));
    }

    /** {@link #page()} with the rows as another record, e.g. a view with loaded relationships. */
    public <V extends Record> Page<V> page(Class<V> view) {
        return read.page(view);
    }

    /**
     * One field of every record the read selects, in its order, nulls kept (Ebean's {@code findSingleAttributeList},
     * jOOQ's {@code fetch(field)}): {@code read(POSTS).where(STATUS.eq(DRAFT)).values(ID)}; see {@link Read#values}.
     */
    public <V> List<V> values(Field<R, V> field) {
        QueryException.required(field, "field");
        List<Row> rows = read.select(field.name()).list();
        List<V> values = new ArrayList<>(rows.size());
        rows.forEach(row -> values.add(field.valueOf(row.get(field.name()))));
        return java.util.Collections.unmodifiableList(values);
    }

    /**
     * How many different values a field has over the rows this read selects, nulls left out (see
     * {@link Read#countDistinct}).
     */
    public long countDistinct(Field<R, ?> field) {
        return read.countDistinct(QueryException.required(field, "field").name());
    }

    /** The sum of a number field over the rows this read selects, as {@link Read#sum} gives it; null for none. */
    public Number sum(Field<R, ? extends Number> field) {
        return read.sum(field.name());
    }

    /** The average of a number field; null for none. */
    public Number avg(Field<R, ? extends Number> field) {
        return read.avg(field.name());
    }

    /**
     * The least value of a field as its record component holds it (see {@link Read#min}): {@code Integer lowest =
     * read(POSTS).min(RATING)}, a {@code BigInteger} of a {@code BIG_INTEGER} field, an enum's constant; null when
     * no row has one.
     */
    public <T> T min(Field<R, T> field) {
        return field.valueOf(read.min(QueryException.required(field, "field").name()));
    }

    /** The greatest value of a field as its record component holds it; null when no row has one. */
    public <T> T max(Field<R, T> field) {
        return field.valueOf(read.max(QueryException.required(field, "field").name()));
    }

    /** Sets the changes on every row this read selects (honouring limit and offset); returns them updated. */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final List<R> updateAll(Change<R>... changes) {
        return Records.of(table, read.updateAll(changeMap(changes)));
    }

    /**
     * Sets the changes on every record this read selects and returns them updated, or with only their key
     * components set for {@link Returning#KEYS}; see {@link Read#updateAll(Map, Returning)}.
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final List<R> updateAll(Returning returning, Change<R>... changes) {
        return written(read.updateAll(changeMap(changes), returning), returning);
    }

    /** Sets the changes on every record this read selects and returns how many; see {@link Read#updateCount}. */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final int updateCount(Change<R>... changes) {
        return read.updateCount(changeMap(changes));
    }

    private static Map<String, Object> changeMap(Change<?>[] changes) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Change<?> change : changes) {
            values.put(change.field(), change.value());
        }
        return values;
    }

    /** Deletes every row this read selects; returns how many. */
    public int destroyAll() {
        return read.destroyAll();
    }

    /** Deletes every record this read selects and returns them as stored; see {@link Read#destroyAll(Returning)}. */
    public List<R> destroyAll(Returning returning) {
        return written(read.destroyAll(returning), returning);
    }

    private Object[] cursor(R record) {
        Object[] values = new Object[orders.size()];
        for (int i = 0; i < values.length; i++) {
            Field<R, ?> field = orders.get(i).field();
            Sort sort = orders.get(i).sort();
            if (sort.byExpression() || sort.count()) {
                // No record holds it: the server reads it for the record's key, in this read's tenant scope.
                values[i] = read.sortValue(sort, Row.of(table.name(), table.values(record)));
                continue;
            }
            if (field == null || field.isPath()) {
                throw QueryException.of(table.name(), null, "A cursor cannot be taken from a " + table.type()
                        .getSimpleName() + " record: the sort key " + orders.get(i) + " is not one of its fields; "
                        + "use untyped().after(values...)");
            }
            requireRead(field);
            values[i] = field.of(record);
        }
        List<String> keys = read.tieBreakers();
        if (keys.isEmpty()) {
            return values;
        }
        Object[] full = Arrays.copyOf(values, values.length + keys.size());
        Map<String, Object> stored = table.values(record);
        for (int i = 0; i < keys.size(); i++) {
            full[values.length + i] = stored.get(keys.get(i));
        }
        return full;
    }

    /**
     * Refuses a sort key this read leaves null in its records (not selected, or a declared field not loaded): the
     * record's null would read as a stored null and page from the wrong place.
     */
    private void requireRead(Field<R, ?> field) {
        Query query = read.query();
        boolean derived = field instanceof AggregateField || field instanceof CalculationField;
        boolean held = derived ? query.aggregates().contains(field.name()) : query.select().isEmpty()
                || query.select().contains(field.name()) || read.tieBreakers().contains(field.name());
        if (!held) {
            throw QueryException.of(table.name(), field.name(), "A cursor cannot be taken from a " + table.type()
                    .getSimpleName() + " record for this read: it " + (derived ? "does not load" : "selects no")
                    + " '" + field.name() + "', so the record holds null whatever is stored; "
                    + (derived ? "load" : "select") + " it too");
        }
    }

}
