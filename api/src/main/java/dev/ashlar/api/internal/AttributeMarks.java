package dev.ashlar.api.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The {@code {attribute}} marks of a custom aggregate's SQL, each naming an attribute of the records it aggregates
 * ({@code string_agg({title}, ', ')}). A brace inside a string, quoted name, comment or dollar-quoted body is text,
 * as for {@link BindMarks}, so {@code '{1,2}'::int[]} marks nothing. The data layer writes each mark as the
 * attribute's quoted, qualified column, so the SQL never names a column by hand.
 */
public final class AttributeMarks {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private AttributeMarks() {
    }

    /**
     * One mark.
     *
     * @param start the index of its {@code {}}
     * @param end   the index after its {@code }}
     * @param depth how many parentheses enclose it: 0 where no function call takes it
     */
    public record Mark(int start, int end, String attribute, int depth) {
    }

    /** The marks of the SQL, in order. */
    public static List<Mark> of(String sql) {
        List<Mark> marks = new ArrayList<>();
        int depth = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int close = c == '{' ? sql.indexOf('}', i) : -1;
            if (close > i && NAME.matcher(sql).region(i + 1, close).matches()) {
                marks.add(new Mark(i, close + 1, sql.substring(i + 1, close), depth));
                i = close + 1;
            } else {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                i = SqlTokens.skipToken(sql, i, false);
            }
        }
        return marks;
    }

    /** The SQL with each mark written as {@code column} gives its attribute. */
    public static String resolve(String sql, UnaryOperator<String> column) {
        StringBuilder resolved = new StringBuilder(sql.length() + 16);
        int at = 0;
        for (Mark mark : of(sql)) {
            resolved.append(sql, at, mark.start()).append(column.apply(mark.attribute()));
            at = mark.end();
        }
        return resolved.append(sql, at, sql.length()).toString();
    }
}
