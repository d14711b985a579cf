package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;

import java.util.regex.Pattern;

/**
 * How a placeholder is written in migration files: {@code ${name}} by default, or with a prefix and suffix of the
 * project's, as Flyway's {@code placeholderPrefix} and {@code placeholderSuffix} (e.g. {@code #[name]}, for files whose
 * SQL means {@code ${...}} literally). A placeholder is the prefix up to the next suffix on the same line.
 *
 * <pre>{@code
 * new PlaceholderDelimiters("#[", "]")   // "GRANT SELECT ON t TO #[owner]"
 * }</pre>
 *
 * @param prefix what opens a placeholder
 * @param suffix what closes it
 */
public record PlaceholderDelimiters(String prefix, String suffix) {
    /** Flyway's and Ashlar's default, {@code ${name}}. */
    public static final PlaceholderDelimiters DEFAULT = new PlaceholderDelimiters("${", "}");

    private static final Pattern DEFAULT_PATTERN = Pattern.compile("\\$\\{([^}\\r\\n]*)}");

    /** @throws AshlarException for an empty prefix or suffix, or one holding a line break or white space */
    public PlaceholderDelimiters {
        check("prefix", prefix, "${");
        check("suffix", suffix, "}");
    }

    private static void check(String what, String text, String usual) {
        if (text == null || text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
            throw new AshlarException(ErrorCode.MIGRATION, "The placeholder " + what + " '" + (text == null ? "null"
                    : text.replace("\n", "\\n").replace("\r", "\\r")) + "' cannot mark a placeholder: give one or more "
                    + "characters without white space or line breaks (default: " + usual + ")");
        }
    }

    /** The placeholders of a text: group 1 is the name, from the prefix up to the next suffix on the same line. */
    Pattern pattern() {
        if (equals(DEFAULT)) {
            return DEFAULT_PATTERN;
        }
        String suffixQuoted = Pattern.quote(suffix);
        return Pattern.compile(Pattern.quote(prefix) + "((?:(?!" + suffixQuoted + ")[^\\r\\n])*)" + suffixQuoted);
    }

    /** The placeholder {@code name} as a file writes it: {@code ${name}}. */
    String written(String name) {
        return prefix + name + suffix;
    }
}
