package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.typed.Condition;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import dev.ashlar.kernel.TypedRead;
import dev.ashlar.kernel.data.TypedBlog.Comment;
import dev.ashlar.kernel.data.TypedBlog.Post;
import dev.ashlar.kernel.data.TypedBlog.PostView;
import dev.ashlar.kernel.data.TypedBlog.User;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.Operator.GTE;
import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.between;
import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.count;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.ilike;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.notIn;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.query.Filter.ref;
import static dev.ashlar.api.query.Filter.startsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each read and write of the string API next to its typed form, on PostgreSQL: both build the same query and give the
 * same rows, so a test written against the typed API can say whatever one written against the string API can.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypedParityTest {
    private TestDatabase db;
    private Ashlar ashlar;
    private User ada;
    private User bob;

    @BeforeAll
    void start(TestDatabase database) {
        db = database;
        ashlar = Fixtures.ashlar(db, TypedBlog.DOMAIN);
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @BeforeEach
    void seed() {
        db.execute("TRUNCATE post_tags, tags, comments, posts, users RESTART IDENTITY");
        ada = ashlar.create(User.USERS, new User(null, "ada@example.com", "Ada"));
        bob = ashlar.create(User.USERS, new User(null, "bob@example.com", "Bob"));
        Post hello = post("Hello", 5, ada, "java");
        Post world = post("World", 2, bob, "sql", "java");
        post("Quiet", null, bob);
        post("hello again", 3, ada, "sql");
        ashlar.createAll(Comment.COMMENTS, List.of(new Comment(null, "Hello", 5, hello.id(), bob.id()),
                new Comment(null, "nice", 2, hello.id(), null), new Comment(null, "meh", 1, world.id(), ada.id())));
    }

    private Post post(String title, Integer rating, User author, String... tags) {
        return ashlar.create(Post.POSTS, new Post(null, title, rating, null, List.of(tags), null, null, author.id()));
    }

    /** Runs both reads, which must build the same query, and returns the ids the typed read gave, checked equal. */
    private List<Object> same(TypedRead<Post> typed, Read strings) {
        assertThat(typed.query()).isEqualTo(strings.query());
        List<Object> typedIds = typed.list().stream().map(p -> (Object) p.id()).toList();
        assertThat(typedIds).isEqualTo(strings.list().stream().map(row -> row.get("id")).toList());
        return typedIds;
    }

    private List<Object> filtered(Condition<Post> condition, Filter filter) {
        return same(ashlar.read(Post.POSTS).where(condition).sort(Post.ID.asc()),
                ashlar.read("post").where(filter).sort(Sort.asc("id")));
    }

    @Test
    void everyKindOfFilterSelectsTheSameRecordsTypedAsByName() {
        assertThat(filtered(Post.TITLE.eq("Hello").or(Post.RATING.gt(2)), or(eq("title", "Hello"), gt("rating", 2))))
                .containsExactly(1, 4);
        assertThat(filtered(Post.RATING.in(List.of(2, 3)).and(Post.ID.notIn(List.of(4))),
                and(in("rating", List.of(2, 3)), notIn("id", List.of(4))))).containsExactly(2);
        assertThat(filtered(Post.RATING.between(2, 3), between("rating", 2, 3))).containsExactly(2, 4);
        assertThat(filtered(Post.RATING.isNil(), isNil("rating"))).containsExactly(3);
        assertThat(filtered(Post.TITLE.ilike("hello%").not(), not(ilike("title", "hello%")))).containsExactly(2, 3);
        assertThat(filtered(Post.TITLE.startsWith("hello"), startsWith("title", "hello"))).containsExactly(4);
        assertThat(filtered(Post.TAGS.contains("java"), contains("tags", "java"))).containsExactly(1, 2);
        assertThat(filtered(Post.AUTHOR.field(User.NAME).eq("Ada"), eq("author.name", "Ada"))).containsExactly(1, 4);
        assertThat(filtered(Post.COMMENTS.any(Comment.RATING.gte(2)), exists("comments", Filter.gte("rating", 2))))
                .containsExactly(1);
        assertThat(filtered(Post.COMMENTS.then(Comment.AUTHOR).any(User.NAME.eq("Ada")),
                exists("comments.author", eq("name", "Ada")))).containsExactly(2);
        assertThat(filtered(Post.COMMENTS.count(GTE, 1), count("comments", GTE, 1))).containsExactly(1, 2);
        assertThat(filtered(Post.TITLE.eq(Post.COMMENTS.field(Comment.BODY)), eq("title", ref("comments.body"))))
                .containsExactly(1);
        assertThat(filtered(Condition.sql(Post.POSTS, "length(title) > ?", 5), Filter.sql("length(title) > ?", 5)))
                .containsExactly(4);
    }

    @Test
    void sortsPagesAndCursorsGiveTheSameRecordsTypedAsByName() {
        assertThat(same(ashlar.read(Post.POSTS).sort(Post.RATING.desc().nullsFirst()),
                ashlar.read("post").sort(Sort.desc("rating").nullsFirst()))).containsExactly(3, 1, 4, 2);
        assertThat(same(ashlar.read(Post.POSTS).sort(Post.RATING.asc().nullsFirst()).offset(1).limit(2),
                ashlar.read("post").sort(Sort.asc("rating").nullsFirst()).offset(1).limit(2))).containsExactly(2, 4);
        assertThat(same(ashlar.read(Post.POSTS).sort(Post.COMMENTS.countDesc(), Post.AUTHOR.field(User.NAME).asc()),
                ashlar.read("post").sort(Sort.desc("comments").byCount(), Sort.asc("author.name"))))
                .containsExactly(1, 2, 4, 3);
        Post second = ashlar.get(Post.POSTS, 4);
        Row secondRow = ashlar.get("post", 4);
        Read byName = ashlar.read("post").sort(Sort.asc("rating").nullsLast()).limit(2);
        assertThat(same(ashlar.read(Post.POSTS).sort(Post.RATING.asc().nullsLast()).limit(2).after(second),
                byName.after(byName.cursor(secondRow)))).containsExactly(1, 3);
    }

    @Test
    void countsExistsAggregatesSelectAndDistinctAgreeTypedAndByName() {
        var typed = ashlar.read(Post.POSTS).where(Post.RATING.notNil());
        Read strings = ashlar.read("post").where(Filter.notNil("rating"));

        assertThat(typed.count()).isEqualTo(strings.count()).isEqualTo(3);
        assertThat(typed.exists()).isEqualTo(strings.exists()).isTrue();
        assertThat(typed.sum(Post.RATING)).isEqualTo(strings.sum("rating")).isEqualTo(10L);
        assertThat(typed.avg(Post.RATING)).isEqualTo(strings.avg("rating"));
        assertThat(typed.min(Post.RATING)).isEqualTo(strings.min("rating")).isEqualTo(2);
        assertThat(typed.max(Post.TITLE)).isEqualTo(strings.max("title"));
        assertThat(typed.select(Post.TITLE).sort(Post.ID.asc()).list()).extracting(Post::title, Post::rating)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Hello", null),
                        org.assertj.core.groups.Tuple.tuple("World", null),
                        org.assertj.core.groups.Tuple.tuple("hello again", null));
        assertThat(same(ashlar.read(Post.POSTS).distinct(Post.AUTHOR_ID).distinctSort(Post.RATING.asc()).sort(Post.ID.asc()),
                ashlar.read("post").distinct("author_id").distinctSort(Sort.asc("rating")).sort(Sort.asc("id"))))
                .containsExactly(2, 4);
    }

    @Test
    void aTypedReadHandsOverEveryRecordWithTheFetchSizeItIsGiven() {
        List<Post> handed = new java.util.ArrayList<>();
        long count = ashlar.read(Post.POSTS).sort(Post.ID.asc()).fetchSize(1).forEach(handed::add);

        assertThat(count).isEqualTo(ashlar.read("post").count());
        assertThat(handed).isEqualTo(ashlar.read(Post.POSTS).sort(Post.ID.asc()).list());
        assertThatThrownBy(() -> ashlar.read(Post.POSTS).fetchSize(0)).hasMessageContaining("fetchSize(0) on post");
    }

    @Test
    void aTypedGroupedReadKeepsTheGroupsItsHavingFilterOrConditionMatchesAsTheStringReadDoes() {
        List<Row> typed = ashlar.read(Post.POSTS).groupBy(Post.AUTHOR_ID).count("posts").sum(Post.RATING, "total")
                .having(Post.AUTHOR_ID.notNil()).having(gt("total", 2)).list();
        List<Row> strings = ashlar.read("post").groupBy("author_id").count("posts").sum("rating", "total")
                .having(and(notNil("author_id"), gt("total", 2))).list();

        assertThat(typed).isEqualTo(strings);
        assertThat(typed).extracting(row -> row.get("author_id") + ":" + row.get("total"))
                .containsExactly(ada.id() + ":8");
        List<Row> secondPage = ashlar.read(Post.POSTS).groupBy(Post.AUTHOR_ID).sum(Post.RATING, "total")
                .sort(Sort.desc("total").nullsLast()).offset(1).limit(1).list();
        assertThat(secondPage).isEqualTo(ashlar.read("post").groupBy("author_id").sum("rating", "total")
                .sort(Sort.desc("total").nullsLast()).offset(1).limit(1).list());
        assertThat(secondPage).extracting(row -> row.get("author_id")).containsExactly(bob.id());
    }

    @Test
    void aTypedGroupedReadTakesTheTablesFieldsForItsValuesAndGivesTheStringReadsGroups() {
        List<Row> typed = ashlar.read(Post.POSTS).groupBy(Post.AUTHOR_ID).count("posts")
                .sum(Post.RATING, "total").avg(Post.RATING, "mean").min(Post.TITLE, "first").max(Post.RATING, "best")
                .countDistinct(Post.RATING, "ratings").sort(Sort.desc("total")).limit(5).list();
        List<Row> strings = ashlar.read("post").groupBy("author_id").count("posts")
                .sum("rating", "total").avg("rating", "mean").min("title", "first").max("rating", "best")
                .countDistinct("rating", "ratings").sort(Sort.desc("total")).limit(5).list();

        assertThat(typed).isEqualTo(strings);
        assertThat(typed).extracting(row -> row.get("author_id") + ":" + row.get("posts") + ":" + row.get("total")
                + ":" + row.get("first") + ":" + row.get("best") + ":" + row.get("ratings"))
                .containsExactly(ada.id() + ":2:8:Hello:5:2", bob.id() + ":2:2:Quiet:2:1");
    }

    @Test
    void loadsShapedWithTheirOwnFilterSortAndLimitGiveTheSameViewsTypedAsByName() {
        List<PostView> typed = ashlar.read(Post.POSTS).sort(Post.ID.asc()).load(Post.AUTHOR)
                .load(Post.COMMENTS, c -> c.where(Comment.RATING.gte(2)).sort(Comment.RATING.asc()).limit(1)
                        .load(Comment.AUTHOR))
                .list(PostView.class);
        List<PostView> strings = ashlar.read("post").sort(Sort.asc("id")).load("author")
                .load("comments", c -> c.where(Filter.gte("rating", 2)).sort(Sort.asc("rating")).limit(1).load("author"))
                .list(PostView.class);

        assertThat(typed).isEqualTo(strings);
        assertThat(typed.get(0).comments()).extracting(c -> c.body()).containsExactly("nice");
    }

    @Test
    void aTypedReadGivesItsFirstOrOnlyRecordAndItsStreamAsViewRecords() {
        var hello = ashlar.read(Post.POSTS).where(Post.ID.eq(1)).load(Post.AUTHOR)
                .load(Post.COMMENTS, c -> c.sort(Comment.ID.asc()).load(Comment.AUTHOR));

        assertThat(hello.first(PostView.class)).get().extracting(view -> view.comments().size()).isEqualTo(2);
        assertThat(hello.one(PostView.class)).isEqualTo(ashlar.read("post").where(eq("id", 1))
                .load("author").load("comments", c -> c.sort(Sort.asc("id")).load("author")).one(PostView.class));
        List<String> titles = new ArrayList<>();
        long handed = ashlar.read(Post.POSTS).sort(Post.ID.asc()).forEach(Titled.class, view -> titles.add(view.title()));
        assertThat(handed).isEqualTo(4);
        assertThat(titles).containsExactly("Hello", "World", "Quiet", "hello again");
    }

    /** A view record of some of a post's fields. */
    record Titled(Integer id, String title) {
    }

    /** A view record with a field computed in SQL for the read. */
    record Scored(Integer id, Long score) {
    }

    @Test
    void aTypedReadComputesAFieldInSqlAsTheStringReadDoes() {
        var typed = ashlar.read(Post.POSTS).compute("score", Long.class,
                "SELECT count(*) FROM comments c WHERE c.post_id = posts.id").sort(Post.ID.asc());
        Read strings = ashlar.read("post").compute("score", Long.class,
                "SELECT count(*) FROM comments c WHERE c.post_id = posts.id").sort(Sort.asc("id"));

        assertThat(typed.query()).isEqualTo(strings.query());
        assertThat(typed.list(Scored.class)).extracting(Scored::score).containsExactly(2L, 1L, 0L, 0L);
    }

    @Test
    void aTypedLockingReadInATransactionLocksAsTheStringReadDoes() {
        List<Post> locked = ashlar.transaction(tx -> tx.read(Post.POSTS).where(Post.ID.eq(1))
                .lock(Lock.FOR_NO_KEY_UPDATE_SKIP_LOCKED).list());
        assertThat(locked).extracting(Post::title).containsExactly("Hello");
        assertThat(ashlar.read(Post.POSTS).lock(Lock.FOR_SHARE).query())
                .isEqualTo(ashlar.read("post").lock(Lock.FOR_SHARE).query());
    }

    @Test
    void typedReadsGoWhereTheRouterSendsStringReadsAndWritesStayOnThePrimary() {
        CountingDataSource replica = new CountingDataSource(db.dataSource());
        try (Ashlar routed = Ashlar.builder().dataSource(db.dataSource()).dataSource("replica", replica)
                .domain(TypedBlog.DOMAIN).install(new PluginHooksTest.ReplicaRouting("replica")).build()) {
            routed.read("post").list();
            long byName = replica.borrowed.get();
            routed.read(Post.POSTS).where(Post.RATING.gt(1)).list();
            routed.read(Post.POSTS).count();

            assertThat(byName).isEqualTo(1);
            assertThat(replica.borrowed.get()).as("each typed read on the replica, as the string read").isEqualTo(3);
            routed.read(Post.POSTS).where(Post.ID.eq(1)).updateAll(Post.RATING.set(1));
            routed.transaction(tx -> tx.read(Post.POSTS).lock(Lock.FOR_UPDATE).list());
            assertThat(replica.borrowed.get()).as("a typed write and a locking read stay on the primary").isEqualTo(3);
        }
    }

    @Test
    void aTypedCreateOrUpsertOfManyReturnsOnlyKeysWhenAskedAsTheStringFormDoes() {
        List<User> keys = ashlar.createAll(User.USERS, List.of(new User(null, "cy@example.com", "Cy")), Returning.KEYS);
        List<User> upserted = ashlar.upsert(User.USERS, List.of(new User(null, "ada@example.com", "Ada L."),
                new User(null, "di@example.com", "Di")), User.UNIQUE_EMAIL.update(User.NAME), Returning.KEYS);

        assertThat(keys).extracting(User::id).doesNotContainNull();
        assertThat(keys).extracting(User::email, User::name).containsExactly(org.assertj.core.groups.Tuple.tuple(null, null));
        assertThat(upserted).extracting(User::id).hasSize(2).contains(ada.id()).doesNotContainNull();
        assertThat(upserted).extracting(User::name).containsOnlyNulls();
        assertThat(db.value("SELECT name FROM users WHERE email = 'ada@example.com'")).isEqualTo("Ada L.");
        assertThat(db.value("SELECT count(*) FROM users")).isEqualTo(4L);
    }

    @Test
    void aTypedUpsertOnThePrimaryKeyOverwritesTheRecordWithThatKey() {
        Post hello = ashlar.get(Post.POSTS, 1);
        List<Post> written = ashlar.upsert(Post.POSTS, List.of(new Post(1, "Hello!", 9, null, List.of(), null, null,
                hello.authorId()), new Post(10, "New", 1, null, List.of(), null, null, bob.id())),
                Post.POSTS.primaryKey().update(Post.TITLE, Post.RATING));

        assertThat(written).extracting(Post::id, Post::title).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "Hello!"), org.assertj.core.groups.Tuple.tuple(10, "New"));
        assertThat(db.value("SELECT rating FROM posts WHERE id = 1")).isEqualTo(9);
        assertThat(ashlar.read(Post.POSTS).count()).isEqualTo(5);
    }

    @Test
    void aTypedCreateTakesFieldsTheServerComputesInTheInsertAsTheStringFormDoes() {
        Post typed = ashlar.create(Post.POSTS, new Post(null, "Counted", 1, null, List.of(), null, null, ada.id()),
                Post.RATING.setSql("(SELECT count(*) FROM posts WHERE author_id = ?)", ada.id()));
        Row strings = ashlar.create("post", Map.of("title", "By name", "author_id", ada.id(),
                "rating", dev.ashlar.api.query.Atomic.sql("(SELECT count(*) FROM posts WHERE author_id = ?)", ada.id())));

        assertThat(typed.rating()).as("the two posts of ada's seeded, the new one not yet stored").isEqualTo(2);
        assertThat(strings.get("rating")).isEqualTo(3);
        assertThat(db.value("SELECT rating FROM posts WHERE title = 'Counted'")).isEqualTo(2);
    }

    @Test
    void thePrimaryKeyAsAConflictTargetIsRefusedAsAnIdentityOfAResource() {
        assertThatThrownBy(() -> Post.POSTS.builder().table("posts").add(Post.ID, Post.POSTS.primaryKey()).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("post")
                .hasMessageContaining("use primaryKey() only for an upsert's conflict");
    }

    @Test
    void aTypedUpsertReturnsTheStoredRecordsAConflictKeptWhenAskedAsTheStringFormDoes() {
        List<User> typed = ashlar.upsert(User.USERS, List.of(new User(null, "ada@example.com", "Other"),
                new User(null, "cy@example.com", "Cy")), User.UNIQUE_EMAIL.doNothing().returnSkipped());
        User one = ashlar.upsert(User.USERS, new User(null, "bob@example.com", "Robert"),
                User.UNIQUE_EMAIL.doNothing().returnSkipped());

        assertThat(typed).extracting(User::name).containsExactly("Cy", "Ada");
        assertThat(one).isEqualTo(bob);
        assertThat(db.value("SELECT count(*) FROM users")).isEqualTo(3L);
    }

    @Test
    void aTypedBulkUpsertStoresEveryRecordItCanAndReportsTheOthers() {
        BulkResult result = ashlar.upsert(Post.POSTS, List.of(new Post(1, "Kept", 1, null, List.of(), null, null,
                ada.id()), new Post(11, "x".repeat(40), 1, null, List.of(), null, null, ada.id())),
                Post.POSTS.primaryKey().updateAll(), Bulk.collectErrors());

        assertThat(result.rows(Post.class)).extracting(Post::title).containsExactly("Kept");
        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(1);
        assertThat(db.value("SELECT title FROM posts WHERE id = 1")).isEqualTo("Kept");
    }

    @Test
    void relationshipsLoadOntoTypedRecordsInHandAsViews() {
        List<Post> posts = ashlar.read(Post.POSTS).where(Post.ID.in(List.of(1, 2))).sort(Post.ID.asc()).list();

        List<PostView> views = ashlar.load(Post.POSTS, posts, PostView.class, Post.AUTHOR,
                Post.COMMENTS.then(Comment.AUTHOR));

        assertThat(views).isEqualTo(ashlar.load(ashlar.read("post").where(in("id", List.of(1, 2)))
                .sort(Sort.asc("id")).list(), "author", "comments.author").stream().map(row -> row.as(PostView.class)).toList());
        assertThat(views).extracting(view -> view.author().map(User::name).orElse(null)).containsExactly("Ada", "Bob");
        assertThat(views.get(0).comments()).hasSize(2);
    }

    @Test
    void typedUpdatesAndDestroysByQueryChangeTheSameRowsAsByName() {
        assertThat(ashlar.read(Post.POSTS).where(Post.RATING.isNil()).destroyAll(Returning.ROWS))
                .extracting(Post::title).containsExactly("Quiet");
        List<Post> raised = ashlar.read(Post.POSTS).where(Post.AUTHOR_ID.eq(ada.id()))
                .updateAll(Post.RATING.add(1), Post.TITLE.setSql("title || ?", "!"));
        List<Row> byName = ashlar.read("post").where(eq("author_id", bob.id()))
                .updateAll(Map.of("rating", dev.ashlar.api.query.Atomic.add(1)), Returning.KEYS);

        assertThat(raised).extracting(Post::title).containsExactlyInAnyOrder("Hello!", "hello again!");
        assertThat(byName).extracting(row -> row.get("id")).containsExactly(2);
        assertThat(db.query("SELECT rating FROM posts ORDER BY id")).extracting(row -> row.get("rating"))
                .containsExactly(6, 3, 4);
    }
}
