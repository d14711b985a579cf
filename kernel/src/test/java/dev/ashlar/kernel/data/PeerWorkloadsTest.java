package dev.ashlar.kernel.data;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.kernel.data.MigratedDomain.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The workloads the suites of Hibernate, Ebean, jOOQ and Jdbi put to a data layer: bulk inserts of none, one and
 * past PostgreSQL's 65,535 bind values, records in hand deleted meanwhile, pooled connections handed back clean,
 * a stream stopped early, and keyset pages under concurrent inserts.
 */
class PeerWorkloadsTest extends MigratedDomainTest {

    record Entry(Long id, String title, Integer rank) {
        static final Table<Entry> ENTRIES = Table.of("entry", Entry.class);
        static final Field<Entry, Long> ID = ENTRIES.bigintPrimaryKey("id");
        static final TextField<Entry> TITLE = ENTRIES.attribute("title", TEXT, a -> a.notNull());
        static final Field<Entry, Integer> RANK = ENTRIES.attribute("rank", INTEGER);
        static final Resource RESOURCE = ENTRIES.builder().table("entries").add(ID, TITLE, RANK).build();
    }

    private static final Domain DOMAIN = Domain.builder("workloads").resource(Entry.RESOURCE).build();

    PeerWorkloadsTest() {
        super(DOMAIN, Clock.systemUTC(), "create_entries");
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE entries RESTART IDENTITY");
    }

    private long stored() {
        return (Long) db.value("SELECT count(*) FROM entries");
    }

    @Test
    void createAllOfNoRecordsOfOneAndOfAHundredThousandStoresEachInBothApis() {
        assertThat(ashlar.createAll("entry", List.of())).isEmpty();
        assertThat(ashlar.createAll(Entry.ENTRIES, List.of())).isEmpty();
        assertThat(stored()).isZero();

        assertThat(ashlar.createAll("entry", List.of(Map.of("title", "one", "rank", 1)))).extracting(r -> r.get("id"))
                .containsExactly(1L);
        assertThat(ashlar.createAll(Entry.ENTRIES, List.of(new Entry(null, "two", null))))
                .containsExactly(new Entry(2L, "two", null));

        // 100,000 records of two values each: 200,000 values, past the 65,535 one statement binds.
        List<Map<String, Object>> maps = IntStream.range(0, 100_000)
                .mapToObj(i -> Map.<String, Object>of("title", "m" + i, "rank", i)).toList();
        List<Row> rows = ashlar.createAll("entry", maps);
        List<Entry> records = ashlar.createAll(Entry.ENTRIES, IntStream.range(0, 100_000)
                .mapToObj(i -> new Entry(null, "r" + i, i)).toList());

        assertThat(rows).hasSize(100_000);
        assertThat(rows.get(99_999).get("title")).isEqualTo("m99999");
        assertThat(records).hasSize(100_000);
        assertThat(records.get(99_999)).isEqualTo(new Entry(200_002L, "r99999", 99_999));
        assertThat(stored()).isEqualTo(200_002L);
        assertThat(db.value("SELECT count(DISTINCT id) FROM entries")).isEqualTo(200_002L);
    }

    @Test
    void aNullForANotNullFieldIsRefusedNamingTheFieldInEveryWriteAndNothingIsStored() {
        List<Entry> withOneNull = new ArrayList<>(IntStream.range(0, 100)
                .mapToObj(i -> new Entry(null, "t" + i, i)).toList());
        withOneNull.set(57, new Entry(null, null, 57));
        for (Throwable refused : List.of(
                catchThrowable(() -> ashlar.create("entry", values("title", null, "rank", 1))),
                catchThrowable(() -> ashlar.create(Entry.ENTRIES, new Entry(null, null, 1))),
                catchThrowable(() -> ashlar.createAll(Entry.ENTRIES, withOneNull)))) {
            assertThat(refused).isInstanceOf(InvalidDataException.class).hasMessageContaining("entry")
                    .hasMessageContaining("title");
            assertThat(((InvalidDataException) refused).errors()).extracting(e -> e.field()).containsOnly("title");
        }
        assertThat(stored()).isZero();

        Row kept = ashlar.create("entry", Map.of("title", "kept"));
        assertThatThrownBy(() -> ashlar.update(kept, values("title", null))).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("title");
        assertThat(db.value("SELECT title FROM entries")).isEqualTo("kept");
    }

    @Test
    void recordsInHandDeletedMeanwhileAreLeftOutOfUpdateAllAndDestroyAllCountsOnlyTheRest() {
        Row kept = ashlar.create("entry", Map.of("title", "kept"));
        Row gone = ashlar.create("entry", Map.of("title", "gone"));
        ashlar.destroy(gone);

        assertThat(ashlar.updateAll(List.of(kept, gone), Map.of("rank", 5))).extracting(r -> r.get("id"))
                .containsExactly(kept.get("id"));
        assertThat(ashlar.destroyAll(List.of(kept, gone))).isEqualTo(1);
        assertThat(stored()).isZero();
        assertThat(ashlar.destroyAll(Entry.ENTRIES, List.of(new Entry(1L, "kept", 5)))).isZero();
    }

    @Test
    void aPooledConnectionComesBackInAutocommitAtTheDefaultLevelAndWritableAfterEveryKindOfTransaction() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(1);   // every action below runs on the one connection
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Ashlar one = Ashlar.builder().dataSource(pool).domain(DOMAIN).build();
            one.transaction(TransactionOptions.defaults().readOnly().isolation(Isolation.SERIALIZABLE),
                    tx -> tx.read("entry").count());
            catchThrowable(() -> one.transaction(TransactionOptions.defaults().isolation(Isolation.REPEATABLE_READ),
                    tx -> {
                        tx.create("entry", Map.of("title", "rolled back"));
                        throw new IllegalStateException("the body fails");
                    }));
            one.transaction(tx -> tx.transaction(inner -> inner.create("entry", Map.of("title", "nested"))));

            Row settings = one.sql("SELECT current_setting('transaction_isolation') AS level, "
                    + "current_setting('transaction_read_only') AS read_only").one().orElseThrow();
            assertThat(settings.get("level")).isEqualTo("read committed");
            assertThat(settings.get("read_only")).isEqualTo("off");
            one.create("entry", Map.of("title", "autocommitted"));
            // Seen from another connection: committed on its own, not left in an open transaction.
            assertThat(db.query("SELECT title FROM entries ORDER BY id")).extracting(r -> r.get("title"))
                    .containsExactly("nested", "autocommitted");
        }
    }

    @Test
    void aStreamOfAHundredThousandRowsStoppedEarlyClosesItsCursorAndGivesBackItsConnection() {
        db.execute("INSERT INTO entries (title, rank) SELECT 't' || i, i FROM generate_series(1, 100000) AS i");
        IllegalStateException enough = new IllegalStateException("enough");
        List<Integer> seen = new ArrayList<>();

        Throwable stopped = catchThrowable(() -> ashlar.read("entry").sort(Sort.asc("id")).forEach(row -> {
            seen.add(row.getInteger("rank"));
            if (seen.size() == 10) {
                throw enough;
            }
        }));

        assertThat(stopped).isSameAs(enough);
        assertThat(seen).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(db.activeConnections()).isZero();
        assertThat(db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND state LIKE 'idle in transaction%'")).isEqualTo(0L);
        assertThat(ashlar.read("entry").forEach(row -> { })).isEqualTo(100_000L);
    }

    @Test
    void keysetPagesHandOverEveryRowOnceWhileRowsAreInsertedBeforeTheCursor() {
        for (int i = 1; i <= 50; i++) {
            ashlar.create("entry", Map.of("title", "t" + i, "rank", i * 10));
        }
        List<Object> seen = new ArrayList<>();
        List<Row> page = ashlar.read("entry").sort(Sort.asc("rank"), Sort.asc("id")).limit(7).list();
        while (!page.isEmpty()) {
            page.forEach(row -> seen.add(row.get("title")));
            // A row sorted before every row handed over so far: offsets would hand one over twice.
            ashlar.create("entry", Map.of("title", "new" + seen.size(), "rank", 0));
            Row last = page.get(page.size() - 1);
            page = ashlar.read("entry").sort(Sort.asc("rank"), Sort.asc("id")).after(last.get("rank"), last.get("id"))
                    .limit(7).list();
        }

        Set<Object> distinct = new HashSet<>(seen);
        assertThat(seen).hasSize(50).hasSameSizeAs(distinct);
        assertThat(distinct).containsAll(IntStream.rangeClosed(1, 50).mapToObj(i -> "t" + i).toList());
    }
}
