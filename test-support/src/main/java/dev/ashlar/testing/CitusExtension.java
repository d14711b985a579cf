package dev.ashlar.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * The {@link CitusTest} group's extension: skips the class when no Citus coordinator is named, else
 * hands it a database created on every node, with the {@code citus} extension everywhere and the
 * workers registered, dropped after the class.
 */
final class CitusExtension implements ExecutionCondition, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CitusExtension.class);
    private static PostgresServer coordinator;

    /** The coordinator's JDBC URL (of its {@code postgres} database), or {@code null}. */
    static String url() {
        String url = System.getProperty("ashlar.citus.url");
        if (url == null || url.isBlank()) {
            url = System.getenv("ASHLAR_CITUS_JDBC_URL");
        }
        return url == null || url.isBlank() ? null : url;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return url() == null ? ConditionEvaluationResult.disabled("No Citus cluster: set ASHLAR_CITUS_JDBC_URL (or "
                + "-Dashlar.citus.url) to a coordinator's JDBC URL to run the citus group; .ci/run starts one")
                : ConditionEvaluationResult.enabled("Citus coordinator at " + url());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context.getTestMethod().isPresent() ? context.getParent().orElse(context) : context;
        String name = ("ashlar_citus_" + classContext.getRequiredTestClass().getSimpleName()).toLowerCase(Locale.ROOT);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("database", key -> create(name), TestDatabase.class);
    }

    private static synchronized PostgresServer coordinator() {
        if (coordinator == null) {
            coordinator = PostgresServer.citus(url(), envOr("ASHLAR_CITUS_USER", "postgres"),
                    envOr("ASHLAR_CITUS_PASSWORD", ""));
        }
        return coordinator;
    }

    private static TestDatabase create(String name) {
        PostgresServer server = coordinator();
        try {
            server.dropDatabase(name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the earlier Citus test database " + name + ": "
                    + e.getMessage(), e);
        }
        try (Connection admin = server.adminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE \"" + name + "\"");
            List<String[]> workers = server.nodes(admin, "groupid <> 0");
            for (String[] worker : workers) {
                try (Connection node = server.connect(worker, name); Statement create = node.createStatement()) {
                    create.execute("CREATE EXTENSION IF NOT EXISTS citus");
                }
            }
            String[] self = server.nodes(admin, "groupid = 0").get(0);
            try (Connection database = server.connect(self, name);
                 PreparedStatement add = database.prepareStatement("SELECT citus_add_node(?, ?)")) {
                database.createStatement().execute("CREATE EXTENSION IF NOT EXISTS citus");
                database.createStatement().execute("SELECT citus_set_coordinator_host('" + self[0] + "', " + self[1] + ")");
                for (String[] worker : workers) {
                    add.setString(1, worker[0]);
                    add.setInt(2, Integer.parseInt(worker[1]));
                    add.execute();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create Citus test database " + name + ": " + e.getMessage(), e);
        }
        return new TestDatabase(server, name);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
