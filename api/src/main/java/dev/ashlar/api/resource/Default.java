package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;

/**
 * A column default, applied by the database when a create leaves the attribute out. Defaults come
 * from the resource author's code, never from request data.
 */
public sealed interface Default permits Default.Value, Default.Expression {

    /** A constant: a string, number, boolean, UUID, date/time or enum constant. */
    static Default value(Object value) {
        return new Value(value);
    }

    /** A SQL expression evaluated by the server, e.g. {@code now()} or {@code gen_random_uuid()}. */
    static Default sql(String expression) {
        return new Expression(expression);
    }

    record Value(Object value) implements Default {
        public Value {
            if (value == null) {
                throw DefinitionException.of(null, null,
                        "a default value cannot be null; a nullable attribute is already null by default");
            }
        }
    }

    record Expression(String sql) implements Default {
        public Expression {
            if (sql == null || sql.isBlank()) {
                throw DefinitionException.of(null, null, "a SQL default needs an expression, e.g. Default.sql(\"now()\")");
            }
        }
    }
}
