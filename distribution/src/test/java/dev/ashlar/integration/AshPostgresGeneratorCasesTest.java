package dev.ashlar.integration;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.CustomStatements;
import dev.ashlar.plugins.references.Match;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.UUID;
import static dev.ashlar.integration.GenerationRoundTrip.domain;
import static dev.ashlar.integration.GenerationRoundTrip.resource;
import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.indexes.CustomStatements.statement;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cases of AshPostgres's migration generator tests, restated on Ashlar's resources and proved on a populated
 * database by {@link GenerationRoundTrip}.
 */
class AshPostgresGeneratorCasesTest extends RoundTripGround {
    AshPostgresGeneratorCasesTest() {
        super("example");
    }

    /** The post resource as given, and comments belonging to a post, keyed as {@code key} says. */
    private static Domain withComments(ResourceBuilder post, UnaryOperator<ResourceBuilder> key) {
        return domain(post, key.apply(resource("comment", "comments")).belongsTo("post", "post"));
    }

    private String indexdef(String name) {
        return (String) db.value("SELECT indexdef FROM pg_indexes WHERE indexname = ?", name);
    }

    @Test
    @RequiresPostgres(value = 15, reason = "NULLS NOT DISTINCT")
    void anIdentityInAnotherSchemaWithAPredicateAndNullsNotDistinctIsRebuiltWhenItsPredicateChanges() {
        UnaryOperator<ResourceBuilder> post = p -> p.schema("example").uuidPrimaryKey("id")
                .attribute("title", TEXT).attribute("second_title", TEXT, a -> a.migrationType("varchar(16)"))
                .identity("title", "title");
        generations.roundTrip(domain(post.apply(resource("post", "posts")).identity("second_title",
                List.of("second_title"), i -> i.nullsDistinct(false).where("second_title LIKE '%foo%'"))),
                "create");
        db.execute("INSERT INTO example.posts (title, second_title) VALUES ('a', 'foo'), ('b', 'bar'), ('c', 'bar')");
        assertThat(indexdef("posts_second_title_index")).isEqualTo("CREATE UNIQUE INDEX posts_second_title_index "
                + "ON example.posts USING btree (second_title) NULLS NOT DISTINCT WHERE ((second_title)::text ~~ '%foo%'::text)");

        generations.roundTrip(domain(post.apply(resource("post", "posts")).identity("second_title",
                List.of("second_title"), i -> i.nullsDistinct(false).where("second_title <> 'bar'"))),
                "change_where");

        assertThat(indexdef("posts_second_title_index")).contains("WHERE ((second_title)::text <> 'bar'::text)");
        assertThat(db.value("SELECT count(*) FROM example.posts")).isEqualTo(3L);
    }

    @Test
    void aCompositePrimaryKeyInAnotherSchemaLosesAndRegainsAColumnWithRowsInTheTable() {
        UnaryOperator<ResourceBuilder> post = p -> p.schema("example").uuidPrimaryKey("id");
        generations.roundTrip(domain(post.apply(resource("post", "posts"))
                .attribute("title", TEXT, a -> a.notNull().primaryKey())), "create");
        db.execute("INSERT INTO example.posts (title) VALUES ('a'), ('b')");

        generations.roundTrip(domain(post.apply(resource("post", "posts")).attribute("title", TEXT)), "shrink");
        assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'posts_pkey'"))
                .isEqualTo("PRIMARY KEY (id)");
        generations.roundTrip(domain(post.apply(resource("post", "posts"))
                .attribute("title", TEXT, a -> a.notNull().primaryKey())), "grow");
        assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'posts_pkey'"))
                .isEqualTo("PRIMARY KEY (id, title)");
        assertThat(db.value("SELECT count(*) FROM example.posts")).isEqualTo(2L);
    }

    @ParameterizedTest(name = "hint {0}")
    @ValueSource(strings = {"posts.title=name", "example.posts.title=name"})
    void aRenameInAnotherSchemaAlsoAppliesTheNewNotNullAndDefault(String hint) {
        generations.roundTrip(domain(resource("post", "posts").schema("example").uuidPrimaryKey("id")
                .attribute("title", TEXT)), "create");
        db.execute("INSERT INTO example.posts (title) VALUES ('a')");

        generations.roundTrip(domain(resource("post", "posts").schema("example").uuidPrimaryKey("id")
                .attribute("name", TEXT, a -> a.notNull().defaultValue("fred"))), "rename", hint);

        assertThat(db.value("SELECT name FROM example.posts")).isEqualTo("a");
        assertThat(generations.catalog()).contains("column posts.name text not null default 'fred'::text");
    }

    @Test
    void turningATenantColumnResourceGlobalChangesNoIdentity() {
        UnaryOperator<ResourceBuilder> post = p -> p.uuidPrimaryKey("id").attribute("title", TEXT)
                .attribute("organization_id", TEXT).identity("title", "title");
        generations.roundTrip(domain(post.apply(resource("post", "posts")).with(Multitenancy.attribute("organization_id"))),
                "create");

        Codegen.Result again = generations.codegen(domain(post.apply(resource("post", "posts"))
                .with(Multitenancy.attribute("organization_id").global(true)))).check();

        assertThat(again.steps()).isEmpty();
    }

    @Test
    void twoResourcesOnOneTableGetEachOthersColumnsAndIdentitiesAndOnlySharedNotNulls() {
        generations.roundTrip(domain(resource("post", "posts").uuidPrimaryKey("id").attribute("title", TEXT)
                .identity("title", "title")), "create");
        db.execute("INSERT INTO posts (title) VALUES ('a'), ('b')");

        generations.roundTrip(domain(
                resource("post", "posts").uuidPrimaryKey("id").attribute("title", TEXT)
                        .attribute("example", TEXT, a -> a.notNull().defaultValue("x")).identity("unique_title", "title"),
                resource("post2", "posts").uuidPrimaryKey("id").attribute("name", TEXT).identity("unique_name", "name")),
                "merge");

        assertThat(generations.catalog()).contains("column posts.example text default 'x'::text",
                "column posts.name text",
                "index posts_unique_title_index CREATE UNIQUE INDEX posts_unique_title_index ON public.posts USING btree (title)",
                "index posts_unique_name_index CREATE UNIQUE INDEX posts_unique_name_index ON public.posts USING btree (name)")
                .noneMatch(line -> line.startsWith("index posts_title_index"));
    }

    @Test
    void aGeneratedIntegerPrimaryKeyIsAnIdentityThatNumbersRows() {
        generations.roundTrip(domain(resource("post", "posts")
                .attribute("id", INTEGER, a -> a.primaryKey().generated()).attribute("views", INTEGER)), "create");
        db.execute("INSERT INTO posts (views) VALUES (1), (2)");

        assertThat(db.query("SELECT id FROM posts ORDER BY id")).extracting(r -> r.get("id")).containsExactly(1, 2);
    }

    @Test
    void aReferenceToATextKeyIsTypedLikeTheKey() {
        generations.roundTrip(domain(resource("post", "posts").attribute("id", TEXT, a -> a.primaryKey()),
                resource("post2", "post2s").attribute("id", TEXT, a -> a.primaryKey()).belongsTo("post", "post")),
                "create");

        assertThat(generations.catalog()).contains("column post2s.post_id text",
                "constraint post2s.post2s_post_id_fkey FOREIGN KEY (post_id) REFERENCES posts(id)");
    }

    @Test
    void aTenantColumnReferenceIndexedOnTheTenantRelationshipHasTheColumnOnce() {
        UnaryOperator<ResourceBuilder> org = o -> o.uuidPrimaryKey("id").attribute("name", TEXT);
        generations.roundTrip(domain(org.apply(resource("org", "orgs")), resource("post", "posts").uuidPrimaryKey("id")
                .belongsTo("org", "org").with(Multitenancy.attribute("org_id"))
                .with(References.of(reference("org").index(true)))), "create");

        assertThat(generations.catalog()).anyMatch(line -> line.matches("index posts_org_id_index .*\\(org_id\\)"));
    }

    @Test
    void aReferenceToAnotherKeyOfATenantColumnResourceMatchesTheTenantToo() {
        UnaryOperator<ResourceBuilder> user = u -> u.uuidPrimaryKey("id").attribute("secondary_id", UUID)
                .attribute("org_id", UUID).identity("secondary", "secondary_id").with(Multitenancy.attribute("org_id"));
        generations.roundTrip(domain(user.apply(resource("user", "users")),
                resource("thing", "user_things").attribute("id", TEXT, a -> a.primaryKey()).attribute("org_id", UUID)
                        .belongsTo("user", "user", r -> r.destinationAttribute("secondary_id"))
                        .with(Multitenancy.attribute("org_id"))
                        .with(References.of(reference("user").match(Match.FULL)))),
                "create");
        db.execute("INSERT INTO users (secondary_id, org_id) VALUES ('00000000-0000-0000-0000-000000000001', "
                + "'00000000-0000-0000-0000-00000000000a')");

        assertThat(generations.catalog()).anyMatch(line -> line.startsWith(
                "constraint user_things.user_things_user_id_fkey FOREIGN KEY (org_id, user_id) REFERENCES users(org_id, secondary_id) MATCH FULL"));
    }

    @Test
    void changingThePrimaryKeyOfAReferencedTableMovesTheKeyThatReferencesIt() {
        generations.roundTrip(withComments(resource("post", "posts").uuidPrimaryKey("id").attribute("title", TEXT),
                c -> c.uuidPrimaryKey("id")), "create");
        db.execute("INSERT INTO posts (title) VALUES ('a'), ('b')");

        generations.roundTrip(withComments(resource("post", "posts").attribute("id", UUID,
                a -> a.defaultSql("gen_random_uuid()")).uuidPrimaryKey("guid").attribute("title", TEXT),
                c -> c.uuidPrimaryKey("id")), "change_key");

        assertThat(db.value("SELECT count(DISTINCT guid) FROM posts")).isEqualTo(2L);
        assertThat(generations.catalog()).contains("constraint posts.posts_pkey PRIMARY KEY (guid)")
                .anyMatch(line -> line.startsWith("constraint comments.comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES posts(guid)"));
    }

    @Test
    void aTableMovedToAnotherSchemaKeepsItsRowsIdentityAndTheKeysThatReferenceIt() {
        generations.roundTrip(withComments(resource("post", "posts").integerPrimaryKey("id").attribute("title", TEXT)
                .identity("title", "title"), c -> c.integerPrimaryKey("id")), "create");
        db.execute("INSERT INTO posts (title) VALUES ('a'); INSERT INTO comments (post_id) VALUES (1)");

        generations.roundTrip(withComments(resource("post", "posts").schema("example").integerPrimaryKey("id")
                .attribute("title", TEXT).identity("title", "title"), c -> c.integerPrimaryKey("id")),
                "move", "public.posts=example.posts");

        assertThat(db.value("SELECT title FROM example.posts")).isEqualTo("a");
        assertThat(generations.catalog()).contains(
                "constraint comments.comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES example.posts(id)");
    }

    @Test
    void aResourceWithOnlyAKeyIsCreatedAndChangesNothingOnTheNextRun() {
        generations.roundTrip(domain(resource("tag", "tags").uuidPrimaryKey("id")), "create");

        assertThat(generations.catalog()).contains("column tags.id uuid not null default gen_random_uuid()");
    }
    @Test
    void aResourceWithoutAttributesIsRefusedWhenTheDomainIsBuiltNamingTheResourceAndTheFix() {
        // AshPostgres writes no table for a resource with nothing in it; here the resource is refused instead, since
        // every resource needs a primary key to be read and written.
        assertThatThrownBy(() -> domain(resource("empty", "empties"))).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'empty': has no primary key").hasMessageContaining(".uuidPrimaryKey(\"id\")");
    }

    @Test
    @RequiresPostgres(value = 15, reason = "NULLS NOT DISTINCT")
    void anIdentityTurningNullsNotDistinctOnRowsWithTwoNullsFailsLeavingTheIndexAsItWas() {
        UnaryOperator<ResourceBuilder> post = p -> p.uuidPrimaryKey("id").attribute("title", TEXT);
        generations.roundTrip(domain(post.apply(resource("post", "posts")).identity("title", "title")), "create");
        db.execute("INSERT INTO posts (title) VALUES (NULL), (NULL)");
        List<String> before = generations.catalog();

        Domain notDistinct = domain(post.apply(resource("post", "posts")).identity("title", List.of("title"),
                i -> i.nullsDistinct(false)));
        generations.codegen(notDistinct).generate("nulls_not_distinct");
        assertThatThrownBy(() -> generations.migrator().migrate())
                .hasMessageContaining("posts_title_index");

        assertThat(generations.catalog()).isEqualTo(before);
        db.execute("DELETE FROM posts");
        generations.migrator().migrate();
        assertThat(indexdef("posts_title_index")).contains("NULLS NOT DISTINCT");
    }

    @Test
    void anIdentityAcrossAllTenantsLeavesTheTenantColumnOutOfItsIndex() {
        generations.roundTrip(domain(resource("user", "users").uuidPrimaryKey("id").attribute("name", TEXT)
                .attribute("email", TEXT).attribute("org_id", UUID).with(Multitenancy.attribute("org_id"))
                .identity("unique_name", List.of("name"), i -> i.allTenants())
                .identity("unique_email", "email")), "create");

        assertThat(indexdef("users_unique_name_index")).endsWith("USING btree (name)");
        assertThat(indexdef("users_unique_email_index")).endsWith("USING btree (org_id, email)");
    }

    @Test
    void aConcurrentCustomIndexOnANewTableIsBuiltAndValid() {
        generations.roundTrip(domain(resource("post", "posts").uuidPrimaryKey("id").attribute("title", TEXT)
                .with(CustomIndexes.of(index("title").concurrently()))), "create");

        assertThat(generations.catalog()).contains("index state posts_title_index valid=true");
    }

    @Test
    void widenedKeyTypesCarryTheKeysThatReferenceThemAndTheirRows() {
        generations.roundTrip(withComments(resource("post", "posts").integerPrimaryKey("id").attribute("title", TEXT),
                c -> c.integerPrimaryKey("id")), "create");
        db.execute("INSERT INTO posts (title) VALUES ('a'), ('b'); INSERT INTO comments (post_id) VALUES (2), (1)");

        generations.roundTrip(withComments(resource("post", "posts").primaryKey("id").attribute("title", TEXT),
                c -> c.integerPrimaryKey("id")), "bigint_keys");

        assertThat(generations.catalog()).contains("column posts.id bigint not null identity d",
                "column comments.post_id bigint",
                "constraint comments.comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES posts(id)");
        assertThat(db.query("SELECT post_id FROM comments ORDER BY id")).extracting(r -> r.get("post_id"))
                .containsExactly(2L, 1L);
    }

    @Test
    void aTableMovedToAnotherSchemaWithARenamedColumnKeepsTheColumnsRows() {
        generations.roundTrip(domain(resource("post", "posts").integerPrimaryKey("id").attribute("title", TEXT)
                .identity("title", "title")), "create");
        db.execute("INSERT INTO posts (title) VALUES ('a')");

        generations.roundTrip(domain(resource("post", "articles").schema("example").integerPrimaryKey("id")
                .attribute("headline", TEXT).identity("title", "headline")), "move",
                "public.posts=example.articles", "articles.title=headline");

        assertThat(db.value("SELECT headline FROM example.articles")).isEqualTo("a");
        assertThat(indexdef("articles_title_index")).endsWith("USING btree (headline)");
    }
    @Test
    void aColumnWithAVolatileDefaultAddedToATableMovedAndRenamedInTheSameMigrationFillsEveryRow() {
        generations.roundTrip(domain(resource("post", "posts").integerPrimaryKey("id").attribute("title", TEXT)),
                "create");
        db.execute("INSERT INTO posts (title) VALUES ('a'), ('b')");

        generations.roundTrip(domain(resource("post", "articles").schema("example").integerPrimaryKey("id")
                .attribute("title", TEXT).attribute("token", UUID, a -> a.notNull().defaultSql("gen_random_uuid()"))),
                "move_and_add", "public.posts=example.articles");

        assertThat(db.value("SELECT count(DISTINCT token) FROM example.articles")).isEqualTo(2L);
    }

    @Test
    void aColumnWithAVolatileDefaultAddedToATableWhoseKeyColumnIsRenamedFillsEveryRow() {
        generations.roundTrip(domain(resource("post", "posts").integerPrimaryKey("id").attribute("title", TEXT)),
                "create");
        db.execute("INSERT INTO posts (title) VALUES ('a'), ('b')");

        generations.roundTrip(domain(resource("post", "posts").integerPrimaryKey("post_id").attribute("title", TEXT)
                .attribute("token", UUID, a -> a.notNull().defaultSql("gen_random_uuid()"))), "rename_key_and_add",
                "posts.id=post_id");

        assertThat(db.value("SELECT count(DISTINCT token) FROM posts")).isEqualTo(2L);
    }

    @Test
    void aColumnDroppedWithThePartialIdentityThatNamesItGoesAfterTheIndex() {
        UnaryOperator<ResourceBuilder> post = p -> p.integerPrimaryKey("id").attribute("title", TEXT);
        generations.roundTrip(domain(post.apply(resource("post", "posts")).attribute("archived_at", TEXT)
                .identity("title", List.of("title"), i -> i.where("archived_at IS NULL"))), "create");
        db.execute("INSERT INTO posts (title, archived_at) VALUES ('a', NULL), ('a', 'x')");

        generations.codegen(domain(post.apply(resource("post", "posts")))).generate("drop_archived");
        generations.migrator().migrate();

        assertThat(generations.catalog()).noneMatch(line -> line.contains("archived_at") || line.contains("posts_title_index"));
    }

    @Test
    void aPrimaryKeyMovedToARenamedColumnKeepsItsRows() {
        generations.roundTrip(domain(resource("post", "posts").integerPrimaryKey("id").attribute("code", TEXT,
                a -> a.notNull())), "create");
        db.execute("INSERT INTO posts (code) VALUES ('a'), ('b')");

        generations.roundTrip(domain(resource("post", "posts").attribute("id", INTEGER, a -> a.notNull())
                .attribute("slug", TEXT, a -> a.primaryKey())), "slug_key", "posts.code=slug");

        assertThat(generations.catalog()).contains("constraint posts.posts_pkey PRIMARY KEY (slug)");
        assertThat(db.query("SELECT slug FROM posts ORDER BY slug")).extracting(r -> r.get("slug"))
                .containsExactly("a", "b");
    }
    @Test
    void anIdentityTurningAcrossAllTenantsIsRebuiltWithoutTheTenantColumnAndBack() {
        UnaryOperator<ResourceBuilder> user = u -> u.uuidPrimaryKey("id").attribute("name", TEXT).attribute("org_id", UUID)
                .with(Multitenancy.attribute("org_id"));
        generations.roundTrip(domain(user.apply(resource("user", "users")).identity("unique_name", "name")), "create");
        db.execute("INSERT INTO users (name, org_id) VALUES ('a', gen_random_uuid()), ('b', gen_random_uuid())");

        generations.roundTrip(domain(user.apply(resource("user", "users")).identity("unique_name", List.of("name"),
                i -> i.allTenants())), "all_tenants");

        assertThat(indexdef("users_unique_name_index")).endsWith("USING btree (name)");
        generations.roundTrip(domain(user.apply(resource("user", "users")).identity("unique_name", "name")), "per_tenant");
        assertThat(indexdef("users_unique_name_index")).endsWith("USING btree (org_id, name)");
    }

    @Test
    void aReferenceGainingAndLosingItsIndexAndMatchFullOnRows() {
        UnaryOperator<ResourceBuilder> post = p -> p.integerPrimaryKey("id").attribute("slug", TEXT)
                .identity("id_slug", "id", "slug");
        UnaryOperator<ResourceBuilder> comment = c -> c.integerPrimaryKey("id").attribute("post_slug", TEXT)
                .belongsTo("post", "post");
        generations.roundTrip(domain(post.apply(resource("post", "posts")), comment.apply(resource("comment", "comments"))
                .with(References.of(reference("post").matchWith("post_slug", "slug")))), "create");
        db.execute("INSERT INTO posts (slug) VALUES ('a'); INSERT INTO comments (post_id, post_slug) VALUES (1, 'a'), "
                + "(NULL, NULL)");

        generations.roundTrip(domain(post.apply(resource("post", "posts")), comment.apply(resource("comment", "comments"))
                .with(References.of(reference("post").matchWith("post_slug", "slug").match(Match.FULL).index(true)))),
                "full_indexed");

        assertThat(generations.catalog()).anyMatch(line -> line.endsWith("REFERENCES posts(id, slug) MATCH FULL"))
                .anyMatch(line -> line.startsWith("index comments_post_id_post_slug_index")
                        || line.startsWith("index comments_post_id_index"));
        generations.roundTrip(domain(post.apply(resource("post", "posts")), comment.apply(resource("comment", "comments"))
                .with(References.of(reference("post").matchWith("post_slug", "slug")))), "plain_again");
    }

    @Test
    void aCheckAddedToRowsThatBreakItFailsNamingItAndLeavesTheTableAsItWas() {
        UnaryOperator<ResourceBuilder> post = p -> p.integerPrimaryKey("id").attribute("price", INTEGER);
        generations.roundTrip(domain(post.apply(resource("post", "posts"))), "create");
        db.execute("INSERT INTO posts (price) VALUES (5), (-1)");
        List<String> before = generations.catalog();

        generations.codegen(domain(post.apply(resource("post", "posts")).with(CheckConstraints.of(
                check("price_must_be_positive").expression("price > 0"))))).generate("positive");

        assertThatThrownBy(() -> generations.migrator().migrate()).hasMessageContaining("price_must_be_positive");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
        db.execute("DELETE FROM posts WHERE price < 0");
        generations.migrator().migrate();
        assertThat(generations.catalog()).anyMatch(line -> line.contains("CHECK ((price > 0))"))
                .containsAll(before.stream().filter(line -> !line.startsWith("constraint state")).toList());
    }
    @Test
    void aNewUniqueTokenWithAVolatileDefaultIsFilledBeforeItsIdentityIsBuilt() {
        UnaryOperator<ResourceBuilder> post = p -> p.integerPrimaryKey("id").attribute("title", TEXT);
        generations.roundTrip(domain(post.apply(resource("post", "posts"))), "create");
        db.execute("INSERT INTO posts (title) SELECT 't' || g FROM generate_series(1, 2500) g");

        generations.roundTrip(domain(post.apply(resource("post", "posts"))
                .attribute("token", UUID, a -> a.notNull().defaultSql("gen_random_uuid()")).identity("token", "token")),
                "token");

        assertThat(db.value("SELECT count(DISTINCT token) FROM posts")).isEqualTo(2500L);
        assertThat(generations.catalog()).contains("index state posts_token_index valid=true");
    }

    @Test
    void aResourceRemovedFromASharedTableTakesOnlyItsOwnColumnsAndIdentities() {
        UnaryOperator<ResourceBuilder> post = p -> p.uuidPrimaryKey("id").attribute("title", TEXT)
                .identity("unique_title", "title");
        generations.roundTrip(domain(post.apply(resource("post", "posts")), resource("post2", "posts").uuidPrimaryKey("id")
                .attribute("title", TEXT).attribute("name", TEXT).identity("unique_name", "name")), "create");
        db.execute("INSERT INTO posts (title, name) VALUES ('a', 'x')");

        Codegen.Result result = generations.roundTrip(domain(post.apply(resource("post", "posts"))), "remove_post2");

        assertThat(result.destructive()).containsExactly("drops column public.posts.name and its data");
        assertThat(generations.catalog()).noneMatch(line -> line.contains("posts.name") || line.contains("unique_name"))
                .contains("index posts_unique_title_index CREATE UNIQUE INDEX posts_unique_title_index ON public.posts "
                        + "USING btree (title)");
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("a");
    }
    @Test
    void aCheckRemovedWithItsColumnComesBackAfterTheColumnOnRollback() {
        UnaryOperator<ResourceBuilder> post = p -> p.integerPrimaryKey("id").attribute("title", TEXT);
        generations.roundTrip(domain(post.apply(resource("post", "posts")).attribute("price", INTEGER)
                .with(CheckConstraints.of(check("positive").expression("price > 0").attributes("price")))), "create");
        db.execute("INSERT INTO posts (title, price) VALUES ('a', 1)");

        generations.roundTrip(domain(post.apply(resource("post", "posts"))), "drop_price");
    }

    @Test
    void anIdentityAndTheKeyThatReferencesItRemovedTogetherGoKeyFirst() {
        UnaryOperator<ResourceBuilder> parent = p -> p.integerPrimaryKey("id").attribute("code", TEXT);
        generations.roundTrip(domain(parent.apply(resource("parent", "parents")).identity("code", "code"),
                resource("child", "children").integerPrimaryKey("id")
                        .belongsTo("parent", "parent", r -> r.attribute("parent_code").destinationAttribute("code"))),
                "create");
        db.execute("INSERT INTO parents (code) VALUES ('a'); INSERT INTO children (parent_code) VALUES ('a')");

        generations.roundTrip(domain(parent.apply(resource("parent", "parents")),
                resource("child", "children").integerPrimaryKey("id").attribute("parent_code", TEXT)), "unlink");
    }

    @Test
    void aFunctionAndTheTriggerThatCallsItAreCreatedInOrderAndDroppedInReverse() {
        UnaryOperator<ResourceBuilder> widget = w -> w.integerPrimaryKey("id").attribute("name", TEXT)
                .attribute("touched", INTEGER, a -> a.defaultValue(0));
        generations.roundTrip(domain(widget.apply(resource("widget", "widgets"))), "create");

        generations.roundTrip(domain(widget.apply(resource("widget", "widgets")).with(CustomStatements.of(
                statement("touch_function").up("CREATE FUNCTION widgets_touch() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN NEW.touched := NEW.touched + 1; RETURN NEW; END $$;")
                        .down("DROP FUNCTION widgets_touch();"),
                statement("touch_trigger").up("CREATE TRIGGER widgets_touch BEFORE UPDATE ON widgets FOR EACH ROW "
                        + "EXECUTE FUNCTION widgets_touch();").down("DROP TRIGGER widgets_touch ON widgets;")))),
                "statements");
        db.execute("INSERT INTO widgets (name) VALUES ('a'); UPDATE widgets SET name = 'b'");
        assertThat(db.value("SELECT touched FROM widgets")).isEqualTo(1);

        generations.roundTrip(domain(widget.apply(resource("widget", "widgets"))), "no_statements");
    }

    @Test
    void aColumnRenamedWhileItsCustomIndexIsRemovedRollsBackToTheIndexOnTheOldName() {
        generations.roundTrip(domain(resource("post", "posts").integerPrimaryKey("id").attribute("title", TEXT)
                .with(CustomIndexes.of(index("title")))), "create");
        db.execute("INSERT INTO posts (title) VALUES ('a')");

        generations.roundTrip(domain(resource("post", "posts").integerPrimaryKey("id").attribute("title_short", TEXT)),
                "rename_and_unindex", "posts.title=title_short");
    }

    @Test
    void aPrimaryKeyWidenedToANewColumnWithADefaultKeepsTheRows() {
        generations.roundTrip(domain(resource("account", "accounts").integerPrimaryKey("id")), "create");
        db.execute("INSERT INTO accounts DEFAULT VALUES; INSERT INTO accounts DEFAULT VALUES");

        generations.roundTrip(domain(resource("account", "accounts").integerPrimaryKey("id")
                .attribute("cell_id", INTEGER, a -> a.primaryKey().defaultValue(1))), "widen_key");

        assertThat(generations.catalog()).contains("constraint accounts.accounts_pkey PRIMARY KEY (id, cell_id)");
        assertThat(db.value("SELECT count(*) FROM accounts WHERE cell_id = 1")).isEqualTo(2L);
    }

    @Test
    void aSelfReferenceToAnIdentityIsCreatedAfterTheIdentity() {
        generations.roundTrip(domain(resource("phase", "template_phase").integerPrimaryKey("id")
                .attribute("code", TEXT).identity("code", "code")
                .belongsTo("follows", "phase", r -> r.attribute("follows_code").destinationAttribute("code"))), "create");
        db.execute("INSERT INTO template_phase (code, follows_code) VALUES ('a', NULL), ('b', 'a')");

        assertThat(generations.catalog()).contains("constraint template_phase.template_phase_follows_code_fkey "
                + "FOREIGN KEY (follows_code) REFERENCES template_phase(code)");
    }
    @Test
    void aUniqueIndexsErrorFieldsAndMessageChangeNoMigration() {
        UnaryOperator<ResourceBuilder> user = u -> u.integerPrimaryKey("id").attribute("first_name", TEXT)
                .attribute("last_name", TEXT);
        generations.roundTrip(domain(user.apply(resource("user", "users"))
                .with(CustomIndexes.of(index("first_name", "last_name").unique()))), "create");

        Codegen.Result again = generations.codegen(domain(user.apply(resource("user", "users")).with(CustomIndexes.of(
                index("first_name", "last_name").unique().errorFields("last_name").message("is taken"))))).check();

        assertThat(again.steps()).isEmpty();
    }
}
