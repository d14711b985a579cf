package dev.ashlar.api.resource;

/**
 * How an attribute's column is named, migrated and maintained, beyond its {@link Type}: set with
 * {@link AttributeOptions#column(String)}, {@link AttributeOptions#migrationType(String)},
 * {@link AttributeOptions#migrationDefault(String)}, {@link AttributeOptions#touchOnUpdate()} and
 * {@link AttributeOptions#updatable(boolean)}, {@link AttributeOptions#generated(long, long)} and
 * {@link AttributeOptions#historyExcluded()}.
 *
 * @param name             the column's name when it is not the attribute's, or {@code null}
 * @param migrationType    the column type written in migrations instead of the one the attribute's type maps to
 *                         (e.g. {@code varchar(16)}, {@code citext}), or {@code null}
 * @param migrationDefault a SQL default written in migrations only (the data layer does not know it), or {@code null}
 * @param touchOnUpdate    whether every update through Ashlar that does not set the attribute sets it to {@code now()}
 * @param updatable        whether updates may change the attribute; when false it is written only by creates
 * @param identityStart    the first value an identity column gives, or {@code null} for PostgreSQL's (1)
 * @param identityIncrement the step between the values an identity column gives, or {@code null} for PostgreSQL's (1)
 * @param historyExcluded  whether the column is left out of the resource's history table (Ebean's
 *                         {@code @HistoryExclude}): past versions read it as null
 * @param draftOnly        whether the column exists only in the draft table of a draftable resource (Ebean's
 *                         {@code @DraftOnly}): drafts carry it, the table and its records do not
 */
public record ColumnOptions(String name, String migrationType, String migrationDefault, boolean touchOnUpdate,
                            boolean updatable, Long identityStart, Long identityIncrement, boolean historyExcluded,
                            boolean draftOnly) {

    /** No override: the column follows the attribute. */
    public static final ColumnOptions NONE = new ColumnOptions(null, null, null, false, true);

    /** Options of a column of the resource's table (and of its drafts, if it has drafts). */
    public ColumnOptions(String name, String migrationType, String migrationDefault, boolean touchOnUpdate,
                         boolean updatable, Long identityStart, Long identityIncrement, boolean historyExcluded) {
        this(name, migrationType, migrationDefault, touchOnUpdate, updatable, identityStart, identityIncrement,
                historyExcluded, false);
    }

    /** Options of a column kept in the resource's history, if it keeps one. */
    public ColumnOptions(String name, String migrationType, String migrationDefault, boolean touchOnUpdate,
                         boolean updatable, Long identityStart, Long identityIncrement) {
        this(name, migrationType, migrationDefault, touchOnUpdate, updatable, identityStart, identityIncrement, false);
    }

    /** Options of a column that is no identity, or one numbered as PostgreSQL numbers by default. */
    public ColumnOptions(String name, String migrationType, String migrationDefault, boolean touchOnUpdate,
                         boolean updatable) {
        this(name, migrationType, migrationDefault, touchOnUpdate, updatable, null, null);
    }

    /** Options of an attribute that updates may change. */
    public ColumnOptions(String name, String migrationType, String migrationDefault, boolean touchOnUpdate) {
        this(name, migrationType, migrationDefault, touchOnUpdate, true);
    }

    /** Options for a column named like its attribute. */
    public ColumnOptions(String migrationType, String migrationDefault, boolean touchOnUpdate) {
        this(null, migrationType, migrationDefault, touchOnUpdate);
    }
}
