package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Query;

/**
 * A limit that keeps ties ({@code FETCH FIRST n ROWS WITH TIES}, PostgreSQL 13): the rows equal to the last one on
 * every sort key come too. What such a read needs is checked before it runs, as PostgreSQL would refuse it naming no
 * resource.
 */
final class Ties {
    private Ties() {
    }

    /**
     * The query as given, when its limit may keep ties.
     *
     * @throws QueryException with {@code INVALID_QUERY} naming the resource, for a read keeping ties without a limit or
     *                        a sort (nothing ties), or with a lock that skips locked rows, which PostgreSQL refuses
     *                        beside {@code WITH TIES}
     */
    static Query checked(Query query) {
        if (!query.withTies()) {
            return query;
        }
        String resource = query.resource();
        String call = "withTies() on a read of " + resource;
        if (query.limit() == null) {
            throw QueryException.of(resource, null, call + " keeps the rows that tie with the last one within its "
                    + "limit, but the read has none: give it limit(n), e.g. read(\"" + resource + "\").sort(...)"
                    + ".limit(3).withTies()");
        }
        if (query.sorts().isEmpty()) {
            throw QueryException.of(resource, null, call + " needs a sort, which says what ties: without one every "
                    + "row ties with every other; give it sort(...), e.g. sort(Sort.desc(\"score\"))");
        }
        if (query.lock().name().endsWith("_SKIP_LOCKED")) {
            throw QueryException.of(resource, null, call + " cannot skip locked rows (Lock." + query.lock().name()
                    + "): PostgreSQL takes no SKIP LOCKED beside WITH TIES; lock with Lock." + query.lock().name()
                    .replace("_SKIP_LOCKED", "") + " or leave withTies() out");
        }
        return query;
    }
}
