package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.DryRun;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.migrate.SqlStatements;
import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;

import java.util.List;
import java.util.stream.Collectors;

@Command(name = "migrate", description = "Apply pending migrations to the main schema, or with --tenants to every "
        + "tenant schema.")
final class MigrateCommand extends ProjectCommand {
    /** How many lines of a COPY's rows a dry run prints. */
    private static final int SHOWN_LINES = 40;

    @Mixin
    TenantOptions tenants;

    @Mixin
    TimeoutOptions timeouts;

    @Option(names = "--dry-run", description = "Print what would run, file by file, with the table lock each "
            + "statement takes and the file's warnings; change nothing.")
    boolean dryRun;

    @Option(names = "--to", paramLabel = "VERSION", description = "Apply the pending migrations up to this version "
            + "only (default: all); the later ones stay pending.")
    String upTo;

    @Override
    public Integer call() {
        if (upTo != null && tenants.enabled()) {
            throw new ParameterException(spec.commandLine(), "--to applies to the main schema; tenant schemas take "
                    + "every pending tenant migration");
        }
        if (dryRun && tenants.enabled()) {
            throw new ParameterException(spec.commandLine(), "--dry-run shows the main schema's pending files; run it "
                    + "without --tenants (tenant schemas run the files of tenant_migrations/ the same way)");
        }
        try (Database database = project.database(tenants.jobs(spec.commandLine()))) {
            Project project = project(database).timeouts(timeouts.timeouts());
            if (dryRun) {
                List<DryRun> files = project.dryRun(upTo);
                if (files.isEmpty()) {
                    this.project.requireMigrationFolders();
                }
                printDryRun(out(), files, "would run");
                return 0;
            }
            if (tenants.enabled()) {
                return tenants.run(project, out(), Project::migrateTenants);
            }
            List<MigrationFile> applied = project.migrateTo(upTo);
            if (applied.isEmpty()) {
                this.project.requireMigrationFolders();
            }
            out().println((applied.isEmpty() ? "Nothing to migrate" + (upTo == null ? ": " + database.description()
                    + " is up to date." : " up to " + upTo + " in " + database.description() + ".")
                    : "Applied " + applied.size() + " migration(s) to " + database.description() + ".")
                    + (upTo == null ? "" : laterPending(project)));
        }
        return 0;
    }

    /** After {@code --to}, how many files stay pending, so that the database is not taken to be up to date. */
    private static String laterPending(Project project) {
        long pending = project.status().stream().filter(MigrationStatus::toRun).count();
        return pending == 0 ? " Nothing is pending." : " " + pending + " migration(s) stay pending: 'ashlar status' "
                + "lists them.";
    }

    /** Prints what a dry run found: each file, its warnings, and each statement whole with its lock. */
    static void printDryRun(PrintWriter out, List<DryRun> files, String would) {
        out.println(files.isEmpty() ? "Nothing to " + (would.contains("roll") ? "roll back." : "migrate.")
                : files.size() + " file(s) " + would + ":");
        for (DryRun file : files) {
            out.println(file.file().fileName() + (file.transactional() ? "" : " (outside a transaction)"));
            file.warnings().forEach(warning -> out.println("  warning: " + warning));
            for (DryRun.Statement statement : file.statements()) {
                out.println(shown(statement.sql()) + "\n    lock: " + statement.lock());
            }
        }
    }

    /**
     * A statement as it will run, as Liquibase's update-sql and Flyway's dry run print it: whole, from its first line of
     * SQL (the comments above it are the file's), indented; only a COPY's rows are cut after {@link #SHOWN_LINES} lines.
     */
    private static String shown(String sql) {
        List<String> lines = sql.lines().dropWhile(l -> l.isBlank() || l.strip().startsWith("--")).toList();
        if (lines.isEmpty()) {
            lines = sql.lines().toList();
        }
        int shown = SqlStatements.copiesFromStdin(sql) ? SHOWN_LINES : lines.size();
        String text = lines.stream().limit(shown).map(l -> "  " + l).collect(Collectors.joining("\n"));
        return lines.size() > shown ? text + "\n  ... (" + (lines.size() - shown) + " more lines)" : text;
    }
}
