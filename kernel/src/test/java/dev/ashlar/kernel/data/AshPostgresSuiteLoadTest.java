package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's {@code load_test}, case by case (the README's "AshPostgres mapping" says where each case is), on
 * {@link AshPostgresSuiteReads}, asserted on the rows read.
 */
class AshPostgresSuiteLoadTest extends AshPostgresSuiteReads {

    private void follow(Row post, Row user, int position) {
        ashlar.create("post_follower", Map.of("post_id", post.get("id"), "user_id", user.get("id"),
                "position", position));
    }

    private List<Row> users() {
        List<Row> users = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            users.add(ashlar.create("user", Map.of("name", "user" + i)));
        }
        return users;
    }

    /** "has_many relationships can be loaded", "belongs_to relationships can be loaded". */
    @Test
    void hasManyAndBelongsToRelationshipsLoad() {
        Row post = post("match");
        comment("match", post);

        assertThat(ashlar.read("post").load("comments").list()).singleElement()
                .satisfies(p -> assertThat(values(p.related("comments"), "title")).containsExactly("match"));
        assertThat(ashlar.read("comment").load("post").list()).singleElement()
                .satisfies(c -> assertThat(c.relatedOne("post")).get()
                        .satisfies(p -> assertThat(p.getString("title")).isEqualTo("match")));
    }

    /** "many_to_many loads work", and on one record by its key ("... when using code interface"). */
    @Test
    void manyToManyLoadsGiveEveryLinkedRecordAlsoToOneRecordReadByItsKey() {
        Row source = post("source");
        link(source, post("destination"));
        link(source, post("destination"));
        link(post("other"), source);

        Row loaded = ashlar.read("post").where(eq("id", source.get("id"))).load("linked_posts").one().orElseThrow();

        assertThat(values(loaded.related("linked_posts"), "title")).containsExactly("destination", "destination");
    }

    /** "many_to_many loads work when nested". */
    @Test
    void nestedManyToManyLoadsFollowTheLinksBack() {
        Row source = post("source");
        Row destination = post("destination");
        link(source, destination);
        link(destination, source);

        Row loaded = ashlar.read("post").where(eq("id", source.get("id")))
                .load("linked_posts", l -> l.load("linked_posts")).one().orElseThrow();

        assertThat(loaded.related("linked_posts")).singleElement().satisfies(d -> {
            assertThat(d.getString("title")).isEqualTo("destination");
            assertThat(values(d.related("linked_posts"), "title")).containsExactly("source");
        });
    }

    /** "parent references are resolved", "parent references work when joining for filters". */
    @Test
    void aRelationshipFilteredByItsParentLoadsAndFiltersPerRecord() {
        Row first = post("title");
        Row second = post("title");
        Row lonely = post("no match");
        post("no match 2");

        assertThat(ashlar.read("post").where(eq("id", first.get("id"))).load("posts_with_matching_title").list())
                .singleElement().satisfies(p -> assertThat(p.related("posts_with_matching_title"))
                        .extracting(r -> r.get("id")).containsExactly(second.get("id")));
        assertThat(ashlar.read("post").where(eq("id", lonely.get("id"))).load("posts_with_matching_title").list())
                .singleElement().satisfies(p -> assertThat(p.related("posts_with_matching_title")).isEmpty());
        assertThat(ashlar.read("post").where(eq("posts_with_matching_title.id", second.get("id"))).list())
                .extracting(r -> r.get("id")).containsExactly(first.get("id"));
    }

    /** "lateral join loads (loads with limits or offsets) are supported". */
    @Test
    void aLoadWithASortAndALimitKeepsEachParentsFirstRecords() {
        Row post = post("title");
        comment("abc", post);
        comment("def", post);
        comment("ghi", post("other"));

        assertThat(values(loadComments(c -> c.sort(Sort.asc("title")).limit(1)), "title")).containsExactly("abc");
        assertThat(values(loadComments(c -> c.sort(Sort.desc("title")).limit(1)), "title")).containsExactly("def");
        assertThat(values(loadComments(c -> c.sort(Sort.desc("title")).limit(2)), "title"))
                .containsExactly("def", "abc");
    }

    private List<Row> loadComments(UnaryOperator<Load> shape) {
        return ashlar.read("post").where(eq("title", "title")).load("comments", shape).one().orElseThrow()
                .related("comments");
    }

    /** "lateral join loads with many to many relationships are supported" (also "... with aggregates"). */
    @Test
    void aManyToManyLoadTakesASortALimitAndAFilterOnAnAggregate() {
        Row source = post("source");
        Row abc = post("abc");
        link(source, abc);
        link(source, post("def"));
        comment("match", abc);

        assertThat(values(linked(source, l -> l.sort(Sort.asc("title")).limit(1)), "title")).containsExactly("abc");
        assertThat(values(linked(source, l -> l.sort(Sort.asc("title")).limit(2)), "title"))
                .containsExactly("abc", "def");
        assertThat(values(linked(source, l -> l.sort(Sort.asc("title")).limit(2)
                .where(eq("count_of_comments_called_match", 0))), "title")).containsExactly("def");
    }

    private List<Row> linked(Row source, UnaryOperator<Load> shape) {
        return ashlar.read("post").where(eq("id", source.get("id"))).load("linked_posts", shape).one().orElseThrow()
                .related("linked_posts");
    }

    /** "lateral join loads with read action from a custom table and schema". */
    @Test
    void aHasOneIntoATableOfAnotherSchemaLoads() {
        ashlar.create("record", Map.of("full_name", "name"));
        Row entity = ashlar.create("temp_entity", Map.of("full_name", "name"));
        ashlar.create("temp_entity", Map.of("full_name", "other"));

        assertThat(ashlar.read("record").load("entity").one().orElseThrow().relatedOne("entity")).get()
                .satisfies(e -> assertThat(e.get("id")).isEqualTo(entity.get("id")));
    }

    private List<Row> twoAuthorsWithTenPostsEach() {
        Row a = ashlar.create("author", Map.of("first_name", "a"));
        Row b = ashlar.create("author", Map.of("first_name", "b"));
        for (int i = 0; i < 10; i++) {
            post("author1 post" + i, a);
            post("author2 post" + i, b);
        }
        return List.of(a, b);
    }

    /** "it allows paginating has_many relationships with offset pagination". */
    @Test
    void aHasManyLoadPagesEachParentByOffset() {
        twoAuthorsWithTenPostsEach();

        List<Row> authors = ashlar.read("author").sort(Sort.asc("first_name"))
                .load("posts", p -> p.sort(Sort.asc("title")).offset(2).limit(2)).list();
        List<Row> next = ashlar.read("author").sort(Sort.asc("first_name"))
                .load("posts", p -> p.sort(Sort.asc("title")).offset(4).limit(2)).list();

        assertThat(values(authors.get(0).related("posts"), "title")).containsExactly("author1 post2", "author1 post3");
        assertThat(values(authors.get(1).related("posts"), "title")).containsExactly("author2 post2", "author2 post3");
        assertThat(values(next.get(0).related("posts"), "title")).containsExactly("author1 post4", "author1 post5");
    }

    /** "it allows paginating has_many relationships with keyset pagination": the next page is a read after a cursor. */
    @Test
    void aHasManyLoadsFirstPageContinuesByKeysetAfterItsLastRecord() {
        Row a = twoAuthorsWithTenPostsEach().get(0);

        List<Row> authors = ashlar.read("author").sort(Sort.asc("first_name"))
                .load("posts", p -> p.sort(Sort.asc("title")).limit(2)).list();
        List<Row> firstPage = authors.get(0).related("posts");
        var pages = ashlar.read("post").where(eq("author_id", a.get("id"))).sort(Sort.asc("title"));
        List<Row> next = pages.after(pages.cursor(firstPage.get(1))).limit(2).list();

        assertThat(values(firstPage, "title")).containsExactly("author1 post0", "author1 post1");
        assertThat(values(authors.get(1).related("posts"), "title")).containsExactly("author2 post0", "author2 post1");
        assertThat(values(next, "title")).containsExactly("author1 post2", "author1 post3");
    }

    private List<Row> twoPostsFollowedBy(List<Row> users, int firstCount) {
        Row a = post("a");
        Row b = post("b");
        for (int i = 0; i < firstCount; i++) {
            follow(a, users.get(i), firstCount - 1 - i);
        }
        for (int i = 5; i < 10; i++) {
            follow(b, users.get(i), 9 - (i - 5));
        }
        return List.of(a, b);
    }

    /** "it allows paginating many_to_many relationships with offset pagination", and "... with keyset pagination". */
    @Test
    void aManyToManyLoadPagesEachParentByOffsetAndContinuesByKeyset() {
        List<Row> posts = twoPostsFollowedBy(users(), 6);

        List<Row> read = ashlar.read("post").sort(Sort.asc("title"))
                .load("followers", f -> f.sort(Sort.asc("name")).limit(2)).list();
        List<Row> byOffset = ashlar.read("post").sort(Sort.asc("title"))
                .load("followers", f -> f.sort(Sort.asc("name")).offset(2).limit(2)).list();
        var pages = ashlar.read("user").where(eq("followed_posts.id", posts.get(0).get("id"))).sort(Sort.asc("name"));
        List<Row> byKeyset = pages.after(pages.cursor(read.get(0).related("followers").get(1))).limit(2).list();

        assertThat(values(read.get(0).related("followers"), "name")).containsExactly("user0", "user1");
        assertThat(values(read.get(1).related("followers"), "name")).containsExactly("user5", "user6");
        assertThat(values(byOffset.get(0).related("followers"), "name")).containsExactly("user2", "user3");
        assertThat(values(byKeyset, "name")).containsExactly("user2", "user3");
    }

    /**
     * "it allows paginating calculation ordered many_to_many relationships with offset" (and "... with keyset": the
     * next page is a read of the join records after a cursor on their position).
     */
    @Test
    void aManyToManyOrderedByItsJoinRecordsPagesEachParentInThatOrder() {
        List<Row> posts = twoPostsFollowedBy(users(), 7);

        List<Row> read = ashlar.read("post").sort(Sort.asc("title")).load("sorted_followers", f -> f.limit(2)).list();
        List<Row> byOffset = ashlar.read("post").sort(Sort.asc("title"))
                .load("sorted_followers", f -> f.offset(2).limit(2)).list();
        var joins = ashlar.read("post_follower").where(eq("post_id", posts.get(0).get("id")))
                .sort(Sort.asc("position")).load("user");
        List<Row> firstJoins = joins.limit(2).list();
        List<Row> nextJoins = joins.after(joins.cursor(firstJoins.get(1))).limit(2).list();

        assertThat(values(read.get(0).related("sorted_followers"), "name")).containsExactly("user6", "user5");
        assertThat(values(read.get(1).related("sorted_followers"), "name")).containsExactly("user9", "user8");
        assertThat(values(byOffset.get(0).related("sorted_followers"), "name")).containsExactly("user4", "user3");
        assertThat(nextJoins).extracting(j -> j.relatedOne("user").orElseThrow().getString("name"))
                .containsExactly("user4", "user3");
    }

    /** "works when nested with offset", "works when nested with keyset". */
    @Test
    void pagedLoadsNestAndEachLevelContinues() {
        Row a = ashlar.create("author", Map.of("first_name", "a"));
        Row b = ashlar.create("author", Map.of("first_name", "b"));
        List<Row> users = users();
        for (int i = 0; i < 6; i++) {
            Row ofA = post("author1 post" + i, a);
            Row ofB = post("author2 post" + i, b);
            for (int u = 0; u < 10; u++) {
                follow(u < 6 ? ofA : ofB, users.get(u), u);
            }
        }

        List<Row> authors = ashlar.read("author").sort(Sort.asc("first_name")).limit(1)
                .load("posts", p -> p.sort(Sort.asc("title")).limit(1)
                        .load("followers", f -> f.sort(Sort.asc("name")).limit(1))).list();
        Row firstPost = authors.get(0).related("posts").get(0);
        List<Row> nextPost = ashlar.read("author").sort(Sort.asc("first_name")).limit(1)
                .load("posts", p -> p.sort(Sort.asc("title")).offset(1).limit(1)).one().orElseThrow()
                .related("posts");
        var followers = ashlar.read("user").where(eq("followed_posts.id", firstPost.get("id"))).sort(Sort.asc("name"));
        List<Row> nextFollower = followers.after(followers.cursor(firstPost.related("followers").get(0))).limit(1)
                .list();

        assertThat(authors).extracting(r -> r.get("id")).containsExactly(a.get("id"));
        assertThat(firstPost.getString("title")).isEqualTo("author1 post0");
        assertThat(values(firstPost.related("followers"), "name")).containsExactly("user0");
        assertThat(values(nextPost, "title")).containsExactly("author1 post1");
        assertThat(values(nextFollower, "name")).containsExactly("user1");
    }
}
