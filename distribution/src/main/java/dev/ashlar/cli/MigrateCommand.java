package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.DryRun;
import dev.ashlar.kernel.migrate.DryRunText;
import dev.ashlar.kernel.migrate.FileRunner.Direction;
import dev.ashlar.kernel.migrate.MigrateReport;
import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;

import java.util.List;
import java.util.function.UnaryOperator;

@Command(name = "migrate", description = "Apply pending migrations to the main schema, or with --tenants to every "
        + "tenant schema.")
final class MigrateCommand extends HistoryCommand {
    @Mixin
    TenantOptions tenants;

    @Mixin
    TimeoutOptions timeouts;

    @Mixin
    InstallOptions install;

    @Option(names = "--dry-run", description = "Print what would run, file by file, with the table lock each "
            + "statement takes and the file's warnings, and the callback files (beforeMigrate.sql...) where they would "
            + "run; change nothing.")
    boolean dryRun;

    @Option(names = "--script", description = "Print what would run as one SQL script for psql instead (Liquibase's "
            + "update-sql): each file in its own transaction with the row that records it in the migration history; "
            + "change nothing.")
    boolean script;

    @Option(names = "--to", paramLabel = "VERSION", description = "Apply the pending migrations up to this version "
            + "only (default, or latest as Flyway's target: all; current: the newest version applied, so only late and "
            + "repeatable files run; next: the oldest pending version alone); the later ones stay pending.")
    String upTo;

    @Option(names = "--to-tag", paramLabel = "TAG", description = "Apply the pending migrations up to the one whose "
            + "'-- tag: TAG' header names TAG, that one included (Liquibase's update-to-tag); the later ones stay "
            + "pending. Applying a file with such a header tags it in the history, for 'rollback --to-tag'. Main "
            + "schema only.")
    String toTag;

    @Option(names = "--steps", paramLabel = "N", description = "Apply only the next N pending migrations, oldest "
            + "first (Liquibase's update-count); the later ones stay pending.")
    Integer steps;

    @Option(names = "--baseline-on-migrate", paramLabel = "VERSION", arity = "0..1", fallbackValue = "",
            description = "When the main schema holds tables, views, sequences, types or functions but no "
            + "migration history (made by another tool or by hand), first record the migrations up to VERSION (default: the oldest one) as baselined, without "
            + "running them, then apply the rest; VERSION need not be a file's (00000000000000 records none and runs "
            + "them all). Without it such a schema is migrated file by file, or refused with "
            + "--refuse-non-empty-schema. "
            + "An empty schema or one with a history migrates as usual.")
    String baselineOnMigrate;

    @Option(names = "--refuse-non-empty-schema", description = "Refuse, before anything is applied, a main schema "
            + "that holds tables, views, sequences, types or functions but no migration history (made by another tool "
            + "or by hand), as Flyway does; --baseline-on-migrate takes such a schema over instead.")
    boolean refuseNonEmptySchema;

    @Option(names = "--no-out-of-order", description = "Refuse, before anything is applied, a pending migration "
            + "older than the newest applied one (a branch merged late; Flyway's default outOfOrder=false), so that "
            + "every database applies the files in one order; with --tenants, in each tenant schema. Default: apply it "
            + "in version order with the rest.")
    boolean noOutOfOrder;

    @Option(names = "--contexts", paramLabel = "NAME", split = ",", description = "Apply, of the main-schema files "
            + "with a '-- context:' header, those whose expression these contexts satisfy (Liquibase's --contexts, "
            + "comma-separated); files without one always apply. Default: every file.")
    List<String> contexts;

    @Option(names = "--labels", paramLabel = "EXPRESSION", description = "Apply, of the main-schema files with a "
            + "'-- labels:' header, those whose labels satisfy EXPRESSION, e.g. 'billing and !eu' (Liquibase's "
            + "--label-filter); files without labels always apply. Default: every file.")
    String labels;

    @Option(names = "--group", description = "Apply the pending migrations in one transaction, with their history "
            + "rows (Flyway's group): all of them, or, when one fails, none. A pending 'transaction:false' file is "
            + "refused before anything runs. Main schema only.")
    boolean group;

    @Option(names = "--cherry-pick", paramLabel = "VERSION", split = ",", description = "Apply only the pending "
            + "migrations of these versions, comma-separated, in version order (Flyway's cherryPick); the others stay "
            + "pending. A version no file has is refused. Main schema only.")
    List<String> cherryPick;

    @Option(names = "--min-version", paramLabel = "VERSION", description = "Refuse, before anything is applied, a "
            + "main schema whose history ends before this 14-digit version (Ebean's minVersion): after old files were "
            + "squashed away, migrate it to VERSION first with the release that still has them. A schema with no "
            + "history migrates as usual; --dry-run refuses the same. Main schema only.")
    String minVersion;

    @Option(names = "--no-validate", description = "Do not check first that the applied files are unchanged "
            + "(Flyway's validateOnMigrate=false): a warning says a changed applied file was not checked, and the "
            + "pending files apply; a missing applied file still stops the run. Main schema only. Default: a changed "
            + "applied file stops the run.")
    boolean noValidate;

    @Option(names = "--skip-default-callbacks", description = "Do not run the callback files of migrations/ "
            + "(beforeMigrate.sql, afterMigrate.sql, ...; Flyway's skipDefaultCallbacks); the listeners of the "
            + "application's Java code are still told. Main schema only.")
    boolean skipDefaultCallbacks;

    @Option(names = "--skip-executing-migrations", description = "Record the pending migrations the run chooses "
            + "(all, or with --to, --steps or --cherry-pick) as applied without running them, 'baselined' in status "
            + "(Flyway's skipExecutingMigrations): for files applied by hand. Repeatable files are not recorded. Main "
            + "schema only.")
    boolean skipExecuting;

    @Option(names = "--test-rollback", description = "Apply the pending migrations one at a time, roll them back "
            + "newest first checking that each down section leaves the tables, columns, constraints, indexes, triggers "
            + "and policies as they were before its up section, then apply them again (Liquibase's "
            + "update-testing-rollback). For development and CI databases: rows written to what they made are lost.")
    boolean testRollback;

    @Option(names = "--output-query-results", negatable = true, description = "Print the rows that each statement "
            + "of a file returns (a SELECT, an INSERT ... RETURNING) as a table of at most 100 rows (Flyway's "
            + "outputQueryResults; the default, or migrate.output-query-results in ashlar.properties); "
            + "--no-output-query-results prints none. Main schema only: a tenant run prints none whatever it says.")
    Boolean outputQueryResults;

    @Override
    public Integer call() {
        if ((upTo != null || toTag != null || steps != null || baselineOnMigrate != null || contexts != null || labels != null
                || group || cherryPick != null || noValidate || skipDefaultCallbacks || skipExecuting
                || minVersion != null) && tenants.enabled()) {
            throw new ParameterException(spec.commandLine(), (upTo != null ? "--to" : toTag != null ? "--to-tag"
                    : steps != null ? "--steps"
                    : baselineOnMigrate != null ? "--baseline-on-migrate" : contexts != null ? "--contexts"
                    : labels != null ? "--labels" : group ? "--group" : noValidate ? "--no-validate"
                    : skipDefaultCallbacks ? "--skip-default-callbacks"
                    : skipExecuting ? "--skip-executing-migrations" : minVersion != null ? "--min-version"
                    : "--cherry-pick")
                    + " applies to the main schema; tenant schemas take every pending "
                    + "tenant migration ('ashlar baseline --tenants' baselines them)");
        }
        if (steps != null && upTo != null) {
            throw new ParameterException(spec.commandLine(), "Give either --steps or --to, not both: --steps N applies "
                    + "the next N pending migrations, --to VERSION every pending one up to VERSION");
        }
        if (cherryPick != null && (steps != null || upTo != null)) {
            throw new ParameterException(spec.commandLine(), "Give either --cherry-pick or " + (steps != null
                    ? "--steps" : "--to") + ", not both: --cherry-pick VERSION,... applies the pending migrations of "
                    + "those versions only");
        }
        if (testRollback && (group || cherryPick != null)) {
            throw new ParameterException(spec.commandLine(), "--test-rollback applies the pending files one at a time: "
                    + "give it without " + (group ? "--group" : "--cherry-pick (--to VERSION or --steps N choose the "
                    + "files)"));
        }
        if (skipExecuting && (group || testRollback || dryRun || script)) {
            throw new ParameterException(spec.commandLine(), "--skip-executing-migrations records the files without "
                    + "running them: give it without " + (group ? "--group" : testRollback ? "--test-rollback"
                    : script ? "--script" : "--dry-run (ashlar status lists the pending files it would record)"));
        }
        dryRun |= script;
        if (testRollback && (dryRun || tenants.enabled() || baselineOnMigrate != null)) {
            throw new ParameterException(spec.commandLine(), "--test-rollback applies and rolls back the main schema's "
                    + "files: give it without " + (dryRun ? "--dry-run" : tenants.enabled() ? "--tenants"
                    : "--baseline-on-migrate (baseline first with 'ashlar baseline --to VERSION')"));
        }
        MigrateRun run = run();
        if (dryRun && tenants.enabled()) {
            throw new ParameterException(spec.commandLine(), "--dry-run shows the main schema's pending files; run it "
                    + "without --tenants (tenant schemas run the files of tenant_migrations/ the same way)");
        }
        try (Database database = connection.open(project, tenants.jobs(spec.commandLine()))) {
            Project project = project(database).timeouts(timeouts.timeouts());
            project = outputQueryResults == null ? project : project.outputQueryResults(outputQueryResults);
            if (dryRun) {
                List<DryRun> files = project.dryRun(run);
                if (files.stream().noneMatch(DryRun::migration)) {
                    this.project.requireMigrationFolders();
                }
                printDryRun(out(), project, files, Direction.UP, script);
                return 0;
            }
            if (tenants.enabled()) {
                return tenants.run(project, out(), (p, selection) -> p.migrateTenants(selection, run));
            }
            List<MigrationFile> applied = testRollback ? project.migrateTestingRollback(run) : project.migrate(run);
            if (applied.isEmpty()) {
                this.project.requireMigrationFolders();
            }
            MigrateReport report = project.reported(applied);
            String bound = run.toTag() != null ? "the tag " + run.toTag() : run.upTo();
            out().println((applied.isEmpty() ? "Nothing to migrate" + (bound == null ? "" : " up to " + bound)
                    + " in " + database.description() + "."
                    : (skipExecuting ? "Recorded " + applied.size() + " migration(s) without running them in "
                    : "Applied " + applied.size() + " migration(s) to ") + database.description()
                    + (testRollback ? ", after rolling each back and finding the schema as before it." : "."))
                    + " " + report.left("'ashlar status'"));
        }
        return 0;
    }

    /** The run the options ask for; a step count below 1 is bad usage, in picocli's words for a bad value. */
    private MigrateRun run() {
        MigrateRun run = MigrateRun.all().upTo(upTo).outOfOrder(!noOutOfOrder);
        run = steps == null ? run : checked("--steps", run, r -> r.steps(steps));
        run = toTag == null ? run : checked("--to-tag", run, r -> r.upToTag(toTag));
        run = contexts == null ? run : checked("--contexts", run, r -> r.contexts(contexts));
        run = labels == null ? run : checked("--labels", run, r -> r.labels(labels));
        run = cherryPick == null ? run : checked("--cherry-pick", run, r -> r.cherryPick(cherryPick));
        run = minVersion == null ? run : checked("--min-version", run, r -> r.minVersion(minVersion));
        run = run.group(group).validateOnMigrate(!noValidate).skipDefaultCallbacks(skipDefaultCallbacks)
                .skipExecutingMigrations(skipExecuting).refuseNonEmptySchema(refuseNonEmptySchema);
        return baselineOnMigrate == null ? run
                : run.baselineOnMigrate(baselineOnMigrate.isBlank() ? null : baselineOnMigrate.strip());
    }

    /** The run with an option's value, which the run refuses as bad usage naming the option. */
    private MigrateRun checked(String option, MigrateRun run, UnaryOperator<MigrateRun> with) {
        try {
            return with.apply(run);
        } catch (MigrationException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': "
                    + e.getMessage(), e);
        }
    }

    /**
     * Prints what a dry run found: each file, its warnings, and each statement whole with its lock; a callback file
     * where the run runs it, not counted with the migrations; with {@code script}, all of it as a script for psql.
     */
    static void printDryRun(PrintWriter out, Project project, List<DryRun> files, Direction direction, boolean script) {
        if (script) {
            out.print(project.script(files, direction));
            out.flush();
        } else {
            DryRunText.lines(files, direction == Direction.UP ? "would run" : "would be rolled back")
                    .forEach(out::println);
        }
    }
}
