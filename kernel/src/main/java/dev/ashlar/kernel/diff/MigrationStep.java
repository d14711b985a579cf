package dev.ashlar.kernel.diff;

import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.CompositeType;
import dev.ashlar.kernel.schema.CompositeTypes;
import dev.ashlar.kernel.schema.EnumType;
import dev.ashlar.kernel.schema.NativeEnums;
import dev.ashlar.kernel.schema.SqlLiterals;
import dev.ashlar.kernel.schema.TableDdl;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.spi.schema.Ddl;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.SchemaObject.ServerRequirement;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One change the differ emits, with the SQL that makes it ({@link #up()}) and undoes it
 * ({@link #down()}). A closed set: the writer and the tests handle each case.
 */
public sealed interface MigrationStep {

    /** The table the step acts on, as it is when the step runs; {@code null} for database-wide steps (extensions). */
    Table table();

    String up();

    String down();

    /** One line for people: {@code create table public.posts}. */
    String describe();

    /** Why the step can lose data, or empty when it cannot. */
    default Optional<String> destructive() {
        return Optional.empty();
    }

    /**
     * Why the step rewrites the whole table under an exclusive lock (no reads or writes until it ends), or
     * empty when it does not.
     */
    default Optional<String> rewrites() {
        return Optional.empty();
    }

    /** Whether the step may run in a transaction. */
    default boolean transactional() {
        return true;
    }

    /**
     * Whether the step must run in a later transaction than the steps before it: it checks the rows of a constraint
     * that an earlier step added {@code NOT VALID}, which would otherwise hold that step's strong lock for the scan.
     */
    default boolean laterTransaction() {
        return false;
    }

    default Optional<ServerRequirement> requires() {
        return Optional.empty();
    }

    default Scope scope() {
        return table().scope();
    }

    /** Where an object's steps run: the main migrations when it asks for them, else its table's. */
    private static Scope placed(Table table, SchemaObject object) {
        return object.mainScope() ? Scope.MAIN : table.scope();
    }

    /**
     * Creates the schema that a main table needs when no table used it before; undone by {@link DropSchema}'s
     * SQL. Never for {@code public}. On Citus it is made with schema-based sharding off for the transaction: a
     * schema made while it is on (as a cluster may have it) would be distributed like a tenant's, its tables placed
     * on one worker and refused as reference tables ({@code table "plans" is already distributed}).
     *
     * @param table the first table in the schema
     * @param citus whether the migrations are generated for Citus
     */
    record CreateSchema(Table table, boolean citus) implements MigrationStep {
        public String up() {
            return (citus ? "SET LOCAL citus.enable_schema_based_sharding = off;\n" : "") + "CREATE SCHEMA IF NOT EXISTS "
                    + Identifiers.quote(table.schema()) + ";";
        }

        /** Drops the schema only when nothing else lives there: Ashlar never drops what it did not make. */
        public String down() {
            return "DO " + SqlLiterals.dollarQuoted("drop", "\nBEGIN\n  DROP SCHEMA IF EXISTS " + Identifiers.quote(table.schema())
                    + ";\nEXCEPTION WHEN dependent_objects_still_exist THEN\n"
                    + "  RAISE NOTICE 'schema % still holds other objects and stays', " + SqlLiterals.quoted(table.schema()) + ";\nEND\n") + ";";
        }

        public String describe() {
            return "create schema " + table.schema();
        }
    }

    /**
     * Drops a schema once its last main table has left it, unless something else lives there.
     *
     * @param table the last table that was in the schema
     */
    record DropSchema(Table table, boolean citus) implements MigrationStep {
        public String up() {
            return new CreateSchema(table, citus).down();
        }

        public String down() {
            return new CreateSchema(table, citus).up();
        }

        public String describe() {
            return "drop schema " + table.schema() + " if empty";
        }
    }

    /** Creates a native enum type before the first table that uses it; undone by dropping it. */
    record CreateEnumType(NativeEnums.Placed type) implements MigrationStep {
        public Table table() {
            return type.table();
        }

        public String up() {
            return type.createSql();
        }

        public String down() {
            return type.dropSql();
        }

        public String describe() {
            return "create enum type " + type.key() + " " + type.type().labels();
        }
    }

    /** Drops a native enum type once no column uses it, after the tables and columns that did. */
    record DropEnumType(NativeEnums.Placed type) implements MigrationStep {
        public Table table() {
            return type.table();
        }

        public String up() {
            return new CreateEnumType(type).down();
        }

        public String down() {
            return new CreateEnumType(type).up();
        }

        public String describe() {
            return "drop enum type " + type.key();
        }
    }

    /**
     * Moves a native enum type to the schema its columns moved to with their table ({@code ALTER TYPE ... SET SCHEMA}):
     * the columns keep the type they are stored in, so no row is converted and the table is not rewritten.
     *
     * @param from the type where the snapshots place it
     * @param to   the same type where the resources place it now
     */
    record MoveEnumType(NativeEnums.Placed from, NativeEnums.Placed to) implements MigrationStep {
        public Table table() {
            return to.table();
        }

        public String up() {
            return "ALTER TYPE " + from.sql() + " SET SCHEMA " + Identifiers.quote(to.table().schema()) + ";";
        }

        public String down() {
            return "ALTER TYPE " + to.sql() + " SET SCHEMA " + Identifiers.quote(from.table().schema()) + ";";
        }

        public String describe() {
            return "move enum type " + from.key() + " to " + to.key();
        }
    }

    /**
     * Adds the new labels of a native enum type in place. Outside a transaction: from PostgreSQL 12 on
     * {@code ADD VALUE} may run in one, but a label cannot be used until it commits (a default or a check naming it
     * fails with "unsafe use of new value"), so the labels commit on their own before the steps that may use them.
     * PostgreSQL cannot remove a label: undoing the step leaves them.
     *
     * @param old the type as the snapshots record it
     */
    record AddEnumLabels(NativeEnums.Placed type, EnumType old) implements MigrationStep {
        public Table table() {
            return type.table();
        }

        public String up() {
            return String.join("\n", type.addValuesSql(old));
        }

        public String down() {
            return "-- PostgreSQL cannot remove a label from an enum type: " + added() + " stay in " + type.sql();
        }

        public String describe() {
            return "add " + added() + " to enum type " + type.key();
        }

        public boolean transactional() {
            return false;
        }

        private String added() {
            return type.type().labels().stream().filter(l -> !old.labels().contains(l)).map(SqlLiterals::quoted)
                    .collect(Collectors.joining(", "));
        }
    }

    /** Creates a composite type before the first table that uses it; undone by dropping it. */
    record CreateCompositeType(CompositeTypes.Placed type) implements MigrationStep {
        public Table table() {
            return type.table();
        }

        public String up() {
            return type.createSql();
        }

        public String down() {
            return type.dropSql();
        }

        public String describe() {
            return "create composite type " + type.key() + " " + fieldNames(type.type());
        }
    }

    /** Drops a composite type once no column uses it, after the tables and columns that did. */
    record DropCompositeType(CompositeTypes.Placed type) implements MigrationStep {
        public Table table() {
            return type.table();
        }

        public String up() {
            return new CreateCompositeType(type).down();
        }

        public String down() {
            return new CreateCompositeType(type).up();
        }

        public String describe() {
            return "drop composite type " + type.key();
        }
    }

    /**
     * Adds and drops fields of a composite type in place ({@code ALTER TYPE ... ADD ATTRIBUTE}, {@code DROP
     * ATTRIBUTE}): rows keep the other fields and read null in the new ones. Undone the other way round, where a
     * dropped field comes back last and empty.
     *
     * @param old the type as the snapshots record it
     */
    record AlterCompositeType(CompositeTypes.Placed type, CompositeType old) implements MigrationStep {
        public Table table() {
            return type.table();
        }

        public String up() {
            return type.alterSql(old, type.type());
        }

        public String down() {
            return type.alterSql(type.type(), old);
        }

        public String describe() {
            return "alter composite type " + type.key() + " " + fieldNames(old) + " -> " + fieldNames(type.type());
        }

        public Optional<String> destructive() {
            List<String> dropped = old.fields().stream().map(CompositeType.Field::name)
                    .filter(name -> type.type().field(name) == null).toList();
            return dropped.isEmpty() ? Optional.empty() : Optional.of("drops field(s) " + dropped + " of composite "
                    + "type " + type.sql() + " with the values every row holds in them");
        }
    }

    private static List<String> fieldNames(CompositeType type) {
        return type.fields().stream().map(CompositeType.Field::name).toList();
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
     * Moves the table to another schema ({@code ALTER TABLE ... SET SCHEMA}, which takes its indexes,
     * constraints and identity sequences along) and renames it with everything PostgreSQL names after the
     * table but leaves under the old name: the primary key and the identity sequences. The result matches
     * a table created under the new name.
     *
     * @param table the table under its old schema and name
     * @param moved the same table under its new schema and name
     */
    record RenameTable(Table table, Table moved) implements MigrationStep {
        public String up() {
            return TableRename.sql(table, moved);
        }

        public String down() {
            return TableRename.sql(moved, table);
        }

        public String describe() {
            return (table.name().equals(moved.name()) ? "move table " : "rename table ") + table.key() + " to "
                    + moved.key();
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

        public Optional<String> rewrites() {
            return NewColumns.rewrites(table, column);
        }
    }

    /**
     * Fills a column just added to a table with rows with its default, in batches along {@code key} (the primary key,
     * or the one it replaces while the new one is not filled yet), each batch
     * committed on its own ({@link Backfills}): no row stays locked for long, and no lock blocks writes to the table.
     * Outside a transaction, since a batch commits. Nothing to undo: undoing the column's addition drops it.
     */
    record BackfillColumn(Table table, String column, List<String> key) implements MigrationStep {
        public BackfillColumn {
            key = List.copyOf(key);
        }

        public String up() {
            return Backfills.sql(table, column, key);
        }

        public String down() {
            return "-- nothing to undo: dropping " + table.key() + "." + column + " drops what the backfill wrote";
        }

        public String describe() {
            return "fill " + table.key() + "." + column + " with its default for the rows there, in batches";
        }

        public boolean transactional() {
            return false;
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

    /** @param identity whether the column is an identity, whose sequence then follows the new name */
    record RenameColumn(Table table, String from, String to, boolean identity) implements MigrationStep {
        public String up() {
            return rename(from, to);
        }

        public String down() {
            return rename(to, from);
        }

        private String rename(String oldName, String newName) {
            String sql = "ALTER TABLE " + table.sql() + " RENAME COLUMN " + Identifiers.quote(oldName) + " TO "
                    + Identifiers.quote(newName) + ";";
            return identity ? sql + "\n" + TableRename.renameSequence(table,
                    Names.identitySequence(table.name(), oldName), Names.identitySequence(table.name(), newName)) : sql;
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
            return ColumnChange.narrows(from.type(), to.type()) && !keepsEveryLabel()
                    ? Optional.of("changes " + table.key() + "." + to.name() + " from " + from.type() + " to " + to.type()
                    + ", which can lose or reject data")
                    : Optional.empty();
        }

        /** Whether the column goes from one native enum type to another that has every label of the first. */
        private boolean keepsEveryLabel() {
            return from.enumType() != null && to.enumType() != null
                    && to.enumType().labels().containsAll(from.enumType().labels());
        }

        public Optional<String> rewrites() {
            return ColumnChange.rewrites(from.type(), to.type())
                    ? Optional.of("changing " + table.key() + "." + to.name() + " from " + from.type() + " to "
                    + to.type() + " rewrites every row while reads and writes wait")
                    : Optional.empty();
        }
    }

    /**
     * Drops a primary key before the columns change, so that a column may leave the key (and then allow
     * null or change type); {@link AddPrimaryKey} adds the new key after them. Undone the other way round.
     *
     * @param columns the key being dropped
     */
    record DropPrimaryKey(Table table, List<String> columns) implements MigrationStep {
        public String up() {
            return "ALTER TABLE " + table.sql() + " DROP CONSTRAINT " + Identifiers.quote(Names.primaryKey(table.name()))
                    + ";";
        }

        public String down() {
            return new AddPrimaryKey(table, columns).up();
        }

        public String describe() {
            return "drop primary key " + columns + " of " + table.key();
        }
    }

    /** Adds a primary key after the columns have changed; see {@link DropPrimaryKey}. */
    record AddPrimaryKey(Table table, List<String> columns) implements MigrationStep {
        public String up() {
            Table keyed = new Table(table.scope(), table.schema(), table.name(), table.resource(), table.columns(),
                    columns, List.of());
            return "ALTER TABLE " + table.sql() + " ADD " + TableDdl.primaryKeyConstraint(keyed) + ";";
        }

        public String down() {
            return new DropPrimaryKey(table, columns).up();
        }

        public String describe() {
            return "add primary key " + columns + " to " + table.key();
        }
    }

    /**
     * The first half of changing the primary key of a table with rows: its new unique index, built
     * {@code CONCURRENTLY} (writes go on) outside a transaction, under a name of its own; {@link SwapPrimaryKey}
     * makes it the key. Undone by dropping it concurrently, if it is still there.
     *
     * @param columns the new key
     */
    record BuildKeyIndex(Table table, List<String> columns) implements MigrationStep {
        public String up() {
            return Ddl.createIndexConcurrently(Names.nextPrimaryKey(table.name()), table.sql(), columns, true);
        }

        public String down() {
            return Ddl.dropIndexConcurrently(KeySwaps.nextIndexSql(table));
        }

        public String describe() {
            return "build the unique index of primary key " + columns + " of " + table.key() + " concurrently";
        }

        public boolean transactional() {
            return false;
        }
    }

    /**
     * The second half: in one statement, drops the old primary key and makes the index {@link BuildKeyIndex} built
     * the new one ({@code ADD CONSTRAINT ... PRIMARY KEY USING INDEX}, which renames it to the key's name). Its lock is
     * brief: no index is built and, the columns being not null already, no row is scanned. Undone the same way from
     * the index {@link KeyRollbackIndex} built going down.
     *
     * @param from the old key, empty when the table had none
     * @param to   the new key
     */
    record SwapPrimaryKey(Table table, List<String> from, List<String> to) implements MigrationStep {
        public String up() {
            return KeySwaps.swap(table, !from.isEmpty());
        }

        public String down() {
            return from.isEmpty() ? new DropPrimaryKey(table, to).up() : KeySwaps.swap(table, true);
        }

        public String describe() {
            return "make " + Names.nextPrimaryKey(table.name()) + " primary key " + to + " of " + table.key()
                    + (from.isEmpty() ? "" : " instead of " + from);
        }
    }

    /**
     * Going down, builds the unique index of the old primary key concurrently before {@link SwapPrimaryKey} is undone,
     * so that a rollback locks the table as briefly as the migration did. Nothing to run going up.
     *
     * @param columns the old key
     */
    record KeyRollbackIndex(Table table, List<String> columns) implements MigrationStep {
        public String up() {
            return "-- nothing to run: going down, this builds the index of the old primary key " + columns;
        }

        public String down() {
            return new BuildKeyIndex(table, columns).up();
        }

        public String describe() {
            return "on rollback, build the unique index of primary key " + columns + " of " + table.key()
                    + " concurrently";
        }

        public boolean transactional() {
            return false;
        }
    }

    /**
     * Renames an index or a constraint whose new definition differs from the old one by its name alone, instead of
     * dropping it and building it again (which, for a unique index on a large table, scans every row).
     *
     * @param from the object under its old name, as the snapshots record it
     * @param to   the same object under its new name
     */
    record RenameObject(Table table, SchemaObject from, SchemaObject to) implements MigrationStep {
        public Scope scope() {
            return placed(table, to);
        }

        public String up() {
            return ObjectRenames.sql(table, from, to.name());
        }

        public String down() {
            return ObjectRenames.sql(table, to, from.name());
        }

        public String describe() {
            return "rename " + to.kind() + " " + from.name() + " on " + table.key() + " to " + to.name();
        }
    }

    /**
     * Changes an object in place, as its {@link SchemaObject.Alteration}s say, instead of dropping and adding it
     * (a foreign key's deferral: adding it again would check every row under a lock).
     */
    record AlterObject(Table table, SchemaObject from, SchemaObject to) implements MigrationStep {
        public Scope scope() {
            return placed(table, to);
        }

        public String up() {
            return to.alterationFrom(from).sql();
        }

        public String down() {
            return from.alterationFrom(to).sql();
        }

        public String describe() {
            return "alter " + to.kind() + " " + to.name() + " on " + table.key() + " (" + String.join(", ",
                    to.alterationFrom(from).keys()) + ")";
        }

        public boolean transactional() {
            return to.transactional();
        }
    }

    record AddObject(Table table, SchemaObject object) implements MigrationStep {
        public Scope scope() {
            return placed(table, object);
        }

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
        public Scope scope() {
            return placed(table, object);
        }

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

    /**
     * Checks the rows of a constraint that an earlier step added {@code NOT VALID} to a table that already existed
     * ({@code VALIDATE CONSTRAINT}), in a later transaction: the scan then holds only a lock that lets writes go on.
     * Nothing to undo: dropping the constraint undoes its validation too.
     */
    record ValidateObject(Table table, SchemaObject object) implements MigrationStep {
        public String up() {
            return object.onExistingTable().validate();
        }

        public String down() {
            return "-- nothing to undo: dropping " + object.name() + " undoes its validation";
        }

        public String describe() {
            return "validate " + object.kind() + " " + object.name() + " on " + table.key();
        }

        public boolean laterTransaction() {
            return true;
        }
    }

    /**
     * Installs an extension the domain lists, before the tables that use it. Undoing it drops the extension only
     * when nothing depends on it, so a rollback never takes away what other objects still use.
     *
     * @param extension its name, e.g. {@code citext}
     */
    record CreateExtension(String extension) implements MigrationStep {
        /** Extensions are database-wide: the step belongs to no table. */
        public Table table() {
            return null;
        }

        public Scope scope() {
            return Scope.MAIN;
        }

        public String up() {
            return "CREATE EXTENSION IF NOT EXISTS " + Identifiers.quote(extension) + ";";
        }

        public String down() {
            return "DO " + SqlLiterals.dollarQuoted("drop", "\nBEGIN\n  DROP EXTENSION IF EXISTS " + Identifiers.quote(extension)
                    + ";\nEXCEPTION WHEN dependent_objects_still_exist THEN\n"
                    + "  RAISE NOTICE 'extension % is still used and stays', " + SqlLiterals.quoted(extension) + ";\nEND\n") + ";";
        }

        public String describe() {
            return "create extension " + extension;
        }
    }

    /**
     * The first half of making a column of a table that already existed not null: a check that stands for
     * {@code NOT NULL}, added {@code NOT VALID} (new rows must obey it at once, after a brief lock);
     * {@link ValidateNotNullCheck} validates it later and {@link SetNotNull} turns it into the column's {@code NOT NULL}.
     */
    record AddNotNullCheck(Table table, String column) implements MigrationStep {
        public String up() {
            return NotNullChecks.alter(table).addConstraintNotValid(NotNullChecks.name(table, column),
                    NotNullChecks.body(column));
        }

        public String down() {
            return NotNullChecks.alter(table).dropConstraint(NotNullChecks.name(table, column));
        }

        public String describe() {
            return "check " + table.key() + "." + column + " is not null, for new rows (NOT VALID)";
        }
    }

    /**
     * An extension the domain no longer lists: it stays installed (other objects, or other tools, may use it), and
     * the snapshots stop recording it. Drop it by hand once nothing needs it.
     */
    record ForgetExtension(String extension) implements MigrationStep {
        public Table table() {
            return null;
        }

        public Scope scope() {
            return Scope.MAIN;
        }

        public String up() {
            return "-- extension " + extension + " is no longer listed; it stays installed (drop it by hand if unused)";
        }

        public String down() {
            return new CreateExtension(extension).up();
        }

        public String describe() {
            return "stop recording extension " + extension;
        }
    }

    /**
     * Brings a custom extension of the application's own from the version the snapshots record to its latest
     * ({@code install(from)}), undone by {@code uninstall(from)}; AshPostgres's custom extensions. Runs before the
     * tables, as an extension does: its functions may serve their defaults and checks.
     *
     * @param name the extension's name
     * @param from the version the snapshots record, 0 when none
     * @param to   its latest version
     * @param up   its install SQL from {@code from}
     * @param down its uninstall SQL back to {@code from}
     */
    record InstallCustomExtension(String name, int from, int to, String up, String down) implements MigrationStep {
        public Table table() {
            return null;
        }

        public Scope scope() {
            return Scope.MAIN;
        }

        public String describe() {
            return from == 0 ? "install custom extension " + name + " at version " + to
                    : "upgrade custom extension " + name + " from version " + from + " to " + to;
        }
    }

    /**
     * A custom extension the domain no longer lists: what it installed stays, as a PostgreSQL extension no longer
     * listed does, and the snapshots stop recording it. Remove its objects in a migration of your own once unused.
     */
    record ForgetCustomExtension(String name, int version) implements MigrationStep {
        public Table table() {
            return null;
        }

        public Scope scope() {
            return Scope.MAIN;
        }

        public String up() {
            return "-- custom extension " + name + " (version " + version + ") is no longer listed; what it installed "
                    + "stays (remove it by hand if unused)";
        }

        public String down() {
            return "-- custom extension " + name + " is recorded at version " + version + " again";
        }

        public String describe() {
            return "stop recording custom extension " + name;
        }
    }

    /**
     * The second part: validates the check of {@link AddNotNullCheck} in a later transaction, under a lock that lets
     * writes go on. Nothing to undo: the first part's undo drops the check.
     */
    record ValidateNotNullCheck(Table table, String column) implements MigrationStep {
        public String up() {
            return NotNullChecks.alter(table).validateConstraint(NotNullChecks.name(table, column));
        }

        public String down() {
            return "-- nothing to undo: dropping " + NotNullChecks.name(table, column) + " undoes its validation";
        }

        public String describe() {
            return "validate the not null check of " + table.key() + "." + column;
        }

        public boolean laterTransaction() {
            return true;
        }
    }

    /**
     * The last part, in the transaction that validated the check: sets {@code NOT NULL}, which PostgreSQL 12 and later
     * take from the valid check without scanning the table again, and drops the check. {@code SET NOT NULL} takes an
     * {@code ACCESS EXCLUSIVE} lock held until the transaction ends, so it comes after every validation there.
     */
    record SetNotNull(Table table, String column) implements MigrationStep {
        public String up() {
            return NotNullChecks.setNotNull(table, column);
        }

        public String down() {
            return NotNullChecks.dropNotNull(table, column);
        }

        public String describe() {
            return "set not null " + table.key() + "." + column + " (from its validated check, then drop the check)";
        }

        public boolean laterTransaction() {
            return true;
        }
    }

    /**
     * A table whose resource now says {@code migrate(false)}: another tool owns it from here on. Nothing runs; the
     * snapshots stop recording the table, so removing the resource later drops nothing.
     */
    record ReleaseTable(Table table) implements MigrationStep {
        public String up() {
            return "-- table " + table.key() + " is no longer migrated by Ashlar; it stays as it is";
        }

        public String down() {
            return "-- table " + table.key() + " is migrated by Ashlar again";
        }

        public String describe() {
            return "stop migrating table " + table.key();
        }
    }
}
