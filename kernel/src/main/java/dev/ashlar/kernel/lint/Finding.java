package dev.ashlar.kernel.lint;

/**
 * A statement that a rule warns about.
 *
 * @param file    the file, as the user names it (e.g. {@code migrations/20261127101500_add_comments.sql})
 * @param line    the line the statement's code starts on, 1-based
 * @param rule    the rule
 * @param allowed whether the project's allow list or a {@code -- lint: allow} comment allows it
 */
public record Finding(String file, int line, Rule rule, boolean allowed) {
    /** {@code warning[renaming-column] migrations/..._rename.sql:12: running instances ...}, then {@code (allowed)}. */
    public String message() {
        return "warning[" + rule.id() + "] " + file + ":" + line + ": " + rule.reason() + (allowed ? " (allowed)" : "");
    }

    /** The comment codegen writes above the statement. */
    String comment() {
        return "-- lint: " + rule.id() + ": " + rule.reason();
    }
}
