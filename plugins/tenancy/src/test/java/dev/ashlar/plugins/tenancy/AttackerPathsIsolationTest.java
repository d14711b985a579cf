package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Range;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Bulk;
import dev.ashlar.kernel.data.BulkResult;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.rangeOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The paths the other isolation tests leave, from the attacker's side, as the tables' owner (whom no row-level
 * security holds): relationships related by a filter comparing with {@code parent(...)}, also through the parent's own
 * relationship; writes of one tenant's handle after another's inside one transaction; and the words of the errors a
 * write meets on another tenant's row. Tenant {@code t_b} also holds a comment planted against the key of tenant
 * {@code t_a}'s post, and a comment whose body is {@code t_a}'s post's title, so a parent path that forgets the
 * tenant relates them. Every test asserts on the rows in the database.
 */
@ExtendWith(PostgresExtension.class)
class AttackerPathsIsolationTest {
    static final String A = "t_a";
    static final String B = "t_b";

    /** One strategy's resources and tables; a table's name is formatted with the tenant. */
    enum Strategy {
        CONTEXT("post", "comment", "%s.posts", "%s.comments", ""),
        ATTRIBUTE("note", "remark", "notes", "remarks", " WHERE org_id = '%s'");

        final String post;
        final String comment;
        final String posts;
        final String comments;
        final String tenantWhere;

        Strategy(String post, String comment, String posts, String comments, String tenantWhere) {
            this.post = post;
            this.comment = comment;
            this.posts = posts;
            this.comments = comments;
            this.tenantWhere = tenantWhere;
        }

        String rowsOf(String table, String tenant, String column) {
            return "SELECT string_agg(" + column + ", ',' ORDER BY " + column + ") FROM " + table.formatted(tenant)
                    + tenantWhere.formatted(tenant);
        }
    }

    static final Domain DOMAIN = Domain.builder("attacker_paths").resources(TwoTenants.TENANT,
            post("post", "comment", false), comment("comment", "post", false),
            post("note", "remark", true), comment("remark", "note", true)).build();

    private static ResourceBuilder scoped(ResourceBuilder builder, boolean column) {
        return column ? builder.attribute("org_id", TEXT, a -> a.notNull())
                .with(Multitenancy.attribute("org_id").global(true).rowLevelSecurity(true))
                : builder.with(Multitenancy.context());
    }

    private static Resource post(String name, String comment, boolean column) {
        return scoped(Resource.builder(name).table(name + "s").integerPrimaryKey("id")
                .attribute("title", TEXT).attribute("code", TEXT).attribute("kind", TEXT)
                .attribute("stay", rangeOf(INTEGER))
                .identity("unique_code", List.of("code"), null, true)
                .hasMany("comments", comment, r -> r.destinationAttribute("post_id"))
                .hasMany("same_kind", name, r -> r.noAttributes().filter(eq("kind", parent("kind"))))
                .count("same_kind_count", "same_kind")
                .count("comment_count", "comments")
                .list("bodies", "comments", "body", Sort.asc("body"))
                .first("first_body", "comments", "body", Sort.desc("body"))
                .max("last_body", "comments", "body")
                .exists("planted", "comments", eq("body", "t_b-planted"))
                .calculate("score", Long.class, "comment_count * 10 + length(coalesce(last_body, ''))"), column)
                .build();
    }

    private static Resource comment(String name, String post, boolean column) {
        return scoped(Resource.builder(name).table(name + "s").integerPrimaryKey("id")
                .attribute("body", TEXT)
                .belongsTo("post", post)
                .hasMany("named_after_post", name, r -> r.noAttributes().filter(eq("body", parent("post.title"))))
                .count("named_after_post_count", "named_after_post"), column).build();
    }

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;

    @BeforeEach
    void twoTenantsWithRows(TestDatabase db) {
        this.db = db;
        owner = TwoTenants.created(db, project, DOMAIN);
        for (Strategy strategy : Strategy.values()) {
            for (String tenant : List.of(A, B)) {
                int from = tenant.equals(A) ? 100 : 300;
                Row post = owner.withTenant(tenant).create(strategy.post, Map.of("title", tenant + "-post",
                        "code", tenant + "-code", "kind", "shared", "stay", Range.closedOpen(from, from + 100)));
                owner.withTenant(tenant).create(strategy.comment, Map.of("body", tenant + "-comment",
                        "post_id", post.get("id")));
            }
            Object bsPost = owner.withTenant(B).read(strategy.post).first().orElseThrow().get("id");
            owner.withTenant(B).create(strategy.comment, Map.of("body", "t_a-post", "post_id", bsPost));
            plantACommentOfBAgainstAsPost(strategy);
        }
    }

    /** A row of b's whose key names a's post; foreign keys would refuse it, so they are set aside for the insert. */
    private void plantACommentOfBAgainstAsPost(Strategy strategy) {
        Object idOfA = owner.withTenant(A).read(strategy.post).first().orElseThrow().get("id");
        String columns = strategy == Strategy.ATTRIBUTE ? "(org_id, body, post_id) VALUES ('t_b', "
                : "(body, post_id) VALUES (";
        db.execute("SET session_replication_role = replica; INSERT INTO " + strategy.comments.formatted(B) + " "
                + columns + "'t_b-planted', " + idOfA + "); RESET session_replication_role");
    }

    @AfterEach
    void close() {
        owner.close();
    }

    private void assertTenantAUntouched(Strategy strategy) {
        assertThat(db.value(strategy.rowsOf(strategy.posts, A, "title || '/' || code || '/' || stay::text")))
                .isEqualTo("t_a-post/t_a-code/[100,200)");
        assertThat(db.value(strategy.rowsOf(strategy.comments, A, "body"))).isEqualTo("t_a-comment");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Strategy.class)
    void relationshipsRelatedByAParentFilterRelateOnlyTheCallersRowsAlsoThroughTheParentsRelationship(
            Strategy strategy) {
        Ashlar b = owner.withTenant(B);
        // Both tenants' posts are of one kind: b's post relates to itself alone unless the filter crosses tenants.
        List<Row> posts = b.read(strategy.post).load("same_kind").load("same_kind_count").list();
        List<Row> comments = b.read(strategy.comment).load("named_after_post").load("named_after_post_count").list();

        assertThat(posts).extracting(p -> p.getString("title") + ":" + p.get("same_kind_count") + ":"
                + p.related("same_kind").stream().map(r -> r.getString("title")).toList())
                .containsExactly("t_b-post:1:[t_b-post]");
        assertThat(b.read(strategy.post).where(exists("same_kind", eq("title", "t_a-post"))).count()).isZero();
        // b's comment titled like a's post is related to none of b's comments: b's comments' posts are b's post,
        // or, for the planted one, a post b's scope does not hold (attribute) or b's own post of the same key
        // (a schema numbers its own rows).
        assertThat(comments).allSatisfy(c -> {
            assertThat(c.related("named_after_post")).as(c.getString("body")).isEmpty();
            assertThat(c.get("named_after_post_count")).isEqualTo(0L);
        });
        assertThat(b.read(strategy.comment).where(exists("named_after_post")).count()).isZero();
        assertThat(b.read(strategy.comment).where(eq("named_after_post.body", "t_a-post")).destroyAll()).isZero();
        assertTenantAUntouched(strategy);
        assertThat(db.value(strategy.rowsOf(strategy.comments, B, "body")))
                .isEqualTo("t_a-post,t_b-comment,t_b-planted");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Strategy.class)
    void aVictimsAggregatesCalculationsFiltersAndSortsNeverCountRowsAnotherTenantPlantedAgainstItsKeys(
            Strategy strategy) {
        Ashlar a = owner.withTenant(A);

        Row post = a.read(strategy.post).load("comment_count").load("bodies").load("first_body").load("last_body")
                .load("planted").load("score").first().orElseThrow();

        assertThat(List.of(post.get("comment_count"), post.get("bodies"), post.get("first_body"),
                post.get("last_body"), post.get("planted"), post.get("score")))
                .containsExactly(1L, List.of("t_a-comment"), "t_a-comment", "t_a-comment", false, 21L);
        assertThat(a.read(strategy.post).where(eq("comments.body", "t_b-planted")).exists()).isFalse();
        assertThat(a.read(strategy.post).where(exists("comments", eq("body", "t_b-planted"))).count()).isZero();
        assertThat(a.read(strategy.post).where(gt("comment_count", 1)).count()).isZero();
        assertThat(a.read(strategy.post).where(eq("planted", true)).updateAll(Map.of("title", "x"))).isEmpty();
        assertThat(a.read(strategy.post).sort(Sort.desc("last_body"), Sort.asc("id")).after("t_b-planted", 0).list())
                .extracting(r -> r.getString("title")).containsExactly("t_a-post");
        assertThat(a.read(strategy.post).where(gt("score", 21)).destroyAll()).isZero();
        assertTenantAUntouched(strategy);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Strategy.class)
    void aTenantsWritesAfterAnotherTenantsActionsInOneTransactionChangeOnlyItsOwnRows(Strategy strategy) {
        List<Integer> changed = owner.transaction(tx -> {
            tx.withTenant(A).read(strategy.post).load("comments").list();
            tx.withTenant(A).read(strategy.comment).where(eq("body", "t_a-comment")).count();
            List<Integer> counts = new ArrayList<>();
            counts.add(tx.withTenant(B).read(strategy.post).updateAll(Map.of("title", "renamed")).size());
            counts.add(tx.withTenant(B).read(strategy.comment).destroyAll());
            tx.withTenant(A).read(strategy.post).exists();
            counts.add(tx.withTenant(B).createAll(strategy.comment, List.of(Map.of("body", "new"))).size());
            counts.add(tx.withTenant(B).upsert(strategy.post, List.of(Map.of("code", "t_b-code", "title", "again")),
                    Upsert.on("unique_code")).size());
            return counts;
        });

        assertThat(changed).containsExactly(1, 3, 1, 1);
        assertTenantAUntouched(strategy);
        assertThat(db.value(strategy.rowsOf(strategy.posts, B, "title"))).isEqualTo("again");
        assertThat(db.value(strategy.rowsOf(strategy.comments, B, "body"))).isEqualTo("new");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Strategy.class)
    void madeUpRowsNamingAnotherTenantsKeysReachOnlyTheCallersRows(Strategy strategy) {
        Ashlar b = owner.withTenant(B);
        Object keyOfA = owner.withTenant(A).read(strategy.post).first().orElseThrow().get("id");
        Object keyOfAsComment = owner.withTenant(A).read(strategy.comment).first().orElseThrow().get("id");
        Row madeUp = Row.of(strategy.post, Map.of("id", keyOfA, "title", "t_a-post"));
        Row madeUpComment = Row.of(strategy.comment, Map.of("id", keyOfAsComment));

        List<String> outcomes = new ArrayList<>();
        outcomes.add(outcome(() -> b.update(madeUp, Map.of("title", "hijacked")).getString("title")));
        outcomes.add(outcome(() -> b.updateAll(List.of(madeUp), Map.of("code", "hijacked")).size()));
        outcomes.add(outcome(() -> b.load(List.of(madeUp), "comments").get(0).related("comments").stream()
                .map(c -> c.getString("body")).toList()));
        outcomes.add(outcome(() -> b.destroyAll(List.of(madeUpComment))));
        outcomes.add(outcome(() -> {
            b.destroy(madeUp);
            return "destroyed";
        }));

        if (strategy == Strategy.ATTRIBUTE) {
            // The key loads b's own comment planted against it, never a's.
            assertThat(outcomes).containsExactly("refused", "0", "[t_b-planted]", "0", "refused");
            assertThat(db.value(strategy.rowsOf(strategy.posts, B, "title"))).isEqualTo("t_b-post");
        } else {
            // A schema numbers its own rows: a's key names b's own post and comment, never a's.
            assertThat(db.value(strategy.rowsOf(strategy.posts, B, "title"))).isNull();
        }
        assertTenantAUntouched(strategy);
    }

    /** What an action gave, or "refused" when an error stopped it. */
    private static String outcome(java.util.function.Supplier<?> action) {
        try {
            return String.valueOf(action.get());
        } catch (AshlarException e) {
            return "refused";
        }
    }

    @Test
    void anExclusionConflictWithAnotherTenantsRowNamesNoneOfItsValues() {
        // An exclusion constraint across tenants, written by hand: b's stays may not overlap a's either.
        db.execute("ALTER TABLE notes ADD CONSTRAINT notes_no_overlap EXCLUDE USING gist (stay WITH &&)");
        Ashlar b = owner.withTenant(B);
        Row own = b.read("note").first().orElseThrow();

        List<String> messages = new ArrayList<>();
        messages.add(refusal(() -> b.create("note", Map.of("title", "x", "stay", Range.closedOpen(150, 151)))));
        messages.add(refusal(() -> b.update(own, Map.of("stay", Range.closedOpen(199, 301)))));
        messages.add(refusal(() -> b.read("note").updateAll(Map.of("stay", Range.closedOpen(120, 130)))));
        BulkResult bulk = b.createAll("note", List.of(Map.of("title", "y", "stay", Range.closedOpen(160, 161))),
                Bulk.collectErrors());
        bulk.errors().forEach(failure -> messages.add(failure.error().getMessage()));
        messages.add(refusal(() -> b.create("note", Map.of("title", "z", "code", "t_a-code"))));

        assertThat(messages).hasSize(5).allSatisfy(message -> assertThat(message)
                .doesNotContain("100").doesNotContain("200").doesNotContain("t_a-post"));
        assertThat(messages.get(0)).contains("conflicts with another record").contains("notes_no_overlap")
                .as("the writer's own key is kept").contains("Key (stay)=([150,151))");
        assertThat(messages.get(4)).contains("code has already been taken");
        assertTenantAUntouched(Strategy.ATTRIBUTE);
        assertThat(db.value(Strategy.ATTRIBUTE.rowsOf("notes", B, "title || '/' || stay::text")))
                .isEqualTo("t_b-post/[300,400)");
    }

    /** The message of the error that refused an action; fails when the action was carried out. */
    private static String refusal(Runnable action) {
        try {
            action.run();
        } catch (InvalidDataException e) {
            return e.getMessage() + " " + e.errors();
        } catch (AshlarException e) {
            return e.getMessage();
        }
        throw new AssertionError("the action was carried out");
    }
}
