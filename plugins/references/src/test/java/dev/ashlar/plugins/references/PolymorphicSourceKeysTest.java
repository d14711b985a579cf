package dev.ashlar.plugins.references;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.references.OnDelete.DELETE;
import static dev.ashlar.plugins.references.OnUpdate.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The key from each table of a polymorphic resource back to the resource whose relationship names that table
 * (AshPostgres's generated reference to the source table, with {@code polymorphic_on_delete},
 * {@code polymorphic_on_update} and {@code polymorphic_name} in the source's references section).
 */
class PolymorphicSourceKeysTest extends ProjectTest {

    private static Domain blog(References postReferences) {
        ResourceBuilder post = Resource.builder("post").table("posts").primaryKey("id")
                .hasMany("comments", "comment", r -> r.table("post_comments").destinationAttribute("resource_id"));
        if (postReferences != null) {
            post.with(postReferences);
        }
        return Domain.builder("blog").resources(
                post.build(),
                Resource.builder("user").table("users").primaryKey("id")
                        .hasMany("comments", "comment", r -> r.table("user_comments").destinationAttribute("resource_id"))
                        .build(),
                Resource.builder("comment").polymorphic("archived_comments").primaryKey("id")
                        .attribute("body", TEXT)
                        .attribute("resource_id", BIGINT)
                        .build()).build();
    }

    @Test
    void eachTableARelationshipNamesGetsAKeyToThatRelationshipsResource() {
        project.migrate(blog(null), "create_blog");

        assertThat(project.constraintNames()).containsExactly("post_comments_resource_id_fkey",
                "user_comments_resource_id_fkey");
        assertThat(project.constraint("post_comments_resource_id_fkey").get("definition"))
                .isEqualTo("FOREIGN KEY (resource_id) REFERENCES posts(id)");
        assertThat(project.constraint("user_comments_resource_id_fkey").get("definition"))
                .isEqualTo("FOREIGN KEY (resource_id) REFERENCES users(id)");
        db.execute("INSERT INTO posts (id) VALUES (1); INSERT INTO post_comments (body, resource_id) VALUES ('a', 1);"
                + "INSERT INTO archived_comments (body, resource_id) VALUES ('b', 42)");
        assertThatThrownBy(() -> db.execute("INSERT INTO post_comments (body, resource_id) VALUES ('c', 42)"))
                .hasMessageContaining("post_comments_resource_id_fkey");
        assertThatThrownBy(() -> db.execute("DELETE FROM posts WHERE id = 1"))
                .hasMessageContaining("post_comments_resource_id_fkey");
    }

    @Test
    void theSourcesReferencesSectionSetsTheKeysActionsAndName() {
        project.migrate(blog(References.of().polymorphicOnDelete(DELETE).polymorphicOnUpdate(UPDATE)
                .polymorphicName("post_comments_to_posts")), "create_blog");

        Map<String, Object> key = project.constraint("post_comments_to_posts");
        assertThat(key.get("on_delete")).isEqualTo("c");
        assertThat(key.get("on_update")).isEqualTo("c");
        assertThat(project.constraint("user_comments_resource_id_fkey").get("on_delete")).isEqualTo("a");
        db.execute("INSERT INTO posts (id) VALUES (1); INSERT INTO post_comments (body, resource_id) VALUES ('a', 1);"
                + "UPDATE posts SET id = 2");
        assertThat(db.value("SELECT resource_id FROM post_comments")).isEqualTo(2L);
        db.execute("DELETE FROM posts");
        assertThat(db.value("SELECT count(*) FROM post_comments")).isEqualTo(0L);
    }

    @Test
    void changingTheActionReplacesTheKeyAndIgnoringItDropsIt() {
        project.migrate(blog(null), "create_blog");
        project.migrate(blog(References.of().polymorphicOnDelete(DELETE)), "cascade_post_comments");

        assertThat(project.constraint("post_comments_resource_id_fkey").get("on_delete")).isEqualTo("c");
        assertThat(project.generate(blog(References.of().polymorphicOnDelete(DELETE)), "again").changed()).isFalse();

        project.migrate(blog(References.of().polymorphicIgnore()), "no_post_comments_key");

        assertThat(project.constraintNames()).containsExactly("user_comments_resource_id_fkey");
    }

    @Test
    void theKeyAddedToAPopulatedTableKeepsItsRowsAndAnOrphanRowStopsTheMigrationNamingTheKeyWithNothingLost() {
        // A project from before the key: its polymorphic tables hold rows, one of them naming a post that is gone.
        project.migrate(blog(References.of().polymorphicIgnore()), "create_blog");
        db.execute("INSERT INTO posts (id) SELECT g FROM generate_series(1, 100) g; "
                + "INSERT INTO post_comments (body, resource_id) SELECT 'c' || g, 1 + g % 100 FROM generate_series(1, 5000) g;"
                + "INSERT INTO post_comments (body, resource_id) VALUES ('orphan', 4242)");

        assertThatThrownBy(() -> project.migrate(blog(null), "post_comments_key"))
                .hasMessageContaining("post_comments_resource_id_fkey");
        assertThat(db.value("SELECT count(*) FROM post_comments")).isEqualTo(5001L);

        db.execute("DELETE FROM post_comments WHERE resource_id = 4242");
        project.migrate(blog(null), "post_comments_key_again");

        assertThat(db.value("SELECT convalidated FROM pg_constraint WHERE conname = 'post_comments_resource_id_fkey'"))
                .isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM post_comments")).isEqualTo(5000L);
    }

    @Test
    void aMissingSourceAndALeftBehindRowAreFieldErrorsNamingTheSourceAndItsOption() {
        Domain blog = blog(null);
        project.migrate(blog, "create_blog");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).discoverPlugins(false)
                .install(new ReferencesPlugin()).domain(blog).build()) {
            Row post = ashlar.create("post", Map.of());
            ashlar.create(Resource.inTable("comment", "post_comments"), Map.of("body", "a", "resource_id", post.get("id")));

            assertThatThrownBy(() -> ashlar.create(Resource.inTable("comment", "post_comments"),
                    Map.of("body", "b", "resource_id", 999L))).isInstanceOfSatisfying(InvalidDataException.class,
                    e -> assertThat(e.errors()).extracting(FieldError::field, FieldError::message, FieldError::column)
                            .containsExactly(tuple("post", "does not exist", "resource_id")));
            assertThatThrownBy(() -> ashlar.destroy(post)).isInstanceOfSatisfying(InvalidDataException.class,
                    e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                        assertThat(error.field()).isEqualTo("comments");
                        assertThat(error.message()).contains("polymorphicOnDelete(...)").contains("resource 'post'");
                    }));
        }
    }

    private static Domain postsAndPagesSharing(String table, References postReferences, References pageReferences,
                                               boolean resourceIdAllowsNil) {
        return Domain.builder("site").resources(
                Resource.builder("post").table("posts").primaryKey("id")
                        .hasMany("comments", "comment", r -> r.table(table).destinationAttribute("resource_id"))
                        .with(postReferences).build(),
                Resource.builder("page").table("pages").primaryKey("id")
                        .hasMany("comments", "comment", r -> r.table("comments").destinationAttribute("resource_id"))
                        .with(pageReferences).build(),
                Resource.builder("comment").polymorphic().primaryKey("id")
                        .attribute("body", TEXT)
                        .attribute("resource_id", BIGINT, a -> a.allowNil(resourceIdAllowsNil))
                        .build()).build();
    }

    private long publicTables() {
        return (Long) db.value("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
    }

    @Test
    void twoSourcesNamingOneTableAreRefusedNamingBothTheColumnAndTheFix() {
        Domain site = postsAndPagesSharing("comments", References.of(), References.of(), true);

        assertThatThrownBy(() -> project.migrate(site, "create_site")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resources 'post' and 'page' all name table 'comments' of polymorphic resource "
                        + "'comment' with destination attribute 'resource_id', whose column 'resource_id' cannot "
                        + "reference 'posts' and 'pages' at once")
                .hasMessageContaining("polymorphicIgnore()").hasMessageContaining("its own table with r.table(...)");
        assertThat(publicTables()).isZero();
    }

    @Test
    void twoSourcesSharingATableBothIgnoringTheKeyLeaveItWithoutOne() {
        project.migrate(postsAndPagesSharing("comments", References.of().polymorphicIgnore(),
                References.of().polymorphicIgnore(), true), "create_site");

        assertThat(project.constraintNames()).isEmpty();
        db.execute("INSERT INTO pages (id) VALUES (7); INSERT INTO comments (body, resource_id) VALUES ('on a page', 7)");
        assertThat(db.value("SELECT count(*) FROM comments WHERE resource_id = 7")).isEqualTo(1L);
    }

    @Test
    void polymorphicOnDeleteNilifyOfANotNullColumnIsRefusedUnderTheSource() {
        Domain site = postsAndPagesSharing("post_comments", References.of().polymorphicOnDelete(OnDelete.NILIFY),
                References.of(), false);

        assertThatThrownBy(() -> project.migrate(site, "create_site")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'post', 'polymorphic': the key from table 'post_comments' of "
                        + "polymorphic resource 'comment' to 'posts': polymorphicOnDelete(NILIFY) would set "
                        + "'resource_id' to null, but it is not nullable");
        assertThat(publicTables()).isZero();
    }

    @Test
    void aGeneratedSourceKeyNameOver63BytesAsksForPolymorphicName() {
        String table = "post_comments_" + "x".repeat(40);
        Domain site = postsAndPagesSharing(table, References.of(), References.of(), true);

        assertThatThrownBy(() -> project.migrate(site, "create_site")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'post', 'polymorphic': the key from table '" + table + "'")
                .hasMessageContaining("the generated foreign key name '" + table + "_resource_id_fkey'")
                .hasMessageContaining("with polymorphicName(\"...\")");
        assertThat(publicTables()).isZero();

        project.migrate(postsAndPagesSharing(table, References.of().polymorphicName("post_comments_to_posts"),
                References.of(), true), "create_site");
        assertThat(project.constraintNames()).containsExactlyInAnyOrder("post_comments_to_posts",
                "comments_resource_id_fkey");
    }
}
