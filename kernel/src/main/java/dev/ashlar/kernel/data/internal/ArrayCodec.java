package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Oid;
import org.postgresql.jdbc.PgArray;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** An array attribute: a {@code List} in Java (nulls allowed inside), a one-dimensional array in PostgreSQL. */
final class ArrayCodec implements Codec {
    private static final Codec TEXT_CARRIER = TextCodec.text(null);

    private final Codec element;
    private final String resource;
    private final String attribute;
    /** Whether this is a list of a column's values (an {@code in} list), not an array attribute's own value. */
    private final boolean values;

    ArrayCodec(Codec element) {
        this(element, null, null);
    }

    private ArrayCodec(Codec element, boolean values) {
        this.element = element;
        this.resource = null;
        this.attribute = null;
        this.values = values;
    }

    /**
     * A list of values of a column, bound as one array ({@code in(field, values)}): a value of it that is a list is
     * refused in the column's own words ({@code must be an integer, got the List [1]}), since the column need not be
     * an array attribute.
     */
    static ArrayCodec ofValues(Codec element) {
        return new ArrayCodec(element, true);
    }

    /**
     * @param resource  the resource, named when a stored value cannot be read; null where none is known
     * @param attribute the attribute, likewise
     */
    ArrayCodec(Codec element, String resource, String attribute) {
        this.element = element;
        this.resource = resource;
        this.attribute = attribute;
        this.values = false;
    }

    @Override
    public Object toDatabase(Object value) {
        Collection<?> items;
        if (value instanceof Collection<?> collection) {
            items = collection;
        } else if (value instanceof Object[] array) {
            items = Arrays.asList(array);
        } else {
            throw new RejectedValue("must be a list, got " + ScalarCodec.describe(value));
        }
        List<Object> converted = new ArrayList<>(items.size());
        for (Object item : items) {
            converted.add(item == null ? null : element(item, converted.size()));
        }
        return Collections.unmodifiableList(converted);
    }

    /**
     * An element as its type's value; a nested list is named as such (only a JSON element or a path may be one, and
     * their own refusal of one says why).
     */
    private Object element(Object item, int index) {
        try {
            return element.toDatabase(item);
        } catch (RejectedValue e) {
            boolean nested = item instanceof Collection<?> || item instanceof Object[];
            if (nested && !values && !(element instanceof LtreeCodec) && !(element instanceof JsonCodec)) {
                throw new RejectedValue("holds a list at element " + index + " (" + ScalarCodec.describe(item)
                        + "), but an array attribute has one dimension: flatten it, or store nested lists in a JSON "
                        + "attribute");
            }
            throw e;
        }
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.ARRAY);
            return;
        }
        if (element.arraysAsLiterals()) {
            statement.setObject(index, toBulk(value), Types.OTHER);
            return;
        }
        statement.setArray(index, jdbcArray(statement, element, (List<?>) value));
    }

    /** A JDBC array of values already through {@code codec.toDatabase}, typed so the driver encodes it fast. */
    static Array jdbcArray(PreparedStatement statement, Codec codec, List<?> values) throws SQLException {
        if (codec instanceof TimestampCarrier timestamps) {
            return timestamps.array(statement, values);
        }
        if (codec instanceof DecimalCodec && statement.getConnection().isWrapperFor(BaseConnection.class)) {
            return new PgArray(statement.getConnection().unwrap(BaseConnection.class), Oid.NUMERIC_ARRAY,
                    numericLiteral(values));
        }
        Object[] elements = (Object[]) java.lang.reflect.Array.newInstance(codec.arrayElementClass(), values.size());
        for (int i = 0; i < elements.length; i++) {
            Object value = values.get(i);
            elements[i] = value == null ? null : codec.arrayElement(value);
        }
        return statement.getConnection().createArrayOf(codec.arrayTypeName(), elements);
    }

    /**
     * {@code {1.5,NULL,-2E+3}}: the literal of a {@code numeric[]}, written once rather than as a {@code String[]}
     * that the driver quotes and escapes element by element. The values are the JDK's own {@code BigDecimal}s
     * ({@link DecimalCodec#toDatabase} reads a subclass again from its text, which may hold anything), whose text holds
     * no character a literal quotes (digits, a sign, a point and an exponent's {@code E}), and is never {@code NULL}.
     */
    private static String numericLiteral(List<?> values) {
        StringBuilder literal = new StringBuilder(2 + values.size() * 8).append('{');
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            literal.append(i == 0 ? "" : ",").append(value == null ? "NULL" : ((BigDecimal) value).toString());
        }
        return literal.append('}').toString();
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        Array array = rows.getArray(index);
        if (array == null) {
            return null;
        }
        try {
            if (element.readsJdbcArrays()) {
                Object[] values = (Object[]) array.getArray();
                if (values.getClass().getComponentType().isArray()) {
                    throw multidimensional(rows, index);
                }
                return Collections.unmodifiableList(Arrays.asList(values));
            }
            return Collections.unmodifiableList(elements(array, rows, index));
        } finally {
            array.free();
        }
    }

    /** Each element read by the element's own codec: the driver's java.sql.Time would drop microseconds. */
    private List<Object> elements(Array array, ResultSet rows, int index) throws SQLException {
        try (ResultSet elements = array.getResultSet()) {
            if (elements.getMetaData().getColumnType(2) == Types.ARRAY) {
                throw multidimensional(rows, index);
            }
            List<Object> values = new ArrayList<>();
            while (elements.next()) {
                values.add(element.read(elements, 2));
            }
            return values;
        }
    }

    /**
     * A column of an array type holds arrays of any number of dimensions ({@code '{{1,2},{3,4}}'} written by plain
     * SQL); a list attribute reads one-dimensional arrays only, rather than lists of Java arrays.
     */
    private QueryException multidimensional(ResultSet rows, int index) throws SQLException {
        String field = attribute != null ? attribute : rows.getMetaData().getColumnLabel(index);
        String where = resource == null ? "'" + field + "'" : resource + "." + field;
        String text = rows.getString(index);
        return QueryException.of(resource, field, "The array " + (text.length() > 60 ? text.substring(0, 57) + "..."
                : text) + " of " + where
                + " has more than one dimension, which a list attribute cannot read: store nested lists in a JSON "
                + "attribute, or flatten the stored value, e.g. UPDATE ... SET column = ARRAY(SELECT unnest(column))");
    }

    /** A list of the element's wider type, for an {@code in} list holding a value past the element's bounds. */
    @Override
    public Codec wider() {
        Codec widerElement = element.wider();
        return widerElement == null ? null : new ArrayCodec(widerElement, values);
    }

    /** The element type, for filters that test one element ({@code contains}). */
    Codec element() {
        return element;
    }

    @Override
    public String castType() {
        return element.castType() + "[]";
    }

    @Override
    public String arrayTypeName() {
        return element.arrayTypeName();
    }

    @Override
    public String comparedAs() {
        return element.comparedAs() == null ? null : element.comparedAs() + "[]";
    }

    @Override
    public boolean fitsInArray() {
        return false;
    }

    /**
     * In a bulk write an array travels as its text literal, one element of a bound {@code text[]}, and is
     * cast back ({@code unnest} of an array of arrays would flatten it). Binary elements have no short
     * literal, so bytea arrays do not travel this way.
     */
    @Override
    public Codec bulkCarrier() {
        return element == ScalarCodec.BINARY ? this : TEXT_CARRIER;
    }

    /** The PostgreSQL array literal of a value returned by {@link #toDatabase}: {@code {"a",NULL,"b \\"c\\""}}. */
    @Override
    public Object toBulk(Object value) {
        List<?> values = (List<?>) value;
        StringBuilder literal = new StringBuilder(2 + values.size() * 16).append('{');
        for (int i = 0; i < values.size(); i++) {
            element(literal, i, values.get(i));
        }
        return literal.append('}').toString();
    }

    /** The literal of a caller's list, each element converted as {@link #toDatabase} does, without copying the list. */
    @Override
    public Object toCarriedInBulk(Object value) {
        if (bulkCarrier() == this || !(value instanceof Collection<?> items)) {
            return Codec.super.toCarriedInBulk(value);
        }
        StringBuilder literal = new StringBuilder(2 + items.size() * 16).append('{');
        int index = 0;
        for (Object item : items) {
            element(literal, index, item == null ? null : element(item, index));
            index++;
        }
        return literal.append('}').toString();
    }

    /** One converted element of an array literal (after a comma unless it is the first), quoted and escaped. */
    private void element(StringBuilder literal, int index, Object item) {
        if (index > 0) {
            literal.append(',');
        }
        if (item == null) {
            literal.append("NULL");
        } else {
            String text = element.arrayElement(item).toString();
            literal.append('"');
            // Quotes and backslashes are found by searches the JVM vectorizes, not by a test of every character.
            int plain = 0;
            int quote = text.indexOf('"');
            int backslash = text.indexOf('\\');
            while (quote >= 0 || backslash >= 0) {
                int at = quote < 0 ? backslash : backslash < 0 ? quote : Math.min(quote, backslash);
                literal.append(text, plain, at).append('\\');
                plain = at;
                if (at == quote) {
                    quote = text.indexOf('"', at + 1);
                } else {
                    backslash = text.indexOf('\\', at + 1);
                }
            }
            literal.append(text, plain, text.length()).append('"');
        }
    }

    @Override
    public String fromBulk(String carried) {
        return carried + "::" + castType();
    }
}
