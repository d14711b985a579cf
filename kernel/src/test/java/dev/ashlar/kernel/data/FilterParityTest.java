package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.lte;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.query.Filter.ref;
import static dev.ashlar.api.resource.Type.CITEXT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's filter test cases that Ashlar expresses, on its test domain (shared with {@link SortParityTest}),
 * asserted on the rows read.
 */
class FilterParityTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("filters").extensions("citext")
            .resource(Resource.builder("author").table("authors").uuidPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .hasMany("posts", "post")
                    .count("count_of_posts", "posts")
                    .build())
            .resource(Resource.builder("post").table("posts").uuidPrimaryKey("id")
                    .attribute("title", TEXT).attribute("score", INTEGER).attribute("category", CITEXT)
                    .attribute("created_at", TIMESTAMPTZ)
                    .belongsTo("author", "author")
                    .hasMany("comments", "comment")
                    .count("count_of_comments", "comments")
                    .manyToMany("linked_posts", "post", r -> r.through("post_link").sourceAttributeOnJoin("source_id")
                            .destinationAttributeOnJoin("dest_id"))
                    .build())
            .resource(Resource.builder("post_link").table("post_links")
                    .belongsTo("source", "post", r -> r.primaryKey().allowNil(false))
                    .belongsTo("dest", "post", r -> r.primaryKey().allowNil(false))
                    .build())
            .resource(Resource.builder("comment").table("comments").uuidPrimaryKey("id")
                    .attribute("title", TEXT).attribute("likes", INTEGER)
                    .belongsTo("post", "post")
                    .belongsTo("author", "author")
                    .build())
            .build();

    FilterParityTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE authors, posts, post_links, comments CASCADE");
    }

    private Row post(Map<String, ?> values) {
        return ashlar.create("post", values);
    }

    private List<String> titles(dev.ashlar.api.query.Filter filter) {
        return ashlar.read("post").where(filter).sort(Sort.asc("title")).list().stream()
                .map(r -> r.getString("title")).toList();
    }

    @Test
    void aRelatedConditionInAnOrKeepsRowsThatMatchEitherSideWithOrWithoutRelatedRows() {
        Row doesNot = post(Map.of("title", "doesn't match"));
        ashlar.create("comment", Map.of("title", "match", "post_id", doesNot.get("id")));
        Row matches = post(Map.of("title", "match"));
        ashlar.create("comment", Map.of("title", "doesn't match", "post_id", matches.get("id")));
        post(Map.of("title", "match, no comments"));
        post(Map.of("title", "nothing"));

        assertThat(titles(or(eq("title", "match"), eq("comments.title", "match"))))
                .containsExactly("doesn't match", "match");
        assertThat(titles(or(in("title", List.of("match", "match, no comments")), eq("comments.title", "match"))))
                .containsExactly("doesn't match", "match", "match, no comments");
        assertThat(titles(eq("comments.title", "nope"))).isEmpty();
    }

    @Test
    void aFieldComparedWithARelatedFieldKeepsRowsWithAMatchingRelatedRow() {
        Row match = post(Map.of("title", "match"));
        ashlar.create("comment", Map.of("title", "match", "post_id", match.get("id")));
        Row other = post(Map.of("title", "other"));
        ashlar.create("comment", Map.of("title", "different", "post_id", other.get("id")));

        assertThat(titles(eq("title", ref("comments.title")))).containsExactly("match");
        assertThat(titles(ne("title", ref("comments.title")))).containsExactly("other");
        assertThat(titles(gt("title", ref("comments.title")))).containsExactly("other");
        assertThat(titles(lt("title", ref("comments.title")))).isEmpty();
        assertThat(titles(lte("title", ref("comments.title")))).containsExactly("match");
        assertThat(ashlar.read("comment").where(eq("title", ref("post.title"))).list())
                .extracting(r -> r.get("post_id")).containsExactly(match.get("id"));
        assertThat(ashlar.read("comment").where(eq("author_id", ref("post.author_id"))).list()).isEmpty();
    }

    @Test
    void aRelatedRecordsAggregateFiltersAndSortsThroughABelongsTo() {
        Row busy = ashlar.create("author", Map.of("first_name", "Busy"));
        Row idle = ashlar.create("author", Map.of("first_name", "Idle"));
        ashlar.create("post", Map.of("title", "b1", "author_id", busy.get("id")));
        ashlar.create("post", Map.of("title", "b2", "author_id", busy.get("id")));
        ashlar.create("post", Map.of("title", "i1", "author_id", idle.get("id")));
        ashlar.create("post", Map.of("title", "none"));

        assertThat(ashlar.read("post").where(gt("author.count_of_posts", 1)).sort(Sort.asc("title")).list())
                .extracting(r -> r.get("title")).containsExactly("b1", "b2");
        assertThat(ashlar.read("post").sort(Sort.desc("author.count_of_posts").nullsLast(), Sort.asc("title")).list())
                .extracting(r -> r.get("title")).containsExactly("b1", "b2", "i1", "none");
    }

    @Test
    void aPathThreeStepsAwayThroughAManyToManyFindsTheRow() {
        Row author = ashlar.create("author", Map.of("first_name", "match"));
        Row post = post(Map.of("title", "title", "author_id", author.get("id")));
        Row post2 = post(Map.of("title", "title2", "author_id", author.get("id")));
        ashlar.create("post_link", Map.of("source_id", post2.get("id"), "dest_id", post.get("id")));
        ashlar.create("comment", Map.of("title", "not match", "post_id", post.get("id"), "author_id", author.get("id")));

        assertThat(ashlar.read("comment").where(eq("author.posts.linked_posts.title", "title")).list()).hasSize(1);
        assertThat(ashlar.read("comment").where(eq("author.posts.linked_posts.title", "title2")).list()).isEmpty();
    }

    @Test
    void containsMatchesCaseInsensitivelyOnACaseInsensitiveColumnAndExactlyOnText() {
        post(Map.of("title", "match", "category", "match"));
        post(Map.of("title", "bazbuz", "category", "bazbuz"));
        post(Map.of("title", "FoObAr", "category", "FoObAr"));

        assertThat(titles(contains("category", "ATC"))).containsExactly("match");
        assertThat(titles(eq("category", "fOoBaR"))).containsExactly("FoObAr");
        assertThat(titles(contains("title", "atc"))).containsExactly("match");
        assertThat(titles(contains("title", "ATC"))).isEmpty();
    }

    @Test
    void anInvalidUuidInAFilterIsRefusedNamingTheField() {
        assertThatThrownBy(() -> ashlar.read("post").where(eq("id", "foo")).list())
                .isInstanceOf(AshlarException.class).hasMessageContaining("id");
    }
}
