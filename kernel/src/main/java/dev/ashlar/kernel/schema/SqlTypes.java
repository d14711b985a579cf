package dev.ashlar.kernel.schema;

import dev.ashlar.api.resource.Type;
import dev.ashlar.api.sql.Identifiers;

/** Maps attribute types to the PostgreSQL types written in DDL. */
public final class SqlTypes {
    private SqlTypes() {
    }

    public static String of(Type type) {
        return of(type, "");
    }

    /**
     * The type as a tenant schema's DDL writes it. Tenant migrations run with the tenant's schema alone on the search
     * path, so the types of extensions, which the main migrations create in {@code public} (where a tenant read's
     * hand-written SQL finds them too), are written qualified: {@code "public".ltree}.
     */
    public static String inTenantSchema(Type type) {
        return of(type, Identifiers.quote("public") + ".");
    }

    private static String of(Type type, String extensionSchema) {
        if (type instanceof Type.Scalar scalar) {
            return switch (scalar) {
                case SMALLINT -> "smallint";
                case INTEGER -> "integer";
                case BIGINT -> "bigint";
                case BOOLEAN -> "boolean";
                case UUID -> "uuid";
                case FLOAT -> "real";
                case DOUBLE -> "double precision";
                case DATE -> "date";
                case TIME -> "time";
                case TIMESTAMP -> "timestamp";
                case TIMESTAMPTZ -> "timestamptz";
                case INTERVAL -> "interval";
                case BINARY -> "bytea";
                case JSON -> "jsonb";
                case CITEXT -> extensionSchema + "citext";
            };
        }
        if (type instanceof Type.Text text) {
            return text.maxLength() == null ? "text" : "varchar(" + text.maxLength() + ")";
        }
        if (type instanceof Type.Decimal decimal) {
            return decimal.precision() == null ? "numeric"
                    : "numeric(" + decimal.precision() + "," + decimal.scale() + ")";
        }
        if (type instanceof Type.Vector vector) {
            return extensionSchema + "vector(" + vector.dimensions() + ")";
        }
        if (type instanceof Type.Ltree) {
            return extensionSchema + "ltree";
        }
        if (type instanceof Type.Range range) {
            return rangeOf(range.element());
        }
        if (type instanceof Type.Enumerated enumerated) {
            // A native enum type bare, as the search path finds it; the schema builder qualifies it for main tables.
            return enumerated.isNative() ? Identifiers.quote(enumerated.nativeType()) : "text";
        }
        if (type instanceof Type.Composite composite) {
            // Bare, as the search path finds it; the schema builder qualifies it for main tables.
            return Identifiers.quote(composite.typeName());
        }
        return of(((Type.Array) type).element(), extensionSchema) + "[]";
    }

    /** PostgreSQL's built-in range type over an element type ({@code integer} gives {@code int4range}). */
    private static String rangeOf(Type element) {
        return switch (of(element)) {
            case "integer" -> "int4range";
            case "bigint" -> "int8range";
            case "numeric" -> "numrange";
            case "date" -> "daterange";
            case "timestamp" -> "tsrange";
            default -> "tstzrange";
        };
    }
}
