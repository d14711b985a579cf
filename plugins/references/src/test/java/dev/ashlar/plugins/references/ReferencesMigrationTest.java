package dev.ashlar.plugins.references;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.testing.Catalog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.ashlar.plugins.references.OnDelete.DELETE;
import static dev.ashlar.plugins.references.OnDelete.nilify;
import static dev.ashlar.plugins.references.OnUpdate.UPDATE;
import static dev.ashlar.plugins.references.Reference.reference;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ReferencesMigrationTest extends ProjectTest {
    @Test
    void everyBelongsToGetsAKeyAndTheGuideOptionsReachTheCatalog() {
        project.migrate(Blog.withCommentReferences(reference("post"),
                reference("user").onDelete(DELETE).onUpdate(UPDATE).name("comments_to_users_fkey")
                        .deferrable(true).initiallyDeferred(false)), "create_blog");

        assertThat(project.constraintNames())
                .containsExactly("comments_post_id_fkey", "comments_to_users_fkey", "posts_author_id_fkey");
        assertThat(project.constraint("comments_to_users_fkey")).contains(entry("on_delete", "c"),
                entry("on_update", "c"), entry("deferrable", true), entry("deferred", false),
                entry("columns", "user_id"), entry("referenced", "id"), entry("definition",
                        "FOREIGN KEY (user_id) REFERENCES users(id) ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE"));
        assertThat(project.constraint("comments_post_id_fkey")).contains(entry("on_delete", "a"),
                entry("on_update", "a"), entry("deferrable", false), entry("deferred", false),
                entry("definition", "FOREIGN KEY (post_id) REFERENCES posts(id)"));
    }

    @Test
    void initiallyDeferredKeysAreDeferredInTheCatalog() {
        project.migrate(Blog.withCommentReferences(reference("post").deferrable(true).initiallyDeferred(true)), "a");

        assertThat(project.constraint("comments_post_id_fkey")).contains(entry("deferrable", true),
                entry("deferred", true));
    }

    @Test
    void keysComeAfterEveryTableAndTheUniqueKeyTheyReferenceEvenInACycle() {
        Resource user = Resource.builder("user").table("users").integerPrimaryKey("id").attribute("email", TEXT)
                .identity("unique_email", "email").belongsTo("favorite_post", "post").build();
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("author_email", TEXT).belongsTo("author", "user", r -> r.destinationAttribute("email"))
                .build();

        Codegen.Result result = project.migrate(Domain.builder("blog").resources(user, post).build(), "cycle");

        assertThat(result.steps()).extracting(MigrationStep::describe).containsExactly(
                "create table public.users", "create table public.posts",
                "add identity users_unique_email_index on public.users",
                "add foreign_key users_favorite_post_id_fkey on public.users",
                "add foreign_key posts_author_id_fkey on public.posts");
        assertThat(project.constraint("posts_author_id_fkey"))
                .contains(entry("definition", "FOREIGN KEY (author_id) REFERENCES users(email)"));
    }

    @Test
    void changingAnOptionReplacesTheKeyInOneMigrationAndDownRestoresThePreviousKeyExactly() {
        project.migrate(Blog.withCommentReferences(reference("post").deferrable(true)), "create_blog");
        List<String> before = Catalog.of(db, "public");

        Codegen.Result result = project.migrate(Blog.withCommentReferences(reference("post").onDelete(DELETE)), "cascade");

        // On a table that exists, the key is added NOT VALID and validated in a second file.
        assertThat(result.files()).hasSize(2);
        assertThat(result.steps()).extracting(MigrationStep::describe).containsExactly(
                "drop foreign_key comments_post_id_fkey on public.comments",
                "add foreign_key comments_post_id_fkey on public.comments",
                "validate foreign_key comments_post_id_fkey on public.comments");
        assertThat(project.constraint("comments_post_id_fkey")).contains(entry("on_delete", "c"),
                entry("deferrable", false));
        project.migrator().rollback(2);
        assertThat(Catalog.of(db, "public")).isEqualTo(before);
    }

    @Test
    void togglingDeferralAltersTheKeyInPlaceAndDownAltersItBack() throws IOException {
        project.migrate(Blog.withCommentReferences(reference("post")), "create_blog");
        List<String> before = Catalog.of(db, "public");
        Object key = db.value("SELECT oid FROM pg_constraint WHERE conname = 'comments_post_id_fkey'");

        Codegen.Result result = project.migrate(Blog.withCommentReferences(reference("post").deferrable(true)
                .initiallyDeferred(true)), "defer");

        assertThat(result.steps()).extracting(MigrationStep::describe).containsExactly(
                "alter foreign_key comments_post_id_fkey on public.comments (deferrable, initially_deferred)");
        assertThat(Files.readString(result.files().get(0))).contains("ALTER TABLE \"public\".\"comments\" ALTER "
                + "CONSTRAINT \"comments_post_id_fkey\" DEFERRABLE INITIALLY DEFERRED;").doesNotContain("DROP CONSTRAINT");
        assertThat(project.constraint("comments_post_id_fkey")).contains(entry("deferrable", true),
                entry("deferred", true));
        assertThat(db.value("SELECT oid FROM pg_constraint WHERE conname = 'comments_post_id_fkey'")).isEqualTo(key);
        project.migrator().rollback(1);
        assertThat(Catalog.of(db, "public")).isEqualTo(before);
        assertThat(db.value("SELECT oid FROM pg_constraint WHERE conname = 'comments_post_id_fkey'")).isEqualTo(key);
    }

    @Test
    void aKeyGivenOnlyANewNameIsRenamedInPlaceAndDownRenamesItBack() throws IOException {
        project.migrate(Blog.withCommentReferences(reference("post")), "create_blog");
        List<String> before = Catalog.of(db, "public");
        Object key = db.value("SELECT oid FROM pg_constraint WHERE conname = 'comments_post_id_fkey'");

        Codegen.Result result = project.migrate(Blog.withCommentReferences(reference("post").name("special_post_fkey")),
                "rename_key");

        assertThat(result.steps()).extracting(MigrationStep::describe).containsExactly(
                "rename foreign_key comments_post_id_fkey on public.comments to special_post_fkey");
        assertThat(Files.readString(result.files().get(0))).contains("ALTER TABLE \"public\".\"comments\" RENAME "
                + "CONSTRAINT \"comments_post_id_fkey\" TO \"special_post_fkey\";").doesNotContain("DROP CONSTRAINT");
        assertThat(db.value("SELECT oid FROM pg_constraint WHERE conname = 'special_post_fkey'")).isEqualTo(key);
        project.migrator().rollback(1);
        assertThat(Catalog.of(db, "public")).isEqualTo(before);
    }

    @Test
    void sayingTheDefaultsOutLoudChangesNothing() {
        project.migrate(Blog.withCommentReferences(), "create_blog");

        Codegen.Result result = project.generate(Blog.withCommentReferences(reference("post")
                .onDelete(OnDelete.NOTHING).onUpdate(OnUpdate.NOTHING).match(Match.SIMPLE)), "same");

        assertThat(result.changed()).isFalse();
    }

    @Test
    void removingTheRelationshipDropsItsKeyAndDownBringsItBack() {
        project.migrate(Blog.withCommentReferences(reference("post").onDelete(DELETE)), "create_blog");
        List<String> before = Catalog.of(db, "public");
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("body", TEXT).belongsTo("user", "user").build();

        Codegen.Result result = project.migrate(Domain.builder("blog")
                .resources(Blog.user(), Blog.postWithoutComments().build(), comment).build(), "drop_post_link");

        assertThat(result.steps()).extracting(MigrationStep::describe).containsExactly(
                "drop foreign_key comments_post_id_fkey on public.comments", "drop column public.comments.post_id");
        assertThat(project.constraintNames()).doesNotContain("comments_post_id_fkey");
        project.migrator().rollback(1);
        assertThat(Catalog.of(db, "public")).isEqualTo(before);
    }

    @Test
    void ignoreLeavesTheRelationshipWithoutAKey() {
        project.migrate(Blog.withCommentReferences(reference("user").ignore()), "create_blog");

        assertThat(project.constraintNames()).containsExactly("comments_post_id_fkey", "posts_author_id_fkey");
    }

    @Test
    void aCompositeKeyMatchesTheTenantColumnAndIndexesItsColumns() {
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("org_id", INTEGER, a -> a.notNull()).identity("id_in_org", "id", "org_id").build();
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("org_id", INTEGER, a -> a.notNull()).belongsTo("post", "post")
                .with(References.of(reference("post").matchWith("org_id", "org_id").match(Match.FULL).index(true)))
                .build();

        project.migrate(Domain.builder("blog").resources(post, comment).build(), "tenants");

        assertThat(project.constraint("comments_post_id_fkey")).contains(entry("match", "f"),
                entry("columns", "post_id,org_id"), entry("referenced", "id,org_id"),
                entry("definition", "FOREIGN KEY (post_id, org_id) REFERENCES posts(id, org_id) MATCH FULL"));
        assertThat(Catalog.of(db, "public")).contains("index comments_post_id_org_id_index CREATE INDEX "
                + "comments_post_id_org_id_index ON public.comments USING btree (post_id, org_id)");
    }

    @Test
    void indexWhereBuildsAPartialIndexOnTheKeyAndChangingItReplacesTheIndexReversibly() {
        project.migrate(Blog.withCommentReferences(reference("post").index(true)), "create_blog");
        Codegen.Result partial = project.migrate(Blog.withCommentReferences(reference("post")
                .indexWhere(Reference.NOT_NULL), reference("user").indexWhere("body IS NOT NULL")), "partial_key_indexes");

        assertThat(Catalog.of(db, "public")).contains(
                "index comments_post_id_index CREATE INDEX comments_post_id_index ON public.comments USING btree "
                        + "(post_id) WHERE (post_id IS NOT NULL)",
                "index comments_user_id_index CREATE INDEX comments_user_id_index ON public.comments USING btree "
                        + "(user_id) WHERE (body IS NOT NULL)");
        // On a table that exists each new index is built concurrently, in a file of its own: roll back every file.
        project.migrator().rollback(partial.files().size());
        assertThat(Catalog.of(db, "public")).contains("index comments_post_id_index CREATE INDEX "
                + "comments_post_id_index ON public.comments USING btree (post_id)")
                .noneMatch(line -> line.startsWith("index comments_user_id_index"));
    }

    @Test
    void aTypeChangeOfTheReferencedKeyDropsTheKeyBeforeTheColumnsChangeAndAddsItAfter() {
        project.migrate(Blog.withCommentReferences(), "create_blog");
        Resource user = Resource.builder("user").table("users").bigintPrimaryKey("id").attribute("email", TEXT).build();

        Codegen.Result result = project.migrate(Domain.builder("blog")
                .resources(user, Blog.post(), Blog.comment().build()).build(), "bigger_users");

        assertThat(result.steps()).extracting(s -> s.describe().replaceAll(" \\(.*", "")).containsSubsequence(
                "drop foreign_key posts_author_id_fkey on public.posts", "alter column public.users.id",
                "add foreign_key posts_author_id_fkey on public.posts");
        assertThat(Catalog.of(db, "public")).contains("column comments.user_id bigint", "column posts.author_id bigint");
    }

    @Test
    void nilifyOfAColumnListWritesAFileThatRequiresPostgres15() throws IOException {
        Codegen.Result result = project.generate(Blog.withCommentReferences(
                reference("post").onDelete(nilify("post_id"))), "create_blog");

        assertThat(Files.readString(result.files().get(0)))
                .contains("-- requires: postgresql 15 (ON DELETE SET NULL (columns))")
                .contains("FOREIGN KEY (\"post_id\") REFERENCES \"public\".\"posts\" (\"id\") ON DELETE SET NULL (\"post_id\");");
    }

    @Test
    void theMigratorRefusesANilifyFileOnAnOlderServerBeforeRunningAnyOfIt() throws IOException {
        Codegen.Result result = project.generate(Blog.withCommentReferences(
                reference("post").onDelete(nilify("post_id"))), "create_blog");
        // Any server is older than 99: the same check that stops the file on PostgreSQL 13 and 14.
        Path file = result.files().get(0);
        Files.writeString(file, Files.readString(file).replace("-- requires: postgresql 15", "-- requires: postgresql 99"));

        assertThatThrownBy(() -> project.migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("needs PostgreSQL 99 for ON DELETE SET NULL (columns), but this server is "
                        + "PostgreSQL " + db.serverMajorVersion() + ". Nothing was applied.");
        assertThat(db.value("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'posts'"))
                .isEqualTo(0L);
    }

    @Test
    void onAServerOlderThan15TheNilifyFileStopsWithAMessageSayingSoInsteadOfASyntaxError() {
        assumeTrue(db.serverMajorVersion() < 15, "runs where SET NULL (columns) is missing: PostgreSQL 13 and 14");
        project.generate(Blog.withCommentReferences(reference("post").onDelete(nilify("post_id"))), "create_blog");

        assertThatThrownBy(() -> project.migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("needs PostgreSQL 15 for ON DELETE SET NULL (columns), but this server is "
                        + "PostgreSQL " + db.serverMajorVersion());
    }
}
