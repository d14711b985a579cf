package dev.ashlar.kernel.migrate;

import org.postgresql.core.BaseConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ashlar.api.internal.SqlTokens.dollarTag;
import static dev.ashlar.api.internal.SqlTokens.isEscapeString;
import static dev.ashlar.api.internal.SqlTokens.next;
import static dev.ashlar.api.internal.SqlTokens.skipBlockComment;
import static dev.ashlar.api.internal.SqlTokens.skipString;
import static dev.ashlar.api.internal.SqlTokens.skipToken;
import static dev.ashlar.api.internal.SqlTokens.skipUntil;

/**
 * Splits a SQL script into statements at top-level semicolons, knowing PostgreSQL's lexical rules:
 * single-quoted strings (with {@code E''} backslash escapes), quoted identifiers, dollar-quoted
 * bodies ({@code $$ ... $$}, {@code $fn$ ... $fn$}), line comments and nested block comments.
 * Statements are run one by one so that a failure names the exact statement, and so that
 * {@code CREATE INDEX CONCURRENTLY} is never sent inside an implicit multi-statement transaction.
 */
public final class SqlStatements {
    private static final Pattern CONCURRENTLY = Pattern.compile(
            "^((?:CREATE\\s+(?:UNIQUE\\s+)?INDEX|DROP\\s+INDEX|REINDEX\\s+\\w+)\\s+)CONCURRENTLY\\s+",
            Pattern.CASE_INSENSITIVE);

    /**
     * The {@code COMMIT} after each batch of a generated backfill ({@code DO $backfill$ ...}): PostgreSQL refuses it
     * inside a transaction block, where the rows are filled in that transaction instead.
     */
    private static final Pattern BACKFILL = Pattern.compile("^DO \\$backfill(?:_\\d+)?\\$");
    private static final Pattern BATCH_COMMIT = Pattern.compile("(?m)^[ \\t]*COMMIT;[ \\t]*\\n");

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** On a statement's {@link #code}: a change of how strings read backslashes. */
    private static final Pattern CONFORMING_STRINGS = Pattern.compile(
            "^(?:set(?: session| local)?|reset) standard_conforming_strings\\b");
    private static final Pattern CONFORMING_STRINGS_VALUE = Pattern.compile(
            "standard_conforming_strings\\s*(?:=|\\s[Tt][Oo]\\s)\\s*'?([A-Za-z0-9]+)");
    /** The values PostgreSQL reads as off for a boolean setting. */
    private static final Pattern OFF = Pattern.compile("(?i)off|false|no|0");
    private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^\\s*--.*$\\n?");
    /** On a statement's {@link #code}: COPY's data would follow in the script, where the server reads it as SQL. */
    private static final Pattern COPY_FROM_STDIN = Pattern.compile("^copy\\b.*\\bfrom stdin\\b");
    /** On a statement's {@link #code}: COPY's rows would go to psql's output, which the driver refuses to take. */
    private static final Pattern WRITES_ROWS = Pattern.compile(
            "^\\s*(?:with\\b.*\\b)?(insert|update|delete|merge|copy)\\b");
    private static final Pattern COPY_TO_STDOUT = Pattern.compile("^copy\\b.*\\bto stdout\\b");
    /** On a statement's {@link #code}: what begins, ends or hands off a transaction (ROLLBACK TO a savepoint does not). */
    private static final Pattern TRANSACTION_CONTROL = Pattern.compile("^(?:begin|start transaction|commit|end|rollback"
            + "|abort|prepare transaction)\\b(?!(?: work| transaction)? (?:to|prepared)\\b)");
    /**
     * On a statement's {@link #code}: what PostgreSQL runs only outside a transaction block (it refuses it inside one
     * with SQL state 25001). {@code ALTER TYPE ... ADD VALUE} runs in one since PostgreSQL 12. From PostgreSQL 14 a
     * REINDEX may say CONCURRENTLY in its options, also as {@code CONCURRENTLY false}, which runs in one. A subscription
     * is made outside one when it creates its replication slot, unless {@code connect} or {@code create_slot} is off.
     */
    private static final Pattern OUTSIDE_TRANSACTION = Pattern.compile("^(?:"
            + "(?:create (?:unique )?|drop )index concurrently\\b"
            + "|reindex (?:\\([^)]*\\) ?)?(?:(?:index|table) concurrently|schema|database|system)\\b"
            + "|reindex \\([^)]*\\bconcurrently\\b(?! ?(?:false|off|0)\\b)"
            + "|vacuum\\b|(?:create|drop) (?:database|tablespace)\\b|alter system\\b|discard all\\b"
            + "|(?:commit|rollback) prepared\\b"
            + "|create subscription\\b(?!.*\\b(?:connect|create_slot) ?= ?(?:false|off|0)\\b)"
            + "|alter database (?:\"[^\"]*\"|[^ ]+) set tablespace\\b"
            + "|alter table\\b.*\\bdetach partition (?:\"[^\"]*\"|[^ ]+) concurrently\\b"
            + "|cluster(?: verbose)? ?;?$)");
    /** On a statement's {@link #code}: what opens a transaction block. */
    private static final Pattern TRANSACTION_START = Pattern.compile("^(?:begin|start transaction)\\b");

    private SqlStatements() {
    }

    /**
     * The statements of a script, trimmed, without empty ones or ones made only of comments. A semicolon inside
     * parentheses ({@code CREATE RULE ... DO ALSO (a; b)}) or inside a SQL-standard function body
     * ({@code BEGIN ATOMIC a; b; END}, PostgreSQL 14+) does not end a statement. A backslash outside a string,
     * quoted name or comment (a psql command such as {@code \connect}, or {@code \gset} after a query) starts a
     * statement of its own, ending at the end of its line.
     */
    public static List<String> split(String script) {
        return split(script, false);
    }

    /**
     * {@link #split} for a session whose {@code standard_conforming_strings} is {@code off} when {@code backslashes}
     * (a database or role set so): a backslash then escapes a quote in every string, until the script sets it on.
     */
    public static List<String> split(String script, boolean backslashes) {
        boolean session = backslashes;
        List<String> statements = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = script.length();
        int parentheses = 0;
        // Open BEGIN ATOMIC bodies, and the CASE expressions inside them: both end with END.
        int blocks = 0;
        // After SET standard_conforming_strings = off, a backslash escapes a quote in every string, as psql reads it.
        while (i < n) {
            char c = script.charAt(i);
            // Outside strings, quoted names and comments SQL has no backslash: psql reads one as a command, also after a
            // query on its line (SELECT ... \gset), the query then ending there.
            if (c == '\\') {
                add(statements, script.substring(start, i));
                start = i;
                i = skipUntil(script, i, "\n");
                add(statements, script.substring(start, i));
                start = i;
            } else if (c == ';' && parentheses == 0 && blocks == 0) {
                int end = i + 1;
                if (copiesFromStdin(script.substring(start, end))) {
                    end = rowsEnd(script, end);
                }
                String statement = script.substring(start, end);
                add(statements, statement);
                backslashes = backslashQuotes(statement, backslashes, session);
                start = end;
                i = end;
            } else if (isWordStart(c)) {
                int end = wordEnd(script, i);
                blocks += blockChange(script, i, end, blocks);
                i = end;
            } else {
                parentheses = Math.max(0, parentheses + (c == '(' ? 1 : c == ')' ? -1 : 0));
                i = skipToken(script, i, backslashes);
            }
        }
        add(statements, script.substring(start));
        return statements;
    }

    /**
     * Whether strings take backslash escapes after this statement: a {@code SET standard_conforming_strings} (or its
     * {@code RESET}, or a SET to {@code DEFAULT}, back to the session's own, {@code session}) changes it, any other
     * statement leaves it as it was ({@code now}).
     */
    static boolean backslashQuotes(String statement, boolean now, boolean session) {
        if (!changesStringEscapes(statement)) {
            return now;
        }
        Matcher value = CONFORMING_STRINGS_VALUE.matcher(statement);
        if (!value.find() || value.group(1).equalsIgnoreCase("default")) {
            return session;
        }
        return OFF.matcher(value.group(1)).matches();
    }

    /**
     * Whether the session reads a backslash in a plain string as an escape: its {@code standard_conforming_strings} is
     * off (a database or role whose default is so). The driver knows it without a round trip; other connections are
     * asked.
     */
    static boolean backslashesIn(Connection connection) throws SQLException {
        if (connection.isWrapperFor(BaseConnection.class)) {
            return !connection.unwrap(BaseConnection.class).getStandardConformingStrings();
        }
        try (Statement show = connection.createStatement();
             ResultSet row = show.executeQuery("SHOW standard_conforming_strings")) {
            return row.next() && OFF.matcher(row.getString(1)).matches();
        }
    }

    /**
     * A named parameter mark of SQL: {@code :name}, starting at {@code start} (its colon).
     *
     * @param name the name after the colon
     */
    public record NamedMark(int start, String name) {

        /** Index after the mark. */
        public int end() {
            return start + 1 + name.length();
        }
    }

    /**
     * The named parameter marks ({@code :separator}) of an SQL expression, in order: a colon inside a string, quoted
     * identifier, comment or dollar-quoted body starts none, nor does a {@code ::} cast.
     */
    public static List<NamedMark> namedMarks(String sql) {
        List<NamedMark> marks = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == ':' && next(sql, i) == ':') {
                i += 2;
            } else if (c == ':' && isWordStart(next(sql, i))) {
                int end = wordEnd(sql, i + 1);
                marks.add(new NamedMark(i, sql.substring(i + 1, end)));
                i = end;
            } else {
                i = skipToken(sql, i, false);
            }
        }
        return marks;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static int wordEnd(String s, int start) {
        int i = start;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$')) {
            i++;
        }
        return i;
    }

    /**
     * How the keyword from {@code start} to {@code end} changes the count of open blocks: {@code BEGIN ATOMIC} opens
     * one; inside one, {@code CASE} opens one and {@code END} closes one. A name after a dot ({@code t.end}) is none.
     */
    private static int blockChange(String s, int start, int end, int blocks) {
        if (start > 0 && s.charAt(start - 1) == '.') {
            return 0;
        }
        String word = s.substring(start, end);
        if (word.equalsIgnoreCase("begin")) {
            int after = skipBlanks(s, end);
            return after < s.length() && isWordStart(s.charAt(after))
                    && s.substring(after, wordEnd(s, after)).equalsIgnoreCase("atomic") ? 1 : 0;
        }
        if (blocks > 0 && word.equalsIgnoreCase("case")) {
            return 1;
        }
        return blocks > 0 && word.equalsIgnoreCase("end") ? -1 : 0;
    }

    /** Index of the first character from {@code i} on that is neither white space nor in a comment. */
    private static int skipBlanks(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && next(s, i) == '-' || c == '/' && next(s, i) == '*') {
                i = skipToken(s, i, false);
            } else {
                return i;
            }
        }
        return i;
    }

    private static void add(List<String> statements, String statement) {
        String trimmed = statement.strip();
        if (hasCode(trimmed)) {
            statements.add(trimmed);
        }
    }

    /** Whether a statement holds anything but comments, blanks and semicolons (read once, no copies made). */
    private static boolean hasCode(String sql) {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '-' && next(sql, i) == '-') {
                i = skipUntil(sql, i + 2, "\n");
            } else if (c == '/' && next(sql, i) == '*') {
                int start = i;
                i = skipBlockComment(sql, i);
                // A comment that never ends swallows the rest of the script: a statement, which the runner refuses.
                if (i == sql.length() && unclosedAt(sql, start, false)) {
                    return true;
                }
            } else if (c == ';' || Character.isWhitespace(c)) {
                i++;
            } else {
                return true;
            }
        }
        return false;
    }

    /**
     * Where a statement opens a string, quoted identifier, block comment or dollar-quoted body that it never closes
     * (the rest of its script read as part of it), as an index; -1 when it opens none.
     *
     * @param backslashes whether a backslash escapes a quote in a plain string
     */
    static int unclosed(String statement, boolean backslashes) {
        int i = 0;
        while (i < statement.length()) {
            char c = statement.charAt(i);
            int end = skipToken(statement, i, backslashes);
            // A line comment may end with the script.
            if (end >= statement.length() && c != '-' && unclosedAt(statement, i, backslashes)) {
                return i;
            }
            i = end;
        }
        return -1;
    }

    /**
     * Whether the token at {@code i}, which reaches the end of {@code s}, is cut there rather than closed by its
     * last characters: with a blank added, which closes nothing, it still reaches the end.
     */
    private static boolean unclosedAt(String s, int i, boolean backslashes) {
        String padded = s + " ";
        return skipToken(padded, i, backslashes) > s.length();
    }

    /**
     * The code of one statement, for reading its form: comments left out, string literals and dollar-quoted
     * bodies emptied (a function body or a default's text is not the statement's own form), white space
     * collapsed, and all but quoted identifiers in lower case.
     */
    public static String code(String statement) {
        StringBuilder code = new StringBuilder();
        int i = 0;
        int n = statement.length();
        while (i < n) {
            char c = statement.charAt(i);
            int end;
            if (c == '\'') {
                end = skipString(statement, i, isEscapeString(statement, i));
                code.append("''");
            } else if (c == '"') {
                end = skipUntil(statement, i + 1, "\"");
                code.append(statement, i, end);
            } else if (c == '-' && next(statement, i) == '-') {
                end = skipUntil(statement, i + 2, "\n");
                code.append(' ');
            } else if (c == '/' && next(statement, i) == '*') {
                end = skipBlockComment(statement, i);
                code.append(' ');
            } else if (c == '$' && dollarTag(statement, i) != null) {
                end = skipUntil(statement, i + dollarTag(statement, i).length(), dollarTag(statement, i));
                code.append("$$ $$");
            } else {
                end = i + 1;
                code.append(Character.toLowerCase(c));
            }
            i = end;
        }
        return WHITESPACE.matcher(code).replaceAll(" ").strip();
    }

    /**
     * The script with {@code CONCURRENTLY} taken out of index statements, and the batch commits out of a generated
     * backfill, to run them inside a transaction.
     */
    public static String withoutConcurrently(String script) {
        return withoutConcurrently(script, false);
    }

    /** {@link #withoutConcurrently} for a session that reads backslashes as escapes when {@code backslashes}. */
    static String withoutConcurrently(String script, boolean backslashes) {
        List<String> statements = new ArrayList<>();
        for (String statement : split(script, backslashes)) {
            String code = COMMENT_LINE.matcher(statement).replaceAll("");
            String plain = CONCURRENTLY.matcher(code.strip()).replaceFirst("$1");
            statements.add(BACKFILL.matcher(plain).find() ? BATCH_COMMIT.matcher(plain).replaceAll("") : plain);
        }
        return String.join("\n", statements);
    }

    /** Whether a statement of {@link #split} is a psql command ({@code \connect}, pg_dump's {@code \restrict}). */
    static boolean isPsqlCommand(String statement) {
        return statement.startsWith("\\");
    }

    /**
     * Whether a statement is a {@code COPY ... FROM STDIN}, whose rows follow it in the script, as pg_dump writes them:
     * {@link #split} keeps them with it, up to and with the line {@code \.} that ends them.
     */
    public static boolean copiesFromStdin(String statement) {
        return statement.regionMatches(true, skipBlanks(statement, 0), "copy", 0, 4)
                && COPY_FROM_STDIN.matcher(code(commandOf(statement))).find();
    }

    /**
     * Where the rows that follow a {@code COPY ... FROM STDIN} ending at {@code from} end: after the line {@code \.},
     * or at the end of the script when no such line ends them (the statement is then refused before anything runs).
     */
    private static int rowsEnd(String script, int from) {
        int line = script.indexOf('\n', from);
        while (line >= 0) {
            int next = script.indexOf('\n', line + 1);
            int end = next < 0 ? script.length() : next;
            if (script.substring(line + 1, end).strip().equals("\\.")) {
                return end;
            }
            line = next;
        }
        return script.length();
    }

    /** A {@code COPY ... FROM STDIN} statement of {@link #split} without its rows: up to its semicolon. */
    static String commandOf(String statement) {
        int i = 0;
        while (i < statement.length() && statement.charAt(i) != ';') {
            i = skipToken(statement, i, false);
        }
        return statement.substring(0, Math.min(i + 1, statement.length()));
    }

    /**
     * The rows of a {@code COPY ... FROM STDIN} statement of {@link #split}: the lines after its command, without the
     * line {@code \.} that ends them; null when no such line ends them.
     */
    static String rowsOf(String statement) {
        String command = commandOf(statement);
        int first = statement.indexOf('\n', command.length());
        String rest = first < 0 ? "" : statement.substring(first + 1);
        int last = rest.lastIndexOf('\n');
        String end = last < 0 ? rest : rest.substring(last + 1);
        if (!end.strip().equals("\\.")) {
            return null;
        }
        return last < 0 ? "" : rest.substring(0, last + 1);
    }

    /**
     * Whether a statement changes how strings read backslashes ({@code SET standard_conforming_strings}): the driver
     * reads each statement of a batch before the server runs any, with the setting as it was, so such a file's
     * statements are sent one by one.
     */
    static boolean changesStringEscapes(String statement) {
        return CONFORMING_STRINGS.matcher(code(statement)).find();
    }

    /** Whether a statement is a {@code COPY ... TO STDOUT}, whose rows only psql (or a driver's copy API) takes. */
    static boolean copiesToStdout(String statement) {
        return COPY_TO_STDOUT.matcher(code(statement)).find();
    }

    /** Whether a statement begins or ends a transaction: BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT. */
    static boolean controlsTransaction(String statement) {
        return TRANSACTION_CONTROL.matcher(code(statement)).find();
    }

    /**
     * Whether PostgreSQL runs a statement only outside a transaction block: {@code CREATE INDEX CONCURRENTLY},
     * {@code DROP INDEX CONCURRENTLY}, {@code REINDEX ... CONCURRENTLY} (and of a schema, database or system),
     * {@code VACUUM}, {@code CREATE} and {@code DROP DATABASE} or {@code TABLESPACE}, {@code ALTER SYSTEM},
     * {@code ALTER DATABASE ... SET TABLESPACE}, {@code DETACH PARTITION ... CONCURRENTLY}, {@code CLUSTER} of every
     * table, {@code DISCARD ALL}, {@code COMMIT PREPARED}, {@code ROLLBACK PREPARED} and a {@code CREATE SUBSCRIPTION}
     * that creates its slot.
     */
    static boolean runsOutsideTransactionsOnly(String statement) {
        return OUTSIDE_TRANSACTION.matcher(code(statement)).find();
    }

    /**
     * The command of a statement that writes rows and would write them again if run twice ({@code INSERT} without
     * {@code ON CONFLICT}, {@code UPDATE}, {@code DELETE}, {@code MERGE}, {@code COPY ... FROM}, also inside a
     * {@code WITH}), upper-case; null for any other.
     */
    static String rowsWritten(String statement) {
        String form = code(statement);
        Matcher writes = WRITES_ROWS.matcher(form);
        if (!writes.find() || form.contains(" on conflict")
                || writes.group(1).equals("copy") && !form.contains(" from ")) {
            return null;
        }
        return writes.group(1).toUpperCase(Locale.ROOT);
    }

    /** Whether a statement opens a transaction block: BEGIN or START TRANSACTION. */
    static boolean beginsTransaction(String statement) {
        return TRANSACTION_START.matcher(code(statement)).find();
    }
}
