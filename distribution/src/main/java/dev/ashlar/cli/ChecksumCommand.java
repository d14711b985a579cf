package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.FileChecksum;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "checksum", description = "Print the checksum of a main-schema migration file as the history records "
        + "it, and the one the history holds for it (Liquibase's calculate-checksum). Exits 0 when they agree or the "
        + "file is not applied, 5 when the applied file changed since ('ashlar repair' records its new text).")
final class ChecksumCommand extends HistoryCommand {
    @Parameters(paramLabel = "FILE", description = "The file's name (20260101000000_create_posts.sql, R__views.sql) "
            + "or its version.")
    String file;

    @Override
    public Integer call() {
        try (Database database = connection.open(project)) {
            FileChecksum checksum = project(database).checksum(file);
            out().println(checksum.file() + "  " + checksum.algorithm() + ":" + checksum.checksum());
            if (checksum.recorded() == null) {
                out().println("Not applied in " + database.description() + ".");
                return 0;
            }
            out().println(checksum.holds() ? "The history of " + database.description() + " " + checksum.held() + "."
                    : "The history of " + database.description() + " holds " + checksum.recorded() + ": the file "
                    + "changed since it was applied ('ashlar repair' records its new text).");
            return checksum.holds() ? 0 : StatusCommand.CHANGED;
        }
    }
}
