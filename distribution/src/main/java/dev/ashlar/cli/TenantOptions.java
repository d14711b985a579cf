package dev.ashlar.cli;

import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import dev.ashlar.kernel.tenant.TenantReport;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Options of the commands that can work on every tenant schema instead of the main one. */
final class TenantOptions {
    @Option(names = "--tenants", description = "Work on every tenant schema, with tenant_migrations/.")
    boolean all;

    @Option(names = "--tenant", paramLabel = "SCHEMA", description = "Work on this tenant schema only (repeatable); "
            + "it must follow the tenant-name rules and be in the tenant list.")
    List<String> only = new ArrayList<>();

    @Option(names = "--force", description = "Work on a --tenant schema that the tenant list does not hold.")
    boolean force;

    @Option(names = "--jobs", paramLabel = "N", description = "Tenant schemas worked on at once (default: ${DEFAULT-VALUE}).",
            defaultValue = "4")
    int jobs;

    @Option(names = "--fail-fast", description = "Stop at the first tenant that fails.")
    boolean failFast;

    /** The --jobs count, refused below 1 as bad usage before any connection is made. */
    int jobs(CommandLine commandLine) {
        if (jobs < 1) {
            throw new ParameterException(commandLine, "--jobs is how many tenant schemas are migrated at once: give 1 "
                    + "or more, not " + jobs);
        }
        return jobs;
    }

    boolean enabled() {
        return all || !only.isEmpty();
    }

    TenantSelection selection() {
        return TenantSelection.named(only).force(force).jobs(jobs).failFast(failFast);
    }

    /**
     * Runs work over the tenant schemas with a progress bar and a summary.
     *
     * @return the exit code: 0 when every tenant succeeded
     */
    int run(Project project, PrintWriter out, BiFunction<Project, TenantSelection, TenantReport> work) {
        return run(project, out, "migrated", work);
    }

    /** {@link #run(Project, PrintWriter, BiFunction)}, the summary saying {@code done} of the schemas worked on. */
    int run(Project project, PrintWriter out, String done, BiFunction<Project, TenantSelection, TenantReport> work) {
        ProgressBar bar = new ProgressBar(out);
        TenantReport report = work.apply(project, selection().progress(bar::update));
        bar.finish();
        out.printf("Tenants: %d %s, %d up to date, %d failed, in %.1f s (%.0f tenants/s)%n", report.migrated(), done,
                report.upToDate(), report.failed(), report.elapsed().toMillis() / 1000.0, report.rate());
        report.failures().forEach(f -> out.println("  FAILED " + f.schema() + ": " + f.message().replace("\n", "\n    ")));
        if (report.failed() > report.failures().size()) {
            out.println("  ... and " + (report.failed() - report.failures().size()) + " more failures");
        }
        return report.succeeded() ? 0 : 1;
    }
}
