package dev.ashlar.api.internal;

import dev.ashlar.api.data.Row;

import java.util.List;

/**
 * How the kernel makes and marks {@link Row}s, which offer no public constructor: a row's layout and
 * its tenant are the kernel's to set, never a caller's. {@code Row} installs the one {@link Access}
 * when its class is initialised (the JDK's shared-secrets pattern), so this package reaches its
 * private parts without making them public API.
 */
public final class Rows {
    private static volatile Access access;

    private Rows() {
    }

    /** What {@code Row} lets this package do. */
    public interface Access {
        Row create(RowLayout layout, Object[] values);

        Row withTenant(Row row, String tenant);

        RowLayout layout(Row row);

        Object[] values(Row row);

        Row withRelated(Row row, String relationship, List<Row> rows);

        Row upsertSkipped(Row row);

        Row withSeenSortKeys(Row row, SeenSortKeys seen);

        SeenSortKeys seenSortKeys(Row row);
    }

    /** Called once, by {@code Row}'s static initialiser. */
    public static void install(Access rowAccess) {
        if (access != null) {
            throw new IllegalStateException("row access is installed already");
        }
        access = rowAccess;
    }

    /** A row over values in the layout's order; the array is the row's from then on. */
    public static Row create(RowLayout layout, Object[] values) {
        return access().create(layout, values);
    }

    /** The same row, marked as read or written as a tenant (null for none). */
    public static Row withTenant(Row row, String tenant) {
        return access().withTenant(row, tenant);
    }

    /** The same row, marked as one an upsert kept as stored ({@link Row#upsertSkipped()}). */
    public static Row upsertSkipped(Row row) {
        return access().upsertSkipped(row);
    }

    /**
     * The same row, carrying the values its computed sort keys had when its read listed it, which a keyset cursor of
     * the row takes as they were rather than as they are by the time it is taken.
     */
    public static Row withSeenSortKeys(Row row, SeenSortKeys seen) {
        return access().withSeenSortKeys(row, seen);
    }

    /** The values of its computed sort keys the row was listed with, or null for a row that carries none. */
    public static SeenSortKeys seenSortKeys(Row row) {
        return access().seenSortKeys(row);
    }

    /** The same rows, each marked as read or written as a tenant. */
    public static List<Row> withTenant(List<Row> rows, String tenant) {
        return rows.stream().map(row -> withTenant(row, tenant)).toList();
    }

    public static RowLayout layout(Row row) {
        return access().layout(row);
    }

    /** The row's values in its layout's order: the row's own array, to read and never to change. */
    public static Object[] values(Row row) {
        return access().values(row);
    }

    /**
     * {@link Row#withRelated} for rows the kernel has just read and hands over: the list is kept as it is, not copied,
     * and must not change afterwards.
     */
    public static Row withRelated(Row row, String relationship, List<Row> rows) {
        return access().withRelated(row, relationship, rows);
    }

    private static Access access() {
        Access current = access;
        if (current == null) {
            Row.of("", java.util.Map.of());
            current = access;
        }
        return current;
    }
}
