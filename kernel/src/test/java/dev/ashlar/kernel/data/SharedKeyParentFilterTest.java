package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relationship that starts from an attribute several records share and compares with {@code parent(...)} in its
 * filter: joined by the shared key alone, a load would give every parent sharing it every related row (four posts of
 * one category, each given the other three twelve times over), so each parent is found by its primary key and given
 * its own rows once; a filter through it compares each parent on its own; started from a unique attribute it loads
 * each parent's own rows.
 */
class SharedKeyParentFilterTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("shared_key_parent")
            .resource(Resource.builder("post").table("posts").uuidPrimaryKey("id")
                    .attribute("category", TEXT)
                    .attribute("code", TEXT)
                    .identity("unique_code", "code")
                    .hasMany("same_category", "post", r -> r.sourceAttribute("category")
                            .destinationAttribute("category").filter(ne("id", parent("id"))))
                    .hasMany("same_code", "post", r -> r.sourceAttribute("code")
                            .destinationAttribute("code").filter(ne("category", parent("category"))))
                    .build())
            .build();

    SharedKeyParentFilterTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts");
    }

    @Test
    void aLoadStartingFromASharedAttributeThatComparesWithTheParentGivesEachParentItsOwnRowsOnce() {
        for (int i = 0; i < 4; i++) {
            ashlar.create("post", Map.of("category", "a", "code", "a" + i));
        }
        ashlar.create("post", Map.of("category", "b", "code", "b0"));

        List<Row> posts = ashlar.read("post").sort(Sort.asc("code")).load("same_category").list();

        assertThat(posts).extracting(post -> post.getString("code") + ": " + post.related("same_category").stream()
                        .map(other -> other.getString("code")).sorted().toList())
                .containsExactly("a0: [a1, a2, a3]", "a1: [a0, a2, a3]", "a2: [a0, a1, a3]", "a3: [a0, a1, a2]",
                        "b0: []");
        assertThat(ashlar.read("post").where(exists("same_category")).count()).isEqualTo(4L);
    }

    @Test
    void aLoadStartingFromAnAttributeWithAnIdentityOfItsOwnLoadsEachParentsRows() {
        Row first = ashlar.create("post", Map.of("category", "a", "code", "x"));

        Row read = ashlar.read("post").where(eq("id", first.get("id"))).load("same_code").one().orElseThrow();

        assertThat(read.related("same_code")).isEmpty();
    }
}
