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
 * On a resource with a base filter, the check holds only for the rows the filter keeps, as in AshPostgres:
 * {@code CHECK ((amount > 0) OR NOT (deleted_at IS NULL))}, so a soft-deleted row is not checked. A check that
 * must hold for every row says {@link #ignoreBaseFilter()}.
 *
 * @param check          the check's name in the resource, unique among its checks
 * @param expression     the SQL boolean expression, written by the resource's author (never from request data)
 * @param constraintName the constraint's name, or {@code null} for {@code <table>_<check>_check}
 * @param attributes     the attributes a violation is reported on (and whose type changes re-create the check);
 *                       when empty, the violation is reported on the check's name
 * @param message        the message of the field errors, or {@code null} for {@value ChecksPlugin#DEFAULT_MESSAGE}
 * @param ignoresBaseFilter whether the check holds for every row, the ones the resource's base filter leaves out too
 */
public record Check(String check, String expression, String constraintName, List<String> attributes,
                    String message, boolean ignoresBaseFilter) {

    public Check {
        Objects.requireNonNull(check, "check");
        attributes = List.copyOf(attributes);
    }

    /** A check named {@code check}; give it an {@link #expression(String)}. */
    public static Check check(String check) {
        return new Check(check, null, null, List.of(), null, false);
    }

    public Check expression(String sql) {
        return new Check(check, sql, constraintName, attributes, message, ignoresBaseFilter);
    }

    /** The constraint's name in the database, at most 63 bytes. */
    public Check name(String constraint) {
        return new Check(check, expression, constraint, attributes, message, ignoresBaseFilter);
    }

    public Check attributes(String... names) {
        return new Check(check, expression, constraintName, List.of(names), message, ignoresBaseFilter);
    }

    /** What the user is told when a value breaks the check. */
    public Check message(String text) {
        return new Check(check, expression, constraintName, attributes, text, ignoresBaseFilter);
    }

    /** Checks every row, also those the resource's base filter leaves out (e.g. soft-deleted ones). */
    public Check ignoreBaseFilter() {
        return new Check(check, expression, constraintName, attributes, message, true);
    }
}
