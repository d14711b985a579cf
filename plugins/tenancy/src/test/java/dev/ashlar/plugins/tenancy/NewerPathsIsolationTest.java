package dev.ashlar.plugins.tenancy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.CalculationArgument;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import dev.ashlar.kernel.data.Bulk;
import dev.ashlar.kernel.data.BulkResult;
import dev.ashlar.kernel.data.Returning;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static dev.ashlar.api.query.Filter.Operator.GTE;
import static dev.ashlar.api.query.Filter.ancestorOf;
import static dev.ashlar.api.query.Filter.descendantOf;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.matches;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.ref;
import static dev.ashlar.api.resource.Type.LTREE;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Isolation of the newer read and write paths from the attacker's side: tenant {@code t_b} reads and writes through
 * custom aggregates, grouped reads, calculation arguments, keyset cursors taken from tenant {@code t_a}'s rows, label
 * path filters, shaped relationship loads, bulk writes with collected errors, writes of distinct reads and locking
 * reads, in both strategies, as the tables' owner and as an ordinary role under row-level security. Tenant
 * {@code t_a} also has a comment planted against the id of {@code t_b}'s post, so a subquery that forgets the tenant
 * counts it. Every test asserts on the rows in the database.
 */
@ExtendWith(PostgresExtension.class)
class NewerPathsIsolationTest {
    static final String A = "t_a";
    static final String B = "t_b";

    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .with(ManageTenant.template("t_", "id"))
            .build();
    static final Domain DOMAIN = Domain.builder("newer_paths").extensions("ltree").resources(TENANT,
            post("post", "posts", "comment", false), comment("comment", "comments", "post", false),
            post("note", "notes", "remark", true), comment("remark", "remarks", "note", true)).build();

    private static ResourceBuilder scoped(ResourceBuilder builder, boolean column) {
        return column ? builder.attribute("org_id", TEXT, a -> a.notNull())
                .with(Multitenancy.attribute("org_id").global(true).rowLevelSecurity(true))
                : builder.with(Multitenancy.context());
    }

    private static Resource post(String name, String table, String comment, boolean column) {
        return scoped(Resource.builder(name).table(table).integerPrimaryKey("id")
                .attribute("title", TEXT).attribute("slug", TEXT).attribute("code", TEXT).attribute("path", LTREE)
                .identity("unique_slug", "slug")
                .hasMany("comments", comment, r -> r.destinationAttribute("post_id"))
                .count("comment_count", "comments")
                .hasMany("every_comment", comment, r -> r.noAttributes().sort(Sort.asc("body")))
                .count("every_comment_count", "every_comment")
                .customAggregate("bodies", "comments", String.class, "string_agg({body}, ',' ORDER BY {body})")
                .calculate("labelled", String.class, "title || :suffix",
                        CalculationArgument.of("suffix", String.class).withDefault("")), column).build();
    }

    private static Resource comment(String name, String table, String post, boolean column) {
        return scoped(Resource.builder(name).table(table).integerPrimaryKey("id")
                .attribute("body", TEXT)
                .belongsTo("post", post)
                .first("post_comment_count", "post", "comment_count", Sort.asc("id"))
                .first("post_title", "post", "title"), column).build();
    }

    /** One strategy's resources, how to count a tenant's rows with raw SQL, and how to plant a row of a's. */
    record Strategy(String name, String post, String comment, String posts, String comments, String tenantWhere) {
        @Override
        public String toString() {
            return name;
        }

        String postsOf(String tenant) {
            return "SELECT count(*) FROM " + posts.formatted(tenant) + tenantWhere.formatted(tenant);
        }
    }

    static final Strategy CONTEXT = new Strategy("context", "post", "comment", "%s.posts", "%s.comments", "");
    static final Strategy ATTRIBUTE = new Strategy("attribute", "note", "remark", "notes", "remarks",
            " WHERE org_id = '%s'");

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
                        "slug", "same-slug", "code", tenant + "-code", "path", List.of("top", tenant)));
                owner.withTenant(tenant).create(strategy.comment, Map.of("body", tenant + "-comment",
                        "post_id", post.get("id")));
            }
            plantACommentOfAAgainstBsPost(strategy);
        }
        ordinaryPool = OrdinaryRole.pool(db, "ashlar_newer_paths", List.of("public", A, B));
        ordinary = Ashlar.builder().dataSource(ordinaryPool).domain(DOMAIN).install(new TenancyPlugin()).build();
    }

    /** A row of a's whose key names b's post; foreign keys would refuse it, so they are set aside for the insert. */
    private void plantACommentOfAAgainstBsPost(Strategy strategy) {
        Object idOfB = owner.withTenant(B).read(strategy.post).first().orElseThrow().get("id");
        String table = strategy.comments.formatted(A);
        String columns = strategy == ATTRIBUTE ? "(org_id, body, post_id) VALUES ('t_a', " : "(body, post_id) VALUES (";
        db.execute("SET session_replication_role = replica; INSERT INTO " + table + " " + columns
                + "'t_a-planted', " + idOfB + "); RESET session_replication_role");
    }

    @AfterEach
    void close() {
        ordinary.close();
        ordinaryPool.close();
        owner.close();
    }

    private Ashlar as(boolean ordinaryRole, String tenant) {
        return (ordinaryRole ? ordinary : owner).withTenant(tenant);
    }

    private long count(String sql) {
        return (Long) db.value(sql);
    }

    /** Tenant a's rows, exactly as seeded: one post and two comments (its own and the planted one). */
    private void assertTenantAUntouched(Strategy strategy) {
        assertThat(count(strategy.postsOf(A))).isEqualTo(1L);
        assertThat(count("SELECT count(*) FROM " + strategy.comments.formatted(A) + strategy.tenantWhere.formatted(A)))
                .isEqualTo(2L);
        assertThat(db.value("SELECT title || '/' || slug || '/' || code FROM " + strategy.posts.formatted(A)
                + strategy.tenantWhere.formatted(A))).isEqualTo("t_a-post/same-slug/t_a-code");
    }

    private static List<String> titles(List<Row> rows) {
        return rows.stream().map(r -> r.getString("title")).toList();
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void aggregatesAndCustomAggregatesCountOnlyTheCallersRowsWhereAnotherTenantsRowsPointAtTheirs(
            Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        List<Row> loaded = b.read(strategy.post).load("comment_count").load("bodies").list();

        assertThat(loaded).extracting(r -> r.getString("title") + ":" + r.get("comment_count") + ":" + r.get("bodies"))
                .containsExactly("t_b-post:1:t_b-comment");
        assertThat(b.read(strategy.post).where(gt("comment_count", 1L)).count()).isZero();
        assertThat(b.read(strategy.post).where(eq("bodies", "t_b-comment")).count()).isEqualTo(1);
        assertThat(b.read(strategy.post).sum("comment_count").longValue()).isEqualTo(1L);
        assertThat(b.read(strategy.comment).load("post_comment_count").list())
                .extracting(r -> r.get("post_comment_count")).containsExactly(1L);
        assertThat(b.read(strategy.comment).where(eq("post_comment_count", 1L)).count()).isEqualTo(1);
        // Holds for the comment planted by a (t_b-code > t_a-planted), not for b's own (t_b-code < t_b-comment).
        assertThat(b.read(strategy.post).where(gt("code", ref("comments.body"))).list()).isEmpty();
        assertThat(titles(b.read(strategy.post).where(lt("code", ref("comments.body"))).list()))
                .containsExactly("t_b-post");
        assertThat(b.read(strategy.comment).load("post", p -> p.load("bodies")).list())
                .extracting(r -> r.relatedOne("post").orElseThrow().get("bodies")).containsExactly("t_b-comment");
        assertThat(b.read(strategy.post).where(eq("bodies", "t_a-planted,t_b-comment"))
                .updateAll(Map.of("title", "hijacked"))).isEmpty();
        assertTenantAUntouched(strategy);
    }

    /** A first aggregate through a belongsTo alone, given no order, reads the caller's record, never b's. */
    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void aFirstThroughABelongsToGivenNoOrderReadsOnlyTheCallersRecord(Strategy strategy, boolean ordinaryRole) {
        Ashlar a = as(ordinaryRole, A);

        List<Row> comments = a.read(strategy.comment).load("post_title").sort(Sort.asc("body")).list();

        assertThat(comments).extracting(r -> r.get("post_title")).doesNotContain("t_b-post");
        assertThat(comments.get(0).get("post_title")).isEqualTo("t_a-post");
        assertThat(a.read(strategy.comment).where(eq("post_title", "t_b-post")).count()).isZero();
        assertThat(a.read(strategy.comment).sort(Sort.desc("post_title").nullsLast()).list()).hasSize(2);
    }

    /**
     * The paths added last: a sort by an expression (an exists that would hold only for a's planted comment), a load on
     * a combination, and an update with nothing to change given a's record, which reads the record in the caller's
     * scope instead of handing it back.
     */
    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void expressionSortsCombinationLoadsAndEmptyUpdatesReachOnlyTheCallersRows(Strategy strategy,
                                                                              boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);
        owner.withTenant(B).create(strategy.post, Map.of("title", "t_b-second", "slug", "second", "code", "t_b-2"));

        // Read through a's planted comment, the first post would sort first; in b's scope both are false, and the
        // later id comes first.
        assertThat(titles(b.read(strategy.post).sort(Sort.descBy(exists("comments", eq("body", "t_a-planted"))),
                Sort.desc("id")).list())).containsExactly("t_b-second", "t_b-post");
        assertThat(b.read(strategy.post).where(eq("title", "t_b-post"))
                .unionAll(b.read(strategy.post).where(eq("title", "t_b-second"))).load("comment_count").list())
                .extracting(r -> r.getString("title") + ":" + r.get("comment_count"))
                .containsExactlyInAnyOrder("t_b-post:1", "t_b-second:0");

        Row ofA = owner.withTenant(A).read(strategy.post).first().orElseThrow();
        assertThatThrownBy(() -> b.update(ofA, Map.of())).isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> b.update(ofA, Map.of("title", ofA.get("title")))).isInstanceOf(AshlarException.class);
        assertTenantAUntouched(strategy);
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void aRelationshipWithNoAttributesRelatesOnlyTheCallersRecords(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        List<Row> loaded = b.read(strategy.post).load("every_comment").load("every_comment_count").list();

        assertThat(loaded).extracting(r -> r.getString("title") + ":" + r.get("every_comment_count") + ":"
                + r.related("every_comment").stream().map(c -> c.getString("body")).toList())
                .containsExactly("t_b-post:1:[t_b-comment]");
        assertThat(b.read(strategy.post).where(exists("every_comment", eq("body", "t_a-planted"))).count()).isZero();
        assertThat(b.read(strategy.post).where(Filter.count("every_comment", GTE, 2)).count()).isZero();
        assertThat(b.read(strategy.post).where(exists("every_comment", eq("body", "t_a-comment")))
                .updateAll(Map.of("title", "hijacked"))).isEmpty();
        assertThat(as(ordinaryRole, A).read(strategy.post).load("every_comment_count").list())
                .extracting(r -> r.get("every_comment_count")).containsExactly(2L);
        assertTenantAUntouched(strategy);
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void groupedReadsGroupOnlyTheCallersRows(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        List<Row> bySlug = b.read(strategy.post).groupBy("slug").count("posts").sum("comment_count", "comments").list();
        List<Row> byBodies = b.read(strategy.post).groupBy("bodies").count("posts").list();
        List<Row> byPost = b.read(strategy.comment).groupBy("post_id").count("comments").max("body", "last").list();

        assertThat(bySlug).extracting(r -> r.get("slug") + ":" + r.get("posts") + ":" + r.get("comments"))
                .containsExactly("same-slug:1:1");
        assertThat(byBodies).extracting(r -> r.get("bodies") + ":" + r.get("posts")).containsExactly("t_b-comment:1");
        assertThat(byPost).extracting(r -> r.get("comments") + ":" + r.get("last")).containsExactly("1:t_b-comment");
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void havingFiltersOnlyTheCallersGroupsAndAStreamOfOneRowAFetchHandsOverOnlyTheCallersRows(Strategy strategy,
                                                                                            boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);
        Object postOfB = b.read(strategy.post).first().orElseThrow().get("id");

        // a's planted comment names b's post: counted, it would make a group of two.
        assertThat(b.read(strategy.comment).groupBy("post_id").count("comments").having(gte("comments", 2)).list())
                .isEmpty();
        assertThat(b.read(strategy.comment).groupBy("post_id").count("comments").max("body", "last")
                .having(eq("post_id", postOfB)).list()).extracting(r -> r.get("comments") + ":" + r.get("last"))
                .containsExactly("1:t_b-comment");
        assertThat(b.read(strategy.post).groupBy("slug").count("posts").having(eq("slug", "same-slug")).list())
                .extracting(r -> r.get("posts")).containsExactly(1L);

        List<String> streamed = new ArrayList<>();
        b.read(strategy.comment).fetchSize(1).forEach(row -> streamed.add(row.getString("body")));
        assertThat(streamed).containsExactly("t_b-comment");
        assertTenantAUntouched(strategy);
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void calculationArgumentsInFiltersAndSortsAreBoundAndReadOnlyTheCallersRows(Strategy strategy,
                                                                               boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);
        Map<String, String> hostile = Map.of("suffix", "' OR true OR title = '");

        assertThat(titles(b.read(strategy.post).where(eq("labelled", "t_b-post!"))
                .arguments("labelled", Map.of("suffix", "!")).list())).containsExactly("t_b-post");
        assertThat(b.read(strategy.post).where(eq("labelled", "t_a-post!"))
                .arguments("labelled", Map.of("suffix", "!")).list()).isEmpty();
        assertThat(b.read(strategy.post).where(ne("labelled", "x")).arguments("labelled", hostile)
                .load("labelled", hostile).sort(Sort.asc("labelled")).list())
                .extracting(r -> r.get("labelled")).containsExactly("t_b-post' OR true OR title = '");
        assertThat(b.read(strategy.post).where(eq("labelled", "t_a-post")).arguments("labelled", hostile)
                .destroyAll()).isZero();
        assertTenantAUntouched(strategy);
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void keysetCursorsTakenFromAnotherTenantsRowsPageOnlyTheCallersRows(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);
        Read ofA = owner.withTenant(A).read(strategy.post).sort(Sort.asc("bodies")).load("bodies").limit(10);
        Object[] cursorOfA = ofA.cursor(ofA.first().orElseThrow());
        Read byLabel = owner.withTenant(A).read(strategy.post).load("labelled", Map.of("suffix", "!"))
                .sort(Sort.desc("labelled")).limit(10);
        Object[] labelCursorOfA = byLabel.cursor(byLabel.first().orElseThrow());

        Read ofB = b.read(strategy.post).sort(Sort.asc("bodies")).load("bodies").limit(10);
        Read labelsOfB = b.read(strategy.post).load("labelled", Map.of("suffix", "!")).sort(Sort.desc("labelled"))
                .limit(10);

        assertThat(titles(ofB.after(cursorOfA).list())).containsExactly("t_b-post");
        assertThat(ofB.before(cursorOfA).list()).isEmpty();
        assertThat(titles(labelsOfB.before(labelCursorOfA).list())).containsExactly("t_b-post");
        assertThat(labelsOfB.after(labelCursorOfA).list()).isEmpty();
        assertThat(titles(ofB.after("a").list())).containsExactly("t_b-post");
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void negatedFiltersSortsAndCursorsThroughAToOnePathNeverReadTheOtherTenantsRecordItPointsAt(Strategy strategy,
                                                                                                boolean ordinaryRole) {
        Ashlar a = as(ordinaryRole, A);
        // The title of the post each of a's comments reaches in a's own scope: none for the planted one where ids are
        // shared (attribute), a's own post where each schema numbers its own (context); never t_b-post.
        Map<String, String> reached = new java.util.TreeMap<>();
        a.read(strategy.comment).load("post").list().forEach(c -> reached.put(c.getString("body"),
                c.relatedOne("post").map(p -> p.getString("title")).orElse(null)));
        List<String> withPost = reached.keySet().stream().filter(body -> reached.get(body) != null).toList();
        List<String> withoutPost = reached.keySet().stream().filter(body -> reached.get(body) == null).toList();

        List<String> notNamed = bodies(a.read(strategy.comment).where(Filter.not(eq("post.title", "zzz")))
                .sort(Sort.asc("body")).list());
        List<String> pastBsTitle = bodies(a.read(strategy.comment).sort(Sort.asc("post.title"), Sort.asc("id"))
                .after("t_b-post", Integer.MAX_VALUE).list());
        List<String> byTitle = bodies(a.read(strategy.comment).sort(Sort.desc("post.title").nullsLast(),
                Sort.asc("body")).list());

        assertThat(reached).containsOnlyKeys("t_a-comment", "t_a-planted").doesNotContainValue("t_b-post");
        assertThat(a.read(strategy.comment).where(eq("post.title", "t_b-post")).list()).isEmpty();
        assertThat(notNamed).containsExactlyElementsOf(withPost);
        assertThat(pastBsTitle).containsExactlyElementsOf(withoutPost);
        assertThat(byTitle).containsExactlyElementsOf(Stream.concat(withPost.stream(), withoutPost.stream()).toList());
        assertThat(a.read(strategy.comment).where(Filter.not(eq("post.title", "zzz"))).sort(Sort.asc("post.title"))
                .after("' OR TRUE --").destroyAll()).isEqualTo(withPost.size());
        assertThat(count(strategy.postsOf(B))).isEqualTo(1L);
        assertThat(count("SELECT count(*) FROM " + strategy.comments.formatted(B) + strategy.tenantWhere.formatted(B)))
                .isEqualTo(1L);
    }

    private static List<String> bodies(List<Row> rows) {
        return rows.stream().map(r -> r.getString("body")).toList();
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void labelPathFiltersReadOnlyTheCallersRows(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        assertThat(titles(b.read(strategy.post).where(descendantOf("path", List.of("top"))).list()))
                .containsExactly("t_b-post");
        assertThat(b.read(strategy.post).where(descendantOf("path", List.of("top", A))).list()).isEmpty();
        assertThat(titles(b.read(strategy.post).where(matches("path", "top.*")).list())).containsExactly("t_b-post");
        assertThat(b.read(strategy.post).where(ancestorOf("path", List.of("top", A, "x"))).list()).isEmpty();
        assertThat(b.read(strategy.post).where(matches("path", "*." + A)).updateAll(Map.of("title", "x"))).isEmpty();
        assertTenantAUntouched(strategy);
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void relationshipLoadsWithFiltersSortsAndLimitsLoadOnlyTheCallersRows(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        List<Row> posts = b.read(strategy.post).load("comments", c -> c.where(ne("body", "x"))
                .sort(Sort.asc("body")).limit(5).load("post")).list();
        List<Row> comments = b.read(strategy.comment).load("post", p -> p.where(notNil("title"))
                .load("comments", c -> c.offset(0).limit(5))).list();

        assertThat(posts).flatExtracting(r -> r.related("comments")).extracting(r -> r.getString("body"))
                .containsExactly("t_b-comment");
        assertThat(comments).flatExtracting(r -> r.relatedOne("post").orElseThrow().related("comments"))
                .extracting(r -> r.getString("body")).containsExactly("t_b-comment");
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void bulkWritesAndWritesOfDistinctReadsChangeOnlyTheCallersRows(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        BulkResult created = b.createAll(strategy.post, List.of(Map.of("title", "new", "slug", "new-slug")),
                Bulk.collectErrors());
        BulkResult upserted = b.upsert(strategy.post, List.of(Map.of("slug", "same-slug", "title", "upserted"),
                Map.of("slug", "new-slug", "title", "new, upserted")), Upsert.on("unique_slug"), Bulk.collectErrors());
        List<Row> updated = b.read(strategy.post).distinct("slug").sort(Sort.asc("slug"))
                .updateAll(Map.of("code", "changed"), Returning.KEYS);
        List<Row> destroyed = b.read(strategy.post).distinct("slug").distinctSort(Sort.desc("id"))
                .where(eq("slug", "same-slug")).destroyAll(Returning.ROWS);

        assertThat(created.complete()).isTrue();
        assertThat(upserted.rows()).extracting(r -> r.getString("title")).containsExactly("upserted", "new, upserted");
        assertThat(updated).hasSize(2).allSatisfy(key -> assertThat(key.tenant()).contains(B));
        assertThat(destroyed).extracting(r -> r.getString("title") + "/" + r.getString("code"))
                .containsExactly("upserted/changed");
        assertThat(count(strategy.postsOf(B))).isEqualTo(1L);
        assertTenantAUntouched(strategy);
    }

    @ParameterizedTest(name = "ordinary role: {0}")
    @ValueSource(booleans = {false, true})
    void bulkWritesCollectingErrorsReportAForgedTenantColumnOrAnotherTenantsKeyAndWriteNeither(boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);
        Object keyOfA = owner.withTenant(A).read("note").first().orElseThrow().get("id");

        BulkResult forged = b.createAll("note", List.of(Map.of("title", "fine"),
                Map.of("org_id", A, "title", "planted")), Bulk.collectErrors());
        BulkResult byKey = b.upsert("note", List.of(Map.of("id", keyOfA, "title", "taken")), Upsert.onPrimaryKey(),
                Bulk.collectErrors());

        assertThat(forged.rows()).extracting(r -> r.getString("org_id") + ":" + r.getString("title"))
                .containsExactly("t_b:fine");
        assertThat(forged.errors()).singleElement().satisfies(failure -> {
            assertThat(failure.index()).isEqualTo(1);
            assertThat(failure.error()).hasMessageContaining("org_id is t_b for this tenant");
        });
        assertThat(byKey.rows()).isEmpty();
        assertThat(byKey.errors()).singleElement().satisfies(failure -> assertThat(failure.error().getMessage())
                .contains("already been taken"));
        assertThat(count("SELECT count(*) FROM notes WHERE title IN ('planted', 'taken')")).isZero();
        assertTenantAUntouched(ATTRIBUTE);
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void aLockingReadLocksOnlyTheCallersRows(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        List<String> lockedByB = b.transaction(tx -> {
            List<String> locked = titles(tx.read(strategy.post).lock(Lock.FOR_UPDATE).list());
            // Another session, while b holds its locks: a's row is free, b's own is taken.
            assertThat(CompletableFuture.supplyAsync(() -> titles(owner.withTenant(A).transaction(other ->
                    other.read(strategy.post).lock(Lock.FOR_UPDATE_NOWAIT).list()))).join())
                    .containsExactly("t_a-post");
            assertThat(CompletableFuture.supplyAsync(() -> titles(owner.withTenant(B).transaction(other ->
                    other.read(strategy.post).lock(Lock.FOR_UPDATE_SKIP_LOCKED).list()))).join()).isEmpty();
            return locked;
        });

        assertThat(lockedByB).containsExactly("t_b-post");
    }
}
