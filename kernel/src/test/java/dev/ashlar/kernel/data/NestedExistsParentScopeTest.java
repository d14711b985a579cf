package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's nested_exists_parent_scope test: a post's aggregate over every author compares with the post through
 * {@code parent(...)}; the author's aggregate over its posts filters on that aggregate, and the parent must stay the
 * post there, not become the author. Authors have a {@code title} of their own so that a parent resolved one level
 * too far out reads a wrong value rather than failing.
 */
class NestedExistsParentScopeTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("nested_exists_parent_scope")
            .resource(Resource.builder("author").table("authors")
                    .integerPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .attribute("title", TEXT)
                    .hasMany("posts", "post")
                    .exists("has_post_matching_author_via_nested_exists", "posts",
                            eq("has_matching_author_by_unrelated_exists", true))
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("author", "author")
                    .exists("has_matching_author_by_unrelated_exists", "@author", eq("first_name", parent("title")))
                    .build())
            .build();

    NestedExistsParentScopeTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY CASCADE");
    }

    private Row author(String firstName, String title) {
        return ashlar.create("author", Map.of("first_name", firstName, "title", title));
    }

    private void post(Row author, String title) {
        ashlar.create("post", Map.of("title", title, "author_id", author.get("id")));
    }

    @Test
    void theInnerParentIsThePostWhenItsAggregateIsReadInsideTheAuthorsExists() {
        Row alice = author("Alice", "Carol");
        post(alice, "Alice");
        Row carol = author("Carol", "Alice");
        post(carol, "Dave");

        assertThat(ashlar.read("author").where(eq("id", alice.get("id")))
                .load("has_post_matching_author_via_nested_exists").one().orElseThrow()
                .get("has_post_matching_author_via_nested_exists")).isEqualTo(true);
        assertThat(ashlar.read("author").where(eq("id", carol.get("id")))
                .load("has_post_matching_author_via_nested_exists").one().orElseThrow()
                .get("has_post_matching_author_via_nested_exists")).isEqualTo(false);
        assertThat(ashlar.read("author").where(eq("has_post_matching_author_via_nested_exists", true)).list())
                .extracting(r -> r.get("first_name")).containsExactly("Alice");
        assertThat(ashlar.read("author").where(exists("posts", eq("has_matching_author_by_unrelated_exists", true)))
                .list()).extracting(r -> r.get("first_name")).containsExactly("Alice");
    }

    @Test
    void thePostsOwnAggregateMatchesAnAuthorOfItsTitle() {
        Row bob = author("Bob", "Nobody");
        post(bob, "Bob");
        post(bob, "Nobody");

        assertThat(ashlar.read("post").load("has_matching_author_by_unrelated_exists").list())
                .extracting(r -> r.get("title") + "=" + r.get("has_matching_author_by_unrelated_exists"))
                .containsExactlyInAnyOrder("Bob=true", "Nobody=false");
    }
}
