package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's policy tests (has_policies, update_with_policy, create_policy_filter,
 * aggregate_policy_calculation_argument) and Hibernate's {@code @Filter} enabled per session, restated over
 * {@code Ashlar.builder().policies(...)} with the handle's actor ({@code withUser}), asserted on the stored rows.
 */
class PolicyParityTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("parity_policies")
            .resource(Resource.builder("account").table("accounts").attribute("id", TEXT, a -> a.primaryKey())
                    .attribute("title", TEXT)
                    .hasMany("posts", "post", r -> r.destinationAttribute("author_id"))
                    .count("count_of_posts", "posts")
                    .calculate("posts_label", String.class, "title || ':' || count_of_posts")
                    .build())
            .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                    .attribute("title", TEXT).attribute("score", INTEGER).attribute("public", BOOLEAN)
                    .attribute("author_id", TEXT)
                    .identity("unique_title", "title")
                    .build())
            .build();

    /** Ash's post policies: authors read their posts and public ones, and change only their own. */
    static final Policy POSTS = Policy.on("post")
            .read(actor -> or(eq("author_id", actor.id()), eq("public", true)))
            .create(actor -> eq("author_id", actor.id()))
            .update(actor -> eq("author_id", actor.id()))
            .destroy(actor -> eq("author_id", actor.id()));
    static final Policy ACCOUNTS = Policy.on("account").read(Policy.EVERY_ROW);

    private Ashlar policed;

    PolicyParityTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void policed() {
        policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(POSTS, ACCOUNTS).build();
    }

    @AfterAll
    void closed() {
        policed.close();
    }

    @BeforeEach
    void rows() {
        db.execute("TRUNCATE accounts, posts RESTART IDENTITY");
        db.execute("INSERT INTO accounts (id, title) VALUES ('ada', 'Ada'), ('bob', 'Bob')");
        db.execute("INSERT INTO posts (title, score, public, author_id) VALUES ('ada draft', 1, false, 'ada'), "
                + "('ada essay', 2, true, 'ada'), ('bob draft', 3, false, 'bob')");
    }

    private String posts() {
        return String.valueOf(db.value("SELECT string_agg(title || ':' || score || ':' || author_id, ',' "
                + "ORDER BY title) FROM posts"));
    }

    // has_policies_test: a read by an actor returns the records its read policy allows, and none without an actor.
    @Test
    void hasPoliciesReadsTheRecordsThePolicyAllowsTheActor() {
        assertThat(policed.withUser("bob").read("post").values("title", String.class))
                .containsExactlyInAnyOrder("ada essay", "bob draft");
        assertThat(policed.withUser("ada").read("post").count()).isEqualTo(2);
        assertThatThrownBy(() -> policed.read("post").list()).isInstanceOf(ForbiddenException.class);
    }

    // update_with_policy_test: an update of a record outside the update policy fails and changes nothing, though
    // the actor may read it (a public post).
    @Test
    void updateWithPolicyOfAReadableButNotOwnRecordIsNotFoundAndChangesNothing() {
        Ashlar bob = policed.withUser("bob");
        Row essay = bob.read("post").where(eq("title", "ada essay")).one().orElseThrow();

        assertThatThrownBy(() -> bob.update(essay, Map.of("score", 99))).isInstanceOf(NotFoundException.class);
        assertThat(bob.read("post").updateCount(Map.of("score", 0))).isEqualTo(1);

        assertThat(posts()).isEqualTo("ada draft:1:ada,ada essay:2:ada,bob draft:0:bob");
    }

    // create_policy_filter_test: a create meets the create policy's filter, or is forbidden and writes nothing.
    @Test
    void createPolicyFilterAllowsTheActorsOwnRecordAndForbidsAnother() {
        Ashlar bob = policed.withUser("bob");

        assertThat(bob.create("post", Map.of("title", "bob new", "score", 4, "author_id", "bob")).get("author_id"))
                .isEqualTo("bob");
        assertThatThrownBy(() -> bob.create("post", Map.of("title", "forged", "score", 5, "author_id", "ada")))
                .isInstanceOfSatisfying(ForbiddenException.class, e -> assertThat(e.policy()).isEqualTo("create"));

        assertThat(posts()).isEqualTo("ada draft:1:ada,ada essay:2:ada,bob draft:3:bob,bob new:4:bob");
    }

    // aggregate_policy_calculation_argument_test: an aggregate, and a calculation over it, count only the related
    // records the actor may read.
    @Test
    void anAggregateAndACalculationOverItCountOnlyTheRecordsTheActorMayRead() {
        Row ada = policed.withUser("bob").read("account").where(eq("id", "ada")).load("count_of_posts")
                .load("posts_label").list().get(0);

        assertThat(((Number) ada.get("count_of_posts")).longValue()).isEqualTo(1);
        assertThat(ada.get("posts_label")).isEqualTo("Ada:1");
        assertThat(policed.withUser("ada").read("account").where(eq("count_of_posts", 2L)).values("id", String.class))
                .containsExactly("ada");
    }

    // Hibernate: session.enableFilter("byAuthor").setParameter("author", "bob") on a @FilterDef'd entity, then a
    // query and a bulk delete; a session that never enables it sees every row (here: bypassPolicies()).
    @Test
    void aFilterEnabledForASessionKeepsItsQueriesAndBulkDeletesToTheParameter() {
        Ashlar session = policed.withUser("bob");

        assertThat(session.read("post").where(eq("public", false)).values("title", String.class))
                .containsExactly("bob draft");
        assertThat(session.read("post").destroyAll()).isEqualTo(1);
        assertThat(policed.bypassPolicies().read("post").count()).isEqualTo(2);
        assertThat(posts()).isEqualTo("ada draft:1:ada,ada essay:2:ada");
    }

    @Test
    @RequiresPostgres(value = 15, reason = "MERGE")
    void aMergeMatchesOnlyTheRowsTheActorMayChangeAndInsertsOnlyWhatTheCreatePolicyAllows() {
        Ashlar bob = policed.withUser("bob");

        bob.merge("post", List.of(Map.of("title", "ada essay", "score", 50), Map.of("title", "bob draft", "score", 30)),
                Merge.on("title").whenMatched().update());
        bob.merge("post", List.of(Map.of("title", "ada draft")), Merge.on("title").whenMatched().delete());
        assertThatThrownBy(() -> bob.merge("post", List.of(Map.of("title", "forged", "score", 1, "author_id", "ada")),
                Merge.on("title").whenNotMatched().insert())).isInstanceOf(ForbiddenException.class);

        assertThat(posts()).isEqualTo("ada draft:1:ada,ada essay:2:ada,bob draft:30:bob");
    }
}
