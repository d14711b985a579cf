package dev.ashlar.plugins.checks;

import java.util.List;
import java.util.Objects;

/**
 * One check constraint: the guide's {@code check_constraint :positive_amount, check: "amount > 0", ...}.
 * Immutable: each option returns a new check.
 *
 * <pre>{@code
 * check("positive_amount")
 *         .expression("amount > 0")              // check: "amount > 0"
 *         .name("positive_amount_check")         // name: "positive_amount_check"
 *         .attributes("amount")                  // the fields an error is attached to
 *         .message("Amount must be positive")    // message: "Amount must be positive"
 * }</pre>
 *
 * @param check          the check's name in the resource, unique among its checks
 * @param expression     the SQL boolean expression, written by the resource's author (never from request data)
 * @param constraintName the constraint's name, or {@code null} for {@code <table>_<check>_check}
 * @param attributes     the attributes a violation is reported on (and whose type changes re-create the check);
 *                       when empty, the violation is reported on the check's name
 * @param message        the message of the field errors, or {@code null} for {@value ChecksPlugin#DEFAULT_MESSAGE}
 */
public record Check(String check, String expression, String constraintName, List<String> attributes,
                    String message) {

    public Check {
        Objects.requireNonNull(check, "check");
        attributes = List.copyOf(attributes);
    }

    /** A check named {@code check}; give it an {@link #expression(String)}. */
    public static Check check(String check) {
        return new Check(check, null, null, List.of(), null);
    }

    public Check expression(String sql) {
        return new Check(check, sql, constraintName, attributes, message);
    }

    /** The constraint's name in the database, at most 63 bytes. */
    public Check name(String constraint) {
        return new Check(check, expression, constraint, attributes, message);
    }

    public Check attributes(String... names) {
        return new Check(check, expression, constraintName, List.of(names), message);
    }

    /** What the user is told when a value breaks the check. */
    public Check message(String text) {
        return new Check(check, expression, constraintName, attributes, text);
    }
}
