package dev.ashlar.kernel.project;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** A project reads extra folders of main-schema migrations besides its own, merged by version (Flyway's locations). */
@ExtendWith(PostgresExtension.class)
class ExtraMigrationsTest {
    @TempDir
    Path work;
    TestDatabase db;
    Path own;
    Path shared;

    @BeforeEach
    void folders(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        own = Files.createDirectories(work.resolve("project/migrations"));
        shared = Files.createDirectories(work.resolve("shared"));
    }

    private static void file(Path folder, String name, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private Project project() {
        return Project.open(work.resolve("project")).dataSource(db.dataSource()).progress(line -> { });
    }

    /** Interleaved: each file depends on the one before it, from the other folder. */
    private void interleaved() throws IOException {
        file(own, "20260101000000_create_authors.sql", "CREATE TABLE authors (id int PRIMARY KEY);",
                "DROP TABLE authors;");
        file(shared, "20260102000000_create_books.sql",
                "CREATE TABLE books (id int PRIMARY KEY, author_id int REFERENCES authors);", "DROP TABLE books;");
        file(own, "20260103000000_add_title.sql", "ALTER TABLE books ADD COLUMN title text;",
                "ALTER TABLE books DROP COLUMN title;");
        file(shared, "20260104000000_create_reviews.sql",
                "CREATE TABLE reviews (id int PRIMARY KEY, book_id int REFERENCES books);", "DROP TABLE reviews;");
    }

    @Test
    void filesOfTwoFoldersWithInterleavedVersionsApplyInVersionOrderAndAreRecordedInTheHistory() throws IOException {
        interleaved();

        List<MigrationFile> applied = project().extraMigrations(List.of(shared)).migrate();

        assertThat(applied).extracting(MigrationFile::name)
                .containsExactly("create_authors", "create_books", "add_title", "create_reviews");
        assertThat(db.query("SELECT version, name FROM ashlar_schema_migrations ORDER BY applied_at, version"))
                .extracting(Object::toString)
                .containsExactly("{version=20260101000000, name=create_authors}",
                        "{version=20260102000000, name=create_books}", "{version=20260103000000, name=add_title}",
                        "{version=20260104000000, name=create_reviews}");
        assertThat(db.query("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
                + "'public' AND table_name IN ('authors', 'books', 'reviews') ORDER BY table_name, ordinal_position"))
                .extracting(Object::toString)
                .containsExactly("{table_name=authors, column_name=id}", "{table_name=books, column_name=id}",
                        "{table_name=books, column_name=author_id}", "{table_name=books, column_name=title}",
                        "{table_name=reviews, column_name=id}", "{table_name=reviews, column_name=book_id}");
        assertThat(project().extraMigrations(List.of(shared)).validate()).extracting(MigrationStatus::state)
                .containsOnly(MigrationStatus.State.APPLIED).hasSize(4);
        assertThat(project().extraMigrations(List.of(shared)).migrate()).isEmpty();
    }

    @Test
    void statusAndRollbackReadTheExtraFolderToo() throws IOException {
        interleaved();
        project().extraMigrations(List.of(shared)).migrate();

        // Without the extra folder, its applied files are unknown to the project.
        assertThat(project().status()).extracting(MigrationStatus::version, MigrationStatus::state)
                .contains(tuple("20260102000000", MigrationStatus.State.MISSING));

        List<MigrationFile> undone = project().extraMigrations(List.of(shared)).rollback(2);

        assertThat(undone).extracting(MigrationFile::name).containsExactly("create_reviews", "add_title");
        assertThat(db.value("SELECT to_regclass('reviews') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'books' "
                + "AND column_name = 'title'")).isEqualTo(0L);
        assertThat(project().extraMigrations(List.of(shared)).status())
                .extracting(MigrationStatus::version, MigrationStatus::state)
                .containsExactly(tuple("20260101000000", MigrationStatus.State.APPLIED),
                        tuple("20260102000000", MigrationStatus.State.APPLIED),
                        tuple("20260103000000", MigrationStatus.State.PENDING),
                        tuple("20260104000000", MigrationStatus.State.PENDING));
    }

    @Test
    void migratingWithoutTheExtraFolderAppliedBeforeIsRefusedSayingToReadItAgainAndRunsNothing() throws IOException {
        interleaved();
        project().extraMigrations(List.of(shared)).migrate();
        db.execute("DELETE FROM ashlar_schema_migrations WHERE version = '20260104000000'; DROP TABLE reviews");

        assertThatThrownBy(() -> project().migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Migration 20260102000000_create_books.sql is applied to public but missing "
                        + "from " + own)
                .hasMessageContaining("If it comes from an extra migrations folder, read that folder again "
                        + "(--extra-migrations, ashlar.migrate.extra-locations, Project.extraMigrations)");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(3L);
    }

    @Test
    void theSameVersionInTwoFoldersIsRefusedNamingBothFilesWithNothingApplied() throws IOException {
        file(own, "20260101000000_create_authors.sql", "CREATE TABLE authors (id int);", "DROP TABLE authors;");
        file(own, "20260102000000_create_books.sql", "CREATE TABLE books (id int);", "DROP TABLE books;");
        file(shared, "20260102000000_create_shelves.sql", "CREATE TABLE shelves (id int);", "DROP TABLE shelves;");

        assertThatThrownBy(() -> project().extraMigrations(List.of(shared)).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Migrations " + own.resolve("20260102000000_create_books.sql") + " and "
                        + shared.resolve("20260102000000_create_shelves.sql") + " share version 20260102000000")
                .hasMessageContaining("Give the one not applied anywhere yet a later version")
                .hasMessageContaining("Nothing was run");
        assertThat(db.value("SELECT to_regclass('authors') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void anExtraFolderThatIsNotThereOrIsTheProjectsOwnIsRefusedNamingIt() {
        Path missing = work.resolve("nowhere");

        assertThatThrownBy(() -> project().extraMigrations(List.of(missing)))
                .isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("The extra migrations folder " + missing + " is no folder");
        assertThatThrownBy(() -> project().extraMigrations(List.of(own)))
                .isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("is the project's own migrations/ folder");
    }

    @Test
    void aSymbolicLinkToTheProjectsOwnFolderOrToAnExtraFolderGivenAlreadyIsRefusedNamingIt() throws IOException {
        interleaved();
        Path toOwn = Files.createSymbolicLink(work.resolve("own-link"), own);
        Path toShared = Files.createSymbolicLink(work.resolve("shared-link"), shared);

        assertThatThrownBy(() -> project().extraMigrations(List.of(toOwn)))
                .isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("The extra migrations folder " + toOwn + " is given twice")
                .hasMessageContaining("is the project's own migrations/ folder");
        assertThatThrownBy(() -> project().extraMigrations(List.of(shared, toShared)))
                .isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("The extra migrations folder " + toShared + " is given twice");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);

        project().extraMigrations(List.of(toShared)).migrate();

        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(4L);
        assertThat(db.value("SELECT to_regclass('reviews') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void anExtraFolderInsideTheProjectsOwnFolderIsRefusedNamingItBeforeAnythingRuns() throws IOException {
        Path inside = Files.createDirectories(own.resolve("shared"));
        file(own, "20260101000000_create_authors.sql", "CREATE TABLE authors (id int);", "DROP TABLE authors;");
        file(inside, "20260102000000_create_books.sql", "CREATE TABLE books (id int);", "DROP TABLE books;");

        assertThatThrownBy(() -> project().extraMigrations(List.of(inside)))
                .isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("The extra migrations folder " + inside + " lies inside the project's own "
                        + "migrations/ folder")
                .hasMessageContaining("move it out of migrations/");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void anExtraClassPathLocationIsReadLikeAFolder() throws IOException {
        interleaved();
        try (URLClassLoader classes = new URLClassLoader(new URL[] {work.toUri().toURL()}, null)) {
            project().extraMigrationLocations(List.of("classpath:shared"), classes).migrate();
        }

        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(4L);
        assertThat(db.value("SELECT to_regclass('reviews') IS NOT NULL")).isEqualTo(true);
    }
}
