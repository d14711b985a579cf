package dev.ashlar.api.query;

/** A row lock taken by a read; locking reads always run on the primary. */
public enum Lock {
    NONE(""),
    FOR_UPDATE(" FOR UPDATE"),
    FOR_UPDATE_NOWAIT(" FOR UPDATE NOWAIT"),
    FOR_UPDATE_SKIP_LOCKED(" FOR UPDATE SKIP LOCKED"),
    /** A row lock that lets others insert rows referencing it (no key column changes): what most updates need. */
    FOR_NO_KEY_UPDATE(" FOR NO KEY UPDATE"),
    FOR_NO_KEY_UPDATE_NOWAIT(" FOR NO KEY UPDATE NOWAIT"),
    FOR_NO_KEY_UPDATE_SKIP_LOCKED(" FOR NO KEY UPDATE SKIP LOCKED"),
    FOR_SHARE(" FOR SHARE"),
    FOR_SHARE_NOWAIT(" FOR SHARE NOWAIT"),
    FOR_SHARE_SKIP_LOCKED(" FOR SHARE SKIP LOCKED"),
    /** The weakest row lock: keeps the row's key from changing or the row from being deleted. */
    FOR_KEY_SHARE(" FOR KEY SHARE"),
    FOR_KEY_SHARE_NOWAIT(" FOR KEY SHARE NOWAIT"),
    FOR_KEY_SHARE_SKIP_LOCKED(" FOR KEY SHARE SKIP LOCKED");

    private final String sql;

    Lock(String sql) {
        this.sql = sql;
    }

    /** The clause, with a leading space, or empty for {@link #NONE}. */
    public String sql() {
        return sql;
    }
}
