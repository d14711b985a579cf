package dev.ashlar.kernel.migrate;

import java.util.List;

/**
 * A validation that found several problems in one schema's history (Flyway's {@code validate} lists every invalid
 * migration): a changed file, a missing one, a renamed one, pending files no ignore pattern lets pass. The message
 * lists each, numbered, with its own fix; {@link #problems()} gives them one by one. A validation that finds a single
 * problem throws that problem itself.
 */
public final class ValidationException extends MigrationException {
    private static final long serialVersionUID = 1L;
    /** The problems a message lists before it says how many more there are, so that it stays readable. */
    private static final int LISTED = 20;

    private final transient List<MigrationException> problems;

    private ValidationException(String schema, List<MigrationException> problems) {
        super(problems.get(0).code(), message(schema, problems), problems.get(0).file().orElse(null));
        this.problems = List.copyOf(problems);
    }

    /**
     * The exception to throw for {@code problems} found in {@code schema}'s history: the problem itself when there is
     * one, else one listing them all.
     */
    static MigrationException of(String schema, List<MigrationException> problems) {
        return problems.size() == 1 ? problems.get(0) : new ValidationException(schema, problems);
    }

    /** Each problem, in the order the message lists them: changed files, missing ones, renamed ones, then the rest. */
    public List<MigrationException> problems() {
        return problems;
    }

    private static String message(String schema, List<MigrationException> problems) {
        StringBuilder message = new StringBuilder("Validation of " + schema + " found " + problems.size()
                + " problems:");
        for (int i = 0; i < Math.min(LISTED, problems.size()); i++) {
            message.append("\n  ").append(i + 1).append(". ").append(problems.get(i).getMessage());
        }
        if (problems.size() > LISTED) {
            message.append("\n  and ").append(problems.size() - LISTED).append(" more ('ashlar status' lists them).");
        }
        return message.toString();
    }
}
