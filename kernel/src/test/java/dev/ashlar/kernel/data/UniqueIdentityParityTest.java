package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.incoming;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Unique identities: their violations named by field, and upserts on them, on a resource with a base filter and on a
 * partial identity (AshPostgres's {@code unique_identity_test.exs}, the upserts of {@code create_test.exs} and
 * {@code bulk_upsert_test.exs}).
 */
class UniqueIdentityParityTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("unique_identity_parity")
            .resource(Resource.builder("post").table("posts")
                    .uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("type", TEXT, a -> a.defaultValue("sponsored"))
                    .attribute("price", INTEGER)
                    .attribute("uniq_one", TEXT)
                    .attribute("uniq_two", TEXT)
                    .attribute("uniq_if_contains_foo", TEXT)
                    .baseFilter("type = 'sponsored'", eq("type", "sponsored"))
                    .identity("uniq_one_and_two", "uniq_one", "uniq_two")
                    .identity("uniq_if_contains_foo", List.of("uniq_if_contains_foo"),
                            i -> i.where("(uniq_if_contains_foo LIKE '%foo%')"))
                    .build())
            .resource(Resource.builder("member").table("members")
                    .integerPrimaryKey("id")
                    .attribute("email", TEXT)
                    .attribute("active", BOOLEAN)
                    .identity("active_email", List.of("email"), i -> i.where("(active)"))
                    .build())
            .resource(Resource.builder("organization").table("orgs")
                    .uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("department", TEXT)
                    .calculate("lower_department", String.class, "lower(department)")
                    .identity("department", List.of("lower_department"), i -> i.errorField("department_slug"))
                    .build())
            .resource(Resource.builder("manager").table("managers")
                    .uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("code", TEXT, a -> a.notNull())
                    .attribute("must_be_present", TEXT)
                    .attribute("role", TEXT)
                    .belongsTo("organization", "organization")
                    .identity("uniq_code", "code")
                    .build())
            .build();

    UniqueIdentityParityTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        ashlar.sql("TRUNCATE posts, managers, orgs, members").execute();
    }

    @Test
    void aTakenPrimaryKeyIsTheFieldErrorOfTheId() {
        Row post = ashlar.create("post", Map.of("title", "title"));

        assertThatThrownBy(() -> ashlar.create("post", Map.of("id", post.get("id"))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.field()).isEqualTo("id");
                            assertThat(error.message()).isEqualTo("has already been taken");
                        }));
    }

    @Test
    void aTakenIdentityIsTheFieldErrorOfTheFieldItNames() {
        ashlar.create("organization", Map.of("name", "Acme", "department", "Sales"));

        assertThatThrownBy(() -> ashlar.create("organization", Map.of("name", "Acme", "department", "SALES")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.field()).isEqualTo("department_slug");
                            assertThat(error.message()).isEqualTo("has already been taken");
                            assertThat(error.constraint()).isEqualTo("orgs_department_index");
                        }));
        assertThat(ashlar.read("organization").count()).isEqualTo(1);
    }

    @Test
    void aTakenIdentityInABulkCreateIsTheFieldErrorOfTheFieldItNames() {
        assertThatThrownBy(() -> ashlar.createAll("organization", List.of(Map.of("name", "A", "department", "Sales"),
                Map.of("name", "B", "department", "SALES"))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(error -> error.field()).contains("department_slug"));
        assertThat(ashlar.read("organization").count()).isZero();
    }

    @Test
    void anUpsertOnAnIdentityOfAResourceWithABaseFilterUpdatesTheStoredRecord() {
        Row post = ashlar.create("post", Map.of("title", "title", "uniq_one", "fred", "uniq_two", "astair",
                "price", 10));

        Row upserted = ashlar.upsert("post", Map.of("title", "title2", "uniq_one", "fred", "uniq_two", "astair"),
                Upsert.on("uniq_one_and_two").update("title"));

        assertThat(upserted.get("id")).isEqualTo(post.get("id"));
        assertThat(upserted.get("price")).isEqualTo(10);
        assertThat(upserted.get("title")).isEqualTo("title2");
        assertThat(ashlar.read("post").count()).isEqualTo(1);
    }

    @Test
    void anUpsertOnAPartialIdentityUpdatesTheStoredRecord() {
        Row post = ashlar.create("post", Map.of("title", "title", "uniq_if_contains_foo", "abcfoodef", "price", 10));

        Row upserted = ashlar.upsert("post", Map.of("title", "title2", "uniq_if_contains_foo", "abcfoodef"),
                Upsert.on("uniq_if_contains_foo").update("title"));

        assertThat(upserted.get("id")).isEqualTo(post.get("id"));
        assertThat(upserted.get("price")).isEqualTo(10);
    }

    @Test
    void aRowOutsideAPartialIdentityIsNotAConflict() {
        ashlar.create("post", Map.of("title", "one", "uniq_if_contains_foo", "bar"));

        ashlar.create("post", Map.of("title", "two", "uniq_if_contains_foo", "bar"));

        assertThat(ashlar.read("post").count()).isEqualTo(2);
    }

    @Test
    void anUpsertWithAConditionOverwritesWhenItHoldsAndReturnsTheSkippedRecordWhenNot() {
        Row post = ashlar.create("post", Map.of("title", "fredfoo", "uniq_if_contains_foo", "foo", "price", 10));
        Upsert whenPriceChanges = Upsert.on("uniq_if_contains_foo").update("price")
                .where(ne("price", incoming("price"))).returnSkipped();

        Row changed = ashlar.upsert("post", Map.of("title", "fredfoo", "uniq_if_contains_foo", "foo", "price", 20),
                whenPriceChanges);
        Row skipped = ashlar.upsert("post", Map.of("title", "fredfoo", "uniq_if_contains_foo", "foo", "price", 20),
                whenPriceChanges);

        assertThat(changed.get("id")).isEqualTo(post.get("id"));
        assertThat(changed.get("price")).isEqualTo(20);
        assertThat(changed.upsertSkipped()).isFalse();
        assertThat(skipped.get("id")).isEqualTo(post.get("id"));
        assertThat(skipped.upsertSkipped()).isTrue();
    }

    @Test
    void returnSkippedNeverReturnsAStoredRecordInsideAPartialIdentityBesideWhichARecordOutsideItWasInserted() {
        Row activeA = ashlar.create("member", Map.of("email", "a@x", "active", true));
        Row activeB = ashlar.create("member", Map.of("email", "b@x", "active", true));
        ashlar.createAll("member", java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> Map.<String, Object>of("email", "m" + i + "@x", "active", i % 2 == 0)).toList());

        for (Returning returning : Returning.values()) {
            List<Row> rows = ashlar.upsert("member", List.of(Map.of("email", "a@x", "active", false),
                    Map.of("email", "b@x", "active", true), Map.of("email", returning + "@x", "active", true)),
                    Upsert.on("active_email").doNothing().returnSkipped(), returning);

            assertThat(rows).filteredOn(Row::upsertSkipped).as(returning.name()).extracting(r -> r.get("id"))
                    .containsExactly(activeB.get("id"));
            assertThat(rows).filteredOn(r -> !r.upsertSkipped()).as(returning.name()).hasSize(2);
            assertThat(rows).extracting(r -> r.get("id")).doesNotContain(activeA.get("id"));
        }
        assertThat(db.value("SELECT count(*) FROM members WHERE email = 'a@x' AND NOT active"))
                .isEqualTo((long) Returning.values().length);
    }

    @Test
    void aBulkUpsertOnAnIdentityUpdatesOnlyTheFieldsItNames() {
        UUID org = (UUID) ashlar.create("organization", Map.of("name", "Avengers")).get("id");
        ashlar.createAll("manager", List.of(
                Map.of("name", "Tony Stark", "code", "TS01", "must_be_present", "I am Iron Man", "organization_id", org),
                Map.of("name", "Bruce Banner", "code", "BB01", "must_be_present", "I am Hulk", "organization_id", org)));

        List<Row> upserted = ashlar.upsert("manager", List.of(
                        Map.of("name", "Tony Stark", "code", "TS01", "organization_id", org, "role", "master in chief"),
                        Map.of("name", "Brice Brenner", "code", "BB01", "organization_id", org, "role", "bone breaker")),
                Upsert.on("uniq_code").update("role"));

        assertThat(upserted.stream().sorted(Comparator.comparing(row -> (String) row.get("name")))
                .map(row -> List.of(row.get("name"), row.get("code"), row.get("must_be_present"), row.get("role"))))
                .containsExactly(List.of("Bruce Banner", "BB01", "I am Hulk", "bone breaker"),
                        List.of("Tony Stark", "TS01", "I am Iron Man", "master in chief"));
        assertThat(ashlar.read("manager").count()).isEqualTo(2);
    }
}
