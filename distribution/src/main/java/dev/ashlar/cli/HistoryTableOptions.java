package dev.ashlar.cli;

import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Option;

/**
 * {@code --history-table} and {@code --accept-history-left-behind}: for every command that reads or writes the
 * migration history, over {@code migrate.history-table} and {@code migrate.accept-history-left-behind} in
 * {@code ashlar.properties}.
 */
final class HistoryTableOptions implements ProjectSettings {
    @Option(names = "--history-table", paramLabel = "NAME", description = "The table that holds the migration "
            + "history, in the main schema and in every tenant schema (Flyway's table; default: "
            + "ashlar_schema_migrations, or migrate.history-table in ashlar.properties); SCHEMA.NAME keeps the main "
            + "schema's history in SCHEMA, made when missing (Flyway's defaultSchema), each tenant's in its own schema.")
    String historyTable;

    @Option(names = "--accept-history-left-behind", description = "With --history-table SCHEMA.NAME: a history left "
            + "in the main schema (another application's, or an old one kept on purpose) is accepted and SCHEMA.NAME "
            + "starts empty, rather than refused as a history the setting moved but the database did not "
            + "(migrate.accept-history-left-behind in ashlar.properties).")
    Boolean acceptHistoryLeftBehind;

    @Override
    public Project applyTo(Project project) {
        Project named = historyTable == null ? project : project.historyTable(historyTable);
        return acceptHistoryLeftBehind == null ? named : named.acceptHistoryLeftBehind(acceptHistoryLeftBehind);
    }
}
