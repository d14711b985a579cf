package dev.ashlar.kernel.tenant;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of a run over many tenant schemas, summarised as it went: memory does not grow with
 * the number of tenants (only the first {@link TenantMigrator#KEPT_FAILURES} failures are kept whole).
 *
 * @param migrated schemas that had pending work and finished it
 * @param upToDate schemas that had nothing to do
 * @param failed   schemas whose work failed
 * @param failures the first failures, each naming its schema
 */
public record TenantReport(long migrated, long upToDate, long failed, List<Failure> failures, Duration elapsed) {

    public TenantReport {
        failures = List.copyOf(failures);
    }

    /** One tenant schema's failure. */
    public record Failure(String schema, String message) {
    }

    /** This report and a later run's over other schemas, as one: counts and times added, failures kept in turn. */
    public TenantReport and(TenantReport later) {
        List<Failure> both = new java.util.ArrayList<>(failures);
        later.failures.stream().limit(Math.max(0, TenantMigrator.KEPT_FAILURES - both.size())).forEach(both::add);
        return new TenantReport(migrated + later.migrated, upToDate + later.upToDate, failed + later.failed, both,
                elapsed.plus(later.elapsed));
    }

    public boolean succeeded() {
        return failed == 0;
    }

    public long total() {
        return migrated + upToDate + failed;
    }

    /** Tenants handled per second. */
    public double rate() {
        double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
        return total() / seconds;
    }
}
