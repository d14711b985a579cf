package dev.ashlar.kernel.data.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Optional;
import java.util.function.Function;

/**
 * The JSON form of the values an embedded record holds beside text, numbers and booleans, as Ecto writes them into an
 * AshPostgres embedded resource: dates and times as ISO-8601 text at microsecond precision (an {@code Instant} as
 * {@code "2024-05-06T07:08:09.123456Z"}, like {@code utc_datetime_usec}; an {@code OffsetDateTime} with its offset; a
 * {@code LocalDateTime} without one, like {@code naive_datetime_usec}; a {@code LocalDate} as {@code "2024-05-06"}), a
 * {@code Duration} or {@code Period} as ISO-8601 text ({@code "PT1H30M"}), an {@code Optional} as its value or null.
 * UUIDs (text), enums (by name), {@code byte[]} (base64) and {@code BigDecimal} (a number, every digit kept) are the
 * JSON writer's own forms.
 *
 * <p>Reading takes what other writers put there: fewer or more fractional digits, any offset ({@code Z},
 * {@code +02:00}, {@code +0200}, {@code +02}, as PostgreSQL's {@code to_jsonb} and text output write them), a space for
 * the {@code T}. A timestamp without an offset read as an {@code Instant} or {@code OffsetDateTime} is taken at UTC, as
 * Ecto casts one; an offset given for a {@code LocalDateTime} or {@code LocalTime} is left out, as Elixir's
 * {@code NaiveDateTime.from_iso8601} does. Text that is none of these is refused naming the value and the form.
 */
final class EmbeddedValues {
    private static final DateTimeFormatter WRITTEN_TIME = new DateTimeFormatterBuilder().appendPattern("HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 6, 6, true).toFormatter();
    private static final DateTimeFormatter WRITTEN_LOCAL = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T').append(WRITTEN_TIME).toFormatter();
    private static final DateTimeFormatter WRITTEN_OFFSET = new DateTimeFormatterBuilder().append(WRITTEN_LOCAL)
            .appendOffset("+HH:MM:ss", "Z").toFormatter();
    private static final DateTimeFormatter WRITTEN_OFFSET_TIME = new DateTimeFormatterBuilder().append(WRITTEN_TIME)
            .appendOffset("+HH:MM:ss", "Z").toFormatter();
    /** A time of day, then an offset if one is written, in any of its usual forms. */
    private static final DateTimeFormatter READ_TIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHmm", "Z").optionalEnd()
            .toFormatter().withResolverStyle(ResolverStyle.STRICT).withChronology(IsoChronology.INSTANCE);
    private static final DateTimeFormatter READ_DATE_TIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd().optionalStart().appendLiteral(' ').optionalEnd()
            .append(READ_TIME)
            .toFormatter().withResolverStyle(ResolverStyle.STRICT).withChronology(IsoChronology.INSTANCE);
    private static final String DATE_TIME = "an ISO-8601 date and time, e.g. \"2024-05-06T07:08:09.123456Z\"";
    private static final String TIME = "an ISO-8601 time of day, e.g. \"07:08:09.123456\"";

    private EmbeddedValues() {
    }

    /** The serializers and deserializers of these values, for the JSON writer and the JSON reader alike. */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("ashlar-embedded-values");
        add(module, Instant.class, at -> WRITTEN_OFFSET.format(micros(at).atOffset(ZoneOffset.UTC)),
                text -> offsetDateTime(text).toInstant(), DATE_TIME);
        add(module, OffsetDateTime.class, at -> WRITTEN_OFFSET.format(micros(at)), EmbeddedValues::offsetDateTime,
                DATE_TIME);
        add(module, ZonedDateTime.class, at -> WRITTEN_OFFSET.format(micros(at.toOffsetDateTime())),
                text -> offsetDateTime(text).toZonedDateTime(), DATE_TIME);
        add(module, LocalDateTime.class, at -> WRITTEN_LOCAL.format(micros(at)),
                text -> LocalDateTime.from(READ_DATE_TIME.parse(text)), "an ISO-8601 date and time, e.g. "
                        + "\"2024-05-06T07:08:09.123456\"");
        add(module, LocalDate.class, DateTimeFormatter.ISO_LOCAL_DATE::format, LocalDate::parse,
                "an ISO-8601 date, e.g. \"2024-05-06\"");
        add(module, LocalTime.class, at -> WRITTEN_TIME.format(micros(at)),
                text -> LocalTime.from(READ_TIME.parse(text)), TIME);
        add(module, OffsetTime.class, at -> WRITTEN_OFFSET_TIME.format(micros(at)), EmbeddedValues::offsetTime,
                "an ISO-8601 time of day with its offset, e.g. \"07:08:09.123456+02:00\"");
        add(module, Duration.class, length -> micros(length).toString(), Duration::parse,
                "an ISO-8601 duration, e.g. \"PT1H30M\"");
        add(module, Period.class, Period::toString, Period::parse, "an ISO-8601 period, e.g. \"P1Y2M3D\"");
        module.addSerializer(Optional.class, new OptionalWriter());
        module.addDeserializer(Optional.class, new OptionalReader(null));
        return module;
    }

    private static OffsetDateTime offsetDateTime(String text) {
        TemporalAccessor parsed = READ_DATE_TIME.parse(text);
        return parsed.isSupported(ChronoField.OFFSET_SECONDS) ? OffsetDateTime.from(parsed)
                : LocalDateTime.from(parsed).atOffset(ZoneOffset.UTC);
    }

    private static OffsetTime offsetTime(String text) {
        TemporalAccessor parsed = READ_TIME.parse(text);
        return parsed.isSupported(ChronoField.OFFSET_SECONDS) ? OffsetTime.from(parsed)
                : LocalTime.from(parsed).atOffset(ZoneOffset.UTC);
    }

    /** Each time is rounded to the microsecond, half up, as Ashlar rounds a time attribute it stores. */
    private static Instant micros(Instant at) {
        return at.plusNanos(ScalarCodec.toMicrosecond(at.getNano()));
    }

    private static OffsetDateTime micros(OffsetDateTime at) {
        return at.plusNanos(ScalarCodec.toMicrosecond(at.getNano()));
    }

    private static LocalDateTime micros(LocalDateTime at) {
        return at.plusNanos(ScalarCodec.toMicrosecond(at.getNano()));
    }

    /** Like PostgreSQL's {@code time}, a time that rounds past midnight stays at the last microsecond of the day. */
    private static LocalTime micros(LocalTime at) {
        long rounding = ScalarCodec.toMicrosecond(at.getNano());
        LocalTime rounded = at.plusNanos(rounding);
        return rounding > 0 && rounded.isBefore(at) ? LocalTime.MAX.minusNanos(999) : rounded;
    }

    private static OffsetTime micros(OffsetTime at) {
        return OffsetTime.of(micros(at.toLocalTime()), at.getOffset());
    }

    private static Duration micros(Duration length) {
        return length.plusNanos(ScalarCodec.toMicrosecond(length.getNano()));
    }

    private static <T> void add(SimpleModule module, Class<T> type, Function<T, String> write, Function<String, T> read,
                                String form) {
        module.addSerializer(type, new StdSerializer<T>(type) {
            @Override
            public void serialize(T value, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeString(write.apply(value));
            }
        });
        module.addDeserializer(type, new StdDeserializer<T>(type) {
            @Override
            public T deserialize(JsonParser in, DeserializationContext context) throws IOException {
                String text = in.getText();
                if (in.currentToken() != JsonToken.VALUE_STRING) {
                    String name = type.getSimpleName();
                    throw InvalidFormatException.from(in, (name.matches("[AEIOU].*") ? "an " : "a ") + name
                            + " is read from text, " + form + ", not from " + text, text, type);
                }
                try {
                    return read.apply(text.strip());
                } catch (DateTimeException | ArithmeticException e) {
                    throw InvalidFormatException.from(in, "\"" + text + "\" is no " + type.getSimpleName()
                            + ": write " + form, text, type);
                }
            }
        });
    }

    /** An empty {@code Optional} as JSON null, a present one as its value. */
    @SuppressWarnings("rawtypes")
    private static final class OptionalWriter extends StdSerializer<Optional> {
        OptionalWriter() {
            super(Optional.class);
        }

        @Override
        public void serialize(Optional value, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (value.isPresent()) {
                provider.defaultSerializeValue(value.get(), out);
            } else {
                out.writeNull();
            }
        }
    }

    /** JSON null or a missing key as an empty {@code Optional}, a value as the {@code Optional}'s element type. */
    private static final class OptionalReader extends StdDeserializer<Optional<?>> implements ContextualDeserializer {
        private final transient JsonDeserializer<Object> element;

        OptionalReader(JsonDeserializer<Object> element) {
            super(Optional.class);
            this.element = element;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
                throws com.fasterxml.jackson.databind.JsonMappingException {
            // The type read here: an element's type inside a List or Map, not the property's (the List's) type.
            JavaType type = context.getContextualType() != null ? context.getContextualType()
                    : property != null ? property.getType() : null;
            JavaType elementType = type == null ? context.constructType(Object.class) : type.containedTypeOrUnknown(0);
            return new OptionalReader(context.findContextualValueDeserializer(elementType, property));
        }

        @Override
        public Optional<?> deserialize(JsonParser in, DeserializationContext context) throws IOException {
            return Optional.ofNullable(element.deserialize(in, context));
        }

        @Override
        public Optional<?> getNullValue(DeserializationContext context) {
            return Optional.empty();
        }
    }
}
