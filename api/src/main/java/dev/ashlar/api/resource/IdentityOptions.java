package dev.ashlar.api.resource;

import java.util.List;

/**
 * The options of one identity in the resource DSL, AshPostgres's identity options in Java:
 * {@code .identity("unique_email", List.of("email"), i -> i.where("deleted_at IS NULL").message("is in use"))}.
 */
public final class IdentityOptions {
    private String message;
    private boolean allTenants;
    private String where;
    private boolean nullsDistinct = true;
    private String indexName;
    private boolean skipIndex;
    private boolean ignoreBaseFilter;
    private String errorField;

    IdentityOptions() {
    }

    /** The field error's message when a value is taken; by default "has already been taken". */
    public IdentityOptions message(String text) {
        this.message = text;
        return this;
    }

    /** For a resource with a tenant column: unique across all tenants rather than per tenant. */
    public IdentityOptions allTenants() {
        this.allTenants = true;
        return this;
    }

    /**
     * A partial identity: only rows matching this SQL predicate are unique, e.g. {@code "deleted_at IS NULL"}.
     * Upserts on the identity repeat the predicate in their {@code ON CONFLICT} target.
     */
    public IdentityOptions where(String predicateSql) {
        this.where = predicateSql;
        return this;
    }

    /**
     * {@code false}: two nulls count as equal, so a second row with the same nulls is refused
     * ({@code NULLS NOT DISTINCT}, PostgreSQL 15 and later). Default {@code true}, PostgreSQL's default.
     */
    public IdentityOptions nullsDistinct(boolean distinct) {
        this.nullsDistinct = distinct;
        return this;
    }

    /** The unique index's name instead of {@code <table>_<identity>_index}. */
    public IdentityOptions indexName(String name) {
        this.indexName = name;
        return this;
    }

    /**
     * Creates no index: the uniqueness is enforced elsewhere (an index another tool owns, named with
     * {@link #indexName} when it is not the generated name). Violations still become field errors and
     * upserts still target the identity.
     */
    public IdentityOptions skipIndex() {
        this.skipIndex = true;
        return this;
    }

    /** The index holds over every row: the resource's base filter is left out of its predicate. */
    public IdentityOptions ignoreBaseFilter() {
        this.ignoreBaseFilter = true;
        return this;
    }

    /**
     * The field a taken value's error names instead of the identity's first field (Ash's {@code field_names}): a
     * form's input, e.g. {@code department} for an identity over {@code lower_department}, or any name the caller
     * matches on. Not part of the index: changing it generates no migration.
     */
    public IdentityOptions errorField(String name) {
        this.errorField = name;
        return this;
    }

    Identity build(String name, List<String> fields) {
        return new Identity(name, fields, message, allTenants, where, nullsDistinct, indexName, skipIndex,
                ignoreBaseFilter, errorField);
    }
}
