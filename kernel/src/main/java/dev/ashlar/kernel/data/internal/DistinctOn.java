package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A read's {@code distinct} fields as SQL: {@code DISTINCT ON (...)} and the order it needs. PostgreSQL keeps the
 * first row of each group only under an {@code ORDER BY} led by the distinct fields, which would also sort and page
 * the groups by them; a read sorted otherwise is {@link #regrouped}: its rows are chosen in a sub-select and then
 * sorted as asked, as Ash does. So is a read that locks its rows, which PostgreSQL refuses beside {@code DISTINCT}.
 */
final class DistinctOn {
    private DistinctOn() {
    }

    /**
     * Writes {@code DISTINCT ON ("a", "b") } when the read has distinct fields. A calculation or aggregate is
     * named by the alias {@link #derived} gives it in the select list, where the {@code ORDER BY} names it too: the
     * two written out would each bind their values as other parameters, and PostgreSQL would refuse them as
     * different expressions.
     */
    static void write(ResourcePlan plan, Predicate<String> derived, Query query, SqlWriter out) {
        if (!query.distinct().isEmpty()) {
            out.append("DISTINCT ON (").append(String.join(", ", query.distinct().stream()
                    .map(field -> derived.test(field) ? Identifiers.quote(field) : plan.column(field).readCompared(""))
                    .toList())).append(") ");
        }
    }

    /**
     * The calculations and aggregates among the distinct fields, declared or given by the read, selected under their
     * names.
     */
    static Set<String> derived(Predicate<String> derived, Query query) {
        return query.distinct().stream().filter(derived).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * The order that chooses each group's row: the distinct fields first (each in the direction the keeping sorts give
     * it, ascending otherwise), then the keeping sorts, the read's {@code distinctSorts} or else its sorts. Sorts
     * already led by the fields stay as they are.
     */
    static List<Sort> order(Query query) {
        if (query.distinct().isEmpty() || query.distinctSorts().isEmpty() && ledByDistinct(query)) {
            return query.sorts();
        }
        List<Sort> keeping = query.distinctSorts().isEmpty() ? query.sorts() : query.distinctSorts();
        List<Sort> order = new ArrayList<>();
        for (String field : query.distinct()) {
            order.add(keeping.stream().filter(s -> field.equals(s.field()) && !s.count()).findFirst()
                    .orElse(Sort.asc(field)));
        }
        keeping.stream().filter(s -> !order.contains(s)).forEach(order::add);
        return order;
    }

    /**
     * Whether a distinct read's rows are chosen apart from its order: it is sorted otherwise than by its distinct
     * fields first, keeps each group's row by sorts of its own, locks the rows it keeps, or is distinct by a declared
     * calculation or aggregate, which the sub-select selects to name it.
     */
    static boolean regrouped(Predicate<String> derived, Query query) {
        return !query.distinct().isEmpty() && (query.lock() != Lock.NONE || !derived(derived, query).isEmpty()
                || !query.sorts().isEmpty() && (!query.distinctSorts().isEmpty() || !ledByDistinct(query)));
    }

    /** Whether the first sorts are the distinct fields, in any order and direction. */
    private static boolean ledByDistinct(Query query) {
        int n = query.distinct().size();
        if (query.sorts().size() < n) {
            return false;
        }
        List<Sort> leading = query.sorts().subList(0, n);
        return leading.stream().allMatch(s -> !s.count() && query.distinct().contains(s.field()))
                && leading.stream().map(Sort::field).distinct().count() == n;
    }
}
