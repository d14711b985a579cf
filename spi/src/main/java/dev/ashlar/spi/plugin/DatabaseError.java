package dev.ashlar.spi.plugin;

/**
 * A database error as plugins see it, without JDBC types. Fields the server did not report are null.
 *
 * @param sqlState   the five-character SQL state, e.g. {@code 23505} for a unique violation
 * @param message    the server's primary message
 * @param detail     the server's detail line
 * @param schema     the schema of the object involved
 * @param table      the table involved
 * @param column     the column involved
 * @param constraint the constraint involved
 */
public record DatabaseError(String sqlState, String message, String detail, String schema, String table,
                            String column, String constraint) {

    public static final String UNIQUE_VIOLATION = "23505";
    public static final String FOREIGN_KEY_VIOLATION = "23503";
    public static final String CHECK_VIOLATION = "23514";
    public static final String NOT_NULL_VIOLATION = "23502";

    /**
     * Whether a failure with this SQL state means the connection is gone, so that nothing more runs on it: the link
     * broke (class 08), or the server ended the session (terminated by {@code pg_terminate_backend}, shut down,
     * crashed, or an idle or idle-in-transaction session timeout). Called by the kernel when it words an error.
     *
     * @param sqlState a SQL state, or {@code null}
     * @return true for class 08 and for 57P01, 57P02, 57P05 and 25P03
     */
    public static boolean connectionLost(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.equals("57P01")
                || sqlState.equals("57P02") || sqlState.equals("57P05") || sqlState.equals("25P03"));
    }

    /**
     * Why the server turned a new connection away, and what to do, for the SQL states it does so with: too many
     * connections (53300: {@code max_connections}, or the role's or the database's {@code CONNECTION LIMIT}, is
     * reached) and a server that is starting up, shutting down or recovering (57P03). Called by the kernel when it
     * words a failure to get a connection, which a pool reports with the server's SQL state.
     *
     * @param sqlState a SQL state, or {@code null}
     * @return the reason and the fix, a sentence without its full stop; null for any other SQL state
     */
    public static String connectionRefusal(String sqlState) {
        if ("53300".equals(sqlState)) {
            return "The server turns new connections away: max_connections is reached, or the CONNECTION LIMIT of the "
                    + "role or of the database is (ALTER ROLE or ALTER DATABASE ... CONNECTION LIMIT; 0 admits no one "
                    + "but superusers). End idle sessions, make the pools on this server smaller, or raise the limit";
        }
        if ("57P03".equals(sqlState)) {
            return "The server is starting up, shutting down or recovering, and accepts no connection now: try again "
                    + "once it does";
        }
        return null;
    }
}
