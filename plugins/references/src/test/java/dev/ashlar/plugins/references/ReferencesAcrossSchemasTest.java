package dev.ashlar.plugins.references;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.testing.Catalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.references.OnDelete.DELETE;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Foreign keys from a table in {@code public} to one in another schema, through changes and a hinted move. */
class ReferencesAcrossSchemasTest extends ProjectTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void noArchive() {
        db.execute("DROP SCHEMA IF EXISTS archive CASCADE");
    }

    private static Domain blog(String postSchema, Reference reference) {
        Resource post = Resource.builder("post").table("posts").schema(postSchema).integerPrimaryKey("id")
                .attribute("title", TEXT).build();
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .belongsTo("post", "post").with(References.of(reference)).build();
        return Domain.builder("blog").resources(post, comment).build();
    }

    private List<String> catalog() {
        List<String> lines = new ArrayList<>(Catalog.of(db, "public"));
        lines.addAll(Catalog.of(db, "archive"));
        lines.removeIf(line -> line.contains("ashlar_migration_locks"));
        return lines;
    }

    /** Generates and applies, rolls back and applies again, checking the catalog each way; a second generation is empty. */
    private void migrateBackAndForth(Domain domain, String name, String... hints) {
        List<String> before = catalog();
        Codegen.Result result = new Codegen(dir, domain, Project.PLUGINS, Renames.hints(List.of(hints)), CLOCK)
                .generate(name);
        project.migrator().migrate();
        List<String> after = catalog();
        project.migrator().rollback(result.files().size());
        assertThat(catalog()).as("after the down sections of " + name).isEqualTo(before);
        project.migrator().migrate();
        assertThat(catalog()).as("after applying " + name + " again").isEqualTo(after);
        assertThat(new Codegen(dir, domain, Project.PLUGINS, Renames.hints(List.of(hints)), CLOCK).generate("again")
                .files()).isEmpty();
    }

    @Test
    void aKeyToATableInAnotherSchemaIsCreatedChangedAndFollowsTheTableWhenAHintMovesItBack() {
        migrateBackAndForth(blog("archive", reference("post")), "create");
        assertThat(project.constraint("comments_post_id_fkey"))
                .contains(entry("definition", "FOREIGN KEY (post_id) REFERENCES archive.posts(id)"));
        db.execute("INSERT INTO archive.posts (title) VALUES ('a'); INSERT INTO comments (post_id) VALUES (1)");

        migrateBackAndForth(blog("archive", reference("post").onDelete(DELETE).index(true)), "cascade");
        assertThat(project.constraint("comments_post_id_fkey")).contains(entry("on_delete", "c"),
                entry("definition", "FOREIGN KEY (post_id) REFERENCES archive.posts(id) ON DELETE CASCADE"));
        assertThat(catalog()).anyMatch(line -> line.startsWith("index comments_post_id_index "));

        migrateBackAndForth(blog("public", reference("post").onDelete(DELETE).index(true)), "move",
                "archive.posts=public.posts");
        assertThat(project.constraint("comments_post_id_fkey")).contains(entry("on_delete", "c"),
                entry("definition", "FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE CASCADE"));
        assertThat(db.query("SELECT c.post_id, p.title FROM comments c JOIN posts p ON p.id = c.post_id"))
                .extracting(row -> row.get("post_id") + "/" + row.get("title")).containsExactly("1/a");
        db.execute("DELETE FROM posts");
        assertThat(db.value("SELECT count(*) FROM comments")).isEqualTo(0L);
    }
}
