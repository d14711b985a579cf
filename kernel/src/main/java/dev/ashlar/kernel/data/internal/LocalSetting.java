package dev.ashlar.kernel.data.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A server setting changed for part of a transaction ({@code set_config(name, value, true)}, as {@code SET LOCAL}):
 * set before some statements and given back after them, so the transaction's later statements run as before.
 */
final class LocalSetting {
    /** The transaction is aborted: nothing to give back, its rollback ends the setting. */
    private static final String IN_FAILED_TRANSACTION = "25P02";

    private LocalSetting() {
    }

    /** Sets {@code name} for the rest of the transaction; returns the value it replaced, for {@link #restore}. */
    static String set(Connection connection, String name, String value) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement(
                "SELECT current_setting(?), set_config(?, ?, true)")) {
            set.setString(1, name);
            set.setString(2, name);
            set.setString(3, value);
            try (ResultSet result = set.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }

    /** Gives {@code name} back the value {@link #set} replaced; nothing when the transaction failed. */
    static void restore(Connection connection, String name, String before) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config(?, ?, true)")) {
            set.setString(1, name);
            set.setString(2, before);
            set.execute();
        } catch (SQLException e) {
            if (!IN_FAILED_TRANSACTION.equals(e.getSQLState())) {
                throw e;
            }
        }
    }
}
