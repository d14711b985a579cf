package dev.ashlar.api.error;

/**
 * The database could not be reached, or refused the work for a reason no rule or plugin maps
 * (code {@link ErrorCode#DATABASE}). A failure that came from the server keeps its SQL state in
 * {@link #sqlState()}, so that a caller can act on {@code 40001} (serialization failure) without parsing text.
 *
 * <pre>{@code
 * catch (SQLException e) {
 *     throw DatabaseException.withState("Reading the primary's WAL position failed: " + e.getMessage(),
 *             e.getSQLState(), e);
 * }
 * }</pre>
 */
public class DatabaseException extends AshlarException {
    private static final long serialVersionUID = 1L;

    private DatabaseException(String resource, String field, String message, String sqlState, Throwable cause) {
        super(ErrorCode.DATABASE, message, resource, field, sqlState, cause);
    }

    /** A failure before any server answered, e.g. no database URL. */
    public static DatabaseException of(String message) {
        return new DatabaseException(null, null, message, null, null);
    }

    /** A failure before any server answered, caused by another, e.g. the embedded server failing to start. */
    public static DatabaseException of(String message, Throwable cause) {
        return new DatabaseException(null, null, message, null, cause);
    }

    /** The server refused work that concerns no one resource. */
    public static DatabaseException withState(String message, String sqlState, Throwable cause) {
        return new DatabaseException(null, null, message, sqlState, cause);
    }

    /**
     * The server refused an action on a resource.
     *
     * @param field the column the server named, or {@code null}
     */
    public static DatabaseException refused(String resource, String field, String message, String sqlState,
                                            Throwable cause) {
        return new DatabaseException(resource, field, message, sqlState, cause);
    }
}
