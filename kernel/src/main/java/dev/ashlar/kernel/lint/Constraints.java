package dev.ashlar.kernel.lint;

import java.util.function.Consumer;
import java.util.regex.Matcher;

import static dev.ashlar.kernel.lint.TableChecks.warnIf;

/**
 * The rules for {@code ALTER TABLE ... ADD CONSTRAINT}: on a table with rows, a foreign key or check is added
 * {@code NOT VALID} and validated later, a unique or primary key comes from an index built concurrently; an
 * exclusion constraint has no such form.
 */
final class Constraints {
    private Constraints() {
    }

    /** @param form the match of {@code add [constraint NAME] KIND REST} */
    static void add(String table, boolean existing, Matcher form, FileState file, Consumer<Rule> warn) {
        String kind = form.group(2);
        String rest = form.group(3);
        boolean notValid = rest.endsWith(" not valid");
        boolean usingIndex = rest.startsWith(" using index");
        if (existing) {
            switch (kind) {
                case "foreign key" -> warnIf(!notValid, Rule.ADDING_FOREIGN_KEY_CONSTRAINT, warn);
                case "check" -> warnIf(!notValid, Rule.CONSTRAINT_MISSING_NOT_VALID, warn);
                case "unique" -> warnIf(!usingIndex, Rule.DISALLOWED_UNIQUE_CONSTRAINT, warn);
                case "primary key" -> warnIf(!usingIndex, Rule.ADDING_SERIAL_PRIMARY_KEY_FIELD, warn);
                case "exclude" -> warn.accept(Rule.ADDING_EXCLUSION_CONSTRAINT);
                default -> { }
            }
        }
        if (form.group(1) != null) {
            file.addedConstraint(table, form.group(1), kind.equals("check") ? TableChecks.notNullColumn(rest) : null,
                    !notValid);
        }
    }
}
