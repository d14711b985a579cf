package dev.ashlar.cli;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.kernel.inspect.DatabaseInspector;
import dev.ashlar.kernel.inspect.InspectedDomain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

@Command(name = "inspect", description = "Read a live database's tables and write the Java resources that describe "
        + "them (a DomainProvider), recording that state as the project's snapshots so that the next codegen "
        + "writes nothing.")
final class InspectCommand extends ProjectCommand {
    @Mixin
    DatabaseOptions connection;

    @Mixin
    ClasspathOptions classpath;

    @Option(names = "--package", required = true, paramLabel = "PACKAGE", description = "The package of the "
            + "generated class, e.g. com.example.db.")
    String packageName;

    @Option(names = "--class", paramLabel = "NAME", defaultValue = "DatabaseDomain", description = "The generated "
            + "class's name (default: ${DEFAULT-VALUE}).")
    String className;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "src/main/java", description = "The source folder "
            + "to write it in, under the project directory unless absolute (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--schema", paramLabel = "SCHEMA", defaultValue = "public", description = "The schema to read (default: ${DEFAULT-VALUE}).")
    String schema;

    @Override
    public Integer call() {
        // Inspecting starts a project: its folder may be new.
        createFolder(project.dir);
        try (Database database = connection.open(project)) {
            InspectedDomain inspected = new InspectedDomain(className.toLowerCase(Locale.ROOT), new DatabaseInspector(
                    database.dataSource(), schema, project().historyTable()).tables(), new PluginSections());
            Path source = write(inspected.javaSource(packageName, className));
            out().println("wrote " + source + " (" + inspected.tables().size() + " table(s))");
            inspected.tables().forEach(table -> table.notes().forEach(note -> out().println("not in the resources: "
                    + table.name() + ": " + note)));
            List<MigrationStep> recorded = project().domain(inspected.domain(), classpath.plugins())
                    .recordSnapshots();
            out().println("recorded " + recorded.size() + " change(s) in " + project.dir.resolve("resource_snapshots")
                    + ": the next codegen starts from this database. List " + packageName + "." + className
                    + " in META-INF/services/dev.ashlar.api.resource.DomainProvider, or pass --domain.");
        }
        return 0;
    }

    private Path write(String java) {
        Path folder = project.dir.resolve(out).resolve(packageName.replace('.', '/'));
        Path file = folder.resolve(className + ".java");
        createFolder(folder);
        try {
            Files.writeString(file, java);
            return file;
        } catch (IOException e) {
            throw ProjectFileException.of(file.toString(), "Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw ProjectFileException.of(folder.toString(), "Cannot create " + folder + ": " + e.getMessage(), e);
        }
    }
}
