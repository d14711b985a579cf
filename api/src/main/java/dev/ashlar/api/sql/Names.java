package dev.ashlar.api.sql;

import dev.ashlar.api.error.DefinitionException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one naming scheme for what Ashlar generates, so that a name never changes by accident
 * between two generations. Every generated name is checked against the 63-byte limit by whoever
 * creates the object, with {@link Identifiers#problem}.
 *
 * <ul>
 *   <li>primary key: {@code <table>_pkey}</li>
 *   <li>identity unique index: {@code <table>_<identity>_index}</li>
 *   <li>custom index: {@code <table>_<column>_<column>_index}</li>
 *   <li>foreign key: {@code <table>_<column>_fkey}</li>
 *   <li>check constraint: {@code <table>_<check>_check}</li>
 *   <li>tenant key (tenant columns and primary key, for keys that match a tenant): {@code <table>_tenant_key}</li>
 *   <li>the trigger of {@code timestamps(t -> t.trigger())}, and its function: {@code <table>_set_updated_at}</li>
 *   <li>a table's history ({@code history()}): the table {@code <table>_history}, the view
 *       {@code <table>_with_history}, and the trigger and its function {@code <table>_history_version}</li>
 *   <li>a table's drafts ({@code draftable()}): the table {@code <table>_draft}, and the trigger and its function
 *       {@code <table>_draft_dirty}</li>
 *   <li>an identity column's sequence, named by PostgreSQL: {@code <table>_<column>_seq}, cut to 63 bytes
 *       (see {@link #identitySequence})</li>
 *   <li>the check that makes a column not null without a long lock, for the moment it exists:
 *       {@code <table>_<column>_not_null}</li>
 *   <li>on Citus, the snapshot entry that distributes a table: {@code <table>_distribution}, cut to 63 bytes
 *       (see {@link #distribution})</li>
 * </ul>
 */
public final class Names {
    private Names() {
    }

    public static String primaryKey(String table) {
        return table + "_pkey";
    }

    public static String identityIndex(String table, String identity) {
        return table + "_" + identity + "_index";
    }

    public static String index(String table, List<String> columns) {
        return table + "_" + String.join("_", DefinitionException.requiredEach(columns, "column")) + "_index";
    }

    public static String foreignKey(String table, String column) {
        return table + "_" + column + "_fkey";
    }

    public static String timestampTrigger(String table) {
        return table + "_set_updated_at";
    }

    /** The table of the versions a history table's rows had before an update or delete replaced them. */
    public static String historyTable(String table) {
        return table + "_history";
    }

    /** The view of a history table's current rows and past versions, which {@code asOf} reads. */
    public static String historyView(String table) {
        return table + "_with_history";
    }

    /** The trigger that copies a replaced row into the history table, and its function. */
    public static String historyTrigger(String table) {
        return table + "_history_version";
    }

    /** The table of a draftable table's drafts ({@code draftable()}), and the trigger that marks them dirty. */
    public static String draftTable(String table) {
        return table + "_draft";
    }

    /** The trigger on a draft table that marks a changed draft dirty, and its function. */
    public static String draftDirtyTrigger(String table) {
        return table + "_draft_dirty";
    }

    public static String tenantKey(String table) {
        return table + "_tenant_key";
    }

    /**
     * The object that distributes a table on Citus ({@code create_distributed_table} or {@code create_reference_table}):
     * {@code <table>_distribution}. Only the snapshot and the migration's comments carry it, no catalog object, so a
     * table name that fits its own table's names never makes it refused: over 63 bytes it is cut and hashed as
     * {@link #notNullCheck} is.
     */
    public static String distribution(String table) {
        return transientName(table, "_distribution");
    }

    public static String check(String table, String check) {
        return table + "_" + check + "_check";
    }

    /**
     * The check that stands for {@code NOT NULL} while a column is made not null on a table with rows; it lives only
     * during a migration, so a name over 63 bytes is cut and ends with a hash of the whole name instead of being
     * refused: {@code <table>_<column>_not_null}, or e.g. {@code <start of it>_1a2b3c4d_not_null}.
     */
    public static String notNullCheck(String table, String column) {
        return transientName(table + "_" + column, "_not_null");
    }

    /**
     * The unique index built concurrently for a table's new primary key, until it becomes the key (and takes the
     * key's name): {@code <table>_pkey_next}, cut and hashed as {@link #notNullCheck} is when over 63 bytes.
     */
    public static String nextPrimaryKey(String table) {
        return transientName(table, "_pkey_next");
    }

    /**
     * An index built concurrently to replace {@code index} before that one is dropped, until it takes its name:
     * {@code <index>_next}, cut and hashed as {@link #notNullCheck} is when over 63 bytes.
     */
    public static String nextIndex(String index) {
        return transientName(index, "_next");
    }

    /**
     * The name PostgreSQL gives an identity column's sequence: {@code table_column_seq}, the longer of table and column
     * cut a byte at a time until both fit 63 bytes, then each back to a whole character (makeObjectName in the
     * server's indexcmds.c): a multi-byte name may lose more than the byte counts alone say. PostgreSQL picks another
     * name ({@code ..._seq1}) when this one is taken, so the schema builder refuses two relations that would share it.
     */
    public static String identitySequence(String table, String column) {
        DefinitionException.required(table, "table");
        DefinitionException.required(column, "column");
        int available = Identifiers.MAX_BYTES - "_seq".length() - 1;
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

    /**
     * Why a name made of a table's name and an ASCII suffix cannot be an identifier, naming the longest table name that
     * fits (the only fix, since the suffix is fixed); {@code null} when it can be.
     *
     * <pre>{@code tableDerivedProblem("the tenant key index", "t".repeat(55), "t".repeat(55) + "_tenant_key")
     * -> "the tenant key index would be named 'ttt..._tenant_key', which is 66 bytes long; PostgreSQL keeps only 63
     *     and would silently truncate it; set a table name of at most 52 bytes with .table(...)"}</pre>
     */
    public static String tableDerivedProblem(String what, String table, String name) {
        DefinitionException.required(name, "name");
        String problem = Identifiers.problem(name);
        return problem == null ? null : what + " would be named '" + name + "', which "
                + problem.replaceFirst(": choose a shorter name$", "") + "; set a table name of at most "
                + (Identifiers.MAX_BYTES - (name.length() - table.length())) + " bytes with .table(...)";
    }

    /** {@code start + tail}, or when over 63 bytes the start cut and followed by a hash of the whole, then the tail. */
    private static String transientName(String start, String tail) {
        String name = start + tail;
        if (name.getBytes(StandardCharsets.UTF_8).length <= Identifiers.MAX_BYTES) {
            return name;
        }
        String suffix = "_" + String.format("%08x", name.hashCode()) + tail;
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            String next = new String(Character.toChars(codePoint));
            if ((kept + next + suffix).getBytes(StandardCharsets.UTF_8).length > Identifiers.MAX_BYTES) {
                break;
            }
            kept.append(next);
            i += Character.charCount(codePoint);
        }
        return kept + suffix;
    }
}
