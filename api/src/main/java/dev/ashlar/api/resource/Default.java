package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;

/**
 * A column default, applied by the database when a create leaves the attribute out. Defaults come
 * from the resource author's code, never from request data.
 */
public sealed interface Default permits Default.Value, Default.Expression {

    /**
     * A version 7 UUID (RFC 9562) made by the server: the first 48 bits are the Unix time in milliseconds, the rest
     * random, so keys created later sort later and new rows land at the end of the primary key's index (AshPostgres's
     * {@code uuid_v7_primary_key}). Written with functions every supported server has, {@code gen_random_uuid()}
     * (whose version bits, 0100, become 0111 with bits 52 and 53 set) and {@code clock_timestamp()}, so it needs
     * neither an extension nor PostgreSQL 18's {@code uuidv7()}.
     */
    String UUID_V7_SQL = "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing "
            + "substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), "
            + "52, 1), 53, 1), 'hex')::uuid";

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
