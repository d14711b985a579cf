package dev.ashlar.kernel.data.internal;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An action watched inside another on the same connection (a cursor's fetch inside its forEach): once its statement
 * was cancelled for the thread's interrupt, the outer action's later statements (its cleanup: a settings restore, a
 * ROLLBACK) are not cancelled a second time.
 */
@ExtendWith(PostgresExtension.class)
class NestedInterruptWatchTest {

    @Test
    void anActionWhoseNestedFetchWasCancelledIsNotCancelledAgainInItsCleanupOnTheSameConnection(TestDatabase db)
            throws Exception {
        AtomicReference<String> fetch = new AtomicReference<>("none: the fetch ran to its end");
        AtomicReference<String> cleanup = new AtomicReference<>("none: the cleanup ran to its end");
        try (Connection connection = db.dataSource().getConnection()) {
            Thread action = new Thread(() -> {
                try {
                    StatementInterrupts.watching(connection, outer -> {
                        try {
                            StatementInterrupts.watching(outer, inner -> sleep(inner, 5));
                        } catch (SQLException e) {
                            fetch.set(e.getSQLState());
                        }
                        // Still interrupted: a second cancel would land within the poller's next looks (100 ms).
                        try {
                            sleep(outer, 0.6);
                        } catch (SQLException e) {
                            cleanup.set(e.getSQLState());
                        }
                        return null;
                    });
                } catch (SQLException e) {
                    cleanup.set("outer: " + e.getSQLState());
                }
            });
            action.start();
            Thread.sleep(300);
            action.interrupt();
            action.join(10_000);
            assertThat(action.isAlive()).isFalse();
        }

        assertThat(fetch.get()).isEqualTo("57014");
        assertThat(cleanup.get()).isEqualTo("none: the cleanup ran to its end");
        assertThat(db.activeConnections()).isZero();
    }

    private static boolean sleep(Connection connection, double seconds) throws SQLException {
        try (Statement sleep = connection.createStatement()) {
            return sleep.execute("SELECT pg_sleep(" + seconds + ")");
        }
    }
}
