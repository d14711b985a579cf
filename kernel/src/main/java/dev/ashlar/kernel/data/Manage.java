package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;

/**
 * How a create or update writes the related records given under a relationship's name in its values (Ash's
 * {@code manage_relationship}; Hibernate's and Ebean's cascading saves), all in the write's transaction:
 *
 * <pre>{@code
 * Row post = ashlar.create("post", Map.of("title", "Hello",
 *                 "comments", List.of(Map.of("body", "first"), Map.of("body", "second")),   // created, post_id set
 *                 "tags", List.of(3, 7),                                                    // linked by key
 *                 "author", Map.of("name", "Ada")),                                         // created first
 *         Manage.relationship("comments").create(), Manage.relationship("tags").append(),
 *         Manage.relationship("author").create());
 * ashlar.update(post, Map.of("comments", List.of(Map.of("id", 1, "body", "edited"), Map.of("body", "new"))),
 *         Manage.relationship("comments").directControl());   // 1 updated, one created, the rest destroyed
 * }</pre>
 *
 * @param relationship  the relationship's name, as given in the values
 * @param type          what is done with the given records and with the related records not given
 * @param unlinksMissing for {@link Type#DIRECT_CONTROL}: unlink the related records not given instead of destroying them
 */
public record Manage(String relationship, Type type, boolean unlinksMissing) {

    /** The management types, after Ash's {@code type:} option of {@code manage_relationship}. */
    public enum Type {
        /** Link the existing records given by key; the others stay related. */
        APPEND,
        /** Link the records given by key and unlink every other: the given set becomes the related set. */
        APPEND_AND_REMOVE,
        /** Unlink the related records given by key. */
        REMOVE,
        /** Create the records given, related. */
        CREATE,
        /**
         * Create the records given without a key, update the related records given with theirs, and destroy (or
         * unlink, {@link #unlinkMissing()}) the related records not given: Hibernate's {@code orphanRemoval}.
         */
        DIRECT_CONTROL
    }

    public Manage {
        QueryException.required(relationship, "relationship");
        QueryException.required(type, "type");
        if (unlinksMissing && type != Type.DIRECT_CONTROL) {
            throw QueryException.of(null, relationship, "unlinkMissing() is an option of directControl(), not of "
                    + type + " (relationship '" + relationship + "')");
        }
    }

    /** The start of a management: {@code Manage.relationship("comments").directControl()}. */
    public static Of relationship(String name) {
        return new Of(QueryException.required(name, "relationship"));
    }

    /**
     * The same direct control, unlinking the related records not given (a has-many's key set to null, a
     * many-to-many's join record destroyed) instead of destroying them.
     *
     * @throws QueryException for another type than {@link Type#DIRECT_CONTROL}
     */
    public Manage unlinkMissing() {
        return new Manage(relationship, type, true);
    }

    /** A relationship whose management type is still to choose. */
    public record Of(String relationship) {
        /** See {@link Type#APPEND}. */
        public Manage append() {
            return new Manage(relationship, Type.APPEND, false);
        }

        /** See {@link Type#APPEND_AND_REMOVE}. */
        public Manage appendAndRemove() {
            return new Manage(relationship, Type.APPEND_AND_REMOVE, false);
        }

        /** See {@link Type#REMOVE}. */
        public Manage remove() {
            return new Manage(relationship, Type.REMOVE, false);
        }

        /** See {@link Type#CREATE}. */
        public Manage create() {
            return new Manage(relationship, Type.CREATE, false);
        }

        /** See {@link Type#DIRECT_CONTROL}. */
        public Manage directControl() {
            return new Manage(relationship, Type.DIRECT_CONTROL, false);
        }
    }
}
