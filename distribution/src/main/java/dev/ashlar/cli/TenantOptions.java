package dev.ashlar.cli;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.migrate.TenantMigrator;
import dev.ashlar.kernel.migrate.TenantReport;
import dev.ashlar.kernel.migrate.TenantSchemas;
import dev.ashlar.kernel.migrate.TenantStatus;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.spi.schema.Scope;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Options of the commands that can work on every tenant schema instead of the main one. */
final class TenantOptions {
    @Option(names = "--tenants", description = "Work on every tenant schema, with tenant_migrations/.")
    boolean all;

    @Option(names = "--tenant", paramLabel = "SCHEMA", description = "Work on this tenant schema only (repeatable).")
    List<String> only = new ArrayList<>();

    @Option(names = "--jobs", description = "Tenant schemas migrated at once (default: ${DEFAULT-VALUE}).",
            defaultValue = "4")
    int jobs;

    @Option(names = "--fail-fast", description = "Stop at the first tenant that fails.")
    boolean failFast;

    boolean enabled() {
        return all || !only.isEmpty();
    }

    /**
     * Runs work over the tenant schemas with a progress bar and a summary.
     *
     * @return the exit code: 0 when every tenant succeeded
     */
    int run(ProjectOptions project, Database database, PrintWriter out,
            BiFunction<TenantMigrator, List<String>, TenantReport> work) {
        List<String> schemas = schemas(project, database);
        ProgressBar bar = new ProgressBar(out, schemas.size());
        TenantMigrator migrator = migrator(project, database).progress(bar::update);
        TenantReport report = work.apply(migrator, schemas);
        bar.finish();
        out.printf("Tenants: %d migrated, %d up to date, %d failed, in %.1f s (%.0f tenants/s)%n", report.migrated(),
                report.upToDate(), report.failed(), report.elapsed().toMillis() / 1000.0, report.rate());
        report.failures().forEach(f -> out.println("  FAILED " + f.schema() + ": " + f.message().replace("\n", "\n    ")));
        if (report.failed() > report.failures().size()) {
            out.println("  ... and " + (report.failed() - report.failures().size()) + " more failures");
        }
        return report.succeeded() ? 0 : 1;
    }

    TenantStatus status(ProjectOptions project, Database database) {
        return migrator(project, database).status(schemas(project, database).iterator());
    }

    private TenantMigrator migrator(ProjectOptions project, Database database) {
        return new TenantMigrator(database.dataSource(), Codegen.migrations(project.dir, Scope.TENANT)).jobs(jobs)
                .failFast(failFast);
    }

    /** The schemas named with --tenant, or every tenant the plugins list. */
    private List<String> schemas(ProjectOptions project, Database database) {
        if (!only.isEmpty()) {
            return only;
        }
        return TenantSchemas.list(database.dataSource(), TenantSchemas.query(project.plugins(), project.domain())
                .orElseThrow(() -> new AshlarException(ErrorCode.MIGRATION, "No tenant list: install ashlar-tenancy "
                        + "(its tenant resource lists the tenants) or name schemas with --tenant")));
    }
}
