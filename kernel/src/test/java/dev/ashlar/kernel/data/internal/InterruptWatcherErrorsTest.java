package dev.ashlar.kernel.data.internal;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The thread that cancels the statements of interrupted threads outlives an {@link Error} thrown as it cancels one
 * (a StackOverflowError, an OutOfMemoryError): it sends that cancel again and honours every later interrupt; and
 * should it end all the same, the next action starts another.
 */
@ExtendWith(PostgresExtension.class)
class InterruptWatcherErrorsTest {
    private static final String WATCHER = "ashlar-statement-interrupts";

    /** How a watched pg_sleep(5) ended once its thread was interrupted 300 ms in. */
    private record Ended(String sqlState, long millis) {
    }

    @Test
    void aCancelThatThrowsAnErrorIsSentAgainAndEveryLaterInterruptIsStillHonoured(TestDatabase db) throws Exception {
        try (Connection real = db.dataSource().getConnection()) {
            AtomicInteger looks = new AtomicInteger();
            Connection failingOnce = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("isWrapperFor") && Thread.currentThread().getName().equals(WATCHER)
                                && looks.getAndIncrement() == 0) {
                            throw new StackOverflowError("thrown by the test as the watcher cancels");
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });

            Ended failedOnce = sleepInterrupted(failingOnce);
            Ended later = sleepInterrupted(real);
            Ended again = sleepInterrupted(real);

            assertThat(looks.get()).as("the cancel was sent again after the Error").isGreaterThanOrEqualTo(2);
            for (Ended ended : new Ended[] {failedOnce, later, again}) {
                assertThat(ended.sqlState()).isEqualTo("57014");
                assertThat(ended.millis()).isLessThan(2_000);
            }
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(thread -> thread.getName().equals(WATCHER))
                    .hasSize(1).allSatisfy(thread -> assertThat(thread.isAlive()).isTrue());
            try (Statement healthy = real.createStatement()) {
                assertThat(healthy.execute("SELECT 1")).isTrue();
            }
        }
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aPollerThatEndedIsStartedAgainByTheNextActionWhoseInterruptStillCancelsItsStatement(TestDatabase db)
            throws Exception {
        // One action first, so that the poller exists and has looked at least once.
        try (Connection connection = db.dataSource().getConnection()) {
            assertThat(sleepInterrupted(connection).sqlState()).isEqualTo("57014");
            Thread ended = StatementInterrupts.endPoller();
            assertThat(ended.isAlive()).as("the poller ended").isFalse();

            Ended afterwards = sleepInterrupted(connection);

            assertThat(afterwards.sqlState()).isEqualTo("57014");
            assertThat(afterwards.millis()).isLessThan(2_000);
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(thread -> thread.getName().equals(WATCHER))
                    .hasSize(1).allSatisfy(thread -> {
                        assertThat(thread).isNotSameAs(ended);
                        assertThat(thread.isAlive()).isTrue();
                    });
            try (Statement healthy = connection.createStatement()) {
                assertThat(healthy.execute("SELECT 1")).isTrue();
            }
        }
        assertThat(db.activeConnections()).isZero();
    }

    /** Runs pg_sleep(5) watched on a thread of its own, interrupted 300 ms in. */
    private static Ended sleepInterrupted(Connection connection) throws InterruptedException {
        AtomicReference<String> state = new AtomicReference<>("none: the sleep ran to its end");
        long[] millis = {0};
        Thread sleeper = new Thread(() -> {
            long start = System.nanoTime();
            try {
                StatementInterrupts.watching(connection, c -> {
                    try (Statement sleep = c.createStatement()) {
                        return sleep.execute("SELECT pg_sleep(5)");
                    }
                });
            } catch (SQLException e) {
                state.set(e.getSQLState());
            }
            millis[0] = (System.nanoTime() - start) / 1_000_000;
        });
        sleeper.start();
        Thread.sleep(300);
        sleeper.interrupt();
        sleeper.join(10_000);
        return new Ended(state.get(), millis[0]);
    }
}
