package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Read;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's combination_nullable_calc test: each read of a combination computes a field of one name by its own
 * SQL (Ash's {@code calculations:} of a combination), and the combination sorts by it (Ash's
 * {@code combinations(:sort_order)}) before its other keys.
 */
class CombinationComputedSortTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("combination_computed_sort")
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("score", INTEGER)
                    .hasMany("comments", "comment")
                    .hasOne("latest_comment", "comment", r -> r.sort(Sort.desc("created_at")))
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("created_at", TIMESTAMPTZ)
                    .belongsTo("post", "post")
                    .build())
            .resource(Resource.builder("author").table("authors")
                    .integerPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .attribute("last_name", TEXT)
                    .build())
            .build();

    CombinationComputedSortTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE comments, posts, authors RESTART IDENTITY CASCADE");
    }

    private void posts() {
        for (Object[] post : new Object[][]{{"Zebra", 5}, {"Apple", 25}, {"Dog", 10}, {"Cat", 20}}) {
            ashlar.create("post", Map.of("title", post[0], "score", post[1]));
        }
    }

    private List<Object> titles(List<Row> rows) {
        return rows.stream().map(row -> row.get("title")).toList();
    }

    @Test
    void combinedPostsSortByTheFieldEachReadComputesThenByTitle() {
        posts();
        Row dog = ashlar.read("post").where(in("title", List.of("Dog"))).one().orElseThrow();
        ashlar.create("comment", Map.of("title", "latest", "post_id", dog.get("id"), "created_at", Instant.now()));

        List<Row> rows = ashlar.read("post").where(lt("score", 15))
                .compute("sort_order", Long.class, "score * 20").sort(Sort.desc("sort_order"))
                .union(ashlar.read("post").where(gte("score", 15))
                        .compute("sort_order", Long.class, "score * 5").sort(Sort.desc("sort_order")))
                .sort(Sort.desc("sort_order"), Sort.asc("title")).list();

        assertThat(titles(rows)).containsExactly("Dog", "Apple", "Cat", "Zebra");
        assertThat(rows).extracting(row -> row.get("sort_order")).containsExactly(200L, 125L, 100L, 100L);
        List<Row> loaded = ashlar.load(rows, "latest_comment");
        assertThat(titles(loaded)).containsExactly("Dog", "Apple", "Cat", "Zebra");
        assertThat(loaded.get(0).relatedOne("latest_comment").orElseThrow().get("title")).isEqualTo("latest");
        assertThat(loaded.get(1).relatedOne("latest_comment")).isEmpty();
    }

    @Test
    void combinedAuthorsSortByAConstantEachReadComputesWithoutSortsOfTheirOwn() {
        for (String name : new String[]{"Zebra", "Apple", "Dog", "Cat"}) {
            ashlar.create("author", Map.of("first_name", name, "last_name", "User"));
        }

        List<Row> rows = ashlar.read("author").where(in("first_name", List.of("Zebra", "Dog")))
                .compute("sort_order", Long.class, "1000")
                .union(ashlar.read("author").where(in("first_name", List.of("Apple", "Cat")))
                        .compute("sort_order", Long.class, "500"))
                .sort(Sort.desc("sort_order"), Sort.asc("first_name")).list();

        assertThat(rows).extracting(row -> row.get("first_name")).containsExactly("Dog", "Zebra", "Apple", "Cat");
    }

    @Test
    void readsComputingDifferentFieldsAreRefusedNamingThem() {
        posts();
        Read low = ashlar.read("post").where(lt("score", 15)).compute("sort_order", Long.class, "score * 20");
        Read high = ashlar.read("post").where(gte("score", 15)).compute("rank", Long.class, "score * 5");

        assertThatThrownBy(() -> low.union(high).sort(Sort.desc("sort_order")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("sort_order Long")
                .hasMessageContaining("rank Long").hasMessageContaining("compute(...)");
        assertThatThrownBy(() -> low.union(ashlar.read("post")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("sort_order Long");
    }
}
