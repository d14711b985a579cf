package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's atomic create test cases (Ash's {@code atomic_set} on a create): a field given as {@code Atomic.sql}
 * is computed by the server in the insert itself, in one create, many, or an upsert.
 */
class CreateAtomicsTest extends DomainDatabaseTest {
    static final Resource POST = Resource.builder("post").table("posts").primaryKey("id")
            .attribute("title", TEXT)
            .attribute("price", INTEGER)
            .attribute("score", INTEGER)
            .attribute("type", TEXT, a -> a.defaultValue("sponsored"))
            .identity("unique_title", "title")
            .build();
    static final Resource TEMP_ENTITY = Resource.builder("temp_entity").table("temp_entities").primaryKey("id")
            .attribute("full_name", TEXT, a -> a.notNull())
            .build();
    static final Domain DOMAIN = Domain.builder("atomics").resources(POST, TEMP_ENTITY).build();

    CreateAtomicsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, temp_entities");
    }

    private Object stored(String column, String title) {
        return db.value("SELECT " + column + " FROM posts WHERE title = ?", title);
    }

    @Test
    void aFieldComputedBySubqueryCountsTheRowsStoredWhenTheInsertRuns() {
        for (int i = 1; i <= 3; i++) {
            ashlar.create("post", Map.of("title", "post_" + i, "price", i));
        }

        Row post = ashlar.create("post", Map.of("title", "new_post", "price", 10,
                "score", Atomic.sql("(SELECT count(*) FROM posts WHERE type = 'sponsored')")));

        assertThat(post.get("score")).isEqualTo(3);
        assertThat(stored("score", "new_post")).isEqualTo(3);
    }

    @Test
    void aFieldComputedFromALiteralOrBoundArithmeticIsStored() {
        Row literal = ashlar.create("post", Map.of("title", "literal", "score", Atomic.sql("42")));
        Row sum = ashlar.create("post", Map.of("title", "sum", "score", Atomic.sql("? + ?", 5, 15)));

        assertThat(literal.get("score")).isEqualTo(42);
        assertThat(sum.get("score")).isEqualTo(20);
        assertThat(stored("score", "sum")).isEqualTo(20);
    }

    @Test
    void aRequiredFieldComputedToAValueIsStored() {
        Row entity = ashlar.create("temp_entity", Map.of("full_name", Atomic.sql("(SELECT 'name')")));

        assertThat(entity.get("full_name")).isEqualTo("name");
        assertThat(db.value("SELECT full_name FROM temp_entities")).isEqualTo("name");
    }

    @Test
    void aRequiredFieldComputedToNullIsAFieldErrorAndNothingIsStored() {
        assertThatThrownBy(() -> ashlar.create("temp_entity", Map.of("full_name", Atomic.sql("(SELECT NULL)"))))
                .isInstanceOf(InvalidDataException.class)
                .satisfies(e -> assertThat(((InvalidDataException) e).errors())
                        .anySatisfy(error -> assertThat(error.field()).isEqualTo("full_name")));
        assertThat(db.value("SELECT count(*) FROM temp_entities")).isEqualTo(0L);
    }

    @Test
    void createsOneAfterAnotherEachSeeTheRowsBeforeThem() {
        ashlar.create("post", Map.of("title", "initial_1"));
        ashlar.create("post", Map.of("title", "initial_2"));

        List<Object> scores = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            scores.add(ashlar.create("post", Map.of("title", "new_" + i,
                    "score", Atomic.sql("(SELECT count(*) FROM posts WHERE type = 'sponsored')"))).get("score"));
        }

        assertThat(scores).containsExactly(2, 3, 4);
    }

    @Test
    void aManyRecordCreateComputesTheFieldForEveryRecord() {
        List<Row> rows = ashlar.createAll("post", List.of(
                Map.of("title", "post1", "score", Atomic.sql("100")),
                Map.of("title", "post2", "score", Atomic.sql("100")),
                Map.of("title", "post3", "price", 3, "score", Atomic.sql("? * 2", 50))));

        assertThat(rows).extracting(r -> r.get("title") + ":" + r.get("score"))
                .containsExactly("post1:100", "post2:100", "post3:100");
        assertThat(db.value("SELECT count(*) FROM posts WHERE score = 100")).isEqualTo(3L);
    }

    @Test
    void aManyRecordCreateMixingComputedAndGivenValuesKeepsTheRecordsInOrder() {
        List<Row> rows = ashlar.createAll("post", List.of(
                Map.of("title", "a", "score", 1),
                Map.of("title", "b", "score", Atomic.sql("(SELECT count(*) FROM posts)")),
                Map.of("title", "c", "score", 3)));

        assertThat(rows).extracting(r -> r.get("title") + ":" + r.get("score"))
                .containsExactly("a:1", "b:1", "c:3");
    }

    @Test
    void anUpsertInsertsTheComputedValueAndOverwritesWithItOnAConflict() {
        ashlar.upsert("post", List.of(Map.of("title", "t", "score", Atomic.sql("? + 1", 1))),
                Upsert.on("unique_title"));
        assertThat(stored("score", "t")).isEqualTo(2);

        ashlar.upsert("post", List.of(Map.of("title", "t", "score", Atomic.sql("(SELECT count(*) FROM posts) + 10"))),
                Upsert.on("unique_title"));

        assertThat(stored("score", "t")).isEqualTo(11);
    }

    @Test
    void anAdditionOnACreateIsRefusedNamingTheField() {
        assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "x", "score", Atomic.add(1))))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("score").hasMessageContaining("Atomic.sql");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void anIncomingValueInACreateIsRefused() {
        assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "x",
                "score", Atomic.sql("?", Filter.incoming("price")))))
                .isInstanceOf(QueryException.class).hasMessageContaining("incoming");
    }

    @Test
    void aComputedValueOfAnotherTypeIsAFieldErrorNamingTheField() {
        assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "x", "score", Atomic.sql("'many'"))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("score");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void aComputedValueInATenantsSchemaReadsThatTenantsTables() {
        db.execute("DROP SCHEMA IF EXISTS t_a CASCADE; DROP SCHEMA IF EXISTS t_b CASCADE");
        for (String tenant : List.of("t_a", "t_b")) {
            db.execute("CREATE SCHEMA " + tenant + "; CREATE TABLE " + tenant + ".posts (LIKE public.posts "
                    + "INCLUDING ALL)");
        }
        db.execute("INSERT INTO t_b.posts (title) VALUES ('b1'), ('b2'); INSERT INTO public.posts (title) "
                + "SELECT 'p' || n FROM generate_series(1, 50) AS n");
        try (Ashlar scoped = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.schemas("post"))) {
            scoped.withTenant("t_a").create("post", Map.of("title", "a1",
                    "score", Atomic.sql("(SELECT count(*) FROM posts)")));
            scoped.withTenant("t_b").createAll("post", List.of(Map.of("title", "b3",
                    "score", Atomic.sql("(SELECT count(*) FROM posts)"))));
        }

        assertThat(db.value("SELECT score FROM t_a.posts WHERE title = 'a1'")).isEqualTo(0);
        assertThat(db.value("SELECT score FROM t_b.posts WHERE title = 'b3'")).isEqualTo(2);
        assertThat(db.value("SELECT count(*) FROM public.posts")).isEqualTo(50L);
    }
}
