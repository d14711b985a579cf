package dev.ashlar.kernel.data.internal;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;

/**
 * A statement the server could not carry out for want of a resource of its own (SQL state class 53, "insufficient
 * resources"): its disk is full (53100), it ran out of memory (53200; "out of shared memory" when the lock table is
 * full), or a configured limit was reached (53400). Too many connections (53300) is a refused connection, worded where
 * connections are had. Nothing about the data or the request is wrong: the server is, and the fix is there.
 */
final class ServerResources {
    private static final String INSUFFICIENT_RESOURCES = "53";
    private static final String TOO_MANY_CONNECTIONS = "53300";

    private ServerResources() {
    }

    /** What the server lacks, as a phrase; null for a state of no such failure. */
    static String lacking(String sqlState) {
        if (sqlState == null || !sqlState.startsWith(INSUFFICIENT_RESOURCES) || sqlState.equals(TOO_MANY_CONNECTIONS)) {
            return null;
        }
        return switch (sqlState) {
            case "53100" -> "the database server's disk is full";
            case "53200" -> "the database server ran out of memory";
            case "53400" -> "the database server reached a limit of its configuration";
            default -> "the database server lacks a resource it needs";
        };
    }

    /** What to do about it, as a phrase. */
    static String fix(String sqlState) {
        return switch (sqlState) {
            case "53100" -> "free space on the server's disk (or grow the volume of its data directory)";
            case "53200" -> "follow the server's hint if it gives one (a lock table too small for a statement over "
                    + "many tables asks for a higher max_locks_per_transaction), or give the server more memory";
            case "53400" -> "raise the setting the server names";
            default -> "see to the server's resources";
        };
    }

    /** The server's message with its hint, which names the setting to raise where there is one. */
    static String said(SQLException exception) {
        ServerErrorMessage server = exception instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        if (server == null) {
            return exception.getMessage();
        }
        return server.getMessage() + (server.getHint() == null ? "" : "; HINT: " + server.getHint());
    }
}
