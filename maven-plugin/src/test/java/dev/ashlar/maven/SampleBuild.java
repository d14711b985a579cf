package dev.ashlar.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A sample project outside the reactor, built by this checkout's Maven wrapper offline, against a
 * local repository under target/ that holds the artifacts just built (Maven's own plugins and the
 * third-party libraries are read, read-only, from the build's repository as its tail).
 */
final class SampleBuild {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("ashlar.it.version", "0.1.0-SNAPSHOT");
    private static final Path REPOSITORY = Path.of("target/it-repository").toAbsolutePath();
    /** The reactor modules a user's build needs: module folder and artifact id. */
    private static final Map<String, String> INSTALLED = Map.of(".", "ashlar-parent", "bom", "ashlar-bom",
            "api", "ashlar-api", "spi", "ashlar-spi", "kernel", "ashlar-kernel", "maven-plugin", "ashlar-maven-plugin",
            "test-support", "ashlar-test-postgres", "test-kit", "ashlar-test-support");

    private static final List<String> POMS = List.of("ashlar-parent", "ashlar-bom");
    /**
     * Each run is a new, short-lived JVM that spends most of its time starting: C1 alone compiles its code sooner
     * and the serial collector starts no GC threads (a run of a goal takes about 1.7 s rather than 2.5 s).
     */
    private static final String SHORT_LIVED_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
    /**
     * Maven's classes as the first run of this test JVM loaded them, mapped by the runs after it instead of loaded
     * again (a class-data sharing archive; about 0.3 s a run). A JVM that cannot use the archive loads the classes as
     * usual: the logging is off so that its warning does not reach the output that the tests read.
     */
    private static final Path MAVEN_CLASSES = Path.of("target/sample-build-maven.jsa").toAbsolutePath();
    private static boolean archived;

    /**
     * One run of Maven.
     *
     * @param code   its exit code
     * @param output what it printed
     */
    record Run(int code, String output) {
    }

    private final Path project;
    private final String databaseUrl;

    private SampleBuild(Path project, String databaseUrl) {
        this.project = project;
        this.databaseUrl = databaseUrl;
    }

    /** Copies the sample {@code name} from src/it into {@code target} and installs the built artifacts. */
    static SampleBuild copy(String name, Path target, String databaseUrl) throws IOException {
        Path source = Path.of("src/it", name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.writeString(copy, Files.readString(file).replace("@ashlar.version@", VERSION));
                }
            }
        }
        install();
        return new SampleBuild(target, databaseUrl);
    }

    Path project() {
        return project;
    }

    /** Runs the wrapper offline on the sample with these arguments. */
    Run maven(String... arguments) {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-o", "-B", "-ntp",
                "-Dmaven.repo.local=" + REPOSITORY, "-Dmaven.repo.local.tail=" + tail(), "-f",
                project.resolve("pom.xml").toString()));
        command.addAll(List.of(arguments));
        String options = System.getenv().getOrDefault("MAVEN_OPTS", "") + " " + SHORT_LIVED_JVM + " -Xlog:disable "
                + (archived ? "-XX:SharedArchiveFile=" : "-XX:ArchiveClassesAtExit=") + MAVEN_CLASSES;
        archived = true;
        return run(command, Map.of("MAVEN_OPTS", options.strip()));
    }

    /** Runs a command in the sample's folder with the database in ASHLAR_DATABASE_URL. */
    Run run(List<String> command) {
        return run(command, Map.of());
    }

    private Run run(List<String> command, Map<String, String> environment) {
        try {
            Path log = Files.createTempFile("sample-build", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            builder.environment().put(AshlarMojo.URL_VARIABLE, databaseUrl);
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 5 minutes");
            }
            String output = Files.readString(log);
            Files.delete(log);
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Lays the reactor's just-built poms and jars out as a local repository, as mvn install would. */
    private static synchronized void install() throws IOException {
        for (Map.Entry<String, String> module : INSTALLED.entrySet()) {
            Path folder = ROOT.resolve(module.getKey());
            String artifact = module.getValue();
            Path target = Files.createDirectories(REPOSITORY.resolve("dev/ashlar").resolve(artifact).resolve(VERSION));
            place(folder.resolve("pom.xml"), target.resolve(artifact + "-" + VERSION + ".pom"));
            if (POMS.contains(artifact)) {
                continue;
            }
            Path jar = folder.resolve("target").resolve(artifact + "-" + VERSION + ".jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is not built: the sample builds run after mvn package");
            }
            place(jar, target.resolve(artifact + "-" + VERSION + ".jar"));
        }
    }

    /**
     * Copies a file in under a name of its own, then renames it over the target: the test JVMs of this module's forks
     * lay the repository out at the same time, and a copy that replaces in place can find the other's file appearing
     * between its delete and its write.
     */
    private static void place(Path source, Path target) throws IOException {
        Path part = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        Files.copy(source, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String tail() {
        return System.getProperty("ashlar.it.repository.tail", Path.of(System.getProperty("user.home"), ".m2",
                "repository").toString());
    }
}
