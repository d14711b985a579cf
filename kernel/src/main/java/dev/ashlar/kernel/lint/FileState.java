package dev.ashlar.kernel.lint;

import dev.ashlar.api.sql.Names;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the statements of one file so far have done that later rules depend on: the tables and indexes it
 * created (the rules for existing tables leave them alone), the constraints it added {@code NOT VALID}, the
 * columns a valid {@code CHECK (column IS NOT NULL)} covers, whether a lock timeout is set.
 */
final class FileState {
    final boolean transactional;
    final boolean generated;
    boolean lockTimeout;
    /** The line of a BEGIN not yet committed or rolled back, or 0. */
    int openTransaction;
    /** The comments above the current step: a statement without comments of its own belongs to the step above. */
    List<String> stepComments = List.of();
    private boolean timeoutWarned;
    private final Set<String> tables = new HashSet<>();
    private final Set<String> indexes = new HashSet<>();
    private final Set<String> notValid = new HashSet<>();
    private final List<String[]> notNullChecks = new ArrayList<>();
    private final Set<String> notNull = new HashSet<>();
    private final List<String[]> validatedConstraints = new ArrayList<>();

    FileState(boolean transactional, boolean generated, boolean lockTimeout) {
        this.transactional = transactional;
        this.generated = generated;
        this.lockTimeout = lockTimeout;
    }

    void created(String table) {
        tables.add(Sql.key(table));
    }

    /** Whether the file created the table: it is empty, so the rules for tables with rows do not apply. */
    boolean isNew(String table) {
        String key = Sql.key(table);
        return tables.stream().anyMatch(t -> Sql.same(t, key));
    }

    void createdIndex(String index) {
        indexes.add(Sql.key(index));
    }

    boolean isNewIndex(String index) {
        String key = Sql.key(index);
        return indexes.stream().anyMatch(i -> Sql.same(i, key));
    }

    /** A constraint added; when it checks {@code column IS NOT NULL} it covers the column once valid. */
    void addedConstraint(String table, String name, String notNullColumn, boolean valid) {
        if (!valid) {
            notValid.add(Sql.key(name));
        }
        if (notNullColumn != null) {
            String[] check = {Sql.key(table), Sql.key(name), Sql.key(notNullColumn)};
            if (valid) {
                notNull.add(check[0] + "." + check[2]);
            } else {
                notNullChecks.add(check);
            }
        }
    }

    /** Whether the constraint was added {@code NOT VALID} earlier in this file. */
    boolean addedNotValid(String name) {
        return notValid.contains(Sql.key(name));
    }

    void validated(String table, String name) {
        String key = Sql.key(name);
        validatedConstraints.add(new String[] {Sql.key(table), key});
        notNullChecks.stream().filter(c -> c[1].equals(key) && Sql.same(c[0], Sql.key(table)))
                .forEach(c -> notNull.add(c[0] + "." + c[2]));
    }

    /**
     * Whether a valid {@code CHECK (column IS NOT NULL)} covers the column, so that SET NOT NULL skips the scan: one
     * added and validated in this file, or one the generator added {@code NOT VALID} in an earlier file under its
     * name for that column ({@link Names#notNullCheck}) and this file validates.
     */
    boolean checkedNotNull(String table, String column) {
        String key = Sql.key(table);
        String col = Sql.key(column);
        String generated = Names.notNullCheck(key.substring(key.lastIndexOf('.') + 1), col);
        return notNull.stream().anyMatch(c -> c.endsWith("." + col)
                && Sql.same(c.substring(0, c.length() - col.length() - 1), key))
                || validatedConstraints.stream().anyMatch(v -> Sql.same(v[0], key) && v[1].equals(generated));
    }

    /** A statement that waits for a lock on a table with rows: without a lock timeout, the file is warned once. */
    void locks(java.util.function.Consumer<Rule> warn) {
        if (!lockTimeout && !timeoutWarned) {
            timeoutWarned = true;
            warn.accept(Rule.REQUIRE_TIMEOUT_SETTINGS);
        }
    }
}
