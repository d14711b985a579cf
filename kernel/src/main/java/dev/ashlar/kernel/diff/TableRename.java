package dev.ashlar.kernel.diff;

import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;
import dev.ashlar.spi.schema.Scope;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The SQL that moves and renames a table together with the names PostgreSQL derived from the old name. */
final class TableRename {
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
                statements.add(renameSequence(to, Names.identitySequence(from.name(), column.name()),
                        Names.identitySequence(to.name(), column.name())));
            }
        }
        return String.join("\n", statements);
    }

    /** PostgreSQL names an identity sequence once, on creation, and never renames it with its table or column. */
    static String renameSequence(Table table, String from, String to) {
        return "ALTER SEQUENCE " + Identifiers.qualify(table.schema(), from) + " RENAME TO " + Identifiers.quote(to)
                + ";";
    }
}
