package dev.ashlar.kernel.migrate;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.Field;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.ResultCursor;
import org.postgresql.core.ResultHandlerBase;
import org.postgresql.core.SqlCommand;
import org.postgresql.core.SqlCommandType;
import org.postgresql.core.Tuple;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends statements of different kinds in one round trip through PostgreSQL's driver, where a JDBC batch takes no
 * statement that returns rows and a multi-statement {@code execute} does not say which statement failed: the first
 * statement's row is read, and a failure names the statement it stopped at, counted from the statements that
 * completed before it. The statements run in the caller's transaction, so a failure aborts it, and the caller rolls
 * it back. They go to the driver as Ashlar split them, each one query of the driver's with its text as it is: the
 * driver parses no SQL text for them on the client (a new tenant's files would otherwise be parsed again for every
 * schema, since its own statements name it).
 */
final class StatementPipeline {
    /** What the driver needs to know of a statement it does not parse: nothing (no parameters, no generated keys). */
    private static final SqlCommand UNPARSED = SqlCommand.createStatementTypeInfo(SqlCommandType.BLANK);
    private static final int[] NO_PARAMETERS = new int[0];

    /**
     * What the server answered.
     *
     * @param firstRow the first row of the first statement, each column as text (null for a null value); empty when
     *                 it returned none
     * @param failed   the index of the statement that failed; -1 when all ran
     * @param cause    the server's error, or null
     * @param notices  what the server said besides (notices and warnings), or null
     * @param results  the rows of each statement that returned rows, in the order sent; empty unless collected
     */
    record Outcome(List<String> firstRow, int failed, SQLException cause, SQLWarning notices,
                   List<QueryResult> results) {
    }

    private StatementPipeline() {
    }

    /**
     * Whether {@link #run} can send statements on this connection: PostgreSQL's own driver (through any pool's
     * wrapper), inside a transaction.
     */
    static boolean available(Connection connection) throws SQLException {
        return connection.isWrapperFor(BaseConnection.class) && !connection.getAutoCommit();
    }

    /**
     * Sends the statements, none of them empty, in one round trip.
     *
     * @param collect whether to keep the rows of every statement ({@link Outcome#results}), for printing; else only
     *                the first statement's first row is kept
     * @return what the server answered
     */
    static Outcome run(Connection connection, List<String> statements, boolean collect) throws SQLException {
        QueryExecutor executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
        List<NativeQuery> parts = new ArrayList<>(statements.size());
        for (String statement : statements) {
            // One statement each (multiStatement false): Ashlar's split ends every one.
            parts.add(new NativeQuery(statement, NO_PARAMETERS, false, UNPARSED));
        }
        Query query = executor.wrap(parts);
        Answers answers = new Answers(collect);
        executor.execute(query, null, answers, 0, 0, QueryExecutor.QUERY_ONESHOT
                | QueryExecutor.QUERY_NO_BINARY_TRANSFER);
        return new Outcome(answers.firstRow == null ? List.of() : answers.firstRow,
                answers.getException() == null ? -1 : answers.failedAt, answers.getException(), answers.notices,
                List.copyOf(answers.results));
    }

    /**
     * Counts the statements that completed, keeps the first one's row, the rows of each (at most
     * {@link QueryResult#SHOWN}), the first failure and the notices.
     */
    private static final class Answers extends ResultHandlerBase {
        private int completed;
        private int failedAt = -1;
        private List<String> firstRow;
        private SQLWarning notices;
        private final List<QueryResult> results = new ArrayList<>();
        private final boolean collect;

        Answers(boolean collect) {
            this.collect = collect;
        }

        @Override
        public void handleResultRows(Query fromQuery, Field[] fields, List<Tuple> tuples, ResultCursor cursor) {
            if (completed == 0 && !tuples.isEmpty()) {
                firstRow = text(fields, tuples.get(0));
            }
            if (!collect) {
                completed++;
                return;
            }
            List<String> columns = new ArrayList<>(fields.length);
            for (Field field : fields) {
                columns.add(field.getColumnLabel());
            }
            List<List<String>> rows = new ArrayList<>();
            for (Tuple tuple : tuples.subList(0, Math.min(tuples.size(), QueryResult.SHOWN))) {
                rows.add(text(fields, tuple));
            }
            results.add(new QueryResult(completed, columns, rows, tuples.size()));
            completed++;
        }

        /** A row's values as text (sent as text: no binary transfer), null for SQL NULL. */
        private static List<String> text(Field[] fields, Tuple row) {
            List<String> values = new ArrayList<>(fields.length);
            for (int i = 0; i < fields.length; i++) {
                byte[] value = row.get(i);
                values.add(value == null ? null : new String(value, StandardCharsets.UTF_8));
            }
            return values;
        }

        @Override
        public void handleCommandStatus(String status, long updateCount, long insertOID) {
            completed++;
        }

        @Override
        public void handleWarning(SQLWarning warning) {
            if (notices == null) {
                notices = warning;
            } else {
                notices.setNextWarning(warning);
            }
        }

        @Override
        public void handleError(SQLException error) {
            if (failedAt < 0) {
                failedAt = completed;
            }
            super.handleError(error);
        }

        /** The failure is the caller's to report, naming the statement: it is not thrown here. */
        @Override
        public void handleCompletion() {
        }
    }
}
