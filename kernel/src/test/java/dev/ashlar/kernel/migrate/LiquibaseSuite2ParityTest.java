package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A second walk of Liquibase's command tests ({@code liquibase-integration-tests}: validate, unexpected-changesets,
 * clear-checksums then update), restated for Ashlar's runner on tables that hold rows: what
 * {@link LiquibaseSuiteParityTest} does not restate. Each asserts the catalog and the history rows.
 */
@ExtendWith(PostgresExtension.class)
class LiquibaseSuite2ParityTest {
    private static final String POSTS = "20260101000000_create_posts.sql";
    private static final String AUTHORS = "20260102000000_create_authors.sql";
    private static final String BODY = "20260103000000_add_body.sql";

    @TempDir
    Path folder;
    TestDatabase db;
    MigrationFolder files;

    @BeforeEach
    void threeFilesAppliedOverRows(TestDatabase db) throws IOException {
        this.db = db;
        files = MigrationFolder.emptied(folder, db);
        files.file(POSTS, "CREATE TABLE posts (id int PRIMARY KEY, title text);\n"
                + "INSERT INTO posts SELECT g, 'post ' || g FROM generate_series(1, 40) g;", "DROP TABLE posts;");
        files.file(AUTHORS, "CREATE TABLE authors (id int PRIMARY KEY);\n"
                + "INSERT INTO authors SELECT generate_series(1, 5);", "DROP TABLE authors;");
        files.file(BODY, "ALTER TABLE posts ADD COLUMN body text;", "ALTER TABLE posts DROP COLUMN body;");
        files.migrator().migrate();
    }

    private Object checksum(String version) {
        return db.value("SELECT checksum FROM ashlar_schema_migrations WHERE version = ?", version);
    }

    private boolean column(String table, String name) {
        return (Boolean) db.value("SELECT EXISTS (SELECT FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = ? AND column_name = ?)", table, name);
    }

    /**
     * Liquibase's {@code ValidateCommand} integration tests ("validation failed: 2 changesets check sum"): both
     * changed files named with the checksum the history holds; then {@code clear-checksums} and {@code update}
     * ({@code ashlar repair}, then migrate) record both new texts and apply only the new file, rows kept.
     */
    @Test
    void validateNamesEveryChangedFileAndAfterRepairTheNextRunAppliesOnlyTheNewFile() throws IOException {
        Object posts = checksum("20260101000000");
        Object authors = checksum("20260102000000");
        files.file(POSTS, "CREATE TABLE posts (id int PRIMARY KEY, title text); -- reviewed\n"
                + "INSERT INTO posts SELECT g, 'post ' || g FROM generate_series(1, 40) g;", "DROP TABLE posts;");
        files.file(AUTHORS, "CREATE TABLE authors (id int PRIMARY KEY); -- reviewed\n"
                + "INSERT INTO authors SELECT generate_series(1, 5);", "DROP TABLE authors;");
        files.file("20260104000000_add_bio.sql", "ALTER TABLE authors ADD COLUMN bio text;",
                "ALTER TABLE authors DROP COLUMN bio;");

        ValidationException failure = catchThrowableOfType(ValidationException.class,
                () -> files.migrator().validate());
        assertThat(failure.problems()).extracting(problem -> problem.file().orElseThrow())
                .containsExactly(POSTS, AUTHORS);
        assertThat(failure).hasMessageContaining("sha256:" + posts).hasMessageContaining("sha256:" + authors);
        assertThatThrownBy(() -> files.migrator().migrate()).hasMessageContaining(POSTS);
        assertThat(column("authors", "bio")).isFalse();

        assertThat(files.migrator().repair()).hasSize(2);
        assertThat(files.migrator().migrate()).extracting(MigrationFile::fileName)
                .containsExactly("20260104000000_add_bio.sql");

        assertThat(checksum("20260101000000")).isEqualTo(files.migrator().checksum(POSTS).checksum());
        assertThat(column("authors", "bio")).isTrue();
        assertThat(db.value("SELECT count(*)::int FROM posts")).isEqualTo(40);
        assertThat(db.value("SELECT count(*)::int FROM authors")).isEqualTo(5);
    }

    /**
     * Liquibase's {@code unexpected-changesets} (applied, no longer in the changelog): status lists each as missing,
     * validate names each, a migrate refuses; once they are forgotten on purpose, what they made stays with its rows.
     * (Files gone after the newest file here are {@code future}, a newer release's, and pass: see
     * {@code FutureVersionsTest}.)
     */
    @Test
    void appliedFilesGoneFromTheFolderAreEachListedAndRepairForgetsThemKeepingWhatTheyMade() throws IOException {
        Files.delete(folder.resolve(POSTS));
        Files.delete(folder.resolve(AUTHORS));

        assertThat(files.migrator().status()).filteredOn(s -> s.state() == MigrationStatus.State.MISSING)
                .extracting(MigrationStatus::version).containsExactly("20260101000000", "20260102000000");
        ValidationException failure = catchThrowableOfType(ValidationException.class,
                () -> files.migrator().validate());
        assertThat(failure).hasMessageContaining("1. Migration " + POSTS + " is applied to public but missing")
                .hasMessageContaining("2. Migration " + AUTHORS + " is applied to public but missing");
        assertThatThrownBy(() -> files.migrator().migrate()).hasMessageContaining(POSTS);

        files.migrator().repair();

        assertThat(files.history()).containsExactly("20260103000000");
        assertThat(files.migrator().validate()).extracting(MigrationStatus::state)
                .containsExactly(MigrationStatus.State.APPLIED);
        assertThat(db.value("SELECT count(*)::int FROM posts")).isEqualTo(40);
        assertThat(db.value("SELECT count(*)::int FROM authors")).isEqualTo(5);
        assertThat(column("posts", "body")).isTrue();
    }

    /**
     * Liquibase's {@code validate} passes unexpected changesets and fails on a changed checksum: with the
     * {@code *:missing} pattern Ashlar's does the same, both deleted files passing and the changed one failing alone.
     */
    @Test
    void theMissingPatternLetsEveryDeletedFilePassWhileAChangedOneStillFailsAlone() throws IOException {
        Files.delete(folder.resolve(POSTS));
        Files.delete(folder.resolve(AUTHORS));
        files.file(BODY, "ALTER TABLE posts ADD COLUMN body text; -- reviewed", "ALTER TABLE posts DROP COLUMN body;");

        assertThatThrownBy(() -> files.migrator().validate(IgnoreMigrationPatterns.parse("*:missing")))
                .isExactlyInstanceOf(MigrationException.class).hasMessageStartingWith("Migration " + BODY);
        assertThat(files.history()).containsExactly("20260101000000", "20260102000000", "20260103000000");
    }
}
