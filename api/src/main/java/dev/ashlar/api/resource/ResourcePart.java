package dev.ashlar.api.resource;

/**
 * A piece of a resource declared once, as a constant, and added to the resource's builder with
 * {@link ResourceBuilder#add}: the typed API's fields, relationships and identities
 * ({@code dev.ashlar.api.typed}) are parts, so the same symbol that builds the resource also queries it.
 *
 * <pre>{@code
 * static final Resource RESOURCE = POSTS.builder().table("posts").add(ID, TITLE, AUTHOR, COMMENTS).build();
 * }</pre>
 */
public interface ResourcePart {

    /** Declares this part on the builder, as the builder's own method for it would. */
    void addTo(ResourceBuilder builder);
}
