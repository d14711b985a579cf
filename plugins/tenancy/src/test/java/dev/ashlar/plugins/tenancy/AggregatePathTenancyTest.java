package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An aggregate over a path of relationships reads every step for the read's tenant, in both strategies, at the top of a
 * read and inside a relationship's load.
 */
@ExtendWith(PostgresExtension.class)
class AggregatePathTenancyTest {
    @TempDir
    Path project;

    /** The resource scoped by a tenant column ({@code org_id}) or by the tenant's schema. */
    static ResourceBuilder scoped(ResourceBuilder builder, boolean column) {
        return column ? builder.attribute("org_id", BIGINT, a -> a.notNull()).with(Multitenancy.attribute("org_id"))
                : builder.with(Multitenancy.context());
    }

    private static Domain domain(boolean column) {
        Domain.Builder domain = Domain.builder("app")
                .resource(scoped(Resource.builder("post").table("posts").primaryKey("id")
                        .attribute("title", TEXT)
                        .hasMany("comments", "comment")
                        .count("count_of_likes", "comments.likes")
                        .calculate("likes_times_ten", Long.class, "count_of_likes * 10")
                        .customAggregate("bodies", "comments", String.class, "string_agg({body}, ',' ORDER BY {body})")
                        .customAggregate("likes_counted", "comments.likes", Long.class, "count({id})"), column).build())
                .resource(scoped(Resource.builder("comment").table("comments").primaryKey("id")
                        .attribute("body", TEXT)
                        .belongsTo("post", "post")
                        .hasMany("likes", "like"), column).build())
                .resource(scoped(Resource.builder("like").table("likes").primaryKey("id")
                        .belongsTo("comment", "comment"), column).build());
        if (!column) {
            domain.resource(Resource.builder("tenant").table("tenants").attribute("id", TEXT, a -> a.primaryKey())
                    .with(ManageTenant.template("tenant_", "id")).build());
        }
        return domain.build();
    }

    @Test
    void aTenantColumnScopesEveryStepOfThePath(TestDatabase db) {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, domain(true), "tenant_")) {
            Ashlar seven = ashlar.withTenant("7");
            Row post = seven.create("post", Map.of("title", "seven"));
            Row comment = seven.create("comment", Map.of("post_id", post.get("id")));
            seven.create("like", Map.of("comment_id", comment.get("id")));
            // Another tenant's like pointing at tenant 7's comment, written around the data layer.
            db.execute("INSERT INTO likes (org_id, comment_id) VALUES (8, " + comment.get("id") + ")");

            Row read = seven.read("post").load("count_of_likes").first().orElseThrow();

            assertThat(read.get("count_of_likes")).isEqualTo(1L);
            assertThat(seven.read("post").load("likes_times_ten").first().orElseThrow().get("likes_times_ten"))
                    .as("a calculation reads the aggregate in the tenant's scope").isEqualTo(10L);
            assertThat(seven.read("post").where(eq("count_of_likes", 1)).count()).isEqualTo(1);
            Row loaded = seven.read("comment").load("post", p -> p.load("count_of_likes").load("likes_times_ten"))
                    .first().orElseThrow().relatedOne("post").orElseThrow();
            assertThat(loaded.get("count_of_likes")).as("inside a load, tenant 8's like is not counted").isEqualTo(1L);
            assertThat(loaded.get("likes_times_ten")).isEqualTo(10L);
        }
        assertThat(db.value("SELECT count(*) FROM likes")).isEqualTo(2L);
    }

    @Test
    void aCustomAggregateNeverReadsAnotherTenantsRowsThatPointAtTheAttackersRecords(TestDatabase db) {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, domain(true), "tenant_")) {
            Ashlar attacker = ashlar.withTenant("8");
            Row post = attacker.create("post", Map.of("title", "bait"));
            Row own = attacker.create("comment", Map.of("post_id", post.get("id"), "body", "mine"));
            attacker.create("like", Map.of("comment_id", own.get("id")));
            // Tenant 7's rows pointing at the attacker's post and comment, written around the data layer.
            db.execute("INSERT INTO comments (org_id, post_id, body) VALUES (7, " + post.get("id") + ", 'secret')");
            db.execute("INSERT INTO likes (org_id, comment_id) VALUES (7, " + own.get("id") + ")");

            Row read = attacker.read("post").load("bodies").load("likes_counted").first().orElseThrow();

            assertThat(read.get("bodies")).isEqualTo("mine");
            assertThat(read.get("likes_counted")).as("over a path").isEqualTo(1L);
            assertThat(attacker.read("post").where(eq("bodies", "mine")).count()).isEqualTo(1);
            assertThat(attacker.read("post").where(eq("bodies", "mine,secret")).count()).isZero();
            Row loaded = attacker.read("comment").load("post", p -> p.load("bodies")).first().orElseThrow()
                    .relatedOne("post").orElseThrow();
            assertThat(loaded.get("bodies")).as("inside a load").isEqualTo("mine");
        }
        assertThat(db.value("SELECT string_agg(body, ',' ORDER BY body) FROM comments")).isEqualTo("mine,secret");
    }

    @Test
    void anExistsFilterASortAndAWriteByACustomAggregateSeeOnlyTheTenantsRows(TestDatabase db) {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, domain(true), "tenant_")) {
            Ashlar attacker = ashlar.withTenant("8");
            Row bait = attacker.create("post", Map.of("title", "bait"));
            attacker.create("comment", Map.of("post_id", bait.get("id"), "body", "mine"));
            Row quiet = attacker.create("post", Map.of("title", "quiet"));
            attacker.create("comment", Map.of("post_id", quiet.get("id"), "body", "b"));
            db.execute("INSERT INTO comments (org_id, post_id, body) VALUES (7, " + bait.get("id") + ", 'a-secret')");

            assertThat(attacker.read("comment").where(exists("post", eq("bodies", "a-secret,mine"))).count())
                    .isZero();
            assertThat(attacker.read("comment").where(exists("post", eq("bodies", "mine"))).count()).isEqualTo(1);
            // Tenant 7's comment would sort the bait last, its bodies starting with "a-secret".
            assertThat(attacker.read("post").sort(Sort.desc("bodies")).list()).extracting(r -> r.getString("title"))
                    .containsExactly("bait", "quiet");
            assertThat(attacker.read("post").where(eq("bodies", "a-secret,mine")).updateAll(Map.of("title", "hit")))
                    .isEmpty();
            assertThat(attacker.read("post").where(eq("bodies", "a-secret,mine")).destroyAll()).isZero();
            assertThat(attacker.read("post").where(eq("bodies", "mine")).updateAll(Map.of("title", "own")))
                    .hasSize(1);
        }
        assertThat(db.value("SELECT string_agg(title, ',' ORDER BY title) FROM posts")).isEqualTo("own,quiet");
    }

    @Test
    void aSchemaPerTenantReadsEveryStepOfThePathInTheTenantsSchema(TestDatabase db) {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, domain(false), "tenant_")) {
            ashlar.create("tenant", Map.of("id", "acme"));
            ashlar.create("tenant", Map.of("id", "globex"));
            Ashlar acme = ashlar.withTenant("tenant_acme");
            Row post = acme.create("post", Map.of("title", "acme"));
            Row comment = acme.create("comment", Map.of("post_id", post.get("id"), "body", "acme's"));
            acme.create("like", Map.of("comment_id", comment.get("id")));
            // The same keys in another schema: a read that left acme's schema would count these too.
            Ashlar globex = ashlar.withTenant("tenant_globex");
            Row other = globex.create("post", Map.of("title", "globex"));
            Row its = globex.create("comment", Map.of("post_id", other.get("id"), "body", "globex's"));
            globex.create("like", Map.of("comment_id", its.get("id")));
            globex.create("like", Map.of("comment_id", its.get("id")));

            assertThat(acme.read("post").load("count_of_likes").first().orElseThrow().get("count_of_likes"))
                    .isEqualTo(1L);
            assertThat(globex.read("post").load("count_of_likes").first().orElseThrow().get("count_of_likes"))
                    .isEqualTo(2L);
            assertThat(acme.read("post").load("likes_times_ten").first().orElseThrow().get("likes_times_ten"))
                    .isEqualTo(10L);
            Row custom = acme.read("post").load("bodies").load("likes_counted").first().orElseThrow();
            assertThat(custom.get("bodies")).as("a custom aggregate reads acme's schema only").isEqualTo("acme's");
            assertThat(custom.get("likes_counted")).isEqualTo(1L);
            Row loaded = acme.read("comment").load("post", p -> p.load("count_of_likes").load("likes_times_ten"))
                    .first().orElseThrow().relatedOne("post").orElseThrow();
            assertThat(loaded.get("count_of_likes")).as("inside a load, globex's likes are not counted")
                    .isEqualTo(1L);
            assertThat(loaded.get("likes_times_ten")).isEqualTo(10L);
        }
        assertThat(db.value("SELECT count(*) FROM tenant_globex.likes")).isEqualTo(2L);
    }
}
