package dev.ashlar.api.resource;

/**
 * The options of one attribute in the resource DSL:
 * {@code .attribute("title", TEXT, a -> a.notNull().defaultValue("untitled"))}.
 */
public final class AttributeOptions {
    private boolean nullable = true;
    private boolean primaryKey;
    private boolean generated;
    private Default defaultValue;

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

    Attribute build(String name, Type type) {
        return new Attribute(name, type, nullable, primaryKey, generated, defaultValue);
    }
}
