package dev.ashlar.kernel.lint;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rules for {@code CREATE TABLE} and {@code ALTER TABLE}. */
final class TableChecks {
    private static final Pattern CREATE = Pattern.compile("^create (?:(?:global |local )?(?:temporary |temp )"
            + "|unlogged )?table (if not exists )?(" + Sql.NAME + ") ?(\\(.*)$");
    private static final Pattern PRIMARY_KEY = Pattern.compile("^(?:constraint " + Sql.IDENT + " )?primary key ?(\\(.*)$");
    private static final Pattern ALTER = Pattern.compile("^alter table (?:if exists )?(?:only )?(" + Sql.NAME + ") (.*)$");
    private static final Pattern RENAME_COLUMN = Pattern.compile("^rename (?!to |constraint )(?:column )?.*");
    private static final Pattern DROP_COLUMN = Pattern.compile("^drop (?!constraint )(?:column )?(if exists )?.*");
    private static final Pattern ADD_CONSTRAINT = Pattern.compile("^add (?:constraint (" + Sql.IDENT + ") )?"
            + "(foreign key|check|unique|primary key|exclude)\\b(.*)$");
    private static final Pattern ADD_COLUMN = Pattern.compile("^add (?:column )?(if not exists )?(.*)$");
    private static final Pattern ALTER_COLUMN = Pattern.compile("^alter (?:column )?(" + Sql.IDENT + ") (.*)$");
    private static final Pattern TYPE = Pattern.compile("^(?:set data )?type (.+?)(?: collate .*| using .*)?$");
    private static final Pattern REWRITE = Pattern.compile("^set (?:logged|unlogged|tablespace |access method ).*");
    private static final Pattern INLINE_CHECK = Pattern.compile(" check ?\\(");
    private static final Pattern NOT_NULL_CHECK = Pattern.compile("^ ?\\( ?\\(?(" + Sql.IDENT + ")\\)? is not null ?\\)");

    private TableChecks() {
    }

    static void check(Statement statement, FileState file, Consumer<Rule> warn) {
        Matcher create = statement.match(CREATE);
        if (create != null) {
            create(create, file, warn);
            return;
        }
        Matcher alter = statement.match(ALTER);
        if (alter != null) {
            String table = alter.group(1);
            boolean existing = !file.isNew(table);
            if (existing) {
                file.locks(warn);
            }
            Sql.split(alter.group(2), ',').forEach(action -> action(table, existing, action, file, warn));
        }
    }

    private static void create(Matcher create, FileState file, Consumer<Rule> warn) {
        if (create.group(1) == null && !file.transactional) {
            warn.accept(Rule.PREFER_ROBUST_STMTS);
        }
        file.created(create.group(2));
        List<String> elements = Sql.split(Sql.inside(create.group(3), 0), ',');
        List<String> key = elements.stream().map(PRIMARY_KEY::matcher).filter(Matcher::matches)
                .flatMap(m -> Sql.split(Sql.inside(m.group(1), 0), ',').stream()).map(Sql::key).toList();
        for (String element : elements) {
            ColumnDefinition column = ColumnDefinition.parse(element);
            if (column != null) {
                column.checkType(column.in(key), warn);
            }
        }
    }

    private static void action(String table, boolean existing, String action, FileState file, Consumer<Rule> warn) {
        Matcher matcher;
        if (action.startsWith("rename to ") || action.startsWith("set schema ")) {
            warnIf(existing, Rule.RENAMING_TABLE, warn);
        } else if (RENAME_COLUMN.matcher(action).matches()) {
            warnIf(existing, Rule.RENAMING_COLUMN, warn);
        } else if ((matcher = DROP_COLUMN.matcher(action)).matches()) {
            warnIf(existing, Rule.BAN_DROP_COLUMN, warn);
            robust(matcher.group(1), file, warn);
        } else if ((matcher = ADD_CONSTRAINT.matcher(action)).matches()) {
            Constraints.add(table, existing, matcher, file, warn);
        } else if ((matcher = ADD_COLUMN.matcher(action)).matches()) {
            robust(matcher.group(1), file, warn);
            addColumn(existing, ColumnDefinition.parse(matcher.group(2)), warn);
        } else if ((matcher = ALTER_COLUMN.matcher(action)).matches()) {
            alterColumn(table, existing, matcher.group(1), matcher.group(2), file, warn);
        } else if (action.startsWith("validate constraint ")) {
            String name = action.substring("validate constraint ".length()).strip();
            warnIf(existing && file.transactional && file.addedNotValid(name), Rule.CONSTRAINT_MISSING_NOT_VALID, warn);
            file.validated(table, name);
        } else if (REWRITE.matcher(action).matches()) {
            warnIf(existing, Rule.REWRITES_TABLE, warn);
        } else if (action.startsWith("detach partition ")) {
            warnIf(!action.matches(".* (?:concurrently|finalize)$"), Rule.REQUIRE_CONCURRENT_PARTITION_DETACH, warn);
        }
    }

    private static void addColumn(boolean existing, ColumnDefinition column, Consumer<Rule> warn) {
        if (column == null) {
            return;
        }
        column.checkType(false, warn);
        if (existing) {
            warnIf(column.fillsEveryRow(), Rule.ADDING_FIELD_WITH_VOLATILE_DEFAULT, warn);
            warnIf(column.required(), Rule.ADDING_REQUIRED_FIELD, warn);
            warnIf(column.rest().contains(" references "), Rule.ADDING_FOREIGN_KEY_CONSTRAINT, warn);
            // PostgreSQL checks an inline check against every row, even of a column it has just filled.
            warnIf(INLINE_CHECK.matcher(column.rest()).find(), Rule.CONSTRAINT_MISSING_NOT_VALID, warn);
            warnIf(column.rest().contains(" unique"), Rule.DISALLOWED_UNIQUE_CONSTRAINT, warn);
            warnIf(column.rest().contains(" primary key"), Rule.ADDING_SERIAL_PRIMARY_KEY_FIELD, warn);
        }
    }

    /**
     * A type change warns unless codegen wrote the file and did not mark it {@code -- rewrites table:}: the
     * generator knows the old type, and leaves unmarked only the changes that keep the stored bytes.
     */
    private static void alterColumn(String table, boolean existing, String column, String change, FileState file,
                                    Consumer<Rule> warn) {
        Matcher type = TYPE.matcher(change);
        if (type.matches()) {
            ColumnDefinition.checkChangedType(type.group(1).strip(), warn);
            boolean unmarked = file.stepComments.stream().noneMatch(c -> c.startsWith("-- rewrites table:"));
            warnIf(existing && !(file.generated && unmarked), Rule.CHANGING_COLUMN_TYPE, warn);
        } else if (change.equals("set not null")) {
            warnIf(existing && !file.checkedNotNull(table, column), Rule.ADDING_NOT_NULLABLE_FIELD, warn);
        } else if (change.equals("drop not null")) {
            warnIf(existing, Rule.BAN_DROP_NOT_NULL, warn);
        }
    }

    /** The column a {@code CHECK (column IS NOT NULL)} covers, or null for any other check. */
    static String notNullColumn(String check) {
        Matcher matcher = NOT_NULL_CHECK.matcher(check);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** In a transaction:false file, a statement without its IF [NOT] EXISTS cannot run twice. */
    static void robust(String ifExists, FileState file, Consumer<Rule> warn) {
        warnIf(ifExists == null && !file.transactional, Rule.PREFER_ROBUST_STMTS, warn);
    }

    static void warnIf(boolean condition, Rule rule, Consumer<Rule> warn) {
        if (condition) {
            warn.accept(rule);
        }
    }
}
