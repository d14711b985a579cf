package dev.ashlar.kernel.schema;

import dev.ashlar.api.error.DefinitionException;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders a resource author's constant default as a SQL literal for DDL. Only ever given values
 * from code (resource definitions), never request data, which is always bound.
 */
public final class SqlLiterals {
    private SqlLiterals() {
    }

    public static String of(Object value) {
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof BigDecimal) {
            return value.toString();
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                return quoted(value.toString());
            }
            return value.toString();
        }
        if (value instanceof Enum<?> constant) {
            return quoted(constant.name());
        }
        if (value instanceof List<?> list) {
            return "ARRAY[" + list.stream().map(SqlLiterals::of).collect(Collectors.joining(", ")) + "]";
        }
        return quoted(value.toString());
    }

    /**
     * A single-quoted string literal. PostgreSQL has {@code standard_conforming_strings} on since 9.1,
     * so a backslash is an ordinary character and only the quote needs doubling.
     */
    public static String quoted(String text) {
        if (text.indexOf('\0') >= 0) {
            throw DefinitionException.of(null, null, "A default value contains a NUL character, which PostgreSQL "
                    + "cannot store in text");
        }
        return "'" + text.replace("'", "''") + "'";
    }
}
