package dev.ashlar.kernel.diff;

import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.SqlLiterals;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;
import dev.ashlar.spi.schema.Scope;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SQL that moves and renames a table together with the names PostgreSQL derived from the old name, and, of a
 * partitioned table, its partitions in the old schema and those named after it ({@code events_eu}, as
 * {@code createPartition} names them) with their indexes, so that they are found under the new schema and name.
 */
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
        if (to.partitioned()) {
            statements.add(partitions(current.movedTo(to.schema(), to.name()), from));
        }
        return String.join("\n", statements);
    }

    /** PostgreSQL names an identity sequence once, on creation, and never renames it with its table or column. */
    static String renameSequence(Table table, String from, String to) {
        return "ALTER SEQUENCE " + Identifiers.qualify(table.schema(), from) + " RENAME TO " + Identifiers.quote(to)
                + ";";
    }

    /**
     * Moves each partition of {@code table} that was in the old table's schema to the table's, and renames each whose
     * name starts with the old table's name and {@code _} to start with the new one instead, with its indexes named
     * after it likewise. A new name over 63 bytes, which PostgreSQL would cut without a word, fails the file before
     * anything is renamed, naming the object.
     */
    private static String partitions(Table table, Table old) {
        String regclass = SqlLiterals.quoted(table.sql()) + "::regclass";
        boolean moved = !Objects.equals(table.schema(), old.schema());
        boolean renamed = !table.name().equals(old.name());
        String tooLong = " would be named %, which is % bytes long, and PostgreSQL cuts names at 63 bytes. Nothing was "
                + "changed";
        String fix = SqlLiterals.quoted("Choose a shorter table name, or rename the partitions in a migration before "
                + "this one.");
        String move = !moved ? "" : """
                    IF part.nspname = %1$s THEN
                      EXECUTE format('ALTER TABLE %%I.%%I SET SCHEMA %%I', part.nspname, part.relname, %2$s);
                      part.nspname := %2$s;
                    END IF;
                """.formatted(SqlLiterals.quoted(old.schema()), SqlLiterals.quoted(table.schema()));
        String rename = !renamed ? "" : """
                    CONTINUE WHEN NOT starts_with(part.relname, %1$s);
                    renamed := %2$s || substr(part.relname, %3$d);
                    IF octet_length(renamed) > 63 THEN
                      RAISE EXCEPTION %4$s, part.nspname, part.relname, parent, renamed, octet_length(renamed)
                        USING ERRCODE = 'name_too_long', HINT = %6$s;
                    END IF;
                    FOR idx IN SELECT ic.relname, renamed || substr(ic.relname, char_length(part.relname) + 1) AS next
                        FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
                        WHERE x.indrelid = part.oid AND starts_with(ic.relname, part.relname || '_') LOOP
                      IF octet_length(idx.next) > 63 THEN
                        RAISE EXCEPTION %5$s, part.nspname, idx.relname, part.nspname, part.relname, parent, idx.next,
                          octet_length(idx.next) USING ERRCODE = 'name_too_long', HINT = %6$s;
                      END IF;
                      EXECUTE format('ALTER INDEX %%I.%%I RENAME TO %%I', part.nspname, idx.relname, idx.next);
                    END LOOP;
                    EXECUTE format('ALTER TABLE %%I.%%I RENAME TO %%I', part.nspname, part.relname, renamed);
                """.formatted(SqlLiterals.quoted(old.name() + "_"), SqlLiterals.quoted(table.name()),
                old.name().codePointCount(0, old.name().length()) + 1,
                SqlLiterals.quoted("Partition %.% of table %" + tooLong),
                SqlLiterals.quoted("Index %.% of partition %.% of table %" + tooLong), fix);
        return "DO " + SqlLiterals.dollarQuoted("partitions", """

                DECLARE
                  parent text := (SELECT format('%%s.%%s', n.nspname, c.relname) FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = %1$s);
                  part record;
                  idx record;
                  renamed text;
                BEGIN
                  FOR part IN SELECT c.oid, n.nspname, c.relname FROM pg_inherits i
                      JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE i.inhparent = %1$s AND c.relispartition ORDER BY c.relname LOOP
                """.formatted(regclass) + move + rename + "  END LOOP;\nEND\n") + ";";
    }
}
