package dev.ashlar.kernel.migrate;

import dev.ashlar.kernel.migrate.FileRunner.Direction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SectionStatementsTest {
    @TempDir
    Path folder;

    @Test
    void aFileEditedBetweenTwoReadsIsSplitFromItsNewTextNotFromTheStatementsKeptForTheOldOne() throws IOException {
        Path path = folder.resolve("20260101000000_add_tables.sql");
        Files.writeString(path, "-- migrate:up\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\n");
        MigrationFile first = MigrationFile.read(path);
        assertThat(SectionStatements.checked("tenant_1", first, Direction.UP, TransactionMode.OWN, false).statements())
                .hasSize(2);

        Files.writeString(path, "-- migrate:up\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\n"
                + "CREATE TABLE c (id int);\n");
        MigrationFile edited = MigrationFile.read(path);

        assertThat(edited).isNotSameAs(first);
        assertThat(SectionStatements.checked("tenant_2", edited, Direction.UP, TransactionMode.OWN, false).statements())
                .hasSize(3).last().asString().contains("CREATE TABLE c");
    }

    @Test
    void aFileMadeAgainWithEqualTextsFindsTheStatementsKeptForTheFirstAndAnotherTextItsOwn() throws IOException {
        Path path = folder.resolve("20260101000000_add_column.sql");
        Files.writeString(path, "-- migrate:up\nALTER TABLE notes ADD COLUMN a int;\n"
                + "ALTER TABLE notes ADD COLUMN b int;\n");
        MigrationFile file = MigrationFile.read(path);
        SectionStatements kept = SectionStatements.checked("tenant_1", file, Direction.UP, TransactionMode.OWN, false);
        // What replacing a placeholder for each schema gives: the same file made again, a new object of equal parts.
        MigrationFile again = file.withSections(file.up() + " ", file.down()).withSections(file.up(), file.down());
        MigrationFile other = file.withSections("ALTER TABLE notes ADD COLUMN c int;", file.down());

        assertThat(again).isNotSameAs(file).isEqualTo(file);
        assertThat(SectionStatements.checked("tenant_2", again, Direction.UP, TransactionMode.OWN, false).statements())
                .isSameAs(kept.statements());
        assertThat(SectionStatements.checked("tenant_3", other, Direction.UP, TransactionMode.OWN, false).statements())
                .hasSize(1).first().asString().contains("ADD COLUMN c");
    }
}
