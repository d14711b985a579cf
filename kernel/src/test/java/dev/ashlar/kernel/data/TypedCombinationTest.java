package dev.ashlar.kernel.data;

import dev.ashlar.api.error.ActionTimeoutException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.typed.Condition;
import dev.ashlar.api.typed.Order;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.TypedCombination;
import dev.ashlar.kernel.data.TypedBlog.Comment;
import dev.ashlar.kernel.data.TypedBlog.Post;
import dev.ashlar.kernel.data.TypedBlog.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.ashlar.kernel.data.TypedBlog.Post.AUTHOR_ID;
import static dev.ashlar.kernel.data.TypedBlog.Post.POSTS;
import static dev.ashlar.kernel.data.TypedBlog.Post.RATING;
import static dev.ashlar.kernel.data.TypedBlog.Post.TITLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Typed reads of one table combined by UNION, INTERSECT and EXCEPT, returned as the table's records. */
class TypedCombinationTest extends DomainDatabaseTest {

    TypedCombinationTest() {
        super(TypedBlog.DOMAIN);
    }

    /** Posts a to e, rated 1 to 5; only c and e have an author. */
    @BeforeEach
    void fivePosts() {
        db.execute("TRUNCATE post_tags, tags, comments, posts, users RESTART IDENTITY");
        UUID ada = ashlar.create(User.USERS, new User(null, "ada@example.com", "Ada")).id();
        post("a", 1, null);
        post("b", 2, null);
        post("c", 3, ada);
        post("d", 4, null);
        post("e", 5, ada);
    }

    private void post(String title, int rating, UUID author) {
        ashlar.create(POSTS, new Post(null, title, rating, null, List.of(), null, null, author));
    }

    private static List<String> titles(List<Post> posts) {
        return posts.stream().map(Post::title).toList();
    }

    @Test
    void aUnionReturnsEachRecordOnceAsTheTablesRecords() {
        List<Post> posts = ashlar.read(POSTS).where(RATING.lt(3)).union(ashlar.read(POSTS).where(RATING.lt(4)))
                .sort(TITLE.asc()).list();

        assertThat(titles(posts)).containsExactly("a", "b", "c");
        assertThat(posts.get(2)).isEqualTo(ashlar.read(POSTS).where(TITLE.eq("c")).first().orElseThrow());
    }

    @Test
    void aUnionAllKeepsTheRecordsBothReadsReturn() {
        List<Post> posts = ashlar.read(POSTS).where(RATING.lt(3)).unionAll(ashlar.read(POSTS).where(RATING.lt(4)))
                .sort(TITLE.asc()).list();

        assertThat(titles(posts)).containsExactly("a", "a", "b", "b", "c");
    }

    @Test
    void anIntersectKeepsTheRecordsInBothReads() {
        List<Post> posts = ashlar.read(POSTS).where(RATING.gt(1)).intersect(ashlar.read(POSTS).where(RATING.lt(4)))
                .sort(TITLE.asc()).list();

        assertThat(titles(posts)).containsExactly("b", "c");
    }

    @Test
    void anExceptDropsTheRecordsOfTheOtherReadFromAllSoFar() {
        List<Post> posts = ashlar.read(POSTS).where(RATING.gt(3)).sort(RATING.desc()).limit(1)   // e
                .union(ashlar.read(POSTS).where(RATING.lt(3)))                                   // a, b
                .except(ashlar.read(POSTS).where(AUTHOR_ID.isNil()))                             // not a, b, d
                .sort(TITLE.asc()).list();

        assertThat(titles(posts)).containsExactly("e");
    }

    @Test
    void exceptAllAndIntersectAllApplyToEveryRecordSoFarCountingDuplicates() {
        TypedCombination<Post> aTwiceAndB = ashlar.read(POSTS).where(RATING.lt(3))
                .unionAll(ashlar.read(POSTS).where(RATING.lt(2)));                              // a, a, b

        List<Post> exceptAll = aTwiceAndB.exceptAll(ashlar.read(POSTS).where(RATING.lt(2))).sort(TITLE.asc()).list();
        List<Post> except = aTwiceAndB.except(ashlar.read(POSTS).where(RATING.lt(2))).sort(TITLE.asc()).list();
        List<Post> intersectAll = aTwiceAndB.intersectAll(ashlar.read(POSTS).where(RATING.lt(2)))
                .sort(TITLE.asc()).list();
        List<Post> intersect = aTwiceAndB.intersect(ashlar.read(POSTS).where(RATING.gt(1))).sort(TITLE.asc()).list();

        assertThat(titles(exceptAll)).containsExactly("a", "b");
        assertThat(titles(except)).containsExactly("b");
        assertThat(titles(intersectAll)).containsExactly("a");
        assertThat(titles(intersect)).containsExactly("b");
    }

    @Test
    void eachReadKeepsItsOwnSortAndLimitAndTheWholeIsSortedAndPaged() {
        List<Post> posts = ashlar.read(POSTS).sort(RATING.desc()).limit(2)          // e, d
                .union(ashlar.read(POSTS).sort(RATING.asc()).limit(1))                // a
                .union(ashlar.read(POSTS).where(TITLE.eq("c")))                       // c
                .sort(TITLE.desc()).offset(1).limit(2).list();

        assertThat(titles(posts)).containsExactly("d", "c");
    }

    @Test
    void aConditionOnTheCombinationKeepsTheCombinedRecordsThatMeetItThroughARelationshipToo() {
        List<Post> posts = ashlar.read(POSTS).where(RATING.lt(3)).union(ashlar.read(POSTS).where(RATING.gt(3)))
                .where(RATING.ne(5)).where(TITLE.ne("a")).sort(TITLE.asc()).list();
        List<Post> byAda = ashlar.read(POSTS).where(RATING.lt(4)).unionAll(ashlar.read(POSTS).where(RATING.gt(4)))
                .where(Post.AUTHOR.field(User.NAME).eq("Ada")).sort(TITLE.asc()).list();

        assertThat(titles(posts)).containsExactly("b", "d");
        assertThat(titles(byAda)).containsExactly("c", "e");
    }

    @Test
    void firstIsTheFirstCombinedRecordInTheCombinationsOrder() {
        Optional<Post> best = ashlar.read(POSTS).where(RATING.lt(2)).union(ashlar.read(POSTS).where(RATING.gt(4)))
                .sort(RATING.desc()).first();
        Optional<Post> none = ashlar.read(POSTS).where(RATING.lt(2)).intersect(ashlar.read(POSTS).where(RATING.gt(4)))
                .first();

        assertThat(best).map(Post::title).contains("e");
        assertThat(none).isEmpty();
    }

    @Test
    void readsFromHandlesOfDifferentTenantsAreNotCombined() {
        Ashlar acme = ashlar.withTenant("acme");

        assertThatThrownBy(() -> acme.read(POSTS).union(ashlar.read(POSTS)))
                .isInstanceOf(QueryException.class).hasMessageContaining("runs for one tenant");
        assertThatThrownBy(() -> ashlar.read(POSTS).except(acme.read(POSTS)))
                .isInstanceOf(QueryException.class).hasMessageContaining("runs for one tenant");
    }

    @Test
    void aReadThatLoadsRelationshipsOfItsOwnIsNotCombined() {
        assertThatThrownBy(() -> ashlar.read(POSTS).union(ashlar.read(POSTS).load(Post.AUTHOR)))
                .isInstanceOf(QueryException.class).hasMessageContaining("loads no relationships of its own");
    }

    @Test
    void aCombinationRunsUnderTheTimeoutOfTheHandleItsFirstReadBeganFrom() {
        Condition<Post> sleeping = Condition.sql(POSTS, "(SELECT true FROM pg_sleep(?))", 5.0);

        assertThatThrownBy(() -> ashlar.withTimeout(Duration.ofMillis(200)).read(POSTS)
                .union(ashlar.read(POSTS).where(sleeping)).list())
                .isInstanceOf(ActionTimeoutException.class);
    }

    @Test
    void aTypedCombinationSortsByTheFieldEachReadComputesThenByAField() {
        List<Post> posts = ashlar.read(POSTS).where(RATING.lt(3)).compute("sort_order", Long.class, "rating * 20")
                .union(ashlar.read(POSTS).where(RATING.gt(2)).compute("sort_order", Long.class, "rating * 5"))
                .sort(Order.desc("sort_order"), TITLE.asc()).list();

        assertThat(titles(posts)).containsExactly("b", "e", "a", "d", "c");   // 40, 25, 20, 20, 15
    }

    @Test
    void typedReadsAndCombinationsSortByACondition() {
        List<Post> read = ashlar.read(POSTS).sort(AUTHOR_ID.isNil().asc(), TITLE.desc()).list();
        List<Post> combined = ashlar.read(POSTS).where(RATING.lt(3)).union(ashlar.read(POSTS).where(RATING.gt(3)))
                .sort(TITLE.eq("d").desc(), TITLE.asc()).list();

        assertThat(titles(read)).containsExactly("e", "c", "d", "b", "a");
        assertThat(titles(combined)).containsExactly("d", "a", "b", "e");
    }

    record PostWithComments(String title, List<Comment> comments) {}

    @Test
    void aTypedCombinationLoadsARelationshipOntoAViewOfItsRows() {
        Post c = ashlar.read(POSTS).where(TITLE.eq("c")).first().orElseThrow();
        ashlar.create(Comment.COMMENTS, new Comment(null, "first", 1, c.id(), null));

        List<PostWithComments> posts = ashlar.read(POSTS).where(RATING.lt(2)).union(ashlar.read(POSTS)
                .where(RATING.eq(3))).load(Post.COMMENTS).sort(TITLE.asc()).list(PostWithComments.class);

        assertThat(posts).extracting(PostWithComments::title).containsExactly("a", "c");
        assertThat(posts.get(0).comments()).isEmpty();
        assertThat(posts.get(1).comments()).extracting(Comment::body).containsExactly("first");
    }
}
