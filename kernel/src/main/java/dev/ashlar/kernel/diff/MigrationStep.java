package dev.ashlar.kernel.diff;

import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.TableDdl;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.SchemaObject.ServerRequirement;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One change the differ emits, with the SQL that makes it ({@link #up()}) and undoes it
 * ({@link #down()}). A closed set: the writer and the tests handle each case.
 */
public sealed interface MigrationStep {

    /** The table the step acts on, as it is when the step runs. */
    Table table();

    String up();

    String down();

    /** One line for people: {@code create table public.posts}. */
    String describe();

    /** Why the step can lose data, or empty when it cannot. */
    default Optional<String> destructive() {
        return Optional.empty();
    }

    /** Whether the step may run in a transaction. */
    default boolean transactional() {
        return true;
    }

    default Optional<ServerRequirement> requires() {
        return Optional.empty();
    }

    default Scope scope() {
        return table().scope();
    }

    record CreateTable(Table table) implements MigrationStep {
        public String up() {
            return TableDdl.createTable(table);
        }

        public String down() {
            return TableDdl.dropTable(table);
        }

        public String describe() {
            return "create table " + table.key();
        }
    }

    record DropTable(Table table) implements MigrationStep {
        public String up() {
            return TableDdl.dropTable(table);
        }

        public String down() {
            return TableDdl.createTable(table);
        }

        public String describe() {
            return "drop table " + table.key();
        }

        public Optional<String> destructive() {
            return Optional.of("drops table " + table.key() + " and all its rows");
        }
    }

    /**
     * Renames the table and its primary key, which PostgreSQL leaves under the old name, so the result
     * matches a table created under the new name.
     *
     * @param table the table under its old name
     */
    record RenameTable(Table table, String newName) implements MigrationStep {
        public String up() {
            return rename(table, newName);
        }

        public String down() {
            return rename(table.withName(newName), table.name());
        }

        private static String rename(Table from, String to) {
            String sql = "ALTER TABLE " + from.sql() + " RENAME TO " + Identifiers.quote(to) + ";";
            if (!from.primaryKey().isEmpty()) {
                sql += "\nALTER TABLE " + from.withName(to).sql() + " RENAME CONSTRAINT "
                        + Identifiers.quote(Names.primaryKey(from.name())) + " TO " + Identifiers.quote(Names.primaryKey(to))
                        + ";";
            }
            return sql;
        }

        public String describe() {
            return "rename table " + table.key() + " to " + newName;
        }
    }

    record AddColumn(Table table, Column column) implements MigrationStep {
        public String up() {
            return "ALTER TABLE " + table.sql() + " ADD COLUMN " + TableDdl.column(column) + ";";
        }

        public String down() {
            return "ALTER TABLE " + table.sql() + " DROP COLUMN " + Identifiers.quote(column.name()) + ";";
        }

        public String describe() {
            return "add column " + table.key() + "." + column.name();
        }
    }

    record DropColumn(Table table, Column column) implements MigrationStep {
        public String up() {
            return new AddColumn(table, column).down();
        }

        public String down() {
            return new AddColumn(table, column).up();
        }

        public String describe() {
            return "drop column " + table.key() + "." + column.name();
        }

        public Optional<String> destructive() {
            return Optional.of("drops column " + table.key() + "." + column.name() + " and its data");
        }
    }

    record RenameColumn(Table table, String from, String to) implements MigrationStep {
        public String up() {
            return rename(from, to);
        }

        public String down() {
            return rename(to, from);
        }

        private String rename(String oldName, String newName) {
            return "ALTER TABLE " + table.sql() + " RENAME COLUMN " + Identifiers.quote(oldName) + " TO "
                    + Identifiers.quote(newName) + ";";
        }

        public String describe() {
            return "rename column " + table.key() + "." + from + " to " + to;
        }
    }

    record AlterColumn(Table table, Column from, Column to) implements MigrationStep {
        public String up() {
            return ColumnChange.sql(table, from, to);
        }

        public String down() {
            return ColumnChange.sql(table, to, from);
        }

        public String describe() {
            return "alter column " + table.key() + "." + to.name() + " (" + ColumnChange.summary(from, to) + ")";
        }

        public Optional<String> destructive() {
            return ColumnChange.narrows(from.type(), to.type())
                    ? Optional.of("changes " + table.key() + "." + to.name() + " from " + from.type() + " to " + to.type()
                    + ", which can lose or reject data")
                    : Optional.empty();
        }
    }

    record ChangePrimaryKey(Table table, List<String> from, List<String> to) implements MigrationStep {
        public String up() {
            return change(from, to);
        }

        public String down() {
            return change(to, from);
        }

        private String change(List<String> oldKey, List<String> newKey) {
            List<String> statements = new ArrayList<>();
            if (!oldKey.isEmpty()) {
                statements.add("ALTER TABLE " + table.sql() + " DROP CONSTRAINT "
                        + Identifiers.quote(Names.primaryKey(table.name())) + ";");
            }
            if (!newKey.isEmpty()) {
                Table keyed = new Table(table.scope(), table.schema(), table.name(), table.resource(), table.columns(),
                        newKey, List.of());
                statements.add("ALTER TABLE " + table.sql() + " ADD " + TableDdl.primaryKeyConstraint(keyed) + ";");
            }
            return String.join("\n", statements);
        }

        public String describe() {
            return "change primary key of " + table.key() + " from " + from + " to " + to;
        }
    }

    record AddObject(Table table, SchemaObject object) implements MigrationStep {
        public String up() {
            return object.up();
        }

        public String down() {
            return object.down();
        }

        public String describe() {
            return "add " + object.kind() + " " + object.name() + " on " + table.key();
        }

        public boolean transactional() {
            return object.transactional();
        }

        public Optional<ServerRequirement> requires() {
            return Optional.ofNullable(object.requires());
        }
    }

    record DropObject(Table table, SchemaObject object) implements MigrationStep {
        public String up() {
            return object.down();
        }

        public String down() {
            return object.up();
        }

        public String describe() {
            return "drop " + object.kind() + " " + object.name() + " on " + table.key();
        }

        public boolean transactional() {
            return object.transactional();
        }

        public Optional<ServerRequirement> requires() {
            return Optional.ofNullable(object.requires());
        }
    }
}
