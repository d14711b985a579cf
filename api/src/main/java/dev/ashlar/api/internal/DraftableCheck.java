package dev.ashlar.api.internal;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Attribute;

import java.util.List;

/** The rules of {@code draftable()}: a resource whose drafts can be told apart and copied to one table it migrates. */
public final class DraftableCheck {
    /** The column a draft table adds for whether a draft has changes not yet published (Ebean's {@code @DraftDirty}). */
    public static final String DIRTY = "draft_dirty";
    /**
     * The column a draft table adds for whether a draft has a live record of its key, one it was published to or
     * restored from: publish refuses to overwrite a live record a draft not so linked happens to share a key with.
     */
    public static final String LIVE = "draft_live";

    private DraftableCheck() {
    }

    /**
     * @throws DefinitionException naming the resource and the fix: on a polymorphic resource, one without a primary
     *                             key, one whose table is not migrated, one with a {@code draft_dirty} column or an attribute
     *                             with readAs or writeAs, and a reset
     *                             attribute that is unknown or the primary key
     */
    public static void check(String resource, boolean polymorphic, boolean migrated, List<Attribute> attributes,
                             List<String> reset) {
        String fix = "remove .draftable()";
        if (polymorphic) {
            throw refused(resource, "is polymorphic: its records live in several tables, and a draft table follows "
                    + "one; " + fix + ", or keep drafts on a resource with a table of its own");
        }
        if (attributes.stream().noneMatch(Attribute::primaryKey)) {
            throw refused(resource, "has no primary key, which publish finds a draft's live record by: declare one "
                    + "with a -> a.primaryKey(), or " + fix);
        }
        if (!migrated) {
            throw refused(resource, "has a table that is not migrated (migrate(false)), so nothing would create its "
                    + "draft table: " + fix + ", or let Ashlar migrate the table");
        }
        if (attributes.stream().anyMatch(a -> a.columnName().equals(LIVE))) {
            throw refused(resource, "has a column named '" + LIVE + "', the column its draft table adds for drafts "
                    + "published or restored: give that attribute another column name (a -> a.column(...)), or " + fix);
        }
        if (attributes.stream().anyMatch(a -> a.columnName().equals(DIRTY))) {
            throw refused(resource, "has a column named '" + DIRTY + "', the column its draft table adds for drafts "
                    + "not yet published: give that attribute another column name (a -> a.column(...)), or " + fix);
        }
        Attribute expressed = attributes.stream().filter(a -> a.expressions().any()).findFirst().orElse(null);
        if (expressed != null) {
            // Publish and restore copy records read through readAs and store them through writeAs: every copy would
            // change the stored value unless the two were exact inverses.
            throw DefinitionException.of(resource, expressed.name(), "resource '" + resource + "' is draftable but "
                    + "its attribute '" + expressed.name() + "' has readAs(...) or writeAs(...), and publishing or "
                    + "restoring a draft would store the value as read: remove them, or " + fix);
        }
        for (String name : reset) {
            Attribute attribute = attributes.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
            if (attribute == null || attribute.primaryKey() || !attribute.nullable()) {
                throw DefinitionException.of(resource, name, "draftable(...) resets '" + name + "' on publish, but "
                        + (attribute == null ? "resource '" + resource + "' has no such attribute: name one of "
                        + attributes.stream().map(Attribute::name).toList() : attribute.primaryKey() ? "it is the "
                        + "primary key, which publish finds the live record by" : "it is not null, and a reset sets it "
                        + "to null") + "; remove it from draftable(...)");
            }
        }
    }

    private static DefinitionException refused(String resource, String why) {
        return DefinitionException.of(resource, "draftable", "resource '" + resource + "' is draftable but " + why);
    }
}
