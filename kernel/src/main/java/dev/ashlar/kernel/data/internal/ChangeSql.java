package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL written by hand for the changes of one write ({@code Atomic.sql}, a typed {@code setSql}, an upsert's {@code
 * set}), by field, so that a statement the server cannot run because of one of them (a column, function or table it
 * lacks, a syntax error at a word) is reported on that field instead of as the whole statement's failure.
 */
final class ChangeSql {
    /** Undefined column, undefined function, syntax error, undefined table: what SQL written by hand gets wrong. */
    private static final Set<String> NOT_RUNNABLE = Set.of("42703", "42883", "42601", "42P01");
    /** The names a server message quotes: {@code column "x"}, {@code at or near "x"}, {@code function x(integer)}. */
    private static final Pattern NAMED = Pattern.compile("\"([^\"]+)\"|function ([^(\\s]+)\\(");
    private static final Pattern OPERATOR_CHARS = Pattern.compile("[-+*/<>=~!@#%^&|`?]+");
    /** The operator of {@code operator does not exist: integer + character varying}, between its operands' types. */
    private static final Pattern OPERATOR = Pattern.compile("operator does not exist: (?:.*?\\s)?("
            + OPERATOR_CHARS.pattern() + ")\\s");

    private final Map<String, List<String>> sqlByField = new LinkedHashMap<>();

    /** Adds the change given for a field, when it is SQL written by hand. */
    ChangeSql with(String field, Object change) {
        if (change instanceof Atomic atomic && atomic.expression() && atomic.amount() instanceof Filter.Sql sql) {
            sqlByField.computeIfAbsent(field, f -> new ArrayList<>()).add(sql.sql());
        }
        return this;
    }

    /**
     * The failure, named on the one field whose SQL holds the word the server's message quotes; the failure as it is
     * when no change's SQL, or more than one field's, holds it (the SQL of a filter, say).
     */
    AshlarException blamed(DatabaseException failure, String resource, String action) {
        String state = failure.sqlState().orElse("");
        if (!NOT_RUNNABLE.contains(state) || sqlByField.isEmpty()) {
            return failure;
        }
        String reason = failure.getCause() == null ? failure.getMessage() : failure.getCause().getMessage();
        List<String> words = words(reason);
        Matcher operator = OPERATOR.matcher(reason == null ? "" : reason);
        if (operator.find()) {
            words.add(operator.group(1));
        }
        List<String> fields = sqlByField.entrySet().stream()
                .filter(entry -> entry.getValue().stream().anyMatch(sql -> holdsAny(sql, words)))
                .map(Map.Entry::getKey).toList();
        if (fields.size() != 1) {
            return failure;
        }
        String field = fields.get(0);
        String sql = sqlByField.get(field).stream().filter(s -> holdsAny(s, words)).findFirst().orElseThrow();
        // SQL in a message is cut to a readable length; the server's sentence names what is wrong in it.
        String shown = sql.length() > 60 ? sql.substring(0, 57) + "..." : sql;
        return QueryException.fromServer(resource, field, "Cannot " + action + " " + resource + ": the SQL that "
                + "computes " + field + " (Atomic.sql(\"" + shown + "\")) cannot run: " + serverMessage(failure)
                + ". " + fix(state) + " [SQL state " + state + "]", state, failure);
    }

    private static String fix(String state) {
        return switch (state) {
            case "42883" -> "Fix that SQL: it may call only the functions and operators the database has for its "
                    + "values' types, and a value bound to ? has its Java type (a String is varchar): give a value of "
                    + "the type the SQL wants, or cast it, e.g. ?::integer";
            case "42601" -> "Fix the syntax of that SQL";
            default -> "Fix that SQL: it may name only the columns and tables the database has";
        };
    }

    /** The names the server's message quotes, each with a letter, digit or underscore (not {@code ")"}). */
    private static List<String> words(String message) {
        List<String> words = new ArrayList<>();
        Matcher named = NAMED.matcher(message == null ? "" : message);
        while (named.find()) {
            String word = named.group(1) != null ? named.group(1) : named.group(2);
            if (word.chars().anyMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
                words.add(word);
            }
        }
        return words;
    }

    /** Whether the SQL holds one of the words as a whole word ({@code ratin} is not in {@code rating}), or the operator. */
    private static boolean holdsAny(String sql, List<String> words) {
        return words.stream().anyMatch(word -> OPERATOR_CHARS.matcher(word).matches() ? sql.contains(word)
                : sql.contains("\"" + word + "\"") || Pattern.compile("(?<![\\w\"])" + Pattern.quote(word)
                        + "(?![\\w\"])", Pattern.CASE_INSENSITIVE).matcher(sql).find());
    }

    /** The server's own sentence, without the statement's prefix and state that the failure's message adds. */
    private static String serverMessage(DatabaseException failure) {
        String message = failure.getMessage();
        int start = message.indexOf(": ");
        int end = message.lastIndexOf(" [SQL state ");
        return start < 0 || end <= start ? message : message.substring(start + 2, end);
    }
}
