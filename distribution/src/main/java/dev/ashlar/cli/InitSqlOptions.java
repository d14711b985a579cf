package dev.ashlar.cli;

import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Option;

/** {@code --init-sql}: for the commands that migrate, inspect the history or clean, on connections of their own. */
final class InitSqlOptions implements ProjectSettings {
    @Option(names = "--init-sql", paramLabel = "SQL", description = "SQL run on every connection the command opens, "
            + "right after opening it (Flyway's initSql), e.g. 'SET ROLE app_owner' so that what the files make "
            + "belongs to that role; what it sets is given back before a connection is closed.")
    String initSql;

    @Override
    public Project applyTo(Project project) {
        return initSql == null ? project : project.initSql(initSql);
    }
}
