package dev.ashlar.kernel.data.internal;

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
    private final Codec element;

    ArrayCodec(Codec element) {
        this.element = element;
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
            converted.add(item == null ? null : element.toDatabase(item));
        }
        return Collections.unmodifiableList(converted);
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.ARRAY);
            return;
        }
        statement.setArray(index, jdbcArray(statement, element, (List<?>) value));
    }

    /** A JDBC array of values already through {@code codec.toDatabase}, typed so the driver encodes it fast. */
    static Array jdbcArray(PreparedStatement statement, Codec codec, List<?> values) throws SQLException {
        Object[] elements = (Object[]) java.lang.reflect.Array.newInstance(codec.arrayElementClass(), values.size());
        for (int i = 0; i < elements.length; i++) {
            Object value = values.get(i);
            elements[i] = value == null ? null : codec.arrayElement(value);
        }
        return statement.getConnection().createArrayOf(codec.arrayTypeName(), elements);
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        Array array = rows.getArray(index);
        if (array == null) {
            return null;
        }
        // Each element is read by the element's own codec: the driver's java.sql.Time would drop microseconds.
        try (ResultSet elements = array.getResultSet()) {
            List<Object> values = new ArrayList<>();
            while (elements.next()) {
                values.add(element.read(elements, 2));
            }
            return Collections.unmodifiableList(values);
        } finally {
            array.free();
        }
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
    public boolean fitsInArray() {
        return false;
    }
}
