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
import java.util.UUID;

/**
 * The codecs of the parameterless attribute types; JSON has its own ({@link JsonCodec}). Each value
 * is read as its Java type through the driver's {@code getObject(index, type)}, which gives null for
 * SQL null and keeps microseconds.
 */
enum ScalarCodec implements Codec {
    INTEGER("integer", "int4", Integer.class, "an integer") {
        @Override
        public Object toDatabase(Object value) {
            long whole = wholeNumber(value, this);
            if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
                throw new RejectedValue("is out of range for integer (" + value + ")");
            }
            return (int) whole;
        }
    },
    BIGINT("bigint", "int8", Long.class, "a bigint") {
        @Override
        public Object toDatabase(Object value) {
            return wholeNumber(value, this);
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
            return wide;
        }
    },
    DATE("date", "date", LocalDate.class, "a LocalDate"),
    TIME("time", "time", LocalTime.class, "a LocalTime"),
    TIMESTAMP("timestamp", "timestamp", LocalDateTime.class, "a LocalDateTime") {
        @Override
        public Object toBulk(Object value) {
            LocalDateTime time = (LocalDateTime) value;
            return micros(time.toEpochSecond(ZoneOffset.UTC), time.getNano());
        }

        @Override
        public String fromBulk(String carried) {
            return "'epoch'::timestamp + " + carried + " * interval '1 microsecond'";
        }
    },
    TIMESTAMPTZ("timestamptz", "timestamptz", OffsetDateTime.class, "an Instant or OffsetDateTime") {
        @Override
        public Object toDatabase(Object value) {
            if (value instanceof Instant instant) {
                return instant.atOffset(ZoneOffset.UTC);
            }
            return value instanceof ZonedDateTime zoned ? zoned.toOffsetDateTime() : super.toDatabase(value);
        }

        /**
         * Read as the driver's {@code Timestamp}, an instant already: as an {@code OffsetDateTime}, the driver would
         * build the UTC offset's zone rules again for every value.
         */
        @Override
        public Object read(ResultSet rows, int index) throws SQLException {
            java.sql.Timestamp value = rows.getTimestamp(index);
            return value == null ? null : value.toInstant();
        }

        @Override
        public Object toBulk(Object value) {
            OffsetDateTime time = (OffsetDateTime) value;
            return micros(time.toEpochSecond(), time.getNano());
        }

        @Override
        public String fromBulk(String carried) {
            return "'epoch'::timestamptz + " + carried + " * interval '1 microsecond'";
        }
    },
    BINARY("bytea", "bytea", byte[].class, "a byte[]") {
        @Override
        public Object read(ResultSet rows, int index) throws SQLException {
            return rows.getBytes(index);
        }
    };

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

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        if (!Number.class.isAssignableFrom(javaType)) {
            try {
                return rows.getObject(index, javaType);
            } catch (ClassCastException | SQLException e) {
                // A computed field read as a type its SQL does not give (a text as a UUID): the driver throws a
                // ClassCastException, or "conversion to ... not supported" with SQL state 07006.
                if (e instanceof SQLException sql && !"07006".equals(sql.getSQLState())) {
                    throw sql;
                }
                throw notReadable(rows, index, null);
            }
        }
        // The driver reads a number only as its own type's class; a computed field's SQL gives whatever its
        // expression does (length() an integer, count() a bigint, avg() a numeric), so the number is converted.
        Object value = rows.getObject(index);
        return value == null || javaType.isInstance(value) ? value : converted((Number) value, rows, index);
    }

    /** A number as this codec's class, refused when it would lose its whole part or its fraction. */
    private Object converted(Number number, ResultSet rows, int index) throws SQLException {
        if (javaType == Double.class || javaType == Float.class) {
            return javaType == Double.class ? (Object) number.doubleValue() : (Object) number.floatValue();
        }
        try {
            BigDecimal exact = number instanceof BigDecimal decimal ? decimal : new BigDecimal(number.toString());
            return javaType == Integer.class ? (Object) exact.intValueExact() : (Object) exact.longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw notReadable(rows, index, number);
        }
    }

    /** A value the column's SQL gives that this codec's class cannot hold, or, without a value, no value of that type. */
    private QueryException notReadable(ResultSet rows, int index, Number value) throws SQLException {
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
        return this == INTEGER || this == BIGINT || this == BOOLEAN || this == FLOAT || this == DOUBLE;
    }

    /**
     * Numbers, booleans and bytes go into arrays as they are (the driver encodes them); dates, times and
     * UUIDs as ISO text, which PostgreSQL parses exactly, whatever the JVM's time zone.
     */
    @Override
    public Object arrayElement(Object value) {
        return value instanceof Number || value instanceof Boolean || value instanceof byte[] ? value : value.toString();
    }

    @Override
    public Class<?> arrayElementClass() {
        return javaType == OffsetDateTime.class || javaType == UUID.class || javaType.getName().startsWith("java.time")
                ? String.class : javaType;
    }

    /**
     * Timestamps travel in bulk as microseconds since the epoch: a bigint array is sent in binary and
     * needs no parsing, where text costs a formatting and a parse per value. An interval of pure
     * microseconds added to the epoch is exact (no day or month part, so no time-zone arithmetic).
     */
    @Override
    public Codec bulkCarrier() {
        return this == TIMESTAMPTZ || this == TIMESTAMP ? BIGINT : this;
    }

    /** Whole microseconds, rounded half up as the server rounds sub-microsecond input. */
    private static long micros(long epochSecond, int nano) {
        try {
            return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000L), (nano + 500) / 1_000);
        } catch (ArithmeticException e) {
            throw new RejectedValue("is out of range for a PostgreSQL timestamp");
        }
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

    private static long wholeNumber(Object value, ScalarCodec codec) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            if (value instanceof BigInteger big) {
                return big.longValueExact();
            }
            if (value instanceof BigDecimal decimal) {
                return decimal.longValueExact();
            }
        } catch (ArithmeticException e) {
            throw new RejectedValue("is out of range for " + codec.castType + " (" + value + ")");
        }
        throw new RejectedValue("must be " + codec.what + ", got " + describe(value));
    }
}
