package dev.ashlar.cli;

import dev.ashlar.kernel.project.Project;

/**
 * A group of options that sets something on the command's {@link Project}. A command takes only the groups it uses,
 * as picocli mixins: {@link ProjectCommand#project()} applies every one the command has, so an option that would
 * do nothing in a command is not one of its options.
 */
interface ProjectSettings {
    Project applyTo(Project project);
}
