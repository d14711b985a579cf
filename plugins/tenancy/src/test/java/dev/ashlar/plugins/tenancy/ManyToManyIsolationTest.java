package dev.ashlar.plugins.tenancy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.query.Filter.Operator.GTE;
import static dev.ashlar.api.query.Filter.count;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many-to-many relationships through a join resource, from the attacker's side: tenant {@code t_b} loads, filters,
 * sorts and aggregates its posts' tags (and the tags' posts) in both strategies, as the tables' owner and as an
 * ordinary role under row-level security. Tenant {@code t_a} links its post to three tags, {@code t_b}'s to one, and
 * {@code t_a} also has join rows planted against {@code t_b}'s post and tag, so a join or destination read without
 * the tenant shows more than {@code t_b}'s one tag.
 */
@ExtendWith(PostgresExtension.class)
class ManyToManyIsolationTest {
    static final String A = "t_a";
    static final String B = "t_b";

    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .with(ManageTenant.template("t_", "id"))
            .build();
    static final Domain DOMAIN = Domain.builder("many_to_many_isolation").resources(TENANT,
            post("post", "post_tag", "tag", false), tag("tag", "post_tag", "post", false),
            link("post_tag", "post_tags", "post", "tag", false),
            post("note", "note_label", "label", true), tag("label", "note_label", "note", true),
            link("note_label", "note_labels", "note", "label", true)).build();

    private static ResourceBuilder scoped(ResourceBuilder builder, boolean column) {
        return column ? builder.attribute("org_id", TEXT, a -> a.notNull())
                .with(Multitenancy.attribute("org_id").rowLevelSecurity(true))
                : builder.with(Multitenancy.context());
    }

    private static Resource post(String name, String through, String tag, boolean column) {
        return scoped(Resource.builder(name).table(name + "s").integerPrimaryKey("id")
                .attribute("title", TEXT)
                .manyToMany("tags", tag, r -> r.through(through).sourceAttributeOnJoin("post_id")
                        .destinationAttributeOnJoin("tag_id"))
                .manyToMany("named_tags", tag, r -> r.through(through).sourceAttributeOnJoin("post_id")
                        .destinationAttributeOnJoin("tag_id").joinFilter(notNil("tag.name")).joinSort(Sort.desc("id")))
                .count("tag_count", "tags")
                .sum("tag_weight", "tags", "weight")
                .list("tag_names", "tags", "name", Sort.asc("name"))
                .first("first_tag", "tags", "name", Sort.asc("name"))
                .exists("tagged", "tags")
                .calculate("tag_score", Long.class, "tag_count * 10"), column).build();
    }

    private static Resource tag(String name, String through, String post, boolean column) {
        return scoped(Resource.builder(name).table(name + "s").integerPrimaryKey("id")
                .attribute("name", TEXT)
                .attribute("weight", INTEGER)
                .manyToMany("posts", post, r -> r.through(through).sourceAttributeOnJoin("tag_id")
                        .destinationAttributeOnJoin("post_id"))
                .count("post_count", "posts"), column).build();
    }

    private static Resource link(String name, String table, String post, String tag, boolean column) {
        return scoped(Resource.builder(name).table(table).integerPrimaryKey("id")
                .belongsTo("post", post, r -> r.allowNil(false))
                .belongsTo("tag", tag, r -> r.allowNil(false)), column).build();
    }

    /** One strategy's resources, and the join table of a tenant for raw SQL. */
    record Strategy(String name, String post, String tag, String link, String links) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Strategy CONTEXT = new Strategy("context", "post", "tag", "post_tag", "%s.post_tags");
    static final Strategy ATTRIBUTE = new Strategy("attribute", "note", "label", "note_label", "note_labels");

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
    void twoTenantsWithLinks(TestDatabase db) {
        this.db = db;
        owner = TwoTenants.created(db, project, DOMAIN);
        for (Strategy strategy : List.of(CONTEXT, ATTRIBUTE)) {
            seed(strategy, B, 1);
            seed(strategy, A, 3);
            plantLinksOfAAgainstBsRows(strategy);
        }
        ordinaryPool = OrdinaryRole.pool(db, "ashlar_many_to_many", List.of("public", A, B));
        ordinary = Ashlar.builder().dataSource(ordinaryPool).domain(DOMAIN).install(new TenancyPlugin()).build();
    }

    /** A post of the tenant linked to its first {@code linked} tags of three. */
    private void seed(Strategy strategy, String tenant, int linked) {
        Ashlar as = owner.withTenant(tenant);
        Row post = as.create(strategy.post, Map.of("title", tenant + "-post"));
        for (int i = 1; i <= 3; i++) {
            Row tag = as.create(strategy.tag, Map.of("name", tenant + "-tag" + i, "weight", i));
            if (i <= linked) {
                as.create(strategy.link, Map.of("post_id", post.get("id"), "tag_id", tag.get("id")));
            }
        }
    }

    /**
     * Join rows of a's that name b's post, with b's tag and with a's own: a read that forgets the tenant of the join
     * or of the destination finds them. Foreign keys would refuse them, so they are set aside for the insert.
     */
    private void plantLinksOfAAgainstBsRows(Strategy strategy) {
        Object postOfB = owner.withTenant(B).read(strategy.post).first().orElseThrow().get("id");
        Object tagOfB = owner.withTenant(B).read(strategy.tag).where(eq("name", "t_b-tag1")).first().orElseThrow()
                .get("id");
        Object tagOfA = owner.withTenant(A).read(strategy.tag).where(eq("name", "t_a-tag2")).first().orElseThrow()
                .get("id");
        String table = strategy.links.formatted(A);
        String columns = strategy == ATTRIBUTE ? "(org_id, post_id, tag_id) VALUES ('t_a', " : "(post_id, tag_id) VALUES (";
        db.execute("SET session_replication_role = replica; INSERT INTO " + table + " " + columns + postOfB + ", "
                + tagOfB + "), " + columns.substring(columns.indexOf('(', 1)) + postOfB + ", " + tagOfA
                + "); RESET session_replication_role");
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

    private static Row only(List<Row> rows) {
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static List<String> titles(List<Row> rows) {
        return rows.stream().map(r -> r.getString("title")).toList();
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void loadsThroughTheJoinResourceGiveOnlyTheCallersTagsWithLimitsAndSortsPerParent(Strategy strategy,
                                                                                     boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        Row post = only(b.read(strategy.post).load("tags").list());
        Row limited = b.read(strategy.post).load("tags", t -> t.where(ne("name", "x")).sort(Sort.desc("name"))
                .limit(2).load("posts")).list().get(0);
        List<Row> tags = b.read(strategy.tag).sort(Sort.asc("name")).load("posts").list();

        assertThat(post.related("tags")).extracting(t -> t.getString("name")).containsExactly("t_b-tag1");
        assertThat(limited.related("tags")).extracting(t -> t.getString("name") + ":"
                + titles(t.related("posts"))).containsExactly("t_b-tag1:[t_b-post]");
        assertThat(tags).extracting(t -> t.getString("name") + ":" + titles(t.related("posts")))
                .containsExactly("t_b-tag1:[t_b-post]", "t_b-tag2:[]", "t_b-tag3:[]");
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void aggregatesAndCalculationsOverTheJoinCountOnlyTheCallersLinks(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        Row post = b.read(strategy.post).load("tag_count").load("tag_weight").load("tag_names").load("first_tag")
                .load("tagged").load("tag_score").list().get(0);
        List<Row> tags = b.read(strategy.tag).sort(Sort.asc("name")).load("post_count").list();

        assertThat(List.of(post.get("tag_count"), post.get("tag_weight"), post.get("tag_names"),
                post.get("first_tag"), post.get("tagged"), post.get("tag_score")))
                .containsExactly(1L, 1L, List.of("t_b-tag1"), "t_b-tag1", true, 10L);
        assertThat(tags).extracting(t -> t.get("post_count")).containsExactly(1L, 0L, 0L);
        assertThat(b.read(strategy.tag).distinct("post_count").sort(Sort.desc("post_count"), Sort.asc("name"))
                .load("post_count").list())
                .extracting(t -> t.getString("name") + ":" + t.get("post_count"))
                .containsExactly("t_b-tag1:1", "t_b-tag2:0");
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void filtersAndSortsThroughTheJoinSeeOnlyTheCallersLinks(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        assertThat(b.read(strategy.post).where(exists("tags", eq("name", "t_a-tag2"))).list()).isEmpty();
        assertThat(b.read(strategy.post).where(exists("tags", ne("name", parent("title")))).count()).isEqualTo(1);
        assertThat(b.read(strategy.post).where(eq("tags.name", "t_a-tag2")).list()).isEmpty();
        assertThat(b.read(strategy.post).where(count("tags", GTE, 2)).list()).isEmpty();
        assertThat(b.read(strategy.post).where(gt("tag_count", 1L)).list()).isEmpty();
        assertThat(b.read(strategy.post).where(gt("tag_score", 10L)).list()).isEmpty();
        assertThat(b.read(strategy.tag).where(exists("posts")).list()).extracting(t -> t.getString("name"))
                .containsExactly("t_b-tag1");
        assertThat(b.read(strategy.tag).sort(Sort.desc("posts").byCount(), Sort.asc("name")).list())
                .extracting(t -> t.getString("name")).containsExactly("t_b-tag1", "t_b-tag2", "t_b-tag3");
        assertThat(b.read(strategy.post).where(eq("tag_names", List.of("t_b-tag1")))
                .updateAll(Map.of("title", "changed"))).hasSize(1);
        assertThat(b.read(strategy.post).where(gt("tag_count", 1L)).destroyAll()).isZero();
        assertThat(db.value("SELECT count(*) FROM " + strategy.links.formatted(A)
                + (strategy == ATTRIBUTE ? " WHERE org_id = 't_a'" : ""))).isEqualTo(5L);
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void aJoinFilterThroughTheJoinResourceAndAJoinSortSeeOnlyTheCallersLinks(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        Row post = only(b.read(strategy.post).load("named_tags", t -> t.limit(5)).list());

        assertThat(post.related("named_tags")).extracting(t -> t.getString("name")).containsExactly("t_b-tag1");
        assertThat(b.read(strategy.post).where(exists("named_tags", eq("name", "t_a-tag2"))).list()).isEmpty();
        assertThat(b.read(strategy.post).where(exists("named_tags", eq("name", "t_b-tag1"))).list()).hasSize(1);
    }
}
