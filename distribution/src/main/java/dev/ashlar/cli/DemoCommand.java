package dev.ashlar.cli;

import dev.ashlar.cli.demo.DemoDomain;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.spi.schema.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** The whole journey on an embedded PostgreSQL, on the sample blog domain. */
@Command(name = "demo", description = "Run the whole journey on an embedded PostgreSQL with a sample domain.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", description = "Where to write and keep the demo project (default: a temporary folder, "
            + "deleted at the end).")
    Path dir;

    @Option(names = "--url", hidden = true, description = "Ignored: the demo always starts its own embedded PostgreSQL.")
    String ignoredUrl;

    private PrintWriter out;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        Path project = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("ashlar-demo-");
        Plugins plugins = Plugins.discover(DemoCommand.class.getClassLoader());
        heading("Ashlar demo: project in " + project);
        out.println("Starting an embedded PostgreSQL ...");
        out.flush();
        try (Database database = Database.throwaway(4)) {
            Migrator migrator = new Migrator(database.dataSource(), Codegen.migrations(project, Scope.MAIN))
                    .progress(line -> out.println("  " + line));

            heading("1. ashlar codegen create_blog   (users, posts, comments)");
            generate(project, DemoDomain.first(), plugins, "create_blog");
            heading("2. ashlar migrate");
            migrator.migrate();
            heading("3. ashlar status");
            StatusCommand.print(out, migrator.status());

            heading("4. The domain changes: posts get published_at, longer titles and indexes; users an update "
                    + "trigger; comments a required rating");
            generate(project, DemoDomain.second(), plugins, "add_publishing");
            heading("5. ashlar migrate");
            migrator.migrate();
            StatusCommand.print(out, migrator.status());
            heading("6. ashlar codegen --check");
            boolean pending = new Codegen(project, DemoDomain.second(), plugins, Renames.none(), Clock.systemUTC())
                    .check().changed();
            out.println(pending ? "Migrations are pending." : "Migrations are up to date.");
            heading("7. The data layer: create, read, update, upsert, destroy, and refusals explained");
            new DemoData(out, DemoDomain.second()).show(database.dataSource());
        }
        heading("8. Multitenancy: a schema per organization (the guide's example), in a second project and database");
        try (Database workspace = Database.throwaway(6)) {
            new DemoTenants(out, plugins).show(workspace.dataSource(), project.resolve("workspace"));
        }
        heading(dir != null ? "Done. The generated files are in " + project
                : "Done. (Run 'ashlar demo --dir FOLDER' to keep the generated files.)");
        Folders.deleteUnless(dir != null, project);
        return 0;
    }

    private void generate(Path project, Domain domain, Plugins plugins, String name) throws IOException {
        Codegen.Result result = new Codegen(project, domain, plugins, Renames.none(), Clock.systemUTC()).generate(name);
        CodegenCommand.print(out, result.steps(), result.destructive());
        if (result.files().isEmpty()) {
            throw new AshlarException(ErrorCode.MIGRATION, "The demo expected codegen to write a migration");
        }
        for (Path file : result.files()) {
            out.println("\n--- " + project.relativize(file) + " ---");
            out.print(Files.readString(file));
        }
    }

    private void heading(String text) {
        out.println();
        out.println("== " + text);
        out.flush();
    }
}
