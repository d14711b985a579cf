package dev.ashlar.plugins.references;

import dev.ashlar.api.resource.Extension;

import java.util.List;
import java.util.Optional;

/**
 * The references section of a resource: options for the foreign keys of its belongs-to
 * relationships. A belongs-to without an entry still gets a key with the defaults as soon as the
 * references plugin is installed; an entry changes its options, or opts it out with
 * {@link Reference#ignore()}.
 *
 * <pre>{@code
 * Resource.builder("comment").table("comments")
 *         .integerPrimaryKey("id")
 *         .belongsTo("post", "post")
 *         .belongsTo("user", "user")
 *         .with(References.of(
 *                 reference("post"),
 *                 reference("user").onDelete(DELETE).onUpdate(UPDATE).name("comments_to_users_fkey")
 *                         .deferrable(true).initiallyDeferred(false)))
 *         .build();
 * }</pre>
 */
public final class References implements Extension {
    /** The id of the plugin that reads this section. */
    public static final String PLUGIN = "references";
    /** The jar that brings the plugin. */
    public static final String ARTIFACT = "dev.ashlar:ashlar-references";
    /** The name under which {@link #polymorphic()} holds the options of the keys to this resource's table. */
    static final String POLYMORPHIC = "polymorphic";

    private final List<Reference> references;
    private final Reference polymorphic;

    private References(List<Reference> references, Reference polymorphic) {
        this.references = List.copyOf(references);
        this.polymorphic = polymorphic;
    }

    public static References of(Reference... references) {
        return new References(List.of(references), Reference.reference(POLYMORPHIC));
    }

    /**
     * What a delete of this resource's row does to the rows of a polymorphic resource's table that one of this
     * resource's has-many or has-one relationships names ({@code r.table("post_comments")}): AshPostgres's
     * {@code polymorphic_on_delete}. That table gets a key from the relationship's destination attribute to this
     * resource as soon as the references plugin is installed; by default it prevents the delete.
     *
     * <pre>{@code
     * Resource.builder("post").table("posts").primaryKey("id")
     *         .hasMany("comments", "comment", r -> r.table("post_comments").destinationAttribute("resource_id"))
     *         .with(References.of().polymorphicOnDelete(OnDelete.DELETE))   // a post's comments go with it
     * }</pre>
     */
    public References polymorphicOnDelete(OnDelete action) {
        return new References(references, polymorphic.onDelete(action));
    }

    /** What a change of this resource's key does to those rows: AshPostgres's {@code polymorphic_on_update}. */
    public References polymorphicOnUpdate(OnUpdate action) {
        return new References(references, polymorphic.onUpdate(action));
    }

    /**
     * The name of those keys instead of {@code <table>_<column>_fkey}: AshPostgres's {@code polymorphic_name}.
     * One name for every table this resource's relationships name, so give it only when they name one.
     */
    public References polymorphicName(String constraintName) {
        return new References(references, polymorphic.name(constraintName));
    }

    /** No key from the tables of polymorphic resources to this resource (rows there may name a missing one). */
    public References polymorphicIgnore() {
        return new References(references, polymorphic.ignore());
    }

    /** The options of the keys from polymorphic resources' tables to this resource, under the name "polymorphic". */
    public Reference polymorphic() {
        return polymorphic;
    }

    /** The entries, in declaration order. */
    public List<Reference> references() {
        return references;
    }

    /** The entry for a relationship, if the section has one. */
    public Optional<Reference> find(String relationship) {
        return references.stream().filter(r -> r.relationship().equals(relationship)).findFirst();
    }

    @Override
    public String plugin() {
        return PLUGIN;
    }

    @Override
    public String artifact() {
        return ARTIFACT;
    }

    @Override
    public String toString() {
        return "References" + references + (polymorphic.equals(Reference.reference(POLYMORPHIC)) ? ""
                : " " + polymorphic);
    }
}
