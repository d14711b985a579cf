package dev.ashlar.kernel.inspect;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Type;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Maps a column's PostgreSQL type ({@code format_type}) to a resource's type and its Java expression. */
final class ColumnTypes {
    private ColumnTypes() {
    }

    /**
     * A column's type as the catalog has it.
     *
     * @param formatted   as {@code format_type} prints it, e.g. {@code character varying(40)}
     * @param kind        {@code pg_type.typtype}: {@code e} for an enum type
     * @param labels      an enum type's labels in their order, else empty
     * @param elementKind the {@code typtype} of an array's element type, else null
     */
    record Catalogued(String formatted, String kind, String schema, String name, List<String> labels,
                      String elementKind) {
    }

    /**
     * The type and its source of a column: a native enum type of the inspected schema as {@code pgEnum} with its
     * labels, any other by {@link #of(String, String, String)}.
     */
    static Mapped of(String schema, String table, String column, Catalogued type) {
        if ("e".equals(type.elementKind())) {
            throw DefinitionException.of(table, column, "Column " + table + "." + column + " has type "
                    + type.formatted() + ", an array of an enum type, which no resource type maps to (a native enum "
                    + "type maps to Type.pgEnum, arrays of them do not). Change the column (to text[]), or leave the "
                    + "table out of the domain.");
        }
        if (!"e".equals(type.kind())) {
            return of(table, column, type.formatted());
        }
        if (!type.schema().equals(schema)) {
            throw DefinitionException.of(table, column, "Column " + table + "." + column + " has enum type "
                    + type.schema() + "." + type.name() + " of another schema than its table's (" + schema + "): a "
                    + "resource's native enum type lives in the resource's schema. Move the type there (ALTER TYPE "
                    + "... SET SCHEMA " + schema + "), or leave the table out of the domain.");
        }
        Type.Enumerated enumerated;
        try {
            enumerated = Type.pgEnum(type.name(), type.labels().toArray(String[]::new));
        } catch (DefinitionException e) {
            throw DefinitionException.of(table, column, "Column " + table + "." + column + ": " + e.getMessage());
        }
        return new Mapped(enumerated, "Type.pgEnum("
                + Stream.concat(Stream.of(type.name()), type.labels().stream()).map(InspectedDomain::literal)
                .collect(Collectors.joining(", ")) + ")");
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
            case "smallint" -> new Mapped(Type.SMALLINT, "SMALLINT");
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
            case "interval" -> new Mapped(Type.INTERVAL, "INTERVAL");
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
            // The ltree extension's type, the domain then listing the extension.
            case "ltree" -> new Mapped(Type.LTREE, "LTREE");
            default -> throw DefinitionException.of(table, column, "Column " + table + "." + column + " has type "
                    + formatted + ", which no resource type maps to (smallint, integer, bigint, boolean, uuid, real, double "
                    + "precision, date, time, timestamp, timestamptz, interval, bytea, jsonb, text, varchar(n), numeric(p,s), "
                    + "ltree, their arrays, enum types and the built-in ranges). Change the column, or leave the table out of "
                    + "the domain.");
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
