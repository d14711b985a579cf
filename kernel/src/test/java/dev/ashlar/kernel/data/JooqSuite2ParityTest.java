package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.kernel.data.GroupedReadTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * jOOQ's PostgreSQL features, walked a second time (the manual's {@code aggregate-filter}, {@code group-by-rollup},
 * {@code group-by-cube}, {@code grouping-functions}, {@code with-clause} (recursive), {@code lateral},
 * {@code insert-select}, {@code update-from}, {@code delete-using}, {@code sequences}, {@code generate_series}), each restated on PostgreSQL against the data API where it has the form and against a statement
 * written by hand ({@code ashlar.sql(...)}) where only SQL says it, asserting the rows.
 */
class JooqSuite2ParityTest extends BlogDatabaseTest {

    @BeforeEach
    void seed() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
        db.execute("INSERT INTO authors (email, name) VALUES ('ada@example.com', 'Ada'), ('bob@example.com', 'Bob')");
        post("Alpha", 1L, 5, "PUBLISHED", "the runners were running", List.of("java", "sql"));
        post("Beta", 1L, 3, "DRAFT", "a quiet afternoon", List.of("java"));
        post("Gamma", 2L, 4, "PUBLISHED", "he runs every morning", List.of("go"));
        post("Delta", 2L, 1, "ARCHIVED", null, List.of());
    }

    private void post(String title, long author, int rating, String status, String body, List<String> tags) {
        Map<String, Object> values = new HashMap<>();
        values.put("title", title);
        values.put("author_id", author);
        values.put("rating", rating);
        values.put("status", status);
        values.put("body", body);
        values.put("tags", tags);
        ashlar.create("post", values);
    }

    /** {@code count().filterWhere(...)} beside {@code count()} under {@code groupBy(AUTHOR_ID)}: a pivot in one statement. */
    @Test
    void aCountFilteredByItsOwnConditionBesideTheWholeCountPerGroup() {
        List<Row> rows = ashlar.read("post").groupBy("author_id").count("posts")
                .count("published").filterWhere(eq("status", "PUBLISHED"))
                .sum("rating", "published_rating").filterWhere(eq("status", "PUBLISHED"))
                .sort(Sort.asc("author_id")).list();

        assertThat(lines(rows)).containsExactly("author_id=1 posts=2 published=1 published_rating=5",
                "author_id=2 posts=2 published=1 published_rating=4");
    }

    /** {@code groupBy(rollup(AUTHOR_ID, STATUS))} with {@code grouping(...)}: each author's subtotal, then the total. */
    @Test
    void rollupGivesEachAuthorsSubtotalAndTheGrandTotalMarkedByGrouping() {
        List<Row> rows = ashlar.read("post").groupBy("author_id", "status").count("posts").rollup().grouping("level")
                .having(notNil("level")).sort(Sort.desc("level"), Sort.asc("author_id"), Sort.asc("status"))
                .limit(3).list();

        assertThat(lines(rows)).containsExactly("author_id=null status=null posts=4 level=3",
                "author_id=1 status=null posts=2 level=1", "author_id=2 status=null posts=2 level=1");
    }

    /** {@code withRecursive(...)}: only SQL says it; the bound limit is a value, never text. */
    @Test
    void aRecursiveCommonTableExpressionRunsAsWrittenWithItsValuesBound() {
        List<Integer> depths = ashlar.sql("WITH RECURSIVE chain(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM chain "
                + "WHERE n < ?) SELECT n FROM chain ORDER BY n", 5).values(Integer.class);
        List<String> titles = ashlar.sql("WITH rated AS (SELECT title, rating FROM posts WHERE rating >= ?) "
                + "SELECT title FROM rated ORDER BY rating DESC", 4).values(String.class);

        assertThat(depths).containsExactly(1, 2, 3, 4, 5);
        assertThat(titles).containsExactly("Alpha", "Gamma");
    }

    /** {@code generateSeries(1, n)} and a {@code LATERAL} join: the best post of each author. */
    @Test
    void generateSeriesAndALateralJoinRunAsStatementsWrittenByHand() {
        List<Long> series = ashlar.sql("SELECT g FROM generate_series(1, ?) AS g", 3).values(Long.class);
        List<Row> best = ashlar.sql("SELECT a.name, p.title FROM authors a CROSS JOIN LATERAL (SELECT title FROM posts "
                + "WHERE author_id = a.id ORDER BY rating DESC LIMIT 1) p ORDER BY a.name").list();

        assertThat(series).containsExactly(1L, 2L, 3L);
        assertThat(best).extracting(row -> row.get("name") + ":" + row.get("title")).containsExactly("Ada:Alpha",
                "Bob:Gamma");
    }

    /** {@code insertInto(...).select(...)} with {@code returning()}: SQL by hand, the rows it wrote read back. */
    @Test
    void anInsertOfTheRowsASelectReturnsReturnsTheirKeys() {
        List<Long> keys = ashlar.sql("INSERT INTO posts (title, rating, author_id) SELECT 'copy of ' || title, rating, "
                + "author_id FROM posts WHERE rating >= ? RETURNING id", 4).values(Long.class);

        assertThat(keys).hasSize(2);
        assertThat(ashlar.read("post").where(sql("title LIKE 'copy of %'")).sort(Sort.asc("title")).values("title",
                String.class)).containsExactly("copy of Alpha", "copy of Gamma");
    }

    /** {@code update(...).from(AUTHORS)} and {@code delete(...).using(AUTHORS)}: a write by a filter on another table. */
    @Test
    void anUpdateFromAndADeleteUsingAnotherTableAreWritesByASubqueryFilter() {
        List<Row> updated = ashlar.read("post").where(sql("author_id IN (SELECT id FROM authors WHERE name = ?)", "Bob"))
                .updateAll(Map.of("rating", 0));
        int destroyed = ashlar.read("post").where(sql("author_id IN (SELECT id FROM authors WHERE name = ?)", "Ada"))
                .where(eq("status", "DRAFT")).destroyAll();

        assertThat(updated).extracting(row -> row.get("title")).containsExactlyInAnyOrder("Gamma", "Delta");
        assertThat(destroyed).isEqualTo(1);
        assertThat(db.value("SELECT string_agg(title || '=' || rating, ',' ORDER BY id) FROM posts"))
                .isEqualTo("Alpha=5,Gamma=0,Delta=0");
    }

    /** {@code nextval(SEQ)} and {@code currval(SEQ)}: a sequence named as a bound value, cast to {@code regclass}. */
    @Test
    void aSequenceHandsOutItsNextValuesByABoundName() {
        db.execute("DROP SEQUENCE IF EXISTS jooq_ticket_seq");
        db.execute("CREATE SEQUENCE jooq_ticket_seq START 100");

        Long first = ashlar.sql("SELECT nextval(?::regclass)", "jooq_ticket_seq").value(Long.class);
        Long second = ashlar.sql("SELECT nextval(?::regclass)", "jooq_ticket_seq").value(Long.class);

        assertThat(List.of(first, second)).containsExactly(100L, 101L);
        assertThat(db.value("SELECT last_value FROM jooq_ticket_seq")).isEqualTo(101L);
    }
}
