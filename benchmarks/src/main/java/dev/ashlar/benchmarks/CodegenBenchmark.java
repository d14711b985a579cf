package dev.ashlar.benchmarks;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;

/**
 * Code generation for a 500-resource domain: from nothing (every table, every key) and after one
 * change (one column added to one resource, diffed against 500 snapshots). Files are written to a
 * temporary project, as {@code ashlar codegen} does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodegenBenchmark {
    private static final int RESOURCES = 500;

    private Domain domain;
    private Domain changed;
    private Plugins plugins;
    private Path generated;

    @Setup(Level.Trial)
    public void domains() throws IOException {
        domain = domain(false);
        changed = domain(true);
        plugins = Plugins.discover(CodegenBenchmark.class.getClassLoader());
        generated = Files.createTempDirectory("ashlar-codegen-base-");
        new Codegen(generated, domain, plugins, Renames.none(), Clock.systemUTC()).generate("create_all");
    }

    /** A new empty project for each generation from nothing. */
    @State(Scope.Thread)
    public static class EmptyProject {
        Path path;

        @Setup(Level.Invocation)
        public void create() throws IOException {
            path = Files.createTempDirectory("ashlar-codegen-");
        }

        @TearDown(Level.Invocation)
        public void remove() throws IOException {
            delete(path);
        }
    }

    /** A copy of the generated 500-table project for each one-change generation. */
    @State(Scope.Thread)
    public static class GeneratedProject {
        Path path;

        @Setup(Level.Invocation)
        public void create(CodegenBenchmark benchmark) throws IOException {
            path = Files.createTempDirectory("ashlar-codegen-change-");
            copy(benchmark.generated, path);
        }

        @TearDown(Level.Invocation)
        public void remove() throws IOException {
            delete(path);
        }
    }

    /** Every table, identity and key of 500 resources, with no previous snapshots. */
    @Benchmark
    public Codegen.Result generateFromNothing(EmptyProject project) {
        return new Codegen(project.path, domain, plugins, Renames.none(), Clock.systemUTC()).generate("create_all");
    }

    /** One added column: read the 500 snapshots of the previous generation, diff, write one migration. */
    @Benchmark
    public Codegen.Result generateOneChange(GeneratedProject project) {
        return new Codegen(project.path, changed, plugins, Renames.none(), Clock.systemUTC()).generate("add_column");
    }

    static Domain domain(boolean withChange) {
        Domain.Builder builder = Domain.builder("large");
        for (int i = 0; i < RESOURCES; i++) {
            var resource = Resource.builder("r" + i).table("table_" + i).integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull())
                    .attribute("rank", INTEGER)
                    .attribute("created_at", TIMESTAMPTZ, a -> a.notNull().defaultSql("now()"))
                    .identity("unique_name", "name");
            if (i > 0) {
                resource.belongsTo("parent", "r" + (i - 1));
            }
            if (withChange && i == RESOURCES / 2) {
                resource.attribute("added", TEXT);
            }
            builder.resource(resource.build());
        }
        return builder.build();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
