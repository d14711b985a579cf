package dev.ashlar.plugins.references;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.Action;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.ashlar.plugins.references.OnDelete.DELETE;
import static dev.ashlar.plugins.references.OnDelete.NILIFY;
import static dev.ashlar.plugins.references.OnDelete.RESTRICT;
import static dev.ashlar.plugins.references.OnDelete.nilify;
import static dev.ashlar.plugins.references.Reference.reference;
import static dev.ashlar.api.resource.Type.INTEGER;
import static org.assertj.core.api.Assertions.assertThat;

/** What the keys do to data, and the errors their violations become, on a real server. */
class ReferencesBehaviourTest extends ProjectTest {
    private static final ReferencesPlugin PLUGIN = new ReferencesPlugin();

    private void blogWithOnePost(Reference... references) {
        project.migrate(Blog.withCommentReferences(references), "create_blog");
        db.execute("INSERT INTO users (id, email) VALUES (1, 'a@b.c');"
                + "INSERT INTO posts (id, title, author_id) VALUES (1, 'Hello', 1);"
                + "INSERT INTO comments (id, body, post_id, user_id) VALUES (1, 'First', 1, 1), (2, 'Second', 1, 1)");
    }

    private static Optional<AshlarException> map(DatabaseError error, Domain domain, String resource, String action) {
        return PLUGIN.mapError(error, new QueryContext(domain, domain.resource(resource), Action.valueOf(action.toUpperCase(java.util.Locale.ROOT)), null));
    }

    @Test
    void deletingAPostDeletesItsCommentsWhenOnDeleteIsDelete() {
        blogWithOnePost(reference("post").onDelete(DELETE));

        db.execute("DELETE FROM posts WHERE id = 1");

        assertThat(db.value("SELECT count(*) FROM comments")).isEqualTo(0L);
    }

    @Test
    void nilifySetsTheKeyToNullAndKeepsTheRow() {
        blogWithOnePost(reference("post").onDelete(NILIFY));

        db.execute("DELETE FROM posts WHERE id = 1");

        assertThat(db.value("SELECT count(*) FROM comments WHERE post_id IS NULL AND user_id = 1")).isEqualTo(2L);
    }

    @Test
    @RequiresPostgres(value = 15, reason = "ON DELETE SET NULL (columns)")
    void nilifyOfAColumnListNullsOnlyThoseColumns() {
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("org_id", INTEGER, a -> a.notNull()).identity("id_in_org", "id", "org_id").build();
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("org_id", INTEGER, a -> a.notNull()).belongsTo("post", "post")
                .with(References.of(reference("post").matchWith("org_id", "org_id").onDelete(nilify("post_id"))))
                .build();
        project.migrate(Domain.builder("blog").resources(post, comment).build(), "tenants");
        db.execute("INSERT INTO posts (id, org_id) VALUES (1, 7); INSERT INTO comments (id, org_id, post_id) VALUES (1, 7, 1)");

        db.execute("DELETE FROM posts WHERE id = 1");

        assertThat(db.query("SELECT post_id, org_id FROM comments").get(0)).containsEntry("post_id", null)
                .containsEntry("org_id", 7);
        assertThat(db.value("SELECT confdelsetcols::text FROM pg_constraint WHERE conname = 'comments_post_id_fkey'"))
                .isEqualTo("{" + db.value("SELECT attnum FROM pg_attribute WHERE attrelid = 'comments'::regclass "
                        + "AND attname = 'post_id'") + "}");
    }

    @Test
    void changingAPostsIdUpdatesItsCommentsWhenOnUpdateIsUpdate() {
        blogWithOnePost(reference("post").onUpdate(OnUpdate.UPDATE));

        db.execute("UPDATE posts SET id = 42 WHERE id = 1");

        assertThat(db.value("SELECT count(*) FROM comments WHERE post_id = 42")).isEqualTo(2L);
    }

    @Test
    void aDeferredKeyAllowsADanglingRowUntilTheTransactionCommits() {
        blogWithOnePost(reference("post").deferrable(true).initiallyDeferred(true));

        db.execute("BEGIN; INSERT INTO comments (id, body, post_id) VALUES (3, 'early', 2);"
                + "INSERT INTO posts (id, title) VALUES (2, 'late'); COMMIT");
        DatabaseError dangling = project.failure("INSERT INTO comments (id, body, post_id) VALUES (4, 'never', 99)");

        assertThat(db.value("SELECT post_id FROM comments WHERE id = 3")).isEqualTo(2);
        assertThat(dangling.sqlState()).isEqualTo(DatabaseError.FOREIGN_KEY_VIOLATION);
        assertThat(dangling.constraint()).isEqualTo("comments_post_id_fkey");
    }

    @Test
    void aRestrictedDeleteFailsAndBecomesAnErrorNamingTheRecordsLeftBehind() {
        blogWithOnePost(reference("post").onDelete(RESTRICT));
        Domain blog = Blog.withCommentReferences(reference("post").onDelete(RESTRICT));

        DatabaseError error = project.failure("DELETE FROM posts WHERE id = 1");
        AshlarException mapped = map(error, blog, "post", "destroy").orElseThrow();

        assertThat(error).extracting(DatabaseError::sqlState, DatabaseError::table, DatabaseError::constraint)
                .containsExactly("23503", "comments", "comments_post_id_fkey");
        assertThat(mapped).isInstanceOf(InvalidDataException.class);
        assertThat(((InvalidDataException) mapped).errors()).containsExactly(new FieldError("comments",
                "would leave comment records behind: delete them first or set on_delete on reference(\"post\") of "
                        + "resource 'comment'"));
        assertThat(mapped.sqlState()).contains("23503");
        assertThat(db.value("SELECT count(*) FROM comments")).isEqualTo(2L);
    }

    @Test
    void aKeyLeftAtItsDefaultAlsoRefusesTheDeleteWithTheSameError() {
        blogWithOnePost();

        DatabaseError error = project.failure("DELETE FROM users WHERE id = 1");

        assertThat(map(error, Blog.withCommentReferences(), "user", "destroy").orElseThrow())
                .hasMessageContaining("would leave post records behind");
    }

    @Test
    void insertingACommentForAMissingPostBecomesAFieldErrorOnTheRelationship() {
        blogWithOnePost();

        DatabaseError error = project.failure("INSERT INTO comments (id, body, post_id) VALUES (10, 'lost', 99)");
        InvalidDataException mapped = (InvalidDataException) map(error, Blog.withCommentReferences(), "comment",
                "create").orElseThrow();

        assertThat(mapped.errors()).containsExactly(new FieldError("post", "does not exist"));
        assertThat(mapped.resource()).contains("comment");
    }

    @Test
    void updatingACommentToAMissingUserBecomesAFieldErrorOnTheRelationship() {
        blogWithOnePost(reference("user").name("comments_to_users_fkey"));
        Domain blog = Blog.withCommentReferences(reference("user").name("comments_to_users_fkey"));

        DatabaseError error = project.failure("UPDATE comments SET user_id = 99 WHERE id = 1");

        assertThat(((InvalidDataException) map(error, blog, "comment", "update").orElseThrow()).errors())
                .containsExactly(new FieldError("user", "does not exist"));
    }
}
