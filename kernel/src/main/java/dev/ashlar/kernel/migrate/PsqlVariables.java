package dev.ashlar.kernel.migrate;

import org.postgresql.util.ServerErrorMessage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to do when a statement fails at a psql variable ({@code :name}, {@code :'name'}, {@code :"name"}, set by psql's
 * {@code \set}): only psql replaces it, so the server meets a colon it cannot read and reports a syntax error there.
 */
final class PsqlVariables {
    private static final Pattern VARIABLE = Pattern.compile(":(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\\1");

    private PsqlVariables() {
    }

    /** The fix, on a line of its own, when the server's syntax error is at a psql variable; empty otherwise. */
    static String hint(ServerErrorMessage server, String statement) {
        if (server == null || !"42601".equals(server.getSQLState()) || server.getPosition() < 1
                || server.getPosition() > statement.codePointCount(0, statement.length())) {
            return "";
        }
        // PostgreSQL counts the position in characters, not in a Java string's UTF-16 units.
        int at = statement.offsetByCodePoints(0, server.getPosition() - 1);
        Matcher variable = VARIABLE.matcher(statement).region(at, statement.length());
        if (!variable.lookingAt()) {
            return "";
        }
        String name = variable.group(2);
        return "\n" + variable.group() + " is a psql variable, which only psql replaces (Ashlar refuses \\set too): "
                + "write a placeholder, " + (variable.group(1).equals("'") ? "'${" + name + "}'" : "${" + name + "}")
                + ", and give it a value (Project.placeholders, --placeholder " + name + "=value).";
    }
}
