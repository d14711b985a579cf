package dev.ashlar.kernel.tenant;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.QueryExecutor;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the round trips made on the connections it hands out: every execute (a batch is one) and
 * every commit or rollback, which is what the driver waits for the server on.
 */
final class RoundTrips {
    private static final Set<String> WAITS = Set.of("execute", "executeQuery", "executeUpdate", "executeBatch",
            "executeLargeUpdate", "executeLargeBatch", "commit", "rollback");

    /** The query executor's methods that parse a SQL text on the client. */
    private static final Set<String> PARSES = Set.of("createQuery", "createSimpleQuery", "borrowQuery",
            "borrowCallableQuery", "borrowReturningQuery", "createQueryKey");
    /** A plain statement's methods whose SQL text the driver parses on the client (a batch's, each one anew). */
    private static final Set<String> STATEMENT_PARSES = Set.of("addBatch", "execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate");

    private final AtomicInteger count = new AtomicInteger();
    private final List<String> parsed = new CopyOnWriteArrayList<>();
    private final List<String> prepared = new CopyOnWriteArrayList<>();

    int count() {
        return count.get();
    }

    /** The SQL texts given to the driver to parse on the client (by its query executor or a statement), in order. */
    List<String> parsed() {
        return parsed;
    }

    /** The SQL texts of the statements prepared on the connections handed out, in order. */
    List<String> prepared() {
        return prepared;
    }

    /** A data source whose connections are counted. */
    DataSource counting(DataSource delegate) {
        return proxy(DataSource.class, delegate, result -> result instanceof Connection c ? connection(c) : result);
    }

    /**
     * One connection, counted; the driver's own connection, unwrapped from it, counts what is sent through its query
     * executor too.
     */
    Connection connection(Connection delegate) {
        return proxy(Connection.class, delegate, result -> result instanceof PreparedStatement p
                ? proxy(PreparedStatement.class, p, r -> r)
                : result instanceof Statement s ? proxy(Statement.class, s, r -> r)
                : result instanceof BaseConnection base ? proxy(BaseConnection.class, base, r -> r instanceof QueryExecutor
                ? proxy(QueryExecutor.class, (QueryExecutor) r, x -> x) : r) : result);
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, T delegate, Wrap wrap) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (WAITS.contains(method.getName())) {
                count.incrementAndGet();
            }
            if (delegate instanceof QueryExecutor && PARSES.contains(method.getName())
                    || type == Statement.class && STATEMENT_PARSES.contains(method.getName()) && args != null
                    && args.length > 0 && args[0] instanceof String) {
                parsed.add((String) args[0]);
            }
            if (type == Connection.class && method.getName().equals("prepareStatement")) {
                prepared.add((String) args[0]);
            }
            try {
                return wrap.apply(method.invoke(delegate, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    @FunctionalInterface
    private interface Wrap {
        Object apply(Object result) throws SQLException;
    }
}
