package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Literals;

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
                    : !file.covers().isEmpty() ? " (init script, run instead of " + covering(file) + ")"
                    : file.transactional() ? "" : " (outside a transaction)"));
            file.warnings().forEach(warning -> lines.add("  warning: " + warning));
            for (DryRun.Statement statement : file.statements()) {
                lines.add(shown(statement.sql()) + "\n    lock: " + statement.lock());
            }
        }
        return lines;
    }

    /**
     * {@code files} as one SQL script that psql runs in the run's place (Liquibase's {@code update-sql} and
     * {@code rollback-sql}, Flyway's dry-run output), for a reviewer who applies the changes by hand: each file in its
     * own transaction unless it runs outside one, its statements whole (a COPY's rows too), then the row that records
     * it in {@code history}, or for a rollback the row's removal, so that the history matches what ran. psql
     * stops at the first error, so no file runs after one that failed. The callback files run where the run runs them.
     *
     * @throws MigrationException naming a Java migration among the files, whose work is code, not SQL
     */
    public static String script(List<DryRun> files, FileRunner.Direction direction, History history) {
        String command = direction == FileRunner.Direction.UP ? "migrate" : "rollback";
        StringBuilder script = locked(command, history, "It records each file in the schema's migration history as the "
                + "run does");
        if (direction == FileRunner.Direction.UP) {
            recording(script, history);
        }
        if (files.stream().noneMatch(DryRun::migration)) {
            script.append("-- Nothing to ").append(direction == FileRunner.Direction.UP ? "migrate" : "roll back")
                    .append(".\n");
        }
        for (DryRun file : files) {
            if (file.file().java() != null) {
                throw new MigrationException(ErrorCode.MIGRATION, "Cannot write " + file.file().fileName()
                        + " into a SQL script: it is a Java migration, whose work is code. Apply it with 'ashlar "
                        + command + "', or write the script up to the version before it ('--to').",
                        file.file().fileName());
            }
            Precondition precondition = file.file().filters().precondition();
            if (precondition != null && direction == FileRunner.Direction.UP) {
                throw new MigrationException(ErrorCode.MIGRATION, "Cannot write " + file.file().fileName()
                        + " into a SQL script: its precondition '" + precondition.query() + "' is checked when "
                        + "Ashlar runs it, which a script run by hand would not do. Apply it with 'ashlar migrate', or "
                        + "write the script up to the version before it ('--to').", file.file().fileName());
            }
            script.append("\n-- ").append(file.file().fileName())
                    .append(file.migration() ? "" : " (callback, " + file.when() + ")").append('\n');
            if (file.transactional()) {
                script.append("BEGIN;\n");
            }
            for (DryRun.Statement statement : file.statements()) {
                String sql = statement.sql().strip();
                script.append(sql).append(sql.endsWith(";") || SqlStatements.copiesFromStdin(sql) ? "" : ";")
                        .append('\n');
            }
            if (!file.covers().isEmpty()) {
                script.append("-- init script, run instead of ").append(covering(file)).append('\n')
                        .append(history.scriptCovering(file.covers())).append('\n');
            } else if (file.migration()) {
                script.append(history.scriptRecording(file.file(), direction)).append('\n');
            }
            if (file.transactional()) {
                script.append("COMMIT;\n");
            }
        }
        return unlocked(script, history, direction == FileRunner.Direction.UP);
    }

    /**
     * What {@code ashlar baseline} would write for {@code files} ({@link Migrator#baselineDryRun}), as one SQL script
     * for psql (Liquibase's {@code changelog-sync-sql}): under the schema's migration lock, the history table made if
     * missing, then one row per file, recorded as baselined and tagged as its header says; no file's SQL runs.
     */
    public static String baselineScript(List<MigrationFile> files, History history) {
        StringBuilder script = locked("baseline", history, "It records each file in the schema's migration history as "
                + "baselined, running none");
        recording(script, history);
        if (files.isEmpty()) {
            script.append("-- Nothing to baseline.\n");
        } else {
            script.append("\n-- ").append(files.stream().map(MigrationFile::fileName).collect(Collectors.joining(", ")))
                    .append('\n').append(history.scriptBaselining(files)).append('\n');
        }
        return unlocked(script, history, true);
    }

    /** A script's start: what it is, and the schema's migration lock taken, stopping at once while a migrator runs. */
    private static StringBuilder locked(String command, History history, String records) {
        String schema = history.schema();
        long key = AdvisoryLock.key("migrations:" + schema);
        return new StringBuilder("-- What 'ashlar " + command + "' would run on schema " + schema
                + ", as one script for psql.\n-- " + records + ", and holds the schema's migration lock\n-- while it "
                + "runs: an 'ashlar migrate' or 'ashlar rollback' started meanwhile waits for it, and it stops at once,"
                + "\n-- running nothing, while one of them runs.\n"
                + "\\set ON_ERROR_STOP on\n"
                + "DO $ashlar_lock$\nBEGIN\n  IF NOT pg_try_advisory_lock(" + key + ") THEN\n"
                + "    RAISE EXCEPTION 'Another migrator (pid %) holds the migration lock of %: run this script once it "
                + "is done. Nothing was run.', (SELECT string_agg(pid::text, ', ') FROM pg_locks WHERE locktype = "
                + "'advisory' AND granted AND classid = " + (key >>> 32) + " AND objid = " + (key & 0xFFFFFFFFL)
                + "), " + Literals.quote(schema) + ";\n  END IF;\nEND\n$ashlar_lock$;\n");
    }

    /** The history table made if missing, and the deployment id of the rows the script records. */
    private static void recording(StringBuilder script, History history) {
        if (!history.home().equals(history.schema())) {
            script.append("CREATE SCHEMA IF NOT EXISTS ").append(Identifiers.quote(history.home())).append(";\n");
        }
        script.append(history.createStatement()).append(";\n");
        if (!history.home().equals(history.schema())) {
            script.append(history.apartStatement()).append(";\n");
        }
        // The rows the script records carry one deployment id of their own, as a run's do, so that
        // 'rollback --deployment' can undo what the script applied.
        script.append("-- The deployment id of the rows this script records ('ashlar status' shows it).\n")
                .append("SELECT set_config('").append(Deployment.SETTING).append("', ")
                .append(Literals.quote(Deployment.newId())).append(", false);\n");
    }

    /** A script's end: the deployment id reset where it was set, the migration lock given back. */
    private static String unlocked(StringBuilder script, History history, boolean recorded) {
        if (recorded) {
            script.append("RESET ").append(Deployment.SETTING).append(";\n");
        }
        return script.append("SELECT pg_advisory_unlock(").append(AdvisoryLock.key("migrations:" + history.schema()))
                .append(");\n").toString();
    }

    /** The files an init script runs instead of, as its line says so. */
    private static String covering(DryRun init) {
        List<MigrationFile> covers = init.covers();
        return covers.size() + " file(s) up to " + covers.get(covers.size() - 1).version() + ", recorded as baselined: "
                + covers.stream().map(MigrationFile::fileName).collect(Collectors.joining(", "));
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
