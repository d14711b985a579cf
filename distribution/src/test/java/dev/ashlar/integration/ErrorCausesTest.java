package dev.ashlar.integration;

import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.plugins.references.Reference;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A violation names its cause: the relationship or identity for people, the column for a form and
 * the constraint for a log, whether the server checked it at once or, deferred, at commit.
 */
@ExtendWith(PostgresExtension.class)
class ErrorCausesTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void emptySchema(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private Ashlar migrated(Reference reference) {
        Resource user = Resource.builder("user").table("users").integerPrimaryKey("id").attribute("email", TEXT)
                .identity("unique_email", "email").build();
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", TEXT).build();
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("body", TEXT).belongsTo("post", "post").with(References.of(reference)).build();
        Domain domain = Domain.builder("blog").resources(user, post, comment).build();
        Plugins plugins = Plugins.none().with(new ReferencesPlugin());
        new Codegen(project, domain, plugins, Renames.none(), Clock.systemUTC()).generate("create");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        return Ashlar.builder().dataSource(db.dataSource()).domain(domain).install(new ReferencesPlugin()).build();
    }

    private FieldError onlyError(Runnable action) {
        InvalidDataException e = catchThrowableOfType(InvalidDataException.class, action::run);
        assertThat(e).as("an invalid data exception").isNotNull();
        assertThat(e.errors()).hasSize(1);
        return e.errors().get(0);
    }

    @Test
    void aMissingParentNamesTheRelationshipItsColumnAndTheForeignKey() {
        try (Ashlar ashlar = migrated(reference("post"))) {
            FieldError error = onlyError(() -> ashlar.create("comment", Map.of("body", "lost", "post_id", 99)));

            assertThat(error).isEqualTo(new FieldError("post", "does not exist"));
            assertThat(error.column()).isEqualTo("post_id");
            assertThat(error.constraint()).isEqualTo("comments_post_id_fkey");
            assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conname = '" + error.constraint()
                    + "' AND contype = 'f' AND conrelid = 'comments'::regclass")).isEqualTo(1L);
            assertThat(db.value("SELECT count(*) FROM comments")).isEqualTo(0L);
        }
    }

    @Test
    void aTakenIdentityNamesItsColumnAndItsUniqueIndex() {
        try (Ashlar ashlar = migrated(reference("post"))) {
            ashlar.create("user", Map.of("email", "a@b.c"));

            FieldError error = onlyError(() -> ashlar.create("user", Map.of("email", "a@b.c")));

            assertThat(error).isEqualTo(new FieldError("email", "has already been taken"));
            assertThat(error.column()).isEqualTo("email");
            assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = '" + error.constraint() + "'"))
                    .asString().startsWith("CREATE UNIQUE INDEX " + error.constraint() + " ON public.users")
                    .endsWith("(email)");
            assertThat(db.value("SELECT count(*) FROM users")).isEqualTo(1L);
        }
    }

    @Test
    void aDeferredKeyBrokenAtCommitIsReportedLikeAnImmediateOne() {
        try (Ashlar ashlar = migrated(reference("post").deferrable(true).initiallyDeferred(true))) {
            assertThat(db.value("SELECT condeferred FROM pg_constraint WHERE conname = 'comments_post_id_fkey'"))
                    .isEqualTo(true);

            FieldError error = onlyError(() -> ashlar.inTransaction(tx -> tx.create("comment",
                    Map.of("body", "lost", "post_id", 99))));

            assertThat(error).isEqualTo(new FieldError("post", "does not exist"));
            assertThat(error.column()).isEqualTo("post_id");
            assertThat(error.constraint()).isEqualTo("comments_post_id_fkey");
            assertThat(db.value("SELECT count(*) FROM comments")).isEqualTo(0L);
        }
    }

    @Test
    void aDeferredKeyLeftDanglingByADestroyIsReportedAtCommitNamingTheKey() {
        try (Ashlar ashlar = migrated(reference("post").deferrable(true).initiallyDeferred(true))) {
            ashlar.create("post", Map.of("id", 5, "title", "kept"));
            ashlar.create("comment", Map.of("id", 1, "body", "still here", "post_id", 5));

            FieldError error = onlyError(() -> ashlar.inTransaction(tx -> tx.destroy(tx.get("post", 5))));

            assertThat(error.message()).startsWith("would leave comment records behind");
            assertThat(error.constraint()).isEqualTo("comments_post_id_fkey");
            assertThat(db.value("SELECT count(*) FROM posts WHERE id = 5")).isEqualTo(1L);
        }
    }

    @Test
    void aDeferredKeyKeptByTheEndOfTheTransactionCommits() {
        try (Ashlar ashlar = migrated(reference("post").deferrable(true).initiallyDeferred(true))) {
            ashlar.inTransaction(tx -> {
                tx.create("comment", Map.of("id", 1, "body", "early", "post_id", 5));
                tx.create("post", Map.of("id", 5, "title", "late"));
            });

            assertThat(db.value("SELECT post_id FROM comments WHERE id = 1")).isEqualTo(5);
        }
    }
}
