package dev.ashlar.kernel.codegen;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void aGenerationThatWaitsForAnotherSaysSoOnceNamingTheProjectAndTheLockFile() throws Exception {
        Path folder = Files.createDirectories(project.resolve("waiting"));
        Logger logger = (Logger) LoggerFactory.getLogger(GenerationLock.class);
        ListAppender<ILoggingEvent> told = new ListAppender<>();
        told.start();
        logger.addAppender(told);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<Path>> second;
            GenerationLock first = GenerationLock.take(folder);
            try {
                second = pool.submit(() -> new Codegen(folder, shop(), Plugins.none(), Renames.none(), CLOCK)
                        .generate("create_shop").files());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (told.list.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(second.isDone()).isFalse();
                assertThat(Files.exists(folder.resolve("migrations")) ? migrations(folder) : List.of()).isEmpty();
            } finally {
                first.close();
            }

            assertThat(second.get(30, TimeUnit.SECONDS)).hasSize(1);
            assertThat(migrations(folder)).hasSize(1);
            String message = "waiting for another code generation of " + folder + " (lock file "
                    + GenerationLock.file(folder) + ")";
            assertThat(told.list).extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                    .startsWith(message);
        } finally {
            logger.detachAppender(told);
            pool.shutdownNow();
        }
    }

    @Test
    void aLockFileThisProcessAlreadyHoldsFailsTheGenerationAndLeavesNoneWaitingBehindIt() throws Exception {
        Path folder = Files.createDirectories(project.resolve("overlap"));
        try (FileChannel held = FileChannel.open(GenerationLock.file(folder), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock = held.lock();
            assertThatThrownBy(() -> GenerationLock.take(folder)).isInstanceOf(OverlappingFileLockException.class);
            assertThat(lock.isValid()).isTrue();
        }
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<Path>> next = pool.submit(() -> new Codegen(folder, shop(), Plugins.none(), Renames.none(),
                    CLOCK).generate("create_shop").files());

            assertThat(next.get(10, TimeUnit.SECONDS)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Path> migrations(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder.resolve("migrations"))) {
            return files.toList();
        }
    }
}
