package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A UUID attribute whose migration type is text ({@code text}, {@code varchar(36)}, {@code char(36)}), as
 * Hibernate's {@code @JdbcTypeCode(SqlTypes.VARCHAR)} stores one: a value is checked as a UUID, sent as its canonical
 * text (so {@code "token" = ?} compares text with text), and read back as a {@link UUID}. A stored text that is no
 * UUID is refused naming the attribute, rather than given back as something else.
 */
final class UuidTextCodec implements Codec {
    private final Codec text;
    private final String resource;
    private final String attribute;

    /** @param text the codec of the column's text type, which bounds its length */
    UuidTextCodec(Codec text, String resource, String attribute) {
        this.text = text;
        this.resource = resource;
        this.attribute = attribute;
    }

    @Override
    public Object toDatabase(Object value) {
        return text.toDatabase(ScalarCodec.UUID_.toDatabase(value).toString());
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        text.bind(statement, index, value);
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        Object stored = text.read(rows, index);
        if (stored == null) {
            return null;
        }
        // A char(n) column pads the text with spaces past its 36 characters.
        String uuid = ((String) stored).strip();
        try {
            return UUID.fromString(uuid);
        } catch (IllegalArgumentException e) {
            throw QueryException.of(resource, attribute, "The stored value '" + uuid + "' of " + resource + "."
                    + attribute + " is no UUID, which the attribute holds: correct the row, or make the attribute "
                    + "TEXT to read it as it is");
        }
    }

    @Override
    public String castType() {
        return text.castType();
    }

    @Override
    public String arrayTypeName() {
        return text.arrayTypeName();
    }
}
