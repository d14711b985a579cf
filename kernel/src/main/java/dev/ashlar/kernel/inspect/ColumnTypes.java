package dev.ashlar.kernel.inspect;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Type;

/** Maps a column's PostgreSQL type ({@code format_type}) to a resource's type and its Java expression. */
final class ColumnTypes {
    private ColumnTypes() {
    }

    /** The type and its source, e.g. {@code Type.varchar(40)}, of a formatted type like {@code character varying(40)}. */
    static Mapped of(String table, String column, String formatted) {
        if (formatted.endsWith("[]")) {
            Mapped element = of(table, column, formatted.substring(0, formatted.length() - 2));
            return new Mapped(Type.arrayOf(element.type()), "Type.arrayOf(" + element.source() + ")");
        }
        Mapped parameterized = parameterized(formatted);
        if (parameterized != null) {
            return parameterized;
        }
        return switch (formatted) {
            case "integer" -> new Mapped(Type.INTEGER, "INTEGER");
            case "bigint" -> new Mapped(Type.BIGINT, "BIGINT");
            case "boolean" -> new Mapped(Type.BOOLEAN, "BOOLEAN");
            case "uuid" -> new Mapped(Type.UUID, "UUID");
            case "real" -> new Mapped(Type.FLOAT, "FLOAT");
            case "double precision" -> new Mapped(Type.DOUBLE, "DOUBLE");
            case "date" -> new Mapped(Type.DATE, "DATE");
            case "time without time zone" -> new Mapped(Type.TIME, "TIME");
            case "timestamp without time zone" -> new Mapped(Type.TIMESTAMP, "TIMESTAMP");
            case "timestamp with time zone" -> new Mapped(Type.TIMESTAMPTZ, "TIMESTAMPTZ");
            case "bytea" -> new Mapped(Type.BINARY, "BINARY");
            case "jsonb" -> new Mapped(Type.JSON, "JSON");
            case "text" -> new Mapped(Type.TEXT, "TEXT");
            case "numeric" -> new Mapped(Type.DECIMAL, "DECIMAL");
            case "int4range" -> new Mapped(Type.rangeOf(Type.INTEGER), "Type.rangeOf(INTEGER)");
            case "int8range" -> new Mapped(Type.rangeOf(Type.BIGINT), "Type.rangeOf(BIGINT)");
            case "numrange" -> new Mapped(Type.rangeOf(Type.DECIMAL), "Type.rangeOf(DECIMAL)");
            case "daterange" -> new Mapped(Type.rangeOf(Type.DATE), "Type.rangeOf(DATE)");
            case "tsrange" -> new Mapped(Type.rangeOf(Type.TIMESTAMP), "Type.rangeOf(TIMESTAMP)");
            case "tstzrange" -> new Mapped(Type.rangeOf(Type.TIMESTAMPTZ), "Type.rangeOf(TIMESTAMPTZ)");
            default -> throw DefinitionException.of(table, column, "Column " + table + "." + column + " has type "
                    + formatted + ", which no resource type maps to (integer, bigint, boolean, uuid, real, double "
                    + "precision, date, time, timestamp, timestamptz, bytea, jsonb, text, varchar(n), numeric(p,s), "
                    + "their arrays, and the built-in ranges). Change the column, or leave the table out of the domain.");
        };
    }

    private static Mapped parameterized(String formatted) {
        if (formatted.startsWith("character varying(")) {
            int length = Integer.parseInt(formatted.substring("character varying(".length(), formatted.length() - 1));
            return new Mapped(Type.varchar(length), "Type.varchar(" + length + ")");
        }
        if (formatted.startsWith("numeric(")) {
            String[] parts = formatted.substring("numeric(".length(), formatted.length() - 1).split(",");
            int precision = Integer.parseInt(parts[0].trim());
            int scale = Integer.parseInt(parts[1].trim());
            return new Mapped(Type.decimal(precision, scale), "Type.decimal(" + precision + ", " + scale + ")");
        }
        return null;
    }

    /** A resource type and the Java expression that makes it. */
    record Mapped(Type type, String source) {
    }
}
