package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.error;
import static dev.ashlar.api.query.Filter.errorIf;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Failures a statement raises for the rows a condition holds for (Ash's {@code error(...)} expression, AshPostgres's
 * {@code error_expr_test.exs} and the atomic validations of {@code atomics_test.exs}).
 */
class ErrorExpressionsTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("error_expressions")
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("score", INTEGER)
                    .hasMany("comments", "comment")
                    .count("count_of_comments", "comments")
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("post", "post")
                    .build())
            .build();

    ErrorExpressionsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        ashlar.sql("TRUNCATE comments, posts RESTART IDENTITY").execute();
    }

    private Row post(String title, Integer score) {
        Map<String, Object> values = new HashMap<>();
        values.put("title", title);
        values.put("score", score);
        return ashlar.create("post", values);
    }

    private String title(Row post) {
        return (String) ashlar.get("post", post.get("id")).get("title");
    }

    @Test
    void aReadWhoseFilterIsAnErrorFailsWithItsMessage() {
        post("title", 1);

        assertThatThrownBy(() -> ashlar.read("post").where(error("this is bad!")).list())
                .isInstanceOfSatisfying(InvalidDataException.class, e -> {
                    assertThat(e.errors()).singleElement().satisfies(f -> {
                        assertThat(f.message()).isEqualTo("this is bad!");
                        assertThat(f.field()).isNull();
                    });
                    assertThat(e.resource()).contains("post");
                    assertThat(e.getMessage()).contains("this is bad!");
                });
    }

    @Test
    void anErrorInsideATransactionFailsAsOutsideOne() {
        post("title", 1);

        assertThatThrownBy(() -> ashlar.transaction(tx -> tx.read("post").where(error("this is bad!")).list()))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("this is bad!");
    }

    @Test
    void aConditionalErrorKeepsTheRowsItsConditionDoesNotHoldFor() {
        post("low", 3);
        post("unscored", null);
        var read = ashlar.read("post").where(errorIf(gt("score", 10), "score is over 10"));

        assertThat(read.list()).hasSize(2);
        post("high", 11);
        assertThatThrownBy(read::list).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("score is over 10");
    }

    @Test
    void aBulkUpdateRefusedForOneOfItsRowsWritesNone() {
        Row quiet = post("quiet", 1);
        Row commented = post("commented", 2);
        ashlar.create("comment", Map.of("title", "hi", "post_id", commented.get("id")));
        var noComments = errorIf(exists("comments"), "Can only update if Post has no comments");

        assertThatThrownBy(() -> ashlar.read("post").where(noComments).updateAll(Map.of("title", "bar")))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("Can only update if Post has no comments");
        assertThat(title(quiet)).isEqualTo("quiet");
        assertThat(title(commented)).isEqualTo("commented");

        assertThat(ashlar.read("post").where(eq("id", quiet.get("id"))).where(noComments)
                .updateAll(Map.of("title", "bar"))).hasSize(1);
        assertThat(title(quiet)).isEqualTo("bar");
    }

    @Test
    void anUpdateOrDestroyGuardedByAnErrorFailsWithItsMessageAndKeepsTheRecord() {
        Row post = post("commented", 2);
        ashlar.create("comment", Map.of("title", "hi", "post_id", post.get("id")));

        assertThatThrownBy(() -> ashlar.update(post, Map.of("title", "bar"),
                errorIf(gt("count_of_comments", 0L), "Can only update if Post has no comments")))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("Can only update if Post has no comments");
        assertThatThrownBy(() -> ashlar.destroy(post,
                errorIf(exists("comments"), "Can only delete if Post has no comments")))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("Can only delete if Post has no comments");
        assertThat(title(post)).isEqualTo("commented");
    }

    @Test
    void theMessageComesBackAsGivenQuotesAndMarksIncluded() {
        post("title", 1);
        String message = "it's \"bad\": 100% ? -- ;";

        assertThatThrownBy(() -> ashlar.read("post").where(error(message)).list())
                .isInstanceOfSatisfying(InvalidDataException.class,
                        e -> assertThat(e.errors().get(0).message()).isEqualTo(message));
    }

    @Test
    void anErrorWithoutAMessageIsRefused() {
        assertThatThrownBy(() -> error(" ")).isInstanceOf(QueryException.class).hasMessageContaining("message");
    }
}
