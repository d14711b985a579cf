package dev.ashlar.kernel.data.internal;

import dev.ashlar.kernel.data.internal.QueryShape.Kind;
import dev.ashlar.api.internal.RowLayout;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Computed;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Calculation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a query (after every plugin's rewrite ran) into SQL and binds for one resource. The SQL of
 * each query shape is rendered once and cached; later calls of that shape only collect binds.
 */
public final class SqlRenderer {
    /** Shapes come from code, so they are few; the bound only guards against a runaway generator. */
    private static final int MAX_CACHED_SHAPES = 2_000;
    private static final String COMBINED = Identifiers.quote("combined");
    private static final String PART = Identifiers.quote("part");

    private final ResourcePlan plan;
    private final Links links;
    /** The statement a read takes its rows from in place of the table ({@code Read.from}), or null. */
    private final SqlSource source;
    private final Map<QueryShape, Cached> cache = new ConcurrentHashMap<>();
    /** The plain reads by primary key ({@link #byKey}), by schema ("" for the resource's own): no shape built for them. */
    private final Map<String, SqlStatement> keySelects = new ConcurrentHashMap<>();
    private final Map<String, SqlStatement> keyPages = new ConcurrentHashMap<>();

    private record Cached(String sql, RowLayout layout, Codec[] readers, List<Sort> seenKeys) {
    }

    public SqlRenderer(ResourcePlan plan) {
        this(plan, null);
    }

    /** @param links the domain's relationships, for filters and sorts through them */
    SqlRenderer(ResourcePlan plan, Links links) {
        this(plan, links, null);
    }

    /** @param source the statement the resource's reads take their rows from, or null for its table */
    SqlRenderer(ResourcePlan plan, Links links, SqlSource source) {
        this.plan = plan;
        this.links = links;
        this.source = source;
    }

    /**
     * The statement of a query.
     *
     * @param changes for {@link Kind#UPDATE}: columns to set and their converted values, in attribute order; for
     *                {@link Kind#AGGREGATE}: the one column and its {@link Aggregate}
     */
    SqlStatement render(Kind kind, Query query, Map<ColumnPlan, Object> changes) {
        return render(kind, query, changes, Scopes.NONE);
    }

    /** @param scopes the scopes of the relationships the query's filter and sorts use */
    SqlStatement render(Kind kind, Query query, Map<ColumnPlan, Object> changes, Scopes scopes) {
        // An atomic change renders differently from a bound value: its shape says so.
        List<String> changed = changes.isEmpty() ? List.of() : changes.entrySet().stream().map(change ->
                change.getValue() instanceof Atomic atomic ? change.getKey().name() + " " + atomic.operator()
                        + (atomic.field() != null ? " of " + atomic.field()
                        : atomic.expression() ? " " + ((Filter.Sql) atomic.amount()).sql() : "")
                        : change.getValue() instanceof Aggregate aggregate ? change.getKey().name() + " " + aggregate
                        : change.getValue() instanceof UpdateInput.Column input ? change.getKey().name() + " from "
                        + input.sql()
                        : change.getKey().name()).toList();
        QueryShape shape = QueryShape.of(kind, query, changed, scopes.shape());
        Cached cached = cache.get(shape);
        SqlWriter out = cached == null ? SqlWriter.rendering() : SqlWriter.bindingOnly();
        List<ColumnPlan> selected = kind == Kind.UPDATE_KEYS ? plan.primaryKey()
                : kind.selectsRows() || kind == Kind.UPDATE ? selection(query)
                : kind == Kind.AGGREGATE && ((Aggregate) changes.values().iterator().next()).keepsType()
                ? List.copyOf(changes.keySet()) : List.of();
        RelatedSql related = scopes == Scopes.NONE ? null
                : new RelatedSql(links, scopes, rows(query, scopes.masks(plan.name())));
        List<DerivedPlan> derived = kind.selectsRows() ? derived(query) : List.of();
        write(kind, query, changes, selected, derived,
                new FilterRenderer(plan, out, related, "").given(query.arguments()));
        if (cached == null) {
            List<Computed> computed = kind.selectsRows() ? query.computed() : List.of();
            List<ColumnPlan> values = derived.stream().map(DerivedPlan::value).toList();
            RowLayout layout = selected.size() == plan.columns().size() && computed.isEmpty() && values.isEmpty()
                    ? plan.layout() : new RowLayout(plan.name(), Stream.of(selected.stream().map(ColumnPlan::name),
                    computed.stream().map(Computed::name), values.stream().map(ColumnPlan::name))
                    .flatMap(names -> names).toList());
            Codec[] readers = Stream.of(selected.stream().map(ColumnPlan::codec),
                    computed.stream().map(field -> Codecs.forType(plan.name(), field.name(), field.type())),
                    values.stream().map(ColumnPlan::codec)).flatMap(codecs -> codecs).toArray(Codec[]::new);
            List<Sort> seenKeys = kind == Kind.PAGE ? seenKeys(query) : List.of();
            Map<String, Filter> masks = kind == Kind.SELECT || kind == Kind.PAGE ? scopes.masks(plan.name()) : Map.of();
            cached = new Cached(out.sql(), layout, FieldMasks.readers(plan, readers, selected, masks,
                    readers.length + seenKeys.size() + 1), seenKeys);
            if (cache.size() >= MAX_CACHED_SHAPES) {
                cache.clear();
            }
            cache.put(shape, cached);
        }
        return new SqlStatement(cached.sql(), binds(out), cached.layout(), cached.readers(), reversed(query),
                cached.seenKeys());
    }

    /**
     * The statement of a plain read by a one-column primary key ({@code WHERE key = ? LIMIT 2}, every column, no sort,
     * nothing and'ed to the key by a tenant column, a base filter, a policy or a discriminator, no field policy, no
     * relationship: the caller checks, {@link KeyRead#plain}). Its SQL depends only on the kind and the schema, so it
     * is kept by schema and only the key is bound; a key the column's own codec cannot hold (a bigint compared with an
     * integer column binds as the wider type) takes the general path, and a statement is kept only when the general
     * walk bound the key exactly so.
     */
    SqlStatement byKey(Kind kind, Query query) {
        Map<String, SqlStatement> kept = kind == Kind.PAGE ? keyPages : keySelects;
        String schema = query.schema() == null ? "" : query.schema();
        ColumnPlan column = plan.primaryKey().get(0);
        Bind key = plan.comparedValue(column, column.codec(), ((Filter.Compare) query.filter()).value());
        SqlStatement known = key.codec() == column.codec() ? kept.get(schema) : null;
        if (known != null) {
            return new SqlStatement(known.sql(), List.of(key, known.binds().get(1)), known.layout(), known.readers(),
                    false, known.seenKeys());
        }
        SqlStatement rendered = render(kind, query, Map.of(), Scopes.NONE);
        if (key.codec() == column.codec() && KeyRead.boundAsKey(rendered, key)) {
            if (kept.size() >= MAX_CACHED_SHAPES) {
                kept.clear();
            }
            kept.put(schema, rendered);
        }
        return rendered;
    }

    /**
     * Reads' statements joined by set operators, each in parentheses, sorted and paged as a whole by the attributes
     * of {@code outer}: {@code SELECT * FROM ((SELECT ...) UNION (SELECT ...)) AS "combined" ORDER BY ... LIMIT ?}.
     * The operators apply in the order given, each to everything before it: {@code ((a) UNION (b)) INTERSECT (c)}.
     * The declared aggregates and calculations {@code outer} loads are selected over the combined rows, after their
     * columns.
     */
    SqlStatement combination(List<SqlStatement> parts, List<String> operators, Query outer, Scopes scopes) {
        // The combined rows hold values as read: the outer filters and sorts would apply a read expression twice.
        plan.refuseExpressions("A combination of reads", false);
        SqlWriter out = SqlWriter.rendering();
        // The combined rows stand in for the resource's table, so a filter's subqueries correlate with them.
        FilterRenderer filters = new FilterRenderer(plan, out, new RelatedSql(links, scopes, COMBINED), "")
                .given(outer.arguments());
        List<DerivedPlan> derived = derived(outer);
        out.append(derived.isEmpty() ? "SELECT *" : "SELECT " + COMBINED + ".*");
        selectDerived(derived, filters);
        // INTERSECT binds more tightly than UNION and EXCEPT (PostgreSQL manual, "Combining Queries"): unnested,
        // a.union(b).intersect(c) would be a UNION (b INTERSECT c). Each operator's left side is nested instead.
        out.append(" FROM (").append("(".repeat(Math.max(0, parts.size() - 2)));
        // Each read selects whole rows, then whether the actor sees each field a field policy hides (FieldMasks);
        // the combined rows keep those columns, read by the first read's readers.
        Map<String, Filter> masks = scopes.masks(plan.name());
        // A set operator compares whole rows, and json has no equality operator: its columns are compared as jsonb.
        String compared = plan.comparedColumnList() == null ? null : "SELECT " + plan.comparedColumnList()
                + outer.computed().stream().map(field -> ", " + Identifiers.quote(field.name()))
                .collect(Collectors.joining()) + FieldMasks.shownColumns(plan, plan.columns(), masks, "") + " FROM (";
        for (int i = 0; i < parts.size(); i++) {
            String before = i == 0 ? "(" : (i == 1 ? " " : ") ") + operators.get(i - 1) + " (";
            String sql = compared == null ? parts.get(i).sql() : compared + parts.get(i).sql() + ") AS " + PART;
            out.append(before).append(sql).bound(parts.get(i).binds()).append(")");
        }
        out.append(") AS ").append(COMBINED);
        if (outer.filter() != null) {
            out.append(" WHERE ");
            filters.filter(outer.filter());
        }
        filters.orderBy(outer.sorts(), false, computedNames(outer));
        if (outer.limit() != null) {
            out.append(" LIMIT ").bind(ScalarCodec.INTEGER, outer.limit());
        }
        if (outer.offset() != null) {
            out.append(" OFFSET ").bind(ScalarCodec.INTEGER, outer.offset());
        }
        SqlStatement first = parts.get(0);
        if (derived.isEmpty()) {
            return new SqlStatement(out.sql(), binds(out), first.layout(), first.readers(), false);
        }
        RowLayout layout = new RowLayout(plan.name(), Stream.concat(first.layout().fields().stream(),
                derived.stream().map(DerivedPlan::name)).toList());
        Codec[] readers = Stream.concat(Arrays.stream(first.readers()), derived.stream().map(field -> FieldMasks
                .afterShown(field.value().codec(), plan.columns(), masks))).toArray(Codec[]::new);
        return new SqlStatement(out.sql(), binds(out), layout, readers, false);
    }

    /** The statement's values, refused before anything is sent when there are more than one statement can bind. */
    private List<Bind> binds(SqlWriter out) {
        List<Bind> binds = out.binds();
        if (binds.size() > Bind.MAX_PER_STATEMENT) {
            throw QueryException.of(plan.name(), null, "A statement on " + plan.name() + " would bind " + binds.size()
                    + " values, and PostgreSQL takes at most " + Bind.MAX_PER_STATEMENT + " in one: compare a field "
                    + "with many values through in(field, values), which binds them as one list, rather than through "
                    + "many eq(...) or sql(...) values");
        }
        return binds;
    }

    /** What a combination does with its combined rows: it sorts them by their own fields only. */
    static Query combinedOuter(Query outer) {
        for (Sort sort : outer.sorts()) {
            if (sort.byExpression() || computedNames(outer).contains(sort.field()) && !sort.count()) {
                continue;
            }
            if (sort.count() || sort.field().indexOf('.') >= 0) {
                throw QueryException.of(outer.resource(), sort.field(), "Combined reads of " + outer.resource()
                        + " are sorted by their attributes only, not by '" + sort.field() + "': sort each read by it "
                        + "instead");
            }
        }
        return outer;
    }

    /**
     * The fields every read of a combination computes (Ash's calculations of a combination, read by the combination
     * as {@code combinations(:name)}): each read must compute the same names, in the same order and of the same types,
     * since the set operators line their columns up by position. The combination's sorts may name them.
     */
    static List<Computed> combinedComputed(String resource, List<Query> parts) {
        List<Computed> first = parts.get(0).computed();
        for (Query part : parts) {
            if (!sameShape(first, part.computed())) {
                throw QueryException.of(resource, null, "Every read of a combination of " + resource + " computes "
                        + "the same fields, in the same order and of the same types, but one computes " + shape(first)
                        + " and another " + shape(part.computed()) + ": give each read the same compute(...) "
                        + "names and types, each with its own SQL");
            }
        }
        return first;
    }

    private static boolean sameShape(List<Computed> one, List<Computed> other) {
        return shape(one).equals(shape(other));
    }

    private static List<String> shape(List<Computed> computed) {
        return computed.stream().map(field -> field.name() + " " + field.type().getSimpleName()).toList();
    }

    /** A read's query as one part of a combination: every part selects the resource's whole rows. */
    static Query combinable(Query part) {
        String refused = !part.select().isEmpty() ? "select(...)" : !part.distinct().isEmpty() ? "distinct(...)"
                : !part.aggregates().isEmpty() ? "a loaded aggregate"
                : part.lock() != Lock.NONE ? "a lock" : !part.after().isEmpty() || !part.before().isEmpty()
                ? "a cursor" : null;
        if (refused != null) {
            throw QueryException.of(part.resource(), null, "A read of " + part.resource() + " combined with others "
                    + "cannot have " + refused + ": every read of a combination returns whole rows, in the same "
                    + "columns. Filter, sort, limit and offset each read as needed");
        }
        return part;
    }

    private void write(Kind kind, Query query, Map<ColumnPlan, Object> changes, List<ColumnPlan> selected,
                       List<DerivedPlan> derived, FilterRenderer filters) {
        SqlWriter out = filters.out();
        switch (kind) {
            case SELECT, PAGE -> select(query, out.renders() ? columns(selected) + computed(query) : "", derived,
                    kind == Kind.PAGE ? seenKeys(query) : List.of(),
                    out.renders() ? FieldMasks.shownColumns(plan, selected, filters.masks(), "") : "", filters);
            case COUNT -> count(query, filters);
            case SORT_VALUE -> {
                // The value a row's sort key has, for a keyset cursor over an expression (Read.cursor).
                out.append("SELECT ");
                filters.sortKey(query.sorts().get(0));
                from(query, filters);
                where(query, filters);
            }
            case AGGREGATE -> {
                Map.Entry<ColumnPlan, Object> aggregated = changes.entrySet().iterator().next();
                aggregate((Aggregate) aggregated.getValue(), aggregated.getKey(), query, filters);
            }
            case EXISTS -> {
                out.append("SELECT EXISTS (");
                select(query.withLock(Lock.NONE), "1", filters);
                out.append(")");
            }
            case UPDATE, UPDATE_KEYS, UPDATE_COUNT -> {
                refuseWriteOverSource();
                out.append("UPDATE ").append(plan.table(query.schema())).append(" SET ");
                int i = 0;
                for (Map.Entry<ColumnPlan, Object> change : changes.entrySet()) {
                    out.append(i++ == 0 ? "" : ", ").append(change.getKey().quoted()).append(" = ");
                    value(change, filters);
                }
                for (ColumnPlan touched : plan.columns()) {
                    if (touched.attribute().column().touchOnUpdate() && !changes.containsKey(touched)) {
                        out.append(i++ == 0 ? "" : ", ").append(touched.quoted()).append(" = ");
                        touch(touched, changes, query.schema(), filters);
                    }
                }
                UpdateInput input = UpdateInput.of(changes);
                if (input != null) {
                    input.from(out);
                }
                target(query, filters);
                if (kind != Kind.UPDATE_COUNT) {
                    out.append(" RETURNING ").append(out.renders() ? columns(selected) : "");
                }
            }
            case DELETE -> {
                refuseWriteOverSource();
                out.append("DELETE FROM ").append(plan.table(query.schema()));
                target(query, filters);
            }
        }
    }

    /** A write by query names the table it writes, never a statement's rows: refused on a read from one. */
    private void refuseWriteOverSource() {
        if (source != null) {
            throw SqlSource.refusedWrite(plan, "A write by query");
        }
    }

    /** {@code FROM} the resource's table, or the statement a read takes its rows from ({@link SqlSource}). */
    private void from(Query query, FilterRenderer filters) {
        filters.out().append(" FROM ");
        if (source == null) {
            FieldMasks.from(filters.out(), plan, query.schema(), null, filters.masks());
        } else {
            source.from(filters);   // never masked: a read from a statement is refused where a field is hidden
        }
    }

    /**
     * How the statement names the rows it reads, for subqueries to correlate with: the table (its name alone when
     * read through field policies' masks), or the source's alias.
     */
    private String rows(Query query, Map<String, Filter> masks) {
        return source != null ? source.alias() : FieldMasks.ownTable(plan, query.schema(), masks);
    }

    /** A change's new value: bound, or computed from the stored row. */
    private static void value(Map.Entry<ColumnPlan, Object> change, FilterRenderer filters) {
        if (change.getValue() instanceof Atomic atomic) {
            filters.atomic(change.getKey(), atomic);
        } else if (change.getValue() instanceof UpdateInput.Column input) {
            filters.out().append(change.getKey().written(input.sql()));
        } else {
            change.getKey().written(filters.out(), () -> filters.out().bind(change.getKey().codec(), change.getValue()));
        }
    }

    /**
     * An update time's new value: {@code now()} when a change writes a value other than the stored one, else the
     * stored time, as Ash leaves {@code updated_at} when nothing changes (and Hibernate's {@code @UpdateTimestamp},
     * which writes nothing then). The new value is compared in the column's type, so {@code 2.5} equals a stored
     * {@code 2.50}; a change of a column of a migration type, which may have no equality ({@code xml}), always
     * touches it, and so does an {@link Atomic#sql} expression: comparing it would evaluate it a second time, and an
     * expression need not give the same value twice ({@code nextval}, {@code random()}).
     */
    private void touch(ColumnPlan touched, Map<ColumnPlan, Object> changes, String schema, FilterRenderer filters) {
        SqlWriter out = filters.out();
        if (changes.keySet().stream().anyMatch(column -> column.attribute().column().migrationType() != null)
                || changes.values().stream().anyMatch(value -> value instanceof Atomic atomic && atomic.expression())) {
            out.append("now()");
            return;
        }
        String typesSchema = schema != null ? schema : plan.resource().schema();
        out.append("CASE WHEN FALSE");
        for (Map.Entry<ColumnPlan, Object> change : changes.entrySet()) {
            out.append(" OR ").append(change.getKey().quoted()).append(" IS DISTINCT FROM CAST((");
            value(change, filters);
            out.append(") AS ").append(change.getKey().codec().castType(typesSchema)).append(")");
        }
        out.append(" THEN now() ELSE ").append(touched.quoted()).append(" END");
    }

    private void select(Query query, String columns, FilterRenderer filters) {
        select(query, columns, List.of(), filters);
    }

    private void select(Query query, String columns, List<DerivedPlan> derived, FilterRenderer filters) {
        select(query, columns, derived, List.of(), "", filters);
    }

    /**
     * @param derived  declared aggregates and calculations selected after the columns, each named as on the rows
     * @param seenKeys computed sort keys selected after them, for the rows to keep ({@link SeenKeyColumns})
     * @param shown    the columns selected last that say where the actor sees hidden fields ({@link FieldMasks})
     */
    private void select(Query query, String columns, List<DerivedPlan> derived, List<Sort> seenKeys, String shown,
                        FilterRenderer filters) {
        SqlWriter out = filters.out();
        boolean regrouped = DistinctOn.regrouped(this::derived, query);
        out.append("SELECT ");
        if (!regrouped) {
            DistinctOn.write(plan, this::derived, query, out);
        }
        out.append(columns);
        selectDerived(derived, filters);
        for (Sort key : seenKeys) {
            out.append(", ");
            filters.sortKey(key);
        }
        out.append(shown);
        from(query, filters);
        if (regrouped) {
            keptRows(query, filters);
            cursors(query, filters, " AND ");
        } else {
            where(query, filters);
        }
        filters.orderBy(regrouped ? query.sorts() : DistinctOn.order(query), reversed(query), computedNames(query));
        if (query.limit() != null && !query.withTies()) {
            out.append(" LIMIT ").bind(ScalarCodec.INTEGER, query.limit());
        }
        if (query.offset() != null) {
            out.append(" OFFSET ").bind(ScalarCodec.INTEGER, query.offset());
        }
        if (query.limit() != null && query.withTies()) {
            out.append(" FETCH FIRST ").bind(ScalarCodec.INTEGER, query.limit()).append(" ROWS WITH TIES");
        }
        out.append(query.lock().sql());
    }

    /**
     * {@code WHERE (<key>) IN (SELECT DISTINCT ON (...) <key> FROM ... ORDER BY <distinct fields>, <sorts>)}: the first
     * row of each group, by the sorts, chosen apart from the read's own order. DISTINCT ON takes an ORDER BY led by
     * its fields, which would sort and page the groups by them; Ash sorts and pages the rows kept as asked. A declared
     * calculation or aggregate among the fields is selected beside the key under its name, which both name, and the
     * key is taken from that: {@code IN (SELECT <key> FROM (SELECT DISTINCT ON ("score") <key>, (...) AS "score" ...)
     * AS "kept")}.
     */
    private void keptRows(Query query, FilterRenderer filters) {
        SqlWriter out = filters.out();
        // A table without a primary key names its rows by their place in it, constant within the statement.
        String key = !out.renders() ? "" : plan.primaryKey().isEmpty() ? "ctid" : columns(plan.primaryKey());
        Set<String> derived = DistinctOn.derived(this::derived, query);
        out.append(" WHERE (").append(key).append(") IN (SELECT ");
        if (!derived.isEmpty()) {
            out.append(key).append(" FROM (SELECT ");
        }
        DistinctOn.write(plan, this::derived, query, out);
        out.append(key);
        for (String field : derived) {
            out.append(", ");
            filters.sortKey(Sort.asc(field));
            out.append(" AS ").append(Identifiers.quote(field));
        }
        from(query, filters);
        if (query.filter() != null) {
            out.append(" WHERE ");
            filters.filter(query.filter());
        }
        for (Sort sort : query.sorts()) {
            if (!sort.byExpression() && computedNames(query).contains(sort.field()) && !sort.count()) {
                throw QueryException.of(plan.name(), sort.field(), "A distinct read of " + plan.name() + " sorted by "
                        + "the computed field '" + sort.field() + "' must sort by " + query.distinct() + " first: "
                        + "declare the field as a calculation of " + plan.name() + " to sort by it alone");
            }
        }
        filters.orderBy(DistinctOn.order(query), false, derived);
        out.append(derived.isEmpty() ? ")" : ") AS \"kept\")");
    }

    /**
     * Whether the field is an aggregate or calculation of the resource rather than an attribute: one it declares, or
     * one the read gives it ({@code aggregate(...)}, {@code calculate(...)}, a calculation loaded under another name).
     */
    private boolean derived(String field) {
        return plan.isDerived(field) || links != null && !plan.hasAttribute(field)
                && links.derived(plan.name(), field) != null;
    }

    private static Set<String> computedNames(Query query) {
        return query.computed().isEmpty() ? Set.of()
                : query.computed().stream().map(Computed::name).collect(java.util.stream.Collectors.toSet());
    }

    private void count(Query query, FilterRenderer filters) {
        SqlWriter out = filters.out();
        if (query.limit() == null && query.offset() == null && query.distinct().isEmpty()) {
            out.append("SELECT count(*)");
            from(query, filters);
            where(query, filters);
        } else {
            out.append("SELECT count(*) FROM (");
            select(query.withLock(Lock.NONE), "1", filters);
            out.append(") AS counted");
        }
    }

    /**
     * One aggregate of a column over the rows; over a page (limit, offset), of the page's rows; of a declared aggregate
     * or calculation, over its values computed in a sub-select. A value is counted as it is compared
     * ({@link ColumnPlan#compared}): a {@code json} column's as {@code jsonb}.
     */
    private void aggregate(Aggregate aggregate, ColumnPlan column, Query query, FilterRenderer filters) {
        SqlWriter out = filters.out();
        DerivedPlan derived = plan.hasAttribute(column.name()) || links == null ? null
                : links.derived(plan.name(), column.name());
        if (derived != null) {
            out.append("SELECT ").append(aggregate.call(column.compared("aggregated."))).append(" FROM (");
            select(query.withLock(Lock.NONE), "1", List.of(derived), filters);
            out.append(") AS aggregated");
        } else if (query.limit() == null && query.offset() == null && query.distinct().isEmpty()) {
            out.append("SELECT ").append(aggregate.call(column.readCompared("")));
            from(query, filters);
            where(query, filters);
        } else {
            out.append("SELECT ").append(aggregate.call(column.compared("aggregated."))).append(" FROM (");
            select(query.withLock(Lock.NONE), column.selected(""), filters);
            out.append(") AS aggregated");
        }
    }

    /**
     * The rows an update or delete acts on; a page (limit, offset) or the first row of each group ({@code distinct})
     * is chosen by key in a sub-select.
     */
    private void target(Query query, FilterRenderer filters) {
        SqlWriter out = filters.out();
        // Under field policies the rows are chosen through the masking sub-select, where hidden values are NULL.
        if (query.limit() == null && query.offset() == null && query.distinct().isEmpty() && filters.masks().isEmpty()) {
            where(query, filters);
            return;
        }
        String key = out.renders() ? columns(plan.primaryKey()) : "";
        out.append(" WHERE (").append(key).append(") IN (");
        select(query, key, filters);
        out.append(")");
    }

    private void where(Query query, FilterRenderer filters) {
        SqlWriter out = filters.out();
        String glue = " WHERE ";
        if (query.filter() != null) {
            out.append(glue);
            filters.filter(query.filter());
            glue = " AND ";
        }
        cursors(query, filters, glue);
    }

    /** The keyset conditions of the cursors, the first after {@code glue}. */
    private static void cursors(Query query, FilterRenderer filters, String glue) {
        SqlWriter out = filters.out();
        if (!query.after().isEmpty()) {
            out.append(glue);
            filters.keyset(SortValue.compared(query), query.after(), true);
            glue = " AND ";
        }
        if (!query.before().isEmpty()) {
            out.append(glue);
            filters.keyset(SortValue.compared(query), query.before(), false);
        }
    }

    /** A page before a cursor is read backwards from it (so the limit takes the nearest rows), then turned round. */
    private static boolean reversed(Query query) {
        return !query.before().isEmpty() && query.after().isEmpty();
    }

    /**
     * The columns a query returns: all, or the primary key, the version (so that a row read with some fields is still
     * checked for a change made since, rather than overwriting it) and the selected ones, in attribute order.
     */
    private List<ColumnPlan> selection(Query query) {
        if (query.select().isEmpty()) {
            return plan.columns();
        }
        Set<String> wanted = new LinkedHashSet<>(query.select());
        wanted.stream().filter(field -> !derived(field)).forEach(plan::column);
        List<ColumnPlan> selected = new ArrayList<>();
        for (ColumnPlan column : plan.columns()) {
            if (column.attribute().primaryKey() || column == plan.version() || wanted.contains(column.name())) {
                selected.add(column);
            }
        }
        return selected;
    }

    /**
     * The sort keys no row holds (an expression, a count of related records), whose values a page's rows keep for
     * their cursors; none when every key is a field, so such a read selects nothing more.
     */
    private static List<Sort> seenKeys(Query query) {
        return query.sorts().stream().filter(SortValue::computed).toList();
    }

    /** Declared aggregates and calculations in a select list, after its columns: {@code , <value> AS "name"}. */
    private static void selectDerived(List<DerivedPlan> derived, FilterRenderer filters) {
        for (DerivedPlan field : derived) {
            filters.out().append(", ");
            filters.loaded(field);
            filters.out().append(" AS ").append(field.value().quoted());
        }
    }

    /** The declared aggregates and calculations a read loads on its rows, by name. */
    private List<DerivedPlan> derived(Query query) {
        if (query.aggregates().isEmpty()) {
            return List.of();
        }
        List<DerivedPlan> derived = new ArrayList<>(query.aggregates().size());
        for (String name : query.aggregates()) {
            DerivedPlan field = links == null ? null : links.derived(plan.name(), name);
            if (field == null) {
                List<String> declared = Stream.concat(
                        plan.resource().aggregates().stream().map(dev.ashlar.api.resource.Aggregate::name),
                        plan.resource().calculations().stream().map(Calculation::name)).toList();
                throw QueryException.of(plan.name(), name, "Resource '" + plan.name() + "' has no aggregate or "
                        + "calculation '" + name + "'" + ClosestName.hint(name, declared) + "; it has " + declared);
            }
            derived.add(field);
        }
        return derived;
    }

    /** The computed fields of a select, after its columns: {@code , (expression) AS "name"}. */
    private String computed(Query query) {
        StringBuilder list = new StringBuilder();
        for (Computed field : query.computed()) {
            if (plan.resource().attribute(field.name()).isPresent() || plan.hasColumn(field.name())) {
                // ORDER BY "name" would be ambiguous between the computed field and the column of that name.
                throw QueryException.of(plan.name(), field.name(), "The computed field '" + field.name() + "' of "
                        + plan.name() + " has the name of an attribute or column; name it otherwise");
            }
            list.append(", (").append(field.sql()).append(") AS ").append(Identifiers.quote(field.name()));
        }
        return list.toString();
    }

    private String columns(List<ColumnPlan> columns) {
        if (columns == plan.columns()) {
            return plan.columnList();
        }
        StringBuilder list = new StringBuilder();
        for (ColumnPlan column : columns) {
            list.append(list.length() == 0 ? "" : ", ").append(column.selected(""));
        }
        return list.toString();
    }
}
