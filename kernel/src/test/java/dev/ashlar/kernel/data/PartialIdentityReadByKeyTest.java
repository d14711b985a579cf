package dev.ashlar.kernel.data;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.typed.Table;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A read by an identity that is unique only where its {@code where(...)} holds: two stored rows outside the
 * predicate share the key, and get/find, string and typed, refuse the read instead of returning either row.
 */
class PartialIdentityReadByKeyTest extends DomainDatabaseTest {
    private static final Map<String, Object> KEY = Map.of("uniq_if_contains_foo", "bar");
    private static final String REFUSAL = "More than one post has the key {uniq_if_contains_foo=bar}, an identity "
            + "that is unique only where its where(...) holds: read them with a filter instead";

    /** The post resource's id and title. */
    record Post(UUID id, String title) {
        static final Table<Post> POSTS = Table.of("post", Post.class);
    }

    PartialIdentityReadByKeyTest() {
        super(UniqueIdentityParityTest.DOMAIN);
    }

    @BeforeEach
    void twoPostsShareTheKeyOutsideThePredicate() {
        ashlar.sql("TRUNCATE posts, managers, orgs").execute();
        ashlar.create("post", Map.of("title", "first", "uniq_if_contains_foo", "bar"));
        ashlar.create("post", Map.of("title", "second", "uniq_if_contains_foo", "bar"));
        ashlar.create("post", Map.of("title", "alone", "uniq_if_contains_foo", "a foo"));
    }

    @Test
    void getAndFindStringAndTypedRefuseAKeyThatTwoRowsHold() {
        assertThat(ashlar.read("post").where(eq("uniq_if_contains_foo", "bar")).count())
                .as("both rows are stored").isEqualTo(2);
        for (ThrowingCallable read : List.<ThrowingCallable>of(() -> ashlar.get("post", KEY),
                () -> ashlar.find("post", KEY), () -> ashlar.get(Post.POSTS, KEY), () -> ashlar.find(Post.POSTS, KEY))) {
            assertThatThrownBy(read).isInstanceOfSatisfying(AshlarException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY)).hasMessageContaining(REFUSAL);
        }
    }

    @Test
    void aKeyThatOneRowHoldsIsReadByGetAndFindStringAndTyped() {
        Map<String, Object> key = Map.of("uniq_if_contains_foo", "a foo");

        assertThat(ashlar.get("post", key).get("title")).isEqualTo("alone");
        assertThat(ashlar.find("post", key)).hasValueSatisfying(row -> assertThat(row.get("title")).isEqualTo("alone"));
        assertThat(ashlar.get(Post.POSTS, key).title()).isEqualTo("alone");
        assertThat(ashlar.find(Post.POSTS, key)).hasValueSatisfying(post -> assertThat(post.title()).isEqualTo("alone"));
    }
}
