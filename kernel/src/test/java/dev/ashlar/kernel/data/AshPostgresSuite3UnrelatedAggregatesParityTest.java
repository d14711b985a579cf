package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Aggregate.Kind.COUNT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cases of AshPostgres's unrelated_aggregates_test that {@link UnrelatedAggregatesTest} leaves out: an unrelated
 * aggregate keeps to the other resource's policy (Ash's {@code secure_profile_count}, an admin counting every
 * profile), and {@code contains(bio, parent(name))} in its filter.
 */
class AshPostgresSuite3UnrelatedAggregatesParityTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("suite3_unrelated")
            .resource(Resource.builder("user").table("s3u_users").integerPrimaryKey("id")
                    .attribute("name", TEXT).attribute("role", TEXT)
                    .count("secure_profile_count", "@secure_profile", eq("name", parent("name")))
                    .count("bio_mentions_name", "@secure_profile", contains("bio", parent("name")))
                    .build())
            .resource(Resource.builder("secure_profile").table("s3u_secure_profiles").integerPrimaryKey("id")
                    .attribute("name", TEXT).attribute("age", INTEGER).attribute("bio", TEXT)
                    .attribute("owner_id", INTEGER)
                    .build())
            .build();

    /** Ash's SecureProfile policy: the owner reads a profile, an admin reads them all. */
    static final Policy SECURE_PROFILES = Policy.on("secure_profile").read(actor -> or(eq("owner_id", actor.id()),
            exists("@user", and(eq("id", actor.id()), eq("role", "admin")))));

    private Ashlar policed;

    AshPostgresSuite3UnrelatedAggregatesParityTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void policed() {
        policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(SECURE_PROFILES, Policy.on("user").read(Policy.EVERY_ROW)).build();
    }

    @AfterAll
    void closed() {
        policed.close();
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE s3u_users, s3u_secure_profiles RESTART IDENTITY");
    }

    private Row user(String name, String role) {
        return ashlar.create("user", Map.of("name", name, "role", role));
    }

    private void profile(String name, String bio, Row owner) {
        ashlar.create("secure_profile", Map.of("name", name, "age", 30, "bio", bio, "owner_id", owner.get("id")));
    }

    private Object count(Ashlar as, Row actor, Row user, String aggregate) {
        return as.withUser(actor.get("id")).read("user").where(eq("id", user.get("id"))).load(aggregate).one()
                .orElseThrow().get(aggregate);
    }

    @Test
    void anUnrelatedAggregateCountsOnlyTheRecordsTheOtherResourcesPolicyLetsTheActorRead() {
        Row admin = user("Admin", "admin");
        Row first = user("User1", "user");
        Row second = user("User1", "user");
        profile("User1", "Engineering", first);
        profile("User1", "Marketing", second);
        profile("Admin", "Management", admin);

        assertThat(count(policed, first, first, "secure_profile_count")).isEqualTo(1L);
        assertThat(count(policed, second, second, "secure_profile_count")).isEqualTo(1L);
        assertThat(count(policed, admin, first, "secure_profile_count")).as("the admin reads both").isEqualTo(2L);
        assertThat(count(policed, admin, admin, "secure_profile_count")).isEqualTo(1L);
        assertThat(policed.withUser(first.get("id")).read("user")
                .where(exists("@secure_profile", eq("bio", "Marketing"))).list())
                .as("exists over the other resource keeps to its policy too").isEmpty();
        assertThat(policed.withUser(first.get("id")).read("user").where(eq("id", first.get("id")))
                .aggregate(Aggregate.of("all_profiles", COUNT, "@secure_profile")).one().orElseThrow()
                .get("all_profiles")).as("an aggregate given by the read").isEqualTo(1L);
    }

    @Test
    void containsWithAParentFieldFindsTheParentsTextInsideTheOtherRecords() {
        Row user = user("StringTest", "user");
        profile("StringTest", "StringTest is mentioned here", user);
        profile("DifferentName", "StringTest appears in bio", user);
        profile("StringTest", "No mention", user);
        Row other = user("Nobody", "user");

        assertThat(count(ashlar.bypassPolicies(), user, user, "bio_mentions_name")).isEqualTo(2L);
        assertThat(count(ashlar, user, other, "bio_mentions_name")).isEqualTo(0L);
        Row row = ashlar.read("user").where(eq("id", user.get("id")))
                .aggregate(Aggregate.of("name_or_bio_match", COUNT, "@secure_profile")
                        .withFilter(or(eq("name", parent("name")), contains("bio", parent("name")))))
                .one().orElseThrow();
        Row byValue = ashlar.read("user").where(eq("id", user.get("id")))
                .aggregate(Aggregate.of("name_or_bio_match", COUNT, "@secure_profile")
                        .withFilter(or(eq("name", parent("name")), contains("bio", "mention"))))
                .one().orElseThrow();
        assertThat(row.get("name_or_bio_match")).isEqualTo(3L);
        assertThat(byValue.get("name_or_bio_match")).as("the same read with a value binds it, not the parent's field")
                .isEqualTo(2L);
    }

    @Test
    void containsWithAParentFieldThatIsNoTextIsRefusedNamingIt() {
        user("x", "user");

        assertThatThrownBy(() -> ashlar.read("user")
                .where(exists("@secure_profile", contains("bio", parent("id")))).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("contains(\"bio\", parent(\"id\")) looks for text, and 'id' of the parent is");
        assertThatThrownBy(() -> ashlar.read("user").where(contains("name", parent("name"))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("not in a read's own filter");
        Row owner = ashlar.read("user").one().orElseThrow();
        profile("p", "mentions x", owner);
        assertThat(ashlar.read("user").where(exists("@secure_profile", contains("bio", Filter.parent("name"))))
                .list()).extracting(r -> r.get("name")).containsExactly("x");
        assertThat(ashlar.read("user").where(exists("@secure_profile", contains("bio", "name")))
                .list()).as("the same filter with a value binds it, not the parent's field").isEmpty();
    }
}
