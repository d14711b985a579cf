package dev.ashlar.kernel.snapshot;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A snapshot that a person, a merge or a newer Ashlar changed: codegen reads it as written where it means the same
 * (a byte order mark, CRLF line ends, another indent), and otherwise refuses it naming the file and what is wrong in
 * it, writing nothing: also where every field keeps its type but the content no longer holds together (a field of
 * another name, a column or folder recorded twice, a key on nothing, a type or name that is no SQL).
 */
class SnapshotFaultsTest {
    private static final Domain POSTS = Domain.builder("blog").resource(Resource.builder("post").table("posts")
            .integerPrimaryKey("id").attribute("title", TEXT).build()).build();
    private static final String FILE = "public/posts/20261127100000.json";

    @TempDir
    Path project;
    private Path snapshot;
    private String written;

    @BeforeEach
    void generated() throws IOException {
        codegen(0).generate("create_posts");
        snapshot = project.resolve("resource_snapshots").resolve(FILE);
        written = Files.readString(snapshot);
    }

    private Codegen codegen(int minutes) {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z").plusSeconds(60L * minutes), ZoneOffset.UTC);
        return new Codegen(project, POSTS, Plugins.none(), Renames.none(), clock);
    }

    /** The failure of a generation over the snapshot as given; asserts that it wrote no file. */
    private ProjectFileException refused(byte[] snapshotBytes) throws IOException {
        Files.write(snapshot, snapshotBytes);
        List<Path> before = files();
        Throwable failure = catchThrowable(() -> codegen(1).generate("again"));
        assertThat(failure).isInstanceOf(ProjectFileException.class);
        assertThat(files()).isEqualTo(before);
        assertThat(Files.readAllBytes(snapshot)).isEqualTo(snapshotBytes);
        ProjectFileException refusal = (ProjectFileException) failure;
        assertThat(refusal.file()).contains(FILE);
        return refusal;
    }

    private ProjectFileException refused(String text) throws IOException {
        return refused(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.walk(project)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void aSnapshotOfANewerFormatIsRefusedNamingTheFileAndTheUpgradeAndNothingIsWritten() throws IOException {
        ProjectFileException refusal = refused(written.replace("\"format\" : 1", "\"format\" : 2"));

        assertThat(refusal).hasMessageStartingWith("Snapshot " + FILE + " is of format 2, written by a newer version "
                        + "of Ashlar; this one reads format 1")
                .hasMessageContaining("upgrade Ashlar");
    }

    @Test
    void aSnapshotWhoseFormatIsNoNumberIsRefusedNamingTheField() throws IOException {
        assertThat(refused(written.replace("\"format\" : 1", "\"format\" : \"one\"")))
                .hasMessageContaining("'format' is \"one\", where a whole number belongs");
    }

    @Test
    void aSnapshotWithAByteOrderMarkAndCrlfLineEndsReadsAsWrittenSoNothingIsGenerated() throws IOException {
        Files.writeString(snapshot, "\uFEFF" + written.replace("\n", "\r\n"));

        Codegen.Result again = codegen(1).generate("again");

        assertThat(again.changed()).isFalse();
        assertThat(again.files()).isEmpty();
    }

    @Test
    void aSnapshotThatIsNotUtf8IsRefusedNamingTheLineAndTheByte() throws IOException {
        byte[] latin1 = written.replace("\"title\"", "\"titré\"").getBytes(StandardCharsets.ISO_8859_1);
        int line = written.substring(0, written.indexOf("\"title\"")).split("\n", -1).length;

        assertThat(refused(latin1)).hasMessageStartingWith("Snapshot " + FILE + " is not valid UTF-8: line " + line
                        + " holds the byte 0xE9")
                .hasMessageContaining("Restore it from version control");
    }

    @Test
    void aSnapshotMissingAFieldIsRefusedNamingTheFieldNotAJavaError() throws IOException {
        assertThat(refused(written.replace("\"scope\" : \"main\",", "")))
                .hasMessageStartingWith("Snapshot " + FILE + " is not valid: 'scope' is missing")
                .hasMessageNotContaining("Cannot invoke");
        assertThat(refused(written.replace("\"columns\"", "\"kolumns\"")))
                .hasMessageContaining("'columns' is missing");
    }

    @Test
    void aSnapshotFieldOfAnotherTypeOrValueIsRefusedNamingItsPath() throws IOException {
        assertThat(refused(written.replace("\"nullable\" : true", "\"nullable\" : \"yes\"")))
                .hasMessageContaining("'columns[1].nullable' is \"yes\", where true or false belongs")
                .hasMessageNotContaining("cannot be cast");
        assertThat(refused(written.replace("\"scope\" : \"main\"", "\"scope\" : \"moon\"")))
                .hasMessageContaining("'scope' is \"moon\", where one of main, tenant belongs");
    }

    @Test
    void aSnapshotThatIsNoJsonObjectIsRefusedSayingWhatItHolds() throws IOException {
        assertThat(refused("null")).hasMessageContaining("it holds null, where a JSON object belongs");
        assertThat(refused("[]")).hasMessageContaining("it holds a list, where a JSON object belongs");
        assertThat(refused("")).hasMessageContaining("it is empty");
    }

    @Test
    void aSnapshotLeftWithMergeConflictMarkersIsRefusedAtItsLineWithoutRepeatingTheFile() throws IOException {
        ProjectFileException refusal = refused("<<<<<<< HEAD\n" + written + "=======\n" + written + ">>>>>>> other\n");

        assertThat(refusal).hasMessageStartingWith("Snapshot " + FILE + " is not valid JSON at line 1, column 1: ")
                .hasMessageContaining("Restore it from version control")
                .hasMessageNotContaining("\"columns\"");
    }

    @Test
    void aSnapshotCutShortIsRefusedNamingTheLineWhereItEnds() throws IOException {
        String half = written.substring(0, written.indexOf("\"title\""));
        int lines = half.split("\n", -1).length;

        assertThat(refused(half)).hasMessageStartingWith("Snapshot " + FILE + " is not valid JSON at line " + lines)
                .hasMessageContaining("end-of-input").hasMessageContaining("Restore it from version control");
    }

    @Test
    void aSnapshotHoldingAFieldTwiceAsAHandMergeLeavesItIsRefusedNamingTheFieldRatherThanReadAsTheLastOne()
            throws IOException {
        String twice = written.replaceFirst("\"nullable\" : (true|false),", "\"nullable\" : true,\n"
                + "      \"nullable\" : false,");
        assertThat(twice).isNotEqualTo(written);

        assertThat(refused(twice)).hasMessageStartingWith("Snapshot " + FILE + " is not valid JSON at line ")
                .hasMessageContaining("'nullable'").hasMessageContaining("Restore it from version control");
    }

    @Test
    void aJsonFileBesideTheSnapshotsNotNamedByAVersionIsRefusedRatherThanReadAsTheLatest() throws IOException {
        Path copy = snapshot.resolveSibling("backup.json");
        Files.writeString(copy, written.replace("\"title\"", "\"old_title\""));
        List<Path> before = files();

        Throwable failure = catchThrowable(() -> codegen(1).generate("again"));

        assertThat(failure).isInstanceOf(ProjectFileException.class)
                .hasMessageStartingWith("public/posts/backup.json is not named as a snapshot is")
                .hasMessageContaining("move it out of resource_snapshots/ or delete it");
        assertThat(((ProjectFileException) failure).file()).contains("public/posts/backup.json");
        assertThat(files()).isEqualTo(before);
    }

    /** Asserts that the snapshot with {@code from} replaced by {@code to} is refused as not valid, saying {@code why}. */
    private void assertRefused(String from, String to, String why) throws IOException {
        assertThat(written).contains(from);
        assertThat(refused(written.replace(from, to))).hasMessageStartingWith("Snapshot " + FILE + " is not valid: ")
                .hasMessageContaining(why);
    }

    @Test
    void aFieldOfANameTheFormatDoesNotHaveIsRefusedNamingItRatherThanSkipped() throws IOException {
        assertRefused("\"format\" : 1,", "\"format\" : 1,\n  \"nulable\" : true,",
                "'nulable' is no field of this snapshot format; correct its name or remove it");
        assertRefused("\"nullable\" : true", "\"nulable\" : true", "'columns[1].nulable' is no field");
    }

    @Test
    void aColumnRecordedTwiceIsRefusedNamingTheSecond() throws IOException {
        String column = "{\n      \"default\" : null,\n      \"identity\" : false,\n      \"name\" : \"title\",\n"
                + "      \"nullable\" : true,\n      \"type\" : \"text\"\n    }";

        assertRefused(column, column + ", " + column,
                "'columns[2].name' is \"title\", a column the snapshot records before it");
    }

    @Test
    void aPrimaryKeyOnAColumnTheSnapshotDoesNotHoldIsRefused() throws IOException {
        assertRefused("\"primary_key\" : [\n    \"id\"", "\"primary_key\" : [\n    \"nope\"",
                "'primary_key' names column \"nope\", which 'columns' does not hold");
    }

    @Test
    void aColumnTypeThatEndsTheStatementIsRefusedRatherThanCopiedIntoTheMigration() throws IOException {
        assertRefused("\"type\" : \"text\"", "\"type\" : \"text); DROP TABLE users; --\"",
                "'columns[1].type' is \"text); DROP TABLE users; --\", which is no column type");
        assertRefused("\"type\" : \"text\"", "\"type\" : \"varchar(12\"", "which is no column type");
    }

    @Test
    void aNameThatIsNoIdentifierIsRefusedNamingTheFieldNotTruncated() throws IOException {
        String longName = "p".repeat(64);
        assertRefused("\"table\" : \"posts\"", "\"table\" : \"" + longName + "\"",
                "'table' is \"" + longName + "\", which is 64 bytes long");
        assertRefused("\"name\" : \"title\"", "\"name\" : \"\"", "'columns[1].name' is \"\", which is empty");
        assertRefused("\"schema\" : \"public\",\n", "",
                "'schema' is missing, which the snapshot of a main table records");
    }

    @Test
    void aSnapshotFolderCopiedUnderAnotherNameIsRefusedRatherThanHidingTheOriginal() throws IOException {
        Path copy = Files.createDirectories(snapshot.getParent().resolveSibling("posts_copy"));
        Files.writeString(copy.resolve("20261127100000.json"), written.replace("\"title\"", "\"headline\""));
        List<Path> before = files();

        Throwable failure = catchThrowable(() -> codegen(1).generate("again"));

        assertThat(failure).isInstanceOf(ProjectFileException.class).hasMessage("Snapshot "
                + "public/posts_copy/20261127100000.json records table public.posts, whose snapshots belong in "
                + "public/posts/: a snapshot folder was copied or renamed by hand. Restore it from version control, or "
                + "delete the copy");
        assertThat(((ProjectFileException) failure).file()).contains("public/posts_copy/20261127100000.json");
        assertThat(files()).isEqualTo(before);
    }

    @Test
    void aGeneratedColumnWhoseExpressionQuotesACommentOrAParenthesisReadsBackSoNothingIsGenerated() throws IOException {
        String type = "text GENERATED ALWAYS AS ('\"' || title || '\" -- (draft /*') STORED";
        Domain labelled = Domain.builder("blog").resource(Resource.builder("post").table("posts")
                .integerPrimaryKey("id").attribute("title", TEXT)
                .attribute("label", TEXT, a -> a.migrationType(type)).build()).build();
        Path other = Files.createDirectories(project.resolve("labelled"));
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
        new Codegen(other, labelled, Plugins.none(), Renames.none(), clock).generate("create_posts");

        Codegen.Result again = new Codegen(other, labelled, Plugins.none(), Renames.none(),
                Clock.offset(clock, java.time.Duration.ofMinutes(1))).generate("again");

        assertThat(Files.readString(other.resolve("resource_snapshots").resolve(FILE))).contains("-- (draft /*");
        assertThat(again.changed()).isFalse();
        assertThat(again.files()).isEmpty();
    }

    @Test
    void aSnapshotEditedOnlyInItsLayoutStillReadsAsWrittenSoNothingIsGenerated() throws IOException {
        Files.writeString(snapshot, written.replace("  ", "\t"));

        Codegen.Result again = codegen(1).generate("again");

        assertThat(again.changed()).isFalse();
        assertThat(again.files()).isEmpty();
    }
}
