package dev.ashlar.kernel.drift;

import java.util.List;

/**
 * What {@code ashlar check} found: every difference between the live schemas and the snapshots.
 *
 * @param schemas      the live schemas compared (the main ones, then each tenant's)
 * @param differences  every difference, by schema, then table
 * @param unapplied    migrations the history does not have as applied (pending, changed or missing), named by
 *                     file: the database is compared with the state after them, so they explain drift
 */
public record DriftReport(List<String> schemas, List<Difference> differences, List<String> unapplied) {

    public DriftReport {
        schemas = List.copyOf(schemas);
        differences = List.copyOf(differences);
        unapplied = List.copyOf(unapplied);
    }

    /** Whether the database is as the snapshots say. */
    public boolean clean() {
        return differences.isEmpty();
    }

    /** The line that says the schemas compared match the snapshots, e.g. "No drift: public matches the snapshots." */
    public String noDrift() {
        return "No drift: " + String.join(", ", schemas) + (schemas.size() == 1 ? " matches" : " match")
                + " the snapshots.";
    }
}
