package dev.ashlar.api.query;

/** A row lock taken by a read; locking reads always run on the primary. */
public enum Lock {
    NONE(""),
    FOR_UPDATE(" FOR UPDATE"),
    FOR_UPDATE_NOWAIT(" FOR UPDATE NOWAIT"),
    FOR_UPDATE_SKIP_LOCKED(" FOR UPDATE SKIP LOCKED"),
    FOR_SHARE(" FOR SHARE");

    private final String sql;

    Lock(String sql) {
        this.sql = sql;
    }

    /** The clause, with a leading space, or empty for {@link #NONE}. */
    public String sql() {
        return sql;
    }
}
