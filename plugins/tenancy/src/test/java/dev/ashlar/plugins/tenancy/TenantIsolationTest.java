package dev.ashlar.plugins.tenancy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Operation;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Returning;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.Router;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Isolation from the attacker's side: tenant {@code t_b}, with every data-layer entry point, tries to
 * read or write tenant {@code t_a}'s rows — through its own handle, a query naming {@code t_a}, a forged
 * tenant value, and a row read as {@code t_a} — in both strategies, as the tables' owner and as an
 * ordinary role under row-level security. Every test asserts on the rows in the database: none cross.
 */
@ExtendWith(PostgresExtension.class)
class TenantIsolationTest {
    static final String A = "t_a";
    static final String B = "t_b";
    static final String ROLE = "ashlar_isolation";

    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .with(ManageTenant.template("t_", "id"))
            .build();
    static final Resource POST = Resource.builder("post").table("posts").integerPrimaryKey("id")
            .attribute("title", TEXT).attribute("slug", TEXT).attribute("code", TEXT)
            .identity("unique_slug", "slug")
            .identity("unique_code", List.of("code"), null, true)
            .hasMany("comments", "comment")
            .calculate("comments_seen", Long.class, "(SELECT count(*) FROM comments)")
            .with(Multitenancy.context())
            .build();
    static final Resource COMMENT = Resource.builder("comment").table("comments").integerPrimaryKey("id")
            .attribute("body", TEXT)
            .belongsTo("post", "post")
            .with(Multitenancy.context())
            .build();
    static final Resource NOTE = Resource.builder("note").table("notes").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull())
            .attribute("title", TEXT).attribute("slug", TEXT).attribute("code", TEXT)
            .identity("unique_slug", "slug")
            .identity("unique_code", List.of("code"), null, true)
            .calculate("lower_code", String.class, "lower(code)")
            .identity("unique_lower_code", List.of("lower_code"), null, true)
            .hasMany("comments", "remark", r -> r.destinationAttribute("post_id"))
            .with(Multitenancy.attribute("org_id").global(true).rowLevelSecurity(true))
            .build();
    static final Resource REMARK = Resource.builder("remark").table("remarks").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull())
            .attribute("body", TEXT)
            .belongsTo("post", "note")
            .with(Multitenancy.attribute("org_id").global(true).rowLevelSecurity(true))
            .build();
    static final Domain DOMAIN = Domain.builder("isolation").resources(TENANT, POST, COMMENT, NOTE, REMARK).build();

    /** One strategy's resources and how to count a tenant's rows with raw SQL. */
    record Strategy(String name, String post, String comment, Function<String, String> postsOf,
                    Function<String, String> commentsOf) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Strategy CONTEXT = new Strategy("context", "post", "comment",
            t -> "SELECT count(*) FROM " + t + ".posts", t -> "SELECT count(*) FROM " + t + ".comments");
    static final Strategy ATTRIBUTE = new Strategy("attribute", "note", "remark",
            t -> "SELECT count(*) FROM notes WHERE org_id = '" + t + "'",
            t -> "SELECT count(*) FROM remarks WHERE org_id = '" + t + "'");

    static Stream<Arguments> matrix() {
        return Stream.of(Arguments.of(CONTEXT, false), Arguments.of(CONTEXT, true),
                Arguments.of(ATTRIBUTE, false), Arguments.of(ATTRIBUTE, true));
    }

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;
    HikariDataSource ordinaryPool;
    Ashlar ordinary;

    @BeforeEach
    void twoTenantsWithRows(TestDatabase db) {
        this.db = db;
        owner = TwoTenants.created(db, project, DOMAIN);
        for (Strategy strategy : List.of(CONTEXT, ATTRIBUTE)) {
            for (String tenant : List.of(A, B)) {
                Row post = owner.withTenant(tenant).create(strategy.post, Map.of("title", tenant + "-post",
                        "slug", "same-slug", "code", tenant + "-code"));
                owner.withTenant(tenant).create(strategy.comment, Map.of("body", tenant + "-comment",
                        "post_id", post.get("id")));
            }
        }
        // An ordinary role: held to row-level security, unlike the owner (a superuser here).
        ordinaryPool = OrdinaryRole.pool(db, ROLE, List.of("public", A, B));
        ordinary = Ashlar.builder().dataSource(ordinaryPool).domain(DOMAIN).install(new TenancyPlugin()).build();
    }

    @AfterEach
    void close() {
        ordinary.close();
        ordinaryPool.close();
        owner.close();
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void aTenantsUpdateAllReturningKeysChangesAndReturnsOnlyItsOwnRows(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);
        Object own = b.read(strategy.post).list().get(0).get("id");

        List<Row> keys = b.read(strategy.post).updateAll(Map.of("title", "renamed"), Returning.KEYS);

        assertThat(keys).extracting(Row::toMap).containsExactly(Map.of("id", own));
        assertThat(keys).allSatisfy(key -> assertThat(key.tenant()).contains(B));
        assertThat(b.read(strategy.post).list()).extracting(r -> r.getString("title")).containsExactly("renamed");
        assertTenantAUntouched(strategy);
    }

    @Test
    void aNullTenantIsRefusedInsteadOfWideningTheHandleToEveryTenant() {
        Ashlar a = owner.withTenant(A);

        assertThatThrownBy(() -> a.withTenant(null)).isInstanceOf(AshlarException.class)
                .hasMessageContaining("withTenant(null)").hasMessageContaining("withoutTenant()");
        assertThat(a.read("note").list()).extracting(r -> r.getString("title")).containsExactly("t_a-post");
        assertThat(a.withoutTenant().read("note").list()).hasSize(2);
        assertThatThrownBy(() -> a.withoutTenant().read("post").list()).isInstanceOf(AshlarException.class)
                .hasMessageContaining("must name a tenant");
        assertThatThrownBy(() -> owner.withoutTenant().read("note").tenant(null)).isInstanceOf(AshlarException.class)
                .hasMessageContaining("was given a null tenant");
        assertThat(owner.withoutTenant().read("note").tenant(A).list()).extracting(r -> r.getString("title"))
                .containsExactly("t_a-post");
    }

    private Ashlar as(boolean ordinaryRole, String tenant) {
        return (ordinaryRole ? ordinary : owner).withTenant(tenant);
    }

    private long count(String sql) {
        return (Long) db.value(sql);
    }

    /** Tenant a's rows, exactly as seeded: one post titled t_a-post and one comment. */
    private void assertTenantAUntouched(Strategy strategy) {
        assertThat(count(strategy.postsOf.apply(A))).isEqualTo(1L);
        assertThat(count(strategy.commentsOf.apply(A))).isEqualTo(1L);
        String table = strategy == CONTEXT ? "t_a.posts" : "notes";
        String where = strategy == CONTEXT ? "" : " WHERE org_id = 't_a'";
        assertThat(db.value("SELECT title || '/' || code FROM " + table + where)).isEqualTo("t_a-post/t_a-code");
    }

    private static String titleOrNotFound(java.util.function.Supplier<Row> get) {
        try {
            return get.get().getString("title");
        } catch (dev.ashlar.api.error.AshlarException e) {
            assertThat(e.code()).isEqualTo(dev.ashlar.api.error.ErrorCode.NOT_FOUND);
            return null;
        }
    }

    private Row rowOfA(Strategy strategy, String resource) {
        return owner.withTenant(A).read(resource).first().orElseThrow();
    }

    record CommentBody(String body) {
    }

    record PostComments(String title, List<CommentBody> comments) {
    }

    record PostTitle(String title) {
    }

    record CommentOnPost(String body, PostTitle post) {
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void anotherTenantsHandleReadsCountsAndLoadsOnlyItsOwnRows(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        assertThat(b.read(strategy.post).list()).extracting(r -> r.getString("title")).containsExactly("t_b-post");
        assertThat(b.read(strategy.post).where(eq("title", "t_a-post")).exists()).isFalse();
        assertThat(b.read(strategy.post).where(eq("title", "t_a-post")).count()).isZero();
        assertThat(b.read(strategy.post).where(eq("comments.body", "t_a-comment")).list()).isEmpty();
        assertThat(b.read(strategy.post).where(exists("comments", eq("body", "t_a-comment"))).count()).isZero();
        assertThat(b.read(strategy.post).load("comments").list()).flatExtracting(r -> r.related("comments"))
                .extracting(r -> r.getString("body")).containsExactly("t_b-comment");
        assertThat(b.read(strategy.comment).load("post").list()).extracting(r -> r.relatedOne("post")
                .orElseThrow().getString("title")).containsExactly("t_b-post");
        assertThat(b.read(strategy.post).load("comments").list(PostComments.class))
                .containsExactly(new PostComments("t_b-post", List.of(new CommentBody("t_b-comment"))));
        assertThat(b.read(strategy.comment).load("post").list(CommentOnPost.class))
                .containsExactly(new CommentOnPost("t_b-comment", new PostTitle("t_b-post")));
        Object idOfA = rowOfA(strategy, strategy.post).get("id");
        List<Row> byKey = b.read(strategy.post).where(eq("id", idOfA)).list();
        assertThat(byKey).extracting(r -> r.getString("title")).doesNotContain("t_a-post");
        List<Row> inTransaction = b.transaction(tx -> tx.read(strategy.post).list());
        assertThat(inTransaction).extracting(r -> r.getString("title")).containsExactly("t_b-post");
        assertThat(b.read(strategy.post).max("title")).isEqualTo("t_b-post");
        assertThat(b.read(strategy.post).min("title")).isEqualTo("t_b-post");
        assertThat(b.read(strategy.post).distinct("title").list()).extracting(r -> r.getString("title"))
                .containsExactly("t_b-post");
        List<String> streamed = new java.util.ArrayList<>();
        b.read(strategy.post).forEach(row -> streamed.add(row.getString("title")));
        assertThat(streamed).containsExactly("t_b-post");
        assertThat(b.read(strategy.post).unionAll(b.read(strategy.post).where(ne("title", "x"))).list())
                .extracting(r -> r.getString("title")).containsExactly("t_b-post", "t_b-post");
        assertThat(b.read(strategy.post).unionAll(b.read(strategy.post))
                .where(exists("comments", eq("body", "t_a-comment"))).list()).isEmpty();
        assertThat(b.read(strategy.post).unionAll(b.read(strategy.post))
                .where(exists("comments", eq("body", "t_b-comment"))).list()).hasSize(2);
        assertThatThrownBy(() -> b.read(strategy.post).union(owner.withTenant(A).read(strategy.post)))
                .hasMessageContaining("runs for one tenant");
        List<Row> loadedOnRows = b.load(b.read(strategy.post).list(), "comments");
        assertThat(loadedOnRows).flatExtracting(r -> r.related("comments")).extracting(r -> r.getString("body"))
                .containsExactly("t_b-comment");
        assertThatThrownBy(() -> b.load(List.of(rowOfA(strategy, strategy.post)), "comments"))
                .hasMessageContaining("belongs to tenant '" + A + "', not '" + B + "': load it through "
                        + "ashlar.withTenant(\"" + A + "\")");
    }

    @ParameterizedTest(name = "ordinary role: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void sqlWrittenByHandInATenantsReadNamesOnlyThatTenantsTables(boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        List<Row> rows = b.read("post").compute("comments_seen", Long.class,
                "SELECT count(*) FROM comments").where(dev.ashlar.api.query.Filter.sql(
                "EXISTS (SELECT 1 FROM comments c WHERE c.post_id = posts.id AND c.body LIKE ?)", "t\\_%")).list();

        assertThat(rows).extracting(r -> r.getString("title") + ":" + r.get("comments_seen"))
                .containsExactly("t_b-post:1");
        List<Row> loaded = b.read("post").load("comments", c -> c.where(dev.ashlar.api.query.Filter.sql(
                "body IN (SELECT body FROM comments)"))).list();
        assertThat(loaded).flatExtracting(r -> r.related("comments")).extracting(r -> r.getString("body"))
                .containsExactly("t_b-comment");
        assertThat(b.read("post").union(b.read("post").where(dev.ashlar.api.query.Filter.sql(
                "EXISTS (SELECT 1 FROM comments)"))).list()).extracting(r -> r.getString("title"))
                .containsExactly("t_b-post");
    }

    @ParameterizedTest(name = "ordinary role: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void sqlWrittenByHandAfterAnotherTenantsReadInOneTransactionNamesNoTableOfThatTenant(boolean ordinaryRole) {
        Ashlar any = ordinaryRole ? ordinary : owner;

        List<Object> seen = any.transaction(tx -> {
            tx.withTenant(A).read("post").where(dev.ashlar.api.query.Filter.sql("title IS NOT NULL")).list();
            List<Object> titles = new java.util.ArrayList<>();
            // A main-schema resource's SQL through b's handle, then b's tenant-column resource's: neither in t_a.
            titles.add(tx.withTenant(B).read("tenant").compute("seen", String.class,
                    "SELECT to_regclass('posts')::text").first().orElseThrow().get("seen"));
            titles.add(tx.withTenant(B).read("note").compute("seen", String.class,
                    "SELECT to_regclass('posts')::text").first().orElseThrow().get("seen"));
            titles.add(tx.withTenant(B).read("post").compute("seen", String.class,
                    "SELECT string_agg(title, ',') FROM posts").first().orElseThrow().get("seen"));
            return titles;
        });

        assertThat(seen).containsExactly(null, null, "t_b-post");
    }

    @Test
    void aTenantsRowLevelSecuritySettingIsEmptiedForTheNextActionOfTheSameTransaction() {
        List<Object> seen = ordinary.transaction(tx -> {
            tx.withTenant(A).read("note").list();
            List<Object> out = new java.util.ArrayList<>();
            // b's handle on a main-schema resource sets no tenant setting: a's must not be left for its SQL.
            out.add(tx.withTenant(B).read("tenant").compute("seen", String.class,
                    "SELECT string_agg(title, ',') FROM notes").first().orElseThrow().get("seen"));
            out.add(tx.read("note").count());
            out.add(tx.withTenant(B).read("note").list().size());
            return out;
        });

        assertThat(seen).containsExactly(null, 0L, 1);
    }

    /** A plugin that routes every read to the data source named "replica". */
    private interface Routing extends AshlarPlugin, Router {
    }

    @Test
    void readsOfTenantsInTurnOnAReplicasPooledConnectionSeeOnlyTheirOwnRows() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(ordinaryPool.getJdbcUrl() + "&ApplicationName=replica");
        config.setUsername(ROLE);
        // One connection, so each read reuses the connection the read of the other tenant used just before.
        config.setMaximumPoolSize(1);
        Routing toReplica = new Routing() {
            @Override
            public String id() {
                return "to-replica";
            }

            @Override
            public Optional<String> route(Resource resource, Operation operation) {
                return operation == Operation.READ ? Optional.of("replica") : Optional.empty();
            }
        };
        List<String> seen = new java.util.ArrayList<>();
        try (HikariDataSource replica = new HikariDataSource(config);
             Ashlar routed = Ashlar.builder().dataSource(ordinaryPool).dataSource("replica", replica).domain(DOMAIN)
                     .install(new TenancyPlugin()).install(toReplica).build()) {
            for (String tenant : List.of(A, B, A, B)) {
                Ashlar handle = routed.withTenant(tenant);
                for (String resource : List.of("post", "note")) {
                    // SQL written by hand names the table without a schema, and reads it under row-level security.
                    seen.add(handle.read(resource).compute("seen", String.class, "SELECT current_setting("
                            + "'application_name') || ':' || string_agg(title, ',') FROM " + resource + "s")
                            .first().orElseThrow().get("seen") + "/" + handle.read(resource).count() + "/"
                            + handle.read(resource).load("comments").first().orElseThrow().related("comments").stream()
                            .map(comment -> comment.getString("body")).toList());
                }
            }
            seen.add("no tenant: " + routed.read("note").compute("seen", String.class,
                    "SELECT string_agg(title, ',') FROM notes").list().size());
        }

        String a = "replica:t_a-post/1/[t_a-comment]";
        String b = "replica:t_b-post/1/[t_b-comment]";
        assertThat(seen).containsExactly(a, a, b, b, a, a, b, b, "no tenant: 0");
    }

    @ParameterizedTest(name = "ordinary role: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aDeclaredCalculationInATenantsReadNamesOnlyThatTenantsTables(boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        List<Row> loaded = b.read("post").load("comments_seen").list();

        assertThat(loaded).extracting(r -> r.getString("title") + ":" + r.get("comments_seen"))
                .containsExactly("t_b-post:1");
        assertThat(b.read("post").where(eq("comments_seen", 1L)).list()).hasSize(1);
        assertThat(b.read("comment").where(eq("post.comments_seen", 1L)).list()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void aRelatedRowLoadedForOneTenantCannotBeWrittenThroughAnother(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);
        Row commentOfA = owner.withTenant(A).read(strategy.post).load("comments").first().orElseThrow()
                .related("comments").get(0);

        assertThat(commentOfA.tenant()).contains(A);
        assertThatThrownBy(() -> b.update(commentOfA, Map.of("body", "overwritten")))
                .hasMessageContaining("belongs to tenant '" + A + "', not '" + B + "'");
        assertThatThrownBy(() -> b.destroy(commentOfA)).hasMessageContaining("belongs to tenant '" + A + "'");

        assertThat(db.value(strategy.commentsOf.apply(A))).isEqualTo(1L);
        assertThat(db.value(strategy.commentsOf.apply(B))).isEqualTo(1L);
        assertThat(owner.withTenant(B).read(strategy.comment).list()).extracting(r -> r.getString("body"))
                .containsExactly("t_b-comment");
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void rowsReadForOneTenantCannotBeUpdatedOrDestroyedTogetherThroughAnother(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);
        List<Row> commentsOfA = owner.withTenant(A).read(strategy.comment).list();

        assertThatThrownBy(() -> b.updateAll(commentsOfA, Map.of("body", "overwritten")))
                .hasMessageContaining("belongs to tenant '" + A + "', not '" + B + "'");
        assertThatThrownBy(() -> b.destroyAll(commentsOfA)).hasMessageContaining("belongs to tenant '" + A + "'");

        assertThat(owner.withTenant(A).read(strategy.comment).list()).extracting(r -> r.getString("body"))
                .containsExactly("t_a-comment");
        assertThat(owner.withTenant(B).read(strategy.comment).list()).extracting(r -> r.getString("body"))
                .containsExactly("t_b-comment");
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void anotherTenantsHandleChangesAndDeletesOnlyItsOwnRows(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        assertThat(b.updateAll(Query.of(strategy.post), Map.of("title", "hijacked"))).hasSize(1);
        assertThat(b.read(strategy.comment).updateAll(Map.of("body", "hijacked"))).hasSize(1);
        assertThat(b.read(strategy.comment).destroyAll(Returning.ROWS)).extracting(r -> r.getString("body"))
                .containsExactly("hijacked");
        assertThat(b.read(strategy.post).updateAll(Map.of("title", Atomic.sql("title || ?", "-hijacked"))))
                .extracting(r -> r.getString("title")).containsExactly("hijacked-hijacked");
        b.inTransaction(tx -> tx.destroyAll(Query.of(strategy.post)));

        assertTenantAUntouched(strategy);
        assertThat(count(strategy.postsOf.apply(B))).isZero();
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void readsNamingTheirTenantsCombineOnlyWhenTheyNameOneAndBulkDestroysKeepTheNamedTenant(Strategy strategy,
                                                                                             boolean ordinaryRole) {
        Ashlar any = ordinaryRole ? ordinary : owner;

        assertThatThrownBy(() -> any.read(strategy.post).tenant(A).union(any.read(strategy.post).tenant(B)).list())
                .isInstanceOf(AshlarException.class).hasMessageContaining("read one tenant");
        assertThat(any.read(strategy.comment).tenant(B).destroyAll(Returning.ROWS))
                .extracting(r -> r.getString("body")).containsExactly("t_b-comment");
        assertThat(any.read(strategy.post).tenant(B).updateAll(Map.of("title", "renamed")))
                .extracting(r -> r.getString("title")).containsExactly("renamed");

        assertTenantAUntouched(strategy);
        assertThat(count(strategy.commentsOf.apply(B))).isZero();
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void aQueryNamingAnotherTenantIsRefusedByAHandleForOne(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        assertThatThrownBy(() -> b.read(strategy.post).tenant(A).list()).isInstanceOf(AshlarException.class)
                .hasMessageContaining("acts for tenant 't_b'");
        assertThatThrownBy(() -> b.read(strategy.post).tenant(A).count()).isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> b.read(strategy.post).tenant(A).exists()).isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> b.updateAll(Query.of(strategy.post).withTenant(A), Map.of("title", "x")))
                .isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> b.destroyAll(Query.of(strategy.comment).withTenant(A)))
                .isInstanceOf(AshlarException.class);

        assertTenantAUntouched(strategy);
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void aRowReadAsOneTenantCannotBeWrittenThroughAnother(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);
        Row post = rowOfA(strategy, strategy.post);
        Row comment = rowOfA(strategy, strategy.comment);

        assertThatThrownBy(() -> b.update(post, Map.of("title", "hijacked"))).isInstanceOf(AshlarException.class)
                .hasMessageContaining("belongs to tenant 't_a'");
        assertThatThrownBy(() -> b.destroy(comment)).isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> b.update(post, Map.of("title", "hijacked"), ne("title", "x")))
                .isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> b.destroy(comment, ne("body", "x"))).isInstanceOf(AshlarException.class);
        assertThat(titleOrNotFound(() -> b.get(strategy.post, post.get("id"))))
                .as("a key of a's finds b's own row or none").isNotEqualTo("t_a-post");

        assertTenantAUntouched(strategy);
    }

    @ParameterizedTest(name = "ordinary role: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aForgedTenantColumnIsRefusedOnEveryWrite(boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);
        Row own = b.read("note").first().orElseThrow();

        assertThatThrownBy(() -> b.create("note", Map.of("org_id", A, "title", "planted")))
                .isInstanceOf(AshlarException.class).hasMessageContaining("org_id is t_b for this tenant");
        assertThatThrownBy(() -> b.createAll("note", List.of(Map.of("title", "fine"),
                Map.of("org_id", A, "title", "planted")))).isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> b.update(own, Map.of("org_id", A))).isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> b.read("note").updateAll(Map.of("org_id", A))).isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> b.upsert("note", List.of(Map.of("org_id", A, "slug", "same-slug")),
                Upsert.on("unique_slug"))).isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> owner.read("note").updateAll(Map.of("org_id", A)))
                .as("not even a handle without a tenant moves rows between tenants")
                .isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> b.create("note", Map.of("org_id", Atomic.sql("'t_a'"), "title", "planted")))
                .isInstanceOf(AshlarException.class)
                .hasMessageContaining("org_id is t_b for this tenant and cannot be set to a computed value (Atomic)");
        assertThatThrownBy(() -> b.read("note").updateAll(Map.of("org_id", Atomic.sql("'t_a'"))))
                .isInstanceOf(AshlarException.class).hasMessageContaining("a tenant column is never computed");

        assertTenantAUntouched(ATTRIBUTE);
        assertThat(count(ATTRIBUTE.postsOf.apply(B))).isEqualTo(1L);
    }

    @ParameterizedTest(name = "ordinary role: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void anUpsertRefusedInTheCallersTransactionLeavesNothingForItToCommit(boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        b.transaction(tx -> {
            assertThatThrownBy(() -> tx.upsert("note", List.of(Map.of("code", "fresh-code", "title", "b's new"),
                    Map.of("code", "t_a-code", "title", "taken over")), Upsert.on("unique_code")))
                    .hasMessageContaining("code has already been taken");
            return tx.create("note", Map.of("title", "written after the refusal"));
        });

        assertThat(count("SELECT count(*) FROM notes WHERE code = 'fresh-code'")).isZero();
        assertThat(count("SELECT count(*) FROM notes WHERE title = 'written after the refusal'")).isEqualTo(1L);
        assertTenantAUntouched(ATTRIBUTE);
    }

    @ParameterizedTest(name = "ordinary role: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void anUpsertOnAnIdentityUniqueAcrossTenantsNeverTakesOverAnotherTenantsRow(boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        assertThatThrownBy(() -> b.upsert("note", List.of(Map.of("code", "t_a-code", "title", "taken over")),
                Upsert.on("unique_code"))).isInstanceOf(AshlarException.class)
                .hasMessageContaining("code has already been taken");
        Object keyOfA = rowOfA(ATTRIBUTE, "note").get("id");
        assertThatThrownBy(() -> b.upsert("note", List.of(Map.of("id", keyOfA, "title", "taken over by key")),
                Upsert.onPrimaryKey())).isInstanceOf(AshlarException.class);
        assertThat(b.upsert("note", List.of(Map.of("id", keyOfA, "title", "kept")), Upsert.onPrimaryKey()
                .doNothing().returnSkipped())).as("a's row is neither written nor returned").isEmpty();
        assertThatThrownBy(() -> b.upsert("note", Map.of("id", keyOfA, "title", "kept"), Upsert.onPrimaryKey()
                .doNothing().returnSkipped())).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("id has already been taken");
        List<Row> perTenant = b.upsert("note", List.of(Map.of("slug", "same-slug", "title", "b's own")),
                Upsert.on("unique_slug"));

        assertThat(perTenant).extracting(r -> r.getString("org_id")).containsExactly(B);
        assertTenantAUntouched(ATTRIBUTE);
        assertThat(db.value("SELECT title FROM notes WHERE org_id = 't_b'")).isEqualTo("b's own");
    }

    @ParameterizedTest(name = "ordinary role: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void anUpsertOnACalculatedIdentityUniqueAcrossTenantsNeverTakesOverAnotherTenantsRowUnderRowLevelSecurity(
            boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        assertThatThrownBy(() -> b.upsert("note", List.of(Map.of("code", "fresh-code", "title", "b's new"),
                Map.of("code", "T_A-CODE", "title", "taken over")), Upsert.on("unique_lower_code")))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("has already been taken");
        assertThatThrownBy(() -> b.upsert("note", Map.of("code", "T_A-Code", "title", "taken over"),
                Upsert.on("unique_lower_code").update("title"))).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("lower_code has already been taken");
        List<Row> own = b.upsert("note", List.of(Map.of("code", "T_B-CODE", "title", "b's own")),
                Upsert.on("unique_lower_code").update("title"));

        assertThat(own).extracting(r -> r.getString("org_id") + " " + r.getString("code")).containsExactly(
                B + " t_b-code");
        assertThat(count("SELECT count(*) FROM notes WHERE code = 'fresh-code'")).isZero();
        assertThat(db.value("SELECT title FROM notes WHERE org_id = 't_b'")).isEqualTo("b's own");
        assertTenantAUntouched(ATTRIBUTE);
    }

    @ParameterizedTest(name = "ordinary role: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aConditionalUpsertOnAnIdentityUniqueAcrossTenantsNeverTakesOverAnotherTenantsRow(boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);
        // Holds for a's row, not for b's own: b's record is kept by the condition, a's must still be refused.
        Upsert unlessBsTitle = Upsert.on("unique_code").where(ne("title", "t_b-post"));

        assertThatThrownBy(() -> b.upsert("note", List.of(Map.of("code", "t_b-code", "title", "kept"),
                Map.of("code", "t_a-code", "title", "taken over")), unlessBsTitle))
                .isInstanceOf(AshlarException.class).hasMessageContaining("code has already been taken");
        Object keyOfA = rowOfA(ATTRIBUTE, "note").get("id");
        assertThatThrownBy(() -> b.upsert("note", List.of(Map.of("id", keyOfA, "title", "taken over by key")),
                Upsert.onPrimaryKey().where(ne("title", "t_b-post")))).isInstanceOf(AshlarException.class);
        List<Row> keptByTheCondition = b.upsert("note", List.of(Map.of("code", "t_b-code", "title", "kept")),
                unlessBsTitle);

        assertThat(keptByTheCondition).isEmpty();
        assertTenantAUntouched(ATTRIBUTE);
        assertThat(db.value("SELECT title FROM notes WHERE org_id = 't_b'")).isEqualTo("t_b-post");
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void emptyAndHostileTenantNamesReachNoRows(Strategy strategy, boolean ordinaryRole) {
        assertThatThrownBy(() -> as(ordinaryRole, "").read(strategy.post).list())
                .isInstanceOf(AshlarException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> as(ordinaryRole, "  ").create(strategy.post, Map.of("title", "x")))
                .isInstanceOf(AshlarException.class);
        String hostile = "t_a' OR '1'='1";
        if (strategy == CONTEXT) {
            assertThatThrownBy(() -> as(ordinaryRole, hostile).read(strategy.post).list())
                    .isInstanceOf(AshlarException.class);
        } else {
            assertThat(as(ordinaryRole, hostile).read(strategy.post).list()).isEmpty();
        }
        assertTenantAUntouched(strategy);
    }

    @Test
    void aPooledConnectionReusedAfterATenantsTransactionShowsNoRowsToRawSqlWithoutATenant() throws SQLException {
        ordinary.withTenant(A).inTransaction(tx -> tx.read("note").list());

        try (Connection reused = ordinaryPool.getConnection(); Statement statement = reused.createStatement()) {
            try (ResultSet setting = statement.executeQuery("SELECT current_setting('ashlar.tenant', true)")) {
                setting.next();
                assertThat(setting.getString(1)).as("PostgreSQL keeps an emptied setting, not NULL").isEmpty();
            }
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM notes")) {
                rows.next();
                assertThat(rows.getLong(1)).isZero();
            }
        }
        assertThat(ordinary.read("note").count()).as("a global read sets no tenant: the policy shows nothing")
                .isZero();
        assertThat(ordinary.withTenant(B).read("note").list()).extracting(r -> r.getString("org_id"))
                .containsExactly(B);
    }

    @Test
    void aTenantWithoutASchemaIsRefusedNamingTheTenantAndHowItsSchemaIsMade() {
        Ashlar unknown = owner.withTenant("t_zzz");

        assertThatThrownBy(() -> unknown.read("post").list()).isInstanceOfSatisfying(AshlarException.class,
                        e -> assertThat(e.sqlState()).contains("42P01"))
                .hasMessageContaining("Cannot read post for tenant 't_zzz': relation \"t_zzz.posts\" does not exist")
                .hasMessageContaining("once its tenant record is created");
        assertThatThrownBy(() -> unknown.create("post", Map.of("title", "x"))).isInstanceOf(AshlarException.class)
                .hasMessageContaining("Cannot create post for tenant 't_zzz'");
        assertThat(unknown.read("note").list()).as("a tenant column's tenant needs no schema").isEmpty();
        assertTenantAUntouched(CONTEXT);
    }

    @Test
    void aContextResourceNeedsATenantEvenOnAHandleWithout() {
        assertThatThrownBy(() -> owner.read("post").list()).isInstanceOf(AshlarException.class)
                .hasMessageContaining("Resource 'post' is multitenant: every read must name a tenant");
        assertThatThrownBy(() -> owner.destroyAll(Query.of("comment"))).isInstanceOf(AshlarException.class);
        assertTenantAUntouched(CONTEXT);
    }
}
