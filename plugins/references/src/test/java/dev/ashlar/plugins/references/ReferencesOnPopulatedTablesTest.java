package dev.ashlar.plugins.references;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.references.OnDelete.DELETE;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Foreign keys changed around tables that already hold rows. */
class ReferencesOnPopulatedTablesTest extends ProjectTest {
    private static final Clock LATER = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    private Codegen.Result migrateWithHints(Domain domain, String name, String... hints) {
        Codegen.Result result = new Codegen(dir, domain, Project.PLUGINS, Renames.hints(List.of(hints)), LATER)
                .generate(name);
        project.migrator().migrate();
        return result;
    }

    private static Domain blog(String postsTable) {
        Resource post = Resource.builder("post").table(postsTable).integerPrimaryKey("id").attribute("title", TEXT)
                .hasMany("comments", "comment").build();
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id").attribute("body", TEXT)
                .belongsTo("post", "post").with(References.of(reference("post").onDelete(DELETE))).build();
        return Domain.builder("blog").resources(post, comment).build();
    }

    @Test
    void aKeyFollowsItsDestinationTableThroughAHintedRenameAndKeepsItsRowsAndAction() {
        project.migrate(blog("posts"), "create");
        db.execute("INSERT INTO posts (title) VALUES ('a'), ('b'); INSERT INTO comments (body, post_id) VALUES ('x', 1), ('y', 2)");

        Codegen.Result renamed = migrateWithHints(blog("articles"), "rename", "posts=articles");

        assertThat(project.constraint("comments_post_id_fkey")).contains(entry("on_delete", "c"),
                entry("definition", "FOREIGN KEY (post_id) REFERENCES articles(id) ON DELETE CASCADE"));
        db.execute("DELETE FROM articles WHERE id = 1");
        assertThat(db.value("SELECT count(*) FROM comments")).isEqualTo(1L);
        project.migrator().rollback(renamed.files().size());
        assertThat(project.constraint("comments_post_id_fkey"))
                .contains(entry("definition", "FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE CASCADE"));
        assertThat(db.value("SELECT count(*) FROM comments")).isEqualTo(1L);
    }

    @Test
    void aSelfReferenceIsCreatedWithItsTableAndAddedLaterToAPopulatedOne() {
        Resource flat = Resource.builder("category").table("categories").integerPrimaryKey("id").attribute("name", TEXT)
                .build();
        project.migrate(Domain.builder("shop").resources(flat).build(), "create");
        db.execute("INSERT INTO categories (name) VALUES ('root'), ('leaf')");

        Resource tree = Resource.builder("category").table("categories").integerPrimaryKey("id").attribute("name", TEXT)
                .belongsTo("parent", "category").hasMany("children", "category", r -> r.destinationAttribute("parent_id"))
                .with(References.of(reference("parent").onDelete(DELETE).index(true))).build();
        Codegen.Result result = project.migrate(Domain.builder("shop").resources(tree).build(), "tree");
        db.execute("UPDATE categories SET parent_id = 1 WHERE id = 2");
        db.execute("DELETE FROM categories WHERE id = 1");

        assertThat(result.files()).hasSizeGreaterThan(1);
        assertThat(project.constraint("categories_parent_id_fkey"))
                .contains(entry("definition", "FOREIGN KEY (parent_id) REFERENCES categories(id) ON DELETE CASCADE"));
        assertThat(db.value("SELECT count(*) FROM categories")).isEqualTo(0L);
    }

    @Test
    void aKeyToAnIdentityAddedInTheSameMigrationToPopulatedTablesIsBuiltAfterTheUniqueIndex() {
        Resource user = Resource.builder("user").table("users").integerPrimaryKey("id").attribute("email", TEXT).build();
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", TEXT).build();
        project.migrate(Domain.builder("blog").resources(user, post).build(), "create");
        db.execute("INSERT INTO users (email) VALUES ('a@x'), ('b@x'); INSERT INTO posts (title) VALUES ('t')");

        Resource keyed = Resource.builder("user").table("users").integerPrimaryKey("id").attribute("email", TEXT)
                .identity("unique_email", "email").build();
        Resource authored = Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", TEXT)
                .belongsTo("author", "user", r -> r.destinationAttribute("email").attribute("author_email")).build();
        project.migrate(Domain.builder("blog").resources(keyed, authored).build(), "by_email");
        db.execute("UPDATE posts SET author_email = 'a@x'");

        assertThat(project.constraint("posts_author_email_fkey"))
                .contains(entry("definition", "FOREIGN KEY (author_email) REFERENCES users(email)"));
    }

    @Test
    void aReferencedKeyColumnRenamedByAHintKeepsTheKeyThatPointsAtIt() {
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", TEXT).build();
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .belongsTo("post", "post").build();
        project.migrate(Domain.builder("blog").resources(post, comment).build(), "create");
        db.execute("INSERT INTO posts (title) VALUES ('a'); INSERT INTO comments (post_id) VALUES (1)");

        Resource renamed = Resource.builder("post").table("posts").integerPrimaryKey("post_key").attribute("title", TEXT)
                .build();
        Codegen.Result result = migrateWithHints(Domain.builder("blog").resources(renamed, comment).build(), "rename",
                "posts.id=post_key");

        assertThat(project.constraint("comments_post_id_fkey"))
                .contains(entry("definition", "FOREIGN KEY (post_id) REFERENCES posts(post_key)"));
        assertThat(db.value("SELECT count(*) FROM comments JOIN posts ON posts.post_key = comments.post_id")).isEqualTo(1L);
        project.migrator().rollback(result.files().size());
        assertThat(project.constraint("comments_post_id_fkey"))
                .contains(entry("definition", "FOREIGN KEY (post_id) REFERENCES posts(id)"));
    }
}
