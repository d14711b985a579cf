package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Converter;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * An attribute with a {@link Converter}: a caller's Java value is converted to its stored form and then checked,
 * bound and carried by the stored type's codec; a stored value is read by that codec and converted back. Only such
 * attributes have one, so others read their values with no step between.
 */
final class ConvertedCodec implements Codec {
    private final Codec stored;
    private final Converter<?, ?> converter;
    private final String resource;
    private final String attribute;

    ConvertedCodec(Codec stored, Converter<?, ?> converter, String resource, String attribute) {
        this.stored = stored;
        this.converter = converter;
        this.resource = resource;
        this.attribute = attribute;
    }

    /** The stored form of a caller's value; a value of another type, or one the converter fails on, is refused. */
    private Object storedForm(Object value) {
        try {
            return converter.stored(value);
        } catch (Converter.Refused e) {
            throw new RejectedValue(e.getMessage());
        }
    }

    @Override
    public Object toDatabase(Object value) {
        return stored.toDatabase(storedForm(value));
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        stored.bind(statement, index, value);
    }

    /** A stored value the converter does not read (an ordinal past the last constant, 'X' for Y/N) names the field. */
    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        Object value = stored.read(rows, index);
        if (value == null) {
            return null;
        }
        try {
            return converter.read(value);
        } catch (Converter.Refused e) {
            throw QueryException.of(resource, attribute, resource + "." + attribute + " " + e.getMessage()
                    + "; correct the stored value, or the converter");
        }
    }

    @Override
    public String castType() {
        return stored.castType();
    }

    @Override
    public String castType(String schema) {
        return stored.castType(schema);
    }

    @Override
    public String comparedAs() {
        return stored.comparedAs();
    }

    @Override
    public String arrayTypeName() {
        return stored.arrayTypeName();
    }

    @Override
    public boolean arraysAsLiterals() {
        return stored.arraysAsLiterals();
    }

    @Override
    public Object arrayElement(Object value) {
        return stored.arrayElement(value);
    }

    @Override
    public Class<?> arrayElementClass() {
        return stored.arrayElementClass();
    }

    /** The stored type's carrier; this codec itself when the stored type carries its own values. */
    @Override
    public Codec bulkCarrier() {
        Codec carrier = stored.bulkCarrier();
        return carrier == stored ? this : carrier;
    }

    @Override
    public Object toDatabaseInBulk(Object value) {
        return stored.toDatabaseInBulk(storedForm(value));
    }

    @Override
    public boolean passAll(List<Object> values) {
        return stored.passAll(values);
    }

    @Override
    public Object toBulk(Object value) {
        return stored.toBulk(value);
    }

    @Override
    public Object toCarriedInBulk(Object value) {
        return stored.toCarriedInBulk(storedForm(value));
    }

    @Override
    public String fromBulk(String carried) {
        return stored.fromBulk(carried);
    }

    @Override
    public boolean fitsInArray() {
        return stored.fitsInArray();
    }
}
