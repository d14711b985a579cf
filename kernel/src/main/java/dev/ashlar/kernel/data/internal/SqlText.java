package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

/**
 * Refuses SQL text the server cannot be sent as written. PostgreSQL's protocol ends a string at a NUL character, so a
 * statement holding one is cut short and the server ends the session ("insufficient data left in message", 08P01),
 * which reads as a lost connection; a UTF-16 surrogate without its pair the driver sends as {@code ?}, changing the
 * statement silently. Both can only come from SQL written by hand ({@code sql(...)}, {@code Filter.sql},
 * {@code compute}, {@code Atomic.sql}, a calculation or a custom aggregate): Ashlar's own SQL holds neither.
 */
final class SqlText {
    private static final int AROUND = 20;

    private SqlText() {
    }

    /**
     * Checks the statement's text before it is sent.
     *
     * @throws QueryException naming the character, where it is and the fix
     */
    static void refuseUnsendable(String sql) {
        for (int i = 0, n = sql.length(); i < n; i++) {
            char c = sql.charAt(i);
            if (c == '\0') {
                throw refused(sql, i, "a NUL character, which ends a string in PostgreSQL's protocol (the server "
                        + "would end the session)");
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(sql.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw refused(sql, i, "a lone UTF-16 surrogate (\\u" + Integer.toHexString(c) + "), which is no "
                        + "character: the driver would send it as '?'");
            }
        }
    }

    private static QueryException refused(String sql, int index, String what) {
        StringBuilder near = new StringBuilder();
        for (char c : sql.substring(Math.max(0, index - AROUND), Math.min(sql.length(), index + AROUND)).toCharArray()) {
            // Shown escaped, so that the message itself holds neither.
            near.append(c == '\0' ? "\\0" : Character.isSurrogate(c) ? "\\u" + Integer.toHexString(c) : c);
        }
        return QueryException.of("The SQL of a statement holds " + what + ", at index " + index + " (near '" + near
                + "'). It comes from SQL written by hand (sql(...), Filter.sql, compute, Atomic.sql, a calculation or "
                + "an aggregate): bind such a value with ? and pass it as a value instead of writing it into the SQL");
    }
}
