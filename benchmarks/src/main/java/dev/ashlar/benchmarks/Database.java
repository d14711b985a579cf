package dev.ashlar.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.TableDdl;
import dev.ashlar.kernel.schema.SchemaBuilder;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.decimal;

/**
 * The server both sides run against, with one HikariCP pool that both use: the server at
 * {@code ASHLAR_BENCH_JDBC_URL} ({@code ASHLAR_BENCH_USER}, {@code ASHLAR_BENCH_PASSWORD}), else an
 * embedded PostgreSQL (one per JVM). Hibernate, jOOQ and Jdbi ({@link Peers}) use the same pool. Tables
 * live in the schema {@value #SCHEMA}, dropped before and after a run.
 */
@State(Scope.Benchmark)
public class Database {
    static final String SCHEMA = "ashlar_bench";
    static final int ROWS = 10_000;
    static final int CATEGORIES = 100;
    static final int POSTS = 1_000;
    static final int COMMENTS_PER_POST = 10;

    /**
     * The server, pool, tables and peers are set up once per JVM (once per fork) and shared by every
     * benchmark that runs in it: reads never change the seeded tables, and writes use their own table.
     */
    private static Database prepared;
    private static EmbeddedPostgres embedded;

    HikariDataSource pool;
    Ashlar ashlar;
    /** The peers, on the same pool. */
    Peers peers;
    /** The records of a bulk write, as maps for Ashlar and as records for plain JDBC. */
    List<Map<String, Object>> maps = new ArrayList<>();
    List<Item> items = new ArrayList<>();

    static Resource item(String name, String table) {
        return Resource.builder(name).table(table).schema(SCHEMA)
                .bigintPrimaryKey("id")
                .attribute("name", TEXT, a -> a.notNull())
                .attribute("email", TEXT, a -> a.notNull())
                .attribute("category", INTEGER)
                .attribute("price", decimal(10, 2))
                .attribute("created_at", TIMESTAMPTZ)
                .attribute("active", BOOLEAN)
                .attribute("tags", arrayOf(TEXT))
                .attribute("attrs", JSON)
                .identity("unique_email", "email")
                .build();
    }

    @Setup(Level.Trial)
    public void start() throws IOException, SQLException {
        synchronized (Database.class) {
            if (prepared == null) {
                prepare();
                prepared = this;
                Runtime.getRuntime().addShutdownHook(new Thread(this::shutDown));
            }
            pool = prepared.pool;
            ashlar = prepared.ashlar;
            peers = prepared.peers;
            maps = prepared.maps;
            items = prepared.items;
        }
    }

    private void prepare() throws IOException, SQLException {
        HikariConfig config = new HikariConfig();
        String url = System.getenv("ASHLAR_BENCH_JDBC_URL");
        if (url == null || url.isBlank()) {
            url = embedded().getJdbcUrl("postgres", "postgres");
        }
        config.setJdbcUrl(url);
        config.setUsername(envOr("ASHLAR_BENCH_USER", "postgres"));
        config.setPassword(envOr("ASHLAR_BENCH_PASSWORD", ""));
        config.setMaximumPoolSize(4);
        config.setPoolName("bench");
        // JDBC's rewritten batch (multi-row INSERT); Ashlar and the peers' reads are unaffected.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        pool = new HikariDataSource(config);
        Domain domain = Domain.builder("bench").resource(item("item", "items"))
                .resource(item("bulk_item", "bulk_items")).resource(POST).resource(COMMENT).build();
        createTables(domain);
        // The domain uses no plugin: the tenancy plugin on this class path (for the tenant harness) would
        // otherwise watch every write, wrapping each in a transaction and a call per written row.
        ashlar = Ashlar.builder().dataSource(pool).domain(domain).discoverPlugins(false).build();
        for (int i = 0; i < ROWS; i++) {
            Item item = new Item(null, "Item " + i, "item" + i + "@example.com", i % CATEGORIES,
                    BigDecimal.valueOf(i % 997, 2), Instant.ofEpochSecond(1_700_000_000L + i, (i % 1000) * 1000L),
                    i % 3 != 0, List.of("tag" + i % 7, "tag" + i % 11, "say \"hi\""),
                    "{\"rank\": " + i + ", \"label\": \"L" + i % 13 + "\"}");
            items.add(item);
            Map<String, Object> map = new HashMap<>();
            map.put("name", item.name());
            map.put("email", item.email());
            map.put("category", item.category());
            map.put("price", item.price());
            map.put("created_at", item.createdAt());
            map.put("active", item.active());
            map.put("tags", item.tags());
            map.put("attrs", item.attrs());
            maps.add(map);
        }
        ashlar.createAll("item", maps);
        createPosts();
        execute("ANALYZE " + SCHEMA + ".items; ANALYZE " + SCHEMA + ".posts; ANALYZE " + SCHEMA + ".comments");
        peers = new Peers(pool);
    }

    private static EmbeddedPostgres embedded() throws IOException {
        if (embedded == null) {
            embedded = EmbeddedPostgres.builder().start();
        }
        return embedded;
    }

    /** Posts with their comments, for the relationship benchmark. */
    static final Resource POST = Resource.builder("post").table("posts").schema(SCHEMA)
            .bigintPrimaryKey("id")
            .attribute("title", TEXT, a -> a.notNull())
            .hasMany("comments", "comment")
            .build();
    static final Resource COMMENT = Resource.builder("comment").table("comments").schema(SCHEMA)
            .bigintPrimaryKey("id")
            .attribute("body", TEXT, a -> a.notNull())
            .attribute("rating", INTEGER)
            .belongsTo("post", "post", r -> r.allowNil(false))
            .build();

    private void createPosts() {
        List<Map<String, Object>> posts = new ArrayList<>();
        for (int i = 0; i < POSTS; i++) {
            posts.add(Map.of("title", "Post " + i));
        }
        List<Map<String, Object>> comments = new ArrayList<>();
        for (var post : ashlar.createAll("post", posts)) {
            for (int c = 0; c < COMMENTS_PER_POST; c++) {
                Map<String, Object> comment = new HashMap<>();
                comment.put("body", "Comment " + c + " on " + post.get("title"));
                // Every fifth comment has no rating: a NULL must read as null, not as 0.
                comment.put("rating", c % 5 == 4 ? null : c % 5 + 1);
                comment.put("post_id", post.get("id"));
                comments.add(comment);
            }
        }
        ashlar.createAll("comment", comments);
    }

    private void createTables(Domain domain) throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE; CREATE SCHEMA " + SCHEMA);
        for (Table table : new SchemaBuilder(domain, Plugins.none()).build().tables()) {
            execute(TableDdl.createTable(table));
            for (var object : table.objects()) {
                execute(object.up());
            }
        }
        execute("CREATE INDEX items_category_index ON " + SCHEMA + ".items (category)");
        execute("CREATE INDEX comments_post_id_index ON " + SCHEMA + ".comments (post_id)");
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Leaves the write table empty for the next benchmark of this JVM. */
    @TearDown(Level.Trial)
    public void stop() throws SQLException {
        execute("TRUNCATE " + SCHEMA + ".bulk_items");
    }

    /** When the JVM ends: drops the schema and stops what {@link #prepare} started. */
    private void shutDown() {
        try {
            execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            peers.close();
            ashlar.close();
            pool.close();
            if (embedded != null) {
                embedded.close();
            }
        } catch (SQLException | IOException | RuntimeException e) {
            System.err.println("Cleaning up after the benchmarks failed: " + e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
