package dev.ashlar.api.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code :name} bind marks of a statement written by hand (Jdbi's named parameters), found as {@link BindMarks}
 * finds {@code ?}: inside a string, a quoted name, a comment or a dollar-quoted body a colon is text, and {@code ::}
 * is a cast. A name starts with a letter or {@code _} and goes on with letters, digits and {@code _}, so an array
 * slice of numbers ({@code tags[1:2]}) is no mark; a dot followed by a letter goes on with it, as in Jdbi, for the
 * prefixed marks of a bean bound with a prefix ({@code :post.title}).
 */
public final class NamedMarks {
    /** One mark: where it starts and ends in the SQL, and its name. */
    public record Mark(int start, int end, String name) {
    }

    private NamedMarks() {
    }

    /** Each named mark in the SQL, in order (a name used twice is two marks). */
    public static List<Mark> of(String sql) {
        List<Mark> marks = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == ':' && SqlTokens.next(sql, i) == ':') {
                i += 2;
            } else if (c == ':' && isNameStart(SqlTokens.next(sql, i))) {
                int end = i + 1;
                while (end < sql.length() && (isNamePart(sql.charAt(end)) || sql.charAt(end) == '.'
                        && end + 1 < sql.length() && isNameStart(sql.charAt(end + 1)))) {
                    end++;
                }
                marks.add(new Mark(i, end, sql.substring(i + 1, end)));
                i = end;
            } else {
                i = SqlTokens.skipToken(sql, i, false);
            }
        }
        return marks;
    }

    /** The SQL with a {@code ?} in place of each of its marks, as the driver takes it; the marks' values go in order. */
    public static String positional(String sql, List<Mark> marks) {
        StringBuilder sent = new StringBuilder();
        int from = 0;
        for (Mark mark : marks) {
            sent.append(sql, from, mark.start()).append('?');
            from = mark.end();
        }
        return sent.append(sql.substring(from)).toString();
    }

    private static boolean isNameStart(char c) {
        return c == '_' || Character.isLetter(c);
    }

    private static boolean isNamePart(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}
