package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

        /**
         * {@link Type#CREATE} of records of a relationship of many, each with related records of its own:
         * {@code Manage.of(ORDER_LINES).createGraphs(List.of(Manage.graph(line, Manage.of(LINE_DETAILS).create(details))))}.
         */
        public Given<R> createGraphs(List<Graph<D>> records) {
            return nested(Type.CREATE, records);
        }

        /** {@link Type#CREATE} of the one record of a belongs-to or has-one, with related records of its own. */
        public Given<R> create(Graph<D> record) {
            return nested(Type.CREATE, QueryException.required(record, "record"));
        }

        /** {@link Type#DIRECT_CONTROL} of a relationship of many, each record with related records of its own. */
        public Given<R> directControlGraphs(List<Graph<D>> records) {
            return nested(Type.DIRECT_CONTROL, records);
        }

        /** {@link Type#DIRECT_CONTROL} of a belongs-to or has-one whose record has related records of its own. */
        public Given<R> directControl(Graph<D> record) {
            return nested(Type.DIRECT_CONTROL, QueryException.required(record, "record"));
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

        /** The graphs' records as values, with the managements of their paths under this relationship's name. */
        private Given<R> nested(Type type, List<Graph<D>> graphs) {
            List<Graph<D>> all = new ArrayList<>(QueryException.required(graphs, "records"));
            List<Object> values = new ArrayList<>();
            for (Graph<D> graph : all) {
                values.add(QueryException.required(graph, "record").values(relation.destination()));
            }
            return new Given<>(new Manage(relation.name(), type, false), List.copyOf(values),
                    Graph.manages(relation.destination().name(), relation.name() + ".", all));
        }

        private Given<R> nested(Type type, Graph<D> graph) {
            return new Given<>(new Manage(relation.name(), type, false), graph.values(relation.destination()),
                    Graph.manages(relation.destination().name(), relation.name() + ".",
                    List.of(graph)));
        }
    }

    /**
     * A typed management with its records: what the string API gives under the relationship's name in the values
     * ({@code records}: a list of maps or keys, or one map) and its {@link Manage}, with the managements of the paths
     * below it that its records' {@link Graph}s give ({@code inner}: {@code lines.details}, named from the record
     * that gives this relationship).
     */
    public record Given<R extends Record>(Manage manage, Object records, List<Manage> inner) {
        public Given {
            QueryException.required(manage, "manage");
            inner = List.copyOf(QueryException.required(inner, "inner"));
        }

        /** A management whose records give no related records of their own. */
        public Given(Manage manage, Object records) {
            this(manage, records, List.of());
        }

        /** The same direct control, unlinking the related records not given; see {@link Manage#unlinkMissing()}. */
        public Given<R> unlinkMissing() {
            return new Given<>(manage.unlinkMissing(), records, inner);
        }
    }

    /**
     * A typed record with related records of its own, to write with the records related to it (Hibernate's cascading
     * {@code persist} of a graph): {@code Manage.graph(new Line(null, "bolt", null),
     * Manage.of(LINE_DETAILS).create(details))}, given to {@code Manage.of(ORDER_LINES).createGraphs(List.of(...))} or to
     * {@code ashlar.createGraphs(ORDERS, graphs)}. Each of its managements is the string API's {@link Manage} of the path
     * from the written record ({@code lines.details}), so every record giving a path must manage it the same way.
     *
     * @param record  the record, its null components left out as for a create
     * @param related its related records, each relationship's with its management
     */
    public record Graph<D extends Record>(D record, List<Given<D>> related) {
        public Graph {
            QueryException.required(record, "record");
            List<Given<D>> all = new ArrayList<>(QueryException.required(related, "related"));
            for (int i = 0; i < all.size(); i++) {
                QueryException.required(all.get(i), "related[" + i + "]");
            }
            related = List.copyOf(all);
        }

        /**
         * The record's values as the string API takes them: its components (null ones left out) and, under each
         * relationship's name, its related records.
         *
         * @throws QueryException for a relationship given twice or named as one of the record's fields
         */
        public Map<String, Object> values(Table<D> table) {
            Map<String, Object> values = new LinkedHashMap<>(table.values(record));
            for (Given<D> given : related) {
                String name = given.manage().relationship();
                if (values.containsKey(name) || table.fields().contains(name)) {
                    throw QueryException.of(table.name(), name, "A " + table.name() + " record's graph gives '"
                            + name + "' twice (a relationship given twice, or a field of that name): "
                            + "give each relationship's records once");
                }
                values.put(name, given.records());
            }
            return values;
        }

        /**
         * The managements of the paths the graphs give, one per path, each path begun with {@code prefix}
         * ({@code ""} for the written records themselves): the {@link Manage}s the string API takes with their values.
         *
         * @param resource the resource of the graphs' records, for the error to name
         * @throws QueryException for a path two records manage differently (one creates, another directly controls)
         */
        public static List<Manage> manages(String resource, String prefix, Collection<? extends Graph<?>> graphs) {
            Map<String, Manage> paths = new LinkedHashMap<>();
            for (Graph<?> graph : graphs) {
                for (Given<?> given : graph.related()) {
                    path(paths, resource, prefix, given.manage());
                    given.inner().forEach(inner -> path(paths, resource, prefix, inner));
                }
            }
            return List.copyOf(paths.values());
        }

        private static void path(Map<String, Manage> paths, String resource, String prefix, Manage manage) {
            Manage full = new Manage(prefix + manage.relationship(), manage.type(), manage.unlinksMissing());
            Manage before = paths.putIfAbsent(full.relationship(), full);
            if (before != null && !before.equals(full)) {
                throw QueryException.of(resource, full.relationship(), "'" + full.relationship() + "' is managed as "
                        + describe(before) + " by one record and as " + describe(full) + " by another of the "
                        + resource + " records given: the records of a path are all managed one way; give them the "
                        + "same management");
            }
        }

        private static String describe(Manage manage) {
            return manage.type() + (manage.unlinksMissing() ? " with unlinkMissing()" : "");
        }
    }

    /** A typed record with related records of its own; see {@link Graph}. */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public static <D extends Record> Graph<D> graph(D record, Given<D>... related) {
        return new Graph<>(record, Arrays.asList(QueryException.required(related, "related")));
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
