package dev.ashlar.cli;

import dev.ashlar.api.error.ProjectFileException;
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
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw ProjectFileException.of(folder.toString(), "--out: cannot create " + folder + ": " + e.getMessage(),
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
}
