package dev.ashlar.kernel.inspect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Catalog queries of one schema, their rows grouped by their first column (the table), every value as
 * text; shared by the inspector and the drift check.
 */
public final class CatalogRows {
    /**
     * The condition that picks the tables of the schema bound as the query's first parameter, on {@code pg_class c}
     * and {@code pg_namespace n}, leaving out Ashlar's own tables ({@code ashlar_*}) and the project's migration
     * history of another name ({@code --history-table}), bound as the second: by its name, so that a table of the
     * user's that merely has a history's columns is read like any other.
     */
    public static final String TABLES = "n.nspname = ? AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE 'ashlar\\_%' "
            + "AND c.relname <> ?";
    /** The separator of lists that a query folds into one value ({@code array_to_string(..., chr(1))}). */
    static final String LIST = "chr(1)";

    private CatalogRows() {
    }

    /** Runs a query whose parameters are those of {@link #TABLES}: the schema's name and the history's. */
    public static Map<String, List<String[]>> byTable(Connection connection, String sql, String schema, String history)
            throws SQLException {
        Map<String, List<String[]>> byTable = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, schema);
            query.setString(2, history);
            try (ResultSet rows = query.executeQuery()) {
                int width = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    String[] row = new String[width];
                    for (int i = 0; i < width; i++) {
                        row[i] = rows.getString(i + 1);
                    }
                    byTable.computeIfAbsent(row[0], t -> new ArrayList<>()).add(row);
                }
            }
        }
        return byTable;
    }

    /** A value folded with {@link #LIST}, as a list (empty for an empty or null value). */
    static List<String> list(String folded) {
        return folded == null || folded.isEmpty() ? List.of() : Arrays.asList(folded.split("\u0001"));
    }
}
