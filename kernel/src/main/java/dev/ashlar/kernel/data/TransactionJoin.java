package dev.ashlar.kernel.data;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A transaction Ashlar does not manage but takes part in: when the application runs in a transaction of
 * its own framework (e.g. Spring's {@code @Transactional}) on Ashlar's primary data source, every action
 * uses that transaction's connection, commits nothing itself and is rolled back with it. Ashlar's own
 * {@code transaction(...)} inside such a transaction runs in a savepoint on its connection.
 *
 * <p>Given to {@code Ashlar.builder().transactionJoin(...)}; without one Ashlar commits on connections of
 * its own.
 */
public interface TransactionJoin {
    /**
     * The connection of the transaction in progress on this thread for this data source, or {@code null}
     * when there is none and Ashlar borrows a connection of its own.
     */
    Connection current(DataSource dataSource) throws SQLException;

    /** Hands back a connection {@link #current} gave, when the action that used it is done. */
    void release(Connection connection, DataSource dataSource) throws SQLException;
}
