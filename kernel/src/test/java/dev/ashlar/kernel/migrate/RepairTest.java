package dev.ashlar.kernel.migrate;

import dev.ashlar.kernel.migrate.MigrationStatus.State;
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
import static org.assertj.core.groups.Tuple.tuple;

/**
 * Flyway's validate and repair on renamed files: a file is its version, so a new name alone changes nothing that ran,
 * and a new version is a missing file and a pending one. Repair changes what it reports and nothing else.
 */
@ExtendWith(PostgresExtension.class)
class RepairTest {
    /** The history as one line: version, name, checksum's first characters, baselined. */
    private static final String HISTORY = "SELECT string_agg(version || ' ' || name || ' ' || left(checksum, 8) || ' '"
            + " || baselined, ', ' ORDER BY version) FROM ashlar_schema_migrations";

    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void twoFilesApplied(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);");
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);");
        migrator().migrate();
    }

    @Test
    void aFileRenamedWithItsVersionKeptStaysAppliedFailsValidateNamingBothNamesAndRepairRecordsOnlyItsNewName()
            throws IOException {
        Files.move(folder.resolve("20260101000000_create_posts.sql"), folder.resolve("20260101000000_posts.sql"));
        db.execute("INSERT INTO ashlar_schema_migrations (version, name, checksum, checksum_algorithm, duration_ms) "
                + "VALUES ('20260109000000', 'from_a_newer_release', 'abc', 'sha256', 1)");
        String before = (String) db.value(HISTORY);

        assertThat(migrator().status()).extracting(MigrationStatus::version, MigrationStatus::name,
                MigrationStatus::state, MigrationStatus::renamed).containsExactly(
                tuple("20260101000000", "posts", State.APPLIED, true),
                tuple("20260102000000", "create_tags", State.APPLIED, false),
                tuple("20260109000000", "from_a_newer_release", State.FUTURE, false));
        assertThatThrownBy(() -> migrator().validate()).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration 20260101000000 was applied to public as "
                        + "20260101000000_create_posts.sql, but its file in " + folder + " is now "
                        + "20260101000000_posts.sql.")
                .hasMessageContaining("'ashlar repair' records the new name without running anything");

        // A migrate takes the renamed file as applied (a file is its version) and goes on.
        file("20260103000000_create_notes.sql", "CREATE TABLE notes (id int);");
        assertThat(migrator().migrate()).extracting(MigrationFile::name).containsExactly("create_notes");
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relname IN ('posts', 'notes')")).isEqualTo(2L);
        before = (String) db.value(HISTORY);

        assertThat(migrator().repair()).containsExactly("recorded the new name of 20260101000000_create_posts, "
                + "20260101000000_posts.sql, in public (not run)");
        assertThat(db.value(HISTORY)).isEqualTo(before.replace("20260101000000 create_posts", "20260101000000 posts"));
        assertThat(migrator().validate()).extracting(MigrationStatus::state).containsExactly(State.APPLIED,
                State.APPLIED, State.APPLIED, State.FUTURE);
        assertThat(migrator().repair()).isEmpty();
        assertThat(db.value(HISTORY)).isEqualTo(before.replace("20260101000000 create_posts", "20260101000000 posts"));
    }

    @Test
    void aFileRenamedToAnotherVersionIsMissingUntilRepairForgetsTheOldVersionAndBaselineRecordsTheNew()
            throws IOException {
        Files.move(folder.resolve("20260102000000_create_tags.sql"), folder.resolve("20260104000000_create_tags.sql"));
        file("20260103000000_create_notes.sql", "CREATE TABLE notes (id int);");

        assertThatThrownBy(() -> migrator().validate()).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration 20260102000000_create_tags.sql is applied to public but missing "
                        + "from " + folder);
        assertThatThrownBy(() -> migrator().migrate()).hasMessageStartingWith("Migration "
                + "20260102000000_create_tags.sql is applied to public but missing");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).as("nothing ran").isEqualTo(true);

        assertThat(migrator().repair()).containsExactly("forgot 20260102000000_create_tags in public (its file is "
                + "gone; its schema changes stay)");
        assertThat(migrator().status()).extracting(MigrationStatus::version, MigrationStatus::state).containsExactly(
                tuple("20260101000000", State.APPLIED), tuple("20260103000000", State.PENDING),
                tuple("20260104000000", State.PENDING));
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL")).as("its table stays").isEqualTo(true);

        // The renamed file's table is there already: the next migrate would fail on it, so it is baselined.
        assertThat(migrator().migrateTo("20260103000000")).extracting(MigrationFile::name)
                .containsExactly("create_notes");
        assertThat(migrator().baseline("20260104000000")).extracting(MigrationFile::name)
                .containsExactly("create_tags");
        assertThat(migrator().baseline(null)).as("a second baseline records nothing").isEmpty();
        assertThat(migrator().validate()).extracting(MigrationStatus::state)
                .containsExactly(State.APPLIED, State.APPLIED, State.BASELINED);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(3L);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder).progress(line -> { });
    }

    private void file(String name, String up) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\nSELECT 1;\n");
    }
}
