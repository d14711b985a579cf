package dev.ashlar.cli;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The options every project command takes: the project folder, and --verbose. */
final class ProjectOptions {
    @Option(names = {"--dir", "--project"}, paramLabel = "DIR", description = "The project directory, holding migrations/, tenant_migrations/ and "
            + "resource_snapshots/ (default: ${DEFAULT-VALUE}).", defaultValue = ".")
    Path dir;

    @Option(names = "--extra-migrations", paramLabel = "DIR", description = "A folder of main-schema migration files "
            + "read besides the project's migrations/, merged with it by version (Flyway's several locations); "
            + "repeatable. codegen writes into migrations/ only.")
    List<Path> extraMigrations = List.of();

    // Main reads --verbose from the raw arguments, to set up logging before parsing; declared so that it is accepted.
    @Option(names = "--verbose", description = "Show stack traces and the engine's log.")
    boolean verbose;

    /** The project folder, as it is: no domain, no placeholders, no database. */
    Project project() {
        return Project.open(dir).extraMigrations(extraMigrations);
    }

    /** {@link #project()} for a command that reads the project: a folder that is not there is refused. */
    Project existingProject() {
        requireDir();
        return project();
    }

    /**
     * Refuses a --dir that is not a folder: a mistyped path would otherwise read as a project without migrations,
     * and a migrate or status report "up to date" having read nothing.
     */
    void requireDir() {
        if (!Files.isDirectory(dir)) {
            throw ProjectFileException.of(dir.toString(), "The project folder " + dir.toAbsolutePath().normalize()
                    + (Files.exists(dir) ? " is not a folder" : " does not exist") + ": pass --dir with the folder "
                    + "that holds migrations/ (ashlar codegen NAME starts a project in a new folder)");
        }
    }

    /** Whether the project folder holds migrations/ or tenant_migrations/, i.e. any migration could be there. */
    boolean hasMigrationFolders() {
        return Files.isDirectory(dir.resolve(ProjectLayout.MIGRATIONS))
                || Files.isDirectory(dir.resolve(ProjectLayout.TENANT_MIGRATIONS));
    }

    /** Whether the main schema's migrations can be read: a migrations/ folder, or an extra folder given. */
    boolean hasMainMigrations() {
        return Files.isDirectory(dir.resolve(ProjectLayout.MIGRATIONS)) || !extraMigrations.isEmpty();
    }

    /**
     * Refuses a project folder without migrations/ or tenant_migrations/: run from the wrong folder, a migrate
     * would read no file and report the database up to date.
     */
    void requireMigrationFolders() {
        if (!hasMigrationFolders()) {
            throw ProjectFileException.of(dir.toString(), "No " + ProjectLayout.MIGRATIONS + "/ folder in "
                    + dir.toAbsolutePath().normalize() + ", so there is nothing to apply: pass --dir with the folder "
                    + "that holds " + ProjectLayout.MIGRATIONS + "/ (the Maven plugin writes them to "
                    + "src/main/resources/db/ashlar), or write the first migration with 'ashlar codegen NAME'");
        }
    }
}
