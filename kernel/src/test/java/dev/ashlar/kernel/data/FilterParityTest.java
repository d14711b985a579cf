package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.Operator.EQ;
import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.containsIgnoreCase;
import static dev.ashlar.api.query.Filter.count;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.ilike;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.lte;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.notIn;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.query.Filter.ref;
import static dev.ashlar.api.query.Filter.startsWith;
import static dev.ashlar.api.resource.Type.CITEXT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's filter, load and relationship cases that Ashlar expresses (filter_test, load_test,
 * many_to_many_expr_test, rel_with_parent_filter_test, nested_exists_parent_scope_test,
 * filter_child_relationship_by_parent_relationship_test), on its test domain (shared with {@link SortParityTest}),
 * asserted on the rows read.
 */
class FilterParityTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("filters").extensions("citext")
            .resource(Resource.builder("author").table("authors").uuidPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .hasMany("posts", "post")
                    .count("count_of_posts", "posts")
                    .manyToMany("all_co_authored_posts", "post", r -> r.through("co_author_post")
                            .sourceAttributeOnJoin("author_id").destinationAttributeOnJoin("post_id"))
                    .manyToMany("editor_of", "post", r -> r.through("co_author_post")
                            .sourceAttributeOnJoin("author_id").destinationAttributeOnJoin("post_id")
                            .joinFilter(eq("role", "editor")))
                    .manyToMany("cancelled_co_authored_posts", "post", r -> r.through("co_author_post")
                            .sourceAttributeOnJoin("author_id").destinationAttributeOnJoin("post_id")
                            .joinFilter(notNil("cancelled_at")))
                    .count("count_of_editor_of", "editor_of")
                    .hasMany("authors_with_same_first_name", "author", r -> r.noAttributes()
                            .filter(and(eq("first_name", parent("first_name")), ne("id", parent("id")))))
                    .count("num_of_authors_with_same_first_name", "authors_with_same_first_name")
                    .build())
            .resource(Resource.builder("post").table("posts").uuidPrimaryKey("id")
                    .attribute("title", TEXT).attribute("score", INTEGER).attribute("category", CITEXT)
                    .attribute("created_at", TIMESTAMPTZ)
                    .belongsTo("author", "author")
                    .hasMany("comments", "comment")
                    .count("count_of_comments", "comments")
                    .manyToMany("linked_posts", "post", r -> r.through("post_link").sourceAttributeOnJoin("source_id")
                            .destinationAttributeOnJoin("dest_id"))
                    .manyToMany("co_authors", "author", r -> r.through("co_author_post")
                            .sourceAttributeOnJoin("post_id").destinationAttributeOnJoin("author_id")
                            .joinFilter(isNil("cancelled_at")))
                    .manyToMany("co_authors_in_order", "author", r -> r.through("co_author_post")
                            .sourceAttributeOnJoin("post_id").destinationAttributeOnJoin("author_id")
                            .joinSort(Sort.asc("position")).sort(Sort.asc("first_name")))
                    .hasMany("authors_named_as_title", "author", r -> r.noAttributes()
                            .filter(eq("first_name", parent("title"))))
                    .build())
            .resource(Resource.builder("co_author_post").table("co_author_posts")
                    .belongsTo("author", "author", r -> r.primaryKey().allowNil(false))
                    .belongsTo("post", "post", r -> r.primaryKey().allowNil(false))
                    .attribute("role", TEXT).attribute("cancelled_at", TIMESTAMPTZ).attribute("position", INTEGER)
                    .build())
            .resource(Resource.builder("post_link").table("post_links")
                    .belongsTo("source", "post", r -> r.primaryKey().allowNil(false))
                    .belongsTo("dest", "post", r -> r.primaryKey().allowNil(false))
                    .build())
            .resource(Resource.builder("comment").table("comments").uuidPrimaryKey("id")
                    .attribute("title", TEXT).attribute("likes", INTEGER)
                    .belongsTo("post", "post")
                    .belongsTo("author", "author")
                    .hasMany("ratings", "rating")
                    .hasMany("ratings_with_same_score_as_post", "rating",
                            r -> r.filter(eq("score", parent("post.score"))))
                    .build())
            .resource(Resource.builder("rating").table("ratings").uuidPrimaryKey("id")
                    .attribute("score", INTEGER)
                    .belongsTo("comment", "comment")
                    .build())
            .build();

    FilterParityTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE authors, posts, post_links, comments, ratings, co_author_posts CASCADE");
    }

    private Row post(Map<String, ?> values) {
        return ashlar.create("post", values);
    }

    private void postWithComment(String title, String commentTitle) {
        ashlar.create("comment", Map.of("title", commentTitle, "post_id", post(Map.of("title", title)).get("id")));
    }

    private List<String> titles(Filter filter) {
        return ashlar.read("post").where(filter).sort(Sort.asc("title")).list().stream()
                .map(r -> r.getString("title")).toList();
    }

    @Test
    void aRelatedConditionInAnOrKeepsRowsThatMatchEitherSideWithOrWithoutRelatedRows() {
        postWithComment("doesn't match", "match");
        postWithComment("match", "doesn't match");
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

    private static List<Object> titlesOf(List<Row> rows) {
        return rows.stream().map(r -> r.get("title")).toList();
    }

    @Test
    void containsStartsWithAndIlikeMatchPercentUnderscoreAndBackslashAsWritten() {
        for (String title : List.of("50% off", "500 off", "a_b", "axb", "back\\slash", "backslash", "MiXeD%")) {
            post(Map.of("title", title, "category", title));
        }

        assertThat(titles(contains("title", "0%"))).containsExactly("50% off");
        assertThat(titles(contains("title", "_"))).containsExactly("a_b");
        assertThat(titles(contains("title", "\\"))).containsExactly("back\\slash");
        assertThat(titles(contains("category", "0%"))).containsExactly("50% off");
        assertThat(titles(contains("category", "A_B"))).containsExactly("a_b");
        assertThat(titles(contains("category", "K\\S"))).containsExactly("back\\slash");
        assertThat(titles(containsIgnoreCase("title", "xed%"))).containsExactly("MiXeD%");
        assertThat(titles(startsWith("title", "back\\"))).containsExactly("back\\slash");
        assertThat(titles(ilike("title", "%XB"))).containsExactly("axb");
    }

    @Test
    void containsThroughAToManyPathMatchesItsCharactersAsWritten() {
        postWithComment("match", "ab%ba");
        postWithComment("no_match", "abxba");

        assertThat(titles(contains("comments.title", "b%"))).containsExactly("match");
        assertThat(titles(contains("comments.title", "bb"))).isEmpty();
    }

    @Test
    void comparisonsLeaveOutRowsWithoutAValueAndNilComparisonsFindThem() {
        post(Map.of("title", "zero", "score", 0));
        post(Map.of("title", "nil"));
        post(Map.of("title", "two", "score", 2));

        assertThat(titles(ne("score", 2))).containsExactly("zero");
        assertThat(titles(not(eq("score", 2)))).containsExactly("zero");
        assertThat(titles(notIn("score", List.of(2)))).containsExactly("zero");
        assertThat(titles(eq("score", null))).containsExactly("nil");
        assertThat(titles(ne("score", null))).containsExactly("two", "zero");
        assertThat(titles(notNil("score"))).containsExactly("two", "zero");
    }

    @Test
    void existsFollowsManyToManyPathsWithNestedExistsAndPathsInside() {
        Row a = post(Map.of("title", "a", "category", "foo"));
        ashlar.create("comment", Map.of("title", "comment", "post_id", a.get("id")));
        Row b = post(Map.of("title", "b"));
        ashlar.create("post_link", Map.of("source_id", b.get("id"), "dest_id", a.get("id")));
        Row other = post(Map.of("title", "other"));
        ashlar.create("post_link", Map.of("source_id", a.get("id"), "dest_id", other.get("id")));

        assertThat(titles(exists("linked_posts", eq("title", "a")))).containsExactly("b");
        assertThat(titles(exists("linked_posts.comments", eq("title", "comment")))).containsExactly("b");
        assertThat(titles(exists("linked_posts", eq("comments.title", "comment")))).containsExactly("b");
        assertThat(titles(exists("linked_posts", exists("comments", eq("title", "comment"))))).containsExactly("b");
        assertThat(titles(exists("linked_posts.comments", and(eq("title", "comment"), eq("post.category", "FOO")))))
                .containsExactly("b");
        assertThat(titles(not(exists("linked_posts")))).containsExactly("other");
    }

    @Test
    void aFilterThroughAToManyPathReturnsEachParentOnce() {
        Row a = post(Map.of("title", "a"));
        for (int i = 0; i < 3; i++) {
            ashlar.create("comment", Map.of("title", "match", "post_id", a.get("id")));
        }

        assertThat(titles(eq("comments.title", "match"))).containsExactly("a");
        assertThat(ashlar.read("post").where(eq("comments.title", "match")).count()).isEqualTo(1);
        assertThat(ashlar.read("post").where(eq("comments.title", "match")).limit(5).list()).hasSize(1);
    }

    @Test
    void aParentReferenceFollowsTheParentsBelongsTo() {
        Row post = post(Map.of("title", "p", "score", 2));
        Row comment = ashlar.create("comment", Map.of("title", "c", "post_id", post.get("id")));
        for (int score : List.of(1, 2, 2, 2, 3, 4, 5)) {
            ashlar.create("rating", Map.of("score", score, "comment_id", comment.get("id")));
        }
        ashlar.create("comment", Map.of("title", "without a post"));

        List<Row> comments = ashlar.read("comment").where(eq("title", "c")).load("ratings_with_same_score_as_post")
                .list();
        assertThat(comments.get(0).related("ratings_with_same_score_as_post")).hasSize(3)
                .allSatisfy(r -> assertThat(r.get("score")).isEqualTo(2));
        assertThat(ashlar.read("comment").where(count("ratings_with_same_score_as_post", EQ, 3)).list())
                .extracting(r -> r.get("title")).containsExactly("c");
        assertThat(ashlar.read("comment").where(exists("ratings", gt("score", parent("post.score")))).list())
                .extracting(r -> r.get("title")).containsExactly("c");
        assertThat(ashlar.read("comment").where(eq("title", "c"))
                .load("ratings", q -> q.where(lt("score", parent("post.score")))).list().get(0).related("ratings"))
                .extracting(r -> r.get("score")).containsExactly(1);
        // under a NOT, a comment without a post keeps no rating, as over Ash's left join
        assertThat(ashlar.read("comment").where(eq("title", "c"))
                .load("ratings", q -> q.where(not(eq("score", parent("post.score")))).sort(Sort.asc("score")))
                .list().get(0).related("ratings")).extracting(r -> r.get("score")).containsExactly(1, 3, 4, 5);
    }

    @Test
    void aManyToManyJoinFilterRelatesOnlyTheLinksWhoseJoinRecordMatches() {
        Row coAuthor = ashlar.create("author", Map.of("first_name", "co"));
        Row other = ashlar.create("author", Map.of("first_name", "other"));
        Row first = post(Map.of("title", "first"));
        Row second = post(Map.of("title", "second"));
        credit(coAuthor, first, "editor", false);
        credit(coAuthor, second, "writer", true);
        credit(other, second, "editor", false);

        Row loaded = ashlar.read("author").where(eq("id", coAuthor.get("id"))).load("all_co_authored_posts")
                .load("editor_of").load("cancelled_co_authored_posts").load("count_of_editor_of").one().orElseThrow();
        assertThat(titlesOf(loaded.related("all_co_authored_posts"))).containsExactlyInAnyOrder("first", "second");
        assertThat(titlesOf(loaded.related("editor_of"))).containsExactly("first");
        assertThat(titlesOf(loaded.related("cancelled_co_authored_posts"))).containsExactly("second");
        assertThat(loaded.get("count_of_editor_of")).isEqualTo(1L);
        assertThat(ashlar.read("author").where(exists("editor_of", eq("title", "second"))).list())
                .extracting(r -> r.get("first_name")).containsExactly("other");
        assertThat(ashlar.read("author").where(eq("editor_of.title", "first")).list())
                .extracting(r -> r.get("first_name")).containsExactly("co");
        assertThat(ashlar.read("post").where(eq("id", second.get("id"))).load("co_authors").one().orElseThrow()
                .related("co_authors")).extracting(r -> r.get("first_name")).containsExactly("other");
    }

    @Test
    void aManyToManyOrderedByItsJoinRecordsLoadsInThatOrderAndPagesEachParent() {
        List<Row> users = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            users.add(ashlar.create("author", Map.of("first_name", "user" + i)));
        }
        Row a = post(Map.of("title", "a"));
        Row b = post(Map.of("title", "b"));
        for (int i = 0; i < 4; i++) {   // a: user3, user2, user1, user0; b: user5, user4
            ashlar.create("co_author_post", Map.of("author_id", users.get(i).get("id"), "post_id", a.get("id"),
                    "position", 3 - i));
        }
        for (int i = 4; i < 6; i++) {
            ashlar.create("co_author_post", Map.of("author_id", users.get(i).get("id"), "post_id", b.get("id"),
                    "position", 0));
        }

        List<Row> all = ashlar.read("post").sort(Sort.asc("title")).load("co_authors_in_order").list();
        assertThat(names(all.get(0).related("co_authors_in_order"))).containsExactly("user3", "user2", "user1", "user0");
        assertThat(names(all.get(1).related("co_authors_in_order"))).containsExactly("user4", "user5");
        List<Row> pages = ashlar.read("post").sort(Sort.asc("title"))
                .load("co_authors_in_order", c -> c.offset(1).limit(2)).list();
        assertThat(names(pages.get(0).related("co_authors_in_order"))).containsExactly("user2", "user1");
        assertThat(names(pages.get(1).related("co_authors_in_order"))).containsExactly("user5");
        List<Row> ownOrder = ashlar.read("post").where(eq("title", "a"))
                .load("co_authors_in_order", c -> c.sort(Sort.asc("first_name"))).list();
        assertThat(names(ownOrder.get(0).related("co_authors_in_order")))
                .containsExactly("user0", "user1", "user2", "user3");
    }

    private static List<Object> names(List<Row> rows) {
        return rows.stream().map(r -> r.get("first_name")).toList();
    }

    @Test
    void aJoinSortBesideALimitOrOnAnythingButAManyToManyIsRefused() {
        assertThatThrownBy(() -> Resource.builder("writer").uuidPrimaryKey("id")
                .manyToMany("books", "book", r -> r.through("credit").joinSort(Sort.asc("position")).limit(2)))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("limit beside joinSort");
        assertThatThrownBy(() -> Resource.builder("writer").uuidPrimaryKey("id")
                .hasMany("books", "book", r -> r.joinSort(Sort.asc("position"))))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("joinSort");
    }

    private void credit(Row author, Row post, String role, boolean cancelled) {
        ashlar.create("co_author_post", cancelled
                ? Map.of("author_id", author.get("id"), "post_id", post.get("id"), "role", role,
                        "cancelled_at", java.time.Instant.parse("2026-01-01T00:00:00Z"))
                : Map.of("author_id", author.get("id"), "post_id", post.get("id"), "role", role));
    }

    @Test
    void aParentReferenceInsideANestedExistsNamesTheRecordItsOwnRelationshipStartsFrom() {
        Row alice = ashlar.create("author", Map.of("first_name", "Alice"));
        post(Map.of("title", "Alice", "author_id", alice.get("id")));
        Row bob = ashlar.create("author", Map.of("first_name", "Bob"));
        post(Map.of("title", "not Bob", "author_id", bob.get("id")));

        assertThat(ashlar.read("author").where(exists("posts", exists("authors_named_as_title"))).list())
                .extracting(r -> r.get("first_name")).containsExactly("Alice");
        assertThat(titles(exists("authors_named_as_title"))).containsExactly("Alice");
    }

    @Test
    void aRelationshipFilteredByItsParentCountsAndLoadsOnlyEachRecordsOwnMatches() {
        Row john = ashlar.create("author", Map.of("first_name", "John"));
        ashlar.create("author", Map.of("first_name", "John"));
        ashlar.create("author", Map.of("first_name", "Jane"));

        Row read = ashlar.read("author").where(eq("id", john.get("id"))).load("num_of_authors_with_same_first_name")
                .load("authors_with_same_first_name").one().orElseThrow();
        assertThat(read.get("num_of_authors_with_same_first_name")).isEqualTo(1L);
        assertThat(read.related("authors_with_same_first_name")).singleElement()
                .satisfies(r -> assertThat(r.get("id")).isNotEqualTo(john.get("id")));
    }

    @Test
    void aManyToManyLoadTakesALimitAndOffsetPerParentAndNests() {
        Row source = post(Map.of("title", "source"));
        Row abc = post(Map.of("title", "abc"));
        Row def = post(Map.of("title", "def"));
        ashlar.create("post_link", Map.of("source_id", source.get("id"), "dest_id", abc.get("id")));
        ashlar.create("post_link", Map.of("source_id", source.get("id"), "dest_id", def.get("id")));
        ashlar.create("post_link", Map.of("source_id", abc.get("id"), "dest_id", source.get("id")));

        Row first = ashlar.read("post").where(eq("id", source.get("id")))
                .load("linked_posts", p -> p.sort(Sort.asc("title")).limit(1).load("linked_posts")).one()
                .orElseThrow();
        assertThat(titlesOf(first.related("linked_posts"))).containsExactly("abc");
        assertThat(titlesOf(first.related("linked_posts").get(0).related("linked_posts"))).containsExactly("source");
        Row second = ashlar.read("post").where(eq("id", source.get("id")))
                .load("linked_posts", p -> p.sort(Sort.desc("title")).offset(1).limit(5)).one().orElseThrow();
        assertThat(titlesOf(second.related("linked_posts"))).containsExactly("abc");
        List<Row> inHand = ashlar.load(List.of(source), "linked_posts");
        assertThat(titlesOf(inHand.get(0).related("linked_posts"))).containsExactlyInAnyOrder("abc", "def");
    }

    @Test
    void aJoinFilterOverAFieldTheJoinResourceLacksIsRefusedWhenAshlarStarts() {
        Domain wrong = Domain.builder("wrong_join_filter")
                .resource(Resource.builder("writer").table("writers").uuidPrimaryKey("id")
                        .manyToMany("edited", "book", r -> r.through("credit").joinFilter(eq("rank", "editor")))
                        .build())
                .resource(Resource.builder("book").table("books").uuidPrimaryKey("id").build())
                .resource(Resource.builder("credit").table("credits")
                        .belongsTo("writer", "writer", r -> r.primaryKey().allowNil(false))
                        .belongsTo("book", "book", r -> r.primaryKey().allowNil(false))
                        .attribute("role", TEXT).build())
                .build();

        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).domain(wrong).build().close())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'edited': its join filter or sort does not fit 'credit'")
                .hasMessageContaining("rank");
    }

    @Test
    void aJoinFilterOnAnythingButAManyToManyIsRefused() {
        assertThatThrownBy(() -> Resource.builder("writer").uuidPrimaryKey("id")
                .hasMany("books", "book", r -> r.joinFilter(eq("role", "editor"))))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("joinFilter")
                .hasMessageContaining("use filter");
    }

    @Test
    void aParentPathThroughARelationshipTheParentLacksIsRefusedWhenAshlarStarts() {
        Domain wrong = Domain.builder("wrong_parent_path")
                .resource(Resource.builder("shelf").table("shelves").uuidPrimaryKey("id")
                        .attribute("size", INTEGER)
                        .hasMany("same_size_books", "book", r -> r.filter(eq("size", parent("room.size"))))
                        .build())
                .resource(Resource.builder("book").table("books").uuidPrimaryKey("id")
                        .attribute("size", INTEGER).belongsTo("shelf", "shelf").build())
                .build();

        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).domain(wrong).build().close())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'same_size_books'")
                .hasMessageContaining("room");
    }
}
