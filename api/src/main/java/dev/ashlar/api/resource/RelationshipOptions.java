package dev.ashlar.api.resource;

/**
 * The options of a relationship in the resource DSL. Each option says which kinds it applies to;
 * setting one that does not apply is refused when the resource is built.
 *
 * <pre>{@code
 * .belongsTo("author", "user", r -> r.attribute("writer_id").allowNil(false))
 * .hasMany("comments", "comment", r -> r.destinationAttribute("article_id"))
 * .manyToMany("tags", "tag", r -> r.through("post_tag"))
 * }</pre>
 */
public final class RelationshipOptions {
    String attribute;
    String sourceAttribute;
    String destinationAttribute;
    String through;
    String sourceAttributeOnJoin;
    String destinationAttributeOnJoin;
    boolean nullable = true;
    boolean primaryKey;
    boolean nullabilitySet;

    RelationshipOptions() {
    }

    /** belongsTo: the foreign-key attribute on this resource (default {@code <name>_id}). */
    public RelationshipOptions attribute(String name) {
        this.attribute = name;
        return this;
    }

    /** belongsTo: whether the key may be null (default true). */
    public RelationshipOptions allowNil(boolean allowed) {
        this.nullable = allowed;
        this.nullabilitySet = true;
        return this;
    }

    /** belongsTo: the key attribute is also (part of) this resource's primary key. */
    public RelationshipOptions primaryKey() {
        this.primaryKey = true;
        return this;
    }

    /** hasMany, hasOne, manyToMany: the attribute on this resource (default: its primary key). */
    public RelationshipOptions sourceAttribute(String name) {
        this.sourceAttribute = name;
        return this;
    }

    /** Every kind: the attribute on the destination (default: its primary key, or {@code <this resource>_id}). */
    public RelationshipOptions destinationAttribute(String name) {
        this.destinationAttribute = name;
        return this;
    }

    /** manyToMany: the join resource (required). */
    public RelationshipOptions through(String resource) {
        this.through = resource;
        return this;
    }

    /** manyToMany: the join attribute holding this resource's key (default {@code <this resource>_id}). */
    public RelationshipOptions sourceAttributeOnJoin(String name) {
        this.sourceAttributeOnJoin = name;
        return this;
    }

    /** manyToMany: the join attribute holding the destination's key (default {@code <destination>_id}). */
    public RelationshipOptions destinationAttributeOnJoin(String name) {
        this.destinationAttributeOnJoin = name;
        return this;
    }
}
