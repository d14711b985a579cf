package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The options of aggregates Ash has: a default instead of null, a list's {@code uniq?} and {@code include_nil?}. */
class AggregateOptionsTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("aggregate_options")
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .hasMany("comments", "comment")
                    .sum("total_rating", "comments", "rating")
                    .aggregate("total_rating", a -> a.withDefault(0))
                    .max("best_rating", "comments", "rating")
                    .first("latest_body", "comments", "body", Sort.desc("id"))
                    .aggregate("latest_body", a -> a.withDefault("(none)"))
                    .first("latest_body_or_nil", "comments", "body", Sort.desc("id"))
                    .aggregate("latest_body_or_nil", a -> a.withIncludeNil())
                    .list("bodies", "comments", "body", Sort.desc("id"))
                    .list("unique_bodies", "comments", "body", Sort.desc("id"))
                    .aggregate("unique_bodies", a -> a.withUniq())
                    .list("all_bodies", "comments", "body", Sort.asc("id"))
                    .aggregate("all_bodies", a -> a.withUniq().withIncludeNil())
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("body", TEXT)
                    .attribute("rating", INTEGER)
                    .belongsTo("post", "post")
                    .build())
            .build();

    private Row busy;
    private Row empty;

    AggregateOptionsTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void data() {
        busy = ashlar.create("post", Map.of("title", "busy"));
        empty = ashlar.create("post", Map.of("title", "empty"));
        comment("a", 2);
        comment("b", 3);
        comment("a", null);
        comment("c", 1);
        comment("a", 4);
        comment(null, null);
    }

    private void comment(String body, Integer rating) {
        Map<String, Object> values = new HashMap<>();
        values.put("body", body);
        values.put("rating", rating);
        values.put("post_id", busy.get("id"));
        ashlar.create("comment", values);
    }

    private Row post(Row post, String... aggregates) {
        var read = ashlar.read("post").where(eq("id", post.get("id")));
        for (String aggregate : aggregates) {
            read = read.load(aggregate);
        }
        return read.first().orElseThrow();
    }

    @Test
    void aDefaultStandsForNullWhenNothingIsRelatedAndIsFilteredOn() {
        Row none = post(empty, "total_rating", "best_rating", "latest_body");
        Row some = post(busy, "total_rating", "latest_body");

        assertThat(none.get("total_rating")).isEqualTo(0L);
        assertThat(none.get("best_rating")).as("no default").isNull();
        assertThat(none.get("latest_body")).isEqualTo("(none)");
        assertThat(some.get("total_rating")).isEqualTo(10L);
        assertThat(some.get("latest_body")).as("the newest comment with a body").isEqualTo("a");
        assertThat(ashlar.read("post").where(eq("total_rating", 0)).list())
                .extracting(p -> p.getString("title")).containsExactly("empty");
        assertThat(ashlar.read("post").sort(Sort.asc("total_rating")).list())
                .extracting(p -> p.getString("title")).containsExactly("empty", "busy");
    }

    @Test
    void firstWithNilsIncludedIsTheFirstRecordsValueEvenWhenNull() {
        assertThat(post(busy, "latest_body_or_nil").get("latest_body_or_nil")).isNull();
        assertThat(ashlar.read("post").where(and(eq("title", "busy"), eq("latest_body_or_nil", "a"))).list())
                .isEmpty();
    }

    @Test
    void aUniqListHoldsEachValueOnceWhereItFirstComesInTheOrder() {
        Row post = post(busy, "bodies", "unique_bodies", "all_bodies");

        assertThat(post.get("bodies")).isEqualTo(List.of("a", "c", "a", "b", "a"));
        assertThat(post.get("unique_bodies")).isEqualTo(List.of("a", "c", "b"));
        assertThat(post.get("all_bodies")).as("nils kept, once").isEqualTo(Arrays.asList("a", "b", "c", null));
        assertThat(post(empty, "unique_bodies").get("unique_bodies")).isEqualTo(List.of());
    }

    @Test
    void optionsAKindDoesNotTakeAreRefusedNamingTheAggregateAndTheFix() {
        assertThatThrownBy(() -> Domain.builder("bad")
                .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                        .hasMany("comments", "comment")
                        .count("count_of_comments", "comments")
                        .aggregate("count_of_comments", a -> a.withDefault(1))
                        .sum("total", "comments", "rating")
                        .aggregate("total", a -> a.withUniq())
                        .max("best", "comments", "rating")
                        .aggregate("best", a -> a.withIncludeNil())
                        .build())
                .resource(Resource.builder("comment").table("comments").integerPrimaryKey("id")
                        .attribute("rating", INTEGER)
                        .belongsTo("post", "post")
                        .build())
                .build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'count_of_comments': the count aggregate has a default, but a count is never "
                        + "null")
                .hasMessageContaining("'total': the sum aggregate is uniq, which only a list takes")
                .hasMessageContaining("'best': the max aggregate includes nils, which only first and list take");
        assertThatThrownBy(() -> Resource.builder("post").count("x", "comments").aggregate("y", a -> a.withUniq()))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("aggregate 'y', which is not declared before them");
    }

    @Test
    void aDefaultTheAggregatesTypeCannotHoldIsRefusedWhenAshlarStarts() {
        Domain domain = Domain.builder("bad_default")
                .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                        .hasMany("comments", "comment")
                        .sum("total", "comments", "rating")
                        .aggregate("total", a -> a.withDefault("none"))
                        .build())
                .resource(Resource.builder("comment").table("comments").integerPrimaryKey("id")
                        .attribute("rating", INTEGER)
                        .belongsTo("post", "post")
                        .build())
                .build();

        assertThatThrownBy(() -> Fixtures.ashlar(db, domain).close())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'post', 'total': the default none of aggregate 'total'")
                .hasMessageContaining("give withDefault(...) a value of the aggregate's type");
    }
}
