package dev.ashlar.kernel.diff;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.schema.SqlLiterals;
import dev.ashlar.kernel.schema.Table;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL that fills a new column of a table with rows with its default, a batch at a time: {@code UPDATE ... SET
 * column = DEFAULT} on the next rows along a key, committed after each batch ({@code COMMIT} in a
 * {@code DO} block, PostgreSQL 11 and later, run outside a transaction). A batch locks only its own rows, for as long
 * as it takes; each batch starts from the last key of the one before, so the table is read once in all. A row that a
 * writer filled meanwhile keeps its value. Inside a transaction (a new tenant schema's, whose tables hold only
 * what its own migrations inserted) the runner takes the commits out and the rows are filled in that transaction.
 */
final class Backfills {
    /** Rows per batch: short enough that a writer waiting on one of them waits milliseconds. */
    static final int BATCH = 1_000;

    private Backfills() {
    }

    static String sql(Table table, String column, List<String> key) {
        String keys = key.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        String last = variables(key.size());
        String batchKeys = key.stream().map(k -> "b." + Identifiers.quote(k)).collect(Collectors.joining(", "));
        String rowKeys = key.stream().map(k -> "t." + Identifiers.quote(k)).collect(Collectors.joining(", "));
        String descending = key.stream().map(k -> "b." + Identifiers.quote(k) + " DESC")
                .collect(Collectors.joining(", "));
        StringBuilder declare = new StringBuilder();
        for (int i = 0; i < key.size(); i++) {
            declare.append("  k").append(i + 1).append(' ').append(table.sql()).append('.')
                    .append(Identifiers.quote(key.get(i))).append("%TYPE;\n");
        }
        String target = Identifiers.quote(column);
        String body = "\nDECLARE\n" + declare
                + "  first boolean := true;\n  batch bigint;\n  filled bigint := 0;\nBEGIN\n"
                + "  SELECT " + keys + " INTO " + last + " FROM " + table.sql() + " ORDER BY " + keys + " LIMIT 1;\n"
                + "  WHILE FOUND LOOP\n"
                + "    WITH b AS (\n"
                + "      SELECT " + keys + " FROM " + table.sql() + "\n"
                + "      WHERE (" + keys + ") >= (" + last + ") AND ((" + keys + ") > (" + last + ") OR first)\n"
                + "      ORDER BY " + keys + " LIMIT " + BATCH + "\n"
                + "    ), u AS (\n"
                + "      UPDATE " + table.sql() + " AS t SET " + target + " = DEFAULT FROM b\n"
                + "      WHERE (" + rowKeys + ") = (" + batchKeys + ") AND t." + target + " IS NULL RETURNING 1\n"
                + "    )\n"
                + "    SELECT " + batchKeys + ", (SELECT count(*) FROM u) INTO " + last + ", batch FROM b ORDER BY "
                + descending + " LIMIT 1;\n"
                + "    IF FOUND THEN\n"
                + "      first := false;\n      filled := filled + batch;\n"
                + "      COMMIT;\n"
                + "    END IF;\n"
                + "  END LOOP;\n"
                + "  RAISE NOTICE 'backfilled % rows of %', filled, " + SqlLiterals.quoted(table.key() + "." + column)
                + ";\nEND\n";
        return "DO " + SqlLiterals.dollarQuoted("backfill", body) + ";";
    }

    private static String variables(int count) {
        return java.util.stream.IntStream.rangeClosed(1, count).mapToObj(i -> "k" + i)
                .collect(Collectors.joining(", "));
    }
}
