package dev.ashlar.cli;

import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Option;

/**
 * {@code --history-table}: for every command that reads or writes the migration history, over
 * {@code migrate.history-table} in {@code ashlar.properties}.
 */
final class HistoryTableOptions implements ProjectSettings {
    @Option(names = "--history-table", paramLabel = "NAME", description = "The table that holds the migration "
            + "history, in the main schema and in every tenant schema (Flyway's table; default: "
            + "ashlar_schema_migrations, or migrate.history-table in ashlar.properties); SCHEMA.NAME keeps the main "
            + "schema's history in SCHEMA, made when missing (Flyway's defaultSchema), each tenant's in its own schema.")
    String historyTable;

    @Override
    public Project applyTo(Project project) {
        return historyTable == null ? project : project.historyTable(historyTable);
    }
}
