package dev.ashlar.kernel.data.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * One transaction, or savepoint, open on a thread: whether to roll it back at its end, and the callbacks that wait
 * for the outcome of the work done in it (Jdbi's {@code afterCommit}, Ebean's and Hibernate's transaction callbacks).
 */
final class TransactionFrame {
    private boolean rollbackOnly;
    private boolean committed;
    private boolean outcomeUnknown;
    private volatile boolean over;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Runnable> afterRollback = new ArrayList<>();

    boolean rollbackOnly() {
        return rollbackOnly;
    }

    void markRollbackOnly() {
        rollbackOnly = true;
    }

    /** Whether the transaction committed (a savepoint: never, its work commits with the enclosing one's). */
    boolean committed() {
        return committed;
    }

    void markCommitted() {
        committed = true;
    }

    /**
     * The connection was lost as the transaction committed: the server may have committed or not, so no callback may
     * run as if it knew which.
     */
    void markOutcomeUnknown() {
        outcomeUnknown = true;
    }

    /**
     * Whether the transaction ended, or the savepoint was rolled back: a cursor opened in it is closed. A savepoint
     * released is not over; its work, cursors included, goes on in the enclosing transaction.
     */
    boolean over() {
        return over;
    }

    /** Whether a callback waits for the outcome. */
    boolean awaited() {
        return !afterCommit.isEmpty() || !afterRollback.isEmpty();
    }

    void afterCommit(Runnable callback) {
        afterCommit.add(callback);
    }

    void afterRollback(Runnable callback) {
        afterRollback.add(callback);
    }

    /**
     * A savepoint released: its work commits or rolls back with the enclosing transaction's, so its callbacks wait for
     * that one's outcome.
     */
    void handTo(TransactionFrame enclosing) {
        enclosing.afterCommit.addAll(afterCommit);
        enclosing.afterRollback.addAll(afterRollback);
    }

    /**
     * Runs the callbacks for the outcome, each once, in the order registered, and none when the outcome is unknown;
     * see {@link #run(List)}.
     */
    void ended(boolean committed) {
        over = true;
        if (!outcomeUnknown) {
            run(committed ? afterCommit : afterRollback);
        }
    }

    /** {@link #ended} after the failure that ended the transaction, a callback's own failure suppressed in it. */
    void ended(boolean committed, Throwable failure) {
        try {
            ended(committed);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Runs every callback even when one fails; the first failure is thrown after the last has run, the later ones
     * suppressed in it. The outcome stands: a failed callback rolls nothing back.
     */
    private static void run(List<Runnable> callbacks) {
        RuntimeException first = null;
        for (Runnable callback : callbacks) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
