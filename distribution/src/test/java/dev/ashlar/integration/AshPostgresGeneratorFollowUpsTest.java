package dev.ashlar.integration;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.CustomStatement;
import dev.ashlar.plugins.indexes.CustomStatements;
import dev.ashlar.plugins.references.OnDelete;
import dev.ashlar.plugins.references.OnUpdate;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.tenancy.Multitenancy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.CITEXT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.integration.GenerationRoundTrip.domain;
import static dev.ashlar.integration.GenerationRoundTrip.resource;
import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.indexes.CustomStatements.statement;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * More of AshPostgres's migration generator cases (its initial snapshot, follow-up, reference and check constraint
 * cases), restated on Ashlar's resources and proved on a populated database by {@link GenerationRoundTrip}.
 */
class AshPostgresGeneratorFollowUpsTest extends RoundTripGround {
    AshPostgresGeneratorFollowUpsTest() {
        super("example");
    }

    private long indexOid(String name) {
        return (Long) db.value("SELECT oid::bigint FROM pg_class WHERE relname = ?", name);
    }

    @Test
    void theInitialMigrationSetsUpKeysTypesDefaultsCustomIndexesAndIdentitiesOnColumnNames() {
        Domain posts = Domain.builder("shop").extensions("citext").resources(resource("post", "posts")
                .uuidPrimaryKey("id").uuidV7PrimaryKey("other_id")
                .attribute("title", TEXT)
                .attribute("second_title", TEXT, a -> a.migrationType("varchar(16)"))
                .attribute("title_with_source", TEXT, a -> a.column("t_w_s"))
                .attribute("title_with_default", TEXT, a -> a.migrationDefault("'fred'"))
                .attribute("email", CITEXT)
                .identity("title", "title").identity("thing", "title", "second_title")
                .identity("thing_with_source", "title", "title_with_source")
                .with(CustomIndexes.of(index("id"), index("id").unique().name("test_unique_index")))
                .build()).build();

        generations.roundTrip(posts, "create");
        db.execute("INSERT INTO posts (title, second_title, t_w_s, email) VALUES ('a', 'b', 'c', 'A@x'), "
                + "('b', 'b', 'c', 'B@x')");

        assertThat(generations.catalog()).contains(
                "column posts.id uuid not null default gen_random_uuid()",
                "column posts.second_title character varying(16)",
                "column posts.title_with_default text default 'fred'::text",
                "column posts.email citext",
                "constraint posts.posts_pkey PRIMARY KEY (id, other_id)",
                "index posts_thing_index CREATE UNIQUE INDEX posts_thing_index ON public.posts USING btree (title, second_title)",
                "index posts_thing_with_source_index CREATE UNIQUE INDEX posts_thing_with_source_index ON public.posts "
                        + "USING btree (title, t_w_s)",
                "index test_unique_index CREATE UNIQUE INDEX test_unique_index ON public.posts USING btree (id)");
        assertThat(db.value("SELECT title_with_default FROM posts WHERE title = 'a'")).isEqualTo("fred");
        assertThat(db.value("SELECT count(*) FROM posts WHERE email = 'a@X'")).isEqualTo(1L);
    }

    @Test
    void renamingTheAttributeOfAnIdentityKeepsItsIndexOnTheRenamedColumn() {
        generations.roundTrip(domain(resource("post", "posts").uuidPrimaryKey("id").attribute("title", TEXT)
                .identity("title", "title")), "create");
        db.execute("INSERT INTO posts (title) VALUES ('a'), ('b')");
        long before = indexOid("posts_title_index");

        generations.roundTrip(domain(resource("post", "posts").uuidPrimaryKey("id").attribute("foobar", TEXT)
                .identity("title", "foobar")), "rename", "posts.title=foobar");

        assertThat(generations.catalog()).contains("index posts_title_index CREATE UNIQUE INDEX posts_title_index "
                + "ON public.posts USING btree (foobar)");
        assertThat(indexOid("posts_title_index")).as("the index was not rebuilt").isEqualTo(before);
    }

    @Test
    void anIdentitysNewIndexNameRenamesTheIndexInPlace() {
        UnaryOperator<ResourceBuilder> post = p -> p.uuidPrimaryKey("id").attribute("title", TEXT);
        generations.roundTrip(domain(post.apply(resource("post", "posts")).identity("title", "title")), "create");
        db.execute("INSERT INTO posts (title) VALUES ('a'), ('b')");
        long before = indexOid("posts_title_index");

        generations.roundTrip(domain(post.apply(resource("post", "posts")).identity("title", List.of("title"),
                i -> i.indexName("titles_r_unique_dawg"))), "rename_index");

        assertThat(indexOid("titles_r_unique_dawg")).isEqualTo(before);
    }

    @Test
    void aRemovedColumnRenamedToOneOfTwoNewOnesKeepsItsRowsAndTheOtherIsAdded() {
        generations.roundTrip(domain(resource("post", "posts").uuidPrimaryKey("id").attribute("title", TEXT)),
                "create");
        db.execute("INSERT INTO posts (title) VALUES ('a')");

        generations.roundTrip(domain(resource("post", "posts").uuidPrimaryKey("id").attribute("name", TEXT)
                .attribute("subject", TEXT, a -> a.notNull())), "rename", "posts.title=subject");

        assertThat(db.query("SELECT name, subject FROM posts")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("subject", "a").containsEntry("name", null));
    }

    @Test
    void aReferenceGivenANameAndActionsReplacesTheOldKeyAndActsOnRows() {
        UnaryOperator<ResourceBuilder> post = p -> p.uuidPrimaryKey("id").attribute("title", TEXT);
        UnaryOperator<ResourceBuilder> post2 = p -> p.uuidPrimaryKey("id").attribute("name", TEXT)
                .belongsTo("post", "post");
        generations.roundTrip(domain(post.apply(resource("post", "posts")), post2.apply(resource("post2", "post2s"))),
                "create");
        db.execute("INSERT INTO posts (id, title) VALUES ('00000000-0000-0000-0000-000000000001', 'a'); "
                + "INSERT INTO post2s (name, post_id) VALUES ('x', '00000000-0000-0000-0000-000000000001')");

        generations.roundTrip(domain(post.apply(resource("post", "posts")), post2.apply(resource("post2", "post2s"))
                .with(References.of(reference("post").name("special_post_fkey").onDelete(OnDelete.DELETE)
                        .onUpdate(OnUpdate.UPDATE)))), "special");

        assertThat(generations.catalog()).noneMatch(line -> line.contains("post2s_post_id_fkey")).contains(
                "constraint post2s.special_post_fkey FOREIGN KEY (post_id) REFERENCES posts(id) ON UPDATE CASCADE "
                        + "ON DELETE CASCADE");
        db.execute("UPDATE posts SET id = '00000000-0000-0000-0000-000000000002'");
        assertThat(db.value("SELECT post_id::text FROM post2s")).isEqualTo("00000000-0000-0000-0000-000000000002");
        db.execute("DELETE FROM posts");
        assertThat(db.value("SELECT count(*) FROM post2s")).isEqualTo(0L);
    }

    @Test
    void aChangedCheckIsReplacedAndItsRollbackRestoresTheOldOne() {
        UnaryOperator<ResourceBuilder> post = p -> p.uuidPrimaryKey("id").attribute("price", INTEGER);
        generations.roundTrip(domain(post.apply(resource("post", "posts")).with(CheckConstraints.of(
                check("price_must_be_positive").expression("price > 0").attributes("price")))), "create");
        db.execute("INSERT INTO posts (price) VALUES (5)");

        generations.roundTrip(domain(post.apply(resource("post", "posts")).with(CheckConstraints.of(
                check("price_must_be_positive").expression("price > 1").attributes("price")))), "stricter");

        assertThat(generations.catalog()).contains(
                "constraint posts.posts_price_must_be_positive_check CHECK ((price > 1))");
    }

    @Test
    void aCheckOnAResourceWithABaseFilterSparesTheRowsTheFilterLeavesOut() {
        generations.roundTrip(domain(resource("post", "posts").uuidPrimaryKey("id").attribute("price", INTEGER)
                .baseFilter("price > -10", Filter.sql("price > -10"))
                .with(CheckConstraints.of(check("price_must_be_positive").expression("price > 0")))), "create");

        db.execute("INSERT INTO posts (price) VALUES (5), (-20)");

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
    }

    @Test
    void aReferenceIndexBetweenTenantColumnResourcesLeadsWithTheTenantColumn() {
        UnaryOperator<ResourceBuilder> tenant = r -> r.belongsTo("org", "org").with(Multitenancy.attribute("org_id"));
        generations.roundTrip(domain(resource("org", "orgs").uuidPrimaryKey("id").attribute("name", TEXT),
                tenant.apply(resource("post", "posts").uuidPrimaryKey("id").attribute("title", TEXT)),
                tenant.apply(resource("post2", "post2s").uuidPrimaryKey("id").attribute("name", TEXT)
                        .belongsTo("post", "post").with(References.of(reference("post").index(true))))), "create");

        assertThat(generations.catalog()).anyMatch(line -> line.startsWith("index post2s_")
                && line.endsWith("USING btree (org_id, post_id)"));
    }

    @Test
    void aCustomIndexGainingIncludedColumnsAndAPredicateIsRebuiltOnRows() {
        UnaryOperator<ResourceBuilder> post = p -> p.integerPrimaryKey("id").attribute("title", TEXT)
                .attribute("body", TEXT);
        generations.roundTrip(domain(post.apply(resource("post", "posts")).with(CustomIndexes.of(index("title")))),
                "create");
        db.execute("INSERT INTO posts (title, body) VALUES ('a', 'x'), (NULL, 'y')");

        generations.roundTrip(domain(post.apply(resource("post", "posts")).with(CustomIndexes.of(index("title")
                .include("body").where("title IS NOT NULL")))), "covering");

        assertThat(generations.catalog()).contains("index posts_title_index CREATE INDEX posts_title_index ON "
                + "public.posts USING btree (title) INCLUDE (body) WHERE (title IS NOT NULL)");
    }

    @Test
    void anIdentityThatSkipsItsIndexDropsItAndTakesItBack() {
        UnaryOperator<ResourceBuilder> post = p -> p.integerPrimaryKey("id").attribute("title", TEXT);
        generations.roundTrip(domain(post.apply(resource("post", "posts")).identity("title", "title")), "create");
        db.execute("INSERT INTO posts (title) VALUES ('a'), ('b')");

        generations.roundTrip(domain(post.apply(resource("post", "posts")).identity("title", List.of("title"),
                i -> i.skipIndex())), "skip_index");

        assertThat(generations.catalog()).noneMatch(line -> line.contains("posts_title_index"));
    }

    @Test
    void aTextColumnTurnedIntegerConvertsItsRowsAndBack() {
        generations.roundTrip(domain(resource("post", "posts").integerPrimaryKey("id").attribute("code", TEXT)),
                "create");
        db.execute("INSERT INTO posts (code) VALUES ('1'), ('22')");

        generations.roundTrip(domain(resource("post", "posts").integerPrimaryKey("id").attribute("code", INTEGER)),
                "integer_code");

        assertThat(db.query("SELECT code FROM posts ORDER BY id")).extracting(r -> r.get("code")).containsExactly(1, 22);
    }

    @Test
    void customStatementsGivenInAnotherOrderChangeNothing() {
        UnaryOperator<ResourceBuilder> widget = w -> w.integerPrimaryKey("id").attribute("name", TEXT);
        CustomStatement.Builder first = statement("first").up("CREATE VIEW first_widgets AS SELECT id FROM widgets;")
                .down("DROP VIEW first_widgets;");
        CustomStatement.Builder second = statement("second").up("CREATE VIEW second_widgets AS SELECT name FROM widgets;")
                .down("DROP VIEW second_widgets;");
        generations.roundTrip(domain(widget.apply(resource("widget", "widgets")).with(CustomStatements.of(first, second))),
                "create");

        assertThat(generations.codegen(domain(widget.apply(resource("widget", "widgets"))
                .with(CustomStatements.of(second, first)))).check().steps()).isEmpty();
    }

    @Test
    void aReferenceIndexWhosePredicateChangesIsDroppedBeforeItsNamesakeIsBuilt() {
        UnaryOperator<ResourceBuilder> author = a -> a.integerPrimaryKey("id");
        UnaryOperator<ResourceBuilder> post = p -> p.integerPrimaryKey("id").attribute("archived_at", TEXT)
                .belongsTo("author", "author");
        generations.roundTrip(domain(author.apply(resource("author", "authors")), post.apply(resource("post", "posts"))
                .with(References.of(reference("author").index(true)))), "create");
        db.execute("INSERT INTO authors DEFAULT VALUES; INSERT INTO posts (author_id) VALUES (1), (NULL)");

        generations.roundTrip(domain(author.apply(resource("author", "authors")), post.apply(resource("post", "posts"))
                .with(References.of(reference("author").indexWhere("archived_at IS NULL")))), "partial");

        assertThat(generations.catalog()).anyMatch(line -> line.startsWith("index posts_author_id_index")
                && line.endsWith("WHERE (archived_at IS NULL)"));
    }

    @Test
    void aUniqueCustomIndexReplacedByAnotherOfTheSameNameIsDroppedFirst() {
        UnaryOperator<ResourceBuilder> user = u -> u.integerPrimaryKey("id").attribute("name", TEXT)
                .attribute("active", INTEGER);
        generations.roundTrip(domain(user.apply(resource("user", "users")).with(CustomIndexes.of(
                index("name").unique().name("users_active_name_index")))), "create");
        db.execute("INSERT INTO users (name, active) VALUES ('a', 1), ('b', 0)");

        generations.roundTrip(domain(user.apply(resource("user", "users")).with(CustomIndexes.of(
                index("name", "active").unique().name("users_active_name_index").where("active = 1")))), "reshape");

        assertThat(generations.catalog()).contains("index users_active_name_index CREATE UNIQUE INDEX "
                + "users_active_name_index ON public.users USING btree (name, active) WHERE (active = 1)");
    }

    @Test
    void aCompositeKeyAddedWithTheSiblingColumnItMatchesOnAnExistingTable() {
        UnaryOperator<ResourceBuilder> site = s -> s.integerPrimaryKey("id").attribute("site_id", INTEGER)
                .identity("id_site", "id", "site_id");
        generations.roundTrip(domain(site.apply(resource("a", "sites")), resource("junction", "junctions")
                .integerPrimaryKey("id")), "create");
        db.execute("INSERT INTO sites (site_id) VALUES (7); INSERT INTO junctions DEFAULT VALUES");

        generations.roundTrip(domain(site.apply(resource("a", "sites")), resource("junction", "junctions")
                .integerPrimaryKey("id").attribute("site_id", INTEGER).belongsTo("a", "a")
                .with(References.of(reference("a").matchWith("site_id", "site_id")))), "link");

        assertThat(generations.catalog()).anyMatch(line -> line.startsWith(
                "constraint junctions.junctions_a_id_fkey FOREIGN KEY (a_id, site_id) REFERENCES sites(id, site_id)"));
    }

    @Test
    void renamingTheReferencedKeyColumnAndTheReferencingColumnKeepsTheKeyAndRows() {
        generations.roundTrip(domain(resource("post", "posts").integerPrimaryKey("id"),
                resource("comment", "comments").integerPrimaryKey("id").belongsTo("post", "post")), "create");
        db.execute("INSERT INTO posts DEFAULT VALUES; INSERT INTO comments (post_id) VALUES (1)");

        generations.roundTrip(domain(resource("post", "posts").integerPrimaryKey("post_key"),
                resource("comment", "comments").integerPrimaryKey("id").belongsTo("post", "post",
                        r -> r.attribute("parent_key"))), "rename_keys", "posts.id=post_key", "comments.post_id=parent_key");

        assertThat(db.value("SELECT parent_key FROM comments")).isEqualTo(1);
        assertThat(generations.catalog()).anyMatch(line -> line.contains(
                "FOREIGN KEY (parent_key) REFERENCES posts(post_key)"));
    }
}
