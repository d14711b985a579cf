package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.kernel.data.RelationshipDomain.comments;
import static dev.ashlar.kernel.data.RelationshipDomain.post;
import static dev.ashlar.kernel.data.RelationshipDomain.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A load that selects some fields of the related records (Ash's {@code select} inside a load): the statement reads
 * those, the keys and the version, and nothing else, at every kind of relationship and beside its other options.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadSelectTest {
    private CountingDataSource counting;
    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase db) {
        Fixtures.ashlar(db, RelationshipDomain.DOMAIN).close();
        counting = new CountingDataSource(db.dataSource());
        ashlar = Ashlar.builder().dataSource(counting).domain(RelationshipDomain.DOMAIN).build();
        Row ada = user(ashlar, "Ada");
        Row bob = user(ashlar, "Bob");
        ashlar.create("profile", Map.of("bio", "mathematician", "user_id", ada.get("id")));
        Row first = post(ashlar, ada, "first");
        post(ashlar, bob, "second");
        comments(ashlar, first, bob, 5, 3, 4);
        Row java = ashlar.create("tag", Map.of("name", "java"));
        ashlar.create("post_tag", Map.of("post_id", first.get("id"), "tag_id", java.get("id")));
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @Test
    void aLoadThatSelectsReadsThoseFieldsWithTheKeysAndLeavesTheOthersOut() {
        counting.take();

        List<Row> posts = ashlar.read("post").sort(Sort.asc("id"))
                .load("comments", c -> c.select("rating").where(gt("rating", 3)).sort(Sort.desc("rating")))
                .list();

        List<String> statements = counting.take();
        assertThat(statements).hasSize(2);
        assertThat(statements.get(1)).contains("\"rating\"").doesNotContain("\"body\"").doesNotContain("\"author_id\"");
        List<Row> comments = posts.get(0).related("comments");
        assertThat(comments).extracting(c -> c.get("rating")).containsExactly(5, 4);
        assertThat(comments.get(0).fields()).containsExactly("id", "rating", "post_id");
        assertThat(comments.get(0).has("body")).isFalse();
        assertThat(posts.get(1).related("comments")).isEmpty();
    }

    @Test
    void aSelectingLoadKeepsTheKeysOfItsNestedLoadsAndWorksWithALimitPerParent() {
        List<Row> posts = ashlar.read("post").sort(Sort.asc("id"))
                .load("comments", c -> c.select("body").sort(Sort.asc("rating")).limit(2).load("author"))
                .list();

        List<Row> comments = posts.get(0).related("comments");
        assertThat(comments).extracting(c -> c.getString("body")).containsExactly("first rated 3", "first rated 4");
        assertThat(comments.get(0).fields()).containsExactly("id", "body", "post_id", "author_id");
        assertThat(comments).extracting(c -> c.relatedOne("author").orElseThrow().getString("name"))
                .containsExactly("Bob", "Bob");
    }

    @Test
    void belongsToHasOneAndManyToManyLoadsSelectToo() {
        Row post = ashlar.read("post").sort(Sort.asc("id"))
                .load("author", a -> a.select("name").load("profile", p -> p.select("bio")))
                .load("tags", t -> t.select("name"))
                .first().orElseThrow();

        Row author = post.relatedOne("author").orElseThrow();
        assertThat(author.fields()).containsExactly("id", "name");
        Row profile = author.relatedOne("profile").orElseThrow();
        assertThat(profile.getString("bio")).isEqualTo("mathematician");
        assertThat(profile.fields()).containsExactly("id", "bio", "user_id");
        assertThat(post.related("tags")).extracting(t -> t.getString("name")).containsExactly("java");
        assertThat(post.related("tags").get(0).fields()).containsExactly("id", "name");
    }

    @Test
    void aLoadSelectingAFieldTheRelatedResourceLacksIsRefusedNamingIt() {
        assertThatThrownBy(() -> ashlar.read("post").load("comments", c -> c.select("stars")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("stars").hasMessageContaining("comment");
    }
}
