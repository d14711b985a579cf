package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A base filter given in SQL written by hand, on a schema-per-tenant resource reached through a relationship (an
 * {@code exists}, a path filter, a load): its SQL names a table without a schema, which must be the reading
 * tenant's, also in a transaction where another tenant's action put its own schema first on the search path.
 * Tenant {@code t_b}'s comment is visible only where its body is a title of the posts the SQL reads: {@code t_a}'s
 * post has that title, {@code t_b}'s does not, so the comment is hidden unless the SQL reads {@code t_a}'s table.
 */
@ExtendWith(PostgresExtension.class)
class BaseFilterSqlIsolationTest {
    static final String A = "t_a";
    static final String B = "t_b";

    static final Resource POST = Resource.builder("post").table("posts").integerPrimaryKey("id")
            .attribute("title", TEXT)
            .hasMany("comments", "comment")
            .with(Multitenancy.context())
            .build();
    /** Shows only comments whose body is the title of a post, read by SQL that names the table alone. */
    static final Resource COMMENT = Resource.builder("comment").table("comments").integerPrimaryKey("id")
            .attribute("body", TEXT)
            .belongsTo("post", "post")
            .baseFilter("body IS NOT NULL", Filter.sql("body IN (SELECT title FROM posts)"))
            .with(Multitenancy.context())
            .build();
    static final Domain DOMAIN = Domain.builder("base_filter_sql").resources(TwoTenants.TENANT, POST, COMMENT)
            .build();

    @TempDir
    Path project;
    Ashlar owner;

    @BeforeEach
    void tenantBsCommentNamesTenantAsPost(TestDatabase db) {
        owner = TwoTenants.created(db, project, DOMAIN);
        owner.withTenant(A).create("post", Map.of("title", "t_a-post"));
        Object post = owner.withTenant(B).create("post", Map.of("title", "t_b-post")).get("id");
        owner.withTenant(B).create("comment", Map.of("body", "t_a-post", "post_id", post));
    }

    @AfterEach
    void close() {
        owner.close();
    }

    @Test
    void aBaseFilterInSqlReachedThroughARelationshipReadsTheReadingTenantsTables() {
        Ashlar b = owner.withTenant(B);

        assertThat(seenBy(b)).containsExactly(0L, 0L, List.of());
    }

    @Test
    void aBaseFilterInSqlReachedThroughARelationshipAfterAnotherTenantsActionInOneTransactionReadsNoTableOfIt() {
        List<Object> seen = owner.transaction(tx -> {
            tx.withTenant(A).read("post").where(Filter.sql("title IS NOT NULL")).list();
            return seenBy(tx.withTenant(B));
        });

        assertThat(seen).containsExactly(0L, 0L, List.of());
    }

    /** What b sees of its comment through the post: by exists, by a path filter, and loaded. */
    private static List<Object> seenBy(Ashlar b) {
        List<Object> seen = new ArrayList<>();
        seen.add(b.read("post").where(exists("comments")).count());
        seen.add(b.read("post").where(eq("comments.body", "t_a-post")).count());
        seen.add(b.read("post").load("comments").first().orElseThrow().related("comments").stream()
                .map(comment -> comment.getString("body")).toList());
        return seen;
    }
}
