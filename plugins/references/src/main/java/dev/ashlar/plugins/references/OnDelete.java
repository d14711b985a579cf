package dev.ashlar.plugins.references;

import dev.ashlar.api.error.DefinitionException;

import java.util.List;

/**
 * What the database does to the referencing rows when the referenced row is deleted: the guide's
 * {@code on_delete}. A closed set: the four actions, plus nilify of a chosen column list.
 *
 * <pre>{@code
 * import static dev.ashlar.plugins.references.OnDelete.*;
 * reference("post").onDelete(DELETE)               // ON DELETE CASCADE
 * reference("author").onDelete(NILIFY)             // ON DELETE SET NULL
 * reference("post").onDelete(nilify("post_id"))    // ON DELETE SET NULL (post_id), PostgreSQL 15+
 * }</pre>
 */
public sealed interface OnDelete permits OnDelete.Action, OnDelete.Nilify {

    /** Prevent the delete while rows refer to it, checked at the end of the statement ({@code NO ACTION}, the default). */
    Action NOTHING = Action.NOTHING;
    /** Prevent the delete at once, even inside a deferred key ({@code RESTRICT}). */
    Action RESTRICT = Action.RESTRICT;
    /** Delete the referencing rows too ({@code CASCADE}). */
    Action DELETE = Action.DELETE;
    /** Set every column of the key to null ({@code SET NULL}). */
    Action NILIFY = Action.NILIFY;

    /**
     * Set only these columns of the key to null ({@code SET NULL (columns)}), e.g. the post id of a
     * composite key whose tenant column must stay. Needs PostgreSQL 15: the migration that creates it
     * refuses to run on an older server.
     */
    static Nilify nilify(String... columns) {
        return new Nilify(List.of(columns));
    }

    /** The actions without parameters. */
    enum Action implements OnDelete {
        NOTHING, RESTRICT, DELETE, NILIFY
    }

    /** @param columns the key columns to set to null, at least one */
    record Nilify(List<String> columns) implements OnDelete {
        public Nilify {
            columns = List.copyOf(columns);
            if (columns.isEmpty()) {
                throw DefinitionException.of(null, null, "nilify(...) needs at least one column; "
                        + "use NILIFY to set every column of the key to null");
            }
        }
    }
}
