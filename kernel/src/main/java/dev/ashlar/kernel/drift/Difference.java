package dev.ashlar.kernel.drift;

/**
 * One way a live schema differs from what the snapshots say it should be.
 *
 * @param schema   the live schema
 * @param change   whether the object is extra, missing or different
 * @param kind     {@code table}, {@code column}, {@code constraint}, {@code index}, {@code trigger}, {@code policy}
 *                 or {@code row level security}
 * @param name     the object, {@code table} or {@code table.object}
 * @param detail   its definition (extra, missing) or what it is and what it should be (different)
 */
public record Difference(String schema, Change change, String kind, String name, String detail) {

    /** How an object differs. */
    public enum Change {
        /** In the database, not in the snapshots. */
        EXTRA,
        /** In the snapshots, not in the database. */
        MISSING,
        /** In both, defined otherwise. */
        DIFFERENT
    }

    /** {@code public: extra column posts.subtitle: text}. */
    @Override
    public String toString() {
        return schema + ": " + change.name().toLowerCase(java.util.Locale.ROOT) + " " + kind + " " + name
                + (detail.isEmpty() ? "" : ": " + detail);
    }
}
