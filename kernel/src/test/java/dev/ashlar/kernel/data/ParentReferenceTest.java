package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import dev.ashlar.kernel.data.ParentReferences.Comment;
import dev.ashlar.kernel.data.ParentReferences.Post;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.query.Filter.Operator.EQ;
import static dev.ashlar.api.query.Filter.Operator.GTE;
import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.count;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Filters that compare with a field of the parent record ({@link Filter#parent(String)}), over {@link ParentReferences}:
 * "alpha" (by ann, at least 10 likes) has three comments titled alpha and one titled beta, "beta" (by ben, at least 1
 * like) two titled beta and three alpha, "gamma" (by cy, at least 0 likes) one titled delta; so a filter that ignored
 * the parent would keep other rows.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParentReferenceTest {
    private TestDatabase db;
    private Ashlar ashlar;
    private List<Object> posts;
    private Row shared;

    @BeforeAll
    void start(TestDatabase database) {
        db = database;
        ashlar = Fixtures.ashlar(db, ParentReferences.DOMAIN, RelationshipFilterTest.commentTenancy());
        Row alpha = post("alpha", "ann", 10);
        Row beta = post("beta", "ben", 1);
        Row gamma = post("gamma", "cy", 0);
        posts = List.of(alpha.get("id"), beta.get("id"), gamma.get("id"));
        comment(alpha, "a1", "alpha", "ann", 5, null);
        comment(alpha, "a2", "beta", "ben", 20, null);
        comment(alpha, "a3", "alpha", "ben", 15, null);
        comment(alpha, "a4", "alpha", "cy", 7, null);
        comment(beta, "b1", "beta", "ann", 3, null);
        comment(beta, "b2", "alpha", "ben", 0, null);
        comment(beta, "b3", "beta", "ben", 2, null);
        comment(beta, "b4", "alpha", "dee", 9, null);
        comment(beta, "b5", "alpha", "eve", 8, null);
        comment(gamma, "c1", "delta", "ann", 1, null);
        Map<String, Object> tags = new HashMap<>();
        for (String name : List.of("alpha", "beta", "other")) {
            tags.put(name, ashlar.create("tag", Map.of("name", name)).get("id"));
        }
        for (String name : List.of("alpha", "beta", "other")) {
            ashlar.create("post_tag", Map.of("post_id", alpha.get("id"), "tag_id", tags.get(name)));
        }
        for (String name : List.of("alpha", "beta")) {
            ashlar.create("post_tag", Map.of("post_id", beta.get("id"), "tag_id", tags.get(name)));
        }
        shared = post("shared", "ann", 0);
        comment(shared, "acme same", "shared", "ann", 1, "acme");
        comment(shared, "globex same", "shared", "ann", 1, "globex");
        comment(shared, "acme other", "other", "ann", 1, "acme");
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    private Row post(String title, String author, int minLikes) {
        return ashlar.create("post", Map.of("title", title, "author_name", author, "min_likes", minLikes));
    }

    private void comment(Row post, String body, String title, String author, int likes, String tenant) {
        Map<String, Object> comment = new HashMap<>(Map.of("body", body, "title", title, "author_name", author,
                "likes", likes, "post_id", post.get("id")));
        if (tenant != null) {
            comment.put("tenant", tenant);
        }
        ashlar.create("comment", comment);
    }

    /** Alpha, beta and gamma, in that order, read with the given loads. */
    private List<Row> read(UnaryOperator<Read> shape) {
        return shape.apply(ashlar.read("post").where(in("id", posts)).sort(Sort.asc("id"))).list();
    }

    /** The titles of alpha, beta and gamma that match, in that order unless sorted otherwise. */
    private List<String> titles(Filter filter, Sort... sorts) {
        Filter these = in("id", posts);
        return ashlar.read("post").where(filter == null ? these : and(these, filter)).sort(sorts).sort(Sort.asc("id"))
                .list().stream().map(p -> p.getString("title")).toList();
    }

    /** The bodies (or names) of each read post's related records, in order. */
    private static List<List<String>> related(List<Row> read, String relationship, String field) {
        return read.stream().map(p -> p.related(relationship).stream().map(c -> c.getString(field)).toList()).toList();
    }

    @Test
    void aRelationshipFilteredByAParentFieldLoadsEachParentsOwnMatches() {
        List<Row> read = read(r -> r.load("same_title_comments"));

        assertThat(related(read, "same_title_comments", "body"))
                .containsExactly(List.of("a1", "a3", "a4"), List.of("b1", "b3"), List.of());
    }

    @Test
    void anAggregateFilteredByAParentFieldAggregatesEachParentsOwnMatches() {
        List<Row> read = read(r -> r.load("best_same_title_likes"));

        assertThat(read).extracting(p -> p.get("best_same_title_likes")).containsExactly(15, 3, null);
    }

    @Test
    void aBelongsToComparedWithAParentFieldGivesEachRecordItsOwnAnswerThoughRecordsShareIt() {
        List<Row> comments = ashlar.read("comment").where(in("post_id", posts.subList(0, 2))).sort(Sort.asc("body"))
                .load("post", p -> p.where(eq("title", parent("title")))).list();

        assertThat(comments).extracting(c -> c.getString("body") + ":" + c.relatedOne("post")
                        .map(p -> p.getString("title")).orElse("-"))
                .containsExactly("a1:alpha", "a2:-", "a3:alpha", "a4:alpha", "b1:beta", "b2:-", "b3:beta", "b4:-",
                        "b5:-");
    }

    @Test
    void existsPathsCountsAndSortsThroughARelationshipFilteredByAParentFieldSeeOnlyItsMatches() {
        assertThat(titles(exists("same_title_comments"))).containsExactly("alpha", "beta");
        assertThat(titles(lt("same_title_comments.likes", 3))).containsExactly("beta");
        assertThat(titles(count("same_title_comments", EQ, 2))).containsExactly("beta");
        assertThat(titles(null, Sort.asc("same_title_comments").byCount())).containsExactly("gamma", "beta", "alpha");
    }

    @Test
    void existsAndCountCompareTheRelatedRecordsWithTheRecordTheyAreWrittenOn() {
        assertThat(titles(exists("comments", eq("author_name", "ann")))).containsExactly("alpha", "beta", "gamma");
        assertThat(titles(exists("comments", eq("author_name", parent("author_name"))))).containsExactly("alpha", "beta");
        assertThat(titles(count("comments", gt("likes", parent("min_likes")), GTE, 3))).containsExactly("beta");
    }

    @Test
    void aNestedExistsNamesTheEnclosingRecordAndParentWithLevelsReachesFurtherUp() {
        assertThat(titles(exists("comments", exists("post", lt("min_likes", parent("likes"))))))
                .containsExactly("alpha", "beta", "gamma");
        assertThat(titles(exists("comments", exists("post", gt("min_likes", parent("min_likes", 2)))))).isEmpty();
        assertThat(titles(exists("comments", and(eq("title", parent("title")),
                exists("post", eq("author_name", parent("author_name", 2))))))).containsExactly("alpha", "beta");
    }

    @Test
    void aLoadsOwnFilterComparesEachRelatedRecordWithItsOwnParent() {
        List<Row> read = read(r -> r.load("comments", c -> c.where(gt("likes", parent("min_likes")))
                .sort(Sort.asc("id"))));
        List<Row> limited = read(r -> r.load("comments", c -> c.where(gt("likes", parent("min_likes")))
                .sort(Sort.asc("id")).limit(2)));

        assertThat(related(read, "comments", "body"))
                .containsExactly(List.of("a2", "a3"), List.of("b1", "b3", "b4", "b5"), List.of("c1"));
        assertThat(related(limited, "comments", "body"))
                .containsExactly(List.of("a2", "a3"), List.of("b1", "b3"), List.of("c1"));
    }

    @Test
    void aManyToManyFilteredByAParentFieldComparesWithTheRecordOnTheJoinsOtherSide() {
        List<Row> read = read(r -> r.load("title_tags").load("tags", t -> t.where(ne("name", parent("title")))));

        assertThat(related(read, "title_tags", "name")).containsExactly(List.of("alpha"), List.of("beta"), List.of());
        assertThat(related(read, "tags", "name"))
                .containsExactly(List.of("beta", "other"), List.of("alpha"), List.of());
        assertThat(titles(exists("title_tags"))).containsExactly("alpha", "beta");
        assertThat(titles(eq("title_tags.name", "beta"))).containsExactly("beta");
    }

    @Test
    void theTypedApiComparesWithAParentField() {
        List<Integer> ids = posts.stream().map(id -> (Integer) id).toList();
        List<Post> commented = ashlar.read(Post.POSTS).where(Post.ID.in(ids)
                .and(Post.COMMENTS.any(Comment.AUTHOR_NAME.eq(Post.AUTHOR_NAME.parent())))).sort(Post.ID.asc()).list();
        List<Row> loaded = ashlar.read(Post.POSTS).where(Post.TITLE.eq("alpha"))
                .load(Post.COMMENTS, c -> c.where(Comment.LIKES.gt(Post.MIN_LIKES.parent())).sort(Comment.ID.asc()))
                .rows();

        assertThat(commented).extracting(Post::title).containsExactly("alpha", "beta");
        assertThat(related(loaded, "comments", "body")).containsExactly(List.of("a2", "a3"));
    }

    @Test
    void aParentFieldOfAnotherKindIsRefusedNamingBothFieldsBeforeTheServerSeesIt() {
        assertThatThrownBy(() -> titles(exists("comments", gt("likes", parent("title")))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("likes").hasMessageContaining("a number with parent(\"title\"), text");
        assertThatThrownBy(() -> ashlar.read("comment").where(exists("post.comments", gt("likes",
                parent("post.title")))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("parent(\"likes\"), a number");
    }

    @Test
    void aParentFieldThroughTheParentsBelongsToComparesWithTheRelatedRecordsField() {
        Filter byPost = exists("post", exists("comments", lt("likes", parent("min_likes"))));
        List<Object> expected = ashlar.read("comment").where(byPost).sort(Sort.asc("id")).list().stream()
                .map(r -> r.get("id")).toList();

        List<Comment> typed = ashlar.read(Comment.COMMENTS).where(Comment.POST.then(Post.COMMENTS)
                .any(Comment.LIKES.lt(Comment.POST.field(Post.MIN_LIKES).parent()))).sort(Comment.ID.asc()).list();
        List<Row> named = ashlar.read("comment").where(exists("post.comments", lt("likes", parent("post.min_likes"))))
                .sort(Sort.asc("id")).list();

        assertThat(expected).isNotEmpty().hasSizeLessThan(ashlar.read("comment").list().size());
        assertThat(typed).extracting(c -> (Object) c.id()).isEqualTo(expected);
        assertThat(named).extracting(r -> r.get("id")).isEqualTo(expected);
    }

    @Test
    void aTenantsReadComparingWithAParentFieldSeesOnlyItsOwnRecords() {
        Row acme = ashlar.read("post").tenant("acme").where(eq("id", shared.get("id"))).load("same_title_comments")
                .load("comments", c -> c.where(eq("title", parent("title")))).list().get(0);

        assertThat(acme.related("same_title_comments")).extracting(c -> c.getString("body")).containsExactly("acme same");
        assertThat(acme.related("comments")).extracting(c -> c.getString("body")).containsExactly("acme same");
        assertThat(ashlar.read("post").tenant("globex").where(and(eq("id", shared.get("id")),
                exists("same_title_comments", eq("body", "acme same")))).exists()).isFalse();
    }

    @Test
    void refusesAParentReferenceInAReadsOwnFilterAndInAPathWhichAddsNoLevel() {
        assertThatThrownBy(() -> ashlar.read("post").where(eq("title", parent("title"))).list())
                .isInstanceOf(QueryException.class)
                .hasMessage("parent(\"title\") in a filter on post names a field of the record a relationship is "
                        + "followed from: it only works inside a relationship's filter, exists(...), count(...) or a "
                        + "load's filter, not in a read's own filter");
        assertThatThrownBy(() -> ashlar.read("comment").where(eq("post.title", parent("title"))).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("not in a read's own filter");
        assertThatThrownBy(() -> read(r -> r.load("comments", c -> c.where(gt("likes", parent("min_likes", 2))))))
                .isInstanceOf(QueryException.class)
                .hasMessage("parent(\"min_likes\", 2) in a filter on comment names a field of the record 2 "
                        + "relationships up, but fewer records enclose this filter: each relationship's filter, "
                        + "exists(...), count(...) or load around it is one level");
    }

    @Test
    void refusesAParentFieldTheParentLacksNamingBothResources() {
        assertThatThrownBy(() -> titles(exists("comments", eq("title", parent("titel")))))
                .isInstanceOf(QueryException.class)
                .hasMessage("parent(\"titel\") in a filter on comment names a field of its parent post, which has no "
                        + "attribute 'titel' (did you mean 'title'?); its attributes are [id, title, author_name, min_likes]");
    }

    @Test
    void refusesAtStartARelationshipFilterNamingAParentFieldTheSourceLacks() {
        Domain bad = Domain.builder("bad").resources(
                Resource.builder("post").integerPrimaryKey("id").attribute("title", TEXT)
                        .hasMany("same_title_comments", "comment", r -> r.filter(eq("title", parent("headline"))))
                        .build(),
                Resource.builder("comment").integerPrimaryKey("id").attribute("title", TEXT)
                        .belongsTo("post", "post").build()).build();

        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).domain(bad).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'post', 'same_title_comments': its own filter or sort does not fit "
                        + "'comment': parent(\"headline\") in a filter on comment names a field of its parent post, "
                        + "which has no attribute 'headline'; its attributes are [id, title]");
    }
}
