package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;

/**
 * The options of one attribute in the resource DSL:
 * {@code .attribute("title", TEXT, a -> a.notNull().defaultValue("untitled"))}.
 */
public final class AttributeOptions {
    private boolean nullable = true;
    private boolean primaryKey;
    private boolean generated;
    private Default defaultValue;
    private String migrationType;
    private String migrationDefault;
    private boolean touchOnUpdate;
    private String column;
    private boolean updatable = true;

    AttributeOptions() {
    }

    /** The attribute is required: the column gets {@code NOT NULL}. */
    public AttributeOptions notNull() {
        this.nullable = false;
        return this;
    }

    /** Whether null is allowed ({@code allow_nil?} in AshPostgres). Default: true. */
    public AttributeOptions allowNil(boolean allowed) {
        this.nullable = allowed;
        return this;
    }

    /** Makes the attribute (part of) the primary key; implies not null. */
    public AttributeOptions primaryKey() {
        this.primaryKey = true;
        return this;
    }

    /** The database generates values as an identity column (integer types only). */
    public AttributeOptions generated() {
        this.generated = true;
        return this;
    }

    /** A constant default. */
    public AttributeOptions defaultValue(Object value) {
        this.defaultValue = Default.value(value);
        return this;
    }

    /** A SQL expression default, e.g. {@code "now()"}. */
    public AttributeOptions defaultSql(String expression) {
        this.defaultValue = Default.sql(expression);
        return this;
    }

    /**
     * The column type migrations write instead of the one the attribute's type maps to, e.g. {@code "varchar(16)"}
     * or {@code "citext"} ({@code migration_types} in AshPostgres). Values still move as the attribute's type.
     */
    public AttributeOptions migrationType(String sqlType) {
        this.migrationType = sqlType;
        return this;
    }

    /**
     * A SQL default written in migrations only, e.g. {@code "now()"} ({@code migration_defaults} in AshPostgres):
     * rows created through plain SQL get it; a create through Ashlar that leaves the attribute out does too.
     */
    public AttributeOptions migrationDefault(String sqlExpression) {
        this.migrationDefault = sqlExpression;
        return this;
    }

    /**
     * Every update through Ashlar that does not set this timestamp sets it to {@code now()}, as
     * {@link ResourceBuilder#timestamps()} does for {@code updated_at}.
     */
    public AttributeOptions touchOnUpdate() {
        this.touchOnUpdate = true;
        return this;
    }

    /**
     * The column that stores the attribute, when it is not named like it ({@code source} in AshPostgres), e.g.
     * {@code .attribute("displayName", TEXT, a -> a.column("display_name"))}. Records, filters, sorts and keys use
     * the attribute's name; SQL and migrations use the column's, and so does SQL written by hand
     * ({@code Filter.sql}, calculations, checks, index expressions). Changing it later renames the column.
     */
    public AttributeOptions column(String columnName) {
        this.column = columnName;
        return this;
    }

    /**
     * Whether updates may change the attribute (Hibernate's and Ebean's {@code @Column(updatable = false)}). With
     * {@code updatable(false)} the attribute is written only when a record is created, or inserted by an upsert: an
     * update, an update by filter or an upsert naming it among its changes is refused with {@code INVALID_QUERY}
     * naming it, and an update of whole records ({@code updateAll(resource, records)}) or an upsert overwriting every
     * given field leaves it as stored. Default: true.
     */
    public AttributeOptions updatable(boolean updatable) {
        this.updatable = updatable;
        return this;
    }

    Attribute build(String name, Type type) {
        return build(name, type, null);
    }

    /** The attribute, its values stored by the converter (or null): a default given as a Java value is stored too. */
    Attribute build(String name, Type type, Converter<?, ?> converter) {
        String renamed = name != null && name.equals(column) ? null : column;
        ColumnOptions options = renamed == null && migrationType == null && migrationDefault == null && !touchOnUpdate
                && updatable ? ColumnOptions.NONE
                : new ColumnOptions(renamed, migrationType, migrationDefault, touchOnUpdate, updatable);
        return new Attribute(name, type, nullable, primaryKey, generated, storedDefault(name, converter), options,
                converter);
    }

    private Default storedDefault(String name, Converter<?, ?> converter) {
        if (converter == null || !(defaultValue instanceof Default.Value value)) {
            return defaultValue;
        }
        try {
            return Default.value(converter.stored(value.value()));
        } catch (Converter.Refused e) {
            throw DefinitionException.of(null, name, "The default of '" + name + "' " + e.getMessage());
        }
    }
}
