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
}
