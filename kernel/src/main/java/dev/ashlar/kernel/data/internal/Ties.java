package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Query;

import java.util.List;

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
     *                        a sort (nothing ties), with a lock that skips locked rows, which PostgreSQL refuses
     *                        beside {@code WITH TIES}, or with a cursor that is not the sort keys' values alone
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
        cursorOfSortKeys(query, query.after(), "after", call);
        cursorOfSortKeys(query, query.before(), "before", call);
        return query;
    }

    /**
     * Refuses a cursor of more values than sort keys: one taken by {@code cursor(row)} on the read without ties holds
     * the primary key after the sort keys, and a read keeping ties neither sorts by the key nor can page inside a tie
     * (its limit takes every tied row or none of them).
     */
    private static void cursorOfSortKeys(Query query, List<Object> cursor, String side, String call) {
        int keys = query.sorts().size();
        if (cursor.isEmpty() || cursor.size() == keys) {
            return;
        }
        throw QueryException.of(query.resource(), null, call + " takes a cursor of its " + keys + " sort key value(s) "
                + "alone and was given " + cursor.size() + " in " + side + "(...)" + (cursor.size() > keys
                ? ": a cursor taken by cursor(row) on the read without withTies() holds the primary key after the "
                + "sort keys, to page inside a tie, which a read keeping ties does not do (its limit takes every tied "
                + "row or none); take the cursor with cursor(row) on the read keeping ties, or give the first " + keys
                + " value(s) alone, e.g. " + side + "(cursor[0]), to go on past every row tied with it"
                : ": give one value per sort key, as cursor(row) on the read keeping ties returns them"));
    }
}
