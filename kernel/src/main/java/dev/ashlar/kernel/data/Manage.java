package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.typed.Relation;

import java.util.List;

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
 * ashlar.create("order", Map.of("number", "A-1", "lines", List.of(Map.of("sku", "x",
 *                 "details", List.of(Map.of("qty", 4))))),                                  // nested in each line
 *         Manage.relationship("lines").create(), Manage.relationship("lines.details").create());
 * }</pre>
 *
 * @param relationship  the relationship's name, as given in the values, or the path of names to a relationship of
 *                      related records ({@code "lines.details"}), each of whose relationships is managed too
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

    /**
     * The start of a management: {@code Manage.relationship("comments").directControl()}, or of the records nested in
     * related records: {@code Manage.relationship("lines.details").create()}.
     */
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

    /**
     * The typed start of a management, given the related records or keys: {@code ashlar.create(POSTS, post,
     * Manage.of(POST_COMMENTS).create(List.of(new Comment(null, "first", null))))}; the compiler checks that the
     * relationship is the written table's and the records its destination's.
     */
    public static <R extends Record, D extends Record> Typed<R, D> of(Relation<R, D> relation) {
        return new Typed<>(QueryException.required(relation, "relation"));
    }

    /** A typed relationship whose management type and records are still to give. */
    public record Typed<R extends Record, D extends Record>(Relation<R, D> relation) {
        /** {@link Type#CREATE} of records of a relationship of many (null components left out). */
        public Given<R> create(List<D> records) {
            return given(Type.CREATE, records(records));
        }

        /** {@link Type#CREATE} of the one record of a belongs-to or has-one. */
        public Given<R> create(D record) {
            return given(Type.CREATE, relation.destination().values(QueryException.required(record, "record")));
        }

        /** {@link Type#DIRECT_CONTROL} of a relationship of many: records without their key are created. */
        public Given<R> directControl(List<D> records) {
            return given(Type.DIRECT_CONTROL, records(records));
        }

        /** {@link Type#DIRECT_CONTROL} of a belongs-to or has-one; null unlinks (and destroys) the related record. */
        public Given<R> directControl(D record) {
            return given(Type.DIRECT_CONTROL, record == null ? null : relation.destination().values(record));
        }

        /** {@link Type#APPEND} of the records of these keys (one key for a belongs-to or has-one). */
        public Given<R> append(List<?> keys) {
            return given(Type.APPEND, keys(keys));
        }

        /** {@link Type#APPEND_AND_REMOVE} of the records of these keys. */
        public Given<R> appendAndRemove(List<?> keys) {
            return given(Type.APPEND_AND_REMOVE, keys(keys));
        }

        /** {@link Type#REMOVE} of the related records of these keys. */
        public Given<R> remove(List<?> keys) {
            return given(Type.REMOVE, keys(keys));
        }

        /** A copy of the keys that keeps a null one, for the write to refuse naming its place. */
        private static List<Object> keys(List<?> keys) {
            return java.util.Collections.unmodifiableList(new java.util.ArrayList<>(QueryException.required(keys,
                    "keys")));
        }

        private List<Object> records(List<D> records) {
            return QueryException.required(records, "records").stream()
                    .map(record -> (Object) relation.destination().values(QueryException.required(record, "record")))
                    .toList();
        }

        private Given<R> given(Type type, Object records) {
            return new Given<>(new Manage(relation.name(), type, false), records);
        }
    }

    /**
     * A typed management with its records: what the string API gives under the relationship's name in the values
     * ({@code records}: a list of maps or keys, or one map) and its {@link Manage}.
     */
    public record Given<R extends Record>(Manage manage, Object records) {
        /** The same direct control, unlinking the related records not given; see {@link Manage#unlinkMissing()}. */
        public Given<R> unlinkMissing() {
            return new Given<>(manage.unlinkMissing(), records);
        }
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
