package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Type;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A label path ({@code ltree}): given as a list of labels (or, unescaped, as its dotted text), checked, sent as the
 * dotted text for the server to read as {@code ltree}, read back as the list. The server checks each label's
 * characters, which depend on its version; an escaped path's labels are all letters, digits and {@code _}.
 */
final class LtreeCodec extends TextFormCodec {
    private static final String HEX_DIGITS = "0123456789ABCDEF";
    private static final char[] HEX = HEX_DIGITS.toCharArray();
    private final Type.Ltree type;
    private final LtreeCodec anyLength;

    LtreeCodec(Type.Ltree type) {
        this.type = type;
        this.anyLength = type.minLength() == null && type.maxLength() == null ? this
                : new LtreeCodec(new Type.Ltree(type.escape(), null, null));
    }

    /** Whether labels are escaped, so that the server never refuses one. */
    boolean escaped() {
        return type.escape();
    }

    /**
     * This path type without bounds on the number of labels: a filter compares with paths of any length (an ancestor
     * is shorter than the paths stored), as {@code varchar(n)} compares with longer text.
     */
    LtreeCodec anyLength() {
        return anyLength;
    }

    /** {@link #anyLength()}, for a comparison; null when this type has no bounds. */
    @Override
    public Codec wider() {
        return anyLength == this ? null : anyLength;
    }

    /** The most labels an ltree holds (the ltree docs, "Definitions"); the server's refusal names no column. */
    private static final int MAX_LABELS = 65_535;

    @Override
    public Object toDatabase(Object value) {
        List<?> labels = labels(value);
        if (labels.size() > MAX_LABELS) {
            throw new RejectedValue("has " + labels.size() + " labels, and an ltree holds at most 65,535");
        }
        if (type.minLength() != null && labels.size() < type.minLength()
                || type.maxLength() != null && labels.size() > type.maxLength()) {
            throw new RejectedValue("has " + labels.size() + " label(s), and needs "
                    + (type.minLength() == null ? "at most " + type.maxLength() : type.maxLength() == null
                    ? "at least " + type.minLength() : type.minLength() + " to " + type.maxLength())
                    + " (minLength/maxLength of the ltree); got " + labels);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
            String label = label(labels, i);
            String stored = type.escape() ? escape(label) : label;
            int length = stored.codePointCount(0, stored.length());
            if (length > 1000) {
                throw new RejectedValue("has a label of " + length + " characters" + (type.escape() ? " escaped" : "")
                        + " at index " + i + ", and an ltree label holds at most 1000 (255 before PostgreSQL 16)");
            }
            text.append(i == 0 ? "" : ".").append(stored);
        }
        return text.toString();
    }

    private List<?> labels(Object value) {
        if (value instanceof List<?> list) {
            return list;
        }
        if (value instanceof CharSequence text && !type.escape()) {
            return Arrays.asList(text.toString().split("\\.", -1));
        }
        throw new RejectedValue("must be a List of labels" + (type.escape() ? " (an escaped ltree takes no text: its "
                + "dots could be a label's)" : " or their dotted text, e.g. \"top.science\"") + ", got "
                + ScalarCodec.describe(value));
    }

    private String label(List<?> labels, int index) {
        if (!(labels.get(index) instanceof String label)) {
            throw new RejectedValue("must be a List of text labels, and label " + index + " is "
                    + (labels.get(index) == null ? "null" : ScalarCodec.describe(labels.get(index))));
        }
        if (label.isEmpty()) {
            throw new RejectedValue("has an empty label at index " + index + " of " + labels + "; an ltree label "
                    + "holds at least one character");
        }
        if (!type.escape() && label.indexOf('.') >= 0) {
            throw new RejectedValue("has label '" + label + "' at index " + index + ", whose '.' would split it in "
                    + "two; declare the attribute LTREE.escaped() to store labels with any text");
        }
        if (!type.escape()) {
            refuseCharacters(label, index);
        }
        // Escaped, a lone surrogate would become '?' in UTF-8; unescaped, a NUL is refused with the other ASCII.
        TextCodec.refuseLoneSurrogates(label);
        return label;
    }

    /**
     * Refuses what no server takes in a label: ASCII other than letters, digits, {@code _} and {@code -} (more than
     * 1,000 characters is refused with the stored text). The rest depends on the server, which checks it: {@code -}
     * from PostgreSQL 16, letters beyond ASCII as the database's locale has them, 256 to 1,000 characters from 16 (the
     * ltree docs, "Definitions").
     */
    private static void refuseCharacters(String label, int index) {
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c < 128 && !plain(c) && c != '_' && c != '-') {
                throw new RejectedValue("has label '" + label + "' at index " + index + " with '" + c + "', which an "
                        + "ltree label cannot hold: a label holds letters, digits, _ and (from PostgreSQL 16) -; "
                        + "declare the attribute LTREE.escaped() to store any text");
            }
        }
    }

    /** An ASCII letter or digit, the characters escaping keeps as they are. */
    private static boolean plain(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** AshPostgres's escape: each UTF-8 byte outside {@code [0-9A-Za-z]} as {@code _} and two hex digits. */
    private static String escape(String label) {
        StringBuilder escaped = new StringBuilder(label.length() + 8);
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            if (plain(b)) {
                escaped.append((char) b);
            } else {
                escaped.append('_').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return escaped.toString();
    }

    /**
     * The label {@link #escape} wrote, or null for text it cannot have written: escaping writes upper-case hex, never
     * for a letter or digit, and only bytes of valid UTF-8 (another form of a label would not be equal to it in a
     * filter, and invalid bytes would be read as U+FFFD).
     */
    private static String unescape(String stored) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(stored.length());
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (plain(c)) {
                bytes.write(c);
                continue;
            }
            int high = c == '_' && i + 2 < stored.length() ? HEX_DIGITS.indexOf(stored.charAt(i + 1)) : -1;
            int low = high < 0 ? -1 : HEX_DIGITS.indexOf(stored.charAt(i + 2));
            if (low < 0 || plain(high << 4 | low)) {
                return null;
            }
            bytes.write(high << 4 | low);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    Object fromText(String text, ResultSet rows, int index) throws SQLException {
        if (text.isEmpty()) {
            return List.of();
        }
        String[] stored = text.split("\\.");
        if (!type.escape()) {
            return List.of(stored);
        }
        List<String> labels = new ArrayList<>(stored.length);
        for (String label : stored) {
            String unescaped = unescape(label);
            if (unescaped == null) {
                String column = rows.getMetaData().getColumnLabel(index);
                throw QueryException.of(null, column, "'" + column + "' holds the ltree '" + text + "', whose label '"
                        + label + "' escaping did not write (each character outside [A-Za-z0-9] is _ and two hex "
                        + "digits): it was stored otherwise; rewrite it, or declare the attribute LTREE without "
                        + "escaped()");
            }
            labels.add(unescaped);
        }
        return List.copyOf(labels);
    }

    @Override
    public String castType() {
        return "ltree";
    }

    @Override
    public String arrayTypeName() {
        return "ltree";
    }

    @Override
    public String toString() {
        return "ltree";
    }
}
