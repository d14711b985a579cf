package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.CalculationArgument;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Calculations a read gives rather than the resource declares (Ash's {@code Ash.Query.calculate}, as AshPostgres's
 * {@code calculation_test.exs} uses it): over the row's columns and the resource's aggregates, loaded, filtered and
 * sorted on in that read.
 */
class ReadCalculationsTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("read_calculations")
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("score", INTEGER)
                    .hasMany("comments", "comment")
                    .count("count_of_comments", "comments")
                    .calculate("shout", String.class, "upper(title)")
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .belongsTo("post", "post")
                    .build())
            .build();

    ReadCalculationsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void data() {
        ashlar.sql("TRUNCATE comments, posts RESTART IDENTITY").execute();
        Row match = ashlar.create("post", Map.of("title", "match", "score", 2));
        ashlar.create("post", Map.of("title", "other", "score", 5));
        for (int i = 0; i < 3; i++) {
            ashlar.create("comment", Map.of("post_id", match.get("id")));
        }
    }

    @Test
    void aCalculationGivenByTheReadOverAnAggregateIsLoadedFilteredAndSorted() {
        var read = ashlar.read("post").calculate("c_times_p", Long.class, "count_of_comments * score");

        assertThat(read.sort(Sort.desc("c_times_p")).list()).extracting(row -> row.get("title"), row -> row.get(
                "c_times_p")).containsExactly(org.assertj.core.groups.Tuple.tuple("match", 6L),
                org.assertj.core.groups.Tuple.tuple("other", 0L));
        assertThat(read.where(eq("c_times_p", 6L)).list()).extracting(row -> row.get("title"))
                .containsExactly("match");
    }

    @Test
    void aReadsCalculationBindsItsValuesAndTakesArguments() {
        Row row = ashlar.read("post").where(eq("title", "match"))
                .calculate("greeting", String.class, "? || shout", "Hello, ")
                .calculate(dev.ashlar.api.resource.Calculation.of("labelled", String.class, "title || :suffix",
                        CalculationArgument.of("suffix", String.class).withDefault("?")))
                .load("labelled", Map.of("suffix", "!"))
                .one().orElseThrow();

        assertThat(row.get("greeting")).isEqualTo("Hello, MATCH");
        assertThat(row.get("labelled")).isEqualTo("match!");
    }

    @Test
    void anotherReadDoesNotKnowAReadsCalculation() {
        ashlar.read("post").calculate("doubled", Integer.class, "score * 2").list();

        assertThatThrownBy(() -> ashlar.read("post").where(gt("doubled", 1)).list())
                .isInstanceOf(QueryException.class);
    }

    @Test
    void aReadsCalculationTheDomainWouldRefuseIsRefusedNamingTheFix() {
        assertThatThrownBy(() -> ashlar.read("post").calculate("shout", String.class, "lower(title)"))
                .isInstanceOf(QueryException.class).hasMessageContaining("'shout'")
                .hasMessageContaining("rename the calculation");
        assertThatThrownBy(() -> ashlar.read("post").calculate("n", Integer.class, " "))
                .isInstanceOf(QueryException.class).hasMessageContaining("needs an SQL expression");
        assertThatThrownBy(() -> ashlar.read("post").calculate("n", Integer.class, "score + ?"))
                .isInstanceOf(QueryException.class).hasMessageContaining("'n'");
        assertThatThrownBy(() -> ashlar.read("post").calculate("n", String.class, "title || :suffix"))
                .isInstanceOf(QueryException.class).hasMessageContaining("suffix");
        assertThat(ashlar.read("post").list()).hasSize(2);
    }

    @Test
    void aDeclaredCalculationLoadsBesideAReadsOwnAndAnotherReadsRowsHoldOnlyTheDeclaredOne() {
        assertThat(ashlar.read("post").calculate("x", Integer.class, "1").load("shout").list())
                .extracting(row -> row.get("shout"), row -> row.get("x"))
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("MATCH", 1),
                        org.assertj.core.groups.Tuple.tuple("OTHER", 1));
        Row plain = ashlar.read("post").load("shout").first().orElseThrow();
        assertThatThrownBy(() -> plain.get("x")).isInstanceOf(QueryException.class);
    }
}
