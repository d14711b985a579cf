package dev.ashlar.cli;

import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.project.DevSquash;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.spi.schema.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

@Command(name = "codegen", description = "Write the migrations and snapshots that bring the schema to the resources.")
final class CodegenCommand extends HistoryCommand {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The migration's name, e.g. add_comments.")
    String name;

    @Option(names = "--dev", description = "Write development migrations to iterate on; a later 'codegen NAME' "
            + "rolls them back and squashes them into one.")
    boolean dev;

    @Option(names = "--check", description = "Change nothing; exit 1 and list the changes if migrations are pending.")
    boolean check;

    @Option(names = "--strict", description = "With --check: also exit 1 when the linter finds a statement in the "
            + "migration files that no allow list or comment allows (see 'ashlar lint').")
    boolean strict;

    @Option(names = "--rename", paramLabel = "TABLE.OLD=NEW", description = "A column rename (posts.title=headline) "
            + "or a table rename (posts=articles); without one, a disappeared name is dropped.")
    List<String> renames = new ArrayList<>();

    @Option(names = "--no-input", description = "Never ask questions, even in a terminal.")
    boolean noInput;

    @Option(names = "--discard-dev", description = "Roll back the development migrations (in every tenant schema "
            + "too) and delete them with their snapshots, writing nothing new.")
    boolean discardDev;

    @Option(names = "--target", paramLabel = "DATABASE", description = "postgresql or citus: for a Citus cluster, "
            + "tenant-column tables are distributed by that column with it in their keys, and main tables that tenant "
            + "tables reference become reference tables. The first generation records it; later ones use the recorded "
            + "target (postgresql when none is) and refuse another one unless --switch-target is given.")
    String target;

    @Option(names = "--no-concurrent-indexes", description = "Build indexes on tables that already exist inside the "
            + "migration's transaction, blocking writes to the table during the build, instead of CONCURRENTLY in a "
            + "file of their own (the default).")
    boolean noConcurrentIndexes;

    @Option(names = "--dry-run", description = "Print the migration files a generation would write; write nothing "
            + "(no file, no snapshot).")
    boolean dryRun;

    @Option(names = "--snapshots-only", description = "Record the resources' schema in the snapshots without writing "
            + "a migration: for a database that already has it (adopting Ashlar on an existing schema).")
    boolean snapshotsOnly;

    @Option(names = "--dont-drop-columns", description = "Keep the column of a removed attribute (it becomes nullable) "
            + "instead of dropping it; the snapshot marks it kept, so later generations keep it too.")
    boolean dontDropColumns;

    @Option(names = "--concurrent-indexes", description = "Build every new index on an existing table CONCURRENTLY, "
            + "in a migration file of its own that runs outside a transaction (the default; the flag says so).")
    boolean concurrentIndexes;

    @Option(names = "--switch-target", description = "Switch the project to the --target given: this generation "
            + "changes the tables over (distributes or undistributes them) and records the new target.")
    boolean switchTarget;

    @Mixin
    TimeoutOptions timeouts;

    @Override
    public Integer call() {
        if (strict && !check) {
            throw new ParameterException(spec.commandLine(), "--strict goes with --check (codegen --check --strict)");
        }
        if (concurrentIndexes && noConcurrentIndexes) {
            throw new ParameterException(spec.commandLine(), "--concurrent-indexes and --no-concurrent-indexes "
                    + "contradict each other: give one");
        }
        if (name == null && !dev && !check && !discardDev && !snapshotsOnly) {
            throw new ParameterException(spec.commandLine(), "codegen needs a NAME for the migration (or --dev, --check "
                    + "or --snapshots-only)");
        }
        if (name != null) {
            // Before development migrations are squashed: a name refused afterwards would leave them rolled back.
            Codegen.fileName(name);
        }
        PrintWriter out = out();
        Project project = target(project()).timeouts(timeouts.timeouts())
                .codegenOptions(new Codegen.Options(dontDropColumns, !noConcurrentIndexes));
        if (check) {
            return check(project, out);
        }
        if (snapshotsOnly) {
            List<MigrationStep> recorded = project.recordSnapshots();
            out.println(recorded.isEmpty() ? "The snapshots already match the resources."
                    : "Recorded " + recorded.size() + " change(s) in the snapshots, writing no migration:");
            print(out, recorded, List.of());
            return 0;
        }
        if (dryRun) {
            return dryRun(project, out);
        }
        project.checkRenameHints(Renames.hints(renames));
        DevSquash.Squashed squashed = dev ? null : squash(out);
        if (discardDev) {
            return 0;
        }
        Codegen.Result result = squashed == null ? project.generate(Codegen.DEV, renames())
                : project.generate(name, renames(), squashed);
        if (!result.changed()) {
            out.println("No changes: the migrations already match the resources.");
            return 0;
        }
        print(out, result.steps(), result.destructive());
        result.warnings().forEach(warning -> out.println(warning.message()));
        result.files().forEach(file -> out.println("wrote " + this.project.dir.relativize(file)));
        out.println(nextStep(result.files()));
        return 0;
    }

    /**
     * What applies the files written: {@code migrate} alone leaves tenant_migrations/ to {@code migrate --tenants},
     * which finds the tenant schemas through the domain.
     */
    private String nextStep(List<Path> files) {
        Path tenantFolder = Codegen.migrations(this.project.dir, Scope.TENANT).toAbsolutePath().normalize();
        List<Boolean> inTenantFolder = files.stream()
                .map(file -> file.toAbsolutePath().normalize().startsWith(tenantFolder)).toList();
        boolean tenant = inTenantFolder.contains(true);
        boolean main = inTenantFolder.contains(false);
        if (!tenant) {
            return "Review the files, then run 'ashlar migrate'.";
        }
        return "Review the files, then run " + (main ? "'ashlar migrate', then " : "") + "'ashlar migrate --tenants' "
                + "(with the domain's --classpath), which applies tenant_migrations/ to every tenant schema.";
    }

    /** Prints the files the generation would write, each with its text; writes nothing. */
    private int dryRun(Project project, PrintWriter out) {
        List<Codegen.PlannedFile> files = project.preview(name == null ? Codegen.DEV : name, renames());
        if (files.isEmpty()) {
            out.println("No changes: the migrations already match the resources.");
            return 0;
        }
        for (Codegen.PlannedFile file : files) {
            out.println("would write " + this.project.dir.relativize(file.path()) + ":");
            out.println(file.text());
        }
        out.println("Dry run: nothing was written.");
        return 0;
    }

    private int check(Project project, PrintWriter out) {
        Codegen.Result pending = project.check(renames());
        print(out, pending.steps(), pending.destructive());
        List<String> dev = project.devVersions();
        if (!dev.isEmpty()) {
            out.println(dev.size() + " development migration(s) remain: run 'ashlar codegen NAME' to squash them "
                    + "(or 'ashlar codegen --discard-dev').");
        }
        if (pending.changed()) {
            out.println("A migration is missing for the changes above: run 'ashlar codegen NAME' to write it.");
        } else if (dev.isEmpty()) {
            out.println("Migrations are up to date.");
        }
        int lint = strict ? LintCommand.report(out, project.lint(), true) : 0;
        return pending.changed() || !dev.isEmpty() ? 1 : lint;
    }

    /**
     * A squash or a discard rolls the development migrations back where they were applied, so it needs the database:
     * without one, say so and why, rather than the bare "No database" of a command that always connects.
     */
    private void requireDatabaseFor(List<String> dev) {
        if (connection.url == null || connection.url.isBlank()) {
            throw DatabaseException.of((discardDev ? "Discarding" : "Squashing into '" + name + "'") + " the "
                    + dev.size() + " development migration(s) " + dev + " first rolls them back in the database they "
                    + "were applied to: pass --url jdbc:postgresql://host/db (or postgres://user:password@host/db), or set "
                    + "ASHLAR_DATABASE_URL. Nothing was written");
        }
    }

    /** Rolls back and deletes the development migrations, when there are any. */
    private DevSquash.Squashed squash(PrintWriter out) {
        Project project = project();
        if (project.devVersions().isEmpty()) {
            if (discardDev) {
                out.println("No development migrations to discard.");
            }
            return new DevSquash.Squashed(List.of(), List.of(), 0);
        }
        requireDatabaseFor(project.devVersions());
        try (Database database = connection.open(this.project, 4)) {
            DevSquash.Squashed squashed = project(database).timeouts(timeouts.timeouts()).squashDev();
            String tenants = squashed.tenants() == 0 ? "" : " (rolled back in " + squashed.tenants() + " tenant schema(s))";
            out.println(discardDev ? "Discarded " + squashed.versions().size() + " development migration(s)" + tenants + "."
                    : "Squashing " + squashed.versions().size() + " development migration(s) into '" + name + "'" + tenants
                    + (squashed.renames().isEmpty() ? "" : ", keeping their renames " + squashed.renames()) + ".");
            return squashed;
        }
    }

    /** The project with the target given, switched to it with --switch-target; the recorded one without. */
    private Project target(Project project) {
        if (target == null) {
            if (switchTarget) {
                throw new ParameterException(spec.commandLine(), "--switch-target needs the --target to switch to "
                        + "(postgresql or citus)");
            }
            return project;
        }
        Target chosen;
        try {
            chosen = Target.valueOf(target.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--target is postgresql or citus, not '" + target + "'");
        }
        if (switchTarget && (check || discardDev)) {
            throw new ParameterException(spec.commandLine(), "--switch-target writes a migration: give a NAME (or "
                    + "--dev), not --check or --discard-dev");
        }
        return switchTarget ? project.progress(out()::println).switchTarget(chosen) : project.target(chosen);
    }

    private Renames renames() {
        Console console = System.console();
        if (noInput || console == null) {
            return Renames.hints(renames);
        }
        return Renames.asking(renames, question -> {
            String answer = console.readLine("%s [y/N] ", question);
            return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
        });
    }

    static void print(PrintWriter out, List<MigrationStep> steps, List<String> destructive) {
        steps.forEach(step -> out.println("  " + step.describe()));
        destructive.forEach(reason -> out.println("  DESTRUCTIVE: " + reason));
        steps.forEach(step -> step.rewrites().ifPresent(reason -> out.println("  REWRITES TABLE: " + reason)));
    }
}
