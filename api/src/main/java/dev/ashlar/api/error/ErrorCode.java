package dev.ashlar.api.error;

/**
 * What kind of failure an {@link AshlarException} reports. Stable: tools and tests may switch on it.
 */
public enum ErrorCode {
    /** A resource, attribute, relationship or domain definition is invalid. */
    INVALID_DEFINITION,
    /** A plugin is missing, duplicated or misbehaving. */
    PLUGIN,
    /** A migration file, snapshot or project directory is unreadable or inconsistent. */
    MIGRATION,
    /** A migration statement failed on the server. */
    MIGRATION_FAILED,
    /** An applied migration file was changed after it ran. */
    CHECKSUM_MISMATCH,
    /** The requested record does not exist. */
    NOT_FOUND,
    /**
     * The actor the handle acts for may not take the action on the resource: no actor where the resource's policies
     * need one, an action its policies do not allow, or a record its create policy refuses. Nothing was changed.
     */
    FORBIDDEN,
    /** A value broke a constraint or a rule: the field errors say which. */
    INVALID_DATA,
    /** A record changed since it was read (optimistic concurrency). */
    STALE_RECORD,
    /** A query or action was malformed: unknown field, wrong value type, missing tenant. */
    INVALID_QUERY,
    /**
     * The action would have waited for a lock another transaction holds: a {@code NOWAIT} lock, or the
     * {@code lock_timeout} ran out (SQL state 55P03). Nothing was changed; try again later.
     */
    LOCK_NOT_AVAILABLE,
    /**
     * The transaction lost a race with a concurrent one and was rolled back: a serialization failure (40001) or a
     * deadlock (40P01). Running the whole transaction again is safe and usually succeeds.
     */
    TRANSACTION_CONFLICT,
    /**
     * A statement ran past its time and the server cancelled it (SQL state 57014): the handle's timeout
     * ({@code ashlar.withTimeout(...)}), the server's {@code statement_timeout}, or a cancel request. What the
     * statement did is undone; in a transaction, the whole transaction is rolled back.
     */
    TIMEOUT,
    /** The database could not be reached or refused the work for a reason not mapped above. */
    DATABASE
}
