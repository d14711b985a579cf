package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.BeanProperties;
import dev.ashlar.api.internal.BindMarks;
import dev.ashlar.api.internal.NamedMarks;
import dev.ashlar.api.internal.RowLayout;
import dev.ashlar.api.internal.Rows;
import dev.ashlar.api.internal.ValueConversions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.lang.reflect.AccessibleObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement written by hand ({@code ashlar.sql(...)}): run as written on the primary (in the transaction open on the
 * thread, if any), each {@code ?} bound to its value, and its rows read as the columns' types say, under the names
 * the statement gives them. Nothing of the domain applies: no tenant, base filter or plugin.
 */
public final class PlainSql {
    private static final Logger LOG = LoggerFactory.getLogger(PlainSql.class);
    /** Rows are named as if of this resource, which no write takes. */
    public static final String RESOURCE = "sql";
    /** How columns of each PostgreSQL type are read; another type is read as its text. */
    private static final Map<String, Codec> READERS = readers();

    /** PostgreSQL found no type for a bind mark: {@code could not determine data type of parameter $1}. */
    private static final String UNTYPED_PARAMETER = "42P18";
    /** PostgreSQL could not parse the statement, as when a {@code :name} mark was sent with no value bound. */
    private static final String SYNTAX_ERROR = "42601";
    private static final Pattern PARAMETER = Pattern.compile("parameter \\$(\\d+)");

    private final Connections connections;
    private final Unscoping unscoping;
    /** The SQL as written, which messages show. */
    private final String source;
    /** The values bound to its {@code :name} marks, none when it has {@code ?} marks. */
    private final Map<String, Object> named;
    /** What bindBean(...) and bindMap(...) offered, for the message about a mark none of them gave. */
    private final List<String> offered;
    /** The SQL sent, with a {@code ?} for each {@code :name} mark, and the values of its marks in order. */
    private final String sql;
    private final List<Object> values;

    /** Empties whatever tenant's settings the transaction open on a connection was given by earlier actions. */
    @FunctionalInterface
    interface Unscoping {
        void clear(Connection connection) throws SQLException;
    }

    /** @throws QueryException when the values are not one for each {@code ?}, or more than PostgreSQL takes */
    PlainSql(Connections connections, Unscoping unscoping, String sql, Object... values) {
        this.connections = connections;
        this.unscoping = unscoping;
        this.source = QueryException.required(sql, "sql");
        this.named = Map.of();
        this.offered = List.of();
        this.sql = sql;
        this.values = Arrays.asList(values == null ? new Object[]{null} : values.clone());
        int marks = BindMarks.of(sql).size();
        if (marks != this.values.size()) {
            throw QueryException.of(RESOURCE, null, describe() + " has " + marks + " ? mark(s) and was given "
                    + this.values.size() + " value(s): give one value for each ? (write ?? for the ? of jsonb's "
                    + "operators)");
        }
        if (marks > Bind.MAX_PER_STATEMENT) {
            throw QueryException.of(RESOURCE, null, describe() + " would bind " + marks + " values, and PostgreSQL "
                    + "takes at most " + Bind.MAX_PER_STATEMENT + " in one statement: bind a list as one array "
                    + "(\"id = ANY(?)\", List.of(...))");
        }
    }

    /** The statement with one more value bound to a {@code :name} mark; see {@link #bind(String, Object)}. */
    private PlainSql(PlainSql statement, Map<String, Object> named, List<String> offered) {
        this.connections = statement.connections;
        this.unscoping = statement.unscoping;
        this.source = statement.source;
        this.named = named;
        this.offered = offered;
        List<NamedMarks.Mark> marks = NamedMarks.of(source);
        List<Object> bound = new ArrayList<>(marks.size());
        for (NamedMarks.Mark mark : marks) {
            bound.add(named.get(mark.name()));
        }
        this.sql = NamedMarks.positional(source, marks);
        this.values = Collections.unmodifiableList(bound);
        if (bound.size() > Bind.MAX_PER_STATEMENT) {
            throw QueryException.of(RESOURCE, null, describe() + " would bind " + bound.size() + " values, and "
                    + "PostgreSQL takes at most " + Bind.MAX_PER_STATEMENT + " in one statement: bind a list as one "
                    + "array (\"id = ANY(:ids)\", List.of(...))");
        }
    }

    /**
     * Binds a value to every {@code :name} mark of that name (Jdbi's named parameters), as a {@code ?} binds its
     * value; binding a name again replaces its value.
     *
     * @throws QueryException when the statement has {@code ?} marks or was given values for them, or has no mark of
     *                        that name
     */
    public PlainSql bind(String name, Object value) {
        QueryException.required(name, "name");
        List<String> names = markNames();
        if (!names.contains(name)) {
            throw QueryException.of(RESOURCE, null, describe() + " has no mark :" + name + " to bind; its named "
                    + "marks are " + names);
        }
        return withNamed(Collections.singletonMap(name, value), null);
    }

    /**
     * Binds each entry of a map to the {@code :name} marks of its key (Jdbi's {@code bindMap}); keys the statement
     * has no mark of are passed over, and its marks the map has no key of are left to bind otherwise.
     */
    public PlainSql bindMap(Map<String, ?> values) {
        QueryException.required(values, "values");
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            if (entry.getKey() == null) {
                Object value = entry.getValue();
                throw QueryException.of(RESOURCE, null, "bindMap(...) of " + describe() + " was given an entry with "
                        + "a null key (its value " + (value == null ? "null" : "a " + value.getClass().getName())
                        + "), which names no :name mark: key each value by the name of its mark, or remove the entry");
            }
        }
        Map<String, Object> found = new HashMap<>();
        for (String name : markNames()) {
            if (values.containsKey(name)) {
                found.put(name, values.get(name));
            }
        }
        return withNamed(found, "bindMap(...) gives " + values.keySet().stream().sorted().toList());
    }

    /**
     * Binds the values of an object by name: with no prefix, each {@code :title} mark takes the value {@code title}
     * the source gives (Jdbi's {@code bindBean}: a component, {@code getTitle()}, a boolean's {@code isTitle()};
     * {@code bindFields}: a public field; {@code bindMethods}: a public method without parameters), marks it has none
     * of left to bind otherwise; with a prefix {@code p}, each {@code :p.title} mark, and one of those it has no value
     * of is refused. Each value is read once, now, and binds as for {@link #bind}.
     *
     * @throws QueryException naming the class and property of a getter that throws, or a prefixed mark the object
     *                        gives no value of, listing those it gives
     */
    public PlainSql bindObject(BeanProperties.Source source, String prefix, Object bean) {
        QueryException.required(bean, "bean");
        if (bean instanceof Map<?, ?> || bean instanceof Collection<?>) {
            throw QueryException.of(RESOURCE, null, source.method() + "(...) of " + describe() + " takes a record or "
                    + "an object of its own class and was given a " + (bean instanceof Map<?, ?> ? "Map: bind a map's "
                    + "entries with bindMap(map)" : "Collection: bind it to one mark as an array with bind(name, "
                    + "list)"));
        }
        Map<String, AccessibleObject> readers = BeanProperties.of(bean.getClass(), source);
        String marked = prefix == null ? "" : prefix + ".";
        Map<String, Object> found = new HashMap<>();
        for (String name : markNames()) {
            if (!name.startsWith(marked)) {
                continue;
            }
            String property = name.substring(marked.length());
            AccessibleObject reader = readers.get(property);
            if (reader != null) {
                found.put(name, BeanProperties.read(bean, property, reader));
            } else if (prefix != null) {
                throw QueryException.of(RESOURCE, null, describe() + " has the mark :" + name + ", and "
                        + bean.getClass().getName() + " has no property '" + property + "' to give it; its "
                        + source.gives() + " are " + readers.keySet());
            }
        }
        return withNamed(found, source.method() + "(" + (prefix == null ? "" : "\"" + prefix + "\", ")
                + bean.getClass().getSimpleName() + ") gives " + readers.keySet());
    }

    private List<String> markNames() {
        if (named.isEmpty() && offered.isEmpty() && (!values.isEmpty() || !BindMarks.of(source).isEmpty())) {
            throw QueryException.of(RESOURCE, null, describe() + " binds its values to ? marks: give each value for "
                    + "its ? in sql(...), or write :name marks and bind(name, value) each, not both");
        }
        return NamedMarks.of(source).stream().map(NamedMarks.Mark::name).distinct().toList();
    }

    /** The statement with more values bound by name, replacing any bound to the same names before. */
    private PlainSql withNamed(Map<String, Object> values, String offer) {
        Map<String, Object> more = new LinkedHashMap<>(named);
        more.putAll(values);
        List<String> offers = offered;
        if (offer != null) {
            offers = new ArrayList<>(offered);
            offers.add(offer);
        }
        return new PlainSql(this, Collections.unmodifiableMap(more), List.copyOf(offers));
    }

    /** Every row the statement returns. */
    public List<Row> list() {
        return list(null);
    }

    /**
     * Every row the statement returns, an {@code oid} column read as the content of the large object it names when
     * {@code largeObjectsAs} is {@code InputStream.class} (its bytes) or {@code Reader.class} (its text), which needs
     * a transaction; as the number otherwise (null).
     */
    public List<Row> list(Class<?> largeObjectsAs) {
        return run(statement -> {
            try (ResultSet result = rowsOf(statement)) {
                Reader reader = new Reader(result, largeObjectsAs, connections.inTransaction());
                List<Row> rows = new ArrayList<>();
                while (result.next()) {
                    rows.add(reader.row(result));
                }
                return rows;
            }
        });
    }

    /**
     * The large object whose oid the statement's one value is, read live: fetched from the server in chunks as the
     * stream is read, in the caller's transaction, which closes it when it ends (see {@link LargeObjectStream}).
     *
     * @throws QueryException outside a transaction, or when the statement returns other than one row of one oid
     */
    public InputStream largeObject() {
        Object transaction = connections.transactionIdentity();
        if (transaction == null) {
            throw QueryException.of(RESOURCE, null, describe() + " opens a large object, which lives in a "
                    + "transaction: call largeObject() inside ashlar.transaction(...) and read it there");
        }
        return run(statement -> {
            try (ResultSet result = rowsOf(statement)) {
                ResultSetMetaData columns = result.getMetaData();
                String column = columns.getColumnLabel(1);
                if (columns.getColumnCount() != 1 || !"oid".equals(columns.getColumnTypeName(1)) || !result.next()) {
                    throw QueryException.of(RESOURCE, null, describe() + " returned no row or not one oid column "
                            + "where largeObject() expects one row of one oid: select the oid column alone");
                }
                long oid = result.getLong(1);
                if (result.wasNull() || result.next()) {
                    throw QueryException.of(RESOURCE, column, describe() + " returned a null or more than one row "
                            + "where largeObject() expects one oid: narrow its WHERE to the row");
                }
                LargeObjectStream stream = new LargeObjectStream(statement.getConnection(), oid, column,
                        () -> connections.transactionIdentity() == transaction);
                // A savepoint rolled back to may have made the object; what was read in it is not read on after it.
                connections.onRollback(stream::rolledBack);
                return stream;
            }
        });
    }

    /**
     * Runs a statement that returns no rows, or several separated by semicolons (the driver sends them as one
     * script, in one transaction when none is open); how many rows they changed together.
     */
    public int execute() {
        return run(statement -> {
            int changed = 0;
            for (boolean rows = statement.execute(); ; rows = statement.getMoreResults()) {
                if (rows) {
                    statement.getResultSet().close();
                    throw QueryException.of(RESOURCE, null, describe() + " returns rows, which execute() does not "
                            + "read (the statement ran): read them with list(), one(), value() or forEach()");
                }
                int count = statement.getUpdateCount();
                if (count == -1) {
                    return changed;
                }
                changed += count;
            }
        });
    }

    /**
     * The rows the statement returns; refused for one that returns none (an UPDATE without RETURNING), which ran
     * all the same: the driver's own words ("No results were returned by the query") name neither.
     */
    private ResultSet rowsOf(PreparedStatement statement) throws SQLException {
        if (statement.execute()) {
            return statement.getResultSet();
        }
        throw QueryException.of(RESOURCE, null, describe() + " returns no rows to read, and ran: it changed "
                + statement.getUpdateCount() + " row(s). Run a statement that returns no rows with execute(), or "
                + "add RETURNING ... to read the rows it writes");
    }

    /**
     * Hands over the statement's rows one at a time, fetched {@code fetch} at a time through the driver's cursor,
     * which lives in a transaction (the caller's, or one of its own held until the last row); returns how many.
     */
    public long forEach(int fetch, Consumer<Row> consumer) {
        return connections.transaction(() -> run(statement -> {
            // The driver's timer covers the first fetch only; the server's own bound covers each later one too.
            String before = StatementTimeout.boundOnServer(statement.getConnection());
            statement.setFetchSize(fetch);
            try (ResultSet result = rowsOf(statement)) {
                Reader reader = new Reader(result, null, false);
                long count = 0;
                while (result.next()) {
                    consumer.accept(reader.row(result));
                    count++;
                }
                return count;
            } finally {
                StatementTimeout.restoreOnServer(statement.getConnection(), before);
            }
        }));
    }

    /** Work on the prepared, bound statement. */
    private interface StatementWork<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    private <T> T run(StatementWork<T> work) {
        List<String> unbound = NamedMarks.of(source).stream().map(NamedMarks.Mark::name)
                .filter(name -> !named.containsKey(name)).distinct().toList();
        if ((!named.isEmpty() || !offered.isEmpty()) && !unbound.isEmpty()) {
            throw unbound(unbound, null);
        }
        try {
            return connections.run(null, connection -> {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} -- {} bound value(s)", sql, values.size());
                }
                unscoping.clear(connection);
                try (PreparedStatement statement = prepare(connection)) {
                    return work.run(statement);
                }
            });
        } catch (SQLException e) {
            AshlarException untyped = untyped(e);
            if (untyped != null) {
                throw untyped;
            }
            if (named.isEmpty() && values.isEmpty() && !unbound.isEmpty() && SYNTAX_ERROR.equals(e.getSQLState())) {
                // No value bound by name: the marks may have been SQL (an array slice, a[lo:hi]) until PostgreSQL said.
                throw unbound(unbound, e);
            }
            if (mapSentAsJson(e)) {
                throw QueryException.of(RESOURCE, null, describe() + " binds a Map, which goes as an hstore, where "
                        + "PostgreSQL reads JSON: bind the JSON as its text (?::jsonb) [SQL state 22P02]", e);
            }
            throw ErrorMapper.unmapped(e, describe(), connections.inTransaction());
        }
    }

    private QueryException unbound(List<String> unbound, SQLException e) {
        return QueryException.of(RESOURCE, null, describe() + " has the mark(s) :" + String.join(", :", unbound)
                + " with no value: bind(name, value) each (bound: " + named.keySet() + ")"
                + (offered.isEmpty() ? "" : "; " + String.join("; ", offered))
                + (e == null ? "" : " [PostgreSQL: " + e.getMessage() + "]"), e);
    }

    /** How messages name the value at a place of the SQL sent: by its number, or by its mark's name. */
    private String valueAt(int index) {
        return named.isEmpty() || index > values.size() ? String.valueOf(index)
                : ":" + NamedMarks.of(source).get(index - 1).name();
    }

    /**
     * A value whose {@code ?} the statement gives no type ({@code ? IS NULL}), refused by PostgreSQL in words that name
     * neither the value nor the fix: a null is bound with no type, so the same statement may run with a value and
     * fail with a null. Null for another failure.
     */
    private AshlarException untyped(SQLException e) {
        Matcher parameter = e.getMessage() == null ? null : PARAMETER.matcher(e.getMessage());
        if (!UNTYPED_PARAMETER.equals(e.getSQLState()) || parameter == null || !parameter.find()) {
            return null;
        }
        int index = Integer.parseInt(parameter.group(1));
        boolean isNull = index <= values.size() && values.get(index - 1) == null;
        return DatabaseException.withState(describe() + " failed: PostgreSQL cannot tell the type of value "
                + valueAt(index) + (isNull ? " (a null)" : "") + ", as nothing around its ? gives one: cast that ? to "
                + "the type meant (?::text IS NULL, ?::integer) [SQL state " + e.getSQLState() + "]", e.getSQLState(),
                e);
    }

    /** A map, bound as an hstore's text, that PostgreSQL tried to read as JSON (SQL state 22P02). */
    private boolean mapSentAsJson(SQLException e) {
        return "22P02".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().contains("type json")
                && values.stream().anyMatch(Map.class::isInstance);
    }

    private PreparedStatement prepare(Connection connection) throws SQLException {
        SqlText.refuseUnsendable(sql);
        PreparedStatement statement = connection.prepareStatement(sql);
        List<Long> largeObjects = new ArrayList<>();
        try {
            StatementTimeout.apply(statement);
            for (int i = 0; i < values.size(); i++) {
                long oid = bind(statement, i + 1, values.get(i));
                if (oid != 0) {
                    largeObjects.add(oid);
                }
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            // A later value failing leaves no large object made for an earlier one, even if the caller commits.
            StreamValues.unlink(connection, largeObjects, e);
            statement.close();
            throw e;
        }
    }

    /**
     * Binds a value by its Java type: a list as one array of its elements' type (an empty one as the array type its
     * place calls for), an enum as its name of the type its place calls for (a text or a native enum column), a map
     * as an {@code hstore}.
     *
     * @return the oid of a large object made for a stream, 0 for none
     */
    private long bind(PreparedStatement statement, int index, Object value) throws SQLException {
        Object unwrapped = ValueConversions.unwrapped(value);
        if (unwrapped != value) {
            return bind(statement, index, unwrapped);   // an Optional as Jdbi binds one: its value, or null when empty
        } else if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof Enum<?> constant) {
            statement.setObject(index, ValueConversions.stored(constant), Types.OTHER);
        } else if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else if (value instanceof List<?> list) {
            bindArray(statement, index, list);
        } else if (StreamValues.isStream(value)) {
            return StreamValues.bind(statement, index, value, valueAt(index) + " of " + describe(),
                    connections.inTransaction());
        } else if (value instanceof Map<?, ?>) {
            HstoreCodec.INSTANCE.bind(statement, index, converted(index, HstoreCodec.INSTANCE, value));
        } else {
            Codec codec = codec(index, value);
            codec.bind(statement, index, converted(index, codec, value));
        }
        return 0;
    }

    private void bindArray(PreparedStatement statement, int index, List<?> list) throws SQLException {
        Object first = list.stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
        for (Object value : list) {
            if (value != null && typeOf(value) != typeOf(first)) {
                throw QueryException.of(RESOURCE, null, "Value " + valueAt(index) + " of " + describe()
                        + " is a list of " + typeOf(first).getName() + " holding a " + typeOf(value).getName()
                        + ": bind a list of one type");
            }
        }
        if (first == null || first instanceof Enum<?>) {
            // An untyped array literal, read by the server as the array type its place calls for: an enum type's
            // (which the driver cannot name in every schema) or text's; a stored text has its quotes and backslashes
            // escaped, as an array literal's element needs.
            StringBuilder literal = new StringBuilder("{");
            for (Object value : list) {
                literal.append(literal.length() > 1 ? "," : "")
                        .append(value == null ? "NULL" : "\"" + ValueConversions.stored((Enum<?>) value)
                                .replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
            }
            statement.setObject(index, literal.append('}').toString(), Types.OTHER);
            return;
        }
        Codec codec = codec(index, first);
        List<Object> converted = new ArrayList<>(list.size());
        for (Object value : list) {
            converted.add(value == null ? null : converted(index, codec, value));
        }
        statement.setArray(index, ArrayCodec.jdbcArray(statement, codec, converted));
    }

    /** The type of a list's element, the same for every constant of an enum (one with a body is a subclass). */
    private static Class<?> typeOf(Object value) {
        return value instanceof Enum<?> constant ? constant.getDeclaringClass() : value.getClass();
    }

    private Codec codec(int index, Object value) {
        try {
            return Codecs.forValue(RESOURCE, value);
        } catch (QueryException e) {
            throw QueryException.of(RESOURCE, null, "Value " + valueAt(index) + " of " + describe() + " is a "
                    + value.getClass().getName() + "; bind text, numbers, booleans, UUIDs, dates, times, Durations, "
                    + "Periods, enums, byte[], an InputStream (to a bytea or an oid), a Reader (to a text or an oid), "
                    + "an Optional of one of them (or an OptionalInt, OptionalLong, OptionalDouble), a List of one of "
                    + "them (as an array), or a Map<String, String> (as an hstore)");
        }
    }

    private Object converted(int index, Codec codec, Object value) {
        try {
            return codec.toDatabase(value);
        } catch (Codec.RejectedValue e) {
            throw QueryException.of(RESOURCE, null, "Value " + valueAt(index) + " of " + describe() + " "
                    + e.getMessage());
        }
    }

    /** Whether the statement runs on these connections, and so in a transaction they hold on this thread. */
    boolean runsOn(Connections layer) {
        return connections == layer;
    }

    /**
     * Refuses the statement as the rows a write takes ({@code createAll} or {@code merge} from a statement) unless it
     * is a query: its rows are read before the write, and a statement that changes data would change it then.
     *
     * @param write the write, as the message names it: {@code "A create of"}
     * @throws QueryException naming the resource written and the fix
     */
    public void refuseNonQuery(String write, String resource) {
        String first = SqlSource.firstWord(source);
        if (!List.of("select", "with", "values", "table").contains(first)) {
            throw QueryException.of(resource, null, write + " " + resource + " from " + describe() + " is refused: "
                    + "its rows come from one SELECT (or WITH ... SELECT) statement, and this one begins with '"
                    + first + "'. Run that statement apart with execute(), then write from a query");
        }
    }

    /** The statement as messages name it, cut to a readable length. */
    private String describe() {
        String text = source.length() > 60 ? source.substring(0, 57) + "..." : source;
        return "sql(\"" + text + "\", ...)";
    }

    /** Reads the rows of one result: the columns' names and how each is read, found once. */
    private static final class Reader {
        private final RowLayout layout;
        private final Codec[] codecs;
        /** Per column: whether it is an oid read as its large object's content. */
        private final boolean[] largeObjects;
        private final Class<?> largeObjectsAs;
        private final boolean inTransaction;

        Reader(ResultSet result, Class<?> largeObjectsAs, boolean inTransaction) throws SQLException {
            ResultSetMetaData columns = result.getMetaData();
            List<String> names = new ArrayList<>(columns.getColumnCount());
            codecs = new Codec[columns.getColumnCount()];
            largeObjects = new boolean[codecs.length];
            this.largeObjectsAs = largeObjectsAs;
            this.inTransaction = inTransaction;
            for (int i = 1; i <= codecs.length; i++) {
                names.add(columns.getColumnLabel(i));
                codecs[i - 1] = reader(columns.getColumnTypeName(i));
                largeObjects[i - 1] = largeObjectsAs != null && "oid".equals(columns.getColumnTypeName(i));
            }
            try {
                layout = RowLayout.ofStatement(RESOURCE, names);
            } catch (AshlarException e) {
                throw QueryException.of(RESOURCE, null, e.getMessage() + ": give each column a name of its own "
                        + "(SELECT p.id AS post_id, c.id AS comment_id ...)", e);
            }
        }

        Row row(ResultSet result) throws SQLException {
            Object[] values = new Object[codecs.length];
            for (int i = 0; i < codecs.length; i++) {
                long oid = largeObjects[i] ? result.getLong(i + 1) : 0;
                values[i] = !largeObjects[i] ? codecs[i].read(result, i + 1) : result.wasNull() ? null
                        : StreamValues.read(result.getStatement().getConnection(), oid, largeObjectsAs,
                        layout.fields().get(i), inTransaction);
            }
            return Rows.create(layout, values);
        }
    }

    private static Codec reader(String typeName) {
        String type = typeName.replace("\"", "");
        Codec codec = READERS.get(type);
        if (codec != null) {
            return codec;
        }
        if (type.startsWith("_")) {
            return new ArrayCodec(READERS.getOrDefault(type.substring(1), TextCodec.text(null)));
        }
        return TextCodec.text(null);
    }

    private static Map<String, Codec> readers() {
        Map<String, Codec> readers = new HashMap<>();
        for (ScalarCodec codec : ScalarCodec.values()) {
            readers.put(codec.arrayTypeName(), codec);
        }
        // The driver names a column whose default is a sequence's nextval by its serial pseudo-type.
        readers.put("smallserial", ScalarCodec.SMALLINT);
        readers.put("serial", ScalarCodec.INTEGER);
        readers.put("bigserial", ScalarCodec.BIGINT);
        readers.put("numeric", new DecimalCodec(null, null));
        readers.put("interval", new CalendarOrExactInterval());
        readers.put("json", JsonCodec.INSTANCE);
        readers.put("jsonb", JsonCodec.INSTANCE);
        readers.put("timetz", TextCodec.of("timetz"));
        readers.put("hstore", HstoreCodec.INSTANCE);
        return Map.copyOf(readers);
    }
}
