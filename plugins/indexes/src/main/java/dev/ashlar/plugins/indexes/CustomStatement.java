package dev.ashlar.plugins.indexes;

import java.util.List;
import java.util.Objects;

/**
 * SQL that a resource runs for what attributes cannot say: an extension, a function, a trigger, a
 * view. Made with {@link CustomStatements#statement(String)}.
 *
 * <p>A statement's {@code up} runs when it is added; when it changes, the old {@code down} runs, then
 * the new {@code up}; when it is removed, or its resource is, its {@code down} runs (before the table
 * is dropped). An {@code onDestroy} statement instead runs its {@code up} only when its resource is
 * removed, never on create, and its {@code down} when that removal is rolled back.
 *
 * @param name      identifies the statement on its table in snapshots and migrations; at most 63 bytes
 * @param up        the SQL to run, one or more statements
 * @param down      the SQL that undoes {@code up} (empty when nothing needs undoing)
 * @param onDestroy whether {@code up} runs only when the resource is removed
 * @param afterTables the resources whose tables the statement reads (see {@link Builder#afterTables})
 * @param global    whether the statement of a resource in tenant schemas runs once, in the main migrations
 *                  (see {@link Builder#global})
 */
public record CustomStatement(String name, String up, String down, boolean onDestroy, List<String> afterTables,
                              boolean global) {

    public CustomStatement {
        afterTables = List.copyOf(afterTables);
    }

    /** The parts of one statement, as {@link CustomStatements#statement(String)} starts them. */
    public static final class Builder {
        private final String name;
        private String up;
        private String down;
        private boolean onDestroy;
        private List<String> afterTables = List.of();
        private boolean global;

        Builder(String name) {
            this.name = name;
        }

        /** The SQL that the statement runs; several statements and dollar-quoted bodies are fine. */
        public Builder up(String sql) {
            this.up = Objects.requireNonNull(sql, "up");
            return this;
        }

        /** The SQL that undoes {@link #up}, run on rollback and when the statement or its resource goes. */
        public Builder down(String sql) {
            this.down = Objects.requireNonNull(sql, "down");
            return this;
        }

        /**
         * {@code true}: {@link #up} runs only when the resource is removed (e.g. to drop an index or a function the
         * table leaves behind), never when it is created; {@link #down} runs when that removal is rolled back.
         */
        public Builder onDestroy(boolean destroyOnly) {
            this.onDestroy = destroyOnly;
            return this;
        }

        /**
         * The resources whose tables the statement reads, e.g. a view's: it runs after they are created, and is
         * dropped before one of them is dropped or its primary key changes, then created again after.
         */
        public Builder afterTables(String... resources) {
            this.afterTables = List.of(resources);
            return this;
        }

        /**
         * {@code true}: on a resource whose table lives in each tenant's schema, the statement goes into the main
         * migrations and runs once (a function or an extension every tenant shares) instead of in every tenant
         * schema. On any other resource it changes nothing: its statements are in the main migrations already.
         */
        public Builder global(boolean once) {
            this.global = once;
            return this;
        }

        /** The statement as an immutable value; {@link CustomStatements#of} calls it. */
        public CustomStatement build() {
            return new CustomStatement(name, up, down, onDestroy, afterTables, global);
        }
    }
}
