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

    private final List<Reference> references;

    private References(List<Reference> references) {
        this.references = List.copyOf(references);
    }

    public static References of(Reference... references) {
        return new References(List.of(references));
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
        return "References" + references;
    }
}
