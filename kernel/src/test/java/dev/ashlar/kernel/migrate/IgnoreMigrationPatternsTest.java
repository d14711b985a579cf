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

/**
 * Flyway's ignoreMigrationPatterns for validate: which pending, late, missing and future migrations pass, and that a
 * changed file never does.
 */
@ExtendWith(PostgresExtension.class)
class IgnoreMigrationPatternsTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void twoFilesApplied(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);");
        file("20260103000000_create_notes.sql", "CREATE TABLE notes (id int);");
        migrator().migrate();
    }

    @Test
    void flywaysDefaultFutureAloneFailsAPendingFileNamingItAndThePatternThatLetsItPass() throws IOException {
        file("20260104000000_create_tags.sql", "CREATE TABLE tags (id int);");

        assertThat(migrator().validate()).as("Ashlar's default lets pending files pass").hasSize(3);
        assertThatThrownBy(() -> migrator().validate(IgnoreMigrationPatterns.parse("*:future")))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Validation of public failed: 20260104000000_create_tags.sql (pending), which the ignore "
                        + "patterns *:future do not let pass. Apply the pending ones ('ashlar migrate'), or let them "
                        + "pass with the ignore patterns *:pending (--ignore-migration-patterns; ignoreMigrationPatterns).");
        assertThat(migrator().validate(IgnoreMigrationPatterns.parse("versioned:pending"))).hasSize(3);
        assertThat(db.value("SELECT to_regclass('tags') IS NULL")).as("validate runs nothing").isEqualTo(true);
    }

    @Test
    void aLateFileIsIgnoredInFlywaysWordAndPassesOnlyWhenThatStateIsNamed() throws IOException {
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);");

        assertThatThrownBy(() -> migrator().validate(IgnoreMigrationPatterns.parse("*:pending,*:future")))
                .hasMessageContaining("20260102000000_create_tags.sql (pending, older than 20260103000000, applied)")
                .hasMessageContaining("let them pass with the ignore patterns *:ignored (");
        assertThat(migrator().validate(IgnoreMigrationPatterns.parse("*:ignored"))).hasSize(3);
    }

    @Test
    void aMissingFilePassesWhenNamedAndAFutureOneFailsWhenNotWhileAChangedOneAlwaysFails() throws IOException {
        Files.delete(folder.resolve("20260101000000_create_posts.sql"));

        assertThatThrownBy(() -> migrator().validate()).hasMessageContaining("20260101000000_create_posts.sql is "
                + "applied to public but missing");
        assertThat(migrator().validate(IgnoreMigrationPatterns.parse(" *:Missing , *:future ")))
                .extracting(MigrationStatus::state).contains(MigrationStatus.State.MISSING);

        Files.delete(folder.resolve("20260103000000_create_notes.sql"));
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);");
        assertThatThrownBy(() -> migrator().validate(IgnoreMigrationPatterns.parse("*:missing,*:ignored")))
                .hasMessageContaining("20260103000000_create_notes.sql (applied by a newer release)")
                .hasMessageContaining("let them pass with the ignore patterns *:future (");
        assertThat(migrator().validate(IgnoreMigrationPatterns.parse("*:*"))).hasSize(3);

        file("20260103000000_create_notes.sql", "CREATE TABLE notes (id int, body text);");
        assertThatThrownBy(() -> migrator().validate(IgnoreMigrationPatterns.parse("*:*")))
                .hasMessageContaining("20260103000000_create_notes.sql was changed after it was applied");
    }

    @Test
    void aPatternWithAnUnknownTypeOrStateIsRefusedNamingItAndTheKnownWords() {
        for (String bad : new String[] {"*", "*:changed", "sql:missing", "*:missing,future"}) {
            assertThatThrownBy(() -> IgnoreMigrationPatterns.parse(bad)).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("is no migration pattern: write TYPE:STATE, TYPE one of versioned, "
                            + "repeatable or *, STATE one of missing, pending, ignored");
        }
        assertThat(IgnoreMigrationPatterns.parse("").patterns()).isEmpty();
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder).progress(line -> { });
    }

    private void file(String name, String up) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\nSELECT 1;\n");
    }
}
