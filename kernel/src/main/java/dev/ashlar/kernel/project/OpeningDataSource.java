package dev.ashlar.kernel.project;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/** A data source whose connections are opened through {@code opening} (retried, initialised); the rest is the source's. */
record OpeningDataSource(DataSource source, Opening opening) implements DataSource {
    /** Opens one connection of the source. */
    interface Attempt {
        Connection connect() throws SQLException;
    }

    /** What opening a connection does around the source's own opening. */
    interface Opening {
        Connection open(Attempt attempt) throws SQLException;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return opening.open(source::getConnection);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return opening.open(() -> source.getConnection(username, password));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return source.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        source.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        source.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return source.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return source.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(source) ? type.cast(source) : source.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(source) || source.isWrapperFor(type);
    }
}
