package dev.ashlar.kernel.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^\\s*--.*$\\n?");

    private SqlStatements() {
    }

    /** The statements of a script, trimmed, without empty ones or ones made only of comments. */
    public static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == '\'') {
                i = skipString(script, i, isEscapeString(script, i));
            } else if (c == '"') {
                i = skipUntil(script, i + 1, "\"");
            } else if (c == '-' && next(script, i) == '-') {
                i = skipUntil(script, i + 2, "\n");
            } else if (c == '/' && next(script, i) == '*') {
                i = skipBlockComment(script, i);
            } else if (c == '$' && dollarTag(script, i) != null) {
                String tag = dollarTag(script, i);
                i = skipUntil(script, i + tag.length(), tag);
            } else if (c == ';') {
                add(statements, script.substring(start, i + 1));
                start = ++i;
            } else {
                i++;
            }
        }
        add(statements, script.substring(start));
        return statements;
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
                i = skipBlockComment(sql, i);
            } else if (c == ';' || Character.isWhitespace(c)) {
                i++;
            } else {
                return true;
            }
        }
        return false;
    }

    private static char next(String s, int i) {
        return i + 1 < s.length() ? s.charAt(i + 1) : '\0';
    }

    private static boolean isEscapeString(String s, int quote) {
        return quote > 0 && (s.charAt(quote - 1) == 'E' || s.charAt(quote - 1) == 'e')
                && (quote == 1 || !Character.isLetterOrDigit(s.charAt(quote - 2)) && s.charAt(quote - 2) != '_');
    }

    /** Index after the closing quote; {@code ''} is an escaped quote, and in E'' strings so is {@code \'}. */
    private static int skipString(String s, int quote, boolean backslashEscapes) {
        int i = quote + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (next(s, i) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return i;
    }

    private static int skipUntil(String s, int from, String end) {
        int found = s.indexOf(end, from);
        return found < 0 ? s.length() : found + end.length();
    }

    private static int skipBlockComment(String s, int start) {
        int depth = 0;
        int i = start;
        while (i < s.length()) {
            if (s.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (s.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return i;
    }

    /** The dollar-quote tag starting at {@code i} ({@code $$} or {@code $name$}), or null if none starts there. */
    private static String dollarTag(String s, int i) {
        if (i > 0 && (Character.isLetterOrDigit(s.charAt(i - 1)) || s.charAt(i - 1) == '_')) {
            return null;
        }
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            if (j == i + 1 && Character.isDigit(s.charAt(j))) {
                return null;
            }
            j++;
        }
        return j < s.length() && s.charAt(j) == '$' ? s.substring(i, j + 1) : null;
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

    /** The script with {@code CONCURRENTLY} taken out of index statements, to run them inside a transaction. */
    public static String withoutConcurrently(String script) {
        List<String> statements = new ArrayList<>();
        for (String statement : split(script)) {
            String code = COMMENT_LINE.matcher(statement).replaceAll("");
            statements.add(CONCURRENTLY.matcher(code.strip()).replaceFirst("$1"));
        }
        return String.join("\n", statements);
    }
}
