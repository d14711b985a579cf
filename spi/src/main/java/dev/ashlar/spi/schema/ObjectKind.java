package dev.ashlar.spi.schema;

import dev.ashlar.api.error.DefinitionException;

/**
 * What a {@link SchemaObject} is, in a short word for people and snapshots: migration files say
 * "add foreign_key comments_post_id_fkey on public.comments". The kinds of Ashlar's own plugins are
 * constants; a third-party plugin names its own with {@link #of}, e.g. {@code ObjectKind.of("trigger")}.
 *
 * @param name the word, e.g. {@code foreign_key}; written into migration file comments, so it holds no
 *             control character
 */
public record ObjectKind(String name) {
    /** A foreign key constraint. */
    public static final ObjectKind FOREIGN_KEY = new ObjectKind("foreign_key");
    /** A check constraint. */
    public static final ObjectKind CHECK = new ObjectKind("check");
    /** An index that the resource author or a plugin asked for, unique or not. */
    public static final ObjectKind INDEX = new ObjectKind("index");
    /** The unique index behind a resource's identity, which the kernel creates. */
    public static final ObjectKind IDENTITY = new ObjectKind("identity");
    /** SQL the resource author wrote, run as given. */
    public static final ObjectKind STATEMENT = new ObjectKind("statement");
    /** Row-level security on a table with its policy. */
    public static final ObjectKind ROW_LEVEL_SECURITY = new ObjectKind("row_level_security");
    /**
     * The {@link SchemaObject#definition()} key of a {@link #ROW_LEVEL_SECURITY} object that holds its policy's
     * condition, SQL on the table's unqualified columns (e.g. {@code "org_id"::text = current_setting('app.org')}).
     * A table that keeps history ({@code history()}) gives its history table the same policy and filters its
     * {@code <table>_with_history} view by the condition; without the key, history tables are not guarded.
     */
    public static final String ROW_CONDITION = "rows";
    /** A trigger with the function it calls. */
    public static final ObjectKind TRIGGER = new ObjectKind("trigger");
    /** On Citus: what distributes a table (by a column, or as a reference table copied to every node). */
    public static final ObjectKind DISTRIBUTION = new ObjectKind("distribution");

    /** The longest kind, in characters: a word, not a sentence. */
    static final int MAX_LENGTH = 63;

    public ObjectKind {
        String problem = problem(name);
        if (problem != null) {
            throw DefinitionException.of(null, name, "the schema object kind '" + name + "' " + problem);
        }
    }

    /** A kind of a plugin's own, e.g. {@code ObjectKind.of("materialized_view")}. */
    public static ObjectKind of(String name) {
        return new ObjectKind(name);
    }

    private static String problem(String name) {
        if (name == null || name.isBlank()) {
            return "is empty; name what the object is, e.g. 'trigger'";
        }
        if (name.length() > MAX_LENGTH) {
            return "is " + name.length() + " characters long; use a word of at most " + MAX_LENGTH;
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "contains a control character, which would break the migration file comment it is written into";
        }
        return null;
    }

    @Override
    public String toString() {
        return name;
    }
}
