package dev.ashlar.kernel.data.internal;

import org.postgresql.util.HStoreConverter;

import java.sql.ResultSet;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A statement's {@code hstore} values (the extension's text-to-text maps), as Jdbi's PostgreSQL plugin moves them: a
 * {@code Map<String, String>} is bound as one, null values included, and a column of the type is read as an
 * unmodifiable map sorted by key, so that two reads of one value are equal whatever order the server keeps.
 */
final class HstoreCodec extends TextFormCodec {
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
            Object key = entry.getKey();
            Object text = entry.getValue();
            Object other = !(key instanceof String) ? key : text != null && !(text instanceof String) ? text : null;
            if (key == null || other != null) {
                // The offending value's type only: a value bound by hand may be private.
                throw new RejectedValue("is a map holding " + (key == null ? "a null key" : "a " + other.getClass()
                        .getName()) + ": an hstore maps text keys to text values (or null), so bind a "
                        + "Map<String, String>, or JSON as its text (?::jsonb)");
            }
        }
        return HStoreConverter.toString(map);
    }

    @Override
    Object fromText(String text, ResultSet rows, int index) {
        return Collections.unmodifiableMap(new TreeMap<>(HStoreConverter.fromString(text)));
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
