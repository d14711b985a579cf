package dev.ashlar.kernel.data;

import dev.ashlar.spi.plugin.Router;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Operation;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ashlar.kernel.data.RelationshipDomain.comments;
import static dev.ashlar.kernel.data.RelationshipDomain.post;
import static dev.ashlar.kernel.data.RelationshipDomain.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelationshipLoadTest {
    private CountingDataSource counting;
    private Ashlar ashlar;
    private Row ada;
    private Row bob;
    private Row first;
    private Row second;

    record UserView(Integer id, String name) {
    }

    record CommentView(Integer id, Integer rating, Optional<UserView> author) {
    }

    record PostView(Integer id, String title, UserView author, List<CommentView> comments) {
    }

    @BeforeAll
    void start(TestDatabase db) {
        counting = new CountingDataSource(db.dataSource());
        ashlar = RelationshipDomain.migratedAndCounted(db, counting);
        ada = user(ashlar, "Ada");
        bob = user(ashlar, "Bob");
        ashlar.create("profile", Map.of("bio", "mathematician", "user_id", ada.get("id")));
        first = post(ashlar, ada, "first");
        second = post(ashlar, bob, "second");
        comments(ashlar, first, bob, 5, 3, 4);
        comments(ashlar, second, ada, 1);
        Row java = ashlar.create("tag", Map.of("name", "java"));
        Row sql = ashlar.create("tag", Map.of("name", "sql"));
        ashlar.createAll("post_tag", List.of(Map.of("post_id", first.get("id"), "tag_id", java.get("id")),
                Map.of("post_id", first.get("id"), "tag_id", sql.get("id")),
                Map.of("post_id", second.get("id"), "tag_id", sql.get("id"))));
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    private List<Row> posts(java.util.function.UnaryOperator<dev.ashlar.kernel.Read> shape) {
        return shape.apply(ashlar.read("post").where(Filter.in("id", List.of(first.get("id"), second.get("id"))))
                .sort(Sort.asc("id"))).list();
    }

    @Test
    void loadsTheRecordABelongsToPoints() {
        List<Row> posts = posts(read -> read.load("author"));

        assertThat(posts).extracting(p -> p.relatedOne("author").orElseThrow().getString("name"))
                .containsExactly("Ada", "Bob");
    }

    @Test
    void aReadThatSelectsSomeFieldsAlsoReadsTheKeysItsLoadsStartFrom() {
        List<Row> posts = posts(read -> read.select("title").load("author").load("comments"));

        assertThat(posts).extracting(p -> p.relatedOne("author").orElseThrow().getString("name"))
                .containsExactly("Ada", "Bob");
        assertThat(posts.get(0).fields()).containsExactly("id", "title", "author_id");
        assertThat(posts.get(0).related("comments")).hasSize(3);
        List<Row> comments = ashlar.read("comment").where(Filter.eq("rating", 1)).select("body")
                .load("post", p -> p.load("author")).list();
        assertThat(comments.get(0).relatedOne("post").orElseThrow().relatedOne("author").orElseThrow()
                .getString("name")).isEqualTo("Bob");
        List<Row> titles = posts(read -> read.select("title"));
        assertThatThrownBy(() -> ashlar.load(titles, "author")).isInstanceOf(QueryException.class)
                .hasMessageContaining("starts from their 'author_id', which these rows do not hold", "select(");
    }

    @Test
    void loadsAHasOneAndLeavesItEmptyWhereThereIsNone() {
        List<Row> users = ashlar.read("user").sort(Sort.asc("id")).load("profile").list();

        assertThat(users.get(0).relatedOne("profile")).map(p -> p.getString("bio")).contains("mathematician");
        assertThat(users.get(1).relatedOne("profile")).isEmpty();
    }

    @Test
    void loadsAHasManyInTheLoadsOrder() {
        List<Row> posts = posts(read -> read.load("comments", c -> c.sort(Sort.desc("rating"))));

        assertThat(posts.get(0).related("comments")).extracting(c -> c.getInteger("rating")).containsExactly(5, 4, 3);
        assertThat(posts.get(1).related("comments")).extracting(c -> c.getInteger("rating")).containsExactly(1);
    }

    @Test
    void eachParentGetsItsOwnRowsInTheLoadsOrderWhateverOrderTheyWereWrittenIn() {
        List<List<Integer>> ratings = ashlar.transaction(tx -> {
            Row third = post(tx, ada, "third");
            Row fourth = post(tx, bob, "fourth");
            for (int rating : new int[] {2, 7, 5, 1, 9, 4}) {
                comments(tx, rating % 2 == 0 ? third : fourth, ada, rating);
            }
            List<Row> posts = tx.read("post").where(Filter.in("id", List.of(third.get("id"), fourth.get("id"))))
                    .sort(Sort.desc("id")).load("comments", c -> c.sort(Sort.desc("rating"))).list();
            tx.setRollbackOnly();
            return posts.stream().map(p -> p.related("comments").stream().map(c -> c.getInteger("rating")).toList())
                    .toList();
        });

        assertThat(ratings).containsExactly(List.of(9, 7, 5, 1), List.of(4, 2));
    }

    @Test
    void loadsAManyToManyThroughItsJoinResource() {
        List<Row> posts = posts(read -> read.load("tags", t -> t.sort(Sort.asc("name"))));

        assertThat(posts.get(0).related("tags")).extracting(t -> t.getString("name")).containsExactly("java", "sql");
        assertThat(posts.get(1).related("tags")).extracting(t -> t.getString("name")).containsExactly("sql");
    }

    @Test
    void loadsWithAFilterOfItsOwn() {
        List<Row> posts = posts(read -> read.load("comments", c -> c.where(Filter.gte("rating", 4))
                .sort(Sort.asc("rating"))));

        assertThat(posts.get(0).related("comments")).extracting(c -> c.getInteger("rating")).containsExactly(4, 5);
        assertThat(posts.get(1).related("comments")).isEmpty();
    }

    @Test
    void limitsTheRelatedRecordsOfEachParent() {
        List<Row> posts = posts(read -> read.load("comments", c -> c.sort(Sort.desc("rating")).limit(2)));

        assertThat(posts.get(0).related("comments")).extracting(c -> c.getInteger("rating")).containsExactly(5, 4);
        assertThat(posts.get(1).related("comments")).extracting(c -> c.getInteger("rating")).containsExactly(1);
    }

    @Test
    void pagesTheRelatedRecordsOfEachParentWithAnOffset() {
        List<Row> page = posts(read -> read.load("comments", c -> c.sort(Sort.desc("rating")).offset(1).limit(1)));
        List<Row> rest = posts(read -> read.load("comments", c -> c.sort(Sort.desc("rating")).offset(1)));
        List<Row> tags = posts(read -> read.load("tags", t -> t.sort(Sort.asc("name")).offset(1)));

        assertThat(page.get(0).related("comments")).extracting(c -> c.getInteger("rating")).containsExactly(4);
        assertThat(page.get(1).related("comments")).as("a parent with fewer rows than the offset").isEmpty();
        assertThat(rest.get(0).related("comments")).extracting(c -> c.getInteger("rating")).containsExactly(4, 3);
        assertThat(tags.get(0).related("tags")).extracting(t -> t.getString("name")).containsExactly("sql");
        assertThat(tags.get(1).related("tags")).isEmpty();
        assertThatThrownBy(() -> Load.of("comments").offset(-1)).isInstanceOf(QueryException.class)
                .hasMessageContaining("skips -1 related records");
    }

    @Test
    void limitsTheRecordsOfEachParentThroughAJoinResource() {
        List<Row> posts = posts(read -> read.load("tags", t -> t.sort(Sort.desc("name")).limit(1)));

        assertThat(posts).extracting(p -> p.related("tags").get(0).getString("name")).containsExactly("sql", "sql");
        assertThat(posts.get(0).related("tags")).hasSize(1);
    }

    @Test
    void loadsNestedRelationshipsByPathOrByShape() {
        List<Row> byPath = posts(read -> read.load("comments.author"));
        List<Row> byShape = posts(read -> read.load("comments", c -> c.load("author", a -> a.load("profile"))));

        assertThat(byPath.get(0).related("comments")).extracting(c -> c.relatedOne("author").orElseThrow()
                .getString("name")).containsOnly("Bob");
        Row adaAsCommenter = byShape.get(1).related("comments").get(0).relatedOne("author").orElseThrow();
        assertThat(adaAsCommenter.relatedOne("profile")).map(p -> p.getString("bio")).contains("mathematician");
    }

    @Test
    void mapsLoadedRelationshipsOntoRecordComponents() {
        List<PostView> posts = ashlar.read("post").where(Filter.eq("id", first.get("id")))
                .load("author").load("comments", c -> c.sort(Sort.asc("rating")).load("author"))
                .list(PostView.class);

        PostView post = posts.get(0);
        assertThat(post.author().name()).isEqualTo("Ada");
        assertThat(post.comments()).extracting(CommentView::rating).containsExactly(3, 4, 5);
        assertThat(post.comments().get(0).author()).map(UserView::name).contains("Bob");
    }

    @Test
    void loadsEveryLevelInOneStatementWhateverTheNumberOfParents() {
        List<Map<String, ?>> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(Map.of("title", "bulk " + i, "author_id", bob.get("id")));
        }
        for (Row post : ashlar.createAll("post", records)) {
            comments(ashlar, post, ada, 1, 2);
        }
        counting.take();

        List<Row> posts = ashlar.read("post").where(Filter.like("title", "bulk %")).load("comments.author").list();

        assertThat(counting.take()).hasSize(3);
        assertThat(posts).hasSize(100).allSatisfy(p -> assertThat(p.related("comments")).hasSize(2)
                .allSatisfy(c -> assertThat(c.relatedOne("author")).map(a -> a.getString("name")).contains("Ada")));
    }

    @Test
    void aReadAndTheLoadsOfItsRelationshipsBorrowOneConnection() {
        counting.borrowed.set(0);

        List<Row> posts = ashlar.read("post").load("comments.author").load("author").list();

        assertThat(posts).isNotEmpty();
        assertThat(counting.borrowed.get()).isEqualTo(1);
    }

    /** Sends reads of comments to the data source named "replica". */
    static final class CommentReplica implements AshlarPlugin, Router {
        @Override
        public String id() {
            return "comment-replica";
        }

        @Override
        public Optional<String> route(Resource resource, Operation operation) {
            return resource.name().equals("comment") && operation == Operation.READ ? Optional.of("replica")
                    : Optional.empty();
        }
    }

    record Rated(Integer rating) {
    }

    record PostRatings(String title, List<Rated> comments) {
    }

    @Test
    void loadsGoWhereTheRoutingHookSendsTheirResource(TestDatabase db) {
        CountingDataSource replica = new CountingDataSource(db.dataSource());
        try (Ashlar routed = Ashlar.builder().dataSource(db.dataSource()).dataSource("replica", replica)
                .domain(RelationshipDomain.DOMAIN).install(new CommentReplica()).build()) {
            List<Row> posts = routed.read("post").where(Filter.eq("id", first.get("id"))).load("comments").list();

            assertThat(posts.get(0).related("comments")).hasSize(3);
            assertThat(replica.take()).singleElement().asString().contains("\"comments\"");
            assertThat(routed.read("post").where(Filter.eq("id", first.get("id"))).load("comments")
                    .list(PostRatings.class)).singleElement().extracting(p -> p.comments().size()).isEqualTo(3);
            assertThat(replica.take()).as("records, too").singleElement().asString().contains("\"comments\"");
        }
    }

    @Test
    void refusesARelationshipThatDoesNotExist() {
        assertThatThrownBy(() -> ashlar.read("post").load("reviews").list())
                .isInstanceOf(AshlarException.class)
                .hasMessageContaining("no relationship, aggregate or calculation 'reviews'")
                .hasMessageContaining("comments")
                .satisfies(e -> assertThat(((AshlarException) e).code()).isEqualTo(ErrorCode.INVALID_QUERY));
    }

    @Test
    void saysWhichRelationshipWasNotLoaded() {
        Row post = ashlar.read("post").first().orElseThrow();

        assertThatThrownBy(() -> post.related("comments")).isInstanceOf(AshlarException.class)
                .hasMessageContaining(".load(\"comments\")");
    }

    @Test
    void loadsRelationshipsOnRowsAlreadyInHandAsAReadWithTheLoadWould() {
        List<Row> plain = posts(read -> read);
        counting.take();

        List<Row> loaded = ashlar.load(plain, "author", "comments");

        assertThat(counting.take()).as("one statement per relationship").hasSize(2);
        assertThat(loaded).extracting(p -> p.relatedOne("author").orElseThrow().getString("name"))
                .containsExactly("Ada", "Bob");
        assertThat(loaded.get(0).related("comments")).hasSize(3);
        assertThat(loaded).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(posts(read -> read.load("author").load("comments")));
        assertThat(ashlar.load(ada, "profile").relatedOne("profile")).map(p -> p.getString("bio"))
                .contains("mathematician");
        assertThatThrownBy(() -> ashlar.load(List.of(ada, first), "profile")).isInstanceOf(AshlarException.class)
                .hasMessageContaining("rows of one resource");
    }

    @Test
    void aComputedFieldIsReadOnEachRowSortedByAndMappedOntoRecords() {
        record Counted(String title, Long commentCount, String shout) {
        }
        dev.ashlar.kernel.Read read = ashlar.read("post").where(Filter.in("id", List.of(first.get("id"), second.get("id"))))
                .compute("comment_count", Long.class,
                        "SELECT count(*) FROM comments c WHERE c.post_id = posts.id")
                .compute("shout", String.class, "upper(title) || '!'")
                .sort(Sort.desc("comment_count"));

        assertThat(read.list()).extracting(r -> r.getString("title") + ":" + r.get("comment_count"))
                .containsExactly("first:3", "second:1");
        assertThat(read.list(Counted.class)).containsExactly(new Counted("first", 3L, "FIRST!"),
                new Counted("second", 1L, "SECOND!"));
        assertThatThrownBy(() -> ashlar.read("post").compute("title", String.class, "'x'").list())
                .isInstanceOf(AshlarException.class).hasMessageContaining("has the name of an attribute");
    }

    @Test
    void aLoadThatSelectsReadsThoseFieldsWithTheKeysAndLeavesTheOthersOut() {
        counting.take();

        List<Row> posts = ashlar.read("post").sort(Sort.asc("id"))
                .load("comments", c -> c.select("rating").where(Filter.gt("rating", 3)).sort(Sort.desc("rating")))
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
                .load("tags", t -> t.select("name").sort(Sort.asc("name")))
                .first().orElseThrow();

        Row author = post.relatedOne("author").orElseThrow();
        assertThat(author.fields()).containsExactly("id", "name");
        Row profile = author.relatedOne("profile").orElseThrow();
        assertThat(profile.getString("bio")).isEqualTo("mathematician");
        assertThat(profile.fields()).containsExactly("id", "bio", "user_id");
        assertThat(post.related("tags")).extracting(t -> t.getString("name")).containsExactly("java", "sql");
        assertThat(post.related("tags").get(0).fields()).containsExactly("id", "name");
    }

    @Test
    void aLoadSelectingAFieldTheRelatedResourceLacksIsRefusedNamingIt() {
        assertThatThrownBy(() -> ashlar.read("post").load("comments", c -> c.select("stars")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("stars").hasMessageContaining("comment");
    }
}
