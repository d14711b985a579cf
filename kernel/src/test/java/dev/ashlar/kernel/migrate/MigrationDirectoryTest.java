package dev.ashlar.kernel.migrate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading a migration folder again: not listed again while it is unchanged, never stale after a change. */
class MigrationDirectoryTest {
    private static final FileTime AN_HOUR_AGO = FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS));

    @TempDir
    Path folder;
    private int settled;

    @Test
    void aFolderUnchangedSinceItSettledIsNotReadAgain() throws IOException {
        write("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", AN_HOUR_AGO);
        settle();

        List<MigrationFile> first = MigrationDirectory.read(folder);
        List<MigrationFile> again = MigrationDirectory.read(folder);

        assertThat(again).isSameAs(first).extracting(MigrationFile::name).containsExactly("create_notes");
    }

    @Test
    void aFileAddedEditedOrRemovedAfterTheFolderSettledIsSeen() throws IOException {
        write("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", AN_HOUR_AGO);
        settle();
        MigrationDirectory.read(folder);

        write("20260102000000_create_votes.sql", "CREATE TABLE votes (id int);", AN_HOUR_AGO);
        settle();
        assertThat(MigrationDirectory.read(folder)).extracting(MigrationFile::name)
                .containsExactly("create_notes", "create_votes");

        // Same modification time, longer text: the size tells.
        write("20260101000000_create_notes.sql", "CREATE TABLE notes (id bigint);", AN_HOUR_AGO);
        assertThat(MigrationDirectory.read(folder).get(0).up()).isEqualTo("CREATE TABLE notes (id bigint);");

        // Same size, later modification time: the time tells.
        write("20260101000000_create_notes.sql", "CREATE TABLE tasks (id bigint);", FileTime.from(Instant.now()
                .minus(30, ChronoUnit.MINUTES)));
        assertThat(MigrationDirectory.read(folder).get(0).up()).isEqualTo("CREATE TABLE tasks (id bigint);");

        Files.delete(folder.resolve("20260102000000_create_votes.sql"));
        settle();
        assertThat(MigrationDirectory.read(folder)).extracting(MigrationFile::name).containsExactly("create_notes");
    }

    @Test
    void aFileRewrittenWithinTheClockResolutionKeepingItsSizeAndTimeIsSeen() throws IOException {
        Path path = write("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", null);
        FileTime written = Files.getLastModifiedTime(path);
        MigrationDirectory.read(folder);

        write("20260101000000_create_notes.sql", "CREATE TABLE votes (id int);", written);

        assertThat(MigrationDirectory.read(folder).get(0).up()).isEqualTo("CREATE TABLE votes (id int);");
    }

    @Test
    void aMissingFolderHoldsNoMigrations() {
        assertThat(MigrationDirectory.read(folder.resolve("absent"))).isEmpty();
    }

    @Test
    void aFileWhereTheFolderShouldBeIsRefusedRatherThanReadAsNoMigrations() throws IOException {
        Path file = Files.writeString(folder.resolve("migrations"), "-- migrate:up\nCREATE TABLE notes (id int);\n");

        assertThatThrownBy(() -> MigrationDirectory.read(file))
                .hasMessage("The migrations folder " + file + " is a file, not a folder. Move the file away: "
                        + "migrations are the .sql files of a folder of that name.");
    }

    @Test
    void aLinkThatLeadsNowhereWhereTheFolderShouldBeIsRefusedNamingWhyRatherThanReadAsNoMigrations()
            throws IOException {
        Path loop = Files.createSymbolicLink(folder.resolve("migrations"), Path.of("migrations"));
        Path dangling = Files.createSymbolicLink(folder.resolve("tenant_migrations"), Path.of("gone"));

        assertThatThrownBy(() -> MigrationDirectory.read(loop)).hasMessageStartingWith("The migrations folder " + loop
                + " is a symbolic link that leads to no folder (Too many levels of symbolic links")
                .hasMessageEndingWith("): point it at the folder, or remove it.");
        assertThatThrownBy(() -> MigrationDirectory.read(dangling)).hasMessage("The migrations folder " + dangling
                + " is a symbolic link that leads to no folder (there is no such file or folder): point it at the "
                + "folder, or remove it.");
    }

    @Test
    void hiddenFilesAreNotMigrationsButAnUppercaseSqlFileIsRefusedRatherThanNeverRun() throws IOException {
        write("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", null);
        Files.write(folder.resolve("._20260101000000_create_notes.sql"), new byte[] {0, 5, 22, 7, (byte) 0xFF});
        Files.createSymbolicLink(folder.resolve(".#20260102000000_create_tags.sql"), folder.resolve("nowhere"));

        assertThat(MigrationDirectory.read(folder)).extracting(MigrationFile::name).containsExactly("create_notes");

        write("20260102000000_create_tags.SQL", "CREATE TABLE tags (id int);", null);
        assertThatThrownBy(() -> MigrationDirectory.read(folder))
                .hasMessageContaining("20260102000000_create_tags.SQL is not named <14-digit version>_"
                        + "<lowercase_name>.sql; rename it");
    }

    @Test
    void aFolderOrABrokenLinkNamedLikeAMigrationIsRefusedSayingWhatItIsAndWhatToDo() throws IOException {
        Path inner = Files.createDirectory(folder.resolve("20260101000000_create_notes.sql"));
        assertThatThrownBy(() -> MigrationDirectory.read(folder))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.file()).contains("20260101000000_create_notes.sql"))
                .hasMessageEndingWith("20260101000000_create_notes.sql: it is a folder, not a file. Move it out of the "
                        + "migrations folder, or rename it so that its name does not end in .sql");
        Files.delete(inner);

        Files.createSymbolicLink(folder.resolve("20260102000000_create_tags.sql"), folder.resolve("elsewhere.sql"));
        assertThatThrownBy(() -> MigrationDirectory.read(folder))
                .hasMessageEndingWith("20260102000000_create_tags.sql: it is a link to a file that does not exist. "
                        + "Restore that file, or remove the link");
    }

    @Test
    void filesThatAreNotSqlAndFoldersWithoutSqlFilesAreNotMigrations() throws IOException {
        write("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", null);
        Files.writeString(folder.resolve("README.md"), "# migrations");
        Files.writeString(folder.resolve("20260102000000_create_tags.sql.bak"), "-- migrate:up\nSELECT 1;");
        Files.writeString(folder.resolve("20260102000000_create_tags.sql~"), "-- migrate:up\nSELECT 1;");
        Files.createDirectories(folder.resolve("notes")).resolve("plan.txt").toFile().createNewFile();
        Files.createDirectories(folder.resolve(".git/objects")).resolve("x.sql").toFile().createNewFile();

        assertThat(MigrationDirectory.read(folder)).extracting(MigrationFile::fileName)
                .containsExactly("20260101000000_create_notes.sql");
    }

    @Test
    void aFolderInsideHoldingSqlFilesIsRefusedNamingOneRatherThanNeverRunningThem() throws IOException {
        write("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", AN_HOUR_AGO);
        Path year = Files.createDirectories(folder.resolve("2026/january"));
        settle();
        assertThat(MigrationDirectory.read(folder)).hasSize(1);

        // Added after the folder settled, inside a folder inside it: the folder's own stamp does not change.
        Files.writeString(year.resolve("20260102000000_create_tags.sql"), "-- migrate:up\nCREATE TABLE tags (id int);");
        settle();
        assertThatThrownBy(() -> MigrationDirectory.read(folder)).isInstanceOf(MigrationException.class)
                .hasMessage("The migrations folder " + folder + " holds the folder 2026 with .sql files ("
                        + Path.of("2026", "january", "20260102000000_create_tags.sql") + "), which would never run: "
                        + "migrations are the .sql files of " + folder + " itself, not of folders inside it (but for "
                        + "dbinit/, which holds init scripts). Move them up into " + folder + ", or move the folder "
                        + "out of it. Nothing was run.");
    }

    @Test
    void aCallbackAddedOrRemovedAfterTheFolderWasListedIsSeen() throws IOException {
        write("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", AN_HOUR_AGO);
        settle();
        MigrationDirectory.read(folder);
        assertThat(MigrationDirectory.callbacks(folder)).isEmpty();

        Files.writeString(folder.resolve("beforeEachMigrate.sql"), "SELECT 1;\n");
        assertThat(MigrationDirectory.callbacks(folder)).containsOnlyKeys("beforeEachMigrate.sql");
        settle();
        MigrationDirectory.read(folder);
        assertThat(MigrationDirectory.callbacks(folder)).containsOnlyKeys("beforeEachMigrate.sql");

        Files.delete(folder.resolve("beforeEachMigrate.sql"));
        assertThat(MigrationDirectory.callbacks(folder)).isEmpty();
    }

    /** Writes a migration whose up section is {@code up}, with the modification time given (or now, when null). */
    private Path write(String name, String up, FileTime modified) throws IOException {
        Path path = folder.resolve(name);
        Files.writeString(path, "-- migrate:up\n" + up + "\n-- migrate:down\n");
        if (modified != null) {
            Files.setLastModifiedTime(path, modified);
        }
        return path;
    }

    /**
     * Dates the folder's last change about an hour back, as if its files had been listed long ago; each call a
     * second later than the one before, as the clock moves on between changes.
     */
    private void settle() throws IOException {
        Files.setLastModifiedTime(folder, FileTime.from(AN_HOUR_AGO.toInstant().plusSeconds(++settled)));
    }
}
