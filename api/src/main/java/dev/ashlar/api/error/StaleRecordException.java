package dev.ashlar.api.error;

/**
 * A record changed since it was read, so a write that expected the version read was refused
 * (optimistic concurrency; code {@link ErrorCode#STALE_RECORD}). {@link #field()} names the version attribute.
 * Also an upsert of one record whose condition the stored record did not meet (Ash raises the same).
 *
 * <pre>{@code
 * throw StaleRecordException.changed("post", "update", "{id=1}", "lock_version", 3);
 * // Cannot update post {id=1}: it changed since it was read (lock_version 3). Read it again and reapply the change.
 * }</pre>
 */
public class StaleRecordException extends AshlarException {
    private static final long serialVersionUID = 1L;

    private StaleRecordException(String resource, String versionField, String message) {
        super(ErrorCode.STALE_RECORD, message, resource, versionField, null, null);
    }

    /**
     * The record's version is no longer the one read.
     *
     * @param key          the record's key as people read it
     * @param versionField the attribute that holds the version
     * @param version      the version the write expected
     */
    public static StaleRecordException changed(String resource, String action, Object key, String versionField,
                                               Object version) {
        return new StaleRecordException(resource, versionField, "Cannot " + action + " " + resource + " " + key
                + ": it changed since it was read (" + versionField + " " + version
                + "). Read it again and reapply the change.");
    }

    /**
     * An upsert of one record met a stored record that did not meet the upsert's condition, so kept it unchanged.
     *
     * @param identity the record's values of the identity the upsert is on, as people read them
     */
    public static StaleRecordException conditionFailed(String resource, Object identity) {
        return new StaleRecordException(resource, null, "Cannot upsert " + resource + " " + identity + ": the stored "
                + "record was kept because the upsert condition did not hold for it.");
    }

    /**
     * A record did not meet the condition an update or a destroy of it was given, so it was left as it is.
     *
     * @param key the record's key as people read it
     */
    public static StaleRecordException guardFailed(String resource, String action, Object key) {
        return new StaleRecordException(resource, null, "Cannot " + action + " " + resource + " " + key + ": it does "
                + "not meet the condition the " + action + " was given, so it was left as it is. Read it again to see "
                + "its stored values.");
    }
}
