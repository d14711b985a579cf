package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ControlCharacters;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Liquibase's {@code tag} and {@code rollback} to a tag: a tag marks the state of the schema (the migration applied
 * last), and rolling back to it undoes what was applied after it, keeping the tagged migration.
 */
@ExtendWith(PostgresExtension.class)
class RollbackToTagTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void postsApplied(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
        file("20260103000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        migrator().migrate();
    }

    @Test
    void rollingBackToATagUndoesWhatWasAppliedAfterItAndKeepsTheTaggedMigration() throws IOException {
        assertThat(migrator().tag("release-1").version()).isEqualTo("20260103000000");
        // A file merged late, older than the tagged one but applied after the tag, is undone too, as in Liquibase.
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");
        file("20260104000000_create_users.sql", "CREATE TABLE users (id int);", "DROP TABLE users;");
        migrator().migrate();

        assertThat(migrator().rollbackDryRunToTag("release-1")).extracting(d -> d.file().name())
                .containsExactly("create_users", "create_tags");
        assertThat(migrator().rollbackToTag("release-1")).extracting(MigrationFile::name)
                .containsExactly("create_users", "create_tags");

        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260103000000");
        assertThat(db.value("SELECT string_agg(relname::text, ',' ORDER BY relname) FROM pg_class "
                + "WHERE relname IN ('posts', 'tags', 'notes', 'users')")).isEqualTo("notes,posts");
        assertThat(migrator().rollbackToTag("release-1")).as("nothing applied after it").isEmpty();
        assertThat(migrator().tags()).isEqualTo(Map.of("release-1", "20260103000000"));
    }

    @Test
    void aTagGoesWithTheMigrationItMarksWhenThatOneIsRolledBack() throws IOException {
        migrator().tag("release-1");
        file("20260104000000_create_users.sql", "CREATE TABLE users (id int);", "DROP TABLE users;");
        migrator().migrate();
        migrator().tag("release-2");
        migrator().tag("deployed-friday");
        assertThat(migrator().tags()).containsExactly(Map.entry("release-1", "20260103000000"),
                Map.entry("release-2", "20260104000000"), Map.entry("deployed-friday", "20260104000000"));

        migrator().rollbackToTag("release-1");

        assertThat(migrator().tags()).isEqualTo(Map.of("release-1", "20260103000000"));
        assertThatThrownBy(() -> migrator().rollbackToTag("release-2")).isInstanceOf(MigrationException.class)
                .hasMessage("Cannot roll back to the tag release-2: no applied migration of public carries it (the "
                        + "tags are release-1). Nothing was rolled back.");
    }

    @Test
    void aTagThatMarksAnotherMigrationAnEmptyHistoryAndABlankNameAreRefused() throws IOException {
        migrator().tag("release-1");
        assertThat(migrator().tag("release-1").version()).as("the same state tagged again").isEqualTo("20260103000000");
        file("20260104000000_create_users.sql", "CREATE TABLE users (id int);", "DROP TABLE users;");
        migrator().migrate();

        assertThatThrownBy(() -> migrator().tag("release-1")).isInstanceOf(MigrationException.class)
                .hasMessage("Cannot tag public as release-1: that tag already marks 20260103000000_create_notes. "
                        + "Choose another name; nothing was tagged.");
        assertThatThrownBy(() -> migrator().tag(" ")).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Cannot tag public: a tag needs a name");
        migrator().rollback(3);
        assertThatThrownBy(() -> migrator().tag("empty")).isInstanceOf(MigrationException.class)
                .hasMessage("Cannot tag public as empty: no migration is applied there, so there is no state to "
                        + "mark. To come back to this empty state later, roll back to the oldest version ('rollback "
                        + "--to VERSION' undoes that one too). Nothing was tagged.");
        assertThatThrownBy(() -> migrator().rollbackToTag("release-1")).isInstanceOf(MigrationException.class)
                .hasMessage("Cannot roll back to the tag release-1: no applied migration of public carries it "
                        + "(no tag was given: 'ashlar tag NAME' marks the migration applied last). Nothing was "
                        + "rolled back.");
        assertThat(List.copyOf(migrator().tags().keySet())).isEmpty();
    }

    @Test
    void aTagWithAControlCharacterOrSpacesAroundItIsRefusedNamingItSoThatRollbackCanFindEveryTagAsTyped() {
        for (String tag : List.of("release\n1", "release-1\u001b[31m", " release-1", "release-1\t")) {
            assertThatThrownBy(() -> migrator().tag(tag)).isInstanceOf(MigrationException.class)
                    .hasMessageStartingWith("Cannot tag public as " + ControlCharacters.escape(tag) + ": ")
                    .hasMessageNotContaining("\u001b[31m").hasMessageEndingWith("Nothing was tagged.");
        }

        assertThat(migrator().tags()).isEmpty();
    }

    @Test
    void rollingBackToAnEmptyTagIsRefusedAsNoTagGivenAndNothingIsRolledBack() {
        migrator().tag("release-1");

        assertThatThrownBy(() -> migrator().rollbackToTag("")).isInstanceOf(MigrationException.class)
                .hasMessage("Cannot roll back to a tag: the tag given is empty (an unset variable?). Give the name "
                        + "of one (the tags are release-1). Nothing was rolled back.");
        assertThatThrownBy(() -> migrator().rollbackDryRunToTag(" ")).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Cannot roll back to a tag: the tag given is empty");

        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder).progress(line -> { });
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }
}
