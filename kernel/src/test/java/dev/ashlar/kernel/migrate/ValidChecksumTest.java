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

/**
 * Liquibase's {@code validCheckSum}, restated: a file edited after it was applied, whose {@code -- valid-checksum:}
 * header names the checksum its history row holds (or {@code any}), counts as applied, so that databases that ran
 * the old text migrate on without a repair.
 */
@ExtendWith(PostgresExtension.class)
class ValidChecksumTest {
    private static final String POSTS = "20260101000000_create_posts.sql";

    @TempDir
    Path folder;
    TestDatabase db;
    String recorded;

    @BeforeEach
    void postsApplied(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        write(POSTS, "", "CREATE TABLE posts (id int);");
        migrator().migrate();
        recorded = (String) db.value("SELECT checksum FROM ashlar_schema_migrations WHERE version = '20260101000000'");
        write("20260102000000_create_notes.sql", "", "CREATE TABLE notes (id int);");
    }

    @Test
    void anEditedFileWhoseHeaderNamesTheRecordedChecksumCountsAsAppliedAndTheRunGoesOn() throws IOException {
        write(POSTS, "", "CREATE TABLE posts (id int); -- an edit");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration " + POSTS + " was changed after it was applied");

        write(POSTS, "-- valid-checksum: sha256:" + recorded + "\n", "CREATE TABLE posts (id int); -- an edit");

        assertThat(migrator().migrate()).extracting(MigrationFile::name).containsExactly("create_notes");
        assertThat(migrator().validate()).extracting(MigrationStatus::state)
                .containsExactly(State.APPLIED, State.APPLIED);
        assertThat(db.value("SELECT checksum FROM ashlar_schema_migrations WHERE version = '20260101000000'"))
                .as("the history keeps what was applied").isEqualTo(recorded);
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void anyAcceptsWhateverTheHistoryRecordedAndAnotherChecksumDoesNot() throws IOException {
        write(POSTS, "-- valid-checksum: sha256:" + "0".repeat(64) + "\n", "CREATE TABLE posts (id int8);");
        assertThat(migrator().status()).extracting(MigrationStatus::state).first().isEqualTo(State.CHANGED);

        write(POSTS, "-- valid-checksum: any\n", "CREATE TABLE posts (id int8);");

        assertThat(migrator().status()).extracting(MigrationStatus::state)
                .containsExactly(State.APPLIED, State.PENDING);
        assertThat(migrator().migrate()).extracting(MigrationFile::name).containsExactly("create_notes");
    }

    @Test
    void aMistypedHeaderAndOneOnARepeatableFileAreRefusedNamingTheFile() throws IOException {
        write(POSTS, "-- validCheckSum: ANY\n", "CREATE TABLE posts (id int);");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line 1 of migration").hasMessageContaining(POSTS)
                .hasMessageContaining("'-- valid-checksum: sha256:<64 hex digits>' (or 'any')");

        write(POSTS, "", "CREATE TABLE posts (id int);");
        write("R__views.sql", "-- valid-checksum: any\n", "SELECT 1;");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("R__views.sql has a '-- valid-checksum:' header");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder).progress(line -> { });
    }

    private void write(String name, String headers, String up) throws IOException {
        Files.writeString(folder.resolve(name), headers + "-- migrate:up\n" + up + "\n-- migrate:down\nSELECT 1;\n");
    }
}
