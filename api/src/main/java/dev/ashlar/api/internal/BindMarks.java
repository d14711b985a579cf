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
            if (c == '?' && SqlTokens.next(sql, i) == '?') {
                i += 2;
            } else if (c == '?') {
                marks.add(i++);
            } else {
                i = SqlTokens.skipToken(sql, i, false);
            }
        }
        return marks;
    }
}
