package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.kernel.data.Load;
import dev.ashlar.api.internal.RowLayout;
import dev.ashlar.api.internal.Rows;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Renders the one statement that loads a relationship for every parent of a level: the destination's
 * rows whose link key is in a bound array ({@code = ANY(?)}), each with the key of its parent. A limit or an
 * offset per parent ranks each parent's rows with {@code row_number() OVER (PARTITION BY <parent key> ...)}. A filter
 * that compares with a field of the parent ({@link dev.ashlar.api.query.Filter.Parent}) joins the parent's table.
 * SQL is rendered once per shape, like {@link SqlRenderer}'s.
 */
final class BatchRenderer {
    private static final int MAX_CACHED_SHAPES = 2_000;
    private static final String ALIAS = Identifiers.quote("r0");
    private static final String JOIN_ALIAS = Identifiers.quote("j0");
    private static final String PARENT_ALIAS = Identifiers.quote("p0");
    private static final String PARENT = Identifiers.quote("ashlar_parent");
    private static final String RANK = Identifiers.quote("ashlar_rank");
    private static final String PARENTS = Identifiers.quote("ashlar_parents");
    private static final String PLACE = Identifiers.quote("ashlar_place");

    private final Links links;
    private final Map<Object, String> cache = new ConcurrentHashMap<>();

    private record Shape(String source, String relationship, Object scopes, Object filter, List<Sort> sorts,
                         boolean limit, boolean offset, List<String> derived, List<String> select,
                         int arrayKeys) {
    }

    /** The related rows and, at the same index, the key of the parent each belongs to. */
    record Batch(List<Object> keys, List<Row> rows) {
    }

    /**
     * A batch statement ready to run, and how its rows read.
     *
     * @param keyPosition the column of each row's parent key: one of the row's own (a has-many's reference), or one
     *                    more after them (a many-to-many's join key)
     */
    record Statement(String sql, List<Bind> binds, RowLayout layout, Codec[] readers, Codec keyCodec,
                     int keyPosition) {
        /** Runs the statement and hands its result to the reader. */
        <T> T query(Connection connection, Reader<T> reader) throws SQLException {
            SqlText.refuseUnsendable(sql);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                StatementTimeout.apply(statement);
                Bind.bindAll(statement, binds);
                try (ResultSet result = statement.executeQuery()) {
                    return reader.read(result);
                }
            }
        }

        /** @param parents how many parents the rows are loaded for, the least the lists will hold */
        Connections.Work<Batch> rows(int parents) {
            return connection -> query(connection, result -> batch(result, parents));
        }

        private Batch batch(ResultSet result, int parents) throws SQLException {
            boolean ownKey = keyPosition < readers.length;
            List<Object> keys = ownKey ? null : new ArrayList<>(parents);
            List<Row> rows = new ArrayList<>(parents);
            Getters getters = Getters.of(result, readers);
            while (result.next()) {
                Object[] values = new Object[readers.length];
                for (int i = 0; i < readers.length; i++) {
                    values[i] = getters.read(result, i + 1);
                }
                rows.add(Rows.create(layout, values));
                if (!ownKey) {
                    keys.add(keyCodec.read(result, keyPosition + 1));
                }
            }
            return new Batch(ownKey ? fieldOf(rows, keyPosition) : keys, rows);
        }
    }

    /** What is made of a batch statement's result. */
    interface Reader<T> {
        T read(ResultSet result) throws SQLException;
    }

    BatchRenderer(Links links) {
        this.links = links;
    }

    /**
     * The statement that loads a relationship for these parent keys, ready to run.
     *
     * @param derived the destination's aggregates and calculations each row holds after its columns
     */
    Statement render(Link link, Load load, List<DerivedPlan> derived, List<Object> keys, Scopes scopes) {
        boolean joinsParent = joinsParent(link, load);
        boolean perParent = perParent(link, load);
        if (joinsParent && !perParent && link.kind() == Link.Kind.BELONGS_TO) {
            // Records that point at the same one would share its row, and with it the answer for one of them.
            throw QueryException.of(link.source().name(), link.name(), "'" + link.name() + "' of "
                    + link.source().name() + " belongs to one record that several may share, so its filter cannot "
                    + "compare with parent(...) in a load; filter the records with exists(\"" + link.name()
                    + "\", ...) instead");
        }
        if (joinsParent && !perParent && !link.noAttributes() && !uniqueOnSource(link)) {
            // Parents sharing the key would each be joined to every related row, and share one answer.
            throw QueryException.of(link.source().name(), link.name(), "'" + link.name() + "' of "
                    + link.source().name() + " starts from its '" + link.sourceAttribute() + "', which several records "
                    + "may share, so its filter cannot compare with parent(...) in a load: key it by the primary key "
                    + "or an attribute with an identity of its own, or filter the records with exists(\""
                    + link.name() + "\", ...) instead");
        }
        if (joinsParent) {
            scopes.scope(link.source().name()); // before the shape is taken: the parent's schema is part of the SQL
        }
        List<ColumnPlan> columns = selection(link, load);
        Shape shape = new Shape(link.source().name(), link.name(), scopes.shape(), QueryShape.shape(load.filter()),
                load.sorts(), load.limit() != null, load.offset() != null,
                derived.isEmpty() ? List.of() : derived.stream().map(DerivedPlan::name).toList(),
                load.select().isEmpty() ? List.of() : columns.stream().map(ColumnPlan::name).toList(),
                arrayKeyed(link) && !perParent ? keys.size() : 0);
        String cached = cache.get(shape);
        SqlWriter out = cached == null ? SqlWriter.rendering() : SqlWriter.bindingOnly();
        ColumnPlan key = write(link, load, columns, derived, keys, scopes, out, joinsParent, perParent);
        String sql = cached != null ? cached : out.sql();
        if (cached == null) {
            if (cache.size() >= MAX_CACHED_SHAPES) {
                cache.clear();
            }
            cache.put(shape, sql);
        }
        List<Bind> binds = out.binds();
        ResourcePlan destination = link.destination();
        int position = extraKey(link) || perParent ? columns.size() + derived.size() : columns.indexOf(key);
        boolean whole = derived.isEmpty() && columns == destination.columns();
        RowLayout layout = whole ? destination.layout() : new RowLayout(destination.name(), Stream.concat(
                columns.stream().map(ColumnPlan::name), derived.stream().map(DerivedPlan::name)).toList());
        Codec[] readers = whole ? destination.codecs() : Stream.concat(columns.stream().map(ColumnPlan::codec),
                derived.stream().map(field -> field.value().codec())).toArray(Codec[]::new);
        return new Statement(sql, binds, layout, readers, perParent ? ScalarCodec.BIGINT : key.codec(), position);
    }

    /**
     * Whether the load compares with the parent's fields, and so joins the parent's table. A relationship with no
     * attributes relates each parent to every match: its rows carry the parent's key.
     */
    private static boolean joinsParent(Link link, Load load) {
        return link.noAttributes() || FilterPaths.namesParent(link.filter())
                || FilterPaths.namesParent(link.joinFilter()) || FilterPaths.namesParent(load.filter())
                || FilterPaths.sortsByParent(link.sorts()) || FilterPaths.sortsByParent(load.sorts());
    }

    /**
     * Whether each parent is one row of its own in the statement, found by its primary key, its related rows carrying
     * its place among the parents (1, 2, ...) instead of the key the relationship starts from: a relationship keyed by
     * more than that key (Ebean's {@code @JoinColumns}, a reference and a {@code parent(...)} filter) that starts from
     * an attribute several parents may share, or a belongs-to that several parents may point through, would otherwise
     * give every parent sharing the key one answer. {@link #render}'s keys are then the parents' primary keys, in order.
     */
    static boolean perParent(Link link, Load load) {
        return link.custom() == null && !link.noAttributes() && link.kind() != Link.Kind.MANY_TO_MANY
                && !link.source().primaryKey().isEmpty() && joinsParent(link, load)
                && (link.kind() == Link.Kind.BELONGS_TO || !uniqueOnSource(link));
    }

    /**
     * The destination's columns a load reads: all of them, or those it selects with the primary key, the version (so
     * that a related row written back is still checked for a change made since) and the key that matches each row to
     * its parent, in attribute order.
     */
    private static List<ColumnPlan> selection(Link link, Load load) {
        ResourcePlan destination = link.destination();
        if (load.select().isEmpty()) {
            return destination.columns();
        }
        Set<String> wanted = new HashSet<>(load.select());
        wanted.forEach(destination::column);
        if (!extraKey(link)) {
            wanted.add(link.destinationAttribute());
        }
        return destination.columns().stream().filter(column -> column.attribute().primaryKey()
                || column == destination.version() || wanted.contains(column.name())).toList();
    }

    /**
     * Whether each parent's key is bound on its own ({@code IN (?, ?, ...)}, one mark a parent, so the number of
     * parents is part of the statement's shape): a key that is an array, as PostgreSQL has no array of arrays.
     */
    private static boolean arrayKeyed(Link link) {
        return keyColumn(link).codec() instanceof ArrayCodec;
    }

    /** The column each parent's key is compared with: the destination's, the join resource's or the source's own. */
    private static ColumnPlan keyColumn(Link link) {
        boolean many = link.kind() == Link.Kind.MANY_TO_MANY;
        boolean unlinked = link.noAttributes();
        ResourcePlan keyHolder = many ? link.through() : unlinked ? link.source() : link.destination();
        return keyHolder.column(many ? link.sourceOnJoin() : unlinked ? link.sourceAttribute()
                : link.destinationAttribute());
    }

    /** Writes the statement; returns the column that holds each row's parent key. */
    private ColumnPlan write(Link link, Load load, List<ColumnPlan> columns, List<DerivedPlan> derived,
                             List<Object> keys, Scopes scopes, SqlWriter out, boolean joinsParent,
                             boolean perParent) {
        ResourcePlan destination = link.destination();
        RelatedSql related = new RelatedSql(links, scopes, null);
        FilterRenderer parent = joinsParent ? new FilterRenderer(link.source(), out, related, PARENT_ALIAS + ".")
                : null;
        FilterRenderer rows = new FilterRenderer(destination, out, related, ALIAS + ".").under(parent)
                .given(load.arguments());
        boolean many = link.kind() == Link.Kind.MANY_TO_MANY;
        boolean unlinked = link.noAttributes();
        FilterRenderer through = many ? new FilterRenderer(link.through(), out, related, JOIN_ALIAS + ".") : null;
        ResourcePlan keyHolder = many ? link.through() : unlinked ? link.source() : destination;
        ColumnPlan key = keyColumn(link);
        String keySql = (many ? through : unlinked ? parent : rows).column(key);
        boolean ranked = load.limit() != null || load.offset() != null;
        String parentSql = perParent ? PARENTS + "." + PLACE : keySql;
        select(rows, through, link, extraKey(link) || perParent, columns, derived, parentSql, ranked ? load : null);
        from(link, scopes, out, through);
        if (parent != null) {
            Query scope = scopes.scope(link.source().name());
            FieldMasks.from(out.append(" JOIN "), link.source(), scope.schema(), PARENT_ALIAS,
                    scopes.masks(link.source().name()));
            out.append(" ON ").append(unlinked ? "TRUE" : parent.column(link.sourceAttribute()) + " = " + keySql);
        }
        if (perParent) {
            parents(link, parent, keys, out);
        } else {
            out.append(" WHERE ").append(keySql);
            parentKeys(key, keyHolder, keys, out, arrayKeyed(link));
        }
        and(rows, scopes.scope(destination.name()).filter());
        if (many) {
            and(through, scopes.scope(link.through().name()).filter());
            and(through.under(parent), link.joinFilter());
        }
        if (parent != null) {
            and(parent, scopes.scope(link.source().name()).filter());
        }
        and(rows, link.filter());
        and(rows, load.filter());
        if (ranked) {
            int skipped = load.offset() == null ? 0 : load.offset();
            out.append(") AS ").append(Identifiers.quote("ranked")).append(" WHERE ").append(RANK).append(" > ")
                    .bind(ScalarCodec.INTEGER, skipped);
            if (load.limit() != null) {
                out.append(" AND ").append(RANK).append(" <= ").bind(ScalarCodec.INTEGER, skipped + load.limit());
            }
            out.append(" ORDER BY ").append(RANK);
        } else {
            order(rows, through, link, load.sorts());
        }
        return key;
    }

    /** Writes how the rows' keys meet the parents' keys, bound. */
    private static void parentKeys(ColumnPlan key, ResourcePlan keyHolder, List<Object> keys, SqlWriter out,
                                   boolean arrayKeyed) {
        if (arrayKeyed) {
            // A key that is an array (a relationship keyed by a list attribute): PostgreSQL has no array whose
            // elements are arrays of their own (its arrays of arrays are one array of more dimensions), so each
            // parent's key is bound on its own.
            out.append(" IN (");
            String separator = "";
            for (Object each : keys) {
                out.append(separator).bind(key.codec(), keyHolder.filterValue(key, key.codec(), each));
                separator = ", ";
            }
            out.append(")");
            return;
        }
        out.inList(new Bind(key.listCodec(), keyHolder.filterValue(key, key.listCodec(), keys)), keys.size(), true);
    }

    /**
     * Joins the parents, each a row of its primary key's columns bound as arrays ({@code unnest(?, ?) WITH
     * ORDINALITY}), its place among them the key its related rows carry; the parent's table is matched on every
     * column of its primary key.
     */
    private static void parents(Link link, FilterRenderer parent, List<Object> keys, SqlWriter out) {
        ResourcePlan source = link.source();
        List<ColumnPlan> key = source.primaryKey();
        StringBuilder names = new StringBuilder();
        out.append(" CROSS JOIN unnest(");
        for (int i = 0; i < key.size(); i++) {
            ColumnPlan column = key.get(i);
            int at = i;
            List<Object> values = keys.stream().<Object>map(each -> ((List<?>) each).get(at)).toList();
            out.append(i == 0 ? "" : ", ").bindCompared(new Bind(column.listCodec(),
                    source.filterValue(column, column.listCodec(), values)));
            names.append(Identifiers.quote("k" + i)).append(", ");
        }
        out.append(") WITH ORDINALITY AS ").append(PARENTS).append("(").append(names.toString()).append(PLACE)
                .append(") WHERE ");
        for (int i = 0; i < key.size(); i++) {
            out.append(i == 0 ? "" : " AND ").append(parent.column(key.get(i))).append(" = ").append(PARENTS)
                    .append(".").append(Identifiers.quote("k" + i));
        }
    }

    /**
     * Writes the select list: the destination's columns, its declared aggregates and calculations loaded, the parent
     * key when it is not one of them (through a join resource), and for a limit per parent ({@code ranked} not null)
     * each row's rank in its parent's order.
     */
    private static void select(FilterRenderer rows, FilterRenderer through, Link link, boolean extraKey,
                               List<ColumnPlan> columns, List<DerivedPlan> derived, String keySql, Load ranked) {
        SqlWriter out = rows.out();
        out.append("SELECT ");
        if (ranked != null) {
            // The outer select reads the inner one's columns, already as read.
            out.append(out.renders() ? BulkWriter.join(columns) : "");
            derived.forEach(field -> out.append(", ").append(field.value().quoted()));
            out.append(extraKey ? ", " + PARENT : "").append(" FROM (SELECT ");
        }
        out.append(out.renders() ? columns(columns, ALIAS + ".") : "");
        for (DerivedPlan field : derived) {
            out.append(", ");
            rows.loaded(field);
            out.append(" AS ").append(field.value().quoted());
        }
        if (extraKey) {
            out.append(", ").append(keySql).append(" AS ").append(PARENT);
        }
        if (ranked != null) {
            out.append(", row_number() OVER (PARTITION BY ").append(keySql);
            order(rows, through, link, ranked.sorts());
            out.append(") AS ").append(RANK);
        }
    }

    /**
     * {@code ORDER BY} the load's sorts; a load that gives none of a many-to-many ordered by its join records, by
     * their fields, then by the definition's sorts.
     */
    private static void order(FilterRenderer rows, FilterRenderer through, Link link, List<Sort> sorts) {
        if (!sorts.isEmpty() || link.joinSorts().isEmpty()) {
            rows.orderBy(sorts, false);
            return;
        }
        through.orderBy(link.joinSorts(), false);
        rows.thenBy(link.sorts());
    }

    /** Whether each row's parent key is a column after the destination's own: through a join, or with no link. */
    /** Whether no two of the source's records hold the same value of the attribute the relationship starts from. */
    private static boolean uniqueOnSource(Link link) {
        ResourcePlan source = link.source();
        String attribute = link.sourceAttribute();
        List<ColumnPlan> key = source.primaryKey();
        return key.size() == 1 && key.get(0).attribute().name().equals(attribute)
                || source.resource().identities().stream()
                        .anyMatch(identity -> identity.where() == null && identity.fields().equals(List.of(attribute)));
    }

    private static boolean extraKey(Link link) {
        return link.kind() == Link.Kind.MANY_TO_MANY || link.noAttributes();
    }

    private static void from(Link link, Scopes scopes, SqlWriter out, FilterRenderer through) {
        ResourcePlan destination = link.destination();
        Query scope = scopes.scope(destination.name());
        FieldMasks.from(out.append(" FROM "), destination, scope.schema(), ALIAS, scopes.masks(destination.name()));
        if (through != null) {
            FieldMasks.from(out.append(" JOIN "), link.through(), scopes.scope(link.through().name()).schema(),
                    JOIN_ALIAS, scopes.masks(link.through().name()));
            out.append(" ON ").append(through.column(link.destinationOnJoin()))
                    .append(" = ").append(ALIAS + ".").append(destination.column(link.destinationAttribute()).quoted());
        }
    }

    private static void and(FilterRenderer renderer, dev.ashlar.api.query.Filter filter) {
        if (filter != null) {
            renderer.out().append(" AND ");
            renderer.filter(filter);
        }
    }

    private static String columns(List<ColumnPlan> columns, String qualifier) {
        StringBuilder list = new StringBuilder();
        for (ColumnPlan column : columns) {
            list.append(list.length() == 0 ? "" : ", ").append(column.selected(qualifier));
        }
        return list.toString();
    }

    /** The value at one position of each row, read in place. */
    private static List<Object> fieldOf(List<Row> rows, int position) {
        return new AbstractList<>() {
            @Override
            public Object get(int index) {
                return Rows.values(rows.get(index))[position];
            }

            @Override
            public int size() {
                return rows.size();
            }
        };
    }
}
