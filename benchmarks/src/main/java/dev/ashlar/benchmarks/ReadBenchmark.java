package dev.ashlar.benchmarks;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads: one record by primary key, and 100 records by a filter and a sort, mapped to Java records; through
 * the string API ({@code ashlar*}), the typed API ({@code typed*}) and plain JDBC ({@code jdbc*}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class ReadBenchmark {
    private static final String COLUMNS = "\"id\", \"name\", \"email\", \"category\", \"price\", \"created_at\", "
            + "\"active\"";
    private static final String BY_KEY = "SELECT " + COLUMNS + " FROM \"ashlar_bench\".\"items\" WHERE \"id\" = ?";
    private static final String BY_CATEGORY = "SELECT " + COLUMNS + " FROM \"ashlar_bench\".\"items\" "
            + "WHERE \"category\" = ? ORDER BY \"price\" DESC, \"id\" ASC LIMIT ?";

    private long next;

    private long nextId() {
        next = next % Database.ROWS + 1;
        return next;
    }

    @Benchmark
    public Item ashlarReadByKey(Database db) {
        return db.ashlar.get("item", nextId()).as(Item.class);
    }

    @Benchmark
    public Item typedReadByKey(Database db) {
        return db.ashlar.get(Items.ITEMS, nextId());
    }

    @Benchmark
    public Item jdbcReadByKey(Database db) throws SQLException {
        try (Connection connection = db.pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(BY_KEY)) {
            statement.setLong(1, nextId());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? item(rows) : null;
            }
        }
    }

    @Benchmark
    public List<Item> ashlarRead100(Database db) {
        return db.ashlar.read("item").where(Filter.eq("category", (int) (nextId() % Database.CATEGORIES)))
                .sort(Sort.desc("price"), Sort.asc("id")).limit(100).list(Item.class);
    }

    @Benchmark
    public List<Item> typedRead100(Database db) {
        return db.ashlar.read(Items.ITEMS).where(Items.CATEGORY.eq((int) (nextId() % Database.CATEGORIES)))
                .sort(Items.PRICE.desc(), Items.ID.asc()).limit(100).list();
    }

    @Benchmark
    public List<Row> ashlarRead100Rows(Database db) {
        return db.ashlar.read("item").where(Filter.eq("category", (int) (nextId() % Database.CATEGORIES)))
                .sort(Sort.desc("price"), Sort.asc("id")).limit(100).list();
    }

    @Benchmark
    public List<Item> jdbcRead100(Database db) throws SQLException {
        try (Connection connection = db.pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(BY_CATEGORY)) {
            statement.setInt(1, (int) (nextId() % Database.CATEGORIES));
            statement.setInt(2, 100);
            try (ResultSet rows = statement.executeQuery()) {
                List<Item> items = new ArrayList<>();
                while (rows.next()) {
                    items.add(item(rows));
                }
                return items;
            }
        }
    }

    /** Hand-written mapping, as a careful engineer writes it: by position, nulls kept. */
    static Item item(ResultSet rows) throws SQLException {
        int category = rows.getInt(4);
        Integer categoryOrNull = rows.wasNull() ? null : category;
        boolean active = rows.getBoolean(7);
        Boolean activeOrNull = rows.wasNull() ? null : active;
        OffsetDateTime created = rows.getObject(6, OffsetDateTime.class);
        return new Item(rows.getLong(1), rows.getString(2), rows.getString(3), categoryOrNull, rows.getBigDecimal(5),
                created == null ? null : created.toInstant(), activeOrNull);
    }
}
