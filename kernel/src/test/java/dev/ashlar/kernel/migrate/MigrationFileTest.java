package dev.ashlar.kernel.migrate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a migration file again: parsed once while its bytes stay the same, never stale after an edit. */
class MigrationFileTest {
    @TempDir
    Path folder;

    @Test
    void aFileReadAgainUnchangedIsNotParsedAgainAndAnEditOfTheSameSizeAndTimeIsSeen() throws IOException {
        Path path = folder.resolve("20260101000000_create_notes.sql");
        Files.writeString(path, "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
        FileTime written = Files.getLastModifiedTime(path);

        MigrationFile first = MigrationFile.read(path);
        MigrationFile again = MigrationFile.read(path);
        Files.writeString(path, "-- migrate:up\nCREATE TABLE votes (id int);\n-- migrate:down\nDROP TABLE votes;\n");
        Files.setLastModifiedTime(path, written);
        MigrationFile edited = MigrationFile.read(path);

        assertThat(again).isSameAs(first);
        assertThat(edited.up()).isEqualTo("CREATE TABLE votes (id int);");
        assertThat(edited.checksum()).isNotEqualTo(first.checksum());
    }
}
