package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
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
 * A second walk of Flyway's own tests ({@code flyway-core}'s {@code MigrationTestCase}, its {@code ValidateResult}
 * and the command line's validate), restated for Ashlar's runner on a populated table: what {@link FlywayParityTest}
 * does not restate. Each asserts the catalog and the history rows.
 */
@ExtendWith(PostgresExtension.class)
class FlywaySuite2ParityTest {
    private static final String CREATE = "20260101000000_create_notes.sql";
    private static final String TITLE = "20260102000000_add_title.sql";
    private static final String TAGS = "20260103000000_create_tags.sql";

    @TempDir
    Path folder;
    TestDatabase db;
    MigrationFolder files;

    @BeforeEach
    void threeFilesOverAPopulatedTable(TestDatabase db) throws IOException {
        this.db = db;
        files = MigrationFolder.emptied(folder, db);
        files.file(CREATE, "CREATE TABLE notes (id int PRIMARY KEY, body text);\n"
                + "INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 50) g;", "DROP TABLE notes;");
        files.file(TITLE, "ALTER TABLE notes ADD COLUMN title text;", "ALTER TABLE notes DROP COLUMN title;");
        files.file(TAGS, "CREATE TABLE tags (id int PRIMARY KEY);", "DROP TABLE tags;");
    }

    private boolean exists(String relation) {
        return (Boolean) db.value("SELECT to_regclass(?) IS NOT NULL", relation);
    }

    /**
     * Flyway's {@code ValidateResult} (its command line's validate output): every invalid migration is listed in one
     * run, a changed file with both checksums, a missing one and a renamed one, each with its fix.
     */
    @Test
    void validateListsEveryChangedMissingAndRenamedFileInOneRunAndChangesNothing() throws IOException {
        files.migrator().migrate();
        files.file(CREATE, "CREATE TABLE notes (id int PRIMARY KEY, body text); -- edited\n"
                + "INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 50) g;", "DROP TABLE notes;");
        Files.delete(folder.resolve(TITLE));
        Files.move(folder.resolve(TAGS), folder.resolve("20260103000000_create_labels.sql"));

        ValidationException failure = catchThrowableOfType(ValidationException.class,
                () -> files.migrator().validate());

        assertThat(failure.problems()).hasSize(3);
        assertThat(failure.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
        assertThat(failure.file()).contains(CREATE);
        assertThat(failure).hasMessageStartingWith("Validation of public found 3 problems:")
                .hasMessageContaining("1. Migration " + CREATE + " was changed")
                .hasMessageContaining("2. Migration " + TITLE + " is applied to public but missing")
                .hasMessageContaining("3. Migration 20260103000000 was applied to public as " + TAGS)
                .hasMessageContaining("'ashlar repair'");
        assertThat(files.history()).containsExactly("20260101000000", "20260102000000", "20260103000000");
        assertThat(db.value("SELECT count(*)::int FROM notes")).isEqualTo(50);
    }

    /** Flyway's validate with one invalid migration: the problem itself, not a list of one. */
    @Test
    void validateWithOneChangedFileThrowsThatProblemAloneWithBothChecksums() throws IOException {
        files.migrator().migrate();
        Object recorded = db.value("SELECT checksum FROM ashlar_schema_migrations WHERE version = '20260102000000'");
        files.file(TITLE, "ALTER TABLE notes ADD COLUMN title text; -- edited", "ALTER TABLE notes DROP COLUMN title;");

        assertThatThrownBy(() -> files.migrator().validate()).isExactlyInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration " + TITLE + " was changed")
                .hasMessageContaining("sha256:" + recorded);
    }

    /**
     * Pending files that the ignore patterns do not let pass are one more problem beside a changed file (Flyway's
     * validate with {@code ignoreMigrationPatterns=*:future}, its default).
     */
    @Test
    void pendingFilesThatNoPatternLetsPassAreListedBesideAChangedFile() throws IOException {
        files.migrator().migrateTo("20260102000000");
        files.file(CREATE, "CREATE TABLE notes (id int PRIMARY KEY, body text); -- edited\n"
                + "INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 50) g;", "DROP TABLE notes;");

        ValidationException failure = catchThrowableOfType(ValidationException.class,
                () -> files.migrator().validate(IgnoreMigrationPatterns.parse("*:future")));

        assertThat(failure.problems()).extracting(MigrationException::code)
                .containsExactly(ErrorCode.CHECKSUM_MISMATCH, ErrorCode.MIGRATION);
        assertThat(failure).hasMessageContaining(TAGS + " (pending)");
        assertThat(exists("public.tags")).isFalse();
    }

    /**
     * Flyway's {@code MigrationTestCase.customTableName} with the history in a schema of its own ({@code defaultSchema}
     * and {@code table}): {@code meta.history} records there, the tables go to public, and no table of that whole name
     * is made.
     */
    @Test
    void aHistoryTableNameHoldingASchemaKeepsTheHistoryThereAndNoTableOfThatWholeNameIsMade() {
        db.execute("DROP SCHEMA IF EXISTS meta CASCADE; CREATE SCHEMA meta");

        files.migrator().historyTable("meta.history").migrate();

        assertThat(db.query("SELECT version FROM meta.history ORDER BY version")).hasSize(3);
        assertThat(db.value("SELECT count(*)::int FROM pg_class WHERE relname = 'meta.history'")).isEqualTo(0);
        assertThat(exists("public.notes")).isTrue();
        assertThat(exists("public.ashlar_schema_migrations")).isFalse();
        db.execute("DROP SCHEMA meta CASCADE");
    }

    /**
     * Flyway's {@code MigrationTestCase.target}: a run to a version, then to an older one, which applies nothing and
     * undoes nothing, then to the latest.
     */
    @Test
    void aTargetOlderThanTheAppliedVersionAppliesNothingAndTheLatestAppliesTheRest() {
        assertThat(files.migrator().migrateTo("20260102000000")).hasSize(2);
        assertThat(files.migrator().migrateTo("20260101000000")).isEmpty();

        assertThat(files.history()).containsExactly("20260101000000", "20260102000000");
        assertThat(exists("public.tags")).isFalse();

        files.migrator().migrate();
        assertThat(files.history()).containsExactly("20260101000000", "20260102000000", "20260103000000");
        assertThat(exists("public.tags")).isTrue();
    }

    /**
     * Flyway's {@code MigrationTestCase.checkValidationWithInitRow}: a history dropped by hand after a run to a
     * version, a baseline at that version, then a run to the latest, which validates.
     */
    @Test
    void aBaselineAtTheVersionADroppedHistoryReachedLetsTheRestApplyAndValidatePasses() {
        files.migrator().migrateTo("20260102000000");
        db.execute("DROP TABLE ashlar_schema_migrations");

        files.migrator().baseline("20260102000000");
        files.migrator().migrate();

        assertThat(files.migrator().validate()).extracting(MigrationStatus::state).containsExactly(
                MigrationStatus.State.BASELINED, MigrationStatus.State.BASELINED, MigrationStatus.State.APPLIED);
        assertThat(db.value("SELECT count(*)::int FROM notes WHERE title IS NULL")).isEqualTo(50);
        assertThat(exists("public.tags")).isTrue();
    }
}
