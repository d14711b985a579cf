package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ControlCharacters;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows a statement of a migration returned (a {@code SELECT}, an {@code INSERT ... RETURNING}), printed with the
 * run's progress as Flyway's {@code outputQueryResults} prints them: a table of the columns and at most
 * {@link #SHOWN} rows, then how many rows there were.
 *
 * @param index   the statement's index among those sent (0-based)
 * @param columns the columns' labels
 * @param rows    at most {@link #SHOWN} rows, each value as text, null for SQL NULL
 * @param count   how many rows the statement returned
 */
record QueryResult(int index, List<String> columns, List<List<String>> rows, long count) {
    /** The rows printed of one result: a report, not an export. */
    static final int SHOWN = 100;

    QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** The rows of a result set, read to its end. */
    static QueryResult of(int index, ResultSet result) throws SQLException {
        ResultSetMetaData meta = result.getMetaData();
        List<String> columns = new ArrayList<>(meta.getColumnCount());
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i));
        }
        List<List<String>> rows = new ArrayList<>();
        long count = 0;
        while (result.next()) {
            if (count++ < SHOWN) {
                List<String> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(result.getString(i));
                }
                rows.add(row);
            }
        }
        return new QueryResult(index, columns, rows, count);
    }

    /**
     * The result as a table under a line naming where it comes from; values shown with their control characters
     * escaped (a newline, a terminal escape), so that each row stays one line and no value drives the terminal.
     *
     * @param what the statement, e.g. {@code statement 2 (line 5) of 20260101000000_report.sql on public}
     */
    String table(String what) {
        List<List<String>> cells = new ArrayList<>(rows.size() + 1);
        cells.add(columns.stream().map(ControlCharacters::escape).toList());
        for (List<String> row : rows) {
            cells.add(row.stream().map(value -> value == null ? "NULL" : ControlCharacters.escape(value)).toList());
        }
        int[] widths = new int[columns.size()];
        for (List<String> row : cells) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).codePointCount(0, row.get(i).length()));
            }
        }
        StringBuilder rule = new StringBuilder("+");
        for (int width : widths) {
            rule.append("-".repeat(width + 2)).append('+');
        }
        StringBuilder text = new StringBuilder("Query result of ").append(what).append(":\n").append(rule);
        for (int r = 0; r < cells.size(); r++) {
            text.append("\n|");
            for (int i = 0; i < widths.length; i++) {
                String cell = cells.get(r).get(i);
                text.append(' ').append(cell).append(" ".repeat(widths[i] - cell.codePointCount(0, cell.length())))
                        .append(" |");
            }
            if (r == 0) {
                text.append('\n').append(rule);
            }
        }
        text.append('\n').append(rule).append("\n(").append(count).append(count == 1 ? " row" : " rows");
        return text.append(count > SHOWN ? ", the first " + SHOWN + " shown)" : ")").toString();
    }
}
