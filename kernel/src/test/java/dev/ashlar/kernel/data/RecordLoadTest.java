package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.ashlar.kernel.data.RelationshipDomain.comments;
import static dev.ashlar.kernel.data.RelationshipDomain.post;
import static dev.ashlar.kernel.data.RelationshipDomain.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A read whose result is records reads the related rows of the relationships its record takes as records straight
 * onto them; the records must be those the read's rows give, mapped one by one, refusals included.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordLoadTest {
    private CountingDataSource counting;
    private Ashlar ashlar;

    record UserView(Integer id, String name) {
    }

    record CommentView(Integer id, String body, Integer rating) {
    }

    record TagView(String name) {
    }

    record PostView(Integer id, String title, UserView author, List<CommentView> comments, List<TagView> tags) {
    }

    record PostTitle(String title) {
    }

    record AuthoredComment(Integer id, Optional<UserView> author, PostTitle post) {
    }

    record ProfileView(String bio) {
    }

    record UserWithPosts(String name, Optional<ProfileView> profile, List<PostTitle> posts) {
    }

    @BeforeAll
    void start(TestDatabase db) {
        counting = new CountingDataSource(db.dataSource());
        ashlar = RelationshipDomain.migratedAndCounted(db, counting);
        Row ada = user(ashlar, "Ada");
        Row bob = user(ashlar, "Bob");
        user(ashlar, "Cy");
        ashlar.create("profile", Map.of("bio", "mathematician", "user_id", ada.get("id")));
        Row first = post(ashlar, ada, "first");
        Row second = post(ashlar, bob, "second");
        post(ashlar, bob, "third");
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

    /** The records the read's rows give, mapped one by one, as records were made before they were read straight. */
    private static <R extends Record> List<R> mappedFromRows(Read read, Class<R> type) {
        return read.list().stream().map(row -> row.as(type)).toList();
    }

    @Test
    void relatedRecordsReadStraightAreThoseTheRowsGiveMappedOneByOne() {
        Read read = ashlar.read("post").sort(Sort.asc("id")).load("author")
                .load("comments", c -> c.sort(Sort.desc("rating"))).load("tags", t -> t.sort(Sort.asc("name")));
        counting.take();

        List<PostView> posts = read.list(PostView.class);

        assertThat(counting.take()).as("the posts, then one statement per relationship").hasSize(4);
        assertThat(posts).isEqualTo(mappedFromRows(read, PostView.class));
        assertThat(posts).extracting(PostView::title).containsExactly("first", "second", "third");
        assertThat(posts).extracting(p -> p.author().name()).containsExactly("Ada", "Bob", "Bob");
        assertThat(posts.get(0).comments()).extracting(CommentView::rating).containsExactly(5, 4, 3);
        assertThat(posts.get(0).comments().get(0).body()).isEqualTo("first rated 5");
        assertThat(posts.get(2).comments()).isEmpty();
        assertThat(posts).extracting(p -> p.tags().stream().map(TagView::name).toList())
                .containsExactly(List.of("java", "sql"), List.of("sql"), List.of());
        assertThatThrownBy(() -> posts.get(0).comments().add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void recordsThatBelongToTheSameRecordEachTakeIt() {
        Read read = ashlar.read("comment").sort(Sort.asc("id")).load("author").load("post");

        List<AuthoredComment> comments = read.list(AuthoredComment.class);

        assertThat(comments).isEqualTo(mappedFromRows(read, AuthoredComment.class));
        assertThat(comments).extracting(c -> c.author().orElseThrow().name() + " on " + c.post().title())
                .containsExactly("Bob on first", "Bob on first", "Bob on first", "Ada on second");
    }

    @Test
    void aFilterAndALimitPerParentKeepOnlyTheirRecords() {
        Read read = ashlar.read("post").sort(Sort.asc("id")).load("author").load("tags")
                .load("comments", c -> c.where(Filter.gt("rating", 1)).sort(Sort.asc("rating")).limit(2));

        List<PostView> posts = read.list(PostView.class);

        assertThat(posts).isEqualTo(mappedFromRows(read, PostView.class));
        assertThat(posts).extracting(p -> p.comments().stream().map(CommentView::rating).toList())
                .containsExactly(List.of(3, 4), List.of(), List.of());
    }

    @Test
    void aParentWithoutRelatedRecordsGetsNoneOrAnEmptyOptional() {
        Read read = ashlar.read("user").sort(Sort.asc("id")).load("profile")
                .load("posts", p -> p.sort(Sort.asc("id")));

        List<UserWithPosts> users = read.list(UserWithPosts.class);

        assertThat(users).isEqualTo(mappedFromRows(read, UserWithPosts.class));
        assertThat(users).extracting(u -> u.name() + ":" + u.profile().map(ProfileView::bio).orElse("-") + ":"
                + u.posts().stream().map(PostTitle::title).toList())
                .containsExactly("Ada:mathematician:[first]", "Bob:-:[second, third]", "Cy:-:[]");
    }

    record RatedBy(Integer rating, Optional<UserView> author) {
    }

    record PostWithBoth(String title, List<RatedBy> comments, List<TagView> tags) {
    }

    @Test
    void aLoadWithNestedLoadsBesideOneReadStraightGivesBoth() {
        Read read = ashlar.read("post").sort(Sort.asc("id"))
                .load("comments", c -> c.sort(Sort.asc("rating")).load("author")).load("tags");

        List<PostWithBoth> posts = read.list(PostWithBoth.class);

        assertThat(posts).isEqualTo(mappedFromRows(read, PostWithBoth.class));
        assertThat(posts.get(0).comments()).extracting(c -> c.rating() + " by " + c.author().orElseThrow().name())
                .containsExactly("3 by Bob", "4 by Bob", "5 by Bob");
        assertThat(posts.get(0).tags()).hasSize(2);
    }

    record BodyAsUuid(Integer id, UUID body) {
    }

    record PostWithBadComments(String title, List<BodyAsUuid> comments) {
    }

    record Nicknamed(Integer id, String nickname) {
    }

    record PostWithNicknamedComments(String title, List<Nicknamed> comments) {
    }

    @Test
    void aRelatedRecordThatCannotTakeItsRowIsRefusedAsTheRowsMappingRefusesIt() {
        Read read = ashlar.read("post").sort(Sort.asc("id")).load("comments");

        assertThatThrownBy(() -> read.list(PostWithBadComments.class)).isInstanceOf(QueryException.class)
                .hasMessageContaining("component 'body' (UUID)")
                .hasMessage(catchThrowable(() -> mappedFromRows(read, PostWithBadComments.class)).getMessage());
        assertThatThrownBy(() -> read.list(PostWithNicknamedComments.class)).isInstanceOf(QueryException.class)
                .hasMessageContaining("component 'nickname' matches no field")
                .hasMessage(catchThrowable(() -> mappedFromRows(read, PostWithNicknamedComments.class)).getMessage());
    }

    @Test
    void aLoadThatFindsNoRelatedRowsMapsNoneAndRefusesNothing() {
        Read read = ashlar.read("post").where(Filter.eq("title", "third")).load("comments");

        assertThat(read.list(PostWithNicknamedComments.class))
                .containsExactly(new PostWithNicknamedComments("third", List.of()));
    }
}
