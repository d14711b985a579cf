package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A filter nested deeper than a hundred groups is refused before anything walks it; one at the limit runs. */
class FilterDepthTest extends BlogDatabaseTest {

    @BeforeAll
    void seed() {
        ashlar.createAll("post", List.of(Map.of("title", "P1", "rating", 1), Map.of("title", "P2", "rating", 2),
                Map.of("title", "P3", "rating", 3)));
    }

    /** and(or(and(... rating > 1 ...), title = P1), title = P1): every level keeps the rows with rating > 1. */
    private static Filter nested(int levels) {
        Filter filter = gt("rating", 1);
        for (int level = 0; level < levels; level++) {
            filter = level % 2 == 0 ? or(filter, eq("title", "none")) : and(filter, gt("rating", 0));
        }
        return filter;
    }

    @Test
    void aFilterAtTheLimitRunsOnTheServer() {
        List<String> titles = ashlar.read("post").where(nested(100)).list().stream()
                .map(row -> row.getString("title")).sorted().toList();

        assertThat(titles).containsExactly("P2", "P3");
    }

    @Test
    void aThousandLevelsAreRefusedNamingTheResourceAndTheLimit() {
        assertThatThrownBy(() -> ashlar.read("post").where(nested(1_000)).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("post query")
                .hasMessageContaining("more than 100 levels");
    }

    @Test
    void aHundredThousandLevelsAreRefusedForReadsCountsAndWrites() {
        Filter deep = nested(100_000);

        assertThatThrownBy(() -> ashlar.read("post").where(deep).list()).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> ashlar.read("post").where(deep).count()).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> ashlar.read("post").where(deep).updateAll(Map.of("title", "gone")))
                .isInstanceOf(QueryException.class).hasMessageContaining("more than 100 levels");
        assertThatThrownBy(() -> ashlar.read("post").where(deep).destroyAll()).isInstanceOf(QueryException.class);

        assertThat(db.value("SELECT count(*) FROM posts WHERE title IN ('P1', 'P2', 'P3')")).isEqualTo(3L);
    }
}
