package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A relationship to load on the rows of a read, with its own filter, sort, limit per parent and
 * nested loads. Immutable; each step returns a new load.
 *
 * <pre>{@code
 * ashlar.read("post").load("comments", c -> c.where(gt("rating", 3)).sort(Sort.desc("inserted_at"))
 *         .limit(3).load("author"))
 * ashlar.read("post").load("comments.author")   // a path: comments, and the author of each
 * ashlar.read("post").load("comments", c -> c.load("score"))   // a declared aggregate or calculation of each comment
 * ashlar.read("post").load("comments", c -> c.load("score", Map.of("weight", 2)))   // a calculation's arguments
 * ashlar.read("post").load("comments", c -> c.select("body"))   // some fields of each comment, and its keys
 * }</pre>
 *
 * @param limit     the most related records per parent, or {@code null}
 * @param offset    how many of each parent's related records to skip first, in the sort order, or {@code null}
 * @param arguments the arguments given to the related resource's calculations, by name, read wherever the load
 *                  names them: its nested loads, filter and sorts
 * @param select    the attributes of the related records to read (with their primary key, version and the keys the
 *                  load and its nested loads match by), or empty for all of them
 */
public record Load(String relationship, Filter filter, List<Sort> sorts, Integer limit, Integer offset,
                   List<Load> loads, Map<String, Map<String, Object>> arguments, List<String> select) {

    public Load {
        QueryException.required(relationship, "relationship");
        sorts = List.copyOf(sorts);
        loads = List.copyOf(loads);
        arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
        select = select == null ? List.of() : List.copyOf(select);
    }

    /** A load reading every attribute of the related records. */
    public Load(String relationship, Filter filter, List<Sort> sorts, Integer limit, Integer offset,
                List<Load> loads, Map<String, Map<String, Object>> arguments) {
        this(relationship, filter, sorts, limit, offset, loads, arguments, List.of());
    }

    /** A load giving no calculation arguments. */
    public Load(String relationship, Filter filter, List<Sort> sorts, Integer limit, Integer offset,
                List<Load> loads) {
        this(relationship, filter, sorts, limit, offset, loads, Map.of());
    }

    /** A load without an offset. */
    public Load(String relationship, Filter filter, List<Sort> sorts, Integer limit, List<Load> loads) {
        this(relationship, filter, sorts, limit, null, loads);
    }

    /** A load of one relationship, or of a dotted path of them ({@code "comments.author"}). */
    public static Load of(String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            return new Load(path, null, List.of(), null, List.of());
        }
        return new Load(path.substring(0, dot), null, List.of(), null, List.of(of(path.substring(dot + 1))));
    }

    /** Keeps the related records that match; several calls AND their filters, and the relationship's own. */
    public Load where(Filter more) {
        Filter combined = filter == null ? more : Filter.and(filter, more);
        return new Load(relationship, combined, sorts, limit, offset, loads, arguments, select);
    }

    /**
     * The order of each parent's related records, in place of the relationship's own sort; sort keys add to those
     * already given.
     */
    public Load sort(Sort... more) {
        List<Sort> all = new ArrayList<>(sorts);
        all.addAll(Arrays.asList(more));
        return new Load(relationship, filter, all, limit, offset, loads, arguments, select);
    }

    /** At most this many related records per parent, the first in the sort order. */
    public Load limit(int most) {
        if (most < 1) {
            throw QueryException.of(null, relationship, "A load of '" + relationship + "' is limited to " + most
                    + " related records; give 1 or more, or leave the limit out");
        }
        return new Load(relationship, filter, sorts, most, offset, loads, arguments, select);
    }

    /**
     * Skips each parent's first {@code skip} related records in the sort order (with {@link #limit}, a page of them
     * per parent: {@code sort(Sort.asc("id")).offset(20).limit(10)}).
     */
    public Load offset(int skip) {
        if (skip < 0) {
            throw QueryException.of(null, relationship, "A load of '" + relationship + "' skips " + skip
                    + " related records; give 0 or more");
        }
        return new Load(relationship, filter, sorts, limit, skip, loads, arguments, select);
    }

    /**
     * Reads only these attributes of the related records (Ash's {@code select} inside a load), with their primary key,
     * their version and the keys the load and its nested loads match by; the others are not read, and a row
     * {@link dev.ashlar.api.data.Row#has has} not them. Several calls add to the fields; loaded aggregates and
     * calculations come beside them. Checked when the read runs: an unknown field, or an aggregate or calculation, is
     * an {@code INVALID_QUERY} naming the related resource.
     */
    public Load select(String... fields) {
        List<String> all = new ArrayList<>(select);
        all.addAll(Arrays.asList(QueryException.required(fields, "fields")));
        return new Load(relationship, filter, sorts, limit, offset, loads, arguments, all);
    }

    /**
     * Also loads a relationship (or a path) of the related records, or a declared aggregate or calculation of theirs as
     * a field of each ({@code row.get("score")}), computed in the same statement and scope.
     */
    public Load load(String path) {
        return new Load(relationship, filter, sorts, limit, offset, merge(loads, of(path)), arguments, select);
    }

    /**
     * Also loads a declared calculation of the related records with arguments, those not given at their defaults;
     * the load's filter and sorts read it with them too. Checked when the read runs, as {@code Read.load(calculation,
     * arguments)} is.
     */
    public Load load(String calculation, Map<String, ?> values) {
        return load(calculation).arguments(calculation, values);
    }

    /** Gives a declared calculation of the related records arguments for this load's filter and sorts. */
    public Load arguments(String calculation, Map<String, ?> values) {
        QueryException.required(values, "arguments");
        Map<String, Map<String, Object>> all = new HashMap<>(arguments);
        all.put(calculation, Collections.unmodifiableMap(new HashMap<>(values)));
        return new Load(relationship, filter, sorts, limit, offset, loads, all, select);
    }

    /** Also loads a relationship of the related records, shaped by the function. */
    public Load load(String relationship, UnaryOperator<Load> shape) {
        return new Load(this.relationship, filter, sorts, limit, offset, merge(loads,
                shape.apply(of(relationship))), arguments, select);
    }

    /** The loads with one more: a load of a relationship already there takes the new one's nested loads too. */
    public static List<Load> merge(List<Load> loads, Load added) {
        List<Load> merged = new ArrayList<>(loads);
        for (int i = 0; i < merged.size(); i++) {
            Load existing = merged.get(i);
            if (existing.relationship.equals(added.relationship)) {
                List<Load> nested = existing.loads;
                for (Load inner : added.loads) {
                    nested = merge(nested, inner);
                }
                Load base = added.filter != null || !added.sorts.isEmpty() || added.limit != null
                        || added.offset != null ? added : existing;
                Map<String, Map<String, Object>> arguments = new HashMap<>(existing.arguments);
                arguments.putAll(added.arguments);
                merged.set(i, new Load(base.relationship, base.filter, base.sorts, base.limit, base.offset, nested,
                        arguments, added.select.isEmpty() ? existing.select : added.select));
                return merged;
            }
        }
        merged.add(added);
        return merged;
    }
}
