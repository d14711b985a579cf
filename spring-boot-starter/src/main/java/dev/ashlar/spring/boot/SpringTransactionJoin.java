package dev.ashlar.spring.boot;

import dev.ashlar.kernel.data.TransactionJoin;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.sql.Connection;

/**
 * Spring's transactions for Ashlar: inside a transaction a Spring transaction manager runs on Ashlar's data
 * source (e.g. {@code @Transactional} with the DataSourceTransactionManager), Ashlar uses its connection;
 * outside one, or in a transaction on another resource, Ashlar borrows connections of its own.
 */
final class SpringTransactionJoin implements TransactionJoin {
    @Override
    public Connection current(DataSource dataSource) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.hasResource(dataSource)) {
            return null;
        }
        return DataSourceUtils.getConnection(dataSource);
    }

    @Override
    public void release(Connection connection, DataSource dataSource) {
        DataSourceUtils.releaseConnection(connection, dataSource);
    }
}
