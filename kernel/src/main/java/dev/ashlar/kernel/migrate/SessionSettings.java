package dev.ashlar.kernel.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The session settings a migration file changes for the rest of its session ({@code SET ROLE}, {@code SET
 * search_path}, {@code SET SESSION AUTHORIZATION}, {@code RESET name}), saved before the file runs and given back
 * before its history row is written: the history is written as the migrator's own user, the next file starts
 * where this one started, and a pooled connection goes back to the pool as it came. {@code SET LOCAL} ends with
 * the transaction and needs nothing. {@code RESET ALL} resets every setting to the session's defaults, and the
 * role and session user not at all: it is left as it is but for the run's deployment id ({@link Deployment#SETTING}),
 * which the file's history row and the next files' carry. {@code DISCARD ALL} is {@code RESET ALL} and {@code SET
 * SESSION AUTHORIZATION DEFAULT} together, so the user and role are given back too.
 */
record SessionSettings(List<String> names, List<String> values, List<String> sessionValues) {
    /**
     * What a Java migration's settings are saved as, whose SQL cannot be read: the user, the role and the search
     * path, which the history row and the next migration depend on ({@code Connection.setSchema} sets the path too),
     * and the lock and statement timeouts, which a pooled connection would otherwise keep (see {@link #java}).
     */
    private static final List<String> JAVA = List.of("session_authorization", "role", "search_path", "lock_timeout",
            "statement_timeout");

    /** The settings saved for a Java migration: {@link #JAVA}. */
    static List<String> java() {
        return JAVA;
    }

    /**
     * The custom setting under which a transaction Ashlar begins records, with {@code SET LOCAL}, the session's value
     * of a setting it is about to bound for the transaction alone (a group's timeouts): PostgreSQL shows a {@code SET
     * LOCAL}'s value and never the session's beneath it, which a migration's session {@code SET} would otherwise
     * replace for good ({@link #saveWithin}). The value is prefixed with {@code =}, as an empty one is a search path's.
     */
    static String recorded(String name) {
        return "ashlar.session_" + name;
    }

    /**
     * A {@code SELECT} list item recording the session's current value of {@code name} for the transaction
     * ({@link #recorded}); placed before the items that bound the setting, which PostgreSQL evaluates after it.
     */
    static String recordSql(String name) {
        return "set_config('" + recorded(name) + "', '=' || current_setting('" + name + "'), true)";
    }

    /** On a statement's {@link SqlStatements#code}, which keeps its semicolon: what follows SET or RESET. */
    private static final Pattern SET = Pattern.compile("^(?:set (?:session )?|reset )(.+?) ?;?$");
    private static final Pattern NAME = Pattern.compile("^(\"[^\"]+\"|[a-z_][a-z0-9_$.]*)");
    private static final Pattern DISCARD_ALL = Pattern.compile("^discard all ?;?$");

    /** The settings these statements change for the session, in the order to give them back; empty for none. */
    static List<String> changedBy(List<String> statements) {
        Set<String> names = new LinkedHashSet<>();
        for (String statement : statements) {
            Matcher set = SET.matcher(SqlStatements.code(statement));
            if (set.find()) {
                names.addAll(names(set.group(1)));
            } else if (DISCARD_ALL.matcher(SqlStatements.code(statement)).find()) {
                names.addAll(List.of("session_authorization", "role", Deployment.SETTING));
            }
        }
        // A new session user resets the role, so the user is given back first.
        List<String> ordered = new ArrayList<>(names);
        if (ordered.remove("session_authorization")) {
            ordered.add(0, "session_authorization");
        }
        return ordered;
    }

    /** The settings a {@code SET}/{@code RESET} names, from what follows the command's keywords. */
    private static List<String> names(String rest) {
        if (rest.startsWith("local ") || rest.startsWith("constraints ") || rest.startsWith("transaction ")) {
            return List.of();
        }
        if (rest.equals("all")) {
            return List.of(Deployment.SETTING);
        }
        if (rest.startsWith("authorization ") || rest.startsWith("session authorization")) {
            return List.of("session_authorization", "role");
        }
        if (rest.startsWith("characteristics as transaction")) {
            return List.of("default_transaction_isolation", "default_transaction_read_only",
                    "default_transaction_deferrable");
        }
        if (rest.startsWith("time zone")) {
            return List.of("timezone");
        }
        if (rest.startsWith("schema ")) {
            return List.of("search_path");
        }
        if (rest.startsWith("names ")) {
            return List.of("client_encoding");
        }
        if (rest.startsWith("xml option")) {
            return List.of("xmloption");
        }
        Matcher name = NAME.matcher(rest);
        return name.find() ? List.of(name.group(1).replace("\"", "")) : List.of();
    }

    /** The current values of these settings, in one round trip; null when there are none. */
    static SessionSettings save(Connection connection, List<String> names) throws SQLException {
        if (names.isEmpty()) {
            return null;
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < names.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("current_setting(?, true)");
        }
        List<String> values = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < names.size(); i++) {
                query.setString(i + 1, names.get(i));
            }
            try (ResultSet row = query.executeQuery()) {
                row.next();
                for (int i = 0; i < names.size(); i++) {
                    values.add(row.getString(i + 1));
                }
            }
        }
        return new SessionSettings(names, values, null);
    }

    /**
     * The current values of these settings inside a caller's transaction, with the values the session takes back
     * when it commits: the one recorded when Ashlar began it ({@link #recorded}), or else null, the current one
     * being the session's unless the caller bounded it with {@code SET LOCAL} (PostgreSQL cannot tell). One round
     * trip; null when there are none.
     */
    static SessionSettings saveWithin(Connection connection, List<String> names) throws SQLException {
        if (names.isEmpty()) {
            return null;
        }
        List<String> read = new ArrayList<>(names);
        names.forEach(name -> read.add(recorded(name)));
        SessionSettings both = save(connection, read);
        List<String> values = both.values().subList(0, names.size());
        List<String> session = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String recorded = both.values().get(names.size() + i);
            session.add(recorded == null || recorded.isEmpty() ? null : recorded.substring(1));
        }
        return new SessionSettings(names, List.copyOf(values), session);
    }

    /**
     * Gives the saved values back, for the session, in one round trip; a setting that did not exist before (a
     * custom one the file made) is emptied, as PostgreSQL cannot remove it. Inside a caller's transaction
     * ({@link #saveWithin}) each is given back as {@link #givenBack} says.
     */
    void restore(Connection connection) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        List<String> binds = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String value = values.get(i) == null ? "" : values.get(i);
            sql.append(i == 0 ? "" : ", ");
            if (sessionValues == null) {
                sql.append("set_config(?, ?, false)");
                binds.addAll(List.of(name, value));
            } else {
                givenBack(sql, binds, name, values.get(i), sessionValues.get(i));
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < binds.size(); i++) {
                statement.setString(i + 1, binds.get(i));
            }
            statement.execute();
        }
    }

    /**
     * One setting given back inside a caller's transaction. Where Ashlar began the transaction and recorded the
     * session's value ({@link #recorded}), that value is given back for the session whether or not the migration
     * changed the setting: a session {@code SET} to the very value the transaction bounds it with cannot be told from
     * none, and would otherwise stay on the connection after the commit. The transaction's bound is then set again,
     * with {@code SET LOCAL}'s scope, for the rest of it. A setting without a recorded value (a caller's own
     * transaction, where a {@code SET LOCAL} cannot be told from the session's value) is given back only if the
     * migration changed it: one it left alone keeps what the transaction and the session beneath it hold, a caller's
     * {@code SET LOCAL} included, which given back for the session would outlive the commit. A rollback gives back
     * what the session had before either. {@code ||} evaluates its operands in order.
     *
     * @param recorded the session's value recorded for the transaction, or null when there is none
     */
    private static void givenBack(StringBuilder sql, List<String> binds, String name, String value, String recorded) {
        String current = value == null ? "" : value;
        if (recorded != null) {
            sql.append("set_config(?, ?, false) || set_config(?, ?, true)");
            binds.addAll(List.of(name, recorded, name, current));
            return;
        }
        sql.append("CASE WHEN current_setting(?, true) IS DISTINCT FROM ? THEN set_config(?, ?, false) END");
        binds.addAll(Arrays.asList(name, value, name, current));
    }
}
