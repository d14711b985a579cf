package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Values PostgreSQL cannot take, refused before any statement runs and naming the resource and field: AshPostgres's
 * cast_error_test (a filter value that is no uuid, on every path a filter reaches), encode_error_test (an integer past
 * bigint) and repertoire_error_test (a NUL character; Java's counterpart of invalid UTF-8 is a lone surrogate).
 */
class UnstorableValuesTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("unstorable")
            .resource(Resource.builder("post").table("posts").uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("score", BIGINT)
                    .hasMany("comments", "comment")
                    .count("count_of_comments", "comments")
                    .build())
            .resource(Resource.builder("comment").table("comments").uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("post", "post")
                    .build())
            .build();
    static final BigInteger PAST_BIGINT = BigInteger.ONE.shiftLeft(63);
    static final String NUL = "a\u0000b";
    static final String LONE_SURROGATE = "a\uD800b";

    private List<Row> posts;

    UnstorableValuesTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void twoPostsWithACommentEach() {
        db.execute("TRUNCATE comments, posts");
        posts = ashlar.createAll("post", List.of(Map.of("title", "one", "score", 1), Map.of("title", "two", "score", 2)));
        for (Row post : posts) {
            ashlar.create("comment", Map.of("title", "c", "post_id", post.get("id")));
        }
    }

    private static void refusedAsFilterValue(ThrowingCallable read, String resource, String field, String why) {
        assertThatThrownBy(read).isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY);
            assertThat(e.resource()).contains(resource);
            assertThat(e.field()).contains(field);
            assertThat(e.getMessage()).contains("Filter on " + resource + "." + field).contains(why);
            assertThat(e.sqlState()).isEmpty();
        });
    }

    private static void refusedAsChange(ThrowingCallable write, String action, String field, String why) {
        assertThatThrownBy(write).isInstanceOfSatisfying(InvalidDataException.class, e -> {
            assertThat(e.resource()).contains("post");
            assertThat(e.action()).isEqualTo(action);
            assertThat(e.errors()).singleElement().satisfies(f -> {
                assertThat(f.field()).isEqualTo(field);
                assertThat(f.message()).contains(why);
            });
        });
    }

    private List<String> storedTitles() {
        return db.query("SELECT title FROM posts ORDER BY title").stream().map(r -> (String) r.get("title")).toList();
    }

    @Test
    void aFilterValueThatIsNoUuidIsRefusedNamingTheFieldByCountExistsAndAggregates() {
        String why = "is not a valid uuid: 'not-a-uuid'";
        refusedAsFilterValue(() -> ashlar.read("post").where(eq("id", "not-a-uuid")).count(), "post", "id", why);
        refusedAsFilterValue(() -> ashlar.read("post").where(eq("id", "not-a-uuid")).exists(), "post", "id", why);
        refusedAsFilterValue(() -> ashlar.read("post").where(eq("id", "not-a-uuid")).sum("score"), "post", "id", why);
        refusedAsFilterValue(() -> ashlar.read("post").where(eq("id", "not-a-uuid")).limit(1).count(), "post", "id",
                why);
    }

    @Test
    void aFilterValueThatIsNoUuidIsRefusedInALimitedLoadAndThroughARelationshipOfAPagedRead() {
        String why = "is not a valid uuid: 'not-a-uuid'";
        refusedAsFilterValue(() -> ashlar.read("post")
                .load("comments", c -> c.where(eq("id", "not-a-uuid")).limit(1)).list(), "comment", "id", why);
        refusedAsFilterValue(() -> ashlar.read("post").where(eq("comments.id", "not-a-uuid")).limit(5).list(),
                "comment", "id", why);
        refusedAsFilterValue(() -> ashlar.read("post").where(lt("count_of_comments", "many")).list(), "post",
                "count_of_comments", "");
    }

    @Test
    void aValidUuidGivenAsTextWorksOnEveryPath() {
        String id = posts.get(0).get("id").toString();

        assertThat(ashlar.read("post").where(eq("id", id)).count()).isEqualTo(1);
        assertThat(ashlar.read("post").where(eq("id", id)).exists()).isTrue();
        assertThat(ashlar.read("post").where(eq("id", id)).limit(1).count()).isEqualTo(1);
        assertThat(ashlar.read("post").where(eq("comments.post_id", id)).limit(5).list()).hasSize(1);
        assertThat(ashlar.read("post").load("comments", c -> c.where(eq("post_id", id)).limit(1)).list())
                .extracting(p -> p.related("comments").size()).containsExactlyInAnyOrder(1, 0);
    }

    @Test
    void anIntegerPastBigintIsRefusedNamingTheFieldOnCreateAndUpdateAndNothingIsWritten() {
        String why = "is out of range for bigint (-9223372036854775808 to 9223372036854775807), got "
                + PAST_BIGINT + "; make the attribute DECIMAL";
        refusedAsChange(() -> ashlar.create("post", Map.of("title", "big", "score", PAST_BIGINT)), "create", "score",
                why);
        refusedAsChange(() -> ashlar.update(posts.get(0), Map.of("score", PAST_BIGINT)), "update", "score", why);
        refusedAsChange(() -> ashlar.read("post").updateAll(Map.of("score", PAST_BIGINT)), "update", "score", why);

        assertThat(storedTitles()).containsExactly("one", "two");
        assertThat(db.query("SELECT score FROM posts ORDER BY score")).extracting(r -> r.get("score"))
                .containsExactly(1L, 2L);
    }

    /**
     * Unlike AshPostgres, which refuses such a filter value, a filter compares it exactly as a wider number: no stored
     * bigint equals it and every one is below it, so the answer is right and nothing is rounded into range.
     */
    @Test
    void anIntegerPastBigintInAFilterIsComparedExactlyRatherThanRoundedIntoRange() {
        ashlar.create("post", Map.of("title", "max", "score", BigInteger.valueOf(Long.MAX_VALUE)));

        assertThat(ashlar.read("post").where(eq("score", PAST_BIGINT)).count()).isZero();
        assertThat(ashlar.read("post").where(lt("score", PAST_BIGINT)).count()).isEqualTo(3);
        assertThat(ashlar.read("post").where(eq("score", BigInteger.valueOf(Long.MAX_VALUE))).list())
                .extracting(r -> r.get("title")).containsExactly("max");
    }

    @Test
    void aNulCharacterIsRefusedInAFilterACreateAndAnUpdateNamingTheField() {
        String why = "contains a NUL character, which PostgreSQL text cannot store";
        refusedAsFilterValue(() -> ashlar.read("post").where(eq("title", NUL)).list(), "post", "title", why);
        refusedAsChange(() -> ashlar.create("post", Map.of("title", NUL)), "create", "title", why);
        refusedAsChange(() -> ashlar.update(posts.get(0), Map.of("title", NUL)), "update", "title", why);

        assertThat(storedTitles()).containsExactly("one", "two");
    }

    @Test
    void aLoneSurrogateIsRefusedRatherThanStoredAsAQuestionMark() {
        String why = "contains a lone UTF-16 surrogate (\\ud800 at index 1), which is no character: PostgreSQL text "
                + "would store it as '?'";
        refusedAsFilterValue(() -> ashlar.read("post").where(eq("title", LONE_SURROGATE)).list(), "post", "title",
                why);
        refusedAsChange(() -> ashlar.create("post", Map.of("title", LONE_SURROGATE)), "create", "title", why);
        refusedAsChange(() -> ashlar.update(posts.get(0), Map.of("title", LONE_SURROGATE)), "update", "title", why);
        assertThatThrownBy(() -> ashlar.sql("INSERT INTO posts (id, title) VALUES (gen_random_uuid(), ?)",
                LONE_SURROGATE).execute()).isInstanceOf(AshlarException.class).hasMessageContaining("lone UTF-16");

        assertThat(storedTitles()).containsExactly("one", "two");
        assertThat(db.value("SELECT count(*) FROM posts WHERE title LIKE '%?%'")).isEqualTo(0L);
    }

    @Test
    void ordinaryTextAndAnInRangeBigintStillStoreAndFilter() {
        ashlar.create("post", Map.of("title", "plain", "score", Long.MAX_VALUE));

        assertThat(ashlar.read("post").where(eq("title", "plain")).list()).extracting(r -> r.get("score"))
                .containsExactly(Long.MAX_VALUE);
        assertThat(ashlar.read("post").where(eq("score", Long.MAX_VALUE)).count()).isEqualTo(1);
    }
}
