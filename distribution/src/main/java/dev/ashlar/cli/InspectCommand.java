package dev.ashlar.cli;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.kernel.inspect.DatabaseInspector;
import dev.ashlar.kernel.inspect.InspectedDomain;
import dev.ashlar.kernel.inspect.InspectedTable;
import dev.ashlar.kernel.layout.IoReasons;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.kernel.snapshot.SnapshotStore;
import dev.ashlar.spi.schema.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import javax.lang.model.SourceVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

@Command(name = "inspect", aliases = "gen-resources", description = "Read a live database's tables and write the Java "
        + "resources that describe them (a DomainProvider), recording that state as the project's snapshots so that "
        + "the next codegen writes nothing. Also named gen-resources, after AshPostgres's gen.resources.")
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

    @Option(names = "--tables", split = ",", paramLabel = "TABLE", description = "Only these tables, e.g. "
            + "--tables posts,comments (default: every table of the schema); a foreign key to a table left out "
            + "is written as a TODO.")
    List<String> tables = new ArrayList<>();

    @Option(names = "--force", description = "Overwrite the class's file when it exists (it is kept otherwise).")
    boolean force;

    @Override
    public Integer call() {
        Path file = project.dir.resolve(out).resolve(packageName.replace('.', '/')).resolve(className + ".java");
        checkTarget(file);
        // Inspecting starts a project: its folder may be new.
        createFolder(project.dir);
        try (Database database = connection.open(project)) {
            InspectedDomain inspected = new InspectedDomain(className.toLowerCase(Locale.ROOT), new DatabaseInspector(
                    database.dataSource(), schema, project().historyTable()).tables(tables.stream().map(String::strip)
                    .filter(table -> !table.isEmpty()).toList()), new PluginSections());
            // Built before the file is written: a name the domain refuses fails the command with nothing written.
            Domain domain = inspected.domain();
            refuseImported(inspected.importedNames());
            checkSnapshots(inspected);
            Path source = write(file, inspected.javaSource(packageName, className));
            out().println("wrote " + source + " (" + inspected.tables().size() + " table(s))");
            inspected.tables().forEach(table -> table.notes().forEach(note -> spec.commandLine().getErr()
                    .println("TODO not in the resources: " + table.name() + ": " + note)));
            List<MigrationStep> recorded = project().domain(domain, classpath.plugins()).recordSnapshots();
            out().println("recorded " + recorded.size() + " change(s) in " + project.dir.resolve("resource_snapshots")
                    + ": the next codegen starts from this database. List " + packageName + "." + className
                    + " in META-INF/services/dev.ashlar.api.resource.DomainProvider, or pass --domain.");
        }
        return 0;
    }

    /** Refuses a class or package Java cannot name, and a file that exists without --force, before connecting. */
    private void checkTarget(Path file) {
        if (!SourceVersion.isName(className) || className.contains(".")) {
            throw new ParameterException(spec.commandLine(), "--class '" + className + "' is not a Java class name: "
                    + "give a name such as DatabaseDomain (letters, digits, _ and $, not a keyword)");
        }
        refuseImported(InspectedDomain.IMPORTED);
        if (!SourceVersion.isName(packageName)) {
            throw new ParameterException(spec.commandLine(), "--package '" + packageName + "' is not a Java package "
                    + "name: give one such as com.example.db (each part letters, digits and _, not a keyword)");
        }
        if (Files.exists(file) && !force) {
            throw ProjectFileException.of(file.toString(), file + " exists and was kept: pass --force to overwrite "
                    + "it");
        }
    }

    private void refuseImported(List<String> imported) {
        if (imported.contains(className)) {
            throw new ParameterException(spec.commandLine(), "--class '" + className + "' is the name of a type the "
                    + "generated file imports, so it would not compile: give another name, such as DatabaseDomain");
        }
    }

    /**
     * Refuses an inspection that leaves out a table the snapshots hold: a project has one domain, so recording this one
     * would mark that table dropped and the next codegen would write its DROP TABLE.
     */
    private void checkSnapshots(InspectedDomain inspected) {
        Set<String> inspectedNames = inspected.tables().stream().map(InspectedTable::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        List<Table> outside = new SnapshotStore(project.dir).latest().values().stream()
                .filter(table -> table.scope() != Scope.MAIN || !schema.equals(table.schema())
                        || !inspectedNames.contains(table.name())).toList();
        if (outside.isEmpty()) {
            return;
        }
        Set<String> together = new LinkedHashSet<>(outside.stream().filter(table -> table.scope() == Scope.MAIN
                && schema.equals(table.schema())).map(Table::name).toList());
        together.addAll(inspectedNames);
        Path snapshots = project.dir.resolve("resource_snapshots");
        String keys = outside.stream().map(Table::key).collect(Collectors.joining(", "));
        throw ProjectFileException.of(snapshots.toString(), "Nothing was written: the project's snapshots hold table"
                + (outside.size() == 1 ? " " : "s ") + keys
                + ", which this inspection leaves out. A project has one domain, so recording this inspection would "
                + "mark " + (outside.size() == 1 ? "it" : "them") + " dropped and the next codegen would write "
                + "DROP TABLE. Inspect the tables together into the one class (--tables " + String.join(",", together)
                + " --force, which rewrites " + className + ".java), or add the new tables' resources to the "
                + "existing class by hand and run 'ashlar codegen --snapshots-only'.");
    }

    private Path write(Path file, String java) {
        createFolder(file.getParent());
        try {
            Files.writeString(file, java);
            return file;
        } catch (IOException e) {
            throw ProjectFileException.of(file.toString(), "Cannot write " + file + ": " + IoReasons.of(e), e);
        }
    }

    private static void createFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw ProjectFileException.of(folder.toString(), "Cannot create the folder " + folder + ": " + IoReasons.of(e)
                    + "; give --out a folder in a place you can write", e);
        }
    }
}
