package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.resource.Type.DOUBLE;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's type_test, its point a list of three doubles ({@code double precision[]}): written and read back,
 * reached by index in SQL, compared whole in a filter, a uuid bound in SQL, and a relationship whose keys are points,
 * loading the posts at the same point (whole, with a limit per post, and through {@code exists}). Ash's
 * relationship leaves the post itself out with {@code parent(id)}; here the load's own filter does.
 */
class ArrayValueTypesParityTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("value_types")
            .resource(Resource.builder("post").table("posts").uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("point", arrayOf(DOUBLE))
                    .hasMany("posts_with_matching_point", "post", r -> r.sourceAttribute("point")
                            .destinationAttribute("point"))
                    .build())
            .build();

    ArrayValueTypesParityTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts");
    }

    private Row post(List<Double> point) {
        return ashlar.create("post", Map.of("title", "title", "point", point));
    }

    @Test
    void aPointIsWrittenAndReadBack() {
        Row created = post(List.of(1.0, 2.0, 3.0));

        assertThat(created.get("point")).isEqualTo(List.of(1.0, 2.0, 3.0));
        assertThat(ashlar.get("post", created.get("id")).get("point")).isEqualTo(List.of(1.0, 2.0, 3.0));
    }

    @Test
    void aPointIsReachedByIndexInSqlAndComparedWholeInAFilter() {
        post(List.of(1.0, 2.0, 3.0));
        post(List.of(2.0, 1.0, 3.0));

        assertThat(ashlar.read("post").where(sql("point[1] > point[2]")).list())
                .extracting(r -> r.get("point")).containsExactly(List.of(2.0, 1.0, 3.0));
        assertThat(ashlar.read("post").where(eq("point", List.of(1.0, 2.0, 3.0))).list())
                .extracting(r -> r.get("point")).containsExactly(List.of(1.0, 2.0, 3.0));
    }

    @Test
    void aUuidIsBoundInSql() {
        Row created = post(List.of(1.0, 2.0, 3.0));

        assertThat(ashlar.read("post").where(sql("id = ?", UUID.randomUUID())).list()).isEmpty();
        assertThat(ashlar.read("post").where(sql("id = ?", created.get("id"))).list()).hasSize(1);
    }

    @Test
    void aRelationshipKeyedByAPointLoadsTheOtherPostsAtThatPoint() {
        Row first = post(List.of(1.0, 2.0, 3.0));
        for (int i = 0; i < 3; i++) {
            post(List.of(1.0, 2.0, 3.0));
        }
        post(List.of(2.0, 3.0, 4.0));

        Row loaded = ashlar.read("post").where(eq("id", first.get("id")))
                .load("posts_with_matching_point", l -> l.where(ne("id", first.get("id")))).one().orElseThrow();

        assertThat(loaded.related("posts_with_matching_point")).hasSize(3)
                .allSatisfy(r -> assertThat(r.get("point")).isEqualTo(List.of(1.0, 2.0, 3.0)));
        assertThat(ashlar.read("post").load("posts_with_matching_point", l -> l.limit(2)).list())
                .extracting(r -> r.related("posts_with_matching_point").size())
                .containsExactlyInAnyOrder(2, 2, 2, 2, 1);
        assertThat(ashlar.read("post").where(exists("posts_with_matching_point", ne("id", parent("id")))).count())
                .isEqualTo(4L);
    }

    @Test
    void loadsOfTwoThenThreeThenTwoPointsEachBindTheirOwnParentsKeys() {
        post(List.of(1.0, 0.0, 0.0));
        post(List.of(2.0, 0.0, 0.0));
        post(List.of(3.0, 0.0, 0.0));

        for (double upTo : new double[] {2.0, 3.0, 2.0}) {
            List<Row> loaded = ashlar.read("post").where(sql("point[1] <= ?", upTo))
                    .load("posts_with_matching_point").list();

            assertThat(loaded).hasSize((int) upTo).allSatisfy(r -> assertThat(r.related("posts_with_matching_point"))
                    .extracting(o -> o.get("point")).containsExactly(r.get("point")));
        }
    }
}
