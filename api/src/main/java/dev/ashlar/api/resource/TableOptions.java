package dev.ashlar.api.resource;

import java.util.List;

/**
 * How a resource's table is migrated: set in the resource DSL with {@link ResourceBuilder#migrate(boolean)},
 * {@link ResourceBuilder#createTableOptions(String)}, {@link ResourceBuilder#migrationIgnore(String...)} and
 * {@link ResourceBuilder#timestamps(java.util.function.Consumer)}.
 *
 * @param migrated           whether codegen creates, alters and drops the table ({@code false}: another tool owns it)
 * @param createTableOptions SQL written after {@code CREATE TABLE (...)}, e.g. {@code PARTITION BY RANGE (id)}, or
 *                           {@code null}
 * @param migrationIgnore    attributes read and written like others but left out of migrations
 * @param timestampTrigger   whether a trigger sets the {@link ColumnOptions#touchOnUpdate()} attributes on writes that
 *                           bypass Ashlar too
 * @param polymorphic        whether the resource has no table of its own, its records living in tables that its
 *                           relationships and {@link ResourceBuilder#polymorphic(String...)} name
 *                           ({@code polymorphic? true} in AshPostgres)
 * @param polymorphicTables  the tables a polymorphic resource declares itself, beside those its relationships name;
 *                           empty for any other resource
 * @param history            whether the table keeps every version of its rows in a history table
 *                           ({@link ResourceBuilder#history()}, Ebean's {@code @History})
 * @param draftable          whether the table has a draft table beside it that {@code publish} copies to it
 *                           ({@link ResourceBuilder#draftable(String...)}, Ebean's {@code @Draftable})
 * @param draftReset         the attributes a draft loses (set to null) when it is published or restored
 *                           (Ebean's {@code @DraftReset}); empty unless draftable
 * @param readOnly           whether the data layer only reads the resource and refuses every write of it
 *                           ({@link ResourceBuilder#readOnly()}, Hibernate's {@code @Immutable} and {@code @View})
 * @param discriminator      the kind of record the resource holds in a table it shares with other kinds, or
 *                           {@code null} ({@link ResourceBuilder#discriminator(String, Object)})
 * @param writeStatements    the statements creates, updates and destroys run in place of the data layer's own
 *                           ({@link ResourceBuilder#createSql(String)}), or {@code null} for its own
 * @param extending          the resource whose records this one extends across its table and the parent's
 *                           ({@link ResourceBuilder#extending(String)}), or {@code null}
 * @param draftOnly          the attributes stored only in the draft table ({@link AttributeOptions#draftOnly()}), which
 *                           the resource's own attributes leave out
 * @param historyStopped     whether a table that kept history keeps its history table, its past versions and its view
 *                           but records no new versions: the trigger is dropped ({@link ResourceBuilder#historyStopped()})
 * @param draftElements      the hasMany and hasOne relationships whose draftable records are published and restored
 *                           with their record's draft, as one graph ({@link RelationshipOptions#draftElement()},
 *                           Ebean's {@code @DraftableElement})
 * @param liveWritesRefused  whether the data layer refuses every write of a draftable resource's table but publish's
 *                           ({@link ResourceBuilder#refuseLiveWrites()})
 */
public record TableOptions(boolean migrated, String createTableOptions, List<String> migrationIgnore,
                           boolean timestampTrigger, boolean polymorphic, List<String> polymorphicTables,
                           boolean history, boolean draftable, List<String> draftReset, boolean readOnly,
                           Discriminator discriminator, WriteStatements writeStatements, Extending extending,
                           List<Attribute> draftOnly, boolean historyStopped, List<String> draftElements,
                           boolean liveWritesRefused) {

    /** A table Ashlar migrates, with no options: what a resource has unless told otherwise. */
    public static final TableOptions DEFAULT = new TableOptions(true, null, List.of(), false);

    public TableOptions {
        migrationIgnore = List.copyOf(migrationIgnore);
        polymorphicTables = polymorphicTables == null ? List.of() : List.copyOf(polymorphicTables);
        draftReset = draftReset == null ? List.of() : List.copyOf(draftReset);
        draftOnly = draftOnly == null ? List.of() : List.copyOf(draftOnly);
        draftElements = draftElements == null ? List.of() : List.copyOf(draftElements);
    }

    /** The options of a table that records history while it keeps it, and whose drafts are published one by one. */
    public TableOptions(boolean migrated, String createTableOptions, List<String> migrationIgnore,
                        boolean timestampTrigger, boolean polymorphic, List<String> polymorphicTables,
                        boolean history, boolean draftable, List<String> draftReset, boolean readOnly,
                        Discriminator discriminator, WriteStatements writeStatements, Extending extending,
                        List<Attribute> draftOnly) {
        this(migrated, createTableOptions, migrationIgnore, timestampTrigger, polymorphic, polymorphicTables, history,
                draftable, draftReset, readOnly, discriminator, writeStatements, extending, draftOnly, false, List.of(),
                false);
    }

    /** The options of a table that extends no other resource's, whose drafts (if any) have its attributes alone. */
    public TableOptions(boolean migrated, String createTableOptions, List<String> migrationIgnore,
                        boolean timestampTrigger, boolean polymorphic, List<String> polymorphicTables,
                        boolean history, boolean draftable, List<String> draftReset, boolean readOnly,
                        Discriminator discriminator, WriteStatements writeStatements) {
        this(migrated, createTableOptions, migrationIgnore, timestampTrigger, polymorphic, polymorphicTables, history,
                draftable, draftReset, readOnly, discriminator, writeStatements, null, List.of());
    }

    /** These options extending the resolved parent ({@link Extending} with its table and columns). */
    public TableOptions withExtending(Extending resolved) {
        return new TableOptions(migrated, createTableOptions, migrationIgnore, timestampTrigger, polymorphic,
                polymorphicTables, history, draftable, draftReset, readOnly, discriminator, writeStatements, resolved,
                draftOnly, historyStopped, draftElements, liveWritesRefused);
    }

    /** The options of a table the data layer writes with its own statements. */
    public TableOptions(boolean migrated, String createTableOptions, List<String> migrationIgnore,
                        boolean timestampTrigger, boolean polymorphic, List<String> polymorphicTables,
                        boolean history, boolean draftable, List<String> draftReset, boolean readOnly,
                        Discriminator discriminator) {
        this(migrated, createTableOptions, migrationIgnore, timestampTrigger, polymorphic, polymorphicTables, history,
                draftable, draftReset, readOnly, discriminator, null);
    }

    /** The options of a table the data layer writes. */
    public TableOptions(boolean migrated, String createTableOptions, List<String> migrationIgnore,
                        boolean timestampTrigger, boolean polymorphic, List<String> polymorphicTables,
                        boolean history, boolean draftable, List<String> draftReset) {
        this(migrated, createTableOptions, migrationIgnore, timestampTrigger, polymorphic, polymorphicTables, history,
                draftable, draftReset, false, null);
    }

    /** The options of a table without drafts. */
    public TableOptions(boolean migrated, String createTableOptions, List<String> migrationIgnore,
                        boolean timestampTrigger, boolean polymorphic, List<String> polymorphicTables,
                        boolean history) {
        this(migrated, createTableOptions, migrationIgnore, timestampTrigger, polymorphic, polymorphicTables, history,
                false, List.of());
    }

    /** The options of a table that keeps no history. */
    public TableOptions(boolean migrated, String createTableOptions, List<String> migrationIgnore,
                        boolean timestampTrigger, boolean polymorphic, List<String> polymorphicTables) {
        this(migrated, createTableOptions, migrationIgnore, timestampTrigger, polymorphic, polymorphicTables, false);
    }

    /** The options of a resource with a table of its own. */
    public TableOptions(boolean migrated, String createTableOptions, List<String> migrationIgnore,
                        boolean timestampTrigger) {
        this(migrated, createTableOptions, migrationIgnore, timestampTrigger, false, List.of());
    }

    /** The same options for one table of a polymorphic resource, as the domain stores it. */
    public TableOptions inPolymorphicTable(String table) {
        return new TableOptions(migrated, createTableOptions, migrationIgnore, timestampTrigger, true, List.of(table), history,
                draftable, draftReset, readOnly, discriminator, writeStatements, extending, draftOnly, historyStopped,
                draftElements, liveWritesRefused);
    }
}
