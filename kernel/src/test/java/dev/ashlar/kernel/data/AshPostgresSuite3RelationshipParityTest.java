package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The third walk of AshPostgres's test files, relationships: many_to_many_expr (co-authors credited, cancelled and
 * counted step by step), rel_with_parent_filter, parent_filter (a policy and paths through a relationship related by
 * its parent's organization, an organization related by a nested {@code exists} two levels up) and subquery (a policy
 * reaching through a many-to-many and an access list), on real rows.
 */
class AshPostgresSuite3RelationshipParityTest extends DomainDatabaseTest {
    private static ResourceBuilder coAuthored(ResourceBuilder author, String name, Filter joinFilter) {
        return author.manyToMany(name, "post", r -> {
            r.through("co_author_post").sourceAttributeOnJoin("author_id").destinationAttributeOnJoin("post_id");
            if (joinFilter != null) {
                r.joinFilter(joinFilter);
            }
        });
    }

    static final Domain DOMAIN = Domain.builder("suite3_relationships")
            .resource(Resource.builder("organization").table("s3_orgs").uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("posts", "post").hasMany("users", "user")
                    .count("count_of_posts", "posts")
                    .build())
            .resource(Resource.builder("user").table("s3_users").uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .belongsTo("organization", "organization")
                    .build())
            .resource(coAuthored(coAuthored(coAuthored(coAuthored(
                    Resource.builder("author").table("s3_authors").uuidPrimaryKey("id")
                            .attribute("first_name", TEXT).attribute("last_name", TEXT)
                            .hasMany("authors_with_same_first_name", "author", r -> r.noAttributes()
                                    .filter(and(eq("first_name", parent("first_name")), ne("id", parent("id")))))
                            .count("num_of_authors_with_same_first_name", "authors_with_same_first_name"),
                    "all_co_authored_posts", null),
                    "cancelled_co_authored_posts", notNil("was_cancelled_at")),
                    "editor_of", eq("role", "editor")),
                    "writer_of", eq("role", "writer"))
                    .build())
            .resource(Resource.builder("post").table("s3_posts").uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("organization", "organization")
                    .hasMany("comments", "comment")
                    .manyToMany("co_authors", "author", r -> r.through("co_author_post")
                            .sourceAttributeOnJoin("post_id").destinationAttributeOnJoin("author_id")
                            .joinFilter(isNil("was_cancelled_at")))
                    .manyToMany("co_authors_unfiltered", "author", r -> r.through("co_author_post")
                            .sourceAttributeOnJoin("post_id").destinationAttributeOnJoin("author_id"))
                    .hasMany("posts_with_my_organization_name_as_a_title", "post", r -> r.noAttributes()
                            .filter(eq("title", parent("organization.name"))))
                    // Ash's parent(parent(title)) inside the exists: the parent of the exists is the organization,
                    // the one above it the post the relationship starts from
                    .hasMany("orgs_with_the_post_title_in_their_comments",
                            "organization", r -> r.noAttributes()
                                    .filter(exists("posts.comments", eq("title", parent("title", 2)))))
                    .build())
            .resource(Resource.builder("co_author_post").table("s3_co_author_posts").uuidPrimaryKey("id")
                    .belongsTo("author", "author", r -> r.allowNil(false))
                    .belongsTo("post", "post", r -> r.allowNil(false))
                    .attribute("role", TEXT).attribute("was_cancelled_at", TIMESTAMPTZ)
                    .build())
            .resource(Resource.builder("comment").table("s3_comments").uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("post", "post")
                    .build())
            .resource(Resource.builder("child").table("s3_children").uuidPrimaryKey("id")
                    .manyToMany("parents", "parent", r -> r.through("through")
                            .sourceAttributeOnJoin("child_id").destinationAttributeOnJoin("parent_id"))
                    .build())
            .resource(Resource.builder("parent").table("s3_parents").uuidPrimaryKey("id")
                    .attribute("visible", BOOLEAN)
                    .hasMany("accesses", "access")
                    .build())
            .resource(Resource.builder("through").table("s3_throughs")
                    .belongsTo("parent", "parent", r -> r.primaryKey().allowNil(false))
                    .belongsTo("child", "child", r -> r.primaryKey().allowNil(false))
                    .build())
            .resource(Resource.builder("access").table("s3_accesses").uuidPrimaryKey("id")
                    .attribute("email", TEXT)
                    .belongsTo("parent", "parent", r -> r.allowNil(false))
                    .build())
            .build();

    /** parent_filter's read_with_policy_with_parent: relates_to_actor_via([:posts_with_my_organization_name_as_a_title, :organization, :users]). */
    static final Policy POSTS_THROUGH_PARENT = Policy.on("post").read(actor ->
            exists("posts_with_my_organization_name_as_a_title.organization.users", eq("id", actor.id())));
    /** subquery's Child: visible through a visible parent whose access list holds the actor's email. */
    static final Policy CHILDREN_THROUGH_ACCESS = Policy.on("child").read(actor ->
            exists("parents", and(eq("visible", true), exists("accesses", eq("email", actor.id())))));

    private Ashlar policed;

    AshPostgresSuite3RelationshipParityTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void policed() {
        policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(POSTS_THROUGH_PARENT, CHILDREN_THROUGH_ACCESS, Policy.on("user").read(Policy.EVERY_ROW),
                        Policy.on("parent").read(Policy.EVERY_ROW), Policy.on("access").read(Policy.EVERY_ROW))
                .build();
    }

    @AfterAll
    void closed() {
        policed.close();
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE s3_orgs, s3_users, s3_authors, s3_posts, s3_co_author_posts, s3_comments, s3_children, "
                + "s3_parents, s3_throughs, s3_accesses CASCADE");
    }

    private Row author(String firstName) {
        return ashlar.create("author", Map.of("first_name", firstName, "last_name", "Doe"));
    }

    private Row post(String title, Object organizationId) {
        Map<String, Object> values = new HashMap<>();
        values.put("title", title);
        values.put("organization_id", organizationId);
        return ashlar.create("post", values);
    }

    private void credit(Row author, Row post, String role) {
        ashlar.create("co_author_post", Map.of("author_id", author.get("id"), "post_id", post.get("id"), "role", role));
    }

    private void cancel(Row author, Row post) {
        assertThat(ashlar.read("co_author_post")
                .where(and(eq("author_id", author.get("id")), eq("post_id", post.get("id"))))
                .updateCount(Map.of("was_cancelled_at", OffsetDateTime.parse("2026-12-01T10:00:00Z")))).isEqualTo(1);
    }

    /** Ash's get_author!: the four many-to-manys through one join resource, each counted. */
    private List<Integer> credits(Row author) {
        Row row = ashlar.read("author").where(eq("id", author.get("id"))).load("all_co_authored_posts")
                .load("cancelled_co_authored_posts").load("editor_of").load("writer_of").one().orElseThrow();
        return List.of(row.related("all_co_authored_posts").size(), row.related("editor_of").size(),
                row.related("writer_of").size(), row.related("cancelled_co_authored_posts").size());
    }

    /** Ash's get_post!: the co-authors not cancelled, and all of them. */
    private List<Integer> coAuthors(Row post) {
        Row row = ashlar.read("post").where(eq("id", post.get("id"))).load("co_authors")
                .load("co_authors_unfiltered").one().orElseThrow();
        return List.of(row.related("co_authors").size(), row.related("co_authors_unfiltered").size());
    }

    @Test
    void eachCoAuthorCreditedOnePostIsCountedUnderItsRoleAlone() {
        Row post = post("Post by John", null);
        Row first = author("John 1");
        Row second = author("John 2");
        Row third = author("John 3");

        credit(first, post, "editor");
        assertThat(coAuthors(post)).containsExactly(1, 1);
        assertThat(credits(first)).as("all, editor, writer, cancelled").containsExactly(1, 1, 0, 0);

        credit(second, post, "writer");
        assertThat(coAuthors(post)).containsExactly(2, 2);
        assertThat(credits(second)).containsExactly(1, 0, 1, 0);

        credit(third, post, "proof_reader");
        assertThat(coAuthors(post)).containsExactly(3, 3);
        assertThat(credits(third)).containsExactly(1, 0, 0, 0);
    }

    @Test
    void aCancelledCreditLeavesThePostsCoAuthorsButStaysInTheAuthorsRoles() {
        Row firstPost = post("Post by John", null);
        Row secondPost = post("Post by John", null);
        Row first = author("John 1");
        Row second = author("John 2");
        Row third = author("John 3");
        Row fourth = author("John 4");

        credit(first, firstPost, "editor");
        credit(first, secondPost, "writer");
        assertThat(coAuthors(firstPost)).containsExactly(1, 1);
        assertThat(credits(first)).containsExactly(2, 1, 1, 0);

        credit(second, firstPost, "proof_reader");
        credit(second, secondPost, "writer");
        assertThat(coAuthors(secondPost)).containsExactly(2, 2);
        assertThat(credits(second)).containsExactly(2, 0, 1, 0);

        credit(third, firstPost, "proof_reader");
        credit(third, secondPost, "proof_reader");
        cancel(third, secondPost);
        assertThat(coAuthors(firstPost)).containsExactly(3, 3);
        assertThat(coAuthors(secondPost)).containsExactly(2, 3);
        assertThat(credits(third)).containsExactly(2, 0, 0, 1);

        credit(fourth, firstPost, "proof_reader");
        credit(fourth, secondPost, "editor");
        cancel(fourth, firstPost);
        cancel(fourth, secondPost);
        assertThat(coAuthors(firstPost)).containsExactly(3, 4);
        assertThat(coAuthors(secondPost)).containsExactly(2, 4);
        assertThat(credits(fourth)).containsExactly(2, 1, 0, 2);
    }

    @Test
    void aRelationshipFilteredByItsParentCountsAndLoadsOnlyTheOtherAuthorOfTheSameName() {
        Row john = author("John");
        ashlar.create("author", Map.of("first_name", "John"));
        author("Jane");

        Row counted = ashlar.read("author").where(eq("id", john.get("id")))
                .load("num_of_authors_with_same_first_name").one().orElseThrow();
        Row loaded = ashlar.read("author").where(eq("id", john.get("id")))
                .load("authors_with_same_first_name").one().orElseThrow();

        assertThat(counted.get("num_of_authors_with_same_first_name")).isEqualTo(1L);
        assertThat(loaded.related("authors_with_same_first_name")).hasSize(1)
                .allSatisfy(other -> assertThat(other.get("id")).isNotEqualTo(john.get("id")));
    }

    @Test
    void aPolicyRuleReachingItsOwnResourceIsRefusedNamingTheRoundAndReadsNothing() {
        Row organization = ashlar.create("organization", Map.of("name", "test_org"));
        Row notMine = ashlar.create("organization", Map.of("name", "test_org_2"));
        Row user = ashlar.create("user", Map.of("organization_id", organization.get("id"), "name", "foo bar"));
        post(null, notMine.get("id"));
        post("test_org", organization.get("id"));

        // Ash reads the posts the rule reaches without their policy; Ashlar reads them through it, which would hold
        // inside itself without end, and cut short either way would change what the rule grants
        assertThatThrownBy(() -> policed.withUser(user.get("id")).read("post").list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("post reaches post again (post -> post)")
                .hasMessageContaining("Write the rule without reaching back");
        assertThatThrownBy(() -> policed.withUser(user.get("id")).read("organization")
                .where(eq("id", organization.get("id"))).load("posts").list()).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> policed.withUser(user.get("id")).read("organization")
                .load("count_of_posts").list()).isInstanceOf(QueryException.class);
        assertThat(ashlar.read("post")
                .where(eq("organization.posts.posts_with_my_organization_name_as_a_title.title", "tuna")).list())
                .isEmpty();
        assertThat(ashlar.read("post")
                .where(eq("organization.posts.posts_with_my_organization_name_as_a_title.organization.users.name",
                        "foo bar")).list())
                .as("a post of test_org: its org's post titled test_org relates itself, whose org holds foo bar")
                .extracting(r -> r.get("title")).containsExactly("test_org");
    }

    /**
     * Two rules reaching each other's resources: a user is read by themself and by whoever reads their organization,
     * an organization by whoever reads one of its users. Read through the rules once and then without them, they
     * granted every user to an actor who is none of them; they are refused instead.
     */
    @Test
    void rulesReachingEachOthersResourcesAreRefusedRatherThanGrantingEveryRow() {
        Row mine = ashlar.create("organization", Map.of("name", "mine"));
        Row theirs = ashlar.create("organization", Map.of("name", "theirs"));
        Row me = ashlar.create("user", Map.of("organization_id", mine.get("id"), "name", "me"));
        ashlar.create("user", Map.of("organization_id", theirs.get("id"), "name", "stranger"));
        try (Ashlar cyclic = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(Policy.on("organization").read(actor -> exists("users", notNil("id"))),
                        Policy.on("user").read(actor -> or(eq("id", actor.id()),
                                exists("organization", notNil("id")))))
                .build()) {
            assertThatThrownBy(() -> cyclic.withUser(UUID.randomUUID()).read("user").list())
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("organization -> user -> organization");
            assertThatThrownBy(() -> cyclic.withUser(me.get("id")).read("organization").list())
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("user -> organization -> user");
            assertThatThrownBy(() -> cyclic.withUser(me.get("id")).read("organization").load("users").list())
                    .isInstanceOf(QueryException.class);
        }
    }

    @Test
    void aRelationshipWhoseNestedExistsNamesItsSourceTwoLevelsUpFindsTheOrganizationOfTheComment() {
        Row organization = ashlar.create("organization", Map.of("name", "test_org"));
        Row other = ashlar.create("organization", Map.of("name", "other_org"));
        Row inMyOrg = post("test_org", organization.get("id"));
        Row elsewhere = post("lonely", other.get("id"));
        ashlar.create("comment", Map.of("title", "test_org", "post_id", inMyOrg.get("id")));
        ashlar.create("comment", Map.of("title", "no match", "post_id", elsewhere.get("id")));

        String relationship = "orgs_with_the_post_title_in_their_comments";
        assertThat(ashlar.read("post").where(in(relationship + ".name", List.of("test_org"))).list())
                .extracting(r -> r.get("title")).containsExactly("test_org");
        assertThat(ashlar.read("post").sort(Sort.asc("title")).load(relationship).list())
                .extracting(r -> r.related(relationship).size()).containsExactly(0, 1);
    }

    @Test
    void aPolicyThroughAManyToManyAndAnAccessListReadsTheChildForTheListedEmailOnly() {
        Row child = ashlar.create("child", Map.of());
        Row hidden = ashlar.create("child", Map.of());
        Row parent = ashlar.create("parent", Map.of("visible", true));
        Row invisible = ashlar.create("parent", Map.of("visible", false));
        ashlar.create("access", Map.of("parent_id", parent.get("id"), "email", "foo@bar.com"));
        ashlar.create("access", Map.of("parent_id", invisible.get("id"), "email", "foo@bar.com"));
        ashlar.create("through", Map.of("parent_id", parent.get("id"), "child_id", child.get("id")));
        ashlar.create("through", Map.of("parent_id", invisible.get("id"), "child_id", hidden.get("id")));

        assertThat(policed.withUser("foo@bar.com").read("child").list())
                .extracting(r -> r.get("id")).containsExactly(child.get("id"));
        assertThat(policed.withUser("other@bar.com").read("child").list()).isEmpty();
        assertThat(policed.withUser("foo@bar.com").read("parent").where(eq("id", parent.get("id")))
                .load("accesses").one().orElseThrow().related("accesses")).hasSize(1);
    }
}
