package dev.ashlar.plugins.references;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys between attributes stored in columns of other names: the constraint and its index name the columns. */
class ColumnNamesReferencesTest extends ProjectTest {

    private static Domain domain(String authorColumn) {
        Resource user = Resource.builder("user").table("users")
                .attribute("userId", BIGINT, a -> a.column("user_id").primaryKey().generated())
                .attribute("displayName", TEXT, a -> a.column("display_name")).build();
        Resource post = Resource.builder("post").table("posts").primaryKey("id")
                .attribute("authorId", BIGINT, a -> a.column(authorColumn))
                .belongsTo("author", "user", r -> r.attribute("authorId"))
                .with(References.of(reference("author").index(true).onDelete(OnDelete.DELETE))).build();
        return Domain.builder("blog").resources(user, post).build();
    }

    @Test
    void theForeignKeyAndItsIndexAreNamedByAndOnTheColumns() {
        project.migrate(domain("author_id"), "create");

        assertThat(project.constraint("posts_author_id_fkey")).containsEntry("columns", "author_id")
                .containsEntry("referenced", "user_id");
        assertThat((String) db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'posts_author_id_index'"))
                .endsWith("(author_id)");
        assertThat(project.generate(domain("author_id"), "again").changed()).isFalse();
    }

    @Test
    void theKeyActsOnTheRowsAndItsViolationNamesTheRelationship() {
        project.migrate(domain("author_id"), "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).discoverPlugins(false)
                .install(new ReferencesPlugin()).domain(domain("author_id")).build()) {
            Object ada = ashlar.create("user", Map.of("displayName", "Ada")).get("userId");
            ashlar.create("post", Map.of("authorId", ada));

            assertThatThrownBy(() -> ashlar.create("post", Map.of("authorId", 999L))).isInstanceOfSatisfying(
                    InvalidDataException.class, e -> assertThat(e.errors()).singleElement().satisfies(f -> {
                        assertThat(f.field()).isEqualTo("author");
                        assertThat(f.column()).isEqualTo("author_id");
                    }));
            db.execute("DELETE FROM users");
        }
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    /** AshPostgres's sourced_foreign_key_test: the key's attribute is stored in a column of another name. */
    @Test
    void destroyingAReferencedRecordIsRefusedNamingTheRecordsItWouldLeaveBehind() {
        Resource user = Resource.builder("user").table("users")
                .attribute("userId", BIGINT, a -> a.column("user_id").primaryKey().generated()).build();
        Resource post = Resource.builder("post").table("posts").primaryKey("id")
                .attribute("parentRef", BIGINT, a -> a.column("parent_id"))
                .belongsTo("author", "user", r -> r.attribute("parentRef"))
                .with(References.of(reference("author"))).build();
        Domain domain = Domain.builder("blog").resources(user, post).build();
        project.migrate(domain, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).discoverPlugins(false)
                .install(new ReferencesPlugin()).domain(domain).build()) {
            var parent = ashlar.create("user", Map.of());
            ashlar.create("post", Map.of("parentRef", parent.get("userId")));

            assertThatThrownBy(() -> ashlar.destroy(parent)).isInstanceOfSatisfying(InvalidDataException.class,
                    e -> {
                        assertThat(e.resource()).contains("user");
                        assertThat(e.getMessage()).contains("post");
                    }).hasMessageContaining("would leave post records behind")
                    .hasMessageContaining("set on_delete on reference(\"author\")");
        }
        assertThat(db.value("SELECT count(*) FROM users")).isEqualTo(1L);
    }

    @Test
    void renamingTheKeyColumnRenamesItAndTheKeyStillHolds() throws IOException {
        project.migrate(domain("author_id"), "create");
        db.execute("INSERT INTO users (display_name) VALUES ('Ada'); INSERT INTO posts (author_id) SELECT user_id FROM users");

        Codegen.Result renamed = project.migrate(domain("writer_id"), "rename");

        assertThat(text(renamed)).contains("RENAME COLUMN \"author_id\" TO \"writer_id\"").doesNotContain("DROP COLUMN");
        assertThat(db.value("SELECT count(*) FROM posts WHERE writer_id IS NOT NULL")).isEqualTo(1L);
        assertThat(project.constraint("posts_writer_id_fkey")).containsEntry("columns", "writer_id")
                .containsEntry("referenced", "user_id");
    }

    private static String text(Codegen.Result result) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path file : result.files()) {
            text.append(Files.readString(file));
        }
        return text.toString();
    }
}
