package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Load;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.UUID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * AshPostgres's multitenancy test cases that Ashlar expresses, on its test domain: orgs name their schemas, posts and
 * their links live there, users share a table whose tenant column the tenant gives ({@code parseAttribute}), and
 * global posts live in the main schema. Loads, filters and aggregates cross between the strategies and into the main
 * schema, with limits, and stay in the tenant.
 */
class MultitenancyParityTest extends MigratedDomainTest {
    static final Resource ORG = Resource.builder("org").table("orgs").uuidPrimaryKey("id")
            .attribute("name", TEXT)
            .hasMany("users", "user", r -> r.destinationAttribute("org_id"))
            .count("total_users_posts", "users.posts")
            .with(ManageTenant.template("org_", "id"))
            .build();
    static final Resource USER = Resource.builder("user").table("users").uuidPrimaryKey("id")
            .attribute("org_id", UUID, a -> a.notNull()).attribute("name", TEXT)
            .hasMany("posts", "post")
            .count("count_visited", "posts")
            .list("years_visited", "posts", "last_word", Sort.asc("name"))
            .with(Multitenancy.attribute("org_id").parseAttribute(tenant -> tenant.substring("org_".length())))
            .build();
    static final Resource POST = Resource.builder("post").table("multitenant_posts").uuidPrimaryKey("id")
            .attribute("name", TEXT)
            .calculate("last_word", String.class, "substring(name from '[^ ]+$')")
            .belongsTo("user", "user")
            .manyToMany("linked_posts", "post", r -> r.through("post_link").sourceAttributeOnJoin("source_id")
                    .destinationAttributeOnJoin("dest_id"))
            .manyToMany("linked_global_posts", "global_post", r -> r.through("global_post_link")
                    .sourceAttributeOnJoin("source_id").destinationAttributeOnJoin("dest_id"))
            .with(Multitenancy.context())
            .build();
    static final Resource POST_LINK = Resource.builder("post_link").table("post_links")
            .belongsTo("source", "post", r -> r.primaryKey().allowNil(false))
            .belongsTo("dest", "post", r -> r.primaryKey().allowNil(false))
            .with(Multitenancy.context())
            .build();
    static final Resource GLOBAL_POST = Resource.builder("global_post").table("posts").uuidPrimaryKey("id")
            .attribute("title", TEXT)
            .manyToMany("linked_multitenant_posts", "post", r -> r.through("global_post_link")
                    .sourceAttributeOnJoin("dest_id").destinationAttributeOnJoin("source_id"))
            .build();
    static final Resource GLOBAL_POST_LINK = Resource.builder("global_post_link").table("global_post_links")
            .belongsTo("source", "post", r -> r.primaryKey().allowNil(false))
            .belongsTo("dest", "global_post", r -> r.primaryKey().allowNil(false))
            .with(Multitenancy.context())
            .build();
    static final Domain DOMAIN = Domain.builder("multitenancy_test")
            .resources(ORG, USER, POST, POST_LINK, GLOBAL_POST, GLOBAL_POST_LINK).build();

    Ashlar org1;
    Ashlar org2;

    MultitenancyParityTest() {
        super(DOMAIN, "org_");
    }

    @BeforeEach
    void twoOrgs() {
        org1 = ashlar.withTenant("org_" + ashlar.create("org", Map.of("name", "test1")).get("id"));
        org2 = ashlar.withTenant("org_" + ashlar.create("org", Map.of("name", "test2")).get("id"));
    }

    @Test
    void schemaMultitenancyKeepsEachOrgsPostsInItsSchema() {
        org1.create("post", Map.of("name", "foo"));

        assertThat(org1.read("post").list()).hasSize(1);
        assertThat(org2.read("post").list()).isEmpty();
    }

    @Test
    void loadingContextPostsFromAttributeUsersWithALimitKeepsEachUsersOwn() {
        Row user = org1.create("user", Map.of("name", "a"));
        org1.create("user", Map.of("name", "b"));
        Row post = org1.create("post", Map.of("name", "foobar", "user_id", user.get("id")));

        List<Row> users = org1.load(org1.read("user").sort(Sort.asc("name")).list(),
                List.of(Load.of("posts").limit(2)));

        assertThat(users).extracting(u -> u.related("posts").stream().map(p -> p.get("id")).toList())
                .containsExactly(List.of(post.get("id")), List.of());
        assertThat(org2.read("user").load("posts", p -> p.limit(2)).list()).isEmpty();
    }

    @Test
    void loadingAttributeUsersFromContextPostsAndUsersSortedWithALimitWorks() {
        Row b = org1.create("user", Map.of("name", "b"));
        Row a = org1.create("user", Map.of("name", "a"));
        org1.create("post", Map.of("name", "p", "user_id", b.get("id")));

        assertThat(org1.read("post").load("user").list()).extracting(p -> p.relatedOne("user").orElseThrow()
                .get("id")).containsExactly(b.get("id"));
        assertThat(org1.read("user").sort(Sort.asc("name")).limit(10).list()).extracting(u -> u.get("id"))
                .containsExactly(a.get("id"), b.get("id"));
    }

    @Test
    void loadingContextPostsAcrossAManyToManyWithALimitWorks() {
        Row post = org1.create("post", Map.of("name", "foobar"));
        Row post2 = org1.create("post", Map.of("name", "foobar"));
        org1.create("post_link", Map.of("source_id", post2.get("id"), "dest_id", post.get("id")));

        List<Row> loaded = org1.read("post").where(eq("id", post2.get("id")))
                .load("linked_posts", l -> l.limit(2)).list();

        assertThat(loaded).flatExtracting(p -> p.related("linked_posts")).extracting(p -> p.get("id"))
                .containsExactly(post.get("id"));
        assertThat(org2.read("post").load("linked_posts").list()).isEmpty();
    }

    @Test
    void joiningFromATenantsPostsToGlobalPostsThroughATenantLinkFiltersAndLoads() {
        Linked linked = fredLinkedToOrg1sPost("foo");
        Row fred = linked.global();
        Row post = linked.post();

        assertThat(org1.read("post").where(eq("linked_global_posts.title", "fred")).list())
                .extracting(p -> p.get("id")).containsExactly(post.get("id"));
        assertThat(org1.read("post").load("linked_global_posts").list())
                .flatExtracting(p -> p.related("linked_global_posts")).extracting(p -> p.getString("title"))
                .containsExactly("fred");
        assertThat(org2.read("post").where(eq("linked_global_posts.title", "fred")).list()).isEmpty();
    }

    @Test
    void anAggregateFromAttributeUsersOverContextPostsCountsInTheTenantsSchema() {
        Row user = org1.create("user", Map.of("name", "a"));
        org1.create("post", Map.of("name", "foobar", "user_id", user.get("id")));

        assertThat(org1.read("user").where(eq("id", user.get("id"))).load("count_visited").list())
                .extracting(u -> u.get("count_visited")).containsExactly(1L);
    }

    @Test
    void aKeyTakenInTheSameTenantIsRefusedNamingTheKeyAndFreeInAnother() {
        Row post = org1.create("post", Map.of("name", "first"));

        assertThatThrownBy(() -> org1.create("post", Map.of("id", post.get("id"))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("id")
                .hasMessageContaining("has already been taken");
        assertThat(org2.create("post", Map.of("id", post.get("id"))).get("id")).isEqualTo(post.get("id"));
        assertThat(db.value("SELECT count(*) FROM \"" + post.tenant().orElseThrow() + "\".multitenant_posts"))
                .isEqualTo(1L);
    }

    @Test
    void aPostPointingAtAnotherOrgsUserNeitherLoadsFiltersNorCountsIt() {
        Row gus = org2.create("user", Map.of("name", "gus"));
        // The key of a user of org2, which org1 learned: the foreign key holds, as users share one table.
        Row post = org1.create("post", Map.of("name", "planted", "user_id", gus.get("id")));

        assertThat(org1.read("post").load("user").list()).extracting(p -> p.relatedOne("user")).containsExactly(
                java.util.Optional.empty());
        assertThat(org1.read("post").where(eq("user.name", "gus")).list()).isEmpty();
        assertThat(org1.read("post").load("user", u -> u.load("count_visited")).list())
                .flatExtracting(p -> p.related("user")).isEmpty();
        assertThat(org2.read("user").load("count_visited").list()).extracting(u -> u.get("count_visited"))
                .containsExactly(0L);
        assertThat(org2.read("user").load("posts").list()).flatExtracting(u -> u.related("posts")).isEmpty();
        assertThat(org1.read("user").list()).isEmpty();
        assertThat(post.get("user_id")).isEqualTo(gus.get("id"));
    }

    /** Four posts of Marty's in org1's schema, as aggregate_test's "Context Multitenancy" cases create them. */
    private Row marty() {
        Row user = org1.create("user", Map.of("name", "Marty"));
        for (String name : List.of("Back to 1955", "Forwards to 1985", "Forward to 2015", "Back again to 1985")) {
            org1.create("post", Map.of("name", name, "user_id", user.get("id")));
        }
        org1.create("user", Map.of("name", "Doc"));
        return user;
    }

    /**
     * org2's user with a post planted in org1's schema: org2's attribute tenancy keeps the user, so only a read of
     * org1's schema, not org2's, would find the post.
     */
    private Row biffWithAPostInOrg1sSchema() {
        Row biff = org2.create("user", Map.of("name", "Biff"));
        org1.create("post", Map.of("name", "Planted in 1776", "user_id", biff.get("id")));
        assertThat(org1.read("post").where(eq("user_id", biff.get("id"))).count()).isEqualTo(1L);
        return biff;
    }

    /** aggregate_test, "aggregating with a filter on an aggregate honors the tenant". */
    @Test
    void aCountOfUsersFilteredByTheirCountOfPostsCountsInTheTenantOnly() {
        marty();
        biffWithAPostInOrg1sSchema();

        assertThat(org1.read("user").where(gt("count_visited", 1)).load("count_visited").count()).isEqualTo(1L);
        assertThat(org1.read("user").where(gt("count_visited", 1)).load("count_visited").list())
                .extracting(u -> u.get("name"), u -> u.get("count_visited"))
                .containsExactly(tuple("Marty", 4L));
        assertThat(org2.read("user").where(gt("count_visited", 0)).count()).isZero();
        assertThat(org2.read("user").load("count_visited").list()).extracting(u -> u.get("count_visited"))
                .containsExactly(0L);
    }

    /**
     * aggregate_test, "loading a nested aggregate honors tenant": the org's count over its users' posts is read in
     * the reading tenant's schema, so org2 does not count its user's post that lies in org1's schema.
     */
    @Test
    void aCountOverTheOrgsUsersPostsReadsTheReadingTenantsSchema() {
        Row user = marty();
        Row biff = biffWithAPostInOrg1sSchema();
        Object org1Id = user.get("org_id");

        assertThat(org1.read("user").where(eq("id", user.get("id"))).load("count_visited").one().orElseThrow()
                .get("count_visited")).isEqualTo(4L);
        assertThat(org1.read("org").where(eq("id", org1Id)).load("total_users_posts").one().orElseThrow()
                .get("total_users_posts")).isEqualTo(4L);
        assertThat(org2.read("org").where(eq("id", org1Id)).load("total_users_posts").one().orElseThrow()
                .get("total_users_posts")).isEqualTo(0L);
        assertThat(org2.read("org").where(eq("id", biff.get("org_id"))).load("total_users_posts").one()
                .orElseThrow().get("total_users_posts")).isEqualTo(0L);
        assertThat(org2.read("org").where(gt("total_users_posts", 0)).list()).isEmpty();
        assertThat(org1.read("org").where(gt("total_users_posts", 0)).load("total_users_posts").list())
                .extracting(o -> o.get("id"), o -> o.get("total_users_posts")).containsExactly(tuple(org1Id, 4L));
    }

    /** aggregate_test, "when related data that uses schema-based multitenancy, it returns the uniq". */
    @Test
    void aListOfThePostsCalculationHoldsEachPostsLastWordInTheTenantsSchema() {
        Row user = marty();
        Row biff = biffWithAPostInOrg1sSchema();
        org2.create("post", Map.of("name", "Stuck in 1885", "user_id", biff.get("id")));

        List<?> years = (List<?>) org1.read("user").where(eq("id", user.get("id"))).load("years_visited").one()
                .orElseThrow().get("years_visited");

        assertThat(years.stream().map(String::valueOf).sorted().toList()).containsExactly("1955", "1985", "1985", "2015");
        assertThat(org2.read("user").load("years_visited").list()).extracting(u -> u.get("years_visited"))
                .containsExactly(List.of("1885"));
    }

    @Test
    void joiningFromGlobalPostsThroughATenantsLinksReachesOnlyThatTenantsPosts() {
        Linked linked = fredLinkedToOrg1sPost("fred");
        Row fred = linked.global();
        Row post = linked.post();
        org2.create("post", Map.of("name", "fred"));

        assertThat(org1.read("global_post").where(eq("linked_multitenant_posts.name", "fred")).list())
                .extracting(p -> p.get("id")).containsExactly(fred.get("id"));
        assertThat(org1.read("global_post").load("linked_multitenant_posts").list())
                .flatExtracting(p -> p.related("linked_multitenant_posts")).extracting(p -> p.get("id"))
                .containsExactly(post.get("id"));
        assertThat(org2.read("global_post").where(eq("linked_multitenant_posts.name", "fred")).list()).isEmpty();
        assertThat(org2.read("global_post").load("linked_multitenant_posts").list())
                .flatExtracting(p -> p.related("linked_multitenant_posts")).isEmpty();
        assertThatThrownBy(() -> ashlar.read("global_post").where(eq("linked_multitenant_posts.name", "fred")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("every read must name a tenant");
    }

    private record Linked(Row global, Row post) {
    }

    /** Global posts fred and barney, and a post of org1 named {@code name} that links to fred. */
    private Linked fredLinkedToOrg1sPost(String name) {
        Row fred = ashlar.create("global_post", Map.of("title", "fred"));
        ashlar.create("global_post", Map.of("title", "barney"));
        Row post = org1.create("post", Map.of("name", name));
        org1.create("global_post_link", Map.of("source_id", post.get("id"), "dest_id", fred.get("id")));
        return new Linked(fred, post);
    }
}
