package dev.ashlar.kernel.data;

import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.query.Filter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** An action whose thread is interrupted: its statement is cancelled on the server rather than run to its end. */
class InterruptedThreadTest extends BlogDatabaseTest {
    private static final String CANCELLED = "so its statement was cancelled on the server and nothing it did was kept";
    private static final String NOT_SENT = "so its statement was not sent and it did nothing";
    private static final String STOPPED = "so it stopped before its next row and read no more";
    private static final String CLOSED = "so its connection was closed as it waited";
    private static final String UNTOUCHED = "the transaction it runs in was not aborted by it";

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
    }

    /** The failure of an action run on a thread of its own, and whether that thread kept its interrupt flag. */
    private record Outcome(Throwable failure, boolean interrupted, long millis) {
    }

    private Outcome onThread(boolean interruptFirst, Supplier<?> action, long interruptAfterMillis)
            throws Exception {
        return onThread(interruptFirst, action, thread -> {
            if (interruptAfterMillis > 0) {
                Thread.sleep(interruptAfterMillis);
                thread.interrupt();
            }
        });
    }

    /** What the test does to the action's thread while it runs. */
    @FunctionalInterface
    private interface Meanwhile {
        void on(Thread thread) throws Exception;
    }

    private Outcome onThread(boolean interruptFirst, Supplier<?> action, Meanwhile meanwhile) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        long[] millis = {0};
        Thread thread = new Thread(() -> {
            if (interruptFirst) {
                Thread.currentThread().interrupt();
            }
            long start = System.nanoTime();
            failure.set(catchThrowable(action::get));
            millis[0] = (System.nanoTime() - start) / 1_000_000;
            flag.set(Thread.currentThread().isInterrupted());
        });
        thread.start();
        meanwhile.on(thread);
        thread.join(10_000);
        assertThat(thread.isAlive()).as("the action still runs 10 s after its thread was interrupted").isFalse();
        return new Outcome(failure.get(), flag.get(), millis[0]);
    }

    /** The failure names the interrupt and what it did ({@code how}: cancelled, not sent, stopped or closed). */
    private static void assertInterrupted(Outcome outcome, String action, String how) {
        assertThat(outcome.failure()).isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("Could not " + action + ": the thread running it was interrupted")
                .hasMessageContaining(how)
                .hasMessageContaining("run it again on a thread that is not interrupted");
        assertThat(((DatabaseException) outcome.failure()).sqlState()).contains("57014");
        assertThat(outcome.interrupted()).as("the thread keeps its interrupt flag").isTrue();
    }

    @Test
    void aReadWaitingBehindATableLockWhoseThreadIsInterruptedIsCancelledOnTheServerAndGivesItsConnectionBack()
            throws Exception {
        db.execute("INSERT INTO posts (title) VALUES ('kept')");
        Outcome outcome;
        try (Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE posts IN ACCESS EXCLUSIVE MODE");
            outcome = onThread(false, () -> ashlar.read("post").list(), 500);
            // The lock is still held: the read ended because it was cancelled, not because it got the table.
            assertThat(db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND wait_event_type = 'Lock'")).isEqualTo(0L);
            holder.rollback();
        }

        assertInterrupted(outcome, "read post", CANCELLED);
        assertThat(outcome.millis()).isLessThan(3_000);
        assertThat(db.activeConnections()).isZero();
        assertThat(ashlar.read("post").list()).hasSize(1);
    }

    @Test
    void aWriteInATransactionWhoseThreadIsInterruptedAsItWaitsRollsTheTransactionBack() throws Exception {
        Outcome outcome;
        try (Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE posts IN ACCESS EXCLUSIVE MODE");
            outcome = onThread(false, () -> ashlar.transaction(tx -> {
                tx.create("author", Map.of("email", "ann@example.com"));
                return tx.create("post", Map.of("title", "waits"));
            }), 500);
            holder.rollback();
        }

        assertInterrupted(outcome, "create post", CANCELLED);
        assertThat(outcome.failure()).hasMessageContaining("the transaction it ran in is rolled back");
        assertThat(db.value("SELECT count(*) FROM authors") + " " + db.value("SELECT count(*) FROM posts"))
                .isEqualTo("0 0");
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void anActionOnAThreadAlreadyInterruptedSendsNothingAndSaysSo() throws Exception {
        Outcome write = onThread(true, () -> ashlar.create("post", Map.of("title", "never")), 0);
        Outcome read = onThread(true, () -> ashlar.read("post").list(), 0);

        assertInterrupted(write, "create post", NOT_SENT);
        assertInterrupted(read, "read post", NOT_SENT);
        assertThat(read.failure()).hasMessageNotContaining("rolled back");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
        assertThat(db.activeConnections()).isZero();
        assertThat(ashlar.create("post", Map.of("title", "after")).getString("title")).isEqualTo("after");
    }

    @Test
    void aStreamWhoseThreadIsInterruptedMidwayStopsAtItsNextRowAndGivesItsConnectionBack() throws Exception {
        db.execute("INSERT INTO posts (title) SELECT 't' || i FROM generate_series(1, 50) i");
        int[] handed = {0};

        Outcome outcome = onThread(false, () -> {
            try (Stream<Row> rows = ashlar.read("post").stream()) {
                Iterator<Row> each = rows.iterator();
                while (each.hasNext()) {
                    each.next();
                    if (++handed[0] == 10) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return null;
        }, 0);

        assertInterrupted(outcome, "read post", STOPPED);
        assertThat(outcome.failure()).hasMessageNotContaining("rolled back");
        assertThat(handed[0]).isEqualTo(10);
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aStreamWhoseThreadIsInterruptedWhileItFetchesALaterBatchIsCancelledWithinASecondAndGivesItsConnectionBack()
            throws Exception {
        db.execute("INSERT INTO posts (title) SELECT 't' || i FROM generate_series(1, 20) i");
        db.execute("CREATE FUNCTION slow_after_five(post_id bigint) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN "
                + "IF post_id > 5 THEN PERFORM pg_sleep(10); END IF; RETURN true; END $$");
        int[] handed = {0};
        long[] interruptedThenEnded = {0, 0};
        try {
            Outcome outcome = onThread(false, () -> {
                try (Stream<Row> rows = ashlar.read("post").where(Filter.sql("slow_after_five(id)")).fetchSize(5)
                        .stream()) {
                    rows.forEach(row -> handed[0]++);
                } finally {
                    interruptedThenEnded[1] = System.nanoTime();
                }
                return null;
            }, thread -> {
                awaitOne("query LIKE '%slow_after_five%' AND wait_event = 'PgSleep'");
                interruptedThenEnded[0] = System.nanoTime();
                thread.interrupt();
            });

            assertInterrupted(outcome, "read post", CANCELLED);
            assertThat(handed[0]).as("the first batch was handed over before the second was fetched").isEqualTo(5);
            assertThat((interruptedThenEnded[1] - interruptedThenEnded[0]) / 1_000_000).isLessThan(1_000);
            assertThat(db.value("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%slow_after_five%' "
                    + "AND state <> 'idle' AND pid <> pg_backend_pid()")).isEqualTo(0L);
            assertThat(db.activeConnections()).isZero();
            assertThat(ashlar.read("post").list()).hasSize(20);
        } finally {
            db.execute("DROP FUNCTION slow_after_five(bigint)");
        }
    }

    @Test
    void sqlWrittenByHandWhoseThreadIsInterruptedIsCancelledOnTheServerAndSaysSo() throws Exception {
        Outcome outcome = onThread(false, () -> ashlar.transaction(tx -> tx.sql("SELECT pg_sleep(30)").execute()), 500);

        assertThat(outcome.failure()).isInstanceOf(DatabaseException.class)
                .hasMessageContaining("failed: the thread running it was interrupted")
                .hasMessageNotContaining("statement_timeout");
        assertThat(outcome.millis()).isLessThan(5_000);
        assertThat(outcome.interrupted()).isTrue();
        assertThat(db.value("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' "
                + "AND state = 'active' AND pid <> pg_backend_pid()")).isEqualTo(0L);
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void theThreadWatchingForInterruptsIsAParkedDaemonWhileNoActionRunsAndLooksWhileOneDoes() throws Exception {
        ashlar.read("post").list();
        Thread watcher = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("ashlar-statement-interrupts")).findFirst().orElseThrow();
        assertThat(watcher.isDaemon()).as("it never keeps the JVM alive").isTrue();
        awaitState(watcher, Thread.State.WAITING);

        Thread sleeper = new Thread(() -> ashlar.transaction(tx -> tx.sql("SELECT pg_sleep(1)").execute()));
        sleeper.start();
        awaitState(watcher, Thread.State.TIMED_WAITING);
        sleeper.join(10_000);
        awaitState(watcher, Thread.State.WAITING);
    }

    private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
        for (int i = 0; i < 100 && thread.getState() != state; i++) {
            Thread.sleep(10);
        }
        assertThat(thread.getState()).isEqualTo(state);
    }

    @Test
    void aThreadThatClearsItsInterruptAfterACancelledActionRunsItsNextActionToTheEnd() throws Exception {
        AtomicReference<Throwable> second = new AtomicReference<>();
        Outcome first = onThread(false, () -> {
            Throwable cancelled = catchThrowable(() -> ashlar.transaction(tx -> tx.sql("SELECT pg_sleep(30)").execute()));
            boolean cleared = Thread.interrupted();
            second.set(catchThrowable(() -> ashlar.transaction(tx -> tx.sql("SELECT pg_sleep(0.5)").list())));
            if (cleared) {
                Thread.currentThread().interrupt();
            }
            throw (RuntimeException) cancelled;
        }, 500);

        assertThat(first.failure()).hasMessageContaining("the thread running it was interrupted");
        assertThat(second.get()).as("no cancel of the earlier action reaches the next one").isNull();
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aForEachWhoseBodyIsInterruptedStopsAtItsNextRowAndGivesItsConnectionBack() throws Exception {
        db.execute("INSERT INTO posts (title) SELECT 't' || i FROM generate_series(1, 50) i");
        int[] handed = {0};

        // Row 10 ends the second batch of 5: between fetches the server ignores a cancel, so only the row check stops it.
        Outcome outcome = onThread(false, () -> ashlar.read("post").fetchSize(5).forEach(row -> {
            if (++handed[0] == 10) {
                Thread.currentThread().interrupt();
            }
        }), 0);

        assertInterrupted(outcome, "read post", STOPPED);
        assertThat(handed[0]).isEqualTo(10);
        assertThat(db.activeConnections()).isZero();
        assertThat(db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND state LIKE 'idle in transaction%'")).isEqualTo(0L);
    }

    @Test
    void aForEachInterruptedInsideATransactionLeavesItUnabortedSoItCommitsOnceTheFlagIsCleared() throws Exception {
        db.execute("INSERT INTO posts (title) SELECT 't' || i FROM generate_series(1, 20) i");
        AtomicReference<Throwable> stopped = new AtomicReference<>();

        Outcome outcome = onThread(false, () -> ashlar.transaction(tx -> {
            tx.create("author", Map.of("email", "ann@example.com"));
            stopped.set(catchThrowable(() -> tx.read("post").fetchSize(5)
                    .forEach(row -> Thread.currentThread().interrupt())));
            Thread.interrupted();
            return tx.create("author", Map.of("email", "bob@example.com"));
        }), 0);

        assertThat(outcome.failure()).isNull();
        assertThat(stopped.get()).isInstanceOf(DatabaseException.class).hasMessageContaining(STOPPED)
                .hasMessageContaining(UNTOUCHED).hasMessageNotContaining("rolled back");
        assertThat(db.value("SELECT string_agg(email, ',' ORDER BY email) FROM authors"))
                .isEqualTo("ann@example.com,bob@example.com");
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aThreadInterruptedWhileItWaitsForAPooledConnectionIsToldItWasInterruptedNotThatThePoolFailed()
            throws Exception {
        List<Connection> all = new ArrayList<>();
        Outcome outcome;
        try {
            while (all.size() < db.dataSource().unwrap(HikariDataSource.class).getMaximumPoolSize()) {
                all.add(db.dataSource().getConnection());
            }
            outcome = onThread(false, () -> ashlar.read("post").list(), 300);
        } finally {
            for (Connection connection : all) {
                connection.close();
            }
        }

        assertInterrupted(outcome, "read post", NOT_SENT);
        assertThat(outcome.millis()).isLessThan(3_000);
        assertThat(db.activeConnections()).isZero();
    }

    /**
     * A virtual thread's case on a platform thread: the JDK closes the socket of an interrupted virtual thread blocked
     * on it. Here the read ignores the poller's cancel (its function catches it), then the server ends its connection
     * while the thread is interrupted.
     */
    @Test
    void aReadWhoseConnectionIsClosedWhileItsThreadIsInterruptedIsNotReadAgainAndLeavesThePoolsOtherConnections()
            throws Exception {
        db.execute("INSERT INTO posts (title) VALUES ('kept')");
        db.execute("CREATE FUNCTION stubborn_sleep() RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN LOOP BEGIN "
                + "PERFORM pg_sleep(30); RETURN true; EXCEPTION WHEN query_canceled THEN "
                + "PERFORM set_config('application_name', 'cancel ignored', false); END; END LOOP; END $$");
        try {
            Set<Object> idle = idleBackends(3);
            Object[] ended = {null};
            Outcome outcome = onThread(false, () -> ashlar.read("post").where(Filter.sql("stubborn_sleep()")).list(),
                    thread -> {
                        awaitOne("query LIKE '%stubborn_sleep()%' AND state = 'active' AND pid <> pg_backend_pid()");
                        thread.interrupt();
                        ended[0] = awaitOne("application_name = 'cancel ignored'");
                        db.value("SELECT pg_terminate_backend(?)", ended[0]);
                    });

            assertInterrupted(outcome, "read post", CLOSED);
            assertThat(outcome.failure()).hasMessageNotContaining("rolled back");
            idle.remove(ended[0]);
            Thread.sleep(300); // the pool closes the connections it evicts at once, on a thread of its own
            assertThat(idle).as("the pool's idle connections were not dropped").isNotEmpty();
            assertThat(Set.copyOf(db.query("SELECT pid FROM pg_stat_activity").stream().map(row -> row.get("pid"))
                    .filter(idle::contains).toList())).isEqualTo(idle);
            assertThat(db.activeConnections()).isZero();
        } finally {
            db.execute("DROP FUNCTION stubborn_sleep()");
        }
    }

    /** The backend pids of {@code count} connections the pool holds idle. */
    private Set<Object> idleBackends(int count) throws Exception {
        List<Connection> held = new ArrayList<>();
        Set<Object> pids = new HashSet<>();
        try {
            while (held.size() < count) {
                Connection connection = db.dataSource().getConnection();
                held.add(connection);
                try (Statement statement = connection.createStatement();
                     ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
                    pid.next();
                    pids.add(pid.getInt(1));
                }
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        return pids;
    }

    /** The pid of the one session of this database that matches the condition, once one does. */
    private Object awaitOne(String condition) throws InterruptedException {
        String sql = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND " + condition;
        for (int i = 0; i < 500 && db.query(sql).size() != 1; i++) {
            Thread.sleep(10);
        }
        return db.value(sql);
    }
}
