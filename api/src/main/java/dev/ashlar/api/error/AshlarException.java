package dev.ashlar.api.error;

import java.util.Optional;

/**
 * The root of every exception Ashlar throws. Unchecked; carries structured content so that callers
 * can act on a failure without parsing its message.
 *
 * <p>A wrapped {@code SQLException} keeps its SQL state in {@link #sqlState()}. Control characters in the message
 * are shown as escapes ({@link ControlCharacters}), so that a hostile name cannot forge a log line or a terminal escape.
 *
 * <p>Ashlar throws the feature subclasses, built with their factories ({@link QueryException#of},
 * {@link NotFoundException#noRecord}, {@link DatabaseException#refused}, {@link ProjectFileException#of}, ...);
 * catch this root to handle every failure, or a subclass to handle one kind.
 */
public class AshlarException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String resource;
    private final String field;
    private final String sqlState;

    public AshlarException(ErrorCode code, String message) {
        this(code, message, null, null, null, null);
    }

    public AshlarException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, null, null, cause);
    }

    /**
     * @param resource the resource the failure concerns, or {@code null}
     * @param field    the attribute, relationship or option the failure concerns, or {@code null}
     * @param sqlState the SQL state of the database error behind it, or {@code null}
     */
    public AshlarException(ErrorCode code, String message, String resource, String field, String sqlState,
                           Throwable cause) {
        this(code, message, resource, field, sqlState, cause, new String[0]);
    }

    /**
     * @param quoted more text of the caller's that the message quotes (a file, a tenant, every field of a list), to
     *               be escaped whole as the resource and the field are
     */
    protected AshlarException(ErrorCode code, String message, String resource, String field, String sqlState,
                              Throwable cause, String... quoted) {
        super(ControlCharacters.message(message, resource, field, quoted), cause);
        this.code = code;
        this.resource = resource;
        this.field = field;
        this.sqlState = sqlState;
    }

    public ErrorCode code() {
        return code;
    }

    public Optional<String> resource() {
        return Optional.ofNullable(resource);
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }
}
