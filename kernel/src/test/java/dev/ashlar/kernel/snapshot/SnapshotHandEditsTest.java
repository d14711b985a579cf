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
 * A snapshot edited by hand whose fields keep their types but whose content no longer holds together: a field of
 * another name, a column or folder recorded twice, a key on nothing, a type or name that is no SQL. Codegen refuses
 * each naming the file and the field, and writes nothing, instead of diffing against it and generating DDL from it.
 */
class SnapshotHandEditsTest {
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

    /** The refusal of a generation over the project as it stands; asserts that it wrote no file. */
    private ProjectFileException refused() throws IOException {
        List<Path> before = files();
        Throwable failure = catchThrowable(() -> codegen(1).generate("again"));
        assertThat(failure).isInstanceOf(ProjectFileException.class);
        assertThat(files()).isEqualTo(before);
        return (ProjectFileException) failure;
    }

    private ProjectFileException refused(String edited) throws IOException {
        assertThat(edited).isNotEqualTo(written);
        Files.writeString(snapshot, edited);
        ProjectFileException refusal = refused();
        assertThat(refusal.file()).contains(FILE);
        assertThat(refusal).hasMessageStartingWith("Snapshot " + FILE + " is not valid: ");
        return refusal;
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.walk(project)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void aFieldOfANameTheFormatDoesNotHaveIsRefusedNamingItRatherThanSkipped() throws IOException {
        assertThat(refused(written.replace("\"format\" : 1,", "\"format\" : 1,\n  \"nulable\" : true,")))
                .hasMessageContaining("'nulable' is no field of this snapshot format; correct its name or remove it");
        assertThat(refused(written.replaceFirst("\"nullable\" : true", "\"nulable\" : true")))
                .hasMessageContaining("'columns[1].nulable' is no field");
    }

    @Test
    void aColumnRecordedTwiceIsRefusedNamingTheSecond() throws IOException {
        String column = "{\n      \"default\" : null,\n      \"identity\" : false,\n      \"name\" : \"title\",\n"
                + "      \"nullable\" : true,\n      \"type\" : \"text\"\n    }";
        assertThat(written).contains(column);

        assertThat(refused(written.replace(column, column + ", " + column)))
                .hasMessageContaining("'columns[2].name' is \"title\", a column the snapshot records before it");
    }

    @Test
    void aPrimaryKeyOnAColumnTheSnapshotDoesNotHoldIsRefused() throws IOException {
        assertThat(refused(written.replace("\"primary_key\" : [\n    \"id\"", "\"primary_key\" : [\n    \"nope\"")))
                .hasMessageContaining("'primary_key' names column \"nope\", which 'columns' does not hold");
    }

    @Test
    void aColumnTypeThatEndsTheStatementIsRefusedRatherThanCopiedIntoTheMigration() throws IOException {
        assertThat(refused(written.replace("\"type\" : \"text\"", "\"type\" : \"text); DROP TABLE users; --\"")))
                .hasMessageContaining("'columns[1].type' is \"text); DROP TABLE users; --\", which is no column type");
        assertThat(refused(written.replace("\"type\" : \"text\"", "\"type\" : \"varchar(12\"")))
                .hasMessageContaining("which is no column type");
    }

    @Test
    void aNameThatIsNoIdentifierIsRefusedNamingTheFieldNotTruncated() throws IOException {
        String longName = "p".repeat(64);
        assertThat(refused(written.replace("\"table\" : \"posts\"", "\"table\" : \"" + longName + "\"")))
                .hasMessageContaining("'table' is \"" + longName + "\", which is 64 bytes long");
        assertThat(refused(written.replace("\"name\" : \"title\"", "\"name\" : \"\"")))
                .hasMessageContaining("'columns[1].name' is \"\", which is empty");
        assertThat(refused(written.replace("\"schema\" : \"public\",\n", "")))
                .hasMessageContaining("'schema' is missing, which the snapshot of a main table records");
    }

    @Test
    void aSnapshotFolderCopiedUnderAnotherNameIsRefusedRatherThanHidingTheOriginal() throws IOException {
        Path copy = Files.createDirectories(snapshot.getParent().resolveSibling("posts_copy"));
        Files.writeString(copy.resolve("20261127100000.json"), written.replace("\"title\"", "\"headline\""));

        ProjectFileException refusal = refused();

        assertThat(refusal).hasMessage("Snapshot public/posts_copy/20261127100000.json records table public.posts, "
                + "whose snapshots belong in public/posts/: a snapshot folder was copied or renamed by hand. Restore it "
                + "from version control, or delete the copy");
        assertThat(refusal.file()).contains("public/posts_copy/20261127100000.json");
    }

    @Test
    void aSnapshotEditedOnlyInItsLayoutStillReadsAsWrittenSoNothingIsGenerated() throws IOException {
        Files.writeString(snapshot, written.replace("  ", "\t"));

        Codegen.Result again = codegen(1).generate("again");

        assertThat(again.changed()).isFalse();
        assertThat(again.files()).isEmpty();
    }
}
