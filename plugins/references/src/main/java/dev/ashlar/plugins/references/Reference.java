package dev.ashlar.plugins.references;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The foreign-key options of one belongs-to relationship: the guide's {@code reference :post, ...}.
 * Immutable: each option returns a new reference. Unset options keep PostgreSQL's defaults
 * ({@code NO ACTION}, {@code MATCH SIMPLE}, {@code NOT DEFERRABLE}).
 *
 * <pre>{@code
 * reference("user")
 *         .onDelete(DELETE)                     // on_delete: :delete
 *         .onUpdate(UPDATE)                     // on_update: :update
 *         .name("comments_to_users_fkey")       // name: "comments_to_users_fkey"
 *         .deferrable(true)                     // deferrable: true
 *         .initiallyDeferred(false)             // initially_deferred: false
 * reference("post").matchWith("org_id", "org_id").onDelete(nilify("post_id")).index(true)
 * reference("legacy_owner").ignore()            // no database key for this relationship
 * }</pre>
 *
 * @param relationship      the belongs-to relationship the key is for
 * @param onDelete          what a delete of the referenced row does
 * @param onUpdate          what a change of the referenced key does
 * @param name              the constraint's name, or {@code null} for {@code <table>_<column>_fkey}
 * @param deferrable        whether the check may be deferred to the end of the transaction
 * @param initiallyDeferred whether it is deferred unless a transaction says otherwise (needs deferrable)
 * @param index             whether to index the referencing columns as well
 * @param matchWith         extra column pairs the key matches on, after the relationship's own
 * @param match             how nulls in a composite key are matched
 * @param ignored           whether the relationship gets no database key at all
 * @param matchTenant       whether a key between two resources with the same tenant column includes it (the
 *                          default), so that no tenant can point at another tenant's rows
 * @param indexWhere        the predicate of the index on the referencing columns (see {@link #indexWhere}), or
 *                          {@code null} for a full index
 */
public record Reference(String relationship, OnDelete onDelete, OnUpdate onUpdate, String name, boolean deferrable,
                        boolean initiallyDeferred, boolean index, List<ColumnPair> matchWith, Match match,
                        boolean ignored, boolean matchTenant, String indexWhere) {

    public Reference {
        Objects.requireNonNull(relationship, "relationship");
        Objects.requireNonNull(onDelete, "onDelete");
        Objects.requireNonNull(onUpdate, "onUpdate");
        Objects.requireNonNull(match, "match");
        matchWith = List.copyOf(matchWith);
    }

    /** {@code indexWhere(NOT_NULL)}: the index holds only rows whose key columns are all set. */
    public static final String NOT_NULL = "NOT_NULL";

    /** The options of the named belongs-to relationship, all at their defaults. */
    public static Reference reference(String relationship) {
        return new Reference(relationship, OnDelete.NOTHING, OnUpdate.NOTHING, null, false, false, false, List.of(),
                Match.SIMPLE, false, true, null);
    }

    public Reference onDelete(OnDelete action) {
        return new Reference(relationship, action, onUpdate, name, deferrable, initiallyDeferred, index, matchWith,
                match, ignored, matchTenant, indexWhere);
    }

    public Reference onUpdate(OnUpdate action) {
        return new Reference(relationship, onDelete, action, name, deferrable, initiallyDeferred, index, matchWith,
                match, ignored, matchTenant, indexWhere);
    }

    /** The constraint's name, at most 63 bytes. */
    public Reference name(String constraintName) {
        return new Reference(relationship, onDelete, onUpdate, constraintName, deferrable, initiallyDeferred, index,
                matchWith, match, ignored, matchTenant, indexWhere);
    }

    public Reference deferrable(boolean value) {
        return new Reference(relationship, onDelete, onUpdate, name, value, initiallyDeferred, index, matchWith,
                match, ignored, matchTenant, indexWhere);
    }

    public Reference initiallyDeferred(boolean value) {
        return new Reference(relationship, onDelete, onUpdate, name, deferrable, value, index, matchWith, match,
                ignored, matchTenant, indexWhere);
    }

    /** Also index the referencing columns, so that deletes of the referenced rows and joins find them fast. */
    public Reference index(boolean value) {
        return new Reference(relationship, onDelete, onUpdate, name, deferrable, initiallyDeferred, value, matchWith,
                match, ignored, matchTenant, indexWhere);
    }

    /**
     * Indexes the referencing columns (as {@link #index(boolean) index(true)}) where this SQL predicate holds,
     * e.g. {@code "archived_at IS NULL"}; {@link #NOT_NULL} indexes the rows whose key columns are all set, which
     * keeps a mostly-null key's index small (AshPostgres's {@code index?} with a {@code where}).
     */
    public Reference indexWhere(String predicateSql) {
        return new Reference(relationship, onDelete, onUpdate, name, deferrable, initiallyDeferred, true, matchWith,
                match, ignored, matchTenant, Objects.requireNonNull(predicateSql, "indexWhere"));
    }

    /**
     * Matches one more column pair, e.g. a tenant column, making the key composite: the referenced
     * columns together must be the destination's primary key or one of its identities.
     *
     * @param sourceAttribute      the attribute on this resource
     * @param destinationAttribute the attribute on the destination
     */
    public Reference matchWith(String sourceAttribute, String destinationAttribute) {
        List<ColumnPair> more = new ArrayList<>(matchWith);
        more.add(new ColumnPair(sourceAttribute, destinationAttribute));
        return new Reference(relationship, onDelete, onUpdate, name, deferrable, initiallyDeferred, index, more,
                match, ignored, matchTenant, indexWhere);
    }

    public Reference match(Match type) {
        return new Reference(relationship, onDelete, onUpdate, name, deferrable, initiallyDeferred, index, matchWith,
                type, ignored, matchTenant, indexWhere);
    }

    /**
     * Whether a key between two resources scoped by the same tenant column includes that column (true by
     * default): {@code FOREIGN KEY (org_id, post_id) REFERENCES posts (org_id, id)}, so that a tenant can
     * neither point at another tenant's rows nor learn which of their ids exist. {@code false} keys the
     * relationship's attribute alone.
     */
    public Reference matchTenant(boolean value) {
        return new Reference(relationship, onDelete, onUpdate, name, deferrable, initiallyDeferred, index, matchWith,
                match, ignored, value, indexWhere);
    }

    /** No database key for this relationship: the guide's {@code ignore? true}. */
    public Reference ignore() {
        return new Reference(relationship, onDelete, onUpdate, name, deferrable, initiallyDeferred, index, matchWith,
                match, true, matchTenant, indexWhere);
    }

    /** One extra pair of a composite key: an attribute of this resource and the one it must equal on the destination. */
    public record ColumnPair(String source, String destination) {
        public ColumnPair {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
        }
    }
}
