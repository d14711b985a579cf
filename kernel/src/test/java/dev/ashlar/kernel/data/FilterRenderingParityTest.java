package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.CalculationArgument;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's tests of how single filters render: custom_expression (a function of the database, directly and
 * through a calculation with an argument), native_in and postgres_in (a list of keys), map_field_type_expr (a typed
 * key of a map attribute), ref_cast_typmod (a timestamp column compared bare, so a partial index applies) and
 * join_subquery_sort (no order inside the subquery that follows a to-one relationship).
 */
class FilterRenderingParityTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("filter_rendering_parity").extensions("pg_trgm")
            .resource(Resource.builder("post").table("posts")
                    .uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("keyword_map", JSON)
                    .hasMany("comments", "comment", r -> r.sort(Sort.asc("title")))
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("post", "post")
                    .build())
            .resource(Resource.builder("profile").table("profiles")
                    .uuidPrimaryKey("id")
                    .attribute("description", TEXT)
                    .calculate("matches_description", Boolean.class, "word_similarity(:term, description) > 0.3",
                            CalculationArgument.of("term", String.class).notNull())
                    .build())
            .resource(Resource.builder("message").table("messages")
                    .uuidPrimaryKey("id")
                    .attribute("content", TEXT)
                    .attribute("read_at", TIMESTAMP)
                    .build())
            .build();

    FilterRenderingParityTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE comments, posts, profiles, messages CASCADE");
    }

    @Test
    void aDatabaseFunctionMatchesDirectlyInSqlAndThroughACalculationGivenTheTerm() {
        ashlar.create("profile", Map.of("description", "foo"));
        ashlar.create("profile", Map.of("description", "bar"));

        List<Row> indirect = ashlar.read("profile").where(eq("matches_description", true))
                .arguments("matches_description", Map.of("term", "fop")).list();
        List<Row> direct = ashlar.read("profile").where(sql("word_similarity(?, description) > 0.3", "fop")).list();

        assertThat(indirect).extracting(r -> r.get("description")).containsExactly("foo");
        assertThat(direct).extracting(r -> r.get("description")).containsExactly("foo");
    }

    @Test
    void aListOfKeysKeepsTheMatchingRecordsNoneForAnUnknownKeyAndOneForOneKey() {
        Row first = ashlar.create("post", Map.of("title", "first"));
        Row second = ashlar.create("post", Map.of("title", "second"));
        Row only = ashlar.create("post", Map.of("title", "third"));

        assertThat(ashlar.read("post").where(in("id", List.of(first.get("id"), second.get("id"))))
                .sort(Sort.asc("title")).list()).extracting(r -> r.get("title")).containsExactly("first", "second");
        assertThat(ashlar.read("post").where(in("id", List.of(UUID.randomUUID()))).list()).isEmpty();
        assertThat(ashlar.read("post").where(in("id", List.of(only.get("id")))).list())
                .extracting(r -> r.get("title")).containsExactly("third");
    }

    @Test
    void aKeyOfAMapComparesAsTheTypeOfTheValueGiven() {
        Row small = ashlar.create("post", Map.of("title", "a",
                "keyword_map", Map.of("display_template", "{{foo}}", "size", 3)));
        ashlar.create("post", Map.of("title", "b", "keyword_map", Map.of("display_template", "{{bar}}", "size", 10)));

        assertThat(ashlar.read("post").where(eq("keyword_map.size", 3)).list())
                .extracting(r -> r.get("id")).containsExactly(small.get("id"));
        assertThat(ashlar.read("post").where(gt("keyword_map.size", 9)).list())
                .extracting(r -> r.get("title")).containsExactly("b");
        assertThat(ashlar.read("post").where(eq("keyword_map.display_template", "{{foo}}")).list())
                .extracting(r -> r.get("id")).containsExactly(small.get("id"));
    }

    @Test
    void aTimestampIsComparedAsTheBareColumnSoThePlanShowsNoCast() {
        db.execute("CREATE INDEX IF NOT EXISTS messages_unread_index ON messages (id) WHERE read_at IS NULL");
        CountingDataSource counting = new CountingDataSource(db.dataSource());
        try (Ashlar counted = Ashlar.builder().dataSource(counting).domain(DOMAIN).build()) {
            counted.read("message").where(isNil("read_at")).list();
            String unread = counting.take().get(0);
            counted.read("message").where(gt("read_at", LocalDateTime.now())).list();
            String later = counting.take().get(0);

            assertThat(unread).contains("\"read_at\" IS NULL").doesNotContain("\"read_at\"::");
            assertThat(later).doesNotContain("\"read_at\"::");
            String plan = db.query("EXPLAIN " + unread).toString();
            assertThat(plan).contains("read_at IS NULL").doesNotContain("::timestamp");
        }
    }

    @Test
    void aFilterThroughABelongsToOrdersNothingInsideItsSubqueryWhileASortedHasManyLoadsInOrder() {
        Row post = ashlar.create("post", Map.of("title", "post"));
        ashlar.create("comment", Map.of("title", "b", "post_id", post.get("id")));
        ashlar.create("comment", Map.of("title", "a", "post_id", post.get("id")));
        CountingDataSource counting = new CountingDataSource(db.dataSource());
        try (Ashlar counted = Ashlar.builder().dataSource(counting).domain(DOMAIN).build()) {
            assertThat(counted.read("comment").where(notNil("post.title")).count()).isEqualTo(2);
            assertThat(counting.take()).singleElement().satisfies(sql -> assertThat(sql).doesNotContain("ORDER BY"));
        }

        assertThat(ashlar.read("post").load("comments").one().orElseThrow().related("comments"))
                .extracting(r -> r.get("title")).containsExactly("a", "b");
        assertThatThrownBy(() -> Resource.builder("comment").belongsTo("sorted_post", "post",
                r -> r.sort(Sort.asc("title")))).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("sorted_post").hasMessageContaining("sort");
    }
}
