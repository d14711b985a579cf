package dev.ashlar.kernel.data.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Text, {@code varchar(n)} and enumerated attributes: all stored as text, checked before they are sent. */
final class TextCodec implements Codec {
    private final Integer maxLength;
    private final List<String> allowed;
    private final Set<String> allowedSet;
    private final boolean citext;

    private TextCodec(Integer maxLength, List<String> allowed, boolean citext) {
        this.maxLength = maxLength;
        this.allowed = allowed;
        this.allowedSet = allowed == null ? null : new HashSet<>(allowed);
        this.citext = citext;
    }

    static TextCodec text(Integer maxLength) {
        return new TextCodec(maxLength, null, false);
    }

    static TextCodec enumerated(List<String> values) {
        return new TextCodec(null, List.copyOf(values), false);
    }

    static TextCodec citext() {
        return new TextCodec(null, null, true);
    }

    @Override
    public Object toDatabase(Object value) {
        String text;
        if (value instanceof CharSequence chars) {
            text = chars.toString();
        } else if (value instanceof Enum<?> constant && allowed != null) {
            text = constant.name();
        } else {
            throw new RejectedValue("must be " + (allowed == null ? "text" : "one of " + allowed) + ", got "
                    + ScalarCodec.describe(value));
        }
        if (allowedSet != null && !allowedSet.contains(text)) {
            throw new RejectedValue("must be one of " + allowed + ", got '" + text + "'");
        }
        if (maxLength != null && text.length() > maxLength && text.codePointCount(0, text.length()) > maxLength) {
            throw new RejectedValue("is too long: at most " + maxLength + " characters (varchar(" + maxLength
                    + ")), got " + text.codePointCount(0, text.length()));
        }
        if (text.indexOf('\0') >= 0) {
            throw new RejectedValue("contains a NUL character, which PostgreSQL text cannot store");
        }
        refuseLoneSurrogates(text);
        return text;
    }

    /**
     * Refuses a UTF-16 surrogate without its pair: it is no character, and the driver would send it
     * as {@code ?}, silently changing the value.
     */
    static void refuseLoneSurrogates(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            throw new RejectedValue("contains a lone UTF-16 surrogate (\\u" + Integer.toHexString(c)
                    + " at index " + i + "), which is no character: PostgreSQL text would store it as '?'");
        }
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (citext) {
            // Sent as varchar, "citext_column = ?" would pick text = text and compare with case; untyped, it is citext.
            statement.setObject(index, value, Types.OTHER);
        } else {
            statement.setString(index, (String) value);
        }
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        return rows.getString(index);
    }

    /** {@code varchar} without a length: an explicit cast to {@code varchar(n)} would silently cut the value. */
    @Override
    public String castType() {
        return citext ? "citext" : maxLength == null ? "text" : "varchar";
    }

    @Override
    public String arrayTypeName() {
        return citext ? "citext" : "text";
    }

    @Override
    public boolean readsJdbcArrays() {
        return true;
    }
}
