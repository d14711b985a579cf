package dev.ashlar.kernel.data;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A data source that counts the connections borrowed from it and records the SQL of every statement
 * they prepare, to count round trips, and of every plain statement they run (see {@link #takeAll}).
 */
final class CountingDataSource implements DataSource {
    private final DataSource delegate;
    private final List<String> statements = Collections.synchronizedList(new ArrayList<>());
    private final List<String> plain = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger borrowed = new AtomicInteger();

    CountingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** The statements prepared since the last call, and forgets them. */
    List<String> take() {
        synchronized (statements) {
            List<String> taken = List.copyOf(statements);
            statements.clear();
            return taken;
        }
    }

    /** Every SQL text sent since the last call, prepared or run by a plain statement, and forgets them. */
    List<String> takeAll() {
        List<String> all = new ArrayList<>(take());
        synchronized (plain) {
            all.addAll(plain);
            plain.clear();
        }
        return all;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return counting(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return counting(delegate.getConnection(user, password));
    }

    private Connection counting(Connection connection) {
        borrowed.incrementAndGet();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql) {
                        statements.add(sql);
                    }
                    Object result = invoke(connection, method, args);
                    return result instanceof Statement statement && !(result instanceof PreparedStatement)
                            ? logging(statement) : result;
                });
    }

    private Statement logging(Statement statement) {
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[]{Statement.class},
                (proxy, method, args) -> {
                    if ((method.getName().startsWith("execute") || method.getName().equals("addBatch")) && args != null
                            && args[0] instanceof String sql) {
                        plain.add(sql);
                    }
                    return invoke(statement, method, args);
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("counting");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return delegate.isWrapperFor(type);
    }
}
