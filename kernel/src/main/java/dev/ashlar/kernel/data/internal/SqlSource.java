package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.AggregateRules;
import dev.ashlar.api.internal.SqlTokens;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A statement written by hand that a read of a resource takes its rows from in place of the resource's table (Ebean's
 * {@code RawSql}): {@code FROM (<statement>) AS "<table>"}, its marks bound as {@code Filter.sql} binds them, and
 * the read's tenant scope, base filter, policy, filters, sorts and pages applied to its rows as to the table's. The
 * alias is the table's own name, so SQL written by hand over the row ({@code posts.id}) still names it.
 *
 * @param resource  the resource read
 * @param statement the statement and its values
 * @param alias     the name the read's SQL gives the statement's rows
 */
record SqlSource(String resource, Filter.Sql statement, String alias) {

    /**
     * The statement a read of the resource reads from, checked: one {@code SELECT} or {@code WITH} statement that stays
     * inside the parentheses it is written into, a value for each mark.
     *
     * @throws QueryException naming the resource, what is wrong and the fix
     */
    static SqlSource of(ResourcePlan plan, String sql, Object[] values) {
        String resource = plan.name();
        if (sql == null || sql.isBlank()) {
            throw QueryException.of(resource, null, "from(...) on a read of " + resource + " was given no statement: "
                    + "give one SELECT (or WITH ... SELECT) statement returning " + resource + "'s columns, e.g. "
                    + "from(\"SELECT * FROM " + plan.resource().table() + " WHERE ...\")");
        }
        String call = "from(\"" + shown(sql) + "\", ...) on a read of " + resource;
        String first = firstWord(sql);
        if (!first.equals("select") && !first.equals("with")) {
            throw QueryException.of(resource, null, call + " is refused: a read takes its rows from one SELECT (or "
                    + "WITH ... SELECT) statement, and this one begins with '" + first + "'; write through the data "
                    + "API (updateAll, destroyAll) or run the statement with ashlar.sql(...)");
        }
        String outside = AggregateRules.outside(sql, "the statement before the read's own conditions");
        if (outside != null) {
            throw QueryException.of(resource, null, call + " is refused: the statement " + outside + ". Give one "
                    + "statement, without a ';', whose parentheses and quotes close");
        }
        String lock = lockClause(sql);
        if (lock != null) {
            String key = firstKey(plan);
            throw QueryException.of(resource, null, call + " is refused: the statement locks its rows (" + lock
                    + "), and a read from a statement does not lock, as its rows need not be rows of " + resource
                    + "'s table. Remove " + lock + ", read the keys from the statement (values(\"" + key + "\", ...)) "
                    + "and lock them on a read of the table in a transaction, ashlar.read(\"" + resource
                    + "\").where(in(\"" + key + "\", keys)).lock(Lock.FOR_UPDATE)");
        }
        Filter.Sql statement;
        try {
            statement = new Filter.Sql(sql, values == null ? List.of() : java.util.Arrays.asList(values));
        } catch (QueryException e) {
            throw QueryException.of(resource, null, call + ": " + e.getMessage(), e);
        }
        return new SqlSource(resource, statement, Identifiers.quote(plan.resource().table()));
    }

    /**
     * The refusal of a write or lock through a read from a statement: its rows are the statement's, which need not be
     * rows of the table.
     *
     * @param action what was asked, as the message names it
     */
    static QueryException refusedWrite(ResourcePlan plan, String action) {
        String resource = plan.name();
        String key = firstKey(plan);
        return QueryException.of(resource, null, action + " on a read of " + resource + " from a statement (from(...)) "
                + "is refused: its rows are the statement's, which need not be rows of " + resource + "'s table. Read "
                + "their keys from it (values(\"" + key + "\", ...)), then do this on a read of the table, "
                + "ashlar.read(\"" + resource + "\").where(in(\"" + key + "\", keys))");
    }

    /**
     * The query of the table's rows whose keys are those of the rows read from the statement, in the read's tenant,
     * schema and selection; none of the read's conditions, which were applied to the statement's rows.
     */
    static Query tableRows(ResourcePlan plan, Query read, List<Row> rows) {
        List<String> key = keyNames(plan);
        List<List<Object>> keys = rows.stream().map(row -> key.stream().map(row::get).toList()).toList();
        return Query.of(read.resource()).withTenant(read.tenant()).withSchema(read.schema())
                .withSelect(read.select().stream().filter(plan::hasAttribute).toList())
                .withFilter(Filter.rowIn(key, keys));
    }

    /** The name of the resource's (first) key column, as a message's example names it. */
    private static String firstKey(ResourcePlan plan) {
        return plan.primaryKey().isEmpty() ? "id" : plan.primaryKey().get(0).name();
    }

    /** The names of the resource's primary key, by which a write over a statement's rows finds the table's. */
    static List<String> keyNames(ResourcePlan plan) {
        return plan.primaryKey().stream().map(ColumnPlan::name).toList();
    }

    /** The first word of the statement, past white space, comments and opening parentheses, in lower case. */
    static String firstWord(String sql) {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int next = SqlTokens.skipToken(sql, i, false);
            if (Character.isLetter(c)) {
                int end = i;
                while (end < sql.length() && Character.isLetterOrDigit(sql.charAt(end))) {
                    end++;
                }
                return sql.substring(i, end).toLowerCase(Locale.ROOT);
            }
            if (!Character.isWhitespace(c) && c != '(' && next == i + 1) {
                return String.valueOf(c);
            }
            i = next;
        }
        return "";
    }

    /**
     * The locking clause ({@code FOR UPDATE}, {@code FOR NO KEY UPDATE}, {@code FOR SHARE}, {@code FOR KEY SHARE}) at
     * the statement's top level, upper case, or null. Words in strings, quoted names, comments and parentheses (a
     * sub-select, {@code substring(s FOR 2)}) are not the statement's.
     */
    static String lockClause(String sql) {
        List<String> words = new ArrayList<>();
        int depth = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_'
                        || sql.charAt(end) == '$')) {
                    end++;
                }
                if (end < sql.length() && sql.charAt(end) == '\'') {
                    end = SqlTokens.skipToken(sql, end, false); // E'...', B'...' is a string, not a word
                } else if (depth == 0) {
                    words.add(sql.substring(i, end).toUpperCase(Locale.ROOT));
                }
                i = end;
                continue;
            }
            int next = SqlTokens.skipToken(sql, i, false);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0 && next == i + 1 && !Character.isWhitespace(c) && c != ')') {
                words.add(String.valueOf(c));
            }
            i = next;
        }
        for (int w = 0; w + 1 < words.size(); w++) {
            if (words.get(w).equals("FOR")) {
                List<String> rest = words.subList(w + 1, Math.min(words.size(), w + 4));
                for (String clause : List.of("NO KEY UPDATE", "KEY SHARE", "UPDATE", "SHARE")) {
                    List<String> wanted = List.of(clause.split(" "));
                    if (rest.size() >= wanted.size() && rest.subList(0, wanted.size()).equals(wanted)) {
                        return "FOR " + clause;
                    }
                }
            }
        }
        return null;
    }

    private static String shown(String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        return flat.length() <= 60 ? flat : flat.substring(0, 57) + "...";
    }

    /** Writes {@code (<statement>) AS "<table>"}, binding the statement's values, where the read names its table. */
    void from(FilterRenderer filters) {
        filters.sql(statement);
        filters.out().append(" AS ").append(alias);
    }

    /**
     * Refuses a read whose statement does not return every column the read needs: those it selects, and those its
     * conditions name (the tenant column, the base filter's, a policy's, the caller's) and its sorts. The statement is
     * described, not run ({@code PreparedStatement.getMetaData}), on the read's connection and so in its search path.
     *
     * @throws QueryException naming the resource, the missing columns and the fix
     */
    void check(Connection connection, ResourcePlan plan, Query query) throws SQLException {
        Set<String> returned = new HashSet<>();
        Set<String> twice = new HashSet<>();
        for (String label : described(connection, plan)) {
            if (!returned.add(label)) {
                twice.add(label);
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> ambiguous = new ArrayList<>();
        for (ColumnPlan column : needed(plan, query)) {
            String name = column.attribute().columnName();
            if (!returned.contains(name)) {
                missing.add(name);
            } else if (twice.contains(name)) {
                ambiguous.add(name);
            }
        }
        if (!ambiguous.isEmpty()) {
            // The server would refuse the read's own reference to it: column reference "id" is ambiguous.
            throw needs(ambiguous, "which the statement returns more than once (a join's SELECT o.*, c.*): return "
                    + "each once, e.g. SELECT o.*, c.name AS customer_name");
        }
        if (!missing.isEmpty()) {
            throw needs(missing, "which the statement does not return (it returns " + new java.util.TreeSet<>(returned)
                    + "): select them in the statement, named as " + resource + "'s table names them (e.g. SELECT "
                    + "o.* or o.org_id), or select(...) fewer fields on the read");
        }
    }

    /** The names of the columns the statement returns, in order, read from the server's description of it. */
    private List<String> described(Connection connection, ResourcePlan plan) throws SQLException {
        SqlWriter out = SqlWriter.rendering();
        new FilterRenderer(plan, out, null, "").sql(statement);
        List<String> labels = new ArrayList<>();
        try (PreparedStatement described = connection.prepareStatement("SELECT * FROM " + out.sql() + " AS "
                + alias)) {
            Bind.bindAll(described, out.binds());
            ResultSetMetaData columns = described.getMetaData();
            for (int i = 1; i <= columns.getColumnCount(); i++) {
                labels.add(columns.getColumnLabel(i));
            }
        }
        return labels;
    }

    private QueryException needs(List<String> columns, String why) {
        return QueryException.of(resource, null, "A read of " + resource + " from the statement \""
                + shown(statement.sql()) + "\" needs the column(s) " + columns + ", " + why);
    }

    /** The columns the read's SQL names over the statement's rows. */
    private static Set<ColumnPlan> needed(ResourcePlan plan, Query query) {
        Set<ColumnPlan> needed = new LinkedHashSet<>();
        for (ColumnPlan column : plan.columns()) {
            if (query.select().isEmpty() || column.attribute().primaryKey() || column == plan.version()
                    || query.select().contains(column.name())) {
                needed.add(column);
            }
        }
        List<String> named = new ArrayList<>();
        FilterPaths.fields(query.filter(), named::add);
        query.sorts().stream().filter(sort -> !sort.byExpression() && !sort.count()).map(Sort::field)
                .forEach(named::add);
        named.addAll(query.distinct());
        for (String field : named) {
            if (plan.hasAttribute(field)) {
                needed.add(plan.column(field));
            }
        }
        return needed;
    }
}
