package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ActionTimeoutException;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Fixtures.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlQueryTest extends BlogDatabaseTest {

    record Summary(Integer id, String title, Integer rating, List<String> tags, Instant publishedAt, String status) {
    }

    record Bio(String title, int age) {
    }

    record Values(UUID uuid, BigDecimal amount, LocalDate day, Instant at, byte[] bytes, Bio bio, List<Integer> numbers,
                  Integer missing) {
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
    }

    @Test
    void rowsOfAStatementWrittenByHandMapOntoRecordsWithEachValueBound() {
        Instant at = Instant.parse("2026-01-02T03:04:05.123456Z");
        ashlar.create("post", Map.of("title", "one", "rating", 4, "tags", List.of("java", "sql"), "published_at", at,
                "status", "PUBLISHED"));
        ashlar.create("post", Map.of("title", "two", "rating", 2));
        ashlar.create("post", Map.of("title", "three", "rating", 5));

        List<Summary> rated = ashlar.sql("SELECT id, title, rating, tags, published_at, status FROM posts "
                + "WHERE rating >= ? AND title <> ? ORDER BY id", 3, "three").list(Summary.class);

        assertThat(rated).containsExactly(new Summary(1, "one", 4, List.of("java", "sql"), at, "PUBLISHED"));
    }

    @Test
    void aValueIsNeverReadAsSql() {
        String hostile = "x'); DROP TABLE posts; --";
        ashlar.create("post", Map.of("title", "x"));

        long found = ashlar.sql("SELECT count(*) FROM posts WHERE title = ?", hostile).value(Long.class);

        assertThat(found).isZero();
        assertThat(db.value("SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'posts'")).isEqualTo(1L);
    }

    @Test
    void aListIsBoundAsOneArraySoAHundredThousandValuesTakeOneBind() {
        ashlar.createAll("post", IntStream.rangeClosed(1, 10).mapToObj(i -> Map.<String, Object>of("title", "p" + i))
                .toList());
        List<Integer> ids = new ArrayList<>(IntStream.rangeClosed(1, 100_000).boxed().toList());
        Collections.shuffle(ids);

        long inList = ashlar.sql("SELECT count(*) FROM posts WHERE id = ANY(?)", ids).value(Long.class);
        long none = ashlar.sql("SELECT count(*) FROM posts WHERE id = ANY(?)", List.of()).value(Long.class);
        long drafts = ashlar.sql("SELECT count(*) FROM posts WHERE status = ANY(?)",
                List.of(Status.DRAFT, Status.ARCHIVED)).value(Long.class);

        assertThat(inList).isEqualTo(10);
        assertThat(none).isZero();
        assertThat(drafts).isEqualTo(10);
    }

    @Test
    void aListOfDecimalsIsBoundAsOneNumericArrayKeepingItsNullsAndExponents() {
        ashlar.createAll("post", IntStream.rangeClosed(1, 5).mapToObj(i -> Map.<String, Object>of("title", "p" + i,
                "rating", i)).toList());
        List<BigDecimal> wanted = java.util.Arrays.asList(new BigDecimal("2"), null, new BigDecimal("4.0"),
                new BigDecimal("1E+3"), new BigDecimal("-1E-2"));

        String bound = ashlar.sql("SELECT (?::numeric[])::text", wanted).value(String.class);
        String found = ashlar.sql("SELECT string_agg(title, ',' ORDER BY title) FROM posts WHERE rating = ANY(?)",
                wanted).value(String.class);

        assertThat(bound).isEqualTo("{2,NULL,4.0,1000,-0.01}");
        assertThat(found).isEqualTo("p2,p4");
    }

    @Test
    void moreMarksThanPostgresqlTakesOrAValueMissingForOneAreRefusedBeforeAnythingRuns() {
        String marks = String.join(",", Collections.nCopies(70_000, "?"));
        Object[] values = new Object[70_000];
        java.util.Arrays.fill(values, 1);

        assertThatThrownBy(() -> ashlar.sql("SELECT 1 WHERE 1 IN (" + marks + ")", values))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("would bind 70000 values, and PostgreSQL takes at most 65535")
                .hasMessageContaining("bind a list as one array");
        assertThatThrownBy(() -> ashlar.sql("SELECT * FROM posts WHERE id = ? AND title = ?", 1))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("has 2 ? mark(s) and was given 1 value(s)");
    }

    enum Mood { HAPPY, SAD, CALM }

    @Test
    void anEnumAndAListOfEnumsBindToANativeEnumColumnAsToAText() {
        db.execute("DROP TABLE IF EXISTS moods; DROP TYPE IF EXISTS mood; CREATE TYPE mood AS ENUM ('HAPPY', 'SAD', "
                + "'CALM'); CREATE TABLE moods (m mood, t text)");

        int inserted = ashlar.sql("INSERT INTO moods VALUES (?, ?), (?, ?), (?, ?)", Mood.HAPPY, Mood.HAPPY, Mood.SAD,
                Mood.SAD, null, null).execute();
        long sad = ashlar.sql("SELECT count(*) FROM moods WHERE m = ? AND t = ?", Mood.SAD, Mood.SAD).value(Long.class);
        long either = ashlar.sql("SELECT count(*) FROM moods WHERE m = ANY(?) AND t = ANY(?)",
                List.of(Mood.SAD, Mood.HAPPY), List.of(Mood.SAD, Mood.HAPPY)).value(Long.class);
        List<String> stored = ashlar.sql("SELECT m FROM moods ORDER BY m NULLS FIRST").list().stream()
                .map(row -> row.getString("m")).toList();

        assertThat(inserted).isEqualTo(3);
        assertThat(sad).isEqualTo(1);
        assertThat(either).isEqualTo(2);
        assertThat(stored).containsExactly(null, "HAPPY", "SAD");
    }

    @Test
    void aPostgresqlFunctionIsCalledWithBoundArgumentsForAValueOrForRows() {
        db.execute("CREATE OR REPLACE FUNCTION rated_at_least(minimum integer) RETURNS SETOF posts LANGUAGE sql "
                + "AS $$ SELECT * FROM posts WHERE rating >= minimum ORDER BY id $$");
        db.execute("CREATE OR REPLACE FUNCTION mean_rating(kind text) RETURNS numeric LANGUAGE sql "
                + "AS $$ SELECT round(avg(rating), 2) FROM posts WHERE status = kind $$");
        ashlar.create("post", Map.of("title", "a", "rating", 1));
        ashlar.create("post", Map.of("title", "b", "rating", 4));
        ashlar.create("post", Map.of("title", "c", "rating", 5));

        List<Row> good = ashlar.sql("SELECT * FROM rated_at_least(?)", 4).list();
        BigDecimal mean = ashlar.sql("SELECT mean_rating(?)", "DRAFT").value(BigDecimal.class);
        BigDecimal none = ashlar.sql("SELECT mean_rating(?)", "ARCHIVED").value(BigDecimal.class);

        assertThat(good).extracting(row -> row.getString("title")).containsExactly("b", "c");
        assertThat(mean).isEqualTo(new BigDecimal("3.33"));
        assertThat(none).isNull();
    }

    @Test
    void aStatementThatChangesRowsReturnsHowManyAndComputesOnTheServer() {
        ashlar.create("post", Map.of("title", "a", "rating", 1, "status", "PUBLISHED"));
        ashlar.create("post", Map.of("title", "b", "rating", 2, "status", "PUBLISHED"));
        ashlar.create("post", Map.of("title", "c", "rating", 3));

        int changed = ashlar.sql("UPDATE posts SET rating = rating + ? WHERE status = ?", 10, Status.PUBLISHED)
                .execute();

        assertThat(changed).isEqualTo(2);
        assertThat(db.query("SELECT rating FROM posts ORDER BY id")).extracting(r -> r.get("rating"))
                .containsExactly(11, 12, 3);
    }

    @Test
    void valuesOfEveryCommonTypeRoundTripExactlyAndNullsStayNull() {
        UUID uuid = UUID.randomUUID();
        OffsetDateTime inNewYork = OffsetDateTime.parse("2026-03-08T01:59:59.999999-05:00");
        byte[] bytes = {0, 1, (byte) 0xff};

        Values values = ashlar.sql("SELECT ?::uuid AS uuid, ?::numeric(10, 2) AS amount, ?::date AS day, "
                        + "?::timestamptz AS at, ?::bytea AS bytes, ?::jsonb AS bio, ?::int[] AS numbers, "
                        + "?::int AS missing", uuid, new BigDecimal("1.50"), LocalDate.of(2024, 2, 29), inNewYork,
                bytes, "{\"title\": \"Dr.\", \"age\": 36}", List.of(3, 1, 2), null).one(Values.class).orElseThrow();

        assertThat(values.uuid()).isEqualTo(uuid);
        assertThat(values.amount()).isEqualTo(new BigDecimal("1.50")).hasScaleOf(2);
        assertThat(values.day()).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(values.at()).isEqualTo(inNewYork.toInstant());
        assertThat(values.bytes()).containsExactly(bytes);
        assertThat(values.bio()).isEqualTo(new Bio("Dr.", 36));
        assertThat(values.numbers()).containsExactly(3, 1, 2);
        assertThat(values.missing()).isNull();
    }

    @Test
    void aZonedDateTimeBindsAsItsInstantAndAnOptionalAsItsValueOrNullAsJdbiBindsThem() {
        ZonedDateTime inParis = ZonedDateTime.parse("2026-03-29T03:30:00+02:00[Europe/Paris]");
        ashlar.create("post", Map.of("title", "zoned", "published_at", inParis));

        Row row = ashlar.sql("SELECT ?::timestamptz AS at, ?::text AS given, ?::text AS empty, "
                + "(SELECT count(*) FROM posts WHERE published_at = ?) AS same", inParis, Optional.of("x"),
                Optional.empty(), inParis).one().orElseThrow();

        assertThat(row.getInstant("at")).isEqualTo(inParis.toInstant());
        assertThat(row.getString("given")).isEqualTo("x");
        assertThat(row.get("empty")).isNull();
        assertThat(row.getLong("same")).isEqualTo(1L);
        assertThat(ashlar.read("post").where(dev.ashlar.api.query.Filter.sql("published_at = ?", inParis)).count())
                .isEqualTo(1L);
    }

    @Test
    void forEachHandsOverEveryRowInOrderInsideATransaction() {
        List<Long> seen = new ArrayList<>();

        long count = ashlar.sql("SELECT g AS n FROM generate_series(1, 5000) AS g ORDER BY g").forEach(row -> {
            seen.add(row.getLong("n"));
            ashlar.setRollbackOnly();   // refused outside a transaction
        });

        assertThat(count).isEqualTo(5000);
        assertThat(seen).hasSize(5000).isSorted().startsWith(1L).endsWith(5000L);
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void forEachFetchesRowsAsItHandsThemOverRatherThanAllFirst() {
        // Fifty million rows read before the first is handed over would take far longer than this and run out of memory.
        // The series is in the select list, where the server makes its rows one at a time: in FROM, it would make all
        // of them before sending the first, and the time would be the server's.
        long start = System.nanoTime();

        assertThatThrownBy(() -> ashlar.sql("SELECT generate_series(1, 50000000) AS n, repeat('x', 100) AS padding")
                .forEach(row -> {
                    throw new IllegalStateException("stop at " + row.getInteger("n"));
                })).isInstanceOf(IllegalStateException.class).hasMessage("stop at 1");

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aHandlesTimeoutCancelsAStatementAndEveryLaterFetchOfForEach() {
        Ashlar bounded = ashlar.withTimeout(Duration.ofMillis(300));
        List<Long> seen = new ArrayList<>();

        assertThatThrownBy(() -> bounded.sql("SELECT pg_sleep(2)").list())
                .isInstanceOf(ActionTimeoutException.class).hasMessageContaining("sql(\"SELECT pg_sleep(2)\", ...)");
        // the first fetch (rows 1 to 1,000) is quick; the second sleeps a second on each of rows 1,001 to 1,003
        assertThatThrownBy(() -> bounded.sql("SELECT g AS n, pg_sleep(CASE WHEN g > 1000 THEN 1 ELSE 0 END) AS s "
                + "FROM generate_series(1, 1003) AS g").forEach(row -> seen.add(row.getLong("n"))))
                .isInstanceOf(ActionTimeoutException.class);

        assertThat(seen).hasSize(1000);
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aStatementInATransactionSeesItsWorkAndIsRolledBackWithIt() {
        assertThatThrownBy(() -> ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "lost"));
            assertThat(tx.sql("SELECT count(*) FROM posts").value(Long.class)).isEqualTo(1L);
            tx.sql("UPDATE posts SET rating = ?", 1).execute();
            tx.sql("SELECT 1/0").list();
        })).isInstanceOfSatisfying(DatabaseException.class, e -> assertThat(e.sqlState()).contains("22012"))
                .hasMessageContaining("sql(\"SELECT 1/0\", ...)");

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void oneOfSeveralRowsTwoColumnsOfOneNameAndATenantsHandleAreRefusedSayingWhatToDo() {
        assertThatThrownBy(() -> ashlar.sql("SELECT g FROM generate_series(1, 3) AS g").one())
                .isInstanceOf(QueryException.class).hasMessageContaining("returned 3 rows where one() expects");
        assertThatThrownBy(() -> ashlar.sql("SELECT 1 AS id, 2 AS id").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'id' appears twice")
                .hasMessageContaining("give each column a name of its own");
        assertThatThrownBy(() -> ashlar.withTenant("acme").sql("SELECT 1"))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("without a tenant's scope").hasMessageContaining("withoutTenant()");
    }

    @Test
    void marksInsideStringsNamesCommentsAndDollarQuotesAreTextAndDoubledMarksAreJsonbOperators() {
        db.execute("DROP TABLE IF EXISTS docs; CREATE TABLE docs (id int, doc jsonb)");
        ashlar.sql("INSERT INTO docs VALUES (?, ?::jsonb), (?, ?::jsonb)", 1, "{\"a\": 1, \"b\": 2}", 2,
                "{\"c\": 3}").execute();

        Row row = ashlar.sql("SELECT '?' AS q, E'\\'?' AS e, $$?$$ AS d, $t$ ? $t$ AS t, \"?\".x AS quoted -- ? here\n"
                + ", /* ? /* nested ? */ ? */ ?::int + 1 AS n, ?::text AS s, "
                + "(SELECT count(*) FROM docs WHERE doc ?? 'a') AS has_a, "
                + "(SELECT count(*) FROM docs WHERE doc ??| ?) AS any_of FROM (SELECT 1 AS x) AS \"?\"",
                41, "it's ?; DROP TABLE docs", List.of("b", "c")).one().orElseThrow();

        assertThat(row.getString("q")).isEqualTo("?");
        assertThat(row.getString("e")).isEqualTo("'?");
        assertThat(row.getString("d")).isEqualTo("?");
        assertThat(row.getString("t")).isEqualTo(" ? ");
        assertThat(row.getInteger("quoted")).isEqualTo(1);
        assertThat(row.getInteger("n")).isEqualTo(42);
        assertThat(row.getString("s")).isEqualTo("it's ?; DROP TABLE docs");
        assertThat(row.getLong("has_a")).isEqualTo(1L);
        assertThat(row.getLong("any_of")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM docs")).isEqualTo(2L);
    }

    @Test
    void aListOfTextsThatLookLikeArraySyntaxIsBoundElementByElement() {
        List<String> hostile = java.util.Arrays.asList("a\"b", "c,d", "NULL", "{x}", "back\\slash", "it's", "",
                " spaced ", null, "}'); DROP TABLE posts; --");

        List<String> back = ashlar.sql("SELECT v FROM unnest(?::text[]) WITH ORDINALITY AS u(v, i) ORDER BY i", hostile)
                .list().stream().map(r -> r.getString("v")).toList();

        assertThat(back).containsExactlyElementsOf(hostile);
        assertThat(db.value("SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'posts'")).isEqualTo(1L);
    }

    @Test
    void aNullOfEveryTypeIsStoredAndReadAsNull() {
        db.execute("DROP TABLE IF EXISTS nulls; CREATE TABLE nulls (u uuid, j jsonb, b bytea, f boolean, i interval, "
                + "a int[], t timestamptz, d date, n numeric, s smallint, x text)");

        int inserted = ashlar.sql("INSERT INTO nulls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                null, null, null, null, null, null, null, null, null, null, null).execute();
        Row row = ashlar.sql("SELECT * FROM nulls").one().orElseThrow();

        assertThat(inserted).isEqualTo(1);
        assertThat(row.fields()).hasSize(11).allSatisfy(field -> assertThat(row.get(field)).isNull());
        assertThat(db.value("SELECT count(*) FROM nulls WHERE num_nulls(u, j, b, f, i, a, t, d, n, s, x) = 11"))
                .isEqualTo(1L);
    }

    @Test
    void aNullWhoseMarkTheStatementGivesNoTypeIsRefusedSayingToCastTheMark() {
        ashlar.create("post", Map.of("title", "kept"));

        assertThatThrownBy(() -> ashlar.sql("SELECT count(*) FROM posts WHERE (? IS NULL OR title = ?)", null, null)
                .value(Long.class))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("sql(\"SELECT count(*) FROM posts WHERE (? IS NULL OR title = ?)\", ...)")
                .hasMessageContaining("value 1")
                .hasMessageContaining("?::text");
        assertThat(ashlar.sql("SELECT count(*) FROM posts WHERE (?::text IS NULL OR title = ?)", null, null)
                .value(Long.class)).isEqualTo(1L);
    }

    @Test
    void theOneColumnOfEveryRowIsReadAsAListOfValuesOfTheTypeNullsKept() {
        ashlar.create("post", Map.of("title", "a", "rating", 1));
        ashlar.create("post", Map.of("title", "b"));
        ashlar.create("post", Map.of("title", "c", "rating", 5, "tags", List.of("x", "y")));

        List<Long> ids = ashlar.sql("SELECT id FROM posts ORDER BY id").values(Long.class);
        List<String[]> tags = ashlar.sql("SELECT tags FROM posts WHERE tags IS NOT NULL").values(String[].class);
        List<Integer> ratings = ashlar.sql("SELECT rating FROM posts ORDER BY id").values(Integer.class);
        List<String> titles = ashlar.sql("SELECT title FROM posts WHERE rating > ? ORDER BY id", 9).values(String.class);
        List<Status> statuses = ashlar.sql("SELECT DISTINCT status FROM posts").values(Status.class);

        assertThat(ids).containsExactly(1L, 2L, 3L);
        assertThat(tags).singleElement().satisfies(array -> assertThat(array).containsExactly("x", "y"));
        assertThat(ratings).containsExactly(1, null, 5);
        assertThat(titles).isEmpty();
        assertThat(statuses).containsExactly(Status.DRAFT);
        assertThatThrownBy(() -> ashlar.sql("SELECT id, title FROM posts").values(Long.class))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("returned the columns [id, title] where values(...) expects one")
                .hasMessageContaining("list(Record.class)");
        assertThatThrownBy(() -> ashlar.sql("SELECT title FROM posts").values(UUID.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("'title'");
    }

    @Test
    void readingRowsOfAStatementThatReturnsNoneOrExecutingOneThatReturnsRowsSaysWhichToCall() {
        ashlar.create("post", Map.of("title", "a", "rating", 1));

        assertThatThrownBy(() -> ashlar.sql("UPDATE posts SET rating = ?", 2).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("sql(\"UPDATE posts SET rating = ?\", ...) returns no rows")
                .hasMessageContaining("changed 1 row(s)")
                .hasMessageContaining("execute()").hasMessageContaining("RETURNING");
        assertThatThrownBy(() -> ashlar.sql("SELECT id FROM posts").execute())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("sql(\"SELECT id FROM posts\", ...) returns rows")
                .hasMessageContaining("list()");
        assertThatThrownBy(() -> ashlar.sql("UPDATE posts SET rating = ?", 3).forEach(row -> { }))
                .isInstanceOf(QueryException.class).hasMessageContaining("returns no rows");
        // forEach runs in a transaction of its own, which the refusal rolls back
        assertThat(db.value("SELECT rating FROM posts")).isEqualTo(2);
    }

    @Test
    void aStatementInATransactionAfterATenantsActionReadsTheTablesItNamesAsWrittenNotTheTenantsSchema() {
        db.execute("DROP SCHEMA IF EXISTS plain_a CASCADE; CREATE SCHEMA plain_a; "
                + "CREATE TABLE plain_a.posts (LIKE public.posts INCLUDING ALL); "
                + "INSERT INTO plain_a.posts (title) VALUES ('tenant 1'), ('tenant 2')");
        ashlar.create("post", Map.of("title", "main"));
        try (Ashlar tenants = Fixtures.ashlar(db, Fixtures.BLOG, OneResourceTenancy.schemas("post"))) {
            List<String> seen = tenants.transaction(tx -> {
                // SQL written by hand in a tenant's read puts the tenant's schema first on the search path
                assertThat(tx.withTenant("plain_a").read("post")
                        .where(dev.ashlar.api.query.Filter.sql("title <> ?", "x")).list()).hasSize(2);
                return tx.sql("SELECT title FROM posts ORDER BY id").list().stream()
                        .map(row -> row.getString("title")).toList();
            });

            assertThat(seen).containsExactly("main");
        } finally {
            db.execute("DROP SCHEMA plain_a CASCADE");   // the other tests count the tables named posts
        }
    }
}
