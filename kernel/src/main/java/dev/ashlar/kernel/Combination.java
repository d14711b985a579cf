package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.data.Load;
import dev.ashlar.kernel.data.internal.Acting;
import dev.ashlar.kernel.data.internal.DataLayer;
import dev.ashlar.kernel.data.internal.StatementTimeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads of one resource combined by set operations ({@code UNION}, {@code INTERSECT}, {@code EXCEPT}, each also
 * {@code ALL}), then sorted and paged as a whole: one statement. Each read keeps its own filter, sort, limit and
 * offset. The operators apply in the order written, each to all the rows before it. Immutable.
 *
 * <pre>{@code
 * List<Row> rows = ashlar.read("post").where(eq("status", "published")).sort(Sort.desc("rating")).limit(3)
 *         .union(ashlar.read("post").where(gt("views", 1000)))
 *         .except(ashlar.read("post").where(isNil("author_id")))
 *         .sort(Sort.asc("title")).limit(10).list();
 * }</pre>
 */
public final class Combination {
    private final DataLayer data;
    private final String handle;
    private final List<Query> parts;
    private final List<String> operators;
    private final Query outer;
    private final List<Load> loads;
    private final Duration timeout;
    /** Who the read acts for: the policies its resources have keep it to the rows that actor may read. */
    private final Acting user;

    private Combination(DataLayer data, String handle, List<Query> parts, List<String> operators, Query outer,
                        List<Load> loads, Duration timeout, Acting user) {
        this.data = data;
        this.handle = handle;
        this.parts = parts;
        this.operators = operators;
        this.outer = outer;
        this.loads = loads;
        this.timeout = timeout;
        this.user = user;
    }

    /** The combination of one read so far, under the timeout of the handle it began from. */
    static Combination of(Read first) {
        return new Combination(first.data(), first.handle(), List.of(part(first)), List.of(),
                Query.of(first.query().resource()), List.of(), first.timeout(), first.user());
    }

    private Combination withOuter(Query newOuter) {
        return new Combination(data, handle, parts, operators, newOuter, loads, timeout, user);
    }

    /** A read's query, to combine: it may not load relationships of its own. */
    private static Query part(Read read) {
        read.data().refuseOnStatement(read.query().resource(), "A combination (union, intersect, except)");
        if (!read.loadsNothing()) {
            throw QueryException.of(read.query().resource(), null, "A read combined with another loads no "
                    + "relationships of its own, nor children's parts (loadChildren()): load relationships on the "
                    + "combination, a.union(b).load(...)");
        }
        return read.query();
    }

    /** The rows of both, each once. */
    public Combination union(Read other) {
        return with("UNION", other);
    }

    /** The rows of both, duplicates kept. */
    public Combination unionAll(Read other) {
        return with("UNION ALL", other);
    }

    /** The rows in both, each once. */
    public Combination intersect(Read other) {
        return with("INTERSECT", other);
    }

    /** The rows in both, as many times as in both. */
    public Combination intersectAll(Read other) {
        return with("INTERSECT ALL", other);
    }

    /** The rows so far that are not in the other, each once. */
    public Combination except(Read other) {
        return with("EXCEPT", other);
    }

    /** The rows so far that are not in the other, as many times as they outnumber it. */
    public Combination exceptAll(Read other) {
        return with("EXCEPT ALL", other);
    }

    /**
     * Keeps the combined rows that match (Ash's filter on a combination): any filter a read takes, over the combined
     * rows' fields, relationships, aggregates and calculations, applied after the set operators and before the sort
     * and page. Several calls AND their filters.
     */
    public Combination where(Filter filter) {
        return withOuter(outer.and(filter));
    }

    /**
     * The order of the combined rows, by attributes of the resource and by the fields every combined read computes
     * under one name, each by its own SQL (Ash's {@code combinations(:name)}): {@code a.compute("rank", Long.class,
     * "score * 20").union(b.compute("rank", Long.class, "score * 5")).sort(Sort.desc("rank"))}.
     */
    public Combination sort(Sort... sorts) {
        return withOuter(outer.withSorts(Arrays.asList(sorts)));
    }

    /**
     * Loads a relationship, a dotted path of them, or a declared aggregate or calculation on every combined row, as
     * {@link Read#load(String)} does on a read's rows (Ash's load on a combination): an aggregate or calculation is
     * computed over the combined rows in the combination's statement, and the combination's filter and sorts may
     * name it; a relationship takes one more statement per relationship and level, after the combined rows are read.
     */
    public Combination load(String path) {
        QueryException.required(path, "relationship, aggregate or calculation");
        if (data.declaresDerived(outer.resource(), path)) {
            return withOuter(outer.withAggregate(path));
        }
        return withLoads(Load.merge(loads, Load.of(path)));
    }

    /** Loads a relationship on every combined row with its own filter, sort, limit per row and nested loads. */
    public Combination load(String relationship, UnaryOperator<Load> shape) {
        return withLoads(Load.merge(loads, shape.apply(Load.of(relationship))));
    }

    private Combination withLoads(List<Load> newLoads) {
        return new Combination(data, handle, parts, operators, outer, newLoads, timeout, user);
    }

    /** At most this many combined rows. */
    public Combination limit(int limit) {
        return withOuter(outer.withPage(limit, outer.offset()));
    }

    /** Skips this many combined rows. */
    public Combination offset(int offset) {
        return withOuter(outer.withPage(outer.limit(), offset));
    }

    public List<Row> list() {
        return Acting.within(user, () -> StatementTimeout.within(timeout, () -> data.load(data.combine(parts, operators,
                outer, handle), loads, handle)));
    }

    /** The combined rows mapped onto a Java record class by component names. */
    public <R extends Record> List<R> list(Class<R> type) {
        return list().stream().map(row -> row.as(type)).toList();
    }

    public Optional<Row> first() {
        List<Row> rows = limit(1).list();
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private Combination with(String operator, Read other) {
        Query part = part(other);
        if (!part.resource().equals(outer.resource())) {
            throw QueryException.of(outer.resource(), null, "A combination reads one resource: " + outer.resource()
                    + " cannot be combined with a read of " + part.resource());
        }
        if (!other.sameHandle(handle)) {
            throw QueryException.of(outer.resource(), null, "A combination of reads of " + outer.resource()
                    + " runs for one tenant: combine reads made from the same handle (ashlar.withTenant(...))");
        }
        List<Query> morePart = new ArrayList<>(parts);
        morePart.add(part);
        List<String> moreOperators = new ArrayList<>(operators);
        moreOperators.add(operator);
        return new Combination(data, handle, List.copyOf(morePart), List.copyOf(moreOperators), outer, loads, timeout,
                user);
    }
}
