package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;

/**
 * How many records a merge inserted, updated and deleted. PostgreSQL reports each action's count from version 17 on
 * ({@code RETURNING merge_action()}); on 15 and 16 it reports only the total, and the counts by action are unknown.
 * A merge of no records, or with no clause, sends nothing and counts zero everywhere (its {@code server} is 0).
 *
 * @param merged   how many records the merge wrote, all actions together
 * @param inserted how many it inserted, or -1 when the server does not tell
 * @param updated  how many it updated, or -1 when the server does not tell
 * @param deleted  how many it deleted (marked deleted under {@code softDelete(...)}), or -1 when the server does not tell
 * @param server   the server's major version, which decides whether the counts by action are known
 */
public record MergeResult(long merged, long inserted, long updated, long deleted, int server) {

    /** Whether the counts by action are known (PostgreSQL 17 and later). */
    public boolean countedByAction() {
        return inserted >= 0;
    }

    /**
     * The count of one action.
     *
     * @throws QueryException on a server older than 17, which does not tell one action's count from another's
     */
    public long count(Merge.Act act) {
        if (!countedByAction()) {
            throw QueryException.of(null, null, "PostgreSQL " + server + " reports only how many records a merge "
                    + "wrote (" + merged + "), not how many each action did: read merged(), or run on PostgreSQL 17 "
                    + "or later, where RETURNING merge_action() tells them apart");
        }
        return switch (act) {
            case INSERT -> inserted;
            case UPDATE -> updated;
            case DELETE -> deleted;
            case NOTHING -> 0;
        };
    }
}
