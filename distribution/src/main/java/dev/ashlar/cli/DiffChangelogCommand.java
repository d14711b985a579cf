package dev.ashlar.cli;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.layout.IoReasons;
import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.spi.schema.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

@Command(name = "diff-changelog", description = "Write the migration that makes the --url database like the "
        + "--reference-url one (Liquibase's diffChangeLog), as codegen writes one: its public schema is recorded as "
        + "snapshots, and codegen generates from them to the reference's tables, with its up and down sections, its "
        + "destructive steps marked and indexes on existing tables built concurrently in a file of their own.")
final class DiffChangelogCommand extends ComparingCommand {
    private static final Pattern VERSION = Pattern.compile("^\\d{14}[_.]");

    @Mixin
    ClasspathOptions classpath;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", defaultValue = "diff_changelog", description = "The "
            + "migration's name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--out", paramLabel = "FILE|DIR", description = "Where to write it: a folder gets the files named "
            + "as codegen names them (<UTC timestamp>_NAME.sql), ready for ashlar migrate; a FILE.sql the one file, "
            + "refused when the change needs two (then give a folder, or --no-concurrent-indexes). Default: the "
            + "project's " + ProjectLayout.MIGRATIONS + "/ folder.")
    Path out;

    @Option(names = "--no-concurrent-indexes", description = "Build new indexes on existing tables in the migration's "
            + "transaction, blocking writes to the table meanwhile, as codegen --no-concurrent-indexes does.")
    boolean noConcurrentIndexes;

    @Mixin
    PublicSchemaOption schema;

    @Override
    public Integer call() {
        schema.require();
        Codegen.Result changes;
        List<Codegen.PlannedFile> planned;
        Path work = workFolder();
        try (Pair databases = open(LiveDomain.SCHEMA)) {
            PrintWriter err = spec.commandLine().getErr();
            String history = project().historyTable();
            LiveDomain.record(databases.target(), history, classpath.plugins(), work, err);
            Project generation = Project.open(work).domain(LiveDomain.read(databases.reference(), history, err),
                    classpath.plugins()).concurrentIndexes(!noConcurrentIndexes);
            changes = generation.check(Renames.none());
            planned = generation.preview(Codegen.fileName(name), Renames.none());
        } finally {
            Folders.deleteUnless(false, work);
        }
        PrintWriter out = out();
        if (planned.isEmpty()) {
            out.println("No difference: nothing to write, the databases' public schemas are alike.");
            return 0;
        }
        for (Path file : write(planned)) {
            out.println("wrote " + file);
        }
        CodegenCommand.print(out, changes.steps(), changes.destructive());
        noteSnapshots(out);
        return 0;
    }

    /**
     * The project's snapshots are left as they are: they record its resources, and the tables of --reference-url
     * recorded over them would make the next codegen forget what the resources say. So when the project has snapshots
     * and the migration went into its own migrations folder, it says what to run for codegen to know the change.
     */
    private void noteSnapshots(PrintWriter printed) {
        ProjectLayout layout = project().layout();
        if (Folders.holdsFiles(layout.snapshots()) && Folders.same(target(), layout.migrations(Scope.MAIN))) {
            printed.println("The project's snapshots (" + layout.snapshots() + ") are unchanged, so codegen does not know "
                    + "this migration yet. If the project's resources describe these tables, change them to match "
                    + "the reference, then run 'ashlar codegen --snapshots-only': it records them without writing "
                    + "the change again.");
        }
    }

    /** Where the files go: {@code --out}, else the project's migrations folder. */
    private Path target() {
        return project.dir.resolve(out == null ? Path.of(ProjectLayout.MIGRATIONS) : out);
    }

    private List<Path> write(List<Codegen.PlannedFile> planned) {
        Path target = target();
        Path last = target.getFileName();
        boolean oneFile = last != null && last.toString().endsWith(".sql") && !Files.isDirectory(target);
        if (oneFile && planned.size() > 1) {
            throw ProjectFileException.of(target.toString(), "--out " + target + " names one file, and this change "
                    + "needs " + planned.size() + " (" + String.join(", ", planned.stream().map(f -> f.path()
                    .getFileName().toString()).toList()) + "): some of its steps run only once the file before has "
                    + "committed (an index built concurrently, a constraint validated once added). Give --out a folder"
                    + (noConcurrentIndexes ? "" : ", or pass --no-concurrent-indexes if the files are concurrent "
                    + "index builds"));
        }
        if (!oneFile) {
            requireLatest(target, planned.get(0).path().getFileName().toString());
        }
        List<Path> paths = planned.stream().map(file -> oneFile ? target : target.resolve(file.path().getFileName()))
                .toList();
        for (Path path : paths) {
            if (Files.exists(path)) {
                throw ProjectFileException.of(path.toString(), "--out: " + path + " exists and was kept: nothing is "
                        + "written. Give --out another file or folder, or move that file away");
            }
        }
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            Path path = paths.get(i);
            try {
                Files.createDirectories(path.toAbsolutePath().getParent());
                Files.writeString(path, planned.get(i).text(), StandardOpenOption.CREATE_NEW);
            } catch (IOException e) {
                ProjectFileException failure = ProjectFileException.of(path.toString(), "--out: cannot write " + path
                        + " (" + IoReasons.of(e) + "), nothing is written", e);
                for (Path done : written) {
                    try {
                        Files.deleteIfExists(done);
                    } catch (IOException left) {
                        failure.addSuppressed(left);
                    }
                }
                throw failure;
            }
            written.add(path);
        }
        return written;
    }

    /**
     * Refuses files that would sort before a migration {@code folder} holds: their version is taken from the clock, as
     * the snapshots they were generated from are not the project's, and ashlar migrate applies files in version order.
     */
    private static void requireLatest(Path folder, String first) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        String version = first.substring(0, 14);
        try (Stream<Path> files = Files.walk(folder)) {
            Optional<String> later = files.map(file -> file.getFileName().toString()).filter(file -> VERSION
                    .matcher(file).find() && file.substring(0, 14).compareTo(version) >= 0).max(String::compareTo);
            if (later.isPresent()) {
                throw ProjectFileException.of(folder.resolve(later.get()).toString(), folder + " holds "
                        + later.get() + ", whose version is not before " + first + ": the new file would not be the "
                        + "last to apply. Nothing is written: run again once the clock is past it, or give --out "
                        + "another folder");
            }
        } catch (IOException e) {
            throw ProjectFileException.of(folder.toString(), "--out: cannot list " + folder + " (" + IoReasons.of(e)
                    + ")", e);
        }
    }

    /** A folder of its own for the target's snapshots, deleted after: the project's own snapshots are not touched. */
    private static Path workFolder() {
        try {
            return Files.createTempDirectory("ashlar-diff-changelog");
        } catch (IOException e) {
            throw ProjectFileException.of(System.getProperty("java.io.tmpdir"), "Cannot create a temporary folder for "
                    + "the snapshots of --url: " + e.getMessage(), e);
        }
    }
}
