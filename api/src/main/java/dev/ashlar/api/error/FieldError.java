package dev.ashlar.api.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One invalid field of an action.
 *
 * <p>An error the database reported also names where it happened: the {@link #column()} of the
 * table (for a relationship, its key column such as {@code post_id}) so that a form can highlight
 * the right input, and the {@link #constraint()} (a foreign key's or a unique index's name) so that
 * a log names the rule. Both are {@code null} for a rule checked before SQL runs. Two errors are
 * equal when they name the same field with the same message; the column and constraint are
 * diagnostics and take no part in equality.
 *
 * @param field      the attribute or relationship, or {@code null} for a rule over the whole record
 * @param message    for people: "has already been taken", "is required", "Amount must be positive"
 * @param column     the table column the database named, or {@code null}
 * @param constraint the constraint or unique index the database named, or {@code null}
 * @param details    the values the error carries ({@code Filter.errorIf(condition, field, message, details)}), by
 *                   name, in no particular order; empty for every other error. Unmodifiable; a value may be null
 */
public record FieldError(String field, String message, String column, String constraint,
                         Map<String, Object> details) {
    public FieldError {
        details = details == null || details.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** An error naming the column and constraint the database reported, carrying no values. */
    public FieldError(String field, String message, String column, String constraint) {
        this(field, message, column, constraint, Map.of());
    }

    /** An error found before SQL ran: no column or constraint to name. */
    public FieldError(String field, String message) {
        this(field, message, null, null);
    }

    /** The same error, column, constraint and details, with another message (a message that says more). */
    public FieldError withMessage(String newMessage) {
        return new FieldError(field, newMessage, column, constraint, details);
    }

    /** The same error naming the column and constraint the database reported. */
    public FieldError at(String column, String constraint) {
        return new FieldError(field, message, column, constraint, details);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldError that && Objects.equals(field, that.field)
                && Objects.equals(message, that.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(field, message);
    }

    @Override
    public String toString() {
        return field == null ? message : field + " " + message;
    }
}
