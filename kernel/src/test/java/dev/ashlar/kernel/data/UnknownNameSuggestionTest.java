package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A misspelt resource or field name (Hibernate's unknown path, jOOQ's and Ebean's unknown property) is refused naming
 * the resource and the name, with the closest name it has, before any statement runs.
 */
class UnknownNameSuggestionTest extends BlogDatabaseTest {

    @BeforeEach
    void onePost() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY; INSERT INTO posts (title, rating) VALUES ('kept', 3)");
    }

    private static void refusedSuggesting(Runnable action, String resource, String name, String suggestion) {
        assertThatThrownBy(action::run).isInstanceOf(QueryException.class)
                .hasMessageContaining("'" + resource + "'").hasMessageContaining("'" + name + "'")
                .hasMessageContaining("did you mean '" + suggestion + "'?")
                .satisfies(e -> assertThat(((QueryException) e).resource()).contains(resource));
    }

    @Test
    void aMisspeltAttributeInAFilterSortSelectOrAggregateIsRefusedWithTheClosestAttribute() {
        refusedSuggesting(() -> ashlar.read("post").where(eq("titel", "x")).list(), "post", "titel", "title");
        refusedSuggesting(() -> ashlar.read("post").sort(Sort.desc("raiting")).list(), "post", "raiting", "rating");
        refusedSuggesting(() -> ashlar.read("post").select("Title").list(), "post", "Title", "title");
        refusedSuggesting(() -> ashlar.read("post").sum("ratng"), "post", "ratng", "rating");
        refusedSuggesting(() -> ashlar.read("post").groupBy("satus").count("n").list(), "post", "satus", "status");
    }

    @Test
    void aMisspeltAttributeInAWriteIsRefusedWithTheClosestAttributeAndNothingIsWritten() {
        refusedSuggesting(() -> ashlar.create("post", Map.of("titel", "x")), "post", "titel", "title");
        Row kept = ashlar.read("post").first().orElseThrow();
        refusedSuggesting(() -> ashlar.update(kept, Map.of("publishedAt", "x")), "post", "publishedAt",
                "published_at");
        refusedSuggesting(() -> ashlar.read("post").updateCount(Map.of("rating_", 1)), "post", "rating_", "rating");

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
        assertThat(db.value("SELECT rating FROM posts")).isEqualTo(3);
    }

    @Test
    void aMisspeltResourceIsRefusedWithTheClosestResourceOfTheDomain() {
        assertThatThrownBy(() -> ashlar.read("psot").list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("'psot'").hasMessageContaining("did you mean 'post'?");
        assertThatThrownBy(() -> ashlar.create("Authors", Map.of("email", "a@b.c")))
                .isInstanceOf(QueryException.class).hasMessageContaining("did you mean 'author'?");
        assertThat(db.value("SELECT count(*) FROM authors")).isEqualTo(0L);
    }

    @Test
    void aNameCloseToNoneIsRefusedListingTheNamesWithoutASuggestion() {
        assertThatThrownBy(() -> ashlar.read("post").where(eq("zzz", 1)).list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("'zzz'").hasMessageContaining("its attributes are [id, title")
                .hasMessageNotContaining("did you mean");
        assertThatThrownBy(() -> ashlar.read("invoice").list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("'invoice'").hasMessageNotContaining("did you mean");
    }
}
