package dev.ashlar.cli;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.spi.schema.Scope;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A command that works on a project directory: its options, its output, its main-schema migrator. */
abstract class ProjectCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The migrator of the main schema's migrations, printing its progress. */
    Migrator migrator(Database database) {
        return new Migrator(database.dataSource(), Codegen.migrations(project.dir, Scope.MAIN)).progress(out()::println);
    }
}
