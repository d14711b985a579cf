package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.tenant.TenantStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

@Command(name = "status", description = "Show which migrations are applied and which are pending. Exits 0 when "
        + "everything is applied, 3 when migrations are pending, 4 when an applied file is missing, 5 when one changed, "
        + "6 when a transaction:false file failed part way (the highest applies).")
final class StatusCommand extends HistoryCommand {
    static final int PENDING = 3;
    static final int MISSING = 4;
    static final int CHANGED = 5;
    static final int FAILED = 6;

    @Mixin
    TenantOptions tenants;

    @Option(names = "--target", paramLabel = "VERSION", description = "Show the pending migrations after this version "
            + "as above-target, as Flyway's info with a target: 'ashlar migrate --to VERSION' leaves them pending, and "
            + "they do not make the exit code 3 (latest: every file; current: the newest version applied; next: the oldest pending one). A version "
            + "no file has is refused, naming the nearest. Main schema only.")
    String target;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (a line a "
            + "migration) or json, for a script or a CI step (Flyway's -outputType=json): the schema, the pending count "
            + "and each migration's version, name, state, time applied, installed-by, deployment, tags and detail; "
            + "the exit code is the same (default: ${DEFAULT-VALUE}). Main schema only.")
    Format format;

    enum Format { text, json }

    @Override
    public Integer call() {
        try (Database database = connection.open(project)) {
            if (tenants.enabled()) {
                if (format == Format.json) {
                    throw new ParameterException(spec.commandLine(), "--format json lists the main schema's "
                            + "migrations; tenant schemas are listed by whether they have pending files: give it "
                            + "without --tenants");
                }
                if (target != null) {
                    throw new ParameterException(spec.commandLine(), "--target shows the main schema's files against "
                            + "a version; tenant schemas are listed by whether they have pending files: give it "
                            + "without --tenants");
                }
                TenantStatus status = project(database).tenantStatus(tenants.selection());
                printTenants(status);
                return status.pending().isEmpty() ? 0 : PENDING;
            }
            Project opened = project(database);
            List<MigrationStatus> statuses = opened.status(target);
            if (format == Format.json) {
                out().println(StatusJson.of(opened.historyTable(), statuses, opened.tags()));
            } else {
                print(out(), statuses, opened.tags());
            }
            if (format == Format.text && count(statuses, MigrationStatus.State.MISSING) > 0
                    && !project.hasMainMigrations()) {
                out().println("There is no migrations/ folder in " + project.dir.toAbsolutePath().normalize() + ": run "
                        + "this in the project folder, or pass --dir with the folder that holds migrations/.");
            }
            return switch (MigrationStatus.worst(statuses)) {
                case APPLIED, BASELINED, JAVA, FUTURE, ABOVE_TARGET -> 0;
                case PENDING, OUTDATED, PARTIAL -> PENDING;
                case MISSING -> MISSING;
                case CHANGED -> CHANGED;
                case FAILED -> FAILED;
            };
        }
    }

    private void printTenants(TenantStatus status) {
        PrintWriter out = out();
        out.println(status.tenants() + " tenant schema(s), " + status.pending().size() + " with pending migrations"
                + (status.pending().isEmpty() ? "." : ": run 'ashlar migrate --tenants'."));
        status.pending().stream().limit(20).forEach(schema -> out.println("  pending  " + schema));
        if (status.pending().size() > 20) {
            out.println("  ... and " + (status.pending().size() - 20) + " more");
        }
        if (!status.nodes().isEmpty()) {
            out.println("On Citus: " + status.perNode().entrySet().stream().map(e -> e.getValue() + " on " + e.getKey())
                    .collect(Collectors.joining(", ")) + ".");
            status.nodes().entrySet().stream().sorted(Map.Entry.comparingByKey()).limit(20)
                    .forEach(e -> out.println("  node  " + e.getKey() + "  " + e.getValue()));
        }
        status.strays().forEach(schema -> out.println("  not a tenant  " + schema + " (has a migration history but is "
                + "not in the tenant list; left alone)"));
    }

    /**
     * The width of the state column: the longest state's name ({@code baselined}), so that the versions align; but
     * for {@code above-target}, shown only with {@code --target}, which stands out by its length.
     */
    private static final int STATE_WIDTH = Arrays.stream(MigrationStatus.State.values())
            .filter(state -> state != MigrationStatus.State.ABOVE_TARGET)
            .mapToInt(state -> state.name().length()).max().orElse(0);

    static void print(PrintWriter out, List<MigrationStatus> statuses) {
        print(out, statuses, Map.of());
    }

    /** The statuses, each applied migration with the tags that mark it ({@code ashlar tag}). */
    static void print(PrintWriter out, List<MigrationStatus> statuses, Map<String, String> tags) {
        if (statuses.isEmpty()) {
            out.println("No migrations yet: run 'ashlar codegen NAME' (or pass --dir with the folder that holds "
                    + "migrations/).");
            return;
        }
        List<MigrationStatus> late = MigrationStatus.outOfOrder(statuses);
        for (MigrationStatus status : statuses) {
            out.printf("  %-" + STATE_WIDTH + "s %s%s%n", status.stateName(),
                    status.label() + tagsOf(status, tags), status.appliedAt() != null ? "  (applied " + status.appliedAt()
                    + (status.installedBy() == null ? "" : " by " + status.installedBy())
                    + (status.deploymentId() == null ? "" : " in deployment " + status.deploymentId())
                    + (status.renamed() ? " as " + status.appliedName() + "; 'ashlar repair' records the new name"
                    : "") + ")" : late.contains(status) ? "  (out of order: older than "
                    + MigrationStatus.newestApplied(statuses) + ", applied; --no-out-of-order refuses it"
                    + (status.detail() == null ? "" : "; " + status.detail()) + ")"
                    : status.detail() != null ? "  (" + status.detail() + ")" : "");
        }
        long pending = statuses.stream().filter(MigrationStatus::toRun).count();
        long future = count(statuses, MigrationStatus.State.FUTURE);
        long above = count(statuses, MigrationStatus.State.ABOVE_TARGET);
        if (above > 0) {
            out.println(above + " above the target (above-target): 'ashlar migrate --to' that version leaves them "
                    + "pending.");
        }
        if (future > 0) {
            out.println(future + " applied by a newer release (future): left alone; this release's files all come "
                    + "before them.");
        }
        long java = count(statuses, MigrationStatus.State.JAVA);
        if (java > 0) {
            out.println(java + " applied by Java migrations not found on --classpath: left alone; give --classpath "
                    + "with the classes that list them in META-INF/services/dev.ashlar.kernel.migrate.JavaMigration, "
                    + "or roll them back from the application that registers them.");
        }
        long missing = count(statuses, MigrationStatus.State.MISSING);
        long changed = count(statuses, MigrationStatus.State.CHANGED);
        if (missing > 0) {
            out.println(missing + " applied file(s) missing from migrations/: restore them from version control, or "
                    + "run 'ashlar repair' if they were deleted on purpose.");
        }
        if (changed > 0) {
            out.println(changed + " applied file(s) changed since they were applied: restore them from version "
                    + "control, or run 'ashlar repair' if they were changed on purpose.");
        }
        long failed = count(statuses, MigrationStatus.State.FAILED);
        if (failed > 0) {
            out.println(failed + " transaction:false file(s) stopped part way and changed since in the statements that "
                    + "ran: restore their text, or undo those statements and run 'ashlar repair' to run them from their "
                    + "first statement.");
        }
        if (pending > 0) {
            out.println(pending + " pending: run 'ashlar migrate'.");
        } else if (missing == 0 && changed == 0 && failed == 0) {
            out.println("Everything is applied.");
        }
    }

    private static String tagsOf(MigrationStatus status, Map<String, String> tags) {
        List<String> marking = History.marking(tags, status.version());
        return marking.isEmpty() ? "" : " (tag" + (marking.size() > 1 ? "s" : "") + ": " + String.join(", ", marking)
                + ")";
    }

    private static long count(List<MigrationStatus> statuses, MigrationStatus.State state) {
        return statuses.stream().filter(s -> s.state() == state).count();
    }
}
