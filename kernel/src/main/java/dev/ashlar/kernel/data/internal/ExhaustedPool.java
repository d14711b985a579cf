package dev.ashlar.kernel.data.internal;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * A pool that had no free connection for as long as it waits for one, while the server was fine: every connection
 * was in use. HikariCP says so with an {@link SQLTransientConnectionException} that has neither a SQL state nor a
 * cause; a wait that ran out because the server refused to connect keeps the server's state and error as its cause,
 * and is worded as the server's refusal.
 */
final class ExhaustedPool {
    private ExhaustedPool() {
    }

    static boolean covers(SQLException e) {
        return e instanceof SQLTransientConnectionException && e.getSQLState() == null && e.getCause() == null;
    }

    /** What happened and what to change, to follow "Could not read post: ". */
    static String reason(SQLException e) {
        return "no connection of the pool was free (" + e.getMessage() + "). The server answers, but every connection "
                + "of the pool was in use for as long as the pool waits for one: work holds them (a transaction or a "
                + "stream left open, or more work at once than the pool has connections). Nothing ran: end what holds "
                + "them, or give the pool more connections or a longer wait (HikariCP's maximumPoolSize and "
                + "connectionTimeout; Ashlar.builder().timeouts(connect, statement) for a pool Ashlar makes from a URL)";
    }
}
