package dev.ashlar.kernel.codegen;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/** Two generations of one project at once, as two terminals or a parallel build start them. */
class ConcurrentGenerationTest extends FreshSchemaTest {
    private static Domain shop() {
        List<Resource> resources = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            resources.add(Resource.builder("item" + i).table("items" + i).integerPrimaryKey("id")
                    .attribute("title", TEXT).build());
        }
        return Domain.builder("shop").resources(resources.toArray(Resource[]::new)).build();
    }

    @Test
    void twoGenerationsAtOnceWriteTheMigrationOnceAndTheSecondFindsNothingToDo() throws Exception {
        Domain domain = shop();
        for (int round = 0; round < 5; round++) {
            Path folder = Files.createDirectories(project.resolve("round" + round));
            Callable<List<Path>> generation = () -> new Codegen(folder, domain, Plugins.none(), Renames.none(), CLOCK)
                    .generate("create_shop").files();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<List<Path>> first = pool.submit(generation);
                Future<List<Path>> second = pool.submit(generation);

                assertThat(first.get().size() + second.get().size()).as("files written in round " + round)
                        .isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(migrations(folder)).hasSize(1);
            assertThat(Files.readString(migrations(folder).get(0))).contains("CREATE TABLE", "items39");
        }
    }

    private static List<Path> migrations(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder.resolve("migrations"))) {
            return files.toList();
        }
    }
}
