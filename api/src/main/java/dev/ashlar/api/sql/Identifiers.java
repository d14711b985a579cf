package dev.ashlar.api.sql;

import dev.ashlar.api.error.DefinitionException;

import java.nio.charset.StandardCharsets;

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
        if (name.indexOf('\0') >= 0) {
            return "contains a NUL character, which PostgreSQL does not allow in names";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            // Names are written into migration files' comments, where a line break would turn the rest into SQL.
            return "contains a control character (a line break, a tab, ...), which would break the migration file "
                    + "comment it is written into: remove it";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // UTF-8 has no form for half a character: Java would send '?' in its place.
                return "contains half of a UTF-16 surrogate pair (at " + i + "), which no encoding can send: remove it";
            }
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return "is " + bytes + " bytes long; PostgreSQL keeps only " + MAX_BYTES
                    + " and would silently truncate it: choose a shorter name";
        }
        return null;
    }
}
