package dev.ashlar.api.error;

import java.util.List;

/**
 * The data of an action broke a rule: a unique identity, a required field, a check, a reference.
 * {@link #errors()} lists the fields and what is wrong with each.
 */
public class InvalidDataException extends AshlarException {
    private static final long serialVersionUID = 1L;

    private final transient List<FieldError> errors;
    private final String action;

    public InvalidDataException(String resource, String action, List<FieldError> errors, String sqlState,
                                Throwable cause) {
        super(ErrorCode.INVALID_DATA, "Invalid " + resource + " (" + action + "): "
                        + String.join("; ", errors.stream().map(FieldError::toString).toList()),
                resource, errors.isEmpty() ? null : errors.get(0).field(), sqlState, cause,
                errors.stream().map(FieldError::field).toArray(String[]::new));
        this.errors = List.copyOf(errors);
        this.action = action;
    }

    /** The action that was refused: {@code create}, {@code update}, {@code upsert}, ... */
    public String action() {
        return action;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
