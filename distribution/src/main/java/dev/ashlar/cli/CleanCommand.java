package dev.ashlar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "clean", description = "Drop everything the migrations made, so that the next 'migrate' starts from "
        + "nothing: every tenant schema, the schemas of main resources other than public, and every table, view, "
        + "sequence, function, type and extension in public, with the migration history. For development and test "
        + "databases only: refused unless --enable-clean is given.")
final class CleanCommand extends ProjectCommand {
    @Mixin
    DatabaseOptions connection;

    @Mixin
    InitSqlOptions initSql;

    /** The tenant schemas it drops are those holding a history of this name. */
    @Mixin
    HistoryTableOptions historyTable;

    @Option(names = "--enable-clean", description = "Allow clean to run (it is disabled by default, as Flyway's "
            + "cleanDisabled=true).")
    boolean enabled;

    @Override
    public Integer call() {
        if (!enabled) {
            // Refused before connecting: no embedded server is started, no database asked, only to say no.
            existingProject().clean();
        }
        try (Database database = connection.open(project)) {
            // Each line was printed as it was dropped, as progress.
            List<String> dropped = project(database).cleanEnabled(enabled).clean();
            out().println(dropped.isEmpty() ? "Nothing to clean in " + database.description() + "."
                    : "Cleaned " + database.description() + ": dropped " + dropped.size() + " object(s).");
        }
        return 0;
    }
}
