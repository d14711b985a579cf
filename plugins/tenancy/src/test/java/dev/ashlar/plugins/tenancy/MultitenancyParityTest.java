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
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.UUID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's multitenancy test cases that Ashlar expresses, on its test domain: orgs name their schemas, posts and
 * their links live there, users share a table whose tenant column the tenant gives ({@code parseAttribute}), and
 * global posts live in the main schema. Loads, filters and aggregates cross between the strategies and into the main
 * schema, with limits, and stay in the tenant.
 */
class MultitenancyParityTest extends MigratedDomainTest {
    static final Resource ORG = Resource.builder("org").table("orgs").uuidPrimaryKey("id")
            .attribute("name", TEXT)
            .with(ManageTenant.template("org_", "id"))
            .build();
    static final Resource USER = Resource.builder("user").table("users").uuidPrimaryKey("id")
            .attribute("org_id", UUID, a -> a.notNull()).attribute("name", TEXT)
            .hasMany("posts", "post")
            .count("count_visited", "posts")
            .with(Multitenancy.attribute("org_id").parseAttribute(tenant -> tenant.substring("org_".length())))
            .build();
    static final Resource POST = Resource.builder("post").table("multitenant_posts").uuidPrimaryKey("id")
            .attribute("name", TEXT)
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
