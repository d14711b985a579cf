package dev.ashlar.api.error;

/**
 * The record an action names does not exist (code {@link ErrorCode#NOT_FOUND}).
 *
 * <pre>{@code
 * throw NotFoundException.noRecord("post", "update", 42);  // Cannot update post: no record with key 42
 * }</pre>
 */
public class NotFoundException extends AshlarException {
    private static final long serialVersionUID = 1L;

    private NotFoundException(String resource, String message) {
        super(ErrorCode.NOT_FOUND, message, resource, null, null, null);
    }

    /**
     * No record of the resource has the key.
     *
     * @param action what was asked: {@code get}, {@code update}, {@code destroy}, ...
     * @param key    the key as people read it: a value, or {@code {id=1, tenant=acme}} for a composite one
     */
    public static NotFoundException noRecord(String resource, String action, Object key) {
        return new NotFoundException(resource, "Cannot " + action + " " + resource + ": no record with key " + key);
    }

    /**
     * A record a write names is not among those it may reach, with a message saying which and why: a related record
     * a nested write links or updates by key ({@code Cannot link post.tags[1]: no tag with key 7 ...}).
     */
    public static NotFoundException of(String resource, String message) {
        return new NotFoundException(resource, message);
    }
}
