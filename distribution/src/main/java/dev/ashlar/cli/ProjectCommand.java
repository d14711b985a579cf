package dev.ashlar.cli;

import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A command that works on a project directory: its options, its output, its {@link Project}. Beside
 * {@link ProjectOptions}, a command takes as mixins only the option groups it uses ({@link DatabaseOptions},
 * {@link DomainOptions}, {@link ClasspathOptions}, {@link PlaceholderOptions}; a {@link HistoryCommand} takes all),
 * so that its help lists and its parsing accepts nothing that would do nothing there.
 */
abstract class ProjectCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The project folder with what the command's option groups set on it; the folder may not exist yet. */
    Project project() {
        return configured(project.project());
    }

    /** {@link #project()} for a command that reads the project: a folder that is not there is refused. */
    Project existingProject() {
        return configured(project.existingProject());
    }

    /** The project on this database, printing its progress. */
    Project project(Database database) {
        return existingProject().dataSource(database.dataSource()).progress(out()::println);
    }

    private Project configured(Project folder) {
        Project configured = folder;
        for (CommandSpec mixin : spec.mixins().values()) {
            if (mixin.userObject() instanceof ProjectSettings settings) {
                configured = settings.applyTo(configured);
            }
        }
        return configured;
    }
}
