package dev.ashlar.kernel.data.internal;

import org.postgresql.util.HStoreConverter;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A statement's {@code hstore} values (the extension's text-to-text maps), as Jdbi's PostgreSQL plugin moves them: a
 * {@code Map<String, String>} is bound as one, null values included, and a column of the type is read as an
 * unmodifiable map sorted by key, so that two reads of one value are equal whatever order the server keeps.
 */
final class HstoreCodec implements Codec {
    static final HstoreCodec INSTANCE = new HstoreCodec();

    private HstoreCodec() {
    }

    /** @throws RejectedValue for a map with a key or value that is not text, or a null key (hstore has none) */
    @Override
    public Object toDatabase(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new RejectedValue("is a " + value.getClass().getName() + ", not a Map<String, String>");
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object text = entry.getValue();
            if (!(entry.getKey() instanceof String) || text != null && !(text instanceof String)) {
                throw new RejectedValue("is a map holding " + entry.getKey() + "=" + entry.getValue() + ": an hstore "
                        + "maps text keys to text values (or null), so bind a Map<String, String>, or JSON as its text "
                        + "(?::jsonb)");
            }
        }
        return HStoreConverter.toString(map);
    }

    /** Untyped, so the server reads the text as the {@code hstore} its place calls for (or as {@code ?::hstore}). */
    @Override
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        statement.setObject(index, value, Types.OTHER);
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        String text = rows.getString(index);
        return text == null ? null : Collections.unmodifiableMap(new TreeMap<>(HStoreConverter.fromString(text)));
    }

    @Override
    public String castType() {
        return "hstore";
    }

    @Override
    public String arrayTypeName() {
        return "hstore";
    }
}
