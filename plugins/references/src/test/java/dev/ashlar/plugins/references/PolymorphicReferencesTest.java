package dev.ashlar.plugins.references;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.references.OnDelete.DELETE;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Foreign keys of a polymorphic resource: one per table it lives in, and a key to one of those tables. */
class PolymorphicReferencesTest extends ProjectTest {
    static final Domain DOMAIN = Domain.builder("blog").resources(
            Resource.builder("user").table("users").primaryKey("id")
                    .hasMany("comments", "comment", r -> r.table("user_comments").destinationAttribute("resource_id"))
                    .build(),
            Resource.builder("post").table("posts").primaryKey("id")
                    .hasMany("comments", "comment", r -> r.table("post_comments").destinationAttribute("resource_id"))
                    .belongsTo("pinned", "comment", r -> r.table("post_comments"))
                    .with(References.of(reference("pinned")))
                    .build(),
            Resource.builder("comment").polymorphic().primaryKey("id")
                    .attribute("body", TEXT)
                    .attribute("resource_id", BIGINT)
                    .belongsTo("author", "user")
                    .with(References.of(reference("author").onDelete(DELETE)))
                    .build()).build();

    @Test
    void eachTableOfAPolymorphicResourceGetsItsOwnForeignKeysAndTheyActOnItsRows() {
        project.migrate(DOMAIN, "create_blog");

        assertThat(project.constraintNames())
                .contains("post_comments_author_id_fkey", "user_comments_author_id_fkey", "posts_pinned_id_fkey");
        assertThat(project.constraint("user_comments_author_id_fkey").get("definition"))
                .isEqualTo("FOREIGN KEY (author_id) REFERENCES users(id) ON DELETE CASCADE");
        assertThat(project.constraint("posts_pinned_id_fkey").get("definition"))
                .isEqualTo("FOREIGN KEY (pinned_id) REFERENCES post_comments(id)");

        db.execute("INSERT INTO users (id) VALUES (1); INSERT INTO post_comments (body, author_id) VALUES ('p', 1);"
                + "INSERT INTO user_comments (body, author_id) VALUES ('u', 1); DELETE FROM users WHERE id = 1");
        assertThat(db.value("SELECT (SELECT count(*) FROM post_comments) + (SELECT count(*) FROM user_comments)"))
                .isEqualTo(0L);
    }

    @Test
    void generatingAgainWritesNothing() {
        project.migrate(DOMAIN, "create_blog");

        assertThat(project.generate(DOMAIN, "again").changed()).isFalse();
    }

    @Test
    void aForeignKeyNamedAlikeOnEveryTableIsRefusedWithTheFix() {
        Domain named = Domain.builder("blog").resources(
                Resource.builder("user").table("users").primaryKey("id").build(),
                Resource.builder("comment").polymorphic("post_comments", "user_comments").primaryKey("id")
                        .belongsTo("author", "user")
                        .with(References.of(reference("author").name("comment_author_fkey")))
                        .build()).build();

        assertThatThrownBy(() -> Project.PLUGINS.check(named)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("name(\"comment_author_fkey\") would name the foreign key alike")
                .hasMessageContaining("remove name(...)");
    }
}
