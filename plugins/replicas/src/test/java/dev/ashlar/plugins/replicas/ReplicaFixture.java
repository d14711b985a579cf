package dev.ashlar.plugins.replicas;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.api.data.Row;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.testing.ReplicaPair;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;

/**
 * A primary with a streaming standby, and a domain that shows where a read ran: the view behind
 * {@code server} selects {@code pg_is_in_recovery()}, true on the standby only, and so does the one behind its
 * relationship {@code probe} (and the aggregate {@code probed_in_recovery} over it).
 */
final class ReplicaFixture implements AutoCloseable {
    static final String STANDBY = "standby";
    private static final String SCHEMA = """
            CREATE TABLE notes (id bigserial PRIMARY KEY, body text NOT NULL);
            CREATE TABLE entries (id bigserial PRIMARY KEY, code text NOT NULL UNIQUE, body text,
                lock_version integer NOT NULL DEFAULT 1);
            CREATE TABLE server_ids (id integer PRIMARY KEY);
            INSERT INTO server_ids VALUES (1);
            CREATE VIEW servers AS SELECT id, pg_is_in_recovery() AS in_recovery FROM server_ids;
            CREATE VIEW primary_servers AS SELECT * FROM servers;
            CREATE VIEW probes AS SELECT id, id AS server_id, pg_is_in_recovery() AS in_recovery FROM server_ids;
            CREATE VIEW timeouts AS SELECT 1 AS id, current_setting('statement_timeout') AS statement_timeout;
            """;

    final ReplicaPair pair = ReplicaPair.start();

    ReplicaFixture() {
        execute(pair.primaryUrl(), SCHEMA);
        pair.awaitReplay(Duration.ofSeconds(30));
    }

    static Domain domain() {
        return Domain.builder("replicated").resources(
                Resource.builder("note").table("notes").bigintPrimaryKey("id")
                        .attribute("body", TEXT, a -> a.notNull()).build(),
                Resource.builder("entry").table("entries").bigintPrimaryKey("id")
                        .attribute("code", TEXT, a -> a.notNull()).attribute("body", TEXT)
                        .attribute("lock_version", INTEGER, a -> a.notNull().defaultValue(1))
                        .identity("unique_code", "code").build(),
                server("server").hasOne("probe", "probe", r -> r.destinationAttribute("server_id"))
                        .first("probed_in_recovery", "probe", "in_recovery", Sort.desc("id")).build(),
                Resource.builder("probe").table("probes").integerPrimaryKey("id").attribute("server_id", INTEGER)
                        .attribute("in_recovery", BOOLEAN).build(),
                server("primary_server").with(ReplicaRoute.primaryOnly()).build(),
                Resource.builder("timeout").table("timeouts").integerPrimaryKey("id")
                        .attribute("statement_timeout", TEXT).build()).build();
    }

    private static ResourceBuilder server(String name) {
        return Resource.builder(name).table(name + "s").integerPrimaryKey("id").attribute("in_recovery", BOOLEAN);
    }

    /** An Ashlar on the primary, with the standby under each of these names, using the plugin. */
    Ashlar ashlar(AshlarPlugin plugin, String... replicas) {
        Ashlar.Builder builder = builder(replicas);
        return (plugin == null ? builder : builder.install(plugin)).build();
    }

    /** A builder of an Ashlar on the primary, with the standby under each of these names. */
    Ashlar.Builder builder(String... replicas) {
        Ashlar.Builder builder = Ashlar.builder().jdbcUrl(pair.primaryUrl(), "postgres", null)
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(10)).domain(domain());
        for (String name : replicas) {
            builder.replica(name, pair.standbyUrl(), "postgres", null);
        }
        return builder;
    }

    /** Whether a read of the resource ran on a server in recovery: the standby. */
    static boolean readOnStandby(Ashlar ashlar, String resource) {
        return ashlar.read(resource).first().map(row -> row.getBoolean("in_recovery")).orElseThrow();
    }

    static boolean sees(Ashlar ashlar, Row note) {
        return ashlar.read("note").where(Filter.eq("id", note.get("id"))).first().isPresent();
    }

    static Row note(Ashlar ashlar, String body) {
        return ashlar.create("note", Map.of("body", body));
    }

    String onPrimary(String sql) {
        return value(pair.primaryUrl(), sql);
    }

    String onStandby(String sql) {
        return value(pair.standbyUrl(), sql);
    }

    static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String value(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pair.close();
    }
}
