package dev.ashlar.maven;

import dev.ashlar.kernel.tenant.TenantReport;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

import java.util.Locale;

/** What the goals with {@code -Dashlar.tenants} share: the {@code jobs} check and the tenant run's summary. */
final class TenantRuns {
    private TenantRuns() {
    }

    /** Refuses a {@code jobs} below 1 before anything runs; {@code nothing} ends the message ("Nothing was applied."). */
    static void requireJobs(int jobs, String nothing) throws MojoFailureException {
        if (jobs < 1) {
            throw new MojoFailureException("ashlar.jobs is " + jobs + ", the tenant schemas worked on at once: give 1 "
                    + "or more (-Dashlar.jobs=4, the default). " + nothing);
        }
    }

    /**
     * Logs the summary ({@code done}: "migrated", "rolled back") and fails the goal naming each schema that failed.
     *
     * @param again what to run once they are fixed, e.g. {@code ashlar:migrate -Dashlar.tenants}
     */
    static void report(Log log, TenantReport report, String done, String again) throws MojoFailureException {
        log.info(String.format(Locale.ROOT, "Tenants: %d %s, %d up to date, %d failed, in %.1f s", report.migrated(),
                done, report.upToDate(), report.failed(), report.elapsed().toMillis() / 1000.0));
        if (report.succeeded()) {
            return;
        }
        StringBuilder failure = new StringBuilder().append(report.failed()).append(" tenant schema(s) failed:");
        report.failures().forEach(f -> failure.append("\n  ").append(f.schema()).append(": ").append(f.message()));
        if (report.failed() > report.failures().size()) {
            failure.append("\n  ... and ").append(report.failed() - report.failures().size()).append(" more");
        }
        throw new MojoFailureException(failure.append("\nFix them and run ").append(again).append(" again: the "
                + "schemas already done are skipped.").toString());
    }
}
