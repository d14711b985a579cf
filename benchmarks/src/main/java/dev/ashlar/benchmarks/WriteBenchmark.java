package dev.ashlar.benchmarks;

import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.api.data.Row;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes of 10,000 records: bulk create returning the stored records (Ashlar; plain JDBC batch with
 * generated keys; COPY, which returns nothing), and upsert with half of them already stored. The JDBC
 * batches run in one transaction, as a careful engineer writes them: in autocommit each row would
 * wait for its own commit. The typed API's methods ({@code typed*}) take and return {@link Item} records.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class WriteBenchmark {
    private static final String TABLE = "\"ashlar_bench\".\"bulk_items\"";
    private static final String INSERT = "INSERT INTO " + TABLE + " (\"name\", \"email\", \"category\", \"price\", "
            + "\"created_at\", \"active\") VALUES (?, ?, ?, ?, ?, ?)";
    private static final String UPSERT = INSERT + " ON CONFLICT (\"email\") DO UPDATE SET \"name\" = EXCLUDED.\"name\", "
            + "\"category\" = EXCLUDED.\"category\", \"price\" = EXCLUDED.\"price\", "
            + "\"created_at\" = EXCLUDED.\"created_at\", \"active\" = EXCLUDED.\"active\"";
    private static final String COPY = "COPY " + TABLE + " (\"name\", \"email\", \"category\", \"price\", "
            + "\"created_at\", \"active\") FROM STDIN (FORMAT csv)";

    /** Empty for a bulk create. */
    @State(Scope.Thread)
    public static class Empty {
        @Setup(Level.Invocation)
        public void empty(Database db) throws SQLException {
            db.execute("TRUNCATE " + TABLE);
        }
    }

    /** Holding the first half of the records, so that an upsert of all of them is half inserts, half updates. */
    @State(Scope.Thread)
    public static class HalfStored {
        @Setup(Level.Invocation)
        public void halfStored(Database db) throws SQLException, IOException {
            db.execute("TRUNCATE " + TABLE);
            try (Connection connection = db.pool.getConnection()) {
                copy(connection, db.items.subList(0, Database.ROWS / 2));
            }
        }
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
    public List<Long> jdbcBatchCreateWithGeneratedKeys(Database db, Empty empty) throws SQLException {
        try (Connection connection = db.pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
            connection.setAutoCommit(false);
            addAll(statement, db.items);
            statement.executeBatch();
            List<Long> ids = new ArrayList<>(Database.ROWS);
            try (ResultSet keys = statement.getGeneratedKeys()) {
                while (keys.next()) {
                    ids.add(keys.getLong(1));
                }
            }
            connection.commit();
            return ids;
        }
    }

    @Benchmark
    public long jdbcCopy(Database db, Empty empty) throws SQLException, IOException {
        try (Connection connection = db.pool.getConnection()) {
            return copy(connection, db.items);
        }
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
    public int[] jdbcBatchUpsert(Database db, HalfStored halfStored) throws SQLException {
        try (Connection connection = db.pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            connection.setAutoCommit(false);
            addAll(statement, db.items);
            int[] counts = statement.executeBatch();
            connection.commit();
            return counts;
        }
    }

    private static void addAll(PreparedStatement statement, List<Item> items) throws SQLException {
        for (Item item : items) {
            statement.setString(1, item.name());
            statement.setString(2, item.email());
            statement.setObject(3, item.category(), Types.INTEGER);
            statement.setBigDecimal(4, item.price());
            statement.setObject(5, item.createdAt().atOffset(ZoneOffset.UTC));
            statement.setObject(6, item.active(), Types.BOOLEAN);
            statement.addBatch();
        }
    }

    static long copy(Connection connection, List<Item> items) throws SQLException, IOException {
        StringBuilder csv = new StringBuilder(items.size() * 80);
        for (Item item : items) {
            csv.append(item.name()).append(',').append(item.email()).append(',').append(item.category()).append(',')
                    .append(item.price()).append(',').append(item.createdAt()).append(',').append(item.active())
                    .append('\n');
        }
        return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new StringReader(csv.toString()));
    }
}
