package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Condition;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.TypedBlog.Comment;
import dev.ashlar.kernel.data.TypedBlog.Post;
import dev.ashlar.kernel.data.TypedBlog.PostView;
import dev.ashlar.kernel.data.TypedBlog.Status;
import dev.ashlar.kernel.data.TypedBlog.Tag;
import dev.ashlar.kernel.data.TypedBlog.User;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static dev.ashlar.api.query.Filter.Operator.GTE;
import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.varchar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every action through the typed API, on PostgreSQL: records in, records out, the same queries as the string API. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypedApiTest {
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
    }

    private Post post(String title, Integer rating, User author, String... tags) {
        return ashlar.create(Post.POSTS, new Post(null, title, rating, null, List.of(tags), null, null, author.id()));
    }

    @Test
    void createTakesARecordAndReturnsItAsStoredWithDefaultsAndKeys() {
        Post created = ashlar.create(Post.POSTS, new Post(null, "Hello", 4, null, List.of("java"),
                new BigDecimal("9.50"), Instant.parse("2026-01-01T10:00:00Z"), ada.id()));

        assertThat(created.id()).isEqualTo(1);
        assertThat(created.status()).isEqualTo(Status.DRAFT);
        assertThat(created.tags()).containsExactly("java");
        assertThat(created.price()).isEqualByComparingTo("9.50");
        assertThat(ada.id()).isNotNull();
        assertThat(db.query("SELECT title, status, author_id::text FROM posts WHERE id = 1").get(0).values())
                .containsExactly("Hello", "DRAFT", ada.id().toString());
    }

    @Test
    void createAllStoresRecordsInOneGoAndReturnsThemInInputOrder() {
        List<Comment> comments = ashlar.createAll(Comment.COMMENTS, List.of(
                new Comment(null, "First", 5, post("A", 1, ada).id(), bob.id()),
                new Comment(null, "Second", null, 1, null)));

        assertThat(comments).extracting(Comment::id, Comment::body, Comment::rating)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "First", 5),
                        org.assertj.core.groups.Tuple.tuple(2, "Second", null));
        assertThat(db.value("SELECT count(*) FROM comments WHERE post_id = 1")).isEqualTo(2L);
    }

    @Test
    void upsertUpdatesTheNamedFieldsOnATakenIdentityOrKeepsTheStoredRecord() {
        List<User> written = ashlar.upsert(User.USERS, List.of(new User(null, "ada@example.com", "Ada Lovelace"),
                new User(null, "cy@example.com", "Cy")), User.UNIQUE_EMAIL.update(User.NAME));

        assertThat(written).extracting(User::name).containsExactly("Ada Lovelace", "Cy");
        assertThat(written.get(0).id()).isEqualTo(ada.id());
        List<User> kept = ashlar.upsert(User.USERS, List.of(new User(null, "bob@example.com", "Robert")),
                User.UNIQUE_EMAIL.doNothing());
        assertThat(kept).isEmpty();
        assertThat(db.value("SELECT name FROM users WHERE email = 'bob@example.com'")).isEqualTo("Bob");
    }

    @Test
    void typedAtomicChangesAggregatesAndFieldComparisonsRunOnTheServer() {
        Post first = post("First", 2, ada);
        post("Second", 7, bob);

        ashlar.read(Post.POSTS).where(Post.ID.eq(first.id())).updateAll(Post.RATING.add(5));
        Post raised = ashlar.update(Post.POSTS, ashlar.get(Post.POSTS, first.id()), Post.RATING.subtract(1));

        assertThat(raised.rating()).isEqualTo(6);
        assertThat(ashlar.read(Post.POSTS).sum(Post.RATING)).isEqualTo(13L);
        assertThat(ashlar.read(Post.POSTS).max(Post.RATING)).isEqualTo(7);
        assertThat(ashlar.read(Post.POSTS).where(Post.RATING.gt(Post.ID)).list()).extracting(Post::title)
                .containsExactlyInAnyOrder("First", "Second");
        assertThat(ashlar.read(Post.POSTS).where(Post.ID.gte(Post.RATING)).count()).isZero();
        Post same = post("Same", 3, bob);
        post("Unrated", null, bob);
        assertThat(ashlar.read(Post.POSTS).where(Post.RATING.eq(Post.ID)).list()).extracting(Post::title)
                .containsExactly("Same");
        assertThat(ashlar.read(Post.POSTS).where(Post.RATING.ne(Post.ID)).list()).as("null on one side: no match")
                .extracting(Post::title).containsExactlyInAnyOrder("First", "Second");
        ashlar.destroy(Post.POSTS, same);
        ashlar.read(Post.POSTS).where(Post.RATING.isNil()).destroyAll();
        assertThat(ashlar.read(Post.POSTS).where(Post.TITLE.contains("eco")).list()).extracting(Post::title)
                .containsExactly("Second");
        post("Third", 7, ada);
        assertThat(ashlar.read(Post.POSTS).distinct(Post.RATING).sort(Post.TITLE.desc()).list())
                .extracting(Post::title).containsExactly("Third", "First");
        assertThat(ashlar.read(Post.POSTS).distinct(Post.RATING).distinctSort(Post.TITLE.asc()).sort(Post.TITLE.desc())
                .list()).extracting(Post::title).containsExactly("Second", "First");
    }

    @Test
    void typedTextFieldsMatchButForCaseAlsoThroughARelationshipPath() {
        post("Hello_World", 2, ada);
        post("say hello", 3, bob);

        assertThat(ashlar.read(Post.POSTS).where(Post.TITLE.eqIgnoreCase("HELLO_WORLD")).list())
                .extracting(Post::title).containsExactly("Hello_World");
        assertThat(ashlar.read(Post.POSTS).where(Post.TITLE.containsIgnoreCase("HELLO")).count()).isEqualTo(2);
        assertThat(ashlar.read(Post.POSTS).where(Post.TITLE.startsWithIgnoreCase("hello_")).count()).isOne();
        assertThat(ashlar.read(Post.POSTS).where(Post.TITLE.endsWithIgnoreCase("HELLO")).list())
                .extracting(Post::title).containsExactly("say hello");
        assertThat(ashlar.read(User.USERS).where(User.EMAIL.eqIgnoreCase("ADA@Example.COM")).list())
                .extracting(User::name).containsExactly("Ada");
        assertThat(ashlar.read("post").where(Filter.eqIgnoreCase("author.email", "BOB@EXAMPLE.COM")).list())
                .extracting(row -> row.getString("title")).containsExactly("say hello");
    }

    @Test
    void aTypedUpdateCountReturnsHowManyRecordsItChanged() {
        post("First", 2, ada);
        post("Second", 3, bob);
        post("Third", 3, ada);

        assertThat(ashlar.read(Post.POSTS).where(Post.RATING.eq(3)).updateCount(Post.RATING.set(4))).isEqualTo(2);
        assertThat(db.value("SELECT string_agg(title, ',' ORDER BY id) FROM posts WHERE rating = 4"))
                .isEqualTo("Second,Third");
    }

    @Test
    void aTypedReadGroupsByFieldsWithValuesNamedAsAsked() {
        post("First", 2, ada);
        post("Second", 7, bob);
        post("Third", 4, ada);

        List<dev.ashlar.api.data.Row> groups = ashlar.read(Post.POSTS).groupBy(Post.AUTHOR_ID).count("posts")
                .sum("rating", "total").sort(dev.ashlar.api.query.Sort.desc("total")).list();

        assertThat(groups).extracting(row -> row.get("author_id") + ":" + row.get("posts") + ":" + row.get("total"))
                .containsExactly(bob.id() + ":1:7", ada.id() + ":2:6");
    }

    @Test
    void aTypedGroupedReadFiltersAValueByConditionsAndAddsSubtotalsWithTheirLevel() {
        post("First", 2, ada);
        post("Second", 7, bob);
        post("Third", 4, ada);
        ashlar.read(Post.POSTS).where(Post.TITLE.eq("Third")).updateCount(Post.STATUS.set(Status.PUBLISHED));

        List<dev.ashlar.api.data.Row> groups = ashlar.read(Post.POSTS).groupBy(Post.AUTHOR_ID).count("posts")
                .count("published").filterWhere(Post.STATUS.eq(Status.PUBLISHED))
                .sum("rating", "high").filterWhere(Post.RATING.gt(3)).rollup().grouping("level")
                .sort(dev.ashlar.api.query.Sort.asc("level"), dev.ashlar.api.query.Sort.desc("posts")).list();

        assertThat(groups).extracting(row -> row.get("author_id") + ":" + row.get("posts") + ":"
                + row.get("published") + ":" + row.get("high") + ":" + row.get("level"))
                .containsExactly(ada.id() + ":2:1:4:0", bob.id() + ":1:0:7:0", "null:3:1:11:1");
        assertThat(ashlar.read(Post.POSTS).groupBy(Post.AUTHOR_ID, Post.STATUS).count("posts").cube()
                .grouping("level").having(Filter.eq("level", 3)).list())
                .extracting(row -> row.get("posts")).containsExactly(3L);
    }

    @Test
    void getReturnsTheRecordWithThatKeyOrSaysItIsNotFound() {
        Post created = post("Found", 3, ada);

        assertThat(ashlar.get(Post.POSTS, created.id())).isEqualTo(created);
        assertThatThrownBy(() -> ashlar.get(Post.POSTS, 404))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void updateAppliesTypedChangesOrTheNamedFieldsOfAChangedRecord() {
        Post created = post("Draft", 1, ada);

        Post published = ashlar.update(Post.POSTS, created, Post.STATUS.set(Status.PUBLISHED), Post.RATING.set(5));
        Post renamed = ashlar.update(Post.POSTS, new Post(created.id(), "Renamed", 2, Status.DRAFT, List.of(), null,
                null, ada.id()), Post.TITLE);

        assertThat(published.status()).isEqualTo(Status.PUBLISHED);
        assertThat(published.rating()).isEqualTo(5);
        assertThat(renamed.title()).isEqualTo("Renamed");
        assertThat(renamed.rating()).as("fields not named are not written").isEqualTo(5);
        assertThat(db.query("SELECT title, rating, status FROM posts").get(0).values()).containsExactly("Renamed", 5, "PUBLISHED");
    }

    @Test
    void anUpdateWritesEveryChangeItNamesEvenWhenTheRecordAlreadyHeldThatValue() {
        post("Rated", 4, ada);
        Post selected = ashlar.read(Post.POSTS).select(Post.TITLE).first().orElseThrow();

        Post cleared = ashlar.update(Post.POSTS, selected, Post.RATING.set(null));

        assertThat(selected.rating()).isNull();
        assertThat(cleared.rating()).isNull();
        assertThat(cleared.title()).isEqualTo("Rated");
        assertThat(db.value("SELECT rating FROM posts")).isNull();
    }

    @Test
    void destroyDeletesTheRecordsRow() {
        Post created = post("Gone", 1, ada);

        ashlar.destroy(Post.POSTS, created);

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
        assertThatThrownBy(() -> ashlar.destroy(Post.POSTS, created))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void readFiltersSortsAndLimitsWithConditionsMadeFromFields() {
        post("Java one", 5, ada, "java");
        post("Java two", 2, bob, "java", "sql");
        post("Sql", 4, bob, "sql");
        post("Unrated", null, ada);

        assertThat(titles(Post.TAGS.contains("java").and(Post.RATING.gte(3)))).containsExactly("Java one");
        assertThat(titles(Post.TITLE.ilike("java%").not())).containsExactly("Sql", "Unrated");
        assertThat(titles(Post.RATING.isNil().or(Post.RATING.in(List.of(2, 4))))).containsExactly("Java two", "Sql",
                "Unrated");
        assertThat(titles(Condition.all(Post.AUTHOR_ID.eq(bob.id()), Post.STATUS.eq(Status.DRAFT))))
                .containsExactly("Java two", "Sql");
        assertThat(ashlar.read(Post.POSTS).sort(Post.RATING.desc().nullsLast()).limit(2).offset(1).list())
                .extracting(Post::title).containsExactly("Sql", "Java two");
        assertThat(ashlar.read(Post.POSTS).where(Post.RATING.gt(3)).count()).isEqualTo(2);
        assertThat(ashlar.read(Post.POSTS).where(Post.TITLE.eq("Nope")).exists()).isFalse();
        assertThat(ashlar.read(Post.POSTS).where(Post.TITLE.like("S%")).first()).get().extracting(Post::rating)
                .isEqualTo(4);
    }

    @Test
    void typedNotInBetweenStartsWithEndsWithAndOneReadAsTheStringApiDoes() {
        post("50% off", 5, ada);
        post("500 off", 2, bob);
        post("a_b", 4, bob);
        post("Unrated", null, ada);

        assertThat(titles(Post.RATING.notIn(List.of(2, 5)))).containsExactly("a_b");
        assertThat(titles(Post.RATING.between(2, 4))).containsExactly("500 off", "a_b");
        assertThat(titles(Post.TITLE.startsWith("50%"))).containsExactly("50% off");
        assertThat(titles(Post.TITLE.endsWith("_b"))).containsExactly("a_b");
        assertThat(ashlar.read(Post.POSTS).where(Post.TITLE.startsWith("a_")).one()).get().extracting(Post::rating)
                .isEqualTo(4);
        assertThat(ashlar.read(Post.POSTS).select(Post.TITLE).where(Post.RATING.eq(2)).one()).get()
                .extracting(Post::title, Post::rating).containsExactly("500 off", null);
        assertThat(ashlar.read(Post.POSTS).where(Post.TITLE.eq("Nope")).one()).isEmpty();
        assertThatThrownBy(() -> ashlar.read(Post.POSTS).where(Post.AUTHOR_ID.eq(bob.id())).one())
                .isInstanceOf(AshlarException.class).hasMessageContaining("at most one post");
    }

    private List<String> titles(Condition<Post> condition) {
        return ashlar.read(Post.POSTS).where(condition).sort(Post.ID.asc()).list().stream().map(Post::title).toList();
    }

    @Test
    void keysetPaginationContinuesAfterAndBeforeARecordOfThePage() {
        for (int i = 1; i <= 5; i++) {
            post("Post " + i, i % 2, ada);
        }
        var read = ashlar.read(Post.POSTS).sort(Post.RATING.desc(), Post.ID.asc()).limit(2);

        List<Post> first = read.list();
        List<Post> second = read.after(first.get(1)).list();
        List<Post> back = read.before(second.get(0)).list();

        assertThat(first).extracting(Post::id).containsExactly(1, 3);
        assertThat(second).extracting(Post::id).containsExactly(5, 2);
        assertThat(back).extracting(Post::id).containsExactly(1, 3);
    }

    @Test
    void keysetPaginationBySortKeysThatRecordsShareReachesEveryRecordOnce() {
        for (int i = 1; i <= 5; i++) {
            post("Post " + i, i % 2, ada);
        }
        var read = ashlar.read(Post.POSTS).sort(Post.RATING.desc()).limit(2);

        List<Post> first = read.list();
        List<Post> second = read.after(first.get(1)).list();
        List<Post> third = read.after(second.get(1)).list();

        assertThat(first).extracting(Post::id).containsExactly(1, 3);
        assertThat(second).extracting(Post::id).containsExactly(5, 2);
        assertThat(third).extracting(Post::id).containsExactly(4);
        assertThat(read.before(second.get(0)).list()).extracting(Post::id).containsExactly(1, 3);
    }

    @Test
    void aRecordReadWithoutItsSortKeyGivesNoCursorRatherThanAWrongPage() {
        for (int i = 1; i <= 4; i++) {
            post("Post " + i, i, ada);
        }
        var read = ashlar.read(Post.POSTS).select(Post.TITLE).sort(Post.RATING.desc()).limit(2);
        List<Post> first = read.list();

        assertThatThrownBy(() -> read.after(first.get(1))).isInstanceOf(AshlarException.class)
                .hasMessageContaining("it selects no 'rating', so the record holds null")
                .hasMessageContaining("select it too");
        var both = read.select(Post.TITLE, Post.RATING);
        assertThat(both.after(both.list().get(1)).list()).extracting(Post::title).containsExactly("Post 2", "Post 1");
    }

    @Test
    void aCursorOverACountSortIsTakenFromARecordByItsKey() {
        Post one = post("One", 1, ada);
        Post two = post("Two", 2, ada);

        assertThat(ashlar.read(Post.POSTS).sort(Post.COMMENTS.countDesc()).after(one).list())
                .extracting(Post::title).contains("Two").doesNotContain("One");
        assertThat(ashlar.read(Post.POSTS).sort(Post.COMMENTS.countDesc()).before(two).list())
                .extracting(Post::title).contains("One").doesNotContain("Two");
    }

    @Test
    void selectReadsOnlyTheNamedFieldsAndLeavesTheOtherComponentsNull() {
        post("Selected", 5, ada, "java");

        Post read = ashlar.read(Post.POSTS).select(Post.TITLE).first().orElseThrow();

        assertThat(read.id()).isEqualTo(1);
        assertThat(read.title()).isEqualTo("Selected");
        assertThat(read.rating()).isNull();
        assertThat(read.tags()).isNull();
    }

    @Test
    void aLockingReadRunsInATransactionWithTheLockInItsQuery() {
        post("Locked", 1, ada);

        var read = ashlar.read(Post.POSTS).where(Post.ID.eq(1)).lock(Lock.FOR_UPDATE);
        List<Post> locked = ashlar.transaction(tx -> tx.read(Post.POSTS).where(Post.ID.eq(1)).lock(Lock.FOR_UPDATE)
                .list());

        assertThat(read.query().lock()).isEqualTo(Lock.FOR_UPDATE);
        assertThat(locked).extracting(Post::title).containsExactly("Locked");
    }

    @Test
    void loadsRelationshipsShapedWithTheDestinationsFieldsIntoViewRecords() {
        Post post = post("Loaded", 5, ada);
        ashlar.createAll(Comment.COMMENTS, List.of(new Comment(null, "Low", 1, post.id(), bob.id()),
                new Comment(null, "High", 5, post.id(), bob.id()), new Comment(null, "Mid", 3, post.id(), null)));

        List<PostView> views = ashlar.read(Post.POSTS)
                .load(Post.AUTHOR)
                .load(Post.COMMENTS, c -> c.where(Comment.RATING.gte(3)).sort(Comment.RATING.desc()).limit(2)
                        .load(Comment.AUTHOR))
                .list(PostView.class);

        PostView view = views.get(0);
        assertThat(view.author()).get().extracting(User::name).isEqualTo("Ada");
        assertThat(view.comments()).extracting(c -> c.body()).containsExactly("High", "Mid");
        assertThat(view.comments().get(0).author()).get().extracting(User::name).isEqualTo("Bob");
        assertThat(view.comments().get(1).author()).isEmpty();
    }

    record CommentRating(Integer rating) {
    }

    record PostRatings(String title, List<CommentRating> comments) {
    }

    @Test
    void aLoadSelectsSomeOfTheDestinationsFieldsOntoAViewRecordOfThem() {
        Post post = post("Selected", 5, ada);
        ashlar.createAll(Comment.COMMENTS, List.of(new Comment(null, "Low", 1, post.id(), bob.id()),
                new Comment(null, "High", 5, post.id(), null)));

        List<PostRatings> views = ashlar.read(Post.POSTS)
                .load(Post.COMMENTS, c -> c.select(Comment.RATING).sort(Comment.RATING.desc()))
                .list(PostRatings.class);
        List<Row> rows = ashlar.read(Post.POSTS).load(Post.COMMENTS, c -> c.select(Comment.RATING)).rows();

        assertThat(views).singleElement().satisfies(view -> assertThat(view.comments())
                .extracting(CommentRating::rating).containsExactly(5, 1));
        assertThat(rows.get(0).related("comments")).allSatisfy(comment -> assertThat(comment.fields())
                .containsExactly("id", "rating", "post_id"));
        assertThatThrownBy(() -> ashlar.read(Post.POSTS).load(Post.COMMENTS, c -> c.select(Comment.RATING))
                .list(PostView.class)).hasMessageContaining("component 'body' matches no field")
                .hasMessageContaining("[id, rating, post_id]");
    }

    @Test
    void loadsAPathOfRelationshipsAndShapesItsLastStep() {
        Post post = post("Path", 5, ada);
        ashlar.create(Comment.COMMENTS, new Comment(null, "By Bob", 4, post.id(), bob.id()));

        List<Row> rows = ashlar.read(Post.POSTS)
                .load(Post.COMMENTS.then(Comment.AUTHOR), u -> u.where(User.NAME.eq("Nobody"))).rows();
        List<Row> loaded = ashlar.read(Post.POSTS).load(Post.COMMENTS.then(Comment.AUTHOR)).rows();

        assertThat(rows.get(0).related("comments").get(0).relatedOne("author")).isEmpty();
        assertThat(loaded.get(0).related("comments").get(0).relatedOne("author")).get()
                .extracting(author -> author.getString("name")).isEqualTo("Bob");
    }

    @Test
    void filtersAndSortsAcrossRelationshipsWithTheDestinationsFields() {
        Post popular = post("Popular", 1, ada);
        Post quiet = post("Quiet", 1, bob);
        post("Empty", 1, bob);
        ashlar.createAll(Comment.COMMENTS, List.of(new Comment(null, "a", 5, popular.id(), bob.id()),
                new Comment(null, "b", 5, popular.id(), null), new Comment(null, "c", 2, quiet.id(), ada.id())));

        assertThat(titles(Post.COMMENTS.any(Comment.RATING.gt(4)))).containsExactly("Popular");
        assertThat(titles(Post.COMMENTS.any().not())).containsExactly("Empty");
        assertThat(titles(Post.COMMENTS.count(Comment.RATING.gte(2), GTE, 2))).containsExactly("Popular");
        assertThat(titles(Post.AUTHOR.field(User.NAME).eq("Bob"))).containsExactly("Quiet", "Empty");
        assertThat(titles(Post.COMMENTS.then(Comment.AUTHOR).any(User.NAME.eq("Ada")))).containsExactly("Quiet");
        assertThat(ashlar.read(Post.POSTS).sort(Post.COMMENTS.countDesc(), Post.AUTHOR.field(User.NAME).asc(),
                Post.ID.asc()).list()).extracting(Post::title).containsExactly("Popular", "Quiet", "Empty");
        assertThat(ashlar.read(User.USERS).where(User.POSTS.any(Post.TITLE.eq("Popular"))).list())
                .extracting(User::name).containsExactly("Ada");
    }

    @Test
    void manyToManyRelationshipsLoadAndFilterThroughTheirJoinResource() {
        Post post = post("Tagged", 1, ada);
        post("Untagged", 1, ada);
        Tag java = ashlar.create(Tag.TAGS, new Tag(null, "java"));
        db.execute("INSERT INTO post_tags (post_id, tag_id) VALUES (" + post.id() + ", " + java.id() + ")");

        assertThat(titles(Post.LABELS.any(Tag.NAME.eq("java")))).containsExactly("Tagged");
        assertThat(ashlar.read(Post.POSTS).where(Post.ID.eq(post.id())).load(Post.LABELS).rows().get(0)
                .related("labels")).extracting(tag -> tag.getString("name")).containsExactly("java");
    }

    @Test
    void updateAllAndDestroyAllActOnTheRowsAReadSelects() {
        post("One", 1, ada);
        post("Two", 2, ada);
        post("Three", 3, bob);

        List<Post> published = ashlar.read(Post.POSTS).where(Post.AUTHOR_ID.eq(ada.id()))
                .updateAll(Post.STATUS.set(Status.PUBLISHED), Post.PRICE.set(BigDecimal.TEN));
        int destroyed = ashlar.read(Post.POSTS).where(Post.STATUS.eq(Status.DRAFT)).destroyAll();

        assertThat(published).extracting(Post::status).containsOnly(Status.PUBLISHED).hasSize(2);
        assertThat(destroyed).isEqualTo(1);
        assertThat(db.query("SELECT title, price FROM posts ORDER BY id")).extracting(row -> row.get("title"))
                .containsExactly("One", "Two");
    }

    @Test
    void aTenantHandleRunsTheTypedActionsForItsTenant() {
        Ashlar acme = ashlar.withTenant("acme");

        Post created = acme.create(Post.POSTS, new Post(null, "Tenant", 1, null, List.of(), null, null, ada.id()));
        var read = acme.read(Post.POSTS).where(Post.ID.eq(created.id()));

        assertThat(read.list()).containsExactly(created);
        assertThatThrownBy(() -> read.tenant("other").list()).as("a handle acts for its own tenant only")
                .hasMessageContaining("acts for tenant 'acme'");
        assertThat(ashlar.read(Post.POSTS).tenant("acme").where(Post.ID.eq(created.id())).query().tenant())
                .as("a handle without a tenant may name one per read").isEqualTo("acme");
    }

    @Test
    void aTypedReadBuildsTheSameQueryAsTheStringRead() {
        var typed = ashlar.read(Post.POSTS).where(Post.TITLE.eq("x").and(Post.RATING.gt(2)))
                .sort(Post.RATING.desc(), Post.ID.asc()).limit(10).select(Post.TITLE);
        var strings = ashlar.read("post").where(and(eq("title", "x"), gt("rating", 2)))
                .sort(Sort.desc("rating"), Sort.asc("id")).limit(10).select("title");

        assertThat(typed.query()).isEqualTo(strings.query());
    }

    @Test
    void aResourceBuiltFromTypedDeclarationsIsTheOneTheStringDslBuilds() {
        Resource strings = Resource.builder("comment").table("comments")
                .integerPrimaryKey("id")
                .attribute("body", TEXT, a -> a.notNull())
                .attribute("rating", INTEGER)
                .belongsTo("post", "post")
                .belongsTo("author", "user")
                .build();

        assertThat(Comment.RESOURCE).isEqualTo(strings);
        assertThat(TypedBlog.DOMAIN.resource("post").attribute("title")).get().extracting(a -> a.type())
                .isEqualTo(varchar(20));
    }

    /** A record of the post resource with a component the resource does not have. */
    record PostWithExtra(Integer id, String title, String subtitle) {
        static final dev.ashlar.api.typed.Table<PostWithExtra> POSTS =
                dev.ashlar.api.typed.Table.of("post", PostWithExtra.class);
    }

    @Test
    void aRecordComponentTheResourceDoesNotHaveIsReportedWithItsName() {
        post("Stored", 1, ada);

        assertThatThrownBy(() -> ashlar.create(PostWithExtra.POSTS, new PostWithExtra(null, "New", "more")))
                .isInstanceOf(AshlarException.class).hasMessageContaining("subtitle");
        assertThatThrownBy(() -> ashlar.read(PostWithExtra.POSTS).list())
                .isInstanceOf(AshlarException.class).hasMessageContaining("subtitle");
    }

    @Test
    void aValueTheColumnRefusesIsAFieldErrorNamingTheField() {
        assertThatThrownBy(() -> ashlar.create(Post.POSTS, new Post(null, "Way too long a title for it", null, null,
                List.of(), null, null, ada.id())))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.getMessage()).contains("title"));
    }

    @Test
    void aTypedGuardedUpdateAndADestroyAllReturnTheRecords() {
        Post hello = post("Hello", 1, ada);
        post("Other", 4, bob);

        Post rated = ashlar.update(Post.POSTS, hello, Post.RATING.lt(3), Post.RATING.set(2));
        assertThatThrownBy(() -> ashlar.update(Post.POSTS, rated, Post.RATING.gt(3), Post.RATING.set(9)))
                .isInstanceOf(dev.ashlar.api.error.StaleRecordException.class);
        List<Post> gone = ashlar.read(Post.POSTS).where(Post.RATING.gt(3)).destroyAll(Returning.ROWS);

        assertThat(rated.rating()).isEqualTo(2);
        assertThat(gone).extracting(Post::title).containsExactly("Other");
        assertThat(db.query("SELECT title, rating FROM posts")).extracting(r -> r.get("title") + " " + r.get("rating"))
                .containsExactly("Hello 2");
    }
    @Test
    void aNullConditionOrderOrFieldOfATypedReadIsRefusedNamingTheReadInsteadOfANullPointer() {
        post("Hello", 4, ada);
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> reads = List.of(
                () -> ashlar.read(Post.POSTS).where((Condition<Post>) null).list(),
                () -> ashlar.read(Post.POSTS).sort(Post.ID.asc(), null).list(),
                () -> ashlar.read(Post.POSTS).select(Post.TITLE, null).list(),
                () -> ashlar.read(Post.POSTS).distinct((dev.ashlar.api.typed.Field<Post, ?>) null).list(),
                () -> ashlar.read(Post.POSTS).groupBy((dev.ashlar.api.typed.Field<Post, ?>) null).count("n").list());

        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable read : reads) {
            assertThatThrownBy(read).isInstanceOfSatisfying(AshlarException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY);
                assertThat(e.resource()).contains("post");
            }).hasMessageContaining("post").hasMessageContaining("null");
        }
    }

    @Test
    void aNullConditionFieldOrRelationshipGivenToATypedConditionIsRefusedNamingTheCallInsteadOfANullPointer() {
        Condition<Post> rated = Post.RATING.gt(2);
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> conditions = List.of(
                () -> rated.and(null),
                () -> rated.or(null),
                () -> Condition.all(rated, null),
                () -> Post.RATING.eq((dev.ashlar.api.typed.Field<Post, Integer>) null),
                () -> Post.RATING.gt((dev.ashlar.api.typed.Field<Post, Integer>) null),
                () -> Post.COMMENTS.any(null),
                () -> Post.COMMENTS.count(null, GTE, 1),
                () -> Post.AUTHOR.field((dev.ashlar.api.typed.Field<User, String>) null),
                () -> Post.COMMENTS.then(null));

        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable condition : conditions) {
            assertThatThrownBy(condition).isInstanceOfSatisfying(AshlarException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY)).hasMessageContaining("given null");
        }
    }

    @Test
    void aNullAmongTheValuesOfATypedInOrNotInOrTheFieldsAnUpsertOverwritesIsRefusedInsteadOfANullPointer() {
        List<Integer> withNull = java.util.Arrays.asList(1, null);

        assertThatThrownBy(() -> Post.RATING.in(withNull)).isInstanceOfSatisfying(AshlarException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY);
            assertThat(e.field()).contains("rating");
        }).hasMessageContaining("in(\"rating\", ...) hold a null", "isNil(\"rating\")");
        assertThatThrownBy(() -> Post.RATING.notIn(withNull)).isInstanceOf(AshlarException.class)
                .hasMessageContaining("notIn(\"rating\", ...) hold a null", "NOT IN keeps no row");
        assertThatThrownBy(() -> Post.RATING.in(null)).isInstanceOf(AshlarException.class)
                .hasMessageContaining("in(\"rating\", ...) are null");
        assertThatThrownBy(() -> User.UNIQUE_EMAIL.update(User.NAME, null)).isInstanceOf(AshlarException.class)
                .hasMessageContaining("update was given null for its field to overwrite");
        assertThat(ashlar.read(Post.POSTS).where(Post.RATING.notIn(List.of(1, 2))).query())
                .isEqualTo(ashlar.read("post").where(dev.ashlar.api.query.Filter.notIn("rating", List.of(1, 2))).query());
    }

    @Test
    void aNullRecordInATypedWriteOfManyNamesItsPlaceAndNothingIsWritten() {
        List<Post> withGap = java.util.Arrays.asList(new Post(null, "one", 1, null, null, null, null, ada.id()), null);

        assertThatThrownBy(() -> ashlar.createAll(Post.POSTS, withGap)).isInstanceOfSatisfying(AshlarException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("A write of many post records was given null for record 2 of 2");
        assertThatThrownBy(() -> ashlar.upsert(Post.POSTS, withGap, null)).isInstanceOf(AshlarException.class)
                .hasMessageContaining("record 2 of 2");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }
}
