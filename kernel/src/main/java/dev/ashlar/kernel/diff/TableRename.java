package dev.ashlar.kernel.diff;

import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The SQL that moves and renames a table together with the names PostgreSQL derived from the old name. */
final class TableRename {
    /** PostgreSQL's NAMEDATALEN - 1: the longest name in bytes. */
    private static final int MAX_NAME_BYTES = 63;

    private TableRename() {
    }

    static String sql(Table from, Table to) {
        List<String> statements = new ArrayList<>();
        Table current = from;
        if (!Objects.equals(from.schema(), to.schema())) {
            statements.add("ALTER TABLE " + current.sql() + " SET SCHEMA " + Identifiers.quote(to.schema()) + ";");
            current = current.movedTo(to.schema(), from.name());
        }
        if (!from.name().equals(to.name())) {
            statements.add("ALTER TABLE " + current.sql() + " RENAME TO " + Identifiers.quote(to.name()) + ";");
            if (!from.primaryKey().isEmpty()) {
                statements.add("ALTER TABLE " + to.sql() + " RENAME CONSTRAINT "
                        + Identifiers.quote(Names.primaryKey(from.name())) + " TO "
                        + Identifiers.quote(Names.primaryKey(to.name())) + ";");
            }
            for (Column column : from.columns().stream().filter(Column::identity).toList()) {
                statements.add(renameSequence(to, sequence(from.name(), column.name()), sequence(to.name(), column.name())));
            }
        }
        return String.join("\n", statements);
    }

    /** PostgreSQL names an identity sequence once, on creation, and never renames it with its table or column. */
    static String renameSequence(Table table, String from, String to) {
        return "ALTER SEQUENCE " + Identifiers.qualify(table.schema(), from) + " RENAME TO " + Identifiers.quote(to)
                + ";";
    }

    /**
     * The name PostgreSQL gives an identity column's sequence: {@code table_column_seq}, the longer of table
     * and column cut a byte at a time until it fits 63 bytes (makeObjectName in the server's indexcmds.c).
     */
    static String sequence(String table, String column) {
        int available = MAX_NAME_BYTES - "_seq".length() - 1;
        String first = table;
        String second = column;
        while (bytes(first) + bytes(second) > available) {
            if (bytes(first) > bytes(second)) {
                first = first.substring(0, first.offsetByCodePoints(first.length(), -1));
            } else {
                second = second.substring(0, second.offsetByCodePoints(second.length(), -1));
            }
        }
        return first + "_" + second + "_seq";
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
