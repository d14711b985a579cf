package dev.ashlar.cli;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.layout.IoReasons;
import dev.ashlar.kernel.layout.ProjectLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

@Command(name = "snapshot", description = "Write a live database's snapshots (Liquibase's snapshot): the tables of "
        + "its public schema as the JSON files codegen starts from and check compares with, under "
        + "DIR/resource_snapshots/, one file per table. Run again on the same folder, it adds a file for each table "
        + "that changed since.")
final class SnapshotCommand extends ProjectCommand {
    @Mixin
    DatabaseOptions connection;

    @Mixin
    ClasspathOptions classpath;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write them in (its "
            + ProjectLayout.SNAPSHOTS + "/ folder), under the project directory unless absolute; a project folder "
            + "of its own, so that 'ashlar check --dir DIR' and 'ashlar codegen --dir DIR' read them.")
    Path out;

    @Mixin
    PublicSchemaOption schema;

    @Override
    public Integer call() {
        schema.require();
        Path folder = project.dir.resolve(out);
        requireNotAProjects(folder);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw ProjectFileException.of(folder.toString(), "--out: cannot create the folder " + folder + " ("
                    + IoReasons.of(e) + "): give --out a folder, new or of earlier snapshots, in a place you can write",
                    e);
        }
        try (Database database = connection.open(project)) {
            int changed = LiveDomain.record(database, project().historyTable(), classpath.plugins(), folder,
                    spec.commandLine().getErr());
            out().println((changed == 0 ? "no table changed since the latest snapshots in " : "recorded " + changed
                    + " change(s) of " + database.description() + " in ") + folder.resolve(ProjectLayout.SNAPSHOTS));
        }
        return 0;
    }

    /**
     * Refuses a folder whose snapshots are a project's own (the project folder, or one holding migrations): they
     * record the project's resources, which codegen generates from, and the database's tables would replace them.
     * A folder of snapshots written by this command, or an empty one, is fine.
     */
    private void requireNotAProjects(Path folder) {
        Path snapshots = folder.resolve(ProjectLayout.SNAPSHOTS);
        boolean project = Folders.same(folder, this.project.dir)
                || Files.isDirectory(folder.resolve(ProjectLayout.MIGRATIONS))
                || Files.isDirectory(folder.resolve(ProjectLayout.TENANT_MIGRATIONS));
        if (project && Folders.holdsFiles(snapshots)) {
            throw ProjectFileException.of(snapshots.toString(), "--out " + out + ": " + snapshots + " holds a "
                    + "project's own snapshots, which codegen generates its next migration from: the database's tables "
                    + "would be recorded over them. Nothing was written. Give --out a folder of its own (e.g. --out "
                    + "live-state), then compare with 'ashlar check --dir live-state'");
        }
    }
}
