package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.function.Function;

/**
 * How a value compared with a path inside JSON reads the text at the path: as text, a number, a boolean, a date or
 * time, a UUID or an interval, chosen by the value's Java type. The cast is written into the SQL, so it is part of a
 * query's shape. A date or time is compared as one, not as text: {@code "2024-05-06T09:00:00+02:00"} is before
 * {@code "2024-05-06T08:00:00Z"}, and {@code "07:08:09.5Z"} after {@code "07:08:09.123Z"}, though not as text.
 */
enum JsonValue {
    TEXT("", TextCodec.text(null)),
    NUMERIC("::numeric", new DecimalCodec(null, null)),
    BOOLEAN("::boolean", ScalarCodec.BOOLEAN),
    DATE("::date", ScalarCodec.DATE),
    TIME("::time", ScalarCodec.TIME),
    TIMESTAMP("::timestamp", ScalarCodec.TIMESTAMP),
    TIMESTAMPTZ("::timestamptz", ScalarCodec.TIMESTAMPTZ),
    UUID("::uuid", ScalarCodec.UUID_),
    INTERVAL("::interval", new IntervalCodec(null, null));

    private final String cast;
    private final Codec codec;
    private final ArrayCodec list;

    JsonValue(String cast, Codec codec) {
        this.cast = cast;
        this.codec = codec;
        this.list = new ArrayCodec(codec);
    }

    /** The type a value is compared as, or null when it is none of them. */
    static JsonValue typeOf(Object value) {
        if (value instanceof CharSequence || value instanceof Enum<?> || value instanceof Character) {
            return TEXT;
        }
        if (value instanceof Number) {
            return NUMERIC;
        }
        if (value instanceof Instant || value instanceof OffsetDateTime || value instanceof ZonedDateTime) {
            return TIMESTAMPTZ;
        }
        return value instanceof Boolean ? BOOLEAN : value instanceof LocalDate ? DATE
                : value instanceof LocalTime ? TIME : value instanceof LocalDateTime ? TIMESTAMP
                : value instanceof java.util.UUID ? UUID
                : value instanceof Duration ? INTERVAL : null;
    }

    /** Whether the value is written in JSON as it is compared: text, a number or a boolean, no date or time. */
    boolean plainJson() {
        return this == TEXT || this == NUMERIC || this == BOOLEAN;
    }

    /** The type a value is compared as; refused, with the problem given to {@code refusal}, when it is none. */
    static JsonValue of(Object value, Function<String, QueryException> refusal) {
        JsonValue as = typeOf(value);
        if (as == null) {
            throw refusal.apply("compare it with text, a number, a boolean, a date or time (LocalDate, LocalTime, "
                    + "LocalDateTime, Instant, OffsetDateTime), a UUID or a Duration, not a "
                    + value.getClass().getName());
        }
        return as;
    }

    /** The one type all the values of an {@code in} share (text for none). */
    static JsonValue ofAll(List<?> values, Function<String, QueryException> refusal) {
        JsonValue as = values.isEmpty() ? TEXT : of(values.get(0), refusal);
        for (Object value : values) {
            if (of(value, refusal) != as) {
                throw refusal.apply("the values of in(...) mix types (" + values + "): give values of one type, "
                        + "all text, all numbers, all dates, ...");
            }
        }
        return as;
    }

    /** The value as its codec takes it: an enum by its name, a character as text. */
    Object convert(Object value) {
        return value instanceof Enum<?> constant ? constant.name() : value instanceof Character c ? c.toString() : value;
    }

    /** The cast that reads the text at the path as this type: empty for text. */
    String cast() {
        return cast;
    }

    Codec codec() {
        return codec;
    }

    ArrayCodec list() {
        return list;
    }
}
