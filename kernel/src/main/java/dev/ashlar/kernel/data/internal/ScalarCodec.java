package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.UUID;

/**
 * The codecs of the parameterless attribute types; JSON has its own ({@link JsonCodec}). Each value
 * is read as its Java type through the driver's {@code getObject(index, type)}, which gives null for
 * SQL null and keeps microseconds.
 */
enum ScalarCodec implements Codec {
    SMALLINT("smallint", "int2", Short.class, "a smallint") {
        @Override
        public Object toDatabase(Object value) {
            long whole = wholeNumber(value, this);
            if (whole < Short.MIN_VALUE || whole > Short.MAX_VALUE) {
                throw wholeOutOfRange(this, value);
            }
            return (short) whole;
        }
    },
    INTEGER("integer", "int4", Integer.class, "an integer") {
        @Override
        public Object toDatabase(Object value) {
            if (value instanceof Integer same) {
                return same;   // as it is, not boxed again
            }
            long whole = wholeNumber(value, this);
            if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
                throw wholeOutOfRange(this, value);
            }
            return (int) whole;
        }
    },
    BIGINT("bigint", "int8", Long.class, "a bigint") {
        @Override
        public Object toDatabase(Object value) {
            return value instanceof Long same ? same : (Object) wholeNumber(value, this);
        }
    },
    BOOLEAN("boolean", "bool", Boolean.class, "a boolean"),
    UUID_("uuid", "uuid", UUID.class, "a uuid") {
        @Override
        public Object toDatabase(Object value) {
            if (value instanceof String text) {
                try {
                    return UUID.fromString(text);
                } catch (IllegalArgumentException e) {
                    throw new RejectedValue("is not a valid uuid: '" + text + "'");
                }
            }
            return super.toDatabase(value);
        }
    },
    FLOAT("real", "float4", Float.class, "a number") {
        @Override
        public Object toDatabase(Object value) {
            Number number = expect(value, Number.class, what);
            float single = number.floatValue();
            if (Float.isInfinite(single) && Double.isFinite(number.doubleValue())) {
                throw new RejectedValue("is out of range for real (at most about 3.4e38 either way), got " + value
                        + "; make the attribute DOUBLE or DECIMAL");
            }
            if (exactOnly(number) && loses(number, Float.toString(single))) {
                throw new RejectedValue("has more digits than real keeps (about 6), got " + value + ", which would be "
                        + "stored as " + single + "; make the attribute DOUBLE or DECIMAL");
            }
            return single;
        }
    },
    DOUBLE("double precision", "float8", Double.class, "a number") {
        @Override
        public Object toDatabase(Object value) {
            Number number = expect(value, Number.class, what);
            double wide = number.doubleValue();
            if (Double.isInfinite(wide) && !(value instanceof Double || value instanceof Float)) {
                throw new RejectedValue("is out of range for double precision (at most about 1.8e308 either way), "
                        + "got " + value + "; make the attribute DECIMAL");
            }
            if (exactOnly(number) && loses(number, Double.toString(wide))) {
                throw new RejectedValue("has more digits than double precision keeps (about 15), got " + value
                        + ", which would be stored as " + wide + "; make the attribute DECIMAL");
            }
            return wide;
        }
    },
    DATE("date", "date", LocalDate.class, "a LocalDate") {
        @Override
        public Object toDatabase(Object value) {
            LocalDate date = expect(value, LocalDate.class, what);
            if (date.isBefore(FIRST_DAY) || date.isAfter(LAST_DAY)) {
                throw outOfRange("date", "4713-01-01 BC to 5874897-12-31", value);
            }
            return date;
        }
    },
    TIME("time", "time", LocalTime.class, "a LocalTime") {
        /** A time that rounds past midnight is 24:00:00 to PostgreSQL, which the driver reads as LocalTime.MAX. */
        @Override
        public Object toDatabase(Object value) {
            LocalTime time = expect(value, LocalTime.class, what);
            long rounding = toMicrosecond(time.getNano());
            LocalTime rounded = time.plusNanos(rounding);
            return rounding > 0 && rounded.isBefore(time) ? LocalTime.MAX : rounded;
        }
    },
    TIMESTAMP("timestamp", "timestamp", LocalDateTime.class, "a LocalDateTime") {
        @Override
        public Object toDatabase(Object value) {
            LocalDateTime time = expect(value, LocalDateTime.class, what);
            if (time.isBefore(FIRST_DAY.atStartOfDay()) || time.isAfter(LAST_MOMENT)) {
                throw outOfRange("timestamp", "4713-01-01 BC to 294276-12-31 23:59:59.999999", value);
            }
            return time.plusNanos(toMicrosecond(time.getNano()));
        }

        @Override
        public Object toBulk(Object value) {
            LocalDateTime time = (LocalDateTime) value;
            return micros(time.toEpochSecond(ZoneOffset.UTC), time.getNano());
        }

        /** A LocalDateTime in range as its microseconds, rounded as {@link #toDatabase} rounds it. */
        @Override
        long carriedMicros(Object value) {
            return value instanceof LocalDateTime time && !time.isBefore(FIRST_DAY.atStartOfDay())
                    && !time.isAfter(LAST_MOMENT) ? micros(time.toEpochSecond(ZoneOffset.UTC), time.getNano())
                    : (Long) toBulk(toDatabase(value));
        }
    },
    TIMESTAMPTZ("timestamptz", "timestamptz", OffsetDateTime.class, "an Instant or OffsetDateTime") {
        @Override
        public Object toDatabase(Object value) {
            Instant instant = value instanceof Instant given ? given : value instanceof ZonedDateTime zoned
                    ? zoned.toInstant() : expect(value, OffsetDateTime.class, what).toInstant();
            if (instant.isBefore(FIRST_INSTANT) || instant.isAfter(LAST_INSTANT)) {
                throw outOfRange("timestamptz", "4713-01-01 00:00:00+00 BC to 294276-12-31 23:59:59.999999+00",
                        value);
            }
            long rounding = toMicrosecond(instant.getNano());
            // Not instant.atOffset(UTC): that builds the offset's zone rules again for every value.
            return value instanceof Instant ? OffsetDateTime.of(LocalDateTime.ofEpochSecond(instant.getEpochSecond(),
                    instant.getNano(), ZoneOffset.UTC), ZoneOffset.UTC).plusNanos(rounding)
                    : value instanceof ZonedDateTime zoned ? zoned.toOffsetDateTime().plusNanos(rounding)
                    : ((OffsetDateTime) value).plusNanos(rounding);
        }

        /**
         * Read as the driver's {@code Timestamp}, an instant already: as an {@code OffsetDateTime}, the driver would
         * build the UTC offset's zone rules again for every value. A {@code Timestamp} counts days before 15 October
         * 1582 in the Julian calendar where PostgreSQL counts them in the Gregorian one, and has no infinity: such
         * values are read again as an {@code OffsetDateTime}, infinity as {@code Instant.MAX} (and {@code MIN}).
         */
        @Override
        public Object read(ResultSet rows, int index) throws SQLException {
            java.sql.Timestamp value = timestamp(rows, index);
            if (value == null) {
                return null;
            }
            long millis = value.getTime();
            if (millis > GREGORIAN_MILLIS && millis < LAST_MILLIS) {
                return value.toInstant();
            }
            OffsetDateTime exact = rows.getObject(index, OffsetDateTime.class);
            return exact.equals(OffsetDateTime.MAX) ? Instant.MAX : exact.equals(OffsetDateTime.MIN) ? Instant.MIN
                    : exact.toInstant();
        }

        @Override
        public Object toBulk(Object value) {
            OffsetDateTime time = (OffsetDateTime) value;
            return micros(time.toEpochSecond(), time.getNano());
        }

        /** An Instant in range as its microseconds, rounded as {@link #toDatabase} rounds it: no OffsetDateTime. */
        @Override
        long carriedMicros(Object value) {
            return value instanceof Instant instant && !instant.isBefore(FIRST_INSTANT) && !instant.isAfter(LAST_INSTANT)
                    ? micros(instant.getEpochSecond(), instant.getNano()) : (Long) toBulk(toDatabase(value));
        }

    },
    BINARY("bytea", "bytea", byte[].class, "a byte[] or an InputStream") {
        @Override
        public Object toDatabase(Object value) {
            return super.toDatabase(value instanceof java.io.InputStream ? StreamValues.attributeValue(value) : value);
        }

        @Override
        public Object read(ResultSet rows, int index) throws SQLException {
            return rows.getBytes(index);
        }
    };

    /**
     * The first day of the dates and timestamps stored (4713-01-01 BC: PostgreSQL holds from 4714-11-24 BC, but the
     * driver sends anything earlier as {@code -infinity}), and the last date and timestamp PostgreSQL holds.
     */
    private static final LocalDate FIRST_DAY = LocalDate.of(-4712, 1, 1);
    private static final LocalDate LAST_DAY = LocalDate.of(5_874_897, 12, 31);
    private static final LocalDateTime LAST_MOMENT = LocalDateTime.of(294_276, 12, 31, 23, 59, 59, 999_999_000);
    private static final Instant FIRST_INSTANT = FIRST_DAY.atStartOfDay().toInstant(ZoneOffset.UTC);
    private static final Instant LAST_INSTANT = LAST_MOMENT.toInstant(ZoneOffset.UTC);
    /**
     * Past the days a {@code Timestamp} reads wrongly: those before the Gregorian calendar began (1582-10-15), which
     * it counts as Julian days and so reads up to ten days later, with a margin for any time zone.
     */
    private static final long GREGORIAN_MILLIS = LocalDate.of(1582, 11, 1).atStartOfDay().toInstant(ZoneOffset.UTC)
            .toEpochMilli();
    private static final long LAST_MILLIS = LAST_INSTANT.plusSeconds(86_400).toEpochMilli();

    private final String castType;
    private final String arrayTypeName;
    private final Class<?> javaType;
    final String what;

    ScalarCodec(String castType, String arrayTypeName, Class<?> javaType, String what) {
        this.castType = castType;
        this.arrayTypeName = arrayTypeName;
        this.javaType = javaType;
        this.what = what;
    }

    @Override
    public Object toDatabase(Object value) {
        return expect(value, javaType, what);
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        statement.setObject(index, value);
    }

    /**
     * Smallints compare with integers, integers with bigints and bigints with any numeric, reals with doubles, dates and times with the ends of
     * their type (infinity); the rest have no wider type.
     */
    @Override
    public Codec wider() {
        return switch (this) {
            case SMALLINT -> INTEGER;
            case INTEGER -> BIGINT;
            case BIGINT -> new DecimalCodec(null, null);
            case FLOAT -> DOUBLE;
            case DATE, TIMESTAMP, TIMESTAMPTZ -> new EndlessCodec(this);
            default -> null;
        };
    }

    /** Whether a value is of the Java type this codec stores (an OffsetDateTime for a timestamptz). */
    boolean javaTypeOf(Object value) {
        return javaType.isInstance(value);
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        if (!Number.class.isAssignableFrom(javaType)) {
            try {
                return rows.getObject(index, javaType);
            } catch (ClassCastException | SQLException e) {
                // A computed field read as a type its SQL does not give (a text as a UUID): the driver throws a
                // ClassCastException, or an SQLException with one of the states of a refused conversion.
                if (e instanceof SQLException sql && !NOT_CONVERTIBLE.contains(sql.getSQLState())) {
                    throw sql;
                }
                throw notReadable(rows, index, javaType, null);
            }
        }
        // The driver reads a number only as its own type's class; a computed field's SQL gives whatever its
        // expression does (length() an integer, count() a bigint, avg() a numeric), so the number is converted.
        Object value = rows.getObject(index);
        if (value == null || javaType.isInstance(value)) {
            return value;
        }
        if (!(value instanceof Number number)) {
            throw notReadable(rows, index, javaType, null);
        }
        return converted(number, rows, index);
    }

    /**
     * The driver's {@code Timestamp} of the column; a computed field whose SQL gives no timestamp is refused naming it.
     * Apart from {@code read}, which stays small enough for the compiler to keep the value off the heap.
     */
    private static java.sql.Timestamp timestamp(ResultSet rows, int index) throws SQLException {
        try {
            return rows.getTimestamp(index);
        } catch (SQLException e) {
            if (!NOT_CONVERTIBLE.contains(e.getSQLState())) {
                throw e;
            }
            throw notReadable(rows, index, Instant.class, null);
        }
    }

    /** A number as this codec's class, refused when it would lose its whole part or its fraction. */
    private Object converted(Number number, ResultSet rows, int index) throws SQLException {
        if (javaType == Double.class || javaType == Float.class) {
            return javaType == Double.class ? (Object) number.doubleValue() : (Object) number.floatValue();
        }
        try {
            BigDecimal exact = number instanceof BigDecimal decimal ? decimal : new BigDecimal(number.toString());
            return javaType == Short.class ? (Object) exact.shortValueExact() : javaType == Integer.class
                    ? (Object) exact.intValueExact() : (Object) exact.longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw notReadable(rows, index, javaType, number);
        }
    }

    /**
     * The SQL states with which the driver refuses to read a column as a Java type it cannot convert the column's type
     * to (a text as a date, a number as a Boolean, a time as a BigDecimal).
     */
    static final Set<String> NOT_CONVERTIBLE = Set.of("07006", "22003", "22007", "22023", "42821");

    /**
     * A value the column's SQL gives that {@code javaType} cannot hold, or, without a value, no value of that type: the
     * SQL of a computed field or calculation giving another type than the one declared.
     */
    static QueryException notReadable(ResultSet rows, int index, Class<?> javaType, Number value) throws SQLException {
        String column = rows.getMetaData().getColumnLabel(index);
        String type = rows.getMetaData().getColumnTypeName(index);
        String read = javaType.getSimpleName();
        return QueryException.of(null, column, value == null
                ? "'" + column + "' is a " + type + ", which cannot be read as " + read + ": read it as the Java type "
                + "its SQL computes (String for text), or cast it in the SQL"
                : "The value " + value + " of '" + column + "' does not fit " + read + ": read it as a wider type (Long, "
                + "BigDecimal), or cast it in the SQL");
    }

    @Override
    public String castType() {
        return castType;
    }

    @Override
    public String arrayTypeName() {
        return arrayTypeName;
    }

    /** The driver gives numbers and booleans of an array as their boxed Java values. */
    @Override
    public boolean readsJdbcArrays() {
        return this == SMALLINT || this == INTEGER || this == BIGINT || this == BOOLEAN || this == FLOAT || this == DOUBLE;
    }

    /**
     * Numbers, booleans and bytes go into arrays as they are (the driver encodes them); dates, times and
     * UUIDs as ISO text, which PostgreSQL parses exactly, whatever the JVM's time zone.
     */
    @Override
    public Object arrayElement(Object value) {
        if (value instanceof Number || value instanceof Boolean || value instanceof byte[]) {
            return value;
        }
        return isoYear(value) ? value.toString() : postgresText(value);
    }

    /** Whether a date or time is written the same in ISO 8601 and in PostgreSQL's input: its year has four digits. */
    private static boolean isoYear(Object value) {
        int year = value instanceof LocalDate date ? date.getYear() : value instanceof LocalDateTime time
                ? time.getYear() : value instanceof OffsetDateTime time ? time.getYear() : 1;
        return year >= 1 && year <= 9999;
    }

    /**
     * A date or timestamp as PostgreSQL reads it: ISO 8601 writes the year 1 BC as {@code 0000} and later years with a
     * sign ({@code +10000}), which the server refuses; it takes {@code 0001-01-01 BC} and {@code 10000-01-01}.
     */
    private static String postgresText(Object value) {
        if (value instanceof OffsetDateTime time) {
            LocalDateTime utc = time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            return day(utc.toLocalDate()) + " " + utc.toLocalTime() + "+00" + era(utc.getYear());
        }
        if (value instanceof LocalDateTime time) {
            return day(time.toLocalDate()) + " " + time.toLocalTime() + era(time.getYear());
        }
        LocalDate date = (LocalDate) value;
        return day(date) + era(date.getYear());
    }

    private static String day(LocalDate date) {
        int year = date.getYear() <= 0 ? 1 - date.getYear() : date.getYear();
        return String.format("%04d-%02d-%02d", year, date.getMonthValue(), date.getDayOfMonth());
    }

    private static String era(int year) {
        return year <= 0 ? " BC" : "";
    }

    /**
     * The nanoseconds that round a time to whole microseconds, half up, as the driver rounds the values it binds. The
     * server rounds the text of an array (or of a bulk write) by itself, half to even, so values are rounded here once,
     * for every path to store and compare the same microsecond.
     */
    static long toMicrosecond(int nano) {
        int rest = nano % 1_000;
        return rest == 0 ? 0 : rest >= 500 ? 1_000 - rest : -rest;
    }

    private static RejectedValue outOfRange(String type, String range, Object value) {
        return new RejectedValue("is out of range for " + type + ": Ashlar stores " + range + ", got " + value);
    }

    @Override
    public Class<?> arrayElementClass() {
        return javaType == OffsetDateTime.class || javaType == UUID.class || javaType.getName().startsWith("java.time")
                ? String.class : javaType;
    }

    /**
     * Timestamps travel in bulk as microseconds since 2000-01-01, the server's own count, in the binary form of their
     * array type ({@link TimestampCarrier}): no text to format and parse, and nothing for the server to compute.
     */
    @Override
    public Codec bulkCarrier() {
        return this == TIMESTAMPTZ ? TimestampCarrier.TIMESTAMPTZ : this == TIMESTAMP ? TimestampCarrier.TIMESTAMP
                : this;
    }

    /**
     * A caller's timestamp (not null) of a bulk write as the microseconds its {@link TimestampCarrier} carries, without
     * a box: {@link #toCarriedInBulk} of the timestamp types. Refuses what {@link #toDatabase} refuses.
     */
    long carriedMicros(Object value) {
        throw new UnsupportedOperationException(this + " carries no microseconds");
    }

    @Override
    public Object toCarriedInBulk(Object value) {
        return bulkCarrier() instanceof TimestampCarrier ? (Object) carriedMicros(value)
                : Codec.super.toCarriedInBulk(value);
    }

    /**
     * Whole microseconds since 2000-01-01, rounded half up. PostgreSQL counts a timestamp in microseconds from that
     * day in 64 bits, so every timestamp it holds fits; counted from 1970, the last thirty years it holds would not.
     */
    private static long micros(long epochSecond, int nano) {
        try {
            return Math.addExact(Math.multiplyExact(epochSecond - TimestampCarrier.POSTGRES_EPOCH_SECOND, 1_000_000L),
                    (nano + 500) / 1_000);
        } catch (ArithmeticException e) {
            throw new RejectedValue("is out of range for a PostgreSQL timestamp");
        }
    }

    /**
     * Whether a whole number or a decimal given for a {@code real} or {@code double precision} comes back as another
     * number: the floating-point value, written as its shortest decimal ({@code stored}), differs from it (16777217 is
     * stored in a real as 16777216, 0.1000000000000000001 in a double as 0.1). A {@code Float} or {@code Double} is
     * the floating-point value it is (a Double given for a real keeps the real nearest to it).
     */
    private static boolean loses(Number number, String stored) {
        BigDecimal given = number instanceof BigDecimal decimal ? decimal : number instanceof BigInteger big
                ? new BigDecimal(big) : BigDecimal.valueOf(number.longValue());
        return !stored.contains("N") && !stored.contains("I") && new BigDecimal(stored).compareTo(given) != 0;
    }

    /** The numbers {@link #loses} checks: whole numbers and decimals, not the floating-point values themselves. */
    private static boolean exactOnly(Number number) {
        return number instanceof Integer || number instanceof Long || number instanceof BigDecimal
                || number instanceof BigInteger || number instanceof Short || number instanceof Byte;
    }

    static <T> T expect(Object value, Class<T> type, String what) {
        if (!type.isInstance(value)) {
            throw new RejectedValue("must be " + what + ", got " + describe(value));
        }
        return type.cast(value);
    }

    static String describe(Object value) {
        // The JDK's own collections have class names such as List12 or MapN: name the interface instead.
        String type = value instanceof java.util.List<?> ? "List" : value instanceof java.util.Map<?, ?> ? "Map"
                : value instanceof java.util.Set<?> ? "Set" : value.getClass().getSimpleName();
        return "the " + type + " " + (value instanceof byte[] ? "" : value);
    }

    /** A whole number past the type's range, naming the range and the type that holds it. */
    private static RejectedValue wholeOutOfRange(ScalarCodec codec, Object value) {
        String range = codec == SMALLINT ? "-32768 to 32767), got " + value + "; make the attribute INTEGER"
                : codec == INTEGER ? "-2147483648 to 2147483647), got " + value + "; make the attribute BIGINT"
                : "-9223372036854775808 to 9223372036854775807), got " + value + "; make the attribute DECIMAL";
        return new RejectedValue("is out of range for " + codec.castType + " (" + range);
    }

    private static long wholeNumber(Object value, ScalarCodec codec) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            if (value instanceof BigInteger big) {
                return big.longValueExact();
            }
            if (value instanceof BigDecimal decimal) {
                if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
                    throw new RejectedValue("must be a whole number for " + codec.castType + ", got " + value
                            + ", which has a fraction: round it first, or make the attribute DECIMAL");
                }
                return decimal.longValueExact();
            }
        } catch (ArithmeticException e) {
            throw wholeOutOfRange(codec, value);
        }
        throw new RejectedValue("must be " + codec.what + ", got " + describe(value));
    }
}
