package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.BeanProperties;
import dev.ashlar.api.internal.ClassMapping;
import dev.ashlar.api.internal.Rows;
import dev.ashlar.kernel.data.internal.DataLayer;
import dev.ashlar.kernel.data.internal.PlainSql;
import dev.ashlar.kernel.data.internal.StatementTimeout;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A statement written by hand, for what the resources cannot say (Jdbi's {@code createQuery}, jOOQ's
 * {@code fetch(sql, bindings)}, Hibernate's native queries): a report over several tables, a call of a PostgreSQL
 * function, a statement of an extension. Each {@code ?} is bound to its value, never written into the SQL (or each
 * {@code :name} mark, by {@link #bind}, {@link #bindMap}, {@link #bindBean}, {@link #bindFields} or
 * {@link #bindMethods}); rows come back under the names the statement gives its columns, mappable onto records,
 * JavaBeans and classes by their constructor. It runs on the
 * primary, in the transaction open on the thread if there is one, under the handle's timeout; no tenant scope, base
 * filter or plugin applies to it.
 *
 * <pre>{@code
 * List<Row> rows = ashlar.sql("SELECT id, title FROM posts WHERE rating > ? ORDER BY id", 3).list();
 * List<Title> titles = ashlar.sql("SELECT id, title FROM posts WHERE id = ANY(?)", List.of(1, 2)).list(Title.class);
 * BigDecimal total = ashlar.sql("SELECT order_total(?)", orderId).value(BigDecimal.class);
 * int changed = ashlar.sql("UPDATE posts SET views = views + 1 WHERE id = ?", 7).execute();
 * }</pre>
 */
public final class SqlQuery {
    private final PlainSql sql;
    private final Duration timeout;
    private final int fetch;
    /** Whether {@link #list(Class)} refuses a column nothing takes or a property no column fills. */
    private final boolean strict;

    SqlQuery(PlainSql sql, Duration timeout) {
        this(sql, timeout, Read.FETCH, false);
    }

    private SqlQuery(PlainSql sql, Duration timeout, int fetch, boolean strict) {
        this.sql = sql;
        this.timeout = timeout;
        this.fetch = fetch;
        this.strict = strict;
    }

    private SqlQuery with(PlainSql statement) {
        return new SqlQuery(statement, timeout, fetch, strict);
    }

    /**
     * How many rows {@link #forEach} fetches from the server at a time (1,000 unless given); see
     * {@link Read#fetchSize}.
     *
     * @throws QueryException with {@code INVALID_QUERY} for a size below 1
     */
    public SqlQuery fetchSize(int rows) {
        return new SqlQuery(sql, timeout, Read.checkedFetchSize(PlainSql.RESOURCE, rows), strict);
    }

    /**
     * Binds a value to each {@code :name} mark of that name, as Jdbi's named parameters do, in a statement written with
     * such marks and no {@code ?}: {@code ashlar.sql("SELECT * FROM posts WHERE author_id = :author AND rating >=
     * :rating").bind("author", id).bind("rating", 3).list()}. A value binds as it would to a {@code ?}; a name used
     * twice binds twice; {@code ::} is a cast and a colon in a string or comment is text. Binding a name again replaces
     * its value. A mark left without a value is refused when the statement runs, naming it.
     *
     * @throws QueryException with {@code INVALID_QUERY} for a name the statement has no mark of, or on a statement
     *                        written with {@code ?} marks
     */
    public SqlQuery bind(String name, Object value) {
        return with(sql.bind(name, value));
    }

    /**
     * Binds each entry of a map to the {@code :name} marks of its key, as {@link #bind} would (Jdbi's {@code bindMap}):
     * keys the statement has no mark of are passed over, so one map may serve several statements; a mark the map has
     * no key of is left to bind otherwise, and refused when the statement runs if nothing bound it.
     *
     * @throws QueryException with {@code INVALID_QUERY} on a statement written with {@code ?} marks
     */
    public SqlQuery bindMap(Map<String, ?> values) {
        return with(sql.bindMap(values));
    }

    /**
     * Binds the properties of a record (its components) or a JavaBean (its public getters: {@code getTitle()},
     * {@code isDraft()}) to the marks of their names, as {@link #bind} would (Jdbi's {@code bindBean}): {@code
     * ashlar.sql("INSERT INTO posts (title, rating) VALUES (:title, :rating)").bindBean(post).execute()}. Marks the
     * bean has no property of are left to bind otherwise, and refused when the statement runs if nothing bound them,
     * the message listing the bean's properties. Each getter is called once, now.
     *
     * @throws QueryException with {@code INVALID_QUERY} naming the class and property of a getter that throws
     */
    public SqlQuery bindBean(Object bean) {
        return with(sql.bindObject(BeanProperties.Source.BEAN, null, bean));
    }

    /**
     * {@link #bindBean(Object)} under a prefix: each {@code :prefix.title} mark takes the property {@code title}, so
     * two beans bind side by side ({@code WHERE author_id = :a.id AND id <> :p.id}).
     *
     * @throws QueryException with {@code INVALID_QUERY} as {@link #bindBean(Object)}, and for a mark under the prefix
     *                        the bean has no property of, naming the mark and listing the properties
     */
    public SqlQuery bindBean(String prefix, Object bean) {
        return with(sql.bindObject(BeanProperties.Source.BEAN, QueryException.required(prefix, "prefix"), bean));
    }

    /**
     * Binds the public fields of an object to the marks of their names (or their {@code @ColumnName}), as {@link #bind}
     * would (Jdbi's {@code bindFields}): {@code ashlar.sql("SELECT * FROM posts WHERE title = :title")
     * .bindFields(filter)}. Marks it has no field of are left to bind otherwise. Each field is read once, now.
     */
    public SqlQuery bindFields(Object object) {
        return with(sql.bindObject(BeanProperties.Source.FIELDS, null, object));
    }

    /**
     * {@link #bindFields(Object)} under a prefix: each {@code :prefix.title} mark takes the field {@code title}.
     *
     * @throws QueryException with {@code INVALID_QUERY} for a mark under the prefix the object has no public field
     *                        of, naming the mark and listing the fields
     */
    public SqlQuery bindFields(String prefix, Object object) {
        return with(sql.bindObject(BeanProperties.Source.FIELDS, QueryException.required(prefix, "prefix"), object));
    }

    /**
     * Binds the values of an object's public methods without parameters to the marks of the methods' names, as
     * {@link #bind} would (Jdbi's {@code bindMethods}): {@code :total} takes {@code total()}, {@code :getName} takes
     * {@code getName()}. Marks it has no method of are left to bind otherwise. Each method is called once, now.
     *
     * @throws QueryException with {@code INVALID_QUERY} naming the class and method of one that throws
     */
    public SqlQuery bindMethods(Object object) {
        return with(sql.bindObject(BeanProperties.Source.METHODS, null, object));
    }

    /**
     * {@link #bindMethods(Object)} under a prefix: each {@code :prefix.total} mark takes {@code total()}.
     *
     * @throws QueryException with {@code INVALID_QUERY} as {@link #bindMethods(Object)}, and for a mark under the
     *                        prefix the object has no such method of, naming the mark and listing the methods
     */
    public SqlQuery bindMethods(String prefix, Object object) {
        return with(sql.bindObject(BeanProperties.Source.METHODS, QueryException.required(prefix, "prefix"), object));
    }

    /**
     * The statement whose {@link #list(Class)} and {@link #one(Class)} refuse rows with a column no property of the
     * class takes, or a property (of a nested object too) no column fills, naming them and the class (Jdbi's
     * {@code ReflectionMappers.setStrictMatching(true)}); without it, such columns are ignored and such properties of a
     * bean keep what its constructor left.
     */
    public SqlQuery strict() {
        return new SqlQuery(sql, timeout, fetch, true);
    }

    private <T> T timed(Supplier<T> action) {
        return StatementTimeout.within(timeout, action);
    }

    /** Refuses this statement as the rows a write takes unless it is a query; see {@link PlainSql#refuseNonQuery}. */
    void refuseNonQuery(String write, String resource) {
        sql.refuseNonQuery(write, resource);
    }

    /** Whether this statement runs through this data layer, and so in a transaction it holds on this thread. */
    boolean runsThrough(DataLayer layer) {
        return layer.runs(sql);
    }

    /** Every row the statement returns. */
    public List<Row> list() {
        return timed(sql::list);
    }

    /**
     * Every row as an object of the type: a record, each component taking the column of its name or of its snake_case
     * form; a JavaBean (a public no-arg constructor), each column going to the setter of its name ({@code
     * published_at} or {@code publishedAt} to {@code setPublishedAt}; of overloaded setters, the one whose type the
     * value has), or else to a field of it; or a class with one public constructor, each parameter taking the column
     * of its name (the class compiled with {@code -parameters}). A {@link dev.ashlar.api.data.ColumnName @ColumnName}
     * names a property's column instead; a {@link dev.ashlar.api.data.Nested @Nested} property is an object made of
     * the columns under its prefix ({@code author_id}, {@code author_name} for {@code @Nested("author")}). Columns
     * nothing takes are ignored, as Jdbi does by default, unless {@link #strict()}; values convert as for records. How
     * the columns map is worked out once per call, not per row.
     *
     * @throws QueryException with {@code INVALID_QUERY} naming the property or parameter a column does not fit (a null
     *                        for a primitive), a constructor parameter or a nested object no column gives, a column
     *                        two properties claim, or a class none of these
     */
    public <T> List<T> list(Class<T> type) {
        QueryException.required(type, "type");
        return mapped(list(), type);
    }

    private <T> List<T> mapped(List<Row> rows, Class<T> type) {
        if (rows.isEmpty()) {
            return List.of();
        }
        ClassMapping<T> mapping = Rows.layout(rows.get(0)).classMapping(type);
        if (strict) {
            mapping.refuseUnmatched();
        }
        return rows.stream().map(row -> mapping.map(Rows.values(row))).toList();
    }

    /**
     * The only row the statement returns, or none.
     *
     * @throws QueryException with {@code INVALID_QUERY} when it returns more than one
     */
    public Optional<Row> one() {
        return single(list());
    }

    private static Optional<Row> single(List<Row> rows) {
        if (rows.size() > 1) {
            throw QueryException.of(PlainSql.RESOURCE, null, "The statement returned " + rows.size() + " rows where "
                    + "one() expects at most one: narrow its WHERE, add LIMIT 1, or read them with list()");
        }
        return rows.stream().findFirst();
    }

    /** {@link #one()} as an object of the type, mapped as {@link #list(Class)} maps each row. */
    public <T> Optional<T> one(Class<T> type) {
        QueryException.required(type, "type");
        List<T> mapped = mapped(one().stream().toList(), type);
        // A row a @PropagateNull maps to null is no object: empty, as no row is.
        return mapped.isEmpty() ? Optional.empty() : Optional.ofNullable(mapped.get(0));
    }

    /**
     * The one value of the one row the statement returns, as the type (with the conversions {@link Row#get(String,
     * Class)} makes), or null when that value is NULL: the result of a function, a count.
     *
     * @throws QueryException with {@code INVALID_QUERY} when the statement returns no row, more than one, or a row of
     *                        more than one column
     */
    public <T> T value(Class<T> type) {
        QueryException.required(type, "type");
        Row row = single(rows(type)).orElseThrow(() -> QueryException.of(PlainSql.RESOURCE, null, "The "
                + "statement returned no row where value(...) expects one"));
        return onlyValue(row, type, "value", "one()");
    }

    /**
     * The one value of every row the statement returns, as the type (with the conversions {@link Row#get(String,
     * Class)} makes), nulls kept: ids to act on, the titles of a report (Jdbi's {@code mapTo(Long.class).list()},
     * jOOQ's {@code fetchInto(Long.class)}).
     *
     * <pre>{@code
     * List<Long> ids = ashlar.sql("SELECT id FROM posts WHERE rating > ? ORDER BY id", 3).values(Long.class);
     * }</pre>
     *
     * @throws QueryException with {@code INVALID_QUERY} when the rows have more than one column, or a value is not of
     *                        the type
     */
    public <T> List<T> values(Class<T> type) {
        QueryException.required(type, "type");
        return rows(type).stream().map(row -> onlyValue(row, type, "values", "list(Record.class)")).toList();
    }

    /** The rows, an {@code oid} column read as its large object's content when the value is read as a stream. */
    private List<Row> rows(Class<?> type) {
        Class<?> largeObjectsAs = type == InputStream.class || type == java.io.Reader.class ? type : null;
        return timed(() -> sql.list(largeObjectsAs));
    }

    private static <T> T onlyValue(Row row, Class<T> type, String call, String rowsCall) {
        if (row.fields().size() != 1) {
            throw QueryException.of(PlainSql.RESOURCE, null, "The statement returned the columns " + row.fields()
                    + " where " + call + "(...) expects one: select only the value, or read the rows with " + rowsCall);
        }
        return row.get(row.fields().get(0), type);
    }

    /**
     * The large object the statement's one {@code oid} value names, read live: its bytes are fetched from the server
     * 256 KiB at a time as the stream is read ({@code lo_get}, by its oid), never whole into memory (Jdbi's
     * {@code TestLobStream}). It lives in the caller's transaction: a read after that ends (or on another thread) is
     * refused. It holds nothing open on the server.
     *
     * <pre>{@code
     * ashlar.transaction(tx -> {
     *     try (InputStream in = tx.sql("SELECT lob FROM files WHERE id = ?", id).largeObject()) {
     *         in.transferTo(response);
     *     } catch (IOException e) {
     *         throw new UncheckedIOException(e);
     *     }
     *     return null;
     * });
     * }</pre>
     *
     * @throws QueryException with {@code INVALID_QUERY} outside a transaction, when the statement returns no row, more
     *                        than one, a null, or not one {@code oid} column; and on a read after the transaction
     *                        ended
     */
    public InputStream largeObject() {
        return timed(sql::largeObject);
    }

    /** {@link #largeObject()} read as UTF-8 text, decoded as it is fetched. */
    public java.io.Reader largeObjectReader() {
        return new java.io.InputStreamReader(largeObject(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Runs a statement that returns no rows ({@code UPDATE}, {@code DELETE}, DDL, the {@code CALL} of a procedure with no
     * {@code INOUT} or {@code OUT} parameter, whose values come back as a row to read with {@link #one()}); how many
     * rows it changed.
     */
    public int execute() {
        return timed(sql::execute);
    }

    /**
     * Hands over the rows one at a time, fetched 1,000 at a time (or {@link #fetchSize}) through a cursor, never all
     * in memory; in the caller's transaction, or in one of its own that holds its connection until the last row is
     * handed over. Returns how many.
     */
    public long forEach(Consumer<Row> consumer) {
        QueryException.required(consumer, "consumer");
        return timed(() -> sql.forEach(fetch, consumer));
    }
}
