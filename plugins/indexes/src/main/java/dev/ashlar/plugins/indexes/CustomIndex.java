package dev.ashlar.plugins.indexes;

import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Names;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One index that a resource declares beside its identities: on attributes or SQL expressions,
 * optionally unique, partial, covering, built concurrently or with another access method. Made with
 * {@link CustomIndexes#index(String...)}.
 *
 * @param fields        attribute names (quoted as identifiers) or SQL expressions (written as given, as in
 *                      PostgreSQL: a function call such as {@code lower(email)} as is, any other expression in
 *                      parentheses, e.g. {@code (price * quantity)}); an entry that is a plain name must be an
 *                      attribute of the resource
 * @param name          the index's name, or {@code null} for {@code <table>_<fields>_index}
 * @param unique        whether the index refuses two rows with equal values
 * @param where         the predicate of a partial index, as SQL, or {@code null}
 * @param using         the access method ({@code btree}, {@code hash}, {@code gin}, {@code gist}, {@code brin},
 *                      {@code spgist}, or one an extension adds), or {@code null} for PostgreSQL's default (btree)
 * @param include       attributes stored in the index without being part of its key (a covering index)
 * @param concurrently  whether the index is built and dropped without locking out writes, outside a transaction
 * @param nullsDistinct {@code false} makes a unique index treat nulls as equal (PostgreSQL 15 and later)
 * @param message       the error message on the index's fields when a unique index refuses a value, or
 *                      {@code null} for "has already been taken"
 * @param allTenants    for a resource with a tenant column: a unique index spans all tenants instead of
 *                      holding per tenant (the tenant column is then not put first in it)
 * @param ignoreBaseFilter {@code true} leaves the resource's base filter out of the index's predicate, which by
 *                      default includes it (AshPostgres's {@code base_filter_sql})
 * @param errorFields   the attributes that get the error when a unique index refuses a value (AshPostgres's
 *                      {@code error_fields}), or empty for the attributes the index covers; not part of the index
 *                      itself, so changing them generates no migration
 */
public record CustomIndex(List<String> fields, String name, boolean unique, String where, String using,
                          List<String> include, boolean concurrently, boolean nullsDistinct, String message,
                          boolean allTenants, boolean ignoreBaseFilter, List<String> errorFields) {
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    public CustomIndex {
        fields = List.copyOf(fields);
        include = List.copyOf(include);
        errorFields = List.copyOf(errorFields);
    }

    /** The same index on other fields with another predicate (those it has on a table, tenant column included). */
    CustomIndex on(List<String> otherFields, String otherWhere) {
        return new CustomIndex(otherFields, name, unique, otherWhere, using, include, concurrently, nullsDistinct,
                message, allTenants, ignoreBaseFilter, errorFields);
    }

    /**
     * The index's name on a table: its own, or {@link Names#index} of the fields, each expression made into
     * lower-case words ({@code lower(email)} becomes {@code lower_email}).
     */
    public String nameOn(String table) {
        return name != null ? name : Names.index(table, fields.stream().map(field -> isPlainName(field) ? field
                : words(field)).toList());
    }

    /**
     * The index's name on a resource's table: {@link #nameOn(String)} with each attribute named by its column, so
     * that an attribute stored in a column of another name ({@code a -> a.column(...)}) names the index by the column.
     */
    public String nameOn(Resource resource) {
        return name != null ? name : Names.index(resource.table(), fields.stream().map(field -> namePart(field, resource))
                .toList());
    }

    /**
     * An attribute whose name is not a plain name could not be indexed before it was recognised as one: its column
     * names the index as it is. Other names are kept as they were, so that no existing index is renamed.
     */
    private static String namePart(String field, Resource resource) {
        if (!isPlainName(field) && resource.attribute(field).isPresent()) {
            return resource.columnOf(field);
        }
        String sql = isAttribute(field, resource) ? resource.columnOf(field) : field;
        return isPlainName(sql) ? sql : words(sql);
    }

    /** An expression made into lower-case words: {@code lower(email)} becomes {@code lower_email}. */
    private static String words(String expression) {
        return expression.replaceAll("\\W+", "_").replaceAll("^_+|_+$", "").toLowerCase(Locale.ROOT);
    }

    /** The fields with each attribute replaced by its column; SQL expressions stay as written. */
    List<String> sqlFields(Resource resource) {
        return fields.stream().map(field -> isAttribute(field, resource) ? resource.columnOf(field) : field).toList();
    }

    /**
     * Whether a field names an attribute rather than being a SQL expression: it is the name of one of the resource's
     * attributes, whatever characters that holds ({@code "naïve"}, {@code "unit price"}), or a plain name, which
     * must then be one (validation says so).
     */
    static boolean isAttribute(String field, Resource resource) {
        return resource.attribute(field).isPresent() || isPlainName(field);
    }

    private static boolean isPlainName(String field) {
        return PLAIN_NAME.matcher(field).matches();
    }

    /** For messages: {@code custom index (first_name, last_name)}. */
    String describe() {
        return "custom index (" + String.join(", ", fields) + ")";
    }

    /** The options of one index, as {@link CustomIndexes#index(String...)} starts them. */
    public static final class Builder {
        private final List<String> fields;
        private final List<String> include = new ArrayList<>();
        private String name;
        private boolean unique;
        private boolean allTenants;
        private boolean ignoreBaseFilter;
        private String where;
        private String using;
        private boolean concurrently;
        private boolean nullsDistinct = true;
        private String message;
        private final List<String> errorFields = new ArrayList<>();

        Builder(List<String> fields) {
            this.fields = List.copyOf(fields);
        }

        /** Names the index instead of {@code <table>_<fields>_index}; at most 63 bytes. */
        public Builder name(String indexName) {
            this.name = Objects.requireNonNull(indexName, "name");
            return this;
        }

        /** Makes the index unique. */
        public Builder unique() {
            this.unique = true;
            return this;
        }

        /** Makes the index partial: only rows where this SQL predicate holds are indexed (and, if unique, unique). */
        public Builder where(String predicate) {
            this.where = Objects.requireNonNull(predicate, "where");
            return this;
        }

        /** The access method: {@code btree} (the default), {@code hash}, {@code gin}, {@code gist}, {@code brin}, ... */
        public Builder using(String method) {
            this.using = Objects.requireNonNull(method, "using").toLowerCase(Locale.ROOT);
            return this;
        }

        /** Attributes stored in the index beside its key, so that queries reading them need not visit the table. */
        public Builder include(String... attributes) {
            include.addAll(List.of(attributes));
            return this;
        }

        /**
         * Builds and drops the index with {@code CONCURRENTLY}, without blocking writes; its migration then runs
         * outside a transaction, in a file of its own.
         */
        public Builder concurrently() {
            this.concurrently = true;
            return this;
        }

        /** {@code false}: a unique index treats nulls as equal values ({@code NULLS NOT DISTINCT}, PostgreSQL 15+). */
        public Builder nullsDistinct(boolean distinct) {
            this.nullsDistinct = distinct;
            return this;
        }

        /** The index covers every row: the resource's base filter is left out of its predicate. */
        public Builder ignoreBaseFilter() {
            this.ignoreBaseFilter = true;
            return this;
        }

        /** A unique index over all tenants, rather than per tenant, on a resource with a tenant column. */
        public Builder allTenants(boolean everywhere) {
            this.allTenants = everywhere;
            return this;
        }

        /** The error message put on the index's fields when this unique index refuses a value. */
        public Builder message(String text) {
            this.message = Objects.requireNonNull(text, "message");
            return this;
        }

        /**
         * The attributes that get the error when this unique index refuses a value, instead of those it covers
         * (AshPostgres's {@code error_fields}): e.g. {@code index("lower(email)", "org_id").unique().errorFields("email")}.
         */
        public Builder errorFields(String... attributes) {
            errorFields.addAll(List.of(attributes));
            return this;
        }

        /** The index as an immutable value; {@link CustomIndexes#of} calls it. */
        public CustomIndex build() {
            return new CustomIndex(fields, name, unique, where, using, include, concurrently, nullsDistinct, message,
                    allTenants, ignoreBaseFilter, errorFields);
        }
    }
}
