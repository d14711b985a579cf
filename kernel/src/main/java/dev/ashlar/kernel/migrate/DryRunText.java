package dev.ashlar.kernel.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A dry run as people read it, a line each, as Liquibase's {@code update-sql} and Flyway's dry run print it: the files
 * that would run and each statement whole with the lock it takes. The command line prints it, the Maven plugin logs it.
 */
public final class DryRunText {
    /** How many lines of a COPY's rows a dry run shows. */
    private static final int SHOWN_LINES = 40;

    private DryRunText() {
    }

    /**
     * The lines that show {@code files}.
     *
     * @param would what happens to them, for the heading: {@code "would run"} or {@code "would be rolled back"}
     */
    public static List<String> lines(List<DryRun> files, String would) {
        List<String> lines = new ArrayList<>();
        long migrations = files.stream().filter(DryRun::migration).count();
        lines.add(migrations == 0 ? "Nothing to " + (would.contains("roll") ? "roll back" : "migrate")
                + (files.isEmpty() ? "." : "; the callback files " + would + ":")
                : migrations + " file(s) " + would + ":");
        for (DryRun file : files) {
            lines.add(file.file().fileName() + (!file.migration() ? " (callback, " + file.when() + ")"
                    : file.transactional() ? "" : " (outside a transaction)"));
            file.warnings().forEach(warning -> lines.add("  warning: " + warning));
            for (DryRun.Statement statement : file.statements()) {
                lines.add(shown(statement.sql()) + "\n    lock: " + statement.lock());
            }
        }
        return lines;
    }

    /**
     * A statement as it will run: whole, from its first line of SQL (the comments above it are the file's), indented;
     * only a COPY's rows are cut after {@link #SHOWN_LINES} lines.
     */
    private static String shown(String sql) {
        List<String> lines = sql.lines().dropWhile(l -> l.isBlank() || l.strip().startsWith("--")).toList();
        if (lines.isEmpty()) {
            lines = sql.lines().toList();
        }
        int shown = SqlStatements.copiesFromStdin(sql) ? SHOWN_LINES : lines.size();
        String text = lines.stream().limit(shown).map(l -> "  " + l).collect(Collectors.joining("\n"));
        return lines.size() > shown ? text + "\n  ... (" + (lines.size() - shown) + " more lines)" : text;
    }
}
