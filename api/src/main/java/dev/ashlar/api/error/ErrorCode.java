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
    /** A value broke a constraint or a rule: the field errors say which. */
    INVALID_DATA,
    /** A record changed since it was read (optimistic concurrency). */
    STALE_RECORD,
    /** A query or action was malformed: unknown field, wrong value type, missing tenant. */
    INVALID_QUERY,
    /** The database could not be reached or refused the work for a reason not mapped above. */
    DATABASE
}
