package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.sql.Names;

import java.util.List;

/**
 * A named set of attributes whose values are unique together; the kernel creates a unique index
 * for it and upserts can target it. Declared with
 * {@code .identity("unique_email", List.of("email"), i -> i.where("deleted_at IS NULL"))}.
 *
 * @param name          the identity's name, e.g. {@code unique_email}
 * @param fields        the attributes, in index order
 * @param message       the error message when a value is taken, or {@code null} for "... has already been taken"
 * @param allTenants    for a resource with a tenant column: {@code true} makes the values unique across all
 *                      tenants; by default uniqueness holds per tenant
 * @param where         the index's predicate (a partial identity), SQL written by the resource's author,
 *                      or {@code null} for the whole table
 * @param nullsDistinct {@code false} makes two nulls collide ({@code NULLS NOT DISTINCT}, PostgreSQL 15+);
 *                      {@code true} is PostgreSQL's default
 * @param indexName     the unique index's name, or {@code null} for {@code <table>_<identity>_index}
 * @param skipIndex     {@code true} when the uniqueness is enforced by an index Ashlar does not create: no
 *                      index is generated, but violations of {@link #indexOn the index's name} still map to
 *                      field errors and upserts still target the identity
 * @param ignoreBaseFilter {@code true} leaves the resource's {@link BaseFilter} out of the index's predicate
 * @param errorField    the field a taken value's error names (Ash's {@code field_names}), or {@code null} for the
 *                      identity's first field
 */
public record Identity(String name, List<String> fields, String message, boolean allTenants, String where,
                       boolean nullsDistinct, String indexName, boolean skipIndex, boolean ignoreBaseFilter,
                       String errorField) {
    public Identity {
        fields = List.copyOf(DefinitionException.required(fields, "fields"));
        if (errorField != null && errorField.isBlank()) {
            throw DefinitionException.of(null, name, "Identity '" + name + "': errorField(...) needs a name, e.g. "
                    + "errorField(\"" + fields.get(0) + "\")");
        }
    }

    /** An identity whose taken values are reported on its first field. */
    public Identity(String name, List<String> fields, String message, boolean allTenants, String where,
                    boolean nullsDistinct, String indexName, boolean skipIndex, boolean ignoreBaseFilter) {
        this(name, fields, message, allTenants, where, nullsDistinct, indexName, skipIndex, ignoreBaseFilter, null);
    }

    /** The field a taken value's error names: {@link #errorField} when given, else the first field. */
    public String reportedField() {
        return errorField != null ? errorField : fields.get(0);
    }

    /** An identity with a full, generated unique index. */
    public Identity(String name, List<String> fields, String message, boolean allTenants) {
        this(name, fields, message, allTenants, null, true, null, false, false);
    }

    /**
     * The index's predicate on a resource: the base filter's SQL (unless ignored) and {@link #where}, joined with
     * {@code AND}; {@code null} when neither applies.
     */
    public String predicateOn(Resource resource) {
        return BaseFilter.indexPredicate(resource, ignoreBaseFilter, where);
    }

    /** The name of the identity's unique index on a table: the explicit one, else the generated one. */
    public String indexOn(String table) {
        return indexName != null ? indexName : Names.identityIndex(table, name);
    }
}
