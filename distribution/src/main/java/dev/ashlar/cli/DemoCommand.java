package dev.ashlar.cli;

import dev.ashlar.cli.demo.DemoDomain;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** The whole journey on an embedded PostgreSQL, on the sample blog domain. */
@Command(name = "demo", description = "Run the whole journey on an embedded PostgreSQL with a sample domain.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write and keep the demo project (default: a temporary folder, "
            + "deleted at the end).")
    Path dir;

    // Main reads --verbose from the raw arguments (to set up logging before parsing); declared here so that
    // the demo accepts it, as every other command does through ProjectOptions.
    @Option(names = "--verbose", description = "Show stack traces and the engine's log.")
    boolean verbose;

    private PrintWriter out;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        if (dir != null && Files.exists(dir) && !isEmptyFolder(dir)) {
            // The demo's first codegen would otherwise start from the earlier run's snapshots and drop what it added.
            throw new ParameterException(spec.commandLine(), "--dir " + dir + " is not an empty folder: the demo "
                    + "writes a new project; give a new or empty folder, or delete that one");
        }
        Path project = dir != null ? created(dir) : Files.createTempDirectory("ashlar-demo-");
        if (dir != null) {
            return show(project);
        }
        // Ctrl-C ends the JVM without unwinding this thread: a shutdown hook deletes the temporary project then.
        Thread cleanUp = new Thread(() -> deleteQuietly(project), "ashlar-demo-clean-up");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try {
            return show(project);
        } finally {
            Folders.deleteUnless(false, project);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanUp);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it finds the folder gone
            }
        }
    }

    private Integer show(Path project) throws IOException {
        Plugins plugins = Plugins.discover(DemoCommand.class.getClassLoader());
        heading("Ashlar demo: project in " + project);
        out.println("Starting an embedded PostgreSQL ...");
        out.flush();
        try (Database database = Database.throwaway(4)) {
            Project blog = Project.open(project).dataSource(database.dataSource())
                    .progress(line -> out.println("  " + line));
            Project first = blog.domain(DemoDomain.first(), plugins);
            Project second = blog.domain(DemoDomain.second(), plugins);

            heading("1. ashlar codegen create_blog   (users, posts, comments)");
            generate(first, "create_blog");
            heading("2. ashlar migrate");
            first.migrate();
            heading("3. ashlar status");
            StatusCommand.print(out, first.status());

            heading("4. The domain changes: posts get published_at, longer titles and indexes; users an update "
                    + "trigger; comments a required rating");
            generate(second, "add_publishing");
            heading("5. ashlar migrate, then ashlar status");
            second.migrate();
            StatusCommand.print(out, second.status());
            heading("6. ashlar codegen --check, then ashlar lint");
            out.println(second.check(Renames.none()).changed() ? "A migration is missing." : "Migrations are up to date.");
            LintCommand.report(out, second.lint(), false);
            heading("7. The data layer: create, read, update, upsert, destroy, and refusals explained");
            new DemoData(out, DemoDomain.second()).show(database.dataSource());
        }
        heading("8. Multitenancy: a schema per organization (the guide's example), in a second project and database");
        try (Database workspace = Database.throwaway(6)) {
            new DemoTenants(out, plugins).show(workspace.dataSource(), project.resolve("workspace"));
        }
        heading(dir != null ? "Done. The generated files are in " + project
                : "Done. (Run 'ashlar demo --dir FOLDER' to keep the generated files.)");
        return 0;
    }

    /** The --dir folder, made with its parents; one that cannot be made is named with why, not as a bare path. */
    private Path created(Path folder) {
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            String why = e instanceof FileAlreadyExistsException taken ? taken.getFile() + " is a file, not a folder"
                    : e instanceof AccessDeniedException denied ? "permission denied on " + denied.getFile()
                    : e instanceof FileSystemException failed && failed.getReason() != null
                    ? failed.getFile() + ": " + failed.getReason() : String.valueOf(e.getMessage());
            throw new ParameterException(spec.commandLine(), "--dir " + folder + " cannot be made (" + why + "): give a "
                    + "new or empty folder in a place you can write");
        }
    }

    private static boolean isEmptyFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }

    private void deleteQuietly(Path project) {
        try {
            Folders.deleteUnless(false, project);
        } catch (AshlarException e) {
            System.err.println("error: " + e.getMessage());
        }
    }

    private void generate(Project project, String name) throws IOException {
        Codegen.Result result = project.generate(name, Renames.none());
        CodegenCommand.print(out, result.steps(), result.destructive());
        if (result.files().isEmpty()) {
            throw new AshlarException(ErrorCode.MIGRATION, "The demo expected codegen to write a migration");
        }
        for (Path file : result.files()) {
            out.println("\n--- " + project.layout().root().relativize(file) + " ---");
            out.print(Files.readString(file));
        }
    }

    private void heading(String text) {
        out.println();
        out.println("== " + text);
        out.flush();
    }
}
