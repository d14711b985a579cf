package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's {@code select_test}, case by case (the README's "AshPostgres mapping" says where each case is), on
 * {@link AshPostgresSuiteReads}, with the reads a selected row takes part in.
 */
class AshPostgresSuiteSelectTest extends AshPostgresSuiteReads {

    /**
     * "values not selected in the query are not present in the response": a row holds only the fields read (a field
     * it does not hold is refused by {@code get}, rather than read as null).
     */
    @Test
    void aFieldNotSelectedIsAbsentFromTheRowReadWhileTheKeyIsThere() {
        Row post = post("title", 3);
        post("other", 4);

        List<Row> rows = ashlar.read("post").select("id").sort(Sort.asc("id")).list();

        assertThat(rows).hasSize(2);
        assertThat(rows).allSatisfy(r -> assertThat(r.has("title") || r.has("score")).isFalse());
        assertThat(rows).extracting(r -> r.get("id")).contains(post.get("id"));
    }

    @Test
    void aRowReadWithSomeFieldsAndUpdatedKeepsTheFieldsItDidNotRead() {
        Row post = post("title", 3);

        Row read = ashlar.read("post").select("score").one().orElseThrow();
        Row updated = ashlar.update(read, Map.of("score", 5));

        assertThat(updated.get("score")).isEqualTo(5);
        assertThat(ashlar.get("post", post.get("id")).get("title")).isEqualTo("title");
    }

    @Test
    void aSelectNamingADeclaredCalculationLoadsItBesideTheSelectedAttributesOnly() {
        post("title", 3);

        Row row = ashlar.read("post").select("title", "negative_score").one().orElseThrow();

        assertThat(row.get("title")).isEqualTo("title");
        assertThat(row.get("negative_score")).isEqualTo(-3);
        assertThat(row.has("score")).isFalse();
        assertThat(ashlar.read("post").values("negative_score", Integer.class)).containsExactly(-3);
    }

    @Test
    void aLaterSelectLeavingADeclaredCalculationOutNoLongerLoadsItAsItDropsAnAttribute() {
        post("title", 3);
        post("other", 4);

        List<Row> rows = ashlar.read("post").select("title", "negative_score").select("title")
                .sort(Sort.asc("title")).list();
        Row swapped = ashlar.read("post").select("negative_score").select("count_of_comments")
                .sort(Sort.asc("id")).first().orElseThrow();
        Row loaded = ashlar.read("post").load("negative_score").select("title").where(Filter.eq("title", "title"))
                .one().orElseThrow();

        assertThat(rows).extracting(r -> r.get("title")).containsExactly("other", "title");
        assertThat(rows).allSatisfy(r -> assertThat(r.has("negative_score") || r.has("score")).isFalse());
        assertThat(swapped.has("negative_score")).isFalse();
        assertThat(((Number) swapped.get("count_of_comments")).intValue()).isZero();
        assertThat(loaded.get("negative_score")).as("load(...) is no select: a select after it keeps it")
                .isEqualTo(-3);
    }

    @Test
    void aLoadSelectingADeclaredCalculationAndAggregateLoadsThemBesideTheSelectedAttributesOnly() {
        Row author = ashlar.create("author", Map.of("first_name", "ada"));
        Row post = ashlar.create("post", Map.of("title", "title", "score", 3, "author_id", author.get("id")));
        comment("first", post);
        comment("second", post);
        ashlar.create("post", Map.of("title", "elsewhere", "score", 9));

        Row read = ashlar.read("author").load("posts", l -> l.select("title", "negative_score", "count_of_comments"))
                .one().orElseThrow();
        Row onlyDerived = ashlar.read("author").load("posts", l -> l.select("negative_score")).one().orElseThrow();

        assertThat(read.related("posts")).singleElement().satisfies(p -> {
            assertThat(p.get("title")).isEqualTo("title");
            assertThat(p.get("negative_score")).isEqualTo(-3);
            assertThat(((Number) p.get("count_of_comments")).intValue()).isEqualTo(2);
            assertThat(p.has("score")).isFalse();
        });
        assertThat(onlyDerived.related("posts")).singleElement().satisfies(p -> {
            assertThat(p.get("negative_score")).isEqualTo(-3);
            assertThat(p.get("id")).isEqualTo(post.get("id"));
            assertThat(p.has("title") || p.has("score")).isFalse();
        });
    }

    @Test
    void valuesOfAnUnknownFieldIsRefusedNamingTheCalculationsAndAggregatesItCouldTake() {
        post("title", 3);

        assertThatThrownBy(() -> ashlar.read("post").values("negative_scor", Integer.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("no attribute 'negative_scor'")
                .hasMessageContaining("negative_score").hasMessageContaining("count_of_comments");
    }

    @Test
    void aSelectWithARelationshipLoadedStillMatchesEachRelatedRecordToItsRow() {
        Row author = ashlar.create("author", Map.of("first_name", "ada"));
        Row post = post("title", author);
        comment("first", post);
        post("other");

        List<Row> rows = ashlar.read("post").select("title").load("author").load("comments")
                .sort(Sort.asc("title")).list();

        assertThat(rows).extracting(r -> r.get("title")).containsExactly("other", "title");
        assertThat(rows.get(1).relatedOne("author")).hasValueSatisfying(a -> assertThat(a.get("first_name"))
                .isEqualTo("ada"));
        assertThat(values(rows.get(1).related("comments"), "title")).containsExactly("first");
        assertThat(rows.get(0).related("comments")).isEmpty();
    }
}
