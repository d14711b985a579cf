package dev.ashlar.testing;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@CitusTest
class CitusTestDatabaseDropTest {
    private static final String NAME = "ashlar_citus_half_dropped";

    @Test
    void aDatabaseThatAnEarlierDropLeftOnSomeNodesOnlyIsDroppedFromEveryNode() throws SQLException {
        PostgresServer server = PostgresServer.citus(CitusExtension.url(), "postgres", "");
        try (Connection admin = server.adminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + NAME + "\" WITH (FORCE)");
            statement.execute("CREATE DATABASE \"" + NAME + "\"");
            String[] firstWorker = server.nodes(admin, "groupid <> 0").get(0);
            try (Connection worker = server.connect(firstWorker, "postgres"); Statement local = worker.createStatement()) {
                local.execute("DROP DATABASE \"" + NAME + "\"");
            }
            assertThat(nodesHolding(server, admin)).isNotEmpty().doesNotContain(firstWorker[0] + ":" + firstWorker[1]);

            server.dropDatabase(NAME);

            assertThat(nodesHolding(server, admin)).isEmpty();
        }
    }

    private static List<String> nodesHolding(PostgresServer server, Connection admin) throws SQLException {
        List<String[]> nodes = new ArrayList<>(server.nodes(admin, "groupid = 0"));
        nodes.addAll(server.nodes(admin, "groupid <> 0"));
        List<String> holding = new ArrayList<>();
        for (String[] node : nodes) {
            try (Connection connection = server.connect(node, "postgres");
                 PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                query.setString(1, NAME);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        holding.add(node[0] + ":" + node[1]);
                    }
                }
            }
        }
        return holding;
    }
}
