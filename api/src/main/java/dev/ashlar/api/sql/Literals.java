package dev.ashlar.api.sql;

import dev.ashlar.api.error.DefinitionException;

/**
 * The one place where text is written into SQL as a string literal, for the few places SQL takes no bound value
 * (a DDL default, a {@code RAISE} message, a {@code SET} of a setting, a {@code regclass} name given as text).
 */
public final class Literals {
    private Literals() {
    }

    /**
     * A string literal that reads the same whatever the session's {@code standard_conforming_strings} says:
     * {@code 'text'} with its quotes doubled, or {@code E'text'} with its backslashes doubled too when it holds one
     * (in a plain string a backslash would escape the closing quote when the setting is off).
     *
     * <pre>{@code quote("it's") -> "'it''s'"   quote("C:\\temp") -> "E'C:\\\\temp'"}</pre>
     *
     * @throws DefinitionException if the text holds a NUL character, which PostgreSQL text cannot hold
     */
    public static String quote(String text) {
        if (DefinitionException.required(text, "text").indexOf('\0') >= 0) {
            throw DefinitionException.of(null, null, "The text '" + text.replace("\0", "\\0") + "' contains a NUL "
                    + "character, which PostgreSQL cannot hold in text: remove it");
        }
        String doubled = text.replace("'", "''");
        return text.indexOf('\\') < 0 ? "'" + doubled + "'" : "E'" + doubled.replace("\\", "\\\\") + "'";
    }
}
