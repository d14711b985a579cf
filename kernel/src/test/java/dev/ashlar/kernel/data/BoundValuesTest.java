package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every value of a request reaches PostgreSQL as a bind value: the log of all SQL text the driver was given, prepared
 * or plain, holds none of them, whatever the action and however the value looks like SQL.
 */
@ExtendWith(PostgresExtension.class)
class BoundValuesTest {
    private static final String TITLE = "m4rk'--;x";
    private static final String BODY = "b0dy'); DROP TABLE posts; --";
    private static final String EMAIL = "s3cr3t'@example.com";
    private static final String TAG = "t4g\"}";
    private static final int RATING = 918273645;
    private static final Instant PUBLISHED = Instant.parse("2031-07-19T08:09:10Z");

    @Test
    void noValueOfAnyActionAppearsInTheSqlSentToTheServer(TestDatabase db) {
        Fixtures.blog(db).close();
        CountingDataSource log = new CountingDataSource(db.dataSource());
        try (Ashlar ashlar = Ashlar.builder().dataSource(log).domain(Fixtures.BLOG).build()) {
            Row post = ashlar.create("post", Map.of("title", TITLE, "body", BODY, "rating", RATING, "tags", List.of(TAG),
                    "published_at", PUBLISHED));
            ashlar.createAll("post", List.of(Map.of("title", "a", "body", BODY), Map.of("title", "b", "rating", RATING)));
            ashlar.upsert("author", List.of(Map.of("email", EMAIL, "name", BODY)), Upsert.on("unique_email"));
            ashlar.update(post, Map.of("body", BODY + "!"));
            Read matching = ashlar.read("post").where(Filter.or(Filter.eq("title", TITLE), Filter.in("rating",
                    List.of(RATING)), Filter.like("body", BODY + "%"), Filter.contains("tags", TAG),
                    Filter.gt("published_at", PUBLISHED.minusSeconds(1))));
            Read page = matching.sort(Sort.asc("title")).limit(RATING).offset(0);
            List<Row> rows = page.after(page.cursor(page.first().orElseThrow())).list();
            long counted = matching.count();
            matching.updateAll(Map.of("rating", Atomic.add(RATING)));
            ashlar.read("post").where(Filter.eq("body", BODY)).groupBy("status").count("n").list();
            ashlar.read("author").where(Filter.eq("email", EMAIL)).destroyAll();
            ashlar.create("scalar_sample", Map.of("doc", Map.of("k3y'", BODY)));
            List<Row> byPath = ashlar.read("scalar_sample").where(Filter.eq("doc.k3y'", BODY)).sort(Sort.asc("doc.k3y'"))
                    .list();
            List<String> sent = log.takeAll();

            assertThat(rows).isNotEmpty();
            assertThat(byPath).hasSize(1);
            assertThat(counted).isEqualTo(3);
            assertThat(db.value("SELECT max(rating) FROM posts")).isEqualTo(2 * RATING);
            assertThat(sent).hasSizeGreaterThan(8).allSatisfy(sql -> assertThat(sql).doesNotContain("m4rk", "b0dy",
                    "s3cr3t", "t4g", "k3y", String.valueOf(RATING), "2031"));
        }
    }
}
