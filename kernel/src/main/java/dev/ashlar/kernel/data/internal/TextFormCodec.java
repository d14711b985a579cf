package dev.ashlar.kernel.data.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * A type whose values travel as their PostgreSQL text ({@code vector}, the ranges): sent untyped, so the server
 * reads the text as the column's type, and read back from the text the server writes.
 */
abstract class TextFormCodec implements Codec {

    @Override
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        statement.setObject(index, value, Types.OTHER);
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        String text = rows.getString(index);
        return text == null ? null : fromText(text, rows, index);
    }

    /** The value the server's text of it writes; the row and index name the column in an error. */
    abstract Object fromText(String text, ResultSet rows, int index) throws SQLException;
}
