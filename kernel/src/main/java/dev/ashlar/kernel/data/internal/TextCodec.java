package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.internal.ValueConversions;
import dev.ashlar.api.sql.Identifiers;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Text, {@code varchar(n)} and enumerated attributes: stored as text (or as a type read from text: citext, a
 * native enum type, a migration type), checked before they are sent.
 */
final class TextCodec implements Codec {
    private final Integer maxLength;
    /** The column's type as a message names it with its length: {@code varchar(20)}, {@code character(5)}. */
    private final String sizedType;
    private final List<String> allowed;
    private final Set<String> allowedSet;
    /**
     * The server's type of the column when it is not text (citext, or a migration type such as {@code ltree} or
     * {@code inet}): values are then sent untyped, for the server to read as that type; null for text.
     */
    private final String serverType;
    /** A native enum type's bare name, which a statement on a tenant's table qualifies with the tenant's schema; or null. */
    private final String enumType;
    /** Whether the server type is {@code time with time zone}, whose text the driver does not keep. */
    private final boolean zonedTime;

    private TextCodec(Integer maxLength, String sizedType, List<String> allowed, String serverType, String enumType) {
        this.maxLength = maxLength;
        this.sizedType = sizedType;
        this.allowed = allowed;
        this.allowedSet = allowed == null ? null : new HashSet<>(allowed);
        this.serverType = serverType;
        this.enumType = enumType;
        this.zonedTime = serverType != null && ZonedTimeText.is(serverType);
    }

    private TextCodec(Integer maxLength, List<String> allowed, String serverType) {
        this(maxLength, maxLength == null ? null : "varchar(" + maxLength + ")", allowed, serverType, null);
    }

    static TextCodec text(Integer maxLength) {
        return new TextCodec(maxLength, null, null);
    }

    /**
     * Text of a column whose migration type bounds its length ({@code char(5)}, {@code varchar(8)}): checked here, as
     * {@code varchar(n)} is, since the server names no column when it refuses a longer value, and silently cuts the
     * spaces past the length.
     *
     * @param sizedType the type as a message names it, e.g. {@code character(5)}
     */
    static TextCodec sized(int maxLength, String sizedType) {
        return new TextCodec(maxLength, sizedType, null, null, null);
    }

    static TextCodec enumerated(List<String> values) {
        return new TextCodec(null, List.copyOf(values), null);
    }

    /**
     * A native enum type's labels, sent untyped for the server to read as the type.
     *
     * @param schema the resource's schema, or null for the type on the search path
     */
    static TextCodec nativeEnum(List<String> labels, String schema, String type) {
        return new TextCodec(null, null, List.copyOf(labels), Identifiers.qualify(schema, type), type);
    }

    static TextCodec citext() {
        return new TextCodec(null, null, "citext");
    }

    /** Text for a column of another server type (a migration type: {@code ltree}, {@code inet}, ...). */
    static TextCodec of(String serverType) {
        return new TextCodec(null, null, serverType);
    }

    /** Whether the server compares the values without case: citext. */
    boolean caseInsensitive() {
        return "citext".equals(serverType);
    }

    /** Whether only the server checks the values: text of another server type than citext or a native enum's. */
    boolean checkedByServer() {
        return serverType != null && enumType == null && !serverType.equals("citext");
    }

    /** {@code varchar(n)} compares with text of any length; enums and the other server types keep their bounds. */
    @Override
    public Codec wider() {
        return maxLength != null && allowed == null && serverType == null ? text(null) : null;
    }

    @Override
    public Object toDatabase(Object value) {
        String text;
        if (value instanceof java.io.Reader) {
            text = (String) StreamValues.attributeValue(value);
        } else if (value instanceof CharSequence || value instanceof Character) {
            text = value.toString();   // a Character as Hibernate and Jdbi take one for text or char(1)
        } else if (value instanceof OffsetTime time && zonedTime) {
            text = ZonedTimeText.sent(time);
        } else if (value instanceof Enum<?> constant && allowed != null) {
            text = ValueConversions.stored(constant);
        } else {
            throw new RejectedValue("must be " + (allowed == null ? "text" : "one of " + allowed) + ", got "
                    + ScalarCodec.describe(value));
        }
        if (allowedSet != null && !allowedSet.contains(text)) {
            throw new RejectedValue("must be one of " + allowed + ", got '" + text + "'");
        }
        if (maxLength != null && text.length() > maxLength && text.codePointCount(0, text.length()) > maxLength) {
            throw new RejectedValue("is too long: at most " + maxLength + " characters (" + sizedType + "), got "
                    + text.codePointCount(0, text.length()));
        }
        if (text.indexOf('\0') >= 0) {
            throw new RejectedValue("contains a NUL character, which PostgreSQL text cannot store");
        }
        refuseLoneSurrogates(text);
        refuseOverSize(text);
        return text;
    }

    /** The most bytes one PostgreSQL value holds: 1 GB less one byte, its 4-byte length word included. */
    private static final long MAX_VALUE_BYTES = (1L << 30) - 1 - 4;

    /**
     * Refuses text whose UTF-8 form is past what one PostgreSQL value holds, before the driver encodes it (a second
     * copy of a gigabyte) only to refuse it, naming no field ("Unable to bind parameter values", 22023). Counted only
     * for text long enough to reach it: a UTF-16 unit is at most 3 bytes in UTF-8.
     */
    private static void refuseOverSize(String text) {
        if (text.length() <= MAX_VALUE_BYTES / 3) {
            return;
        }
        long bytes = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        if (bytes > MAX_VALUE_BYTES) {
            throw new RejectedValue("is too long for PostgreSQL: one value holds at most 1 GB (" + MAX_VALUE_BYTES
                    + " bytes of UTF-8), this one is " + bytes + " bytes. Store it in parts, or outside the database "
                    + "(a file or an object store) with its location in this field");
        }
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
        if (serverType != null) {
            // Sent as varchar, "citext_column = ?" would pick text = text and compare with case, and an ltree column
            // would refuse varchar; untyped, the value is read as the column's type.
            statement.setObject(index, value, Types.OTHER);
        } else {
            statement.setString(index, (String) value);
        }
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        return zonedTime ? ZonedTimeText.read(rows, index) : rows.getString(index);
    }

    /**
     * {@code varchar} without a length: an explicit cast to {@code varchar(n)} would silently cut the value. A
     * {@code character(n)} column compares as {@code bpchar}, where trailing spaces do not count, as they do not in
     * {@code "code" = ?}; compared as text, {@code 'ab   '} would miss the {@code 'ab'} stored.
     */
    @Override
    public String castType() {
        return serverType != null ? serverType : maxLength == null ? "text" : padded() ? "bpchar" : "varchar";
    }

    private boolean padded() {
        return sizedType != null && sizedType.startsWith("character(");
    }

    @Override
    public String castType(String schema) {
        return enumType != null && schema != null ? Identifiers.qualify(schema, enumType) : castType();
    }

    /** The native enum type's name, or null for text. */
    String enumType() {
        return enumType;
    }

    @Override
    public boolean arraysAsLiterals() {
        return enumType != null;
    }

    @Override
    public String arrayTypeName() {
        return serverType != null ? serverType : padded() ? "bpchar" : "text";
    }

    /** An array of a migration type is read element by element as text: the driver gives PGobjects for inet[]. */
    @Override
    public boolean readsJdbcArrays() {
        return !checkedByServer();
    }
}
