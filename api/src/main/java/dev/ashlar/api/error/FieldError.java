package dev.ashlar.api.error;

/**
 * One invalid field of an action.
 *
 * @param field   the attribute or relationship
 * @param message for people: "has already been taken", "is required", "Amount must be positive"
 */
public record FieldError(String field, String message) {
    @Override
    public String toString() {
        return field + " " + message;
    }
}
