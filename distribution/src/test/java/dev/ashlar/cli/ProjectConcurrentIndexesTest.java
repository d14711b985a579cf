package dev.ashlar.cli;

import dev.ashlar.cli.MigrationDomains.PostsWithHeadlineAndSummary;
import dev.ashlar.cli.MigrationDomains.PostsWithUniqueHeadline;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Project.concurrentIndexes(false)}, the Java form of {@code codegen --no-concurrent-indexes}. */
class ProjectConcurrentIndexesTest {
    @TempDir
    Path folder;

    @Test
    void concurrentIndexesFalseBuildsANewIndexOnAnExistingTableInTheMigrationsTransaction() throws IOException {
        Project.open(folder).domain(new PostsWithHeadlineAndSummary().domain(), Plugins.none())
                .generate("create_posts", Renames.none());

        Codegen.Result result = Project.open(folder).domain(new PostsWithUniqueHeadline().domain(), Plugins.none())
                .concurrentIndexes(false).generate("unique_headline", Renames.none());

        assertThat(result.files()).singleElement();
        assertThat(Files.readString(result.files().get(0)))
                .contains("CREATE UNIQUE INDEX \"posts_unique_headline_index\"")
                .contains("DROP INDEX \"public\".\"posts_unique_headline_index\"")
                .contains("-- migrate:up\n").doesNotContain("-- migrate:up transaction:false");
    }
}
