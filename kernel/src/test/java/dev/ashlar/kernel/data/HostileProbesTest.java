package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.internal.ServerDuration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.resource.Type.DATE;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIME;
import static dev.ashlar.api.resource.Type.TIMESTAMP;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.varchar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Probes of hostile input and faults that the other suites leave out: times finer than PostgreSQL keeps used as keys,
 * tens of thousands of records in hand, the largest limit and offset, quotes and accents in every name, concurrent
 * versioned updates and unique keys of several columns that the resource does not declare.
 */
class HostileProbesTest extends DomainDatabaseTest {
    static final String WEIRD = "wëird \"r\"";
    static final String WEIRD_FIELD = "nåme \"x\"";
    static final Domain DOMAIN = Domain.builder("probes")
            .resource(Resource.builder("owner").table("owners").bigintPrimaryKey("id")
                    .attribute("name", varchar(10))
                    .attribute("code", TEXT)
                    .attribute("at", TIMESTAMPTZ)
                    .attribute("local", TIMESTAMP)
                    .attribute("clock", TIME)
                    .attribute("day", DATE)
                    .attribute("locals", arrayOf(TIMESTAMP))
                    .attribute("version", INTEGER, a -> a.notNull().defaultValue(1))
                    .hasMany("pets", "pet")
                    .build())
            .resource(Resource.builder("pet").table("pets").bigintPrimaryKey("id")
                    .attribute("name", TEXT)
                    .belongsTo("owner", "owner")
                    .identity("unique_pet_name", "owner_id", "name")
                    .build())
            .resource(Resource.builder("event").table("events")
                    .attribute("at", TIMESTAMPTZ, a -> a.primaryKey())
                    .attribute("label", TEXT)
                    .build())
            .resource(Resource.builder(WEIRD).table("Tåble \"q\" ;--").bigintPrimaryKey("id")
                    .attribute(WEIRD_FIELD, TEXT)
                    .build())
            .build();

    HostileProbesTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE pets, owners, events, \"Tåble \"\"q\"\" ;--\"");
    }

    /**
     * Half a microsecond is a tie: the driver rounds it up when it binds a {@code LocalDateTime}, the server rounds
     * text to even. A value must round alike through every write and filter, or a key stored one way is not found the
     * other way.
     */
    @Test
    void aTimeHalfAMicrosecondPastOneRoundsAlikeThroughEveryWriteAndFilterSoItStillFindsItsRecords() {
        for (LocalDateTime tie : List.of(LocalDateTime.of(2024, 3, 31, 2, 30, 0, 123_456_500),
                LocalDateTime.of(2024, 3, 31, 2, 30, 0, 123_455_500))) {
            Instant instant = tie.toInstant(ZoneOffset.UTC);
            Map<String, Object> values = Map.of("local", tie, "at", instant, "clock", tie.toLocalTime(),
                    "locals", List.of(tie), "code", tie.toString());
            ashlar.create("owner", values);
            ashlar.createAll("owner", List.of(values, values));
            Map<String, Object> upserted = new HashMap<>(values);
            upserted.put("id", ashlar.create("owner", Map.of("code", tie.toString())).get("id"));
            ashlar.upsert("owner", List.of(upserted), Upsert.onPrimaryKey());

            List<String> stored = db.query("SELECT local::text || at::text || clock::text || locals::text AS v "
                    + "FROM owners WHERE code = ?", tie.toString()).stream().map(r -> (String) r.get("v")).toList();
            assertThat(stored).hasSize(4).containsOnly(stored.get(0));
            for (Filter filter : List.of(eq("local", tie), eq("at", instant), eq("clock", tie.toLocalTime()),
                    eq("at", OffsetDateTime.ofInstant(instant, ZoneOffset.ofHours(2))), in("local", List.of(tie)),
                    Filter.contains("locals", tie))) {
                assertThat(ashlar.read("owner").where(filter).count()).as(filter.toString()).isEqualTo(4);
            }
        }
    }

    @Test
    void aTimestampKeyGivenWithNanosecondsIsFoundByGetUpsertUpdateAndDestroyThoughStoredToTheMicrosecond() {
        Instant key = Instant.parse("2024-10-27T00:30:00.123456500Z");
        Row made = ashlar.create("event", Map.of("at", key, "label", "one"));
        ashlar.createAll("event", List.of(Map.of("at", key.plusSeconds(60), "label", "other")));

        assertThat(made.get("at")).isEqualTo(Instant.parse("2024-10-27T00:30:00.123457Z"));
        assertThat(ashlar.get("event", key).get("label")).isEqualTo("one");
        assertThat(ashlar.get("event", key.plusSeconds(60)).get("label")).isEqualTo("other");
        ashlar.upsert("event", List.of(Map.of("at", key, "label", "two")), Upsert.onPrimaryKey());
        assertThat(db.value("SELECT count(*) FROM events")).isEqualTo(2L);
        assertThat(ashlar.refresh(made).get("label")).isEqualTo("two");
        ashlar.update(made, Map.of("label", "three"));
        assertThat(ashlar.get("event", key).get("label")).isEqualTo("three");
        ashlar.destroy(made);
        assertThat(db.value("SELECT count(*) FROM events")).isEqualTo(1L);
    }

    /** 40,000 records in hand, each key a value of the statement: past the 32,767 binds of a short counter. */
    @Test
    void fortyThousandRecordsInHandAreFilteredLoadedUpdatedAndDestroyedWithoutPassingTheBindLimit() {
        List<Map<String, Object>> owners = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            owners.add(Map.of("name", "n" + i % 1000, "code", "c" + i));
        }
        List<Row> created = ashlar.createAll("owner", owners);
        ashlar.createAll("pet", created.stream().map(o -> Map.of("name", "p", "owner_id", o.get("id"))).toList());
        List<Object> ids = created.stream().map(r -> r.get("id")).toList();
        List<Object> codes = created.stream().map(r -> r.get("code")).toList();

        assertThat(ashlar.read("owner").where(in("id", ids)).count()).isEqualTo(40_000);
        assertThat(ashlar.read("owner").where(Filter.notIn("code", codes)).count()).isZero();
        assertThat(ashlar.read("owner").where(Filter.exists("pets", in("owner_id", ids))).count()).isEqualTo(40_000);
        assertThat(ashlar.load(created, "pets")).allSatisfy(o -> assertThat(o.related("pets")).hasSize(1));
        assertThat(ashlar.updateAll(created, Map.of("name", "x"))).hasSize(40_000);
        assertThat(ashlar.updateAll("owner", created.stream().map(o -> Map.of("id", o.get("id"), "name", "y"))
                .toList())).hasSize(40_000);
        assertThat(db.value("SELECT count(*) FROM owners WHERE name = 'y'")).isEqualTo(40_000L);
        assertThat(ashlar.read("pet").where(in("owner.code", codes)).destroyAll()).isEqualTo(40_000);
        assertThat(ashlar.destroyAll(ashlar.read("owner").list())).isEqualTo(40_000);
        assertThat(db.value("SELECT count(*) FROM owners")).isEqualTo(0L);
    }

    @Test
    void theLargestLimitAndOffsetAreTakenAsGivenInReadsLoadsPagesAndWrites() {
        ashlar.create("owner", Map.of("name", "a"));
        Row owner = ashlar.create("owner", Map.of("name", "b"));
        ashlar.create("pet", Map.of("name", "p", "owner_id", owner.get("id")));
        int most = Integer.MAX_VALUE;

        assertThat(ashlar.read("owner").limit(most).list()).hasSize(2);
        assertThat(ashlar.read("owner").offset(most).list()).isEmpty();
        assertThat(ashlar.read("owner").limit(most).offset(most).count()).isZero();
        assertThat(ashlar.read("owner").load("pets", l -> l.limit(most)).list())
                .extracting(o -> o.related("pets").size()).containsExactlyInAnyOrder(0, 1);
        assertThat(ashlar.read("owner").load("pets", l -> l.limit(most).offset(most)).list())
                .allSatisfy(o -> assertThat(o.related("pets")).isEmpty());
        assertThat(ashlar.read("owner").limit(most).offset(most).page().total()).isEqualTo(2);
        assertThat(ashlar.read("owner").limit(most).updateAll(Map.of("name", "z"))).hasSize(2);
        assertThat(ashlar.read("owner").sort(Sort.asc("id")).limit(most).offset(1).destroyAll()).isEqualTo(1);
        assertThat(db.value("SELECT name FROM owners")).isEqualTo("z");
    }

    @Test
    void quotesAccentsAndSqlCommentsInResourceTableFieldAndValueRoundTripThroughEveryAction() {
        String value = "it's \"q\" ; -- ü 😀 \\ '";
        Row row = ashlar.create(WEIRD, Map.of(WEIRD_FIELD, value));

        assertThat(ashlar.read(WEIRD).where(eq(WEIRD_FIELD, value)).list()).hasSize(1);
        assertThat(ashlar.read(WEIRD).where(Filter.contains(WEIRD_FIELD, "\"q\" ;")).count()).isEqualTo(1);
        ashlar.update(row, Map.of(WEIRD_FIELD, value + value));
        assertThat(ashlar.read(WEIRD).sort(Sort.desc(WEIRD_FIELD)).first().orElseThrow().get(WEIRD_FIELD))
                .isEqualTo(value + value);
        ashlar.upsert(WEIRD, List.of(Map.of("id", row.get("id"), WEIRD_FIELD, "z")), Upsert.onPrimaryKey());
        assertThat(ashlar.read(WEIRD).groupBy(WEIRD_FIELD).list()).hasSize(1);
        assertThat(db.value("SELECT \"nåme \"\"x\"\"\" FROM \"Tåble \"\"q\"\" ;--\"")).isEqualTo("z");
        assertThat(ashlar.read(WEIRD).destroyAll()).isEqualTo(1);
    }

    @Test
    void ofEightConcurrentVersionedUpdatesOfOneReadExactlyOneWinsAndTheOthersAreStale() throws Exception {
        try (Ashlar versioned = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).optimisticLock("version")
                .build()) {
            Row row = versioned.create("owner", Map.of("name", "a"));
            int writers = 8;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CyclicBarrier start = new CyclicBarrier(writers);
            List<Future<Object>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String name = "t" + i;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        return versioned.update(row, Map.of("name", name)).get("name");
                    } catch (StaleRecordException e) {
                        return e;
                    }
                }));
            }
            List<Object> results = new ArrayList<>();
            for (Future<Object> outcome : outcomes) {
                results.add(outcome.get());
            }
            pool.shutdown();

            assertThat(results).filteredOn(String.class::isInstance).singleElement()
                    .isEqualTo(db.value("SELECT name FROM owners"));
            assertThat(results).filteredOn(StaleRecordException.class::isInstance).hasSize(writers - 1);
            assertThat(db.value("SELECT version FROM owners")).isEqualTo(2);
        }
    }

    @Test
    void aTakenKeyOfAUniqueIndexWrittenByHandNamesEveryFieldOfTheKey() {
        db.execute("CREATE UNIQUE INDEX owners_name_day ON owners (name, day)");
        try {
            Map<String, Object> values = Map.of("name", "a", "day", LocalDate.of(2020, 1, 1));
            ashlar.create("owner", values);

            assertThatThrownBy(() -> ashlar.create("owner", values))
                    .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                            .satisfies(error -> assertTaken(error, "has already been taken together with day "
                                    + "(unique key name, day)")))
                    .hasMessage("Invalid owner (create): name has already been taken together with day (unique key "
                            + "name, day)");
            assertThatThrownBy(() -> ashlar.createAll("owner", List.of(Map.of("name", "b"), values)))
                    .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                            .satisfies(error -> assertTaken(error, "has already been taken together with day "
                                    + "(unique key name, day) (record 2 of 2)")));
            assertThat(db.value("SELECT count(*) FROM owners")).isEqualTo(1L);
        } finally {
            db.execute("DROP INDEX owners_name_day");
        }
    }

    @Test
    void aTakenKeyOfAnExpressionIndexIsNamedByTheIndexNotByColumnsReadFromTheValue() {
        db.execute("CREATE UNIQUE INDEX owners_either_day ON owners (coalesce(name, code), day)");
        try {
            Map<String, Object> values = Map.of("name", "Key (x)=", "day", LocalDate.of(2020, 1, 1));
            ashlar.create("owner", values);

            assertThatThrownBy(() -> ashlar.create("owner", values))
                    .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                            .satisfies(error -> {
                                assertThat(error.field()).isEqualTo("owners_either_day");
                                assertThat(error.message()).isEqualTo("has already been taken");
                                assertThat(error.constraint()).isEqualTo("owners_either_day");
                            }));
            assertThat(db.value("SELECT count(*) FROM owners")).isEqualTo(1L);
        } finally {
            db.execute("DROP INDEX owners_either_day");
        }
    }

    @Test
    void aTakenIdentityOfSeveralFieldsKeepsItsMessageOnItsFirstFieldAndListsEveryFieldInTheDetails() {
        Row owner = ashlar.create("owner", Map.of("name", "a"));
        ashlar.create("pet", Map.of("name", "rex", "owner_id", owner.get("id")));

        assertThatThrownBy(() -> ashlar.create("pet", Map.of("name", "rex", "owner_id", owner.get("id"))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.field()).isEqualTo("owner_id");
                            assertThat(error.message()).isEqualTo("has already been taken");
                            assertThat(error.constraint()).isEqualTo("pets_unique_pet_name_index");
                            assertThat(error.details()).containsExactly(Map.entry("fields", List.of("owner_id",
                                    "name")));
                        }));
        assertThat(db.value("SELECT count(*) FROM pets")).isEqualTo(1L);
    }

    /**
     * PostgreSQL's protocol ends a string at a NUL, so a statement holding one used to be cut short and its session
     * ended by the server, which read as a lost connection (and a read ran again); a lone surrogate went as '?'.
     */
    @Test
    void aNulOrLoneSurrogateInTheTextOfSqlWrittenByHandIsRefusedBeforeItIsSentAndNothingIsLost() {
        Row owner = ashlar.create("owner", Map.of("name", "a", "code", "c"));
        List<ThrowingCallable> sends = List.of(
                () -> ashlar.sql("SELECT '\u0000' AS x").list(),
                () -> ashlar.sql("UPDATE owners SET code = '\uD800'").execute(),
                () -> ashlar.read("owner").where(Filter.sql("code <> '\u0000'")).list(),
                () -> ashlar.read("owner").compute("x", String.class, "'\uDC00'").list(),
                () -> ashlar.read("owner").load("pets", l -> l.where(Filter.sql("name = 'a\u0000'"))).list(),
                () -> ashlar.update(owner, Map.of("code", Atomic.sql("'\u0000'"))),
                () -> ashlar.transaction(tx -> tx.sql("SELECT '\u0000'").list()));

        for (ThrowingCallable send : sends) {
            assertThatThrownBy(send).isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEmpty())
                    .hasMessageContaining("The SQL of a statement holds a ")
                    .hasMessageContaining("bind such a value with ? and pass it as a value");
        }
        assertThatThrownBy(sends.get(0)).hasMessageContaining("holds a NUL character, which ends a string in "
                + "PostgreSQL's protocol (the server would end the session), at index 8 (near 'SELECT '\\0' AS x')");
        assertThatThrownBy(sends.get(1)).hasMessageContaining("a lone UTF-16 surrogate (\\ud800)");
        assertThat(ashlar.sql("SELECT code FROM owners WHERE code = ?", "c").list()).hasSize(1);
        assertThat(ashlar.sql("SELECT '\uD83D\uDE00' AS x").list().get(0).get("x")).isEqualTo("\uD83D\uDE00");
    }

    /** statement_timeout and lock_timeout are an int of milliseconds: a longer one failed on the server, or overflowed. */
    @Test
    void aTimeoutOrALockWaitLongerThanPostgresqlHoldsIsRefusedNamingTheLimit() {
        for (Duration tooLong : List.of(Duration.ofDays(25), Duration.ofSeconds(Long.MAX_VALUE))) {
            assertThatThrownBy(() -> ashlar.withTimeout(tooLong))
                    .isInstanceOf(QueryException.class)
                    .hasMessage("withTimeout(" + tooLong + "): PostgreSQL holds a timeout of at most 2147483647 ms "
                            + "(about 24 days), got " + tooLong + "; give a shorter one, or to run without one, use a "
                            + "handle made without withTimeout");
            assertThatThrownBy(() -> ashlar.read("owner").lock(Lock.FOR_UPDATE, tooLong))
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.resource()).contains("owner"))
                    .hasMessageContaining("lock(Lock.FOR_UPDATE, " + tooLong + ") on owner: PostgreSQL holds a "
                            + "timeout of at most 2147483647 ms");
        }
        assertThatThrownBy(() -> ashlar.withTimeout(Duration.ofSeconds(Long.MIN_VALUE)))
                .isInstanceOf(QueryException.class).hasMessageContaining("at least one millisecond");
        ashlar.create("owner", Map.of("name", "a"));
        assertThat(ashlar.withTimeout(ServerDuration.MAX).read("owner").forEach(row -> { })).isEqualTo(1);
        List<Row> locked = ashlar.transaction(tx -> tx.read("owner").lock(Lock.FOR_UPDATE, ServerDuration.MAX).list());
        assertThat(locked).hasSize(1);
    }

    @Test
    void poolTimeoutsThatThePoolOrPostgresqlCannotTakeAreRefusedWhenGivenNamingTheLimit() {
        for (Duration[] bad : List.of(new Duration[]{Duration.ofMillis(-1), Duration.ZERO},
                new Duration[]{Duration.ofMillis(100), Duration.ZERO})) {
            assertThatThrownBy(() -> Ashlar.builder().timeouts(bad[0], bad[1]))
                    .isInstanceOf(dev.ashlar.api.error.DefinitionException.class)
                    .hasMessageContaining("timeouts(" + bad[0] + ", " + bad[1] + "): the pool waits at least 250 ms");
        }
        for (Duration statement : List.of(Duration.ofSeconds(-1), Duration.ofDays(25))) {
            assertThatThrownBy(() -> Ashlar.builder().timeouts(Duration.ofSeconds(1), statement))
                    .isInstanceOf(dev.ashlar.api.error.DefinitionException.class)
                    .hasMessageContaining("a statement timeout is zero (no limit) or from 1 ms up to 2147483647 ms");
        }
        try (Ashlar bounded = Ashlar.builder().jdbcUrl(db.jdbcUrl(), db.user(), db.password())
                .timeouts(Duration.ofMillis(250), ServerDuration.MAX).domain(DOMAIN).build()) {
            assertThat(bounded.sql("SHOW statement_timeout").list().get(0).get("statement_timeout"))
                    .isEqualTo("2147483647ms");
        }
    }

    @Test
    void aPoolStatementTimeoutUnderAMillisecondIsRefusedRatherThanSentAsNoLimit() {
        for (Duration statement : List.of(Duration.ofNanos(1), Duration.ofNanos(999_999))) {
            assertThatThrownBy(() -> Ashlar.builder().timeouts(Duration.ofSeconds(1), statement))
                    .isInstanceOf(dev.ashlar.api.error.DefinitionException.class)
                    .hasMessageContaining("timeouts(PT1S, " + statement + "): a statement timeout is zero (no limit) "
                            + "or from 1 ms up to");
        }
        assertThatCode(() -> Ashlar.builder().timeouts(Duration.ofMillis(250), Duration.ofMillis(1)))
                .doesNotThrowAnyException();
    }

    private static void assertTaken(FieldError error, String message) {
        assertThat(error.field()).isEqualTo("name");
        assertThat(error.message()).isEqualTo(message);
        assertThat(error.column()).isEqualTo("name");
        assertThat(error.constraint()).isEqualTo("owners_name_day");
        assertThat(error.details()).containsExactly(Map.entry("fields", List.of("name", "day")));
    }
}
