package dev.ashlar.api.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ?} bind marks of SQL written by hand ({@code Filter.sql}, {@code Atomic.sql}, calculations), found as the
 * PostgreSQL driver finds them: a {@code ?} inside a string ({@code '?'}, {@code E'\'?'}), a quoted name, a comment or
 * a dollar-quoted body is text, and {@code ??} is the driver's escape for one {@code ?} of the jsonb operators
 * ({@code doc ?? 'key'}), which it sends as {@code ?}. Counting every {@code ?} instead would refuse such SQL, or bind
 * its values one mark off.
 */
public final class BindMarks {
    private BindMarks() {
    }

    /** The index of each bind mark in the SQL, in order. */
    public static List<Integer> of(String sql) {
        List<Integer> marks = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '?' && next(sql, i) == '?') {
                i += 2;
            } else if (c == '?') {
                marks.add(i++);
            } else {
                i = skip(sql, i);
            }
        }
        return marks;
    }

    /** Index after the string, quoted name, comment or dollar-quoted body at {@code i}, else after its character. */
    private static int skip(String s, int i) {
        char c = s.charAt(i);
        if (c == '\'') {
            return skipString(s, i, isEscapeString(s, i));
        } else if (c == '"') {
            return until(s, i + 1, "\"");
        } else if (c == '-' && next(s, i) == '-') {
            return until(s, i + 2, "\n");
        } else if (c == '/' && next(s, i) == '*') {
            return skipBlockComment(s, i);
        } else if (c == '$') {
            String tag = dollarTag(s, i);
            return tag == null ? i + 1 : until(s, i + tag.length(), tag);
        }
        return i + 1;
    }

    private static char next(String s, int i) {
        return i + 1 < s.length() ? s.charAt(i + 1) : '\0';
    }

    private static int until(String s, int from, String end) {
        int found = s.indexOf(end, from);
        return found < 0 ? s.length() : found + end.length();
    }

    /** An {@code E'...'} string, where a backslash escapes the quote after it. */
    private static boolean isEscapeString(String s, int quote) {
        return quote > 0 && (s.charAt(quote - 1) == 'E' || s.charAt(quote - 1) == 'e')
                && (quote == 1 || !Character.isLetterOrDigit(s.charAt(quote - 2)) && s.charAt(quote - 2) != '_');
    }

    /** Index after the closing quote; {@code ''} is a quote inside, and so is {@code \'} in an E string. */
    private static int skipString(String s, int quote, boolean backslashes) {
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

    /** Block comments nest in PostgreSQL. */
    private static int skipBlockComment(String s, int start) {
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
    private static String dollarTag(String s, int i) {
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
