package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.MigrationLocks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "locks", description = "Show who holds the migration locks of the database (Liquibase's list-locks): "
        + "each session's pid, user, application and address, and the host, process and time of the run that took "
        + "it. With --release PID, end that session (Liquibase's release-locks), for a holder whose machine or network "
        + "is gone while the server keeps its session: a run still going on records nothing more, its file in "
        + "progress rolled back.")
final class LocksCommand extends ProjectCommand {
    @Mixin
    DatabaseOptions connection;

    @Mixin
    InitSqlOptions initSql;

    @Option(names = "--release", paramLabel = "PID", description = "End the session of PID, which must hold a "
            + "migration lock ('ashlar locks' lists them), and wait until the lock is free. Needs the holder's user, "
            + "a superuser or a member of pg_signal_backend.")
    Integer release;

    @Override
    public Integer call() {
        try (Database database = connection.open(project)) {
            if (release != null) {
                MigrationLocks.Held ended = project(database).releaseLock(release);
                out().println("Ended the session of pid " + ended.pid() + ", which held " + ended.name() + " in "
                        + database.description() + ": the lock is free.");
                return 0;
            }
            List<MigrationLocks.Held> held = project(database).locks();
            if (held.isEmpty()) {
                out().println("No migration lock is held in " + database.description() + ".");
            } else {
                out().println(held.size() + " migration lock(s) held in " + database.description() + ":");
                held.forEach(lock -> out().println("  " + lock.describe()));
            }
        }
        return 0;
    }
}
