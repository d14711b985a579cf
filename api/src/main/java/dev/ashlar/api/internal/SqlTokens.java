package dev.ashlar.api.internal;

/**
 * PostgreSQL's lexical tokens that may hold any character: strings ({@code '...'}, {@code E'...'}), quoted names,
 * comments (block comments nest) and dollar-quoted bodies. Whatever reads SQL for its own marks (the bind marks of SQL
 * written by hand, the ends of a migration file's statements) steps over them with {@link #skipToken}, so that a
 * character inside one is text.
 */
public final class SqlTokens {
    private SqlTokens() {
    }

    /**
     * Index after the string, quoted name, comment or dollar-quoted body at {@code i}, else after its character.
     *
     * @param backslashes whether a backslash escapes a quote in a plain string (standard_conforming_strings off)
     */
    public static int skipToken(String s, int i, boolean backslashes) {
        char c = s.charAt(i);
        if (c == '\'') {
            return skipString(s, i, backslashes || isEscapeString(s, i));
        } else if (c == '"') {
            return skipUntil(s, i + 1, "\"");
        } else if (c == '-' && next(s, i) == '-') {
            return skipUntil(s, i + 2, "\n");
        } else if (c == '/' && next(s, i) == '*') {
            return skipBlockComment(s, i);
        } else if (c == '$') {
            String tag = dollarTag(s, i);
            return tag == null ? i + 1 : skipUntil(s, i + tag.length(), tag);
        }
        return i + 1;
    }

    /** The character after {@code i}, or NUL at the end. */
    public static char next(String s, int i) {
        return i + 1 < s.length() ? s.charAt(i + 1) : '\0';
    }

    /** Index after the first {@code end} from {@code from}, or the end of {@code s}. */
    public static int skipUntil(String s, int from, String end) {
        int found = s.indexOf(end, from);
        return found < 0 ? s.length() : found + end.length();
    }

    /** An {@code E'...'} string, where a backslash escapes the quote after it. */
    public static boolean isEscapeString(String s, int quote) {
        return quote > 0 && (s.charAt(quote - 1) == 'E' || s.charAt(quote - 1) == 'e')
                && (quote == 1 || !Character.isLetterOrDigit(s.charAt(quote - 2)) && s.charAt(quote - 2) != '_');
    }

    /** Index after the closing quote; {@code ''} is a quote inside, and so is {@code \'} with {@code backslashes}. */
    public static int skipString(String s, int quote, boolean backslashes) {
        int i = quote + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (backslashes && c == '\\') {
                i += 2;
            } else if (c == '\'' && next(s, i) == '\'') {
                i += 2;
            } else if (c == '\'') {
                return i + 1;
            } else {
                i++;
            }
        }
        return i;
    }

    /** Index after the block comment at {@code start}; block comments nest in PostgreSQL. */
    public static int skipBlockComment(String s, int start) {
        int depth = 0;
        int i = start;
        while (i < s.length()) {
            if (s.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (s.startsWith("*/", i)) {
                i += 2;
                if (--depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return i;
    }

    /** The dollar-quote tag at {@code i} ({@code $$}, {@code $name$}), or null: {@code $1}, {@code a$b} start none. */
    public static String dollarTag(String s, int i) {
        if (i > 0 && (Character.isLetterOrDigit(s.charAt(i - 1)) || s.charAt(i - 1) == '_')) {
            return null;
        }
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            if (j == i + 1 && Character.isDigit(s.charAt(j))) {
                return null;
            }
            j++;
        }
        return j < s.length() && s.charAt(j) == '$' ? s.substring(i, j + 1) : null;
    }
}
