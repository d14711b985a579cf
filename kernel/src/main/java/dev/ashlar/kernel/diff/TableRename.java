package dev.ashlar.kernel.diff;

import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;
import dev.ashlar.spi.schema.Scope;

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
                // Through its index, which renames the constraint too: Citus renames no constraint of its tables.
                statements.add("ALTER INDEX " + Identifiers.qualify(to.scope() == Scope.MAIN ? to.schema() : null,
                        Names.primaryKey(from.name())) + " RENAME TO " + Identifiers.quote(Names.primaryKey(to.name()))
                        + ";");
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
     * The name PostgreSQL gives an identity column's sequence: {@code table_column_seq}, the longer of table and column
     * cut a byte at a time until both fit 63 bytes, then each back to a whole character (makeObjectName in the
     * server's indexcmds.c): a multi-byte name may lose more than the byte counts alone say.
     */
    static String sequence(String table, String column) {
        int available = MAX_NAME_BYTES - "_seq".length() - 1;
        int first = bytes(table);
        int second = bytes(column);
        while (first + second > available) {
            if (first > second) {
                first--;
            } else {
                second--;
            }
        }
        return clipped(table, first) + "_" + clipped(column, second) + "_seq";
    }

    /** The longest start of {@code name} made of whole characters and at most {@code limit} bytes long. */
    private static String clipped(String name, int limit) {
        int end = 0;
        while (end < name.length()) {
            int next = name.offsetByCodePoints(end, 1);
            if (bytes(name.substring(0, next)) > limit) {
                break;
            }
            end = next;
        }
        return name.substring(0, end);
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
