package dev.ashlar.benchmarks;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import org.hibernate.StatelessSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads: one record by primary key, and 100 records by a filter and a sort, mapped to Java records, by
 * Ashlar (its string API, {@code ashlar*}, and its typed API, {@code typed*}), hand-written JDBC, Hibernate,
 * jOOQ and Jdbi. Before timing, every side must return the same records.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class ReadBenchmark {
    private static final String COLUMNS = "\"id\", \"name\", \"email\", \"category\", \"price\", \"created_at\", "
            + "\"active\", \"tags\", \"attrs\"";
    private static final String BY_KEY = "SELECT " + COLUMNS + " FROM \"ashlar_bench\".\"items\" WHERE \"id\" = ?";
    private static final String BY_CATEGORY = "SELECT " + COLUMNS + " FROM \"ashlar_bench\".\"items\" "
            + "WHERE \"category\" = ? ORDER BY \"price\" DESC, \"id\" ASC LIMIT ?";
    private static final String JDBI_BY_CATEGORY = "SELECT " + COLUMNS + " FROM \"ashlar_bench\".\"items\" "
            + "WHERE \"category\" = :category ORDER BY \"price\" DESC, \"id\" ASC LIMIT :limit";
    private static final String HQL_BY_CATEGORY = "from ItemEntity where category = :category "
            + "order by price desc, id asc";

    private long next;

    private long nextId() {
        next = next % Database.ROWS + 1;
        return next;
    }

    private int nextCategory() {
        return (int) (nextId() % Database.CATEGORIES);
    }

    /** Every side reads the same records, or nothing is timed. */
    @Setup(Level.Trial)
    public void check(Database db) throws SQLException {
        if (!Checks.first(ReadBenchmark.class)) {
            return;
        }
        for (long id : new long[] {1, 77, Database.ROWS}) {
            Checks.same("read by key " + id, byKeyJdbc(db, id), byKeyAshlar(db, id), byKeyTyped(db, id), byKeyHibernate(db, id),
                    byKeyJooq(db, id), byKeyJdbi(db, id));
        }
        for (int category : new int[] {0, 42}) {
            Checks.same("read 100 of category " + category, read100Jdbc(db, category), read100Ashlar(db, category),
                    read100Typed(db, category), read100Hibernate(db, category), read100Jooq(db, category), read100Jdbi(db, category));
        }
    }

    @Benchmark
    public Item ashlarReadByKey(Database db) {
        return byKeyAshlar(db, nextId());
    }

    @Benchmark
    public Item typedReadByKey(Database db) {
        return byKeyTyped(db, nextId());
    }

    @Benchmark
    public Item jdbcReadByKey(Database db) throws SQLException {
        return byKeyJdbc(db, nextId());
    }

    @Benchmark
    public Item hibernateReadByKey(Database db) {
        return byKeyHibernate(db, nextId());
    }

    @Benchmark
    public Item jooqReadByKey(Database db) {
        return byKeyJooq(db, nextId());
    }

    @Benchmark
    public Item jdbiReadByKey(Database db) {
        return byKeyJdbi(db, nextId());
    }

    @Benchmark
    public List<Item> ashlarRead100(Database db) {
        return read100Ashlar(db, nextCategory());
    }

    @Benchmark
    public List<Item> typedRead100(Database db) {
        return read100Typed(db, (int) (nextId() % Database.CATEGORIES));
    }

    @Benchmark
    public List<Row> ashlarRead100Rows(Database db) {
        return db.ashlar.read("item").where(Filter.eq("category", nextCategory()))
                .sort(Sort.desc("price"), Sort.asc("id")).limit(100).list();
    }

    @Benchmark
    public List<Item> jdbcRead100(Database db) throws SQLException {
        return read100Jdbc(db, nextCategory());
    }

    @Benchmark
    public List<Item> hibernateRead100(Database db) {
        return read100Hibernate(db, nextCategory());
    }

    @Benchmark
    public List<Item> jooqRead100(Database db) {
        return read100Jooq(db, nextCategory());
    }

    @Benchmark
    public List<Item> jdbiRead100(Database db) {
        return read100Jdbi(db, nextCategory());
    }

    static Item byKeyAshlar(Database db, long id) {
        return db.ashlar.get("item", id).as(Item.class);
    }

    static Item byKeyTyped(Database db, long id) {
        return db.ashlar.get(Items.ITEMS, id);
    }

    static Item byKeyJdbc(Database db, long id) throws SQLException {
        try (Connection connection = db.pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(BY_KEY)) {
            statement.setLong(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? item(rows) : null;
            }
        }
    }

    static Item byKeyHibernate(Database db, long id) {
        try (StatelessSession session = db.peers.hibernate.openStatelessSession()) {
            return session.get(Entities.ItemEntity.class, id).toItem();
        }
    }

    static Item byKeyJooq(Database db, long id) {
        return db.peers.jooq.select(Peers.ID, Peers.NAME, Peers.EMAIL, Peers.CATEGORY, Peers.PRICE, Peers.CREATED_AT,
                        Peers.ACTIVE, Peers.TAGS, Peers.ATTRS)
                .from(Peers.ITEMS).where(Peers.ID.eq(id)).fetchOne(Peers::item);
    }

    static Item byKeyJdbi(Database db, long id) {
        return db.peers.jdbi.withHandle(handle -> handle.createQuery(BY_KEY.replace("?", ":id")).bind("id", id)
                .mapTo(Item.class).one());
    }

    static List<Item> read100Typed(Database db, int category) {
        return db.ashlar.read(Items.ITEMS).where(Items.CATEGORY.eq(category))
                .sort(Items.PRICE.desc(), Items.ID.asc()).limit(100).list();
    }

    static List<Item> read100Ashlar(Database db, int category) {
        return db.ashlar.read("item").where(Filter.eq("category", category))
                .sort(Sort.desc("price"), Sort.asc("id")).limit(100).list(Item.class);
    }

    static List<Item> read100Jdbc(Database db, int category) throws SQLException {
        try (Connection connection = db.pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(BY_CATEGORY)) {
            statement.setInt(1, category);
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

    static List<Item> read100Hibernate(Database db, int category) {
        try (StatelessSession session = db.peers.hibernate.openStatelessSession()) {
            List<Entities.ItemEntity> entities = session.createSelectionQuery(HQL_BY_CATEGORY,
                    Entities.ItemEntity.class).setParameter("category", category).setMaxResults(100).getResultList();
            List<Item> items = new ArrayList<>(entities.size());
            for (Entities.ItemEntity entity : entities) {
                items.add(entity.toItem());
            }
            return items;
        }
    }

    static List<Item> read100Jooq(Database db, int category) {
        return db.peers.jooq.select(Peers.ID, Peers.NAME, Peers.EMAIL, Peers.CATEGORY, Peers.PRICE, Peers.CREATED_AT,
                        Peers.ACTIVE, Peers.TAGS, Peers.ATTRS)
                .from(Peers.ITEMS).where(Peers.CATEGORY.eq(category)).orderBy(Peers.PRICE.desc(), Peers.ID.asc())
                .limit(100).fetch(Peers::item);
    }

    static List<Item> read100Jdbi(Database db, int category) {
        return db.peers.jdbi.withHandle(handle -> handle.createQuery(JDBI_BY_CATEGORY).bind("category", category)
                .bind("limit", 100).mapTo(Item.class).list());
    }

    /** Hand-written mapping, as a careful engineer writes it: by position, nulls kept. */
    static Item item(ResultSet rows) throws SQLException {
        int category = rows.getInt(4);
        Integer categoryOrNull = rows.wasNull() ? null : category;
        boolean active = rows.getBoolean(7);
        Boolean activeOrNull = rows.wasNull() ? null : active;
        // The driver's Timestamp is an instant already; as an OffsetDateTime it builds the offset's zone rules per value.
        java.sql.Timestamp created = rows.getTimestamp(6);
        Array tags = rows.getArray(8);
        List<String> tagList = tags == null ? null : Arrays.asList((String[]) tags.getArray());
        return new Item(rows.getLong(1), rows.getString(2), rows.getString(3), categoryOrNull, rows.getBigDecimal(5),
                created == null ? null : created.toInstant(), activeOrNull, tagList, rows.getString(9));
    }
}
