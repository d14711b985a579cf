package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.NamedMarks;
import dev.ashlar.api.internal.WriteStatementsCheck;
import dev.ashlar.api.resource.WriteStatements;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements a resource's writes run in place of the data layer's own ({@code createSql}, {@code updateSql},
 * {@code destroySql}; Hibernate's {@code @SQLInsert}, {@code @SQLUpdate}, {@code @SQLDelete}), each rendered once
 * with a {@code ?} for each {@code :name} mark and bound with the codec of the attribute the mark names. Each must
 * change exactly one row (Hibernate's {@code ResultCheckStyle.COUNT}); one that does not is undone to a savepoint
 * and refused, so that a caller's transaction does not keep half of it.
 */
final class CustomStatements {
    /** One statement: the option that set it, its SQL as written and as sent, and the column of each mark. */
    record Statement(String option, String source, String sql, List<ColumnPlan> marks, boolean returning) {
    }

    /** What a statement did: how many rows it changed, and the key the first row it returned holds (or null). */
    record Ran(int count, Map<String, Object> returnedKey) {
    }

    private final ResourcePlan plan;
    /** The parent of a resource whose statements write two tables ({@link JoinedStatements}), or null. */
    private final String joined;
    private final Statement create;
    private final Statement update;
    private final Statement destroy;
    /** A joined soft-deleting resource's destroy under {@code permanently()}, which deletes its rows; or null. */
    private final Statement purge;
    /** A joined resource's updates, by the tables they write. */
    private final Map<Integer, Statement> updates = new ConcurrentHashMap<>();

    private CustomStatements(ResourcePlan plan, WriteStatements statements) {
        this.plan = plan;
        this.joined = plan.joined() ? plan.resource().tableOptions().extending().parent() : null;
        this.create = statement(plan, option("createSql"), statements.create());
        this.update = statement(plan, option("updateSql"), statements.update());
        this.destroy = statement(plan, option("destroySql"), statements.destroy());
        this.purge = joined == null ? null : statement(plan, option("destroySql"), JoinedStatements.purge(plan));
    }

    /** How messages name the statement: the option that set it, or the extending(...) whose statement it is. */
    private String option(String own) {
        return joined == null ? own : "extending(\"" + joined + "\")";
    }

    /**
     * The resource's statements, or null when its writes are the data layer's own.
     *
     * @throws DefinitionException when the create statement leaves out a tenant column's mark, whose value is the
     *                             handle's tenant
     */
    static CustomStatements of(ResourcePlan plan) {
        WriteStatements statements = plan.joined() ? JoinedStatements.of(plan)
                : plan.resource().tableOptions().writeStatements();
        if (statements == null) {
            return null;
        }
        CustomStatements custom = new CustomStatements(plan, statements);
        if (custom.create != null) {
            for (ColumnPlan tenant : plan.tenantColumns()) {
                if (!custom.create.marks.contains(tenant)) {
                    throw DefinitionException.of(plan.name(), tenant.name(), "createSql(...) of resource '"
                            + plan.name() + "' does not bind its tenant attribute: write the mark :" + tenant.name()
                            + " where the statement stores it, which always takes the handle's tenant");
                }
            }
        }
        return custom;
    }

    private static Statement statement(ResourcePlan plan, String option, String source) {
        if (source == null) {
            return null;
        }
        List<NamedMarks.Mark> marks = NamedMarks.of(source);
        return new Statement(option, source, NamedMarks.positional(source, marks), marks.stream()
                .map(mark -> plan.column(mark.name())).toList(), WriteStatementsCheck.returns(source));
    }

    Statement create() {
        return create;
    }

    Statement update() {
        return update;
    }

    /**
     * The update statement of a change of these fields: for a joined resource, the one writing only the tables that
     * store them ({@link JoinedStatements#tablesWritten}), built once for each set of tables.
     */
    Statement update(Collection<String> changed) {
        if (joined == null) {
            return update;
        }
        return updates.computeIfAbsent(JoinedStatements.tablesWritten(plan, changed),
                tables -> statement(plan, option("updateSql"), JoinedStatements.update(plan, tables)));
    }

    /** The destroy statement; for a joined soft-deleting resource under {@code permanently()}, the one that deletes. */
    Statement destroy() {
        return purge != null && Acting.destroysPermanently() ? purge : destroy;
    }

    /**
     * Refuses a write the statement cannot stand in for (by query, of many records in one statement, an upsert).
     *
     * @param statement the statement the write would bypass, or null when the resource has none of its kind
     * @param write     what was asked, e.g. {@code "updateAll by query"}
     * @param instead   what to do instead
     */
    void refuse(Statement statement, String write, String instead) {
        if (statement != null && joined != null) {
            throw QueryException.of(plan.name(), null, "Resource '" + plan.name() + "' extends '" + joined + "', its "
                    + "records stored across " + tables() + ", which a " + write + " cannot write yet: " + instead);
        }
        if (statement != null) {
            throw QueryException.of(plan.name(), null, "Resource '" + plan.name() + "' writes with its own "
                    + statement.option + "(...), which a " + write + " cannot run: " + instead);
        }
    }

    /** The tables of a joined resource's chain, for a message: {@code 'animals', 'mammals' and 'dogs'}. */
    private String tables() {
        List<String> tables = new ArrayList<>();
        plan.resource().tableOptions().extending().ancestors().forEach(a -> tables.add("'" + a.table() + "'"));
        return String.join(", ", tables) + " and '" + plan.resource().table() + "'";
    }

    /**
     * Runs a statement with its marks bound to the values as stored (by attribute), within a savepoint that a wrong
     * count rolls back.
     *
     * @throws DatabaseException naming the resource, the statement and the count, when it changed other than one row
     */
    Ran run(Connection connection, Statement statement, Map<String, Object> stored) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        Ran ran;
        try (PreparedStatement sent = connection.prepareStatement(statement.sql)) {
            StatementTimeout.apply(sent);
            bind(sent, statement, stored);
            ran = sent.execute() ? returned(sent, statement) : new Ran(sent.getUpdateCount(), null);
        }
        checkCount(connection, savepoint, statement, ran.count, "");
        connection.releaseSavepoint(savepoint);
        return ran;
    }

    /**
     * Runs a statement once for each record, all in one savepoint: as one JDBC batch when it returns no rows, else one
     * after another.
     *
     * @return the key each run returned, in order; null when the statement returns none
     * @throws DatabaseException naming the resource, the statement, the record and the count, when one run changed
     *                           other than one row; nothing of any run is kept
     */
    List<Map<String, Object>> runEach(Connection connection, Statement statement, List<Map<String, Object>> records)
            throws SQLException {
        if (statement.returning) {
            List<Map<String, Object>> keys = new ArrayList<>(records.size());
            for (Map<String, Object> record : records) {
                keys.add(run(connection, statement, record).returnedKey());
            }
            return keys;
        }
        Savepoint savepoint = connection.setSavepoint();
        int[] counts;
        try (PreparedStatement sent = connection.prepareStatement(statement.sql)) {
            StatementTimeout.apply(sent);
            for (Map<String, Object> record : records) {
                bind(sent, statement, record);
                sent.addBatch();
            }
            counts = sent.executeBatch();
        }
        for (int i = 0; i < counts.length; i++) {
            // A driver rewriting batched inserts (reWriteBatchedInserts) reports no count: the read back checks them.
            if (counts[i] != java.sql.Statement.SUCCESS_NO_INFO) {
                checkCount(connection, savepoint, statement, counts[i], records.size() == 1 ? ""
                        : " for record " + (i + 1) + " of " + records.size());
            }
        }
        connection.releaseSavepoint(savepoint);
        return null;
    }

    private static void bind(PreparedStatement sent, Statement statement, Map<String, Object> stored)
            throws SQLException {
        for (int i = 0; i < statement.marks.size(); i++) {
            ColumnPlan column = statement.marks.get(i);
            column.codec().bind(sent, i + 1, stored.get(column.name()));
        }
    }

    /** Refuses, having rolled back to the savepoint, a count other than one. */
    private void checkCount(Connection connection, Savepoint savepoint, Statement statement, int count, String which)
            throws SQLException {
        if (count != 1) {
            connection.rollback(savepoint);
            throw DatabaseException.refused(plan.name(), null, statement.option + "(\"" + cut(statement.source)
                    + "\") of resource '" + plan.name() + "' changed " + count + " row(s)" + which + " where it must "
                    + "change exactly one: nothing it wrote was kept. Make it write the one record its marks name "
                    + "(e.g. WHERE id = :id)", null, null);
        }
    }

    /** A statement as messages show it, cut to a readable length. */
    private static String cut(String sql) {
        return sql.length() > 60 ? sql.substring(0, 57) + "..." : sql;
    }

    private Ran returned(PreparedStatement sent, Statement statement) throws SQLException {
        try (ResultSet rows = sent.getResultSet()) {
            int count = 0;
            Map<String, Object> key = null;
            while (rows.next()) {
                if (count++ == 0) {
                    key = key(rows, statement);
                }
            }
            return new Ran(count, key);
        }
    }

    private Map<String, Object> key(ResultSet rows, Statement statement) throws SQLException {
        Map<String, Object> key = new LinkedHashMap<>();
        for (ColumnPlan column : plan.primaryKey()) {
            int index;
            try {
                index = rows.findColumn(column.attribute().columnName());
            } catch (SQLException e) {
                throw QueryException.of(plan.name(), column.name(), statement.option + "(...) of resource '"
                        + plan.name() + "' returns no column " + column.attribute().columnName() + " of its key: "
                        + "end it with RETURNING " + column.attribute().columnName() + " (or RETURNING *)", e);
            }
            key.put(column.name(), column.codec().read(rows, index));
        }
        return key;
    }
}
