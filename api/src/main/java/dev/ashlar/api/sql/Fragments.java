package dev.ashlar.api.sql;

/** SQL fragments written by a resource's author (a check, a predicate, a default) placed inside larger statements. */
public final class Fragments {
    private Fragments() {
    }

    /**
     * The fragment, ready to be followed by more SQL: a {@code --} comment on its last line would turn the rest of the
     * statement into a comment, so such a fragment ends with a line break. Any other fragment is returned as it is.
     */
    public static String closed(String sql) {
        return sql == null || !sql.substring(sql.lastIndexOf('\n') + 1).contains("--") ? sql : sql + "\n";
    }
}
