package dev.ashlar.plugins.replicas;

import dev.ashlar.spi.plugin.ReplicaStatus;
import dev.ashlar.spi.plugin.Replication;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A read-your-writes scope: a request, a user's session. After a mutation made inside it, its reads
 * go to a replica only once that replica has replayed the primary's WAL past the mutation's commit;
 * until then to the primary. Reads of other scopes, and reads before any mutation, are routed as
 * usual. Made by {@link ReadReplicas#session()}; it may be kept and used again, from any thread, but
 * by one thread at a time, as a request or a user's session is: a read made while another thread of
 * the same session is still writing may not wait for that write.
 *
 * <p>Cost: after mutations, the first read of the scope asks the primary for its WAL position (one
 * query, however many mutations came before it), and each read routed to a replica asks that
 * replica how far it has replayed (one query) until it has been seen past that position.
 *
 * <pre>{@code
 * Session session = replicas.session();
 * session.run(() -> {
 *     ashlar.create("post", Map.of("title", "Hello"));
 *     return ashlar.read("post").list();  // sees "Hello", from a caught-up replica or the primary
 * });
 * }</pre>
 */
public final class Session {
    private static final long POLL_MILLIS = 10;

    private final ThreadLocal<Session> current;
    private volatile boolean written;
    private volatile long position = -1;
    private final Map<String, Long> replayed = new ConcurrentHashMap<>();

    Session(ThreadLocal<Session> current) {
        this.current = current;
    }

    /** Runs the body with this scope bound to the thread; returns its result. */
    public <T> T run(Supplier<T> body) {
        Session outer = current.get();
        current.set(this);
        try {
            return body.get();
        } finally {
            if (outer == null) {
                current.remove();
            } else {
                current.set(outer);
            }
        }
    }

    /** {@link #run(Supplier)} for a body without a result. */
    public void run(Runnable body) {
        run(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Tells the session that it wrote on the primary besides Ashlar's own mutations, which it counts by itself: a
     * statement written by hand ({@code ashlar.sql("UPDATE ...").execute()}) or JDBC. Its next reads then wait for
     * that write as for its mutations. Call it after the write returns.
     */
    public void wrote() {
        written = true;
    }

    /**
     * Whether the replica has replayed this scope's writes, waiting up to {@code wait} for it. Before the
     * read, the mutations of the scope have returned: a position read now is past their commits.
     */
    boolean sees(String replica, Replication replication, Duration wait) {
        if (written) {
            written = false;
            position = Math.max(position, replication.primaryLsn());
        }
        if (position < 0 || replayed.getOrDefault(replica, -1L) >= position) {
            return true;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            ReplicaStatus status = replication.status(replica);
            if (status.hasReplayed(position)) {
                replayed.merge(replica, status.replayLsn(), Math::max);
                return true;
            }
            if (System.nanoTime() >= deadline || !pause()) {
                return false;
            }
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(POLL_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
