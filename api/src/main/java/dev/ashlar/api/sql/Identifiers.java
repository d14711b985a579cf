package dev.ashlar.api.sql;

import dev.ashlar.api.error.DefinitionException;

/**
 * The one place where SQL identifiers are checked and quoted. Every table, column, constraint,
 * index and schema name that Ashlar or a plugin writes into SQL goes through {@link #quote}.
 *
 * <p>PostgreSQL silently truncates identifiers longer than {@value #MAX_BYTES} bytes
 * ({@code NAMEDATALEN - 1}), which would make two names collide or a rename miss; Ashlar refuses them.
 */
public final class Identifiers {
    /** The longest identifier PostgreSQL keeps whole, in bytes of UTF-8. */
    public static final int MAX_BYTES = 63;

    private Identifiers() {
    }

    /**
     * Wraps a name in double quotes, doubling any quote inside it.
     *
     * <pre>{@code quote("order") -> "\"order\""   quote("a\"b") -> "\"a\"\"b\""}</pre>
     *
     * @throws DefinitionException if the name is empty, holds a NUL or other control character or is over 63 bytes
     */
    public static String quote(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw DefinitionException.of(null, null, "Identifier '" + name + "' " + problem);
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** Quotes a schema-qualified name: {@code "schema"."name"}, or just {@code "name"} when schema is null. */
    public static String qualify(String schema, String name) {
        return schema == null ? quote(name) : quote(schema) + "." + quote(name);
    }

    /**
     * Why a name cannot be an identifier, or {@code null} when it can. The text completes a sentence
     * that starts with the name, e.g. "is 70 bytes long; PostgreSQL keeps only 63 ...".
     */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty; give it a name";
        }
        // One pass, nothing allocated: every name Ashlar writes into SQL comes through here.
        boolean nul = false;
        boolean control = false;
        int halfPair = -1;
        int bytes = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x80) {
                nul |= c == '\0';
                control |= Character.isISOControl(c);
                bytes++;
            } else if (c < 0x800) {
                control |= Character.isISOControl(c);
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
                bytes += 4;
            } else if (Character.isSurrogate(c)) {
                halfPair = halfPair < 0 ? i : halfPair;
                bytes += 3;
            } else {
                bytes += 3;
            }
        }
        if (nul) {
            return "contains a NUL character, which PostgreSQL does not allow in names";
        }
        if (control) {
            // Names are written into migration files' comments, where a line break would turn the rest into SQL.
            return "contains a control character (a line break, a tab, ...), which would break the migration file "
                    + "comment it is written into: remove it";
        }
        if (halfPair >= 0) {
            // UTF-8 has no form for half a character: Java would send '?' in its place.
            return "contains half of a UTF-16 surrogate pair (at " + halfPair + "), which no encoding can send: "
                    + "remove it";
        }
        if (bytes > MAX_BYTES) {
            return "is " + bytes + " bytes long; PostgreSQL keeps only " + MAX_BYTES
                    + " and would silently truncate it: choose a shorter name";
        }
        return null;
    }
}
