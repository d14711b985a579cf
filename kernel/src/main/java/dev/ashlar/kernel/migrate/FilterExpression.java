package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Liquibase context or label expression over names: {@code test}, {@code test, dev} (either), {@code test or dev},
 * {@code billing and !eu}, {@code not (eu or us)}. {@code !} and {@code not} bind tightest, then {@code and}, then
 * {@code or} and {@code ,}; names are letters, digits, {@code _}, {@code .} and {@code -}, compared without case, as
 * Liquibase compares them.
 *
 * <p>Against no names at all (a run given no contexts, a file with no labels) every expression holds, as in Liquibase,
 * except where a name is marked required with {@code @}: {@code @seed} holds only when {@code seed} is given, so a
 * file with {@code -- context: @seed} is left out of a run without contexts. Negations hold there ({@code !@prod}
 * too), and against names {@code @} changes nothing (Liquibase's {@code ExpressionMatcher}).
 */
final class FilterExpression {
    private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|,|!|@|[A-Za-z0-9_.-]+)");

    private final List<String> tokens;
    private final Set<String> names;
    private int at;

    private FilterExpression(List<String> tokens, Set<String> names) {
        this.tokens = tokens;
        this.names = names;
    }

    /**
     * Whether the expression holds for these names (lower case).
     *
     * @throws MigrationException naming {@code where} and what is malformed: an unknown character, a missing name or
     *                            parenthesis
     */
    static boolean matches(String expression, Set<String> names, String where) {
        List<String> tokens = tokens(expression, where);
        FilterExpression parser = new FilterExpression(tokens, names);
        boolean result = parser.or(where, expression);
        if (parser.at < tokens.size()) {
            throw malformed(where, expression, "'" + tokens.get(parser.at) + "' where an operator or the end belongs");
        }
        return result;
    }

    /** Checks an expression's form, whatever the names. */
    static void check(String expression, String where) {
        matches(expression, Set.of(), where);
    }

    private static List<String> tokens(String expression, String where) {
        List<String> tokens = new ArrayList<>();
        Matcher token = TOKEN.matcher(expression);
        int end = 0;
        while (token.find() && token.start() == end) {
            tokens.add(token.group(1).toLowerCase(Locale.ROOT));
            end = token.end();
        }
        if (!expression.substring(end).isBlank()) {
            throw malformed(where, expression, "'" + expression.substring(end).strip() + "', which is no name, "
                    + "operator or parenthesis");
        }
        return tokens;
    }

    private boolean or(String where, String expression) {
        boolean result = and(where, expression);
        while (at < tokens.size() && (tokens.get(at).equals("or") || tokens.get(at).equals(","))) {
            at++;
            result |= and(where, expression);
        }
        return result;
    }

    private boolean and(String where, String expression) {
        boolean result = unary(where, expression);
        while (at < tokens.size() && tokens.get(at).equals("and")) {
            at++;
            result &= unary(where, expression);
        }
        return result;
    }

    private boolean unary(String where, String expression) {
        if (at >= tokens.size()) {
            throw malformed(where, expression, "its end, where a name belongs");
        }
        String token = tokens.get(at++);
        if (token.equals("!") || token.equals("not")) {
            boolean negated = !unary(where, expression);
            return names.isEmpty() || negated;
        }
        if (token.equals("@")) {
            if (at >= tokens.size() || tokens.get(at).equals("(") || tokens.get(at).equals("@")) {
                throw malformed(where, expression, "an '@' that no name follows");
            }
            boolean required = !tokens.get(at).equals("!") && !tokens.get(at).equals("not");
            boolean inner = unary(where, expression);
            return names.isEmpty() ? !required : inner;
        }
        if (token.equals("(")) {
            boolean inner = or(where, expression);
            if (at >= tokens.size() || !tokens.get(at).equals(")")) {
                throw malformed(where, expression, "a '(' that no ')' closes");
            }
            at++;
            return inner;
        }
        if (token.equals(")") || token.equals(",") || token.equals("and") || token.equals("or")) {
            throw malformed(where, expression, "'" + token + "' where a name belongs");
        }
        return names.isEmpty() || names.contains(token);
    }

    private static MigrationException malformed(String where, String expression, String problem) {
        return new MigrationException(ErrorCode.MIGRATION, where + " '" + expression + "' holds " + problem + ". Write "
                + "names joined by 'and', 'or' (or ','), with '!' or 'not', '@' before a name that must be given, and "
                + "parentheses, e.g. 'test, dev', 'billing and !eu' or '@seed'. Nothing was applied.", null);
    }
}
