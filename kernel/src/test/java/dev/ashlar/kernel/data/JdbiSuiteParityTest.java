package dev.ashlar.kernel.data;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Converter;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ActionTimeoutException;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.data.Fixtures.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.ashlar.api.query.Filter.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Jdbi's own tests (jdbi/jdbi, {@code core/src/test/java/org/jdbi/v3/core} and the {@code postgres} module's), restated
 * against statements written by hand ({@code ashlar.sql(...)}) and the string API: values of every Java type bound and
 * read back, rows mapped onto records, transactions, batches, streams, timeouts and scripts.
 */
class JdbiSuiteParityTest extends BlogDatabaseTest {

    record Article(Integer id, String title, Optional<String> body, Optional<Integer> rating, Status status,
                   Instant publishedAt) {
    }

    record Campaign(Integer id, Map<String, String> caps) {
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
        db.execute("CREATE EXTENSION IF NOT EXISTS hstore");
        db.execute("CREATE TABLE IF NOT EXISTS campaigns (id integer PRIMARY KEY, caps hstore)");
        db.execute("TRUNCATE campaigns");
    }

    private void posts(int count) {
        ashlar.createAll("post", IntStream.rangeClosed(1, count).mapToObj(i -> Map.<String, Object>of("title", "p" + i,
                "rating", i)).toList());
    }

    /** {@code TestOptional.testDynamicBindOptionalPresent}/{@code ...Empty}: an Optional binds its value or a null. */
    @Test
    void anOptionalBindsItsValueOrANullAndAnOptionalComponentReadsEitherBack() {
        ashlar.sql("INSERT INTO posts (title, body, rating) VALUES (?, ?, ?), (?, ?, ?)",
                "full", Optional.of("text"), Optional.of(4), "bare", Optional.empty(), Optional.empty()).execute();

        List<Article> read = ashlar.sql("SELECT id, title, body, rating, status, published_at FROM posts ORDER BY id")
                .list(Article.class);

        assertThat(read).extracting(Article::body).containsExactly(Optional.of("text"), Optional.empty());
        assertThat(read).extracting(Article::rating).containsExactly(Optional.of(4), Optional.empty());
        assertThat(db.value("SELECT count(*) FROM posts WHERE body IS NULL AND rating IS NULL")).isEqualTo(1L);
    }

    /**
     * {@code TestNamedParams.testInsert}, {@code testDemo} and {@code TestPositionalParameterBinding}: values bound by
     * name, a name used twice, a cast and colons in text left alone; a name with no mark, a mark with no value, and
     * names beside {@code ?} marks refused, naming them.
     */
    @Test
    void namedMarksBindByNameLeavingCastsAndTextAlone() {
        posts(4);

        List<String> titles = ashlar.sql("SELECT title || ':x' FROM posts WHERE rating >= :low AND rating <= :low + "
                + ":span::integer AND title <> ':low' ORDER BY id").bind("low", 2).bind("span", 1).bind("low", 3)
                .values(String.class);
        int changed = ashlar.sql("UPDATE posts SET body = :body WHERE id = ANY(:ids)").bind("ids", List.of(1, 2))
                .bind("body", Optional.of("named")).execute();

        assertThat(titles).containsExactly("p3:x", "p4:x");
        assertThat(changed).isEqualTo(2);
        assertThat(db.value("SELECT count(*) FROM posts WHERE body = 'named'")).isEqualTo(2L);
        assertThatThrownBy(() -> ashlar.sql("SELECT :id").bind("idd", 1)).isInstanceOf(QueryException.class)
                .hasMessageContaining("no mark :idd").hasMessageContaining("[id]");
        assertThatThrownBy(() -> ashlar.sql("SELECT :a, :b").bind("a", 1).list()).isInstanceOf(QueryException.class)
                .hasMessageContaining(":b with no value");
        assertThatThrownBy(() -> ashlar.sql("SELECT ?, :b", 1).bind("b", 2)).isInstanceOf(QueryException.class)
                .hasMessageContaining("not both");
    }

    /**
     * A refused value of a {@code :name} mark, or one PostgreSQL cannot type, is named by its mark rather than by its
     * place in the SQL sent; a statement run with marks and no value bound says to bind them, not only "syntax error".
     */
    @Test
    void errorsAboutANamedValueNameItsMark() {
        assertThatThrownBy(() -> ashlar.sql("SELECT :a, :b").bind("a", 1).bind("b", new Object()).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("Value :b of");
        assertThatThrownBy(() -> ashlar.sql("SELECT :a IS NULL").bind("a", null).list())
                .isInstanceOf(DatabaseException.class).hasMessageContaining("type of value :a (a null)");
        assertThatThrownBy(() -> ashlar.sql("SELECT id FROM posts WHERE id = :id AND rating > :low").list())
                .isInstanceOf(QueryException.class).hasMessageContaining(":id, :low").hasMessageContaining("bind(");
        List<?> slice = ashlar.sql("SELECT (ARRAY[1, 2, 3])[lo:hi] FROM (SELECT 2 AS lo, 3 AS hi) AS bounds")
                .value(List.class);
        assertThat(slice).isEqualTo(List.of(2, 3));
    }

    /** {@code TestUuid.testUuid} (postgres): a UUID bound and read back equal, and found by an array of them. */
    @Test
    void aUuidRoundTripsAndAListOfThemIsFoundWithAny() {
        UUID one = UUID.randomUUID();
        UUID two = UUID.randomUUID();
        ashlar.create("scalar_sample", Map.of("u", one, "txt", "one"));
        ashlar.create("scalar_sample", Map.of("u", two, "txt", "two"));

        UUID read = ashlar.sql("SELECT u FROM scalar_sample WHERE txt = ?", "one").value(UUID.class);
        List<String> found = ashlar.sql("SELECT txt FROM scalar_sample WHERE u = ANY(?) ORDER BY txt",
                List.of(two, UUID.randomUUID())).values(String.class);

        assertThat(read).isEqualTo(one);
        assertThat(found).containsExactly("two");
    }

    /**
     * {@code EnumByXTest} and {@code EnumsConfigTest}: an enum binds by its name and reads back as its constant; by
     * ordinal Ashlar binds {@code ordinal()} as the number it is, and a name the enum lacks is refused naming it.
     */
    @Test
    void anEnumBindsByNameReadsBackAsItsConstantAndAnUnknownLabelIsRefused() {
        ashlar.sql("INSERT INTO posts (title, status, rating) VALUES (?, ?, ?)", "a", Status.PUBLISHED,
                Status.PUBLISHED.ordinal()).execute();

        Article read = ashlar.sql("SELECT id, title, body, rating, status, published_at FROM posts").one(Article.class)
                .orElseThrow();
        Integer ordinal = ashlar.sql("SELECT rating FROM posts WHERE status = ?", Status.PUBLISHED)
                .value(Integer.class);
        db.execute("UPDATE posts SET status = 'RETIRED'");

        assertThat(read.status()).isEqualTo(Status.PUBLISHED);
        assertThat(Status.values()[ordinal]).isEqualTo(Status.PUBLISHED);
        assertThatThrownBy(() -> ashlar.sql("SELECT id, title, body, rating, status, published_at FROM posts")
                .list(Article.class)).isInstanceOf(QueryException.class).hasMessageContaining("status")
                .hasMessageContaining("RETIRED");
    }

    /**
     * {@code TestJavaTime} (postgres) and {@code TestJsr310}: each java.time value round-trips through its column type,
     * an {@code OffsetDateTime} as the instant it names and an {@code Instant} to the microsecond.
     */
    @Test
    void javaTimeValuesRoundTripThroughTheirColumnTypes() {
        Instant instant = Instant.parse("2026-03-29T01:30:00.123456Z");
        OffsetDateTime paris = OffsetDateTime.parse("2026-03-29T03:30:00.123456+02:00");
        LocalDate day = LocalDate.of(1999, 12, 31);
        LocalDateTime local = LocalDateTime.of(2026, 1, 2, 3, 4, 5, 6_000);
        LocalTime time = LocalTime.of(23, 59, 59, 999_999_000);

        Row row = ashlar.sql("SELECT ?::timestamptz AS instant, ?::timestamptz AS offset_time, ?::date AS day, "
                + "?::timestamp AS local, ?::time AS time", instant, paris, day, local, time).one().orElseThrow();

        assertThat(row.get("instant", Instant.class)).isEqualTo(instant);
        assertThat(row.get("offset_time", OffsetDateTime.class)).isEqualTo(paris.withOffsetSameInstant(ZoneOffset.UTC))
                .isAtSameInstantAs(paris);
        assertThat(row.get("day", LocalDate.class)).isEqualTo(day);
        assertThat(row.get("local", LocalDateTime.class)).isEqualTo(local);
        assertThat(row.get("time", LocalTime.class)).isEqualTo(time);
    }

    /** {@code TestSqlArrays.testUuidArray}, {@code testBindIntArray}: a list binds as one array, read as a list. */
    @Test
    void aCollectionBindsAsOneArrayToAnyAndAnArrayColumnReadsBackAsAListOrAJavaArray() {
        ashlar.sql("INSERT INTO posts (title, tags) VALUES (?, ?)", "tagged", List.of("a", "b,c", "\"d\"")).execute();
        posts(3);

        List<?> tags = ashlar.sql("SELECT tags FROM posts WHERE title = ?", "tagged").value(List.class);
        String[] asArray = ashlar.sql("SELECT tags FROM posts WHERE title = ?", "tagged").value(String[].class);
        long matched = ashlar.sql("SELECT count(*) FROM posts WHERE rating = ANY(?)", List.of(1, 3, 99))
                .value(Long.class);

        assertThat(tags).isEqualTo(List.of("a", "b,c", "\"d\""));
        assertThat(asArray).containsExactly("a", "b,c", "\"d\"");
        assertThat(matched).isEqualTo(2);
    }

    /** {@code TestBindList.testBindListEmpty} (and {@code @BindList(onEmpty = ...)}): an empty list selects nothing. */
    @Test
    void anEmptyListSelectsNoRowBoundByHandOrAsAFilter() {
        posts(3);

        assertThat(ashlar.sql("SELECT id FROM posts WHERE id = ANY(?)", List.of()).values(Integer.class)).isEmpty();
        assertThat(ashlar.sql("SELECT count(*) FROM posts WHERE NOT (id = ANY(?))", List.of()).value(Long.class))
                .isEqualTo(3);
        assertThat(ashlar.read("post").where(in("id", List.of())).list()).isEmpty();
    }

    /**
     * {@code TestQueries.testMapToConstructor} and {@code ConstructorMapper}'s snake_case matching: a column takes the
     * component of its name or of its camelCase form; a NULL fills a boxed component, and a primitive one is refused.
     */
    @Test
    void columnsMapOntoRecordComponentsByNameWithNullsInBoxedComponentsOnly() {
        Instant at = Instant.parse("2026-05-01T10:00:00Z");
        ashlar.create("post", Map.of("title", "one", "published_at", at));
        record Rated(int id, int rating) {
        }

        Article article = ashlar.sql("SELECT published_at, status, rating, body, title, id FROM posts")
                .one(Article.class).orElseThrow();

        assertThat(article).isEqualTo(new Article(1, "one", Optional.empty(), Optional.empty(), Status.DRAFT, at));
        assertThatThrownBy(() -> ashlar.sql("SELECT id, rating FROM posts").list(Rated.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("rating");
    }

    /** {@code TestTransactions.testCallback}: work inside {@code inTransaction} commits at its end. */
    @Test
    void aTransactionCommitsAllItsStatementsAtItsEnd() {
        long seenOutside = ashlar.transaction(tx -> {
            tx.sql("INSERT INTO posts (title) VALUES (?)", "in tx").execute();
            tx.create("post", Map.of("title", "also"));
            return (Long) db.value("SELECT count(*) FROM posts");
        });

        assertThat(seenOutside).isZero();
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
    }

    /** {@code TestTransactions.testExceptionAbortsTransaction}: an exception rolls back and comes out as thrown. */
    @Test
    void anExceptionRollsTheTransactionBackAndComesOutAsThrown() {
        IllegalStateException thrown = new IllegalStateException("stop");

        assertThatThrownBy(() -> ashlar.transaction(tx -> {
            tx.sql("INSERT INTO posts (title) VALUES (?)", "lost").execute();
            throw thrown;
        })).isSameAs(thrown);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    /**
     * {@code TestTransactions.testSavepoint} and {@code TestJdbiNestedCallBehavior}: a nested transaction runs
     * in a savepoint, so its failure undoes its own work only, and the outer one commits the rest.
     */
    @Test
    void aNestedTransactionFailingUndoesItsOwnWorkOnly() {
        ashlar.transaction(tx -> {
            tx.create("post", Map.of("title", "kept"));
            assertThatThrownBy(() -> tx.transaction(inner -> {
                inner.create("post", Map.of("title", "undone"));
                return inner.sql("SELECT 1/0").value(Integer.class);
            })).isInstanceOf(DatabaseException.class);
            return tx.create("post", Map.of("title", "after"));
        });

        assertThat(ashlar.sql("SELECT title FROM posts ORDER BY id").values(String.class))
                .containsExactly("kept", "after");
    }

    /**
     * {@code TestSerializableTransactionRunner} (Jdbi's {@code inTransaction(level, ...)}): the body runs at the level
     * asked, and a rollback-only transaction keeps nothing ({@code RollbackOnlyTransactionHandlerTest}).
     */
    @Test
    void aTransactionRunsAtTheIsolationAskedAndARollbackKeepsNothing() {
        String level = ashlar.transaction(Isolation.SERIALIZABLE,
                tx -> tx.sql("SHOW transaction_isolation").value(String.class));
        ashlar.transaction(tx -> {
            tx.create("post", Map.of("title", "dry run"));
            tx.setRollbackOnly();
            return null;
        });

        assertThat(level).isEqualTo("serializable");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    /**
     * {@code TestPreparedBatchGenerateKeysPostgres.testBatchInsertWithKeyGenerationAndExplicitColumnNames}: a batch of
     * inserts returns each record's generated key, in the order given, in one statement.
     */
    @Test
    void aBatchOfInsertsReturnsEachGeneratedKeyInTheOrderGiven() {
        posts(2);
        List<Map<String, Object>> batch = List.of(Map.of("title", "c"), Map.of("title", "a"), Map.of("title", "b"));

        List<Row> keys = ashlar.createAll("post", batch, Returning.KEYS);

        assertThat(keys).extracting(row -> row.get("id")).containsExactly(3, 4, 5);
        assertThat(ashlar.sql("SELECT title FROM posts WHERE id = ANY(?) ORDER BY id", List.of(3, 4, 5))
                .values(String.class)).containsExactly("c", "a", "b");
    }

    /**
     * {@code TestIterator.testEmptyWorksToo}/{@code testDoubleCloseFine} and {@code TestStream}: a stream closed before
     * its last row, or a callback that throws, gives the connection back with no transaction left open.
     */
    @Test
    void aStreamClosedEarlyOrACallbackThatThrowsLeavesNoTransactionOpen() {
        posts(50);
        List<Object> firstTwo;
        try (Stream<Row> rows = ashlar.read("post").sort(dev.ashlar.api.query.Sort.asc("id")).fetchSize(5).stream()) {
            firstTwo = rows.limit(2).map(row -> row.get("id")).toList();
        }
        RuntimeException stop = new IllegalStateException("enough");
        List<Object> seen = new ArrayList<>();

        assertThatThrownBy(() -> ashlar.sql("SELECT id FROM posts ORDER BY id").fetchSize(5).forEach(row -> {
            seen.add(row.get("id"));
            if (seen.size() == 7) {
                throw stop;
            }
        })).isSameAs(stop);
        assertThat(firstTwo).containsExactly(1, 2);
        assertThat(seen).hasSize(7);
        assertThat(db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND state LIKE 'idle in transaction%'")).isEqualTo(0L);
        assertThat(ashlar.sql("SELECT count(*) FROM posts").value(Long.class)).isEqualTo(50);
    }

    /** Jdbi's {@code QueryTimeOut} customizer ({@code setQueryTimeout}): a statement over time is cancelled. */
    @Test
    void aStatementOverItsTimeoutIsCancelledAndTheNextOneRuns() {
        assertThatThrownBy(() -> ashlar.withTimeout(Duration.ofMillis(200)).sql("SELECT pg_sleep(5)").list())
                .isInstanceOfSatisfying(ActionTimeoutException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));

        assertThat(ashlar.withTimeout(Duration.ofSeconds(5)).sql("SELECT 1").value(Integer.class)).isEqualTo(1);
    }

    /**
     * {@code TestScript.testScriptStuff} and {@code TestHandle.testExecute} of several statements: statements separated
     * by semicolons run together, each {@code ?} bound in order, and {@code execute()} counts every row they changed;
     * one failing undoes the others.
     */
    @Test
    void severalStatementsRunAsOneScriptCountingEveryRowTheyChange() {
        posts(5);

        int changed = ashlar.sql("UPDATE posts SET rating = ? WHERE id <= ?; DELETE FROM posts WHERE id = ?; "
                + "INSERT INTO posts (title) VALUES (?)", 0, 2, 5, "new").execute();

        assertThat(changed).isEqualTo(4);
        assertThat(ashlar.sql("SELECT title || ':' || coalesce(rating, -1) FROM posts ORDER BY id")
                .values(String.class)).containsExactly("p1:0", "p2:0", "p3:3", "p4:4", "new:-1");
        assertThatThrownBy(() -> ashlar.sql("UPDATE posts SET rating = 9; SELECT 1/0 WHERE false; UPDATE posts SET "
                + "rating = 1/0").execute()).isInstanceOf(DatabaseException.class);
        assertThat(db.value("SELECT count(*) FROM posts WHERE rating = 9")).isEqualTo(0L);
    }

    /**
     * {@code TestDefinedAttributeTemplateEngine} and {@code define}'d identifiers: a name put into SQL goes through one
     * quoting function, so a hostile name stays one identifier, and a name PostgreSQL would cut is refused.
     */
    @Test
    void aNamePutIntoSqlIsQuotedAsOneIdentifierAndAnOverlongOneIsRefused() {
        posts(2);
        String hostile = "posts\"; DROP TABLE posts; --";

        assertThat(ashlar.sql("SELECT count(*) FROM " + Identifiers.quote("posts")).value(Long.class)).isEqualTo(2);
        assertThatThrownBy(() -> ashlar.sql("SELECT count(*) FROM " + Identifiers.quote(hostile)).value(Long.class))
                .isInstanceOf(DatabaseException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Identifiers.quote("t".repeat(64))).isInstanceOf(AshlarException.class)
                .hasMessageContaining("63");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
    }

    /**
     * {@code TestHStore.testWritesViaFluentApi}, {@code testReadsViaFluentAPI}, {@code testHandlesEmptyMap} and
     * {@code testHandlesNulls}: a {@code Map<String, String>} binds as an hstore, and an hstore column reads back as
     * one, empty and null included; a map of other values is refused naming the value.
     */
    @Test
    void aMapBindsAsAnHstoreAndAnHstoreColumnReadsBackAsAMap() {
        Map<String, String> caps = new HashMap<>(Map.of("yearly", "6000", "monthly", "1500", "a\"b=>c", "x, y"));
        caps.put("none", null);
        ashlar.sql("INSERT INTO campaigns (id, caps) VALUES (?, ?), (?, ?), (?, ?)", 1, caps, 2, Map.of(), 3, null)
                .execute();

        List<Campaign> read = ashlar.sql("SELECT id, caps FROM campaigns ORDER BY id").list(Campaign.class);
        String monthly = ashlar.sql("SELECT caps -> 'monthly' FROM campaigns WHERE caps ?? ?", "monthly")
                .value(String.class);
        Map<?, ?> found = ashlar.sql("SELECT caps FROM campaigns WHERE caps @> ?", Map.of("yearly", "6000"))
                .value(Map.class);

        assertThat(read).containsExactly(new Campaign(1, caps), new Campaign(2, Map.of()), new Campaign(3, null));
        assertThat(monthly).isEqualTo("1500");
        assertThat(found).isEqualTo(caps);
        assertThatThrownBy(() -> ashlar.sql("SELECT ?::hstore", Map.of("n", 1)).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("Value 1").hasMessageContaining("Map<String, String>");
        assertThatThrownBy(() -> ashlar.sql("SELECT ?::jsonb", Map.of("a", "b")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("bind the JSON as its text");
    }

    /**
     * {@code TestDuration}, {@code TestPeriod} and {@code TestByteaArrays} (postgres): an interval binds from a
     * {@code Duration} or a {@code Period} and reads back as one, and bytes round-trip unchanged.
     */
    @Test
    void durationsPeriodsAndBytesRoundTrip() {
        byte[] bytes = {0, 1, (byte) 0xff, 39, 92};

        Row row = ashlar.sql("SELECT ?::interval AS exact, ?::interval AS calendar, ?::bytea AS bytes",
                Duration.ofHours(25).plusMillis(1), java.time.Period.of(1, 2, 3), bytes).one().orElseThrow();

        assertThat(row.get("exact", Duration.class)).isEqualTo(Duration.ofHours(25).plusMillis(1));
        assertThat(row.get("calendar", java.time.Period.class)).isEqualTo(java.time.Period.of(1, 2, 3));
        assertThat(row.get("bytes", byte[].class)).containsExactly(bytes);
    }

    /**
     * {@code TestBatchExceptionRewrite} and {@code TestPreparedBatch}: a batch one record of which the database
     * refuses stores none of them, and the error names the record and the field.
     */
    @Test
    void aBatchWithOneRefusedRecordStoresNoneAndNamesIt() {
        List<Map<String, Object>> batch = new ArrayList<>(List.of(Map.of("title", "a"), Map.of("title", "b")));
        Map<String, Object> untitled = new HashMap<>();
        untitled.put("title", null);
        batch.add(untitled);

        assertThatThrownBy(() -> ashlar.createAll("post", batch)).isInstanceOf(AshlarException.class)
                .hasMessageContaining("title").hasMessageContaining("record 3 of 3");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    /** {@code TestJsonOperator} (postgres): JSON bound as text, its {@code ?} operator written {@code ??}. */
    @Test
    void jsonBindsAsTextAndReadsBackAsItsText() {
        ashlar.sql("INSERT INTO scalar_sample (id, doc) VALUES (?, ?::jsonb)", UUID.randomUUID(),
                "{\"a\": [1, 2], \"b\": \"x\"}").execute();

        String doc = ashlar.sql("SELECT doc FROM scalar_sample WHERE doc ?? ?", "a").value(String.class);
        String b = ashlar.sql("SELECT doc ->> ? FROM scalar_sample", "b").value(String.class);

        assertThat(doc).isEqualTo("{\"a\": [1, 2], \"b\": \"x\"}");
        assertThat(b).isEqualTo("x");
    }

    enum Foo { FOO, BAR, BAZ }

    /**
     * {@code EnumByOrdinalTest} ({@code @EnumByOrdinal}): a constant is stored and bound as its ordinal (in a condition
     * written in SQL too) and an ordinal is read back as its constant; an ordinal past the last constant is refused
     * naming the field, as Jdbi refuses it, rather than read as null.
     */
    @Test
    void anEnumByOrdinalIsStoredBoundAndReadByItsOrdinal() {
        Resource thing = Resource.builder("ordinal_thing").table("ordinal_things").integerPrimaryKey("id")
                .attribute("foo", Converter.ordinal(Foo.class, dev.ashlar.api.resource.Type.INTEGER))
                .build();
        try (Ashlar own = Fixtures.ashlar(db, Domain.builder("jdbi_ordinal").resource(thing).build())) {
            own.create("ordinal_thing", Map.of("foo", Foo.BAZ));
            own.create("ordinal_thing", Map.of("foo", Foo.FOO));

            assertThat(db.query("SELECT foo FROM ordinal_things ORDER BY id")).extracting(r -> r.get("foo"))
                    .containsExactly(2, 0);
            assertThat(own.read("ordinal_thing").where(Filter.sql("foo = ?", Foo.BAZ)).values("foo", Foo.class))
                    .containsExactly(Foo.BAZ);
            assertThat(own.get("ordinal_thing", 2).get("foo")).isEqualTo(Foo.FOO);
            db.execute("UPDATE ordinal_things SET foo = 3 WHERE id = 2");
            assertThatThrownBy(() -> own.get("ordinal_thing", 2)).isInstanceOf(QueryException.class)
                    .hasMessageContaining("ordinal_thing.foo holds 3");
        }
    }
}
