package dev.ashlar.benchmarks;

import dev.ashlar.api.data.Row;
import dev.ashlar.kernel.data.Returning;
import dev.ashlar.kernel.data.Upsert;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes of 10,000 items (with a {@code text[]} and a {@code jsonb} column): bulk create returning the
 * stored records or their keys, and upsert on the email with half of them already stored (with another
 * name), by Ashlar, JDBC's best paths ({@link JdbcWrites}), Hibernate, jOOQ and Jdbi ({@link PeerWrites}).
 * Before timing, every side must leave the same rows in the table. The typed API's methods
 * ({@code typed*}) take and return {@link Item} records.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class WriteBenchmark {
    private static final String STORED = "SELECT " + JdbcWrites.COLUMNS + " FROM " + JdbcWrites.TABLE
            + " ORDER BY \"email\"";

    /** Empty for a bulk create. */
    @State(Scope.Thread)
    public static class Empty {
        @Setup(Level.Invocation)
        public void empty(Database db) throws SQLException {
            db.execute("TRUNCATE " + JdbcWrites.TABLE);
        }
    }

    /** Holding the first half of the items under other names: an upsert of all of them is half inserts, half updates. */
    @State(Scope.Thread)
    public static class HalfStored {
        @Setup(Level.Invocation)
        public void halfStored(Database db) throws SQLException, IOException {
            WriteBenchmark.halfStored(db);
        }
    }

    static void halfStored(Database db) throws SQLException, IOException {
        db.execute("TRUNCATE " + JdbcWrites.TABLE);
        List<Item> stale = new ArrayList<>();
        for (Item item : db.items.subList(0, Database.ROWS / 2)) {
            stale.add(new Item(null, "Old " + item.name(), item.email(), item.category(), item.price(),
                    item.createdAt(), item.active(), List.of("old"), "{}"));
        }
        try (Connection connection = db.pool.getConnection()) {
            JdbcWrites.copy(connection, stale);
        }
    }

    /**
     * Each way of writing leaves what COPY of the items leaves, and each that returns keys (all but the JDBC batches)
     * returns the key of each item's row, in order.
     */
    @Setup(Level.Trial)
    public void check(Database db) throws SQLException, IOException {
        if (!Checks.first(WriteBenchmark.class)) {
            return;
        }
        db.execute("TRUNCATE " + JdbcWrites.TABLE);
        jdbcCopy(db, null);
        List<String> reference = stored(db);
        List<Checked> creates = List.of(
                () -> keys(db.ashlar.createAll("bulk_item", db.maps)),
                () -> keys(db.ashlar.createAll("bulk_item", db.maps, Returning.KEYS)),
                () -> jdbcUnnestReturningIds(db, null),
                () -> jdbcUnnestBinaryTimestampsReturningIds(db, null),
                () -> jdbcCopyStagedReturningIds(db, null),
                () -> jdbcBatchWithGeneratedKeys(db, null),
                () -> {
                    jdbcRewrittenBatch(db, null);
                    return null;
                },
                () -> hibernateCreateAll(db, null),
                () -> jooqCreateAll(db, null),
                () -> jdbiCreateAll(db, null));
        for (int i = 0; i < creates.size(); i++) {
            db.execute("TRUNCATE " + JdbcWrites.TABLE);
            List<Long> keys = creates.get(i).run();
            Checks.same("bulk create " + (i + 1) + ": stored rows", reference, stored(db));
            // One key per item, in the items' order: the key of the row stored from each item.
            checkKeys(db, "bulk create " + (i + 1), keys);
        }
        List<Checked> upserts = List.of(
                () -> keys(db.ashlar.upsert("bulk_item", db.maps, Upsert.on("unique_email"))),
                () -> keys(db.ashlar.upsert("bulk_item", db.maps, Upsert.on("unique_email"), Returning.KEYS)),
                () -> jdbcUnnestUpsert(db, null),
                () -> jdbcUnnestBinaryTimestampsUpsert(db, null),
                () -> {
                    jdbcBatchUpsert(db, null);
                    return null;
                },
                () -> jooqUpsert(db, null),
                () -> jdbiUpsert(db, null));
        for (int i = 0; i < upserts.size(); i++) {
            halfStored(db);
            List<Long> keys = upserts.get(i).run();
            Checks.same("upsert " + (i + 1) + ": stored rows", reference, stored(db));
            checkKeys(db, "upsert " + (i + 1), keys);
        }
    }

    /** That a write returned the stored rows' keys in the items' order; not for one that returns none (null). */
    private static void checkKeys(Database db, String write, List<Long> keys) throws SQLException {
        if (keys != null) {
            Checks.same(write + ": keys", storedKeys(db), keys);
        }
    }

    /** A write under check: the keys it returns, one per item, in the items' order, or null if it returns none. */
    @FunctionalInterface
    private interface Checked {
        List<Long> run() throws SQLException, IOException;
    }

    private static List<Long> keys(List<Row> rows) {
        return rows.stream().map(row -> row.getLong("id")).toList();
    }

    /** The stored rows' keys, in the items' order (each item's email is its position). */
    private static List<Long> storedKeys(Database db) throws SQLException {
        List<Long> keys = new ArrayList<>();
        try (Connection connection = db.pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT \"id\" FROM " + JdbcWrites.TABLE
                     + " ORDER BY substring(\"email\" FROM '[0-9]+')::integer")) {
            while (result.next()) {
                keys.add(result.getLong(1));
            }
        }
        return keys;
    }

    /** The stored rows but their generated keys, as the server prints them. */
    private static List<String> stored(Database db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = db.pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(STORED)) {
            int width = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= width; c++) {
                    row.append(c == 1 ? "" : " | ").append(result.getString(c));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    @Benchmark
    public List<Row> ashlarCreateAll(Database db, Empty empty) {
        return db.ashlar.createAll("bulk_item", db.maps);
    }

    @Benchmark
    public List<Item> typedCreateAll(Database db, Empty empty) {
        return db.ashlar.createAll(Items.BULK_ITEMS, db.items);
    }

    @Benchmark
    public List<Row> ashlarCreateAllKeys(Database db, Empty empty) {
        return db.ashlar.createAll("bulk_item", db.maps, Returning.KEYS);
    }

    @Benchmark
    public long jdbcCopy(Database db, Empty empty) throws SQLException, IOException {
        try (Connection connection = db.pool.getConnection()) {
            return JdbcWrites.copy(connection, db.items);
        }
    }

    @Benchmark
    public List<Long> jdbcUnnestReturningIds(Database db, Empty empty) throws SQLException {
        try (Connection connection = db.pool.getConnection()) {
            return JdbcWrites.unnest(connection, db.items, "", false);
        }
    }

    /** The same statement with the timestamps in the binary form Ashlar sends, which {@code createArrayOf} cannot. */
    @Benchmark
    public List<Long> jdbcUnnestBinaryTimestampsReturningIds(Database db, Empty empty) throws SQLException {
        try (Connection connection = db.pool.getConnection()) {
            return JdbcWrites.unnest(connection, db.items, "", true);
        }
    }

    @Benchmark
    public List<Long> jdbcCopyStagedReturningIds(Database db, Empty empty) throws SQLException, IOException {
        try (Connection connection = db.pool.getConnection()) {
            return JdbcWrites.copyStaged(connection, db.items);
        }
    }

    @Benchmark
    public List<Long> jdbcBatchWithGeneratedKeys(Database db, Empty empty) throws SQLException {
        try (Connection connection = db.pool.getConnection()) {
            return JdbcWrites.batch(connection, db.items, JdbcWrites.INSERT, true);
        }
    }

    @Benchmark
    public List<Long> jdbcRewrittenBatch(Database db, Empty empty) throws SQLException {
        try (Connection connection = db.pool.getConnection()) {
            return JdbcWrites.batch(connection, db.items, JdbcWrites.INSERT, false);
        }
    }

    @Benchmark
    public List<Long> hibernateCreateAll(Database db, Empty empty) {
        return PeerWrites.hibernate(db, db.items);
    }

    @Benchmark
    public List<Long> jooqCreateAll(Database db, Empty empty) {
        return PeerWrites.jooq(db, db.items, false);
    }

    @Benchmark
    public List<Long> jdbiCreateAll(Database db, Empty empty) {
        return PeerWrites.jdbi(db, db.items, false);
    }

    @Benchmark
    public List<Row> ashlarUpsert(Database db, HalfStored halfStored) {
        return db.ashlar.upsert("bulk_item", db.maps, Upsert.on("unique_email"));
    }

    @Benchmark
    public List<Item> typedUpsert(Database db, HalfStored halfStored) {
        return db.ashlar.upsert(Items.BULK_ITEMS, db.items, Items.UNIQUE_EMAIL.updateAll());
    }

    @Benchmark
    public List<Row> ashlarUpsertKeys(Database db, HalfStored halfStored) {
        return db.ashlar.upsert("bulk_item", db.maps, Upsert.on("unique_email"), Returning.KEYS);
    }

    @Benchmark
    public List<Long> jdbcUnnestUpsert(Database db, HalfStored halfStored) throws SQLException {
        try (Connection connection = db.pool.getConnection()) {
            return JdbcWrites.unnest(connection, db.items, JdbcWrites.ON_CONFLICT, false);
        }
    }

    /** The same upsert with the timestamps in the binary form Ashlar sends, as in the create's variant. */
    @Benchmark
    public List<Long> jdbcUnnestBinaryTimestampsUpsert(Database db, HalfStored halfStored) throws SQLException {
        try (Connection connection = db.pool.getConnection()) {
            return JdbcWrites.unnest(connection, db.items, JdbcWrites.ON_CONFLICT, true);
        }
    }

    @Benchmark
    public List<Long> jdbcBatchUpsert(Database db, HalfStored halfStored) throws SQLException {
        try (Connection connection = db.pool.getConnection()) {
            return JdbcWrites.batch(connection, db.items, JdbcWrites.INSERT + JdbcWrites.ON_CONFLICT, false);
        }
    }

    @Benchmark
    public List<Long> jooqUpsert(Database db, HalfStored halfStored) {
        return PeerWrites.jooq(db, db.items, true);
    }

    @Benchmark
    public List<Long> jdbiUpsert(Database db, HalfStored halfStored) {
        return PeerWrites.jdbi(db, db.items, true);
    }
}
