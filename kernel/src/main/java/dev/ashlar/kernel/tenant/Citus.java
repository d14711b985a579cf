package dev.ashlar.kernel.tenant;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Ashlar does differently when the database is a Citus cluster, detected from the {@code citus}
 * extension: tenant schemas are created distributed (each placed, whole, on one worker), migrators
 * refuse a worker, and a tenant schema can be moved to another node. On a single server (no
 * extension) every method here is a no-op or an empty answer.
 *
 * <pre>{@code
 * if (Citus.present(connection)) {
 *     Citus.move(connection, "org_acme", "10.0.0.7:5432");
 * }
 * }</pre>
 */
public final class Citus {
    private Citus() {
    }

    /** Whether the database has the {@code citus} extension. */
    public static boolean present(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    /**
     * Refuses to go on when the connection reaches a Citus worker rather than the coordinator: DDL
     * would not reach the other nodes, and the migrators' advisory lock is the coordinator's.
     */
    public static void requireCoordinator(Connection connection, String what) throws SQLException {
        if (!present(connection) || single(connection, "SELECT citus_is_coordinator()").equals("t")) {
            return;
        }
        throw new AshlarException(ErrorCode.DATABASE, "Cannot " + what + " on " + single(connection,
                "SELECT coalesce(inet_server_addr()::text, 'local') || ':' || current_setting('port')") + ": it is a "
                + "Citus worker. Connect to the coordinator: DDL run on a worker does not reach the other nodes, and "
                + "migrators coordinate through the coordinator's advisory lock");
    }

    /**
     * A statement that makes the schemas this transaction creates distributed, whatever the server's
     * setting, and does nothing without Citus (so it needs no round trip of its own to ask): each
     * tenant schema becomes one Citus colocation group, placed whole on one worker.
     */
    static final String DISTRIBUTE_NEW_SCHEMAS = "SELECT set_config('citus.enable_schema_based_sharding', 'on', true) "
            + "FROM pg_extension WHERE extname = 'citus'";

    /**
     * The node ({@code host:port}) that holds each distributed schema with tables, by schema name;
     * empty on a single server.
     */
    public static Map<String, String> placements(Connection connection) throws SQLException {
        Map<String, String> nodes = new LinkedHashMap<>();
        if (!present(connection)) {
            return nodes;
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT DISTINCT s.schema_name::text, sh.nodename || ':' || "
                     + "sh.nodeport FROM citus_schemas s JOIN citus_shards sh ON sh.colocation_id = s.colocation_id "
                     + "ORDER BY 1")) {
            while (rows.next()) {
                nodes.put(rows.getString(1), rows.getString(2));
            }
        }
        return nodes;
    }

    /** The worker nodes ({@code host:port}) of the cluster that can hold tenant schemas. */
    public static List<String> workers(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT nodename || ':' || nodeport FROM pg_dist_node "
                     + "WHERE groupid <> 0 AND noderole = 'primary' AND isactive ORDER BY nodeid")) {
            List<String> nodes = new ArrayList<>();
            while (rows.next()) {
                nodes.add(rows.getString(1));
            }
            return List.copyOf(nodes);
        }
    }

    /**
     * Moves a tenant schema, its tables and data, to another node ({@code host:port}) with
     * {@code citus_schema_move}; writes to the schema wait while its shards are copied.
     */
    public static void move(Connection connection, String schema, String node) throws SQLException {
        if (!present(connection)) {
            throw new AshlarException(ErrorCode.DATABASE, "Cannot move tenant schema '" + schema + "' to " + node
                    + ": the database is not a Citus cluster (no citus extension)");
        }
        int colon = node.lastIndexOf(':');
        if (colon <= 0 || !node.substring(colon + 1).matches("\\d{1,5}")) {
            throw new AshlarException(ErrorCode.DATABASE, "Cannot move tenant schema '" + schema + "': '" + node
                    + "' is not a node; give it as host:port, one of " + workers(connection));
        }
        if (!workers(connection).contains(node)) {
            throw new AshlarException(ErrorCode.DATABASE, "Cannot move tenant schema '" + schema + "' to " + node
                    + ": no such worker in this cluster; the workers are " + workers(connection));
        }
        try (PreparedStatement move = connection.prepareStatement(
                "SELECT citus_schema_move(?::regnamespace, ?, ?, shard_transfer_mode => 'block_writes')")) {
            move.setString(1, Identifiers.quote(schema));
            move.setString(2, node.substring(0, colon));
            move.setInt(3, Integer.parseInt(node.substring(colon + 1)));
            move.execute();
        }
    }

    /**
     * The schemas in an order that takes turns between nodes (one on the first node, one on the second,
     * ...), so that the tenant migrator's parallel jobs work on different workers at once rather than
     * queueing on one; schemas with no known node come last, in their order.
     */
    public static List<String> interleaved(List<String> schemas, Map<String, String> nodes) {
        Map<String, Deque<String>> byNode = new LinkedHashMap<>();
        List<String> unplaced = new ArrayList<>();
        for (String schema : schemas) {
            String node = nodes.get(schema);
            if (node == null) {
                unplaced.add(schema);
            } else {
                byNode.computeIfAbsent(node, n -> new ArrayDeque<>()).add(schema);
            }
        }
        List<String> order = new ArrayList<>(schemas.size());
        while (!byNode.isEmpty()) {
            byNode.values().removeIf(queue -> {
                order.add(queue.poll());
                return queue.isEmpty();
            });
        }
        order.addAll(unplaced);
        return order;
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
