package dev.ashlar.kernel.data;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sizes past PostgreSQL's limits or past what fits in memory: a million rows read, two hundred thousand updated, a
 * hundred thousand values in a filter, and bulk writes binding more values than one statement takes.
 */
class HostileSizesTest extends DomainDatabaseTest {
    HostileSizesTest() {
        super(Domain.builder("sizes").resource(Resource.builder("item").table("items").bigintPrimaryKey("id")
                .attribute("n", INTEGER).attribute("note", TEXT).hasMany("parts", "part").build())
                .resource(Resource.builder("part").table("parts").bigintPrimaryKey("id").attribute("item_id", BIGINT)
                        .build()).build());
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE items, parts RESTART IDENTITY");
    }

    private void insert(int rows) {
        db.execute("INSERT INTO items (n, note) SELECT g, 'row ' || g FROM generate_series(1, " + rows + ") g");
    }

    /** Heap in use after a collection, in bytes. */
    private static long heapInUse() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void aMillionRowsStreamedOrWalkedHoldOnlyAFetchOfRowsInMemory() {
        insert(1_000_000);
        long before = heapInUse();
        long[] most = {0};
        long[] seen = {0};

        try (Stream<dev.ashlar.api.data.Row> rows = ashlar.read("item").stream()) {
            rows.forEach(row -> {
                if (++seen[0] % 100_000 == 0) {
                    most[0] = Math.max(most[0], heapInUse() - before);
                }
            });
        }
        long walked = ashlar.read("item").forEach(row -> {
            if (row.getLong("id") % 100_000 == 0) {
                most[0] = Math.max(most[0], heapInUse() - before);
            }
        });

        assertThat(seen[0]).isEqualTo(1_000_000);
        assertThat(walked).isEqualTo(1_000_000);
        assertThat(most[0]).as("bytes held while reading; a list of the rows holds over 100 MB")
                .isLessThan(32_000_000);
    }

    @Test
    void anUpdateOfTwoHundredThousandRowsChangesEachOnceAndReturnsThemWhenAsked() {
        insert(250_000);

        int counted = ashlar.read("item").where(Filter.lte("n", 200_000)).updateCount(Map.of("note", "x"));
        int returned = ashlar.read("item").where(Filter.gt("n", 50_000)).updateAll(Map.of("note", "y")).size();

        assertThat(counted).isEqualTo(200_000);
        assertThat(returned).isEqualTo(200_000);
        assertThat(db.query("SELECT note, count(*) AS n FROM items GROUP BY note ORDER BY note"))
                .extracting(row -> row.get("note") + "=" + row.get("n")).containsExactly("x=50000", "y=200000");
    }

    @Test
    void seventyThousandValuesInInAndNotInPassTheBindLimitAsOneArrayAndEmptyListsMatchNothingOrAll() {
        insert(2_000);
        List<Long> evens = new ArrayList<>();
        for (long id = 2; id <= 140_000; id += 2) {
            evens.add(id);
        }

        assertThat(evens).as("more values than a statement takes binds").hasSizeGreaterThan(65_535);
        assertThat(ashlar.read("item").where(Filter.in("id", evens)).count()).isEqualTo(1_000);
        assertThat(ashlar.read("item").where(Filter.or(Filter.in("id", evens), Filter.in("n", evens))).count())
                .as("two lists of 70,000, each bound as one array").isEqualTo(1_000);
        assertThat(ashlar.read("item").where(Filter.notIn("id", evens)).count()).isEqualTo(1_000);
        assertThat(ashlar.read("item").where(Filter.in("id", List.of())).count()).isZero();
        assertThat(ashlar.read("item").where(Filter.notIn("id", List.of())).count()).isEqualTo(2_000);
        assertThat(ashlar.read("item").where(Filter.in("id", evens)).destroyAll()).isEqualTo(1_000);
        assertThat(db.value("SELECT count(*) FROM items WHERE id % 2 = 1")).isEqualTo(1_000L);
        assertThat(db.value("SELECT count(*) FROM items")).isEqualTo(1_000L);
    }

    @Test
    void aHundredThousandValuesInInNotInAndUnderOrAreHashedTenCallsInARowOverFiftyThousandRows() {
        insert(50_000);
        db.execute("ANALYZE items");
        List<Long> evens = new ArrayList<>();
        for (long id = 2; id <= 200_000; id += 2) {
            evens.add(id);
        }
        long started = System.nanoTime();

        assertThat(ashlar.read("item").where(Filter.or(Filter.in("id", evens), Filter.in("n", evens))).count())
                .as("an OR of two long lists, which the server scans once a row as = ANY arrays (about 11 s)")
                .isEqualTo(25_000);
        for (int call = 0; call < 10; call++) {
            assertThat(ashlar.read("item").where(Filter.in("n", evens)).count()).isEqualTo(25_000);
            assertThat(ashlar.read("item").where(Filter.notIn("id", evens)).count()).isEqualTo(25_000);
        }

        assertThat((System.nanoTime() - started) / 1_000_000).as("milliseconds for 21 reads of 100,000 values")
                .isLessThan(10_000);
    }

    @Test
    void aLoadForMoreParentsThanALongListBindsTheirKeysAsAHashedListAndFindsEachParentsOwnRecordsEitherWay() {
        insert(1_000);
        db.execute("INSERT INTO parts (item_id) SELECT g % 1000 + 1 FROM generate_series(0, 2999) g");

        // A few parents, then many, then a few again: each list form renders its own statement, rows as before.
        for (int limit : List.of(3, 1_000, 150, 3)) {
            List<dev.ashlar.api.data.Row> items = ashlar.read("item").sort(dev.ashlar.api.query.Sort.asc("id"))
                    .limit(limit).load("parts").list();
            assertThat(items).hasSize(limit).allSatisfy(item -> assertThat(item.related("parts"))
                    .hasSize(3).allSatisfy(part -> assertThat(part.get("item_id")).isEqualTo(item.get("id"))));
        }
    }

    @Test
    void bulkCreatesAndUpsertsBindingMoreValuesThanAStatementTakesStoreEveryRecordAndNoneStoreNothing() {
        List<Map<String, Object>> created = new ArrayList<>();
        List<Map<String, Object>> upserted = new ArrayList<>();
        for (int i = 1; i <= 40_000; i++) {
            created.add(Map.of("n", i, "note", "created"));
            upserted.add(Map.of("id", (long) i * 2, "n", -i, "note", "upserted"));
        }

        assertThat(ashlar.createAll("item", created)).hasSize(40_000);
        assertThat(ashlar.upsert("item", upserted, Upsert.onPrimaryKey())).hasSize(40_000);
        assertThat(ashlar.createAll("item", List.of())).isEmpty();
        assertThat(ashlar.upsert("item", List.<Map<String, Object>>of(), Upsert.onPrimaryKey())).isEmpty();

        assertThat(db.query("SELECT note, count(*) AS n FROM items GROUP BY note ORDER BY note"))
                .extracting(row -> row.get("note") + "=" + row.get("n"))
                .containsExactly("created=20000", "upserted=40000");
    }
}
