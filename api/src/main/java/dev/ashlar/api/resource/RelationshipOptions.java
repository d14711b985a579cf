package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The options of a relationship in the resource DSL. Each option says which kinds it applies to;
 * setting one that does not apply is refused when the resource is built.
 *
 * <pre>{@code
 * .belongsTo("author", "user", r -> r.attribute("writer_id").allowNil(false))
 * .hasMany("comments", "comment", r -> r.destinationAttribute("article_id"))
 * .manyToMany("tags", "tag", r -> r.through("post_tag"))
 * .hasMany("popular_comments", "comment", r -> r.filter(gt("likes", 10)).sort(Sort.desc("inserted_at")))
 * .hasMany("comments", "comment", r -> r.table("post_comments").destinationAttribute("resource_id"))
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
    Filter filter;
    Filter joinFilter;
    String table;
    final List<Sort> sorts = new ArrayList<>();
    final List<Sort> joinSorts = new ArrayList<>();
    Integer limit;
    boolean noAttributes;
    String orderAttribute;
    boolean draftElement;

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

    /**
     * hasMany, hasOne of a draftable resource to another draftable resource: the related records are elements of their
     * record's draft (Ebean's {@code @DraftableElement}). Publishing the record's draft publishes, in the same
     * transaction, the drafts of its elements (created and changed ones) and destroys the elements whose drafts were
     * destroyed; restoring it restores its elements and discards element drafts its record does not have.
     * {@code .hasMany("links", "link", r -> r.draftElement())}.
     *
     * <p>Publish takes every live record holding the record's key as an element, and destroys those without a draft,
     * so the destination must be declared {@code .draftable().refuseLiveWrites()} (a record created directly in its
     * table would be lost), and the relationship may have no {@link #filter}, no {@link #limit} and, for a hasOne, no
     * {@link #sort}: each is refused when the domain is built, naming the relationship.
     *
     * <p>An element whose draft names another record is published with that record; publishing its old record
     * without the new one is refused, naming both, and restoring either puts the draft back below its record's owner.
     */
    public RelationshipOptions draftElement() {
        this.draftElement = true;
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

    /**
     * Every kind: only the destination's records that match are related, wherever the relationship is followed:
     * loads (with the load's own filter as well), {@code exists}, {@code count}, paths such as
     * {@code "comments.rating"} and sorts by the count. The filter is over the destination's fields; several calls
     * AND their filters.
     */
    public RelationshipOptions filter(Filter condition) {
        DefinitionException.required(condition, "condition");
        this.filter = filter == null ? condition : Filter.and(filter, condition);
        return this;
    }

    /**
     * manyToMany: only the links whose join record matches relate their records, wherever the relationship is
     * followed, as {@link #filter} does for the destination's records: {@code .manyToMany("editor_of", "post", r ->
     * r.through("co_author_post").joinFilter(eq("role", "editor")))} (Ash's {@code parent(join_relationship.role)}).
     * The filter is over the join resource's fields; several calls AND their filters.
     */
    public RelationshipOptions joinFilter(Filter condition) {
        DefinitionException.required(condition, "condition");
        this.joinFilter = joinFilter == null ? condition : Filter.and(joinFilter, condition);
        return this;
    }

    /**
     * manyToMany: the order a load gives the related records by their join records' fields, before any {@link #sort},
     * unless the load sorts itself (Ash's sort by {@code parent(join_relationship.order)}): {@code
     * .manyToMany("sorted_followers", "user", r -> r.through("post_follower").joinSort(Sort.asc("position")))}.
     * Refused beside a {@link #limit}. Keys add to those already given.
     */
    public RelationshipOptions joinSort(Sort... keys) {
        joinSorts.addAll(Arrays.asList(keys));
        return this;
    }

    /**
     * hasMany, hasOne: no attribute links the records (Ash's {@code no_attributes? true}); every destination record
     * that meets the {@link #filter} is related, and the filter may compare with the source record through
     * {@code parent(...)}: {@code .hasMany("same_category", "post", r -> r.noAttributes().filter(eq("category",
     * parent("category"))))}, {@code .hasMany("admins", "user", r -> r.noAttributes().filter(eq("admin", true)))}.
     * Refused with {@link #sourceAttribute} or {@link #destinationAttribute}.
     */
    public RelationshipOptions noAttributes() {
        this.noAttributes = true;
        return this;
    }

    /**
     * belongsTo, hasMany, hasOne: the table the destination's records live in, when the destination is
     * {@linkplain ResourceBuilder#polymorphic(String...) polymorphic} ({@code context: %{data_layer: %{table: ...}}}
     * in AshPostgres). The domain then has that table, with the destination's columns, and loads, paths and
     * {@code exists} through the relationship read it alone. Refused for a destination with a table of its own.
     */
    public RelationshipOptions table(String name) {
        DefinitionException.required(name, "table");
        this.table = name;
        return this;
    }

    /**
     * hasMany, hasOne, manyToMany: the order a load gives the related records, unless the load sorts them itself;
     * a hasOne with a sort reads the first related record in that order. Keys add to those already given.
     */
    public RelationshipOptions sort(Sort... keys) {
        sorts.addAll(Arrays.asList(keys));
        return this;
    }

    /**
     * hasMany: the destination's integer attribute that keeps each related record's position in the list (JPA's
     * {@code @OrderColumn}): records written with their record ({@code Manage}) are numbered from 0 in the order
     * given, and loads sort by it before any {@link #sort} of the relationship's own.
     * {@code .hasMany("steps", "step", r -> r.orderColumn("position"))}.
     */
    public RelationshipOptions orderColumn(String attribute) {
        this.orderAttribute = attribute;
        return this;
    }

    /**
     * hasMany, manyToMany: only the first {@code most} related records of each record, in the {@link #sort} order,
     * are related (Ash's {@code limit}): loads read at most that many, and {@code exists}, {@code count}, paths and
     * aggregates see only them. {@code .hasMany("top_ratings", "rating", r -> r.sort(Sort.desc("score")).limit(2))}.
     */
    public RelationshipOptions limit(int most) {
        this.limit = most;
        return this;
    }
}
