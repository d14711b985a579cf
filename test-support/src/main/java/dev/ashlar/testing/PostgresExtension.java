package dev.ashlar.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands each test class a fresh database on a real PostgreSQL ({@link PostgresServer}) as a
 * {@link TestDatabase} parameter, drops it after the class, and fails a test that leaves a pooled
 * connection borrowed.
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class MigratorTest {
 *     @Test void appliesPendingFiles(TestDatabase db) { ... }
 * }
 * }</pre>
 */
public final class PostgresExtension implements ParameterResolver, AfterEachCallback {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return database(context);
    }

    /** The database of the test class that this context belongs to, created on first use. */
    public static TestDatabase database(ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElse(context) : context;
        // JUnit closes AutoCloseable values of a store when its context ends: the database is dropped after the class.
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("database",
                key -> create(classContext), TestDatabase.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestDatabase database = context.getParent().orElseThrow().getStore(NAMESPACE)
                .get("database", TestDatabase.class);
        if (database == null) {
            return;
        }
        int active = database.activeConnections();
        if (active > 0) {
            throw new AssertionError(context.getDisplayName() + " leaked " + active
                    + " pooled connection(s): close every connection it borrows");
        }
    }

    private static TestDatabase create(ExtensionContext context) {
        PostgresServer server = PostgresServer.get();
        String name = ("ashlar_" + context.getRequiredTestClass().getSimpleName() + "_" + COUNTER.incrementAndGet())
                .toLowerCase(Locale.ROOT);
        if (name.length() > 60) {
            name = name.substring(0, 50) + "_" + COUNTER.get();
        }
        try (Connection admin = server.adminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + name + "\"");
            statement.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name + ": " + e.getMessage(), e);
        }
        return new TestDatabase(server, name);
    }
}
