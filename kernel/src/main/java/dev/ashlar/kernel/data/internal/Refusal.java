package dev.ashlar.kernel.data.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.spi.plugin.DatabaseError;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The SQL of {@code Filter.error} and {@code Filter.errorIf}, which fail a statement with a message, and the message
 * read back from the failure.
 *
 * <p>PostgreSQL has no expression that raises an error ({@code RAISE} is PL/pgSQL's), and a function of Ashlar's own
 * would need a migration in every database. {@code set_config} given a value its setting does not take fails with that
 * value in the message (SQL state 22023), and is volatile, so it runs only for a row the {@code CASE} reaches it for; a
 * failing cast of a bound value would not do, as the planner folds it when it plans the statement and fails for every
 * row ("a CASE cannot prevent evaluation of ... constant subexpressions", PostgreSQL's manual, 4.2.14).
 *
 * <p>An error that names a field or carries values ({@code Filter.errorIf(condition, field, message, details)}) sends
 * them as one JSON object after its own mark, {@code {"m": message, "f": field, "d": {name: value}}}, built by the
 * statement so that a value read from the failing row ({@code to_jsonb} of its column) comes back as the row held it.
 */
final class Refusal {
    /** Starts the value given to the setting, so that its failure is told from any other of that state. */
    private static final String MARK = "ashlar-error: ";
    /** Starts the value of an error with a field or values: JSON follows. */
    private static final String DETAILED_MARK = "ashlar-error-json: ";
    private static final String INVALID_PARAMETER_VALUE = "22023";
    private static final Codec TEXT = TextCodec.text(null);
    private static final TypeReference<LinkedHashMap<String, Object>> DETAILS = new TypeReference<>() {
    };

    /** The text before the bound value: an enum setting takes no value starting with {@link #MARK}. */
    static final String FAIL = "pg_catalog.set_config('client_min_messages', ";
    /** The text after it: a boolean expression, never reached as a value. */
    static final String FAILED = ", true) IS NULL";

    private Refusal() {
    }

    /** The value bound into {@link #FAIL}: the message, marked. */
    static String value(String message) {
        return MARK + message;
    }

    /**
     * Writes the value given to the setting for an error with a field or values: the mark, then the JSON object
     * built by the statement, the values given bound as one JSON text and each {@code ref(...)} read from the row.
     *
     * @param column the column of an attribute of the row, as the statement names it
     */
    static void writeDetailed(SqlWriter out, String resource, Filter.Raise raise, Function<String, String> column) {
        Map<String, Object> given = new LinkedHashMap<>();
        Map<String, String> read = new LinkedHashMap<>();
        raise.details().forEach((name, value) -> {
            if (value instanceof Filter.Ref ref) {
                read.put(name, ref.field());
            } else {
                given.put(name, json(resource, name, value));
            }
        });
        String givenJson;
        try {
            givenJson = JsonCodec.MAPPER.writeValueAsString(given);
        } catch (JsonProcessingException e) {
            throw QueryException.of(resource, raise.field(), "The values of error(\"" + raise.message() + "\") "
                    + "cannot be written as JSON: " + e.getOriginalMessage());
        }
        out.bind(TEXT, DETAILED_MARK).append(" || jsonb_build_object('m', ").bind(TEXT, raise.message())
                .append("::text, 'f', ").bind(TEXT, raise.field()).append("::text, 'd', ").bind(TEXT, givenJson)
                .append("::jsonb");
        if (!read.isEmpty()) {
            out.append(" || jsonb_build_object(");
            String separator = "";
            for (Map.Entry<String, String> entry : read.entrySet()) {
                out.append(separator).bind(TEXT, entry.getKey()).append("::text, to_jsonb(")
                        .append(column.apply(entry.getValue())).append(")");
                separator = ", ";
            }
            out.append(")");
        }
        out.append(")::text");
    }

    /** The fields an error's values read from the row, in order: part of the shape of its statement. */
    static List<String> readFields(Filter.Raise raise) {
        return raise.details().values().stream().filter(Filter.Ref.class::isInstance)
                .map(value -> ((Filter.Ref) value).field()).toList();
    }

    /** A value given to an error, as JSON takes it; refused, naming it, when JSON has no form for it. */
    private static Object json(String resource, String name, Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigDecimal || value instanceof BigInteger) {
            return value;
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isFinite(number)) {
                return value;
            }
        } else if (value instanceof UUID || value instanceof Temporal || value instanceof Enum<?>
                || value instanceof CharSequence) {
            return value.toString();
        } else if (value instanceof Collection<?> values) {
            List<Object> list = new ArrayList<>();
            values.forEach(element -> list.add(json(resource, name, element)));
            return list;
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> object = new LinkedHashMap<>();
            map.forEach((key, element) -> object.put(String.valueOf(key), json(resource, name, element)));
            return object;
        }
        throw QueryException.of(resource, name, "The error's value '" + name + "' (" + value + ", a "
                + value.getClass().getName() + ") has no JSON form: give text, a number, a boolean, a UUID, a date "
                + "or time, a list or a map of those, or ref(\"field\") for a value of the row");
    }

    /** The error of a failure of {@code Filter.error}, or null for any other error. */
    static FieldError error(DatabaseError error) {
        String text = error.message();
        if (!INVALID_PARAMETER_VALUE.equals(error.sqlState()) || text == null) {
            return null;
        }
        int end = text.lastIndexOf('"');
        int start = text.indexOf('"' + MARK);
        if (start >= 0 && end > start) {
            return new FieldError(null, text.substring(start + 1 + MARK.length(), end));
        }
        start = text.indexOf('"' + DETAILED_MARK);
        return start < 0 || end <= start ? null : detailed(text.substring(start + 1 + DETAILED_MARK.length(), end));
    }

    private static FieldError detailed(String json) {
        JsonNode node;
        try {
            node = JsonCodec.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
        Map<String, Object> details = node.path("d").isObject()
                ? JsonCodec.MAPPER.convertValue(node.path("d"), DETAILS) : Map.of();
        JsonNode field = node.path("f");
        return new FieldError(field.isTextual() ? field.asText() : null, node.path("m").asText(), null, null, details);
    }
}
