package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DatabaseException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** An action whose thread is interrupted: its statement is cancelled on the server rather than run to its end. */
class InterruptedThreadTest extends BlogDatabaseTest {

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
    }

    /** The failure of an action run on a thread of its own, and whether that thread kept its interrupt flag. */
    private record Outcome(Throwable failure, boolean interrupted, long millis) {
    }

    private Outcome onThread(boolean interruptFirst, Supplier<?> action, long interruptAfterMillis)
            throws InterruptedException {
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
        if (interruptAfterMillis > 0) {
            Thread.sleep(interruptAfterMillis);
            thread.interrupt();
        }
        thread.join(10_000);
        assertThat(thread.isAlive()).as("the action still runs 10 s after its thread was interrupted").isFalse();
        return new Outcome(failure.get(), flag.get(), millis[0]);
    }

    private static void assertInterrupted(Outcome outcome, String action) {
        assertThat(outcome.failure()).isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("Could not " + action + ": the thread running it was interrupted")
                .hasMessageContaining("nothing it did was kept")
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

        assertInterrupted(outcome, "read post");
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

        assertInterrupted(outcome, "create post");
        assertThat(outcome.failure()).hasMessageContaining("the transaction it ran in is rolled back");
        assertThat(db.value("SELECT count(*) FROM authors") + " " + db.value("SELECT count(*) FROM posts"))
                .isEqualTo("0 0");
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void anActionOnAThreadAlreadyInterruptedSendsNothingAndSaysSo() throws Exception {
        Outcome write = onThread(true, () -> ashlar.create("post", Map.of("title", "never")), 0);
        Outcome read = onThread(true, () -> ashlar.read("post").list(), 0);

        assertInterrupted(write, "create post");
        assertInterrupted(read, "read post");
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

        assertInterrupted(outcome, "read post");
        assertThat(handed[0]).isEqualTo(10);
        assertThat(db.activeConnections()).isZero();
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
}
