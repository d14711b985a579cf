package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.FileRunner.Direction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements of a file's section as a runner sends them, checked before any of them is sent, and the session
 * settings they change. A tenant run applies the same file to thousands of schemas, so a section that passed its
 * checks is kept, by the file's content, and not split and scanned again.
 *
 * @param statements the statements to send, in order
 * @param settings   the session settings they change ({@link SessionSettings#changedBy})
 * @param batchable  whether they may go to the driver as one batch: not when one changes how strings read
 *                   backslashes ({@link SqlStatements#changesStringEscapes}) or sends rows to a COPY
 * @param lines      the line of the file where each statement starts, 0 where the runner rewrote it
 */
record SectionStatements(List<String> statements, List<String> settings, boolean batchable, List<Integer> lines) {
    private static final int MAX_KEPT = 256;
    private static final Map<Key, SectionStatements> KEPT = new ConcurrentHashMap<>();

    /**
     * A file's section. A folder read again gives back the same file while its bytes are unchanged
     * ({@link MigrationFile#read}), so a tenant run's schemas find the file itself: the key's hash is its version's
     * and text's (each kept by its string) and its equality is the file's identity first, rather than hashing and
     * comparing every component of the file (its path, checksums, filters) for each schema. A file made again with
     * the same content (its placeholders replaced for each schema) still finds its statements by equality.
     */
    private record Key(MigrationFile file, Direction direction, TransactionMode mode, boolean backslashes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && (key.file == file || key.file.equals(file))
                    && key.direction == direction && key.mode == mode && key.backslashes == backslashes;
        }

        @Override
        public int hashCode() {
            int text = 31 * file.version().hashCode()
                    + java.util.Objects.hashCode(direction == Direction.UP ? file.up() : file.down());
            return (31 * text + mode.ordinal()) * 4 + direction.ordinal() * 2 + (backslashes ? 1 : 0);
        }
    }

    /** {@link #of} with the settings the statements change, kept for the next schema. */
    static SectionStatements checked(String schema, MigrationFile file, Direction direction, TransactionMode mode,
                                     boolean backslashes) {
        Key key = new Key(file, direction, mode, backslashes);
        SectionStatements kept = KEPT.get(key);
        if (kept == null) {
            List<String> statements = of(schema, file, direction, mode, backslashes);
            kept = new SectionStatements(statements, SessionSettings.changedBy(statements),
                    statements.stream().noneMatch(statement -> SqlStatements.changesStringEscapes(statement)
                            || SqlStatements.copiesFromStdin(statement)), lines(file, direction, statements));
            if (KEPT.size() >= MAX_KEPT) {
                KEPT.clear();
            }
            KEPT.put(key, kept);
        }
        return kept;
    }

    /** Where each statement starts in the file, found in order in the section's text. */
    private static List<Integer> lines(MigrationFile file, Direction direction, List<String> statements) {
        String text = direction == Direction.UP ? file.up() : file.down();
        int line = direction == Direction.UP ? file.upLine() : file.downLine();
        List<Integer> lines = new ArrayList<>(statements.size());
        int cursor = 0;
        for (String statement : statements) {
            int at = text.indexOf(statement, cursor);
            if (at < 0) {
                lines.add(0);
                continue;
            }
            line += newlines(text, cursor, at);
            lines.add(line);
            cursor = at + statement.length();
            line += newlines(text, at, cursor);
        }
        return lines;
    }

    private static int newlines(String text, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            count += text.charAt(i) == '\n' ? 1 : 0;
        }
        return count;
    }

    /**
     * The statements of the section to run, split as a session whose {@code standard_conforming_strings} is off
     * reads them when {@code backslashes}, or a {@link MigrationException} before any runs when one cannot run as
     * it should: the server would refuse it with a bare syntax error, or, inside a transaction, it would commit part
     * of the file behind the runner's back while the error said nothing was applied. A rollback of a file whose down
     * section is blank, while its up section runs something, is refused too: it would forget the file and leave its
     * schema as it is.
     */
    static List<String> of(String schema, MigrationFile file, Direction direction, TransactionMode mode,
                           boolean backslashes) {
        String sql = direction == Direction.UP ? file.up() : file.down();
        List<String> statements = SqlStatements.split(mode == TransactionMode.CALLER && !file.transactional()
                ? SqlStatements.withoutConcurrently(sql, backslashes) : sql, backslashes);
        // A comment alone says the file needs no undoing (codegen writes "-- undo: ..." over a step that has none),
        // and so does an up section that runs nothing.
        if (direction == Direction.DOWN && file.down().isBlank() && !SqlStatements.split(file.up()).isEmpty()) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot roll back " + file.fileName() + " on " + schema
                    + ": its '-- migrate:down' section is empty, so nothing would be undone. Write there the SQL that "
                    + "undoes its up section, or a comment such as '-- nothing to undo' if it needs none. Nothing was "
                    + "rolled back.", file.fileName());
        }
        if (direction == Direction.DOWN && file.java() != null && !JavaMigrationRun.hasDown(file.java())) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot roll back Java migration " + file.fileName()
                    + " (" + file.version() + "_" + file.name() + ") on " + schema + ": it has no down. Override "
                    + "down(Connection) with what undoes it, or roll back to a later version. Nothing was rolled "
                    + "back.", file.fileName());
        }
        int open = -1;
        boolean escapes = backslashes;
        for (int i = 0; i < statements.size(); i++) {
            String problem = file.callback() ? inCallback(statements.get(i)) : null;
            problem = problem == null ? problem(statements.get(i), direction, mode) : problem;
            if (problem != null) {
                throw refusal(schema, file, direction, statements, i, "", problem);
            }
            if (SqlStatements.controlsTransaction(statements.get(i))) {
                open = SqlStatements.beginsTransaction(statements.get(i)) ? i : -1;
            }
            if (i == statements.size() - 1) {
                requireClosed(schema, file, direction, statements, escapes);
            }
            escapes = SqlStatements.backslashQuotes(statements.get(i), escapes, backslashes);
        }
        // Outside a transaction, what follows a BEGIN that nothing ends would run uncommitted with the history row, and
        // both would vanish when the connection closed, while the run reported the file applied.
        if (mode == TransactionMode.NONE && open >= 0) {
            throw refusal(schema, file, direction, statements, open, "", "begins a transaction that the section never "
                    + "ends, so what follows it would never be committed. End it with COMMIT");
        }
        return statements;
    }

    /**
     * Refuses a last statement that opens a string, comment or dollar-quoted body it never closes: the rest of the
     * section would be read as part of it, and a comment left open would skip that rest without a word.
     */
    private static void requireClosed(String schema, MigrationFile file, Direction direction, List<String> statements,
                                      boolean backslashes) {
        int last = statements.size() - 1;
        String statement = statements.get(last);
        // A COPY's rows are data, where a quote opens nothing: only its command is SQL.
        int at = SqlStatements.unclosed(SqlStatements.copiesFromStdin(statement) ? SqlStatements.commandOf(statement)
                : statement, backslashes);
        if (at < 0) {
            return;
        }
        String what = switch (statement.charAt(at)) {
            case '\'' -> "a string ('...')";
            case '"' -> "a quoted name (\"...\")";
            case '/' -> "a comment (/* ... */)";
            default -> "a dollar-quoted body (" + statement.substring(at, statement.indexOf('$', at + 1) + 1) + " ... "
                    + statement.substring(at, statement.indexOf('$', at + 1) + 1) + ")";
        };
        throw refusal(schema, file, direction, statements, last, Positions.caret(statement, at + 1), "opens " + what
                + " that never ends, so everything after it in the section would be read as part of it. Close it");
    }

    private static MigrationException refusal(String schema, MigrationFile file, Direction direction,
                                              List<String> statements, int index, String where, String problem) {
        int line = lines(file, direction, statements).get(index);
        // A schema of null: the linter's check, which runs nothing on any schema.
        String outcome = schema == null ? " cannot run" : " was not run on " + schema;
        return new MigrationException(ErrorCode.MIGRATION, "Migration " + file.fileName() + outcome + ": statement "
                + (index + 1) + " of its " + direction.name().toLowerCase(Locale.ROOT) + " section"
                + (line > 0 ? " (line " + line + ")" : "") + ",\n"
                + Positions.indent(statements.get(index), where, Math.max(1, line)) + "\n" + problem
                + ". Nothing of this file was run.", file.fileName(), statements.get(index), null, null);
    }

    /**
     * What is wrong with a statement of a callback file, which always runs in a transaction and has no section line
     * to say otherwise; null if nothing.
     */
    private static String inCallback(String statement) {
        boolean outside = SqlStatements.runsOutsideTransactionsOnly(statement);
        if (!outside && !SqlStatements.controlsTransaction(statement)) {
            return null;
        }
        return (outside ? "runs only outside a transaction (PostgreSQL refuses it inside one)" : "begins or ends a "
                + "transaction") + ", but a callback runs in one: beforeMigrate.sql and afterMigrate.sql in their own, "
                + "the each-migrate callbacks in the migration's. Move it into a migration file whose up line is "
                + "'-- migrate:up transaction:false'";
    }

    /**
     * Refuses a section holding what no run could send, whatever its transaction: a psql command, a COPY whose rows
     * never end or that writes to psql's output, or a string, comment or body left open. The linter asks this of every
     * file, so that a file it passes is not refused by the migrate after it; what depends on the transaction the
     * section runs in stays its findings.
     *
     * @throws MigrationException naming the file, the statement, its line and the fix
     */
    static void checkSql(MigrationFile file, Direction direction) {
        List<String> statements = SqlStatements.split(direction == Direction.UP ? file.up() : file.down());
        for (int i = 0; i < statements.size(); i++) {
            String problem = sqlProblem(statements.get(i));
            if (problem != null) {
                throw refusal(null, file, direction, statements, i, "", problem);
            }
        }
        if (!statements.isEmpty()) {
            requireClosed(null, file, direction, statements, false);
        }
    }

    /** What is wrong with sending a statement to the server in any mode, with what to do instead; null if nothing. */
    private static String sqlProblem(String statement) {
        if (SqlStatements.isPsqlCommand(statement)) {
            return "is a psql command, and Ashlar runs SQL only, not psql commands. Take it out; a psql script, such "
                    + "as a pg_dump file, is applied with psql, then recorded with 'ashlar baseline'";
        }
        if (SqlStatements.copiesFromStdin(statement) && SqlStatements.rowsOf(statement) == null) {
            return "reads its rows from the lines after it, but no line holding only \\. ends them, so the rest of the "
                    + "file would be read as rows. End the rows with a line \\. (as pg_dump writes them)";
        }
        if (SqlStatements.copiesToStdout(statement)) {
            return "writes its rows to psql's output, and a migration has no output to write them to. Take it out, "
                    + "or COPY TO a file on the server";
        }
        return null;
    }

    /** What is wrong with sending a statement to the server in this mode, with what to do instead; null if nothing. */
    private static String problem(String statement, Direction direction, TransactionMode mode) {
        String problem = sqlProblem(statement);
        if (problem != null || mode == TransactionMode.NONE) {
            return problem;
        }
        if (SqlStatements.runsOutsideTransactionsOnly(statement)) {
            // Refused here rather than by the server: the files before it in the run would stay applied.
            return mode == TransactionMode.OWN ? "runs only outside a transaction (PostgreSQL refuses it inside one), "
                    + "but the file runs in one. " + (direction == Direction.UP ? "Move it into a file of its own "
                    + "whose up line is '-- migrate:up transaction:false'" : "Write the file's down line as "
                    + "'-- migrate:down transaction:false' to roll it back outside one")
                    : "runs only outside a transaction (PostgreSQL refuses it inside one), but the file runs here "
                    + "inside its caller's transaction (a tenant schema created whole or not at all). Take it out";
        }
        if (!SqlStatements.controlsTransaction(statement)) {
            return null;
        }
        return mode == TransactionMode.OWN ? "begins or ends a transaction, but the file already runs in one "
                + "transaction, committed with its history row. Take the statement out, or write the "
                + (direction == Direction.UP ? "up line as '-- migrate:up" : "down line as '-- migrate:down")
                + " transaction:false' to manage transactions yourself"
                : "begins or ends a transaction, but the file runs here inside its caller's transaction (a tenant "
                + "schema created whole or not at all). Take the statement out";
    }
}
