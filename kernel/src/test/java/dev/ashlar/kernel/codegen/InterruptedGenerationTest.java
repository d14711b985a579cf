package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A generation that cannot write all its files leaves the project as it found it: a migration without its snapshots
 * (or with some of them) would be generated again by the next run, its statements twice.
 */
class InterruptedGenerationTest {
    @TempDir
    Path project;
    private int generation;

    private static Domain blog(boolean withComments) {
        var post = Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", TEXT);
        Domain.Builder blog = Domain.builder("blog").resource((withComments ? post.attribute("body", TEXT) : post)
                .build());
        if (withComments) {
            blog.resource(Resource.builder("comment").table("comments").integerPrimaryKey("id")
                    .attribute("text", TEXT).build());
        }
        return blog.build();
    }

    private Codegen.Result generate(Domain domain) {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z").plusSeconds(60L * generation++),
                ZoneOffset.UTC);
        return new Codegen(project, domain, Plugins.none(), Renames.none(), clock).generate("step");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.walk(project)) {
            return files.filter(Files::isRegularFile).map(f -> project.relativize(f).toString()).sorted().toList();
        }
    }

    @Test
    void aSnapshotThatCannotBeWrittenTakesBackTheMigrationAndTheSnapshotsWrittenBeforeIt() throws IOException {
        generate(blog(false));
        List<String> before = files();
        // A file where the new table's snapshot folder belongs: the posts snapshot is written, the comments one is not.
        Path blocker = project.resolve("resource_snapshots/public/comments");
        Files.writeString(blocker, "in the way");

        Throwable failure = catchThrowable(() -> generate(blog(true)));

        assertThat(failure).isInstanceOf(AshlarException.class).hasMessageContaining("a file is in the way at " + blocker)
                .hasMessageContaining("Nothing of this generation was kept");
        List<String> untouched = new ArrayList<>(before);
        untouched.add("resource_snapshots/public/comments");
        assertThat(files()).containsExactlyInAnyOrderElementsOf(untouched);

        Files.delete(blocker);
        Codegen.Result again = generate(blog(true));
        assertThat(again.files()).hasSize(1);
        assertThat(Files.readString(again.files().get(0))).contains("CREATE TABLE \"public\".\"comments\"")
                .contains("\"posts\" ADD COLUMN \"body\"");
        assertThat(generate(blog(true)).changed()).isFalse();
    }
}
