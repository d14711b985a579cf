package dev.ashlar.roundtrip;

import dev.ashlar.api.resource.Type;

import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Random column values as PostgreSQL text input, leaning on the edges: nulls, boundaries, long and
 * unicode strings, arrays, JSON. A text column draws from one of three styles for all its rows (wild,
 * numeric or short), so that a later change of its type can succeed on some tables and fail on others.
 */
final class Values {
    private static final List<String> WILD = List.of("", "ünïcödé ✓ 😀 ｗｉｄｅ", "quote ' and \\ backslash \" double",
            "  spaced  ", "line\nbreak\ttab", "NULL", "{not,an,array}", "9".repeat(40));
    private static final List<String> INTEGERS = List.of("0", "1", "-1", "2147483647", "-2147483648", "7");
    private static final List<String> SMALLINTS = List.of("0", "1", "-1", "32767", "-32768", "7");
    private static final List<String> BIGINTS = List.of("9223372036854775807", "-9223372036854775808", "0",
            "9007199254740993");
    private static final List<String> DECIMALS = List.of("99999999.99", "-99999999.99", "0.01", "0", "7.00");
    private static final List<String> NUMERICS = List.of("123456789012345678901234567890.123456789", "-0.000000001",
            "0", "1.5", "1.25", "12");
    private static final List<String> DOUBLES = List.of("1.5", "-1e+300", "1e-300", "0.1", "Infinity", "-Infinity",
            "NaN", "0", "3");
    private static final List<String> POSITIVE = List.of("1", "42", "99", "100000");
    private static final List<String> DATES = List.of("2026-01-31", "0001-01-01", "9999-12-31", "infinity", "1970-01-01");
    private static final List<String> TIMES = List.of("2026-01-01 12:00:00.123456+00", "infinity", "-infinity",
            "1999-12-31 23:59:59+00");
    private static final List<String> CLOCK = List.of("00:00:00", "23:59:59.999999", "12:34:56");
    private static final List<String> INTERVALS = List.of("00:00:00", "-00:00:00.000001", "1 day 02:03:04.5",
            "-1 days +01:00:00", "838:59:59.999999");
    private static final List<String> JSON = List.of("{\"a\": 1, \"b\": [true, null, \"ü\"]}", "[]", "\"text\"",
            "null", "{}", "12.5");
    private static final List<String> ARRAYS = List.of("{}", "{a,\"b c\",ü,NULL}", "{\"\"}", "{x}");
    private static final List<String> BYTES = List.of("\\x00ff10", "\\x");

    private final Random random;

    Values(Random random) {
        this.random = random;
    }

    /** A style for a text column: 0 wild, 1 numeric, 2 short. */
    int style() {
        return random.nextInt(3);
    }

    /**
     * A value that no other row of the column has (where the type allows), above zero and not 7: what a
     * column that a unique index or a check will later cover holds in real tables.
     */
    String distinct(Type type, int style, int row) {
        if (type instanceof Type.Text text) {
            return text(text.maxLength(), style == 1 ? 1 : 2, row);
        }
        if (type instanceof Type.Decimal) {
            return (row + 1) + ".5";
        }
        if (type instanceof Type.Array) {
            return "{a" + row + "}";
        }
        return switch ((Type.Scalar) type) {
            // 1, 6, 11, ...: never 7, and distinct for the 6,553 rows a smallint holds.
            case SMALLINT -> String.valueOf(row * 5 + 1);
            case INTEGER, BIGINT -> String.valueOf(row * 31 + 1);
            case DOUBLE, FLOAT -> (row + 1) + ".5";
            case BOOLEAN -> String.valueOf(row % 2 == 0);
            case UUID -> new UUID(random.nextLong(), row).toString();
            case DATE -> java.time.LocalDate.of(2000, 1, 1).plusDays(row).toString();
            case TIMESTAMP, TIMESTAMPTZ -> java.time.LocalDate.of(2000, 1, 1).plusDays(row) + " 12:00:00+00";
            case TIME -> String.format("00:%02d:%02d", row / 60, row % 60);
            case INTERVAL -> (row + 1) + " minutes";
            case JSON -> "{\"n\": " + row + "}";
            case BINARY -> String.format("\\x%04x", row);
            case CITEXT -> text(null, style == 1 ? 1 : 2, row);
        };
    }

    /**
     * @param positive whether a check constraint wants the value above zero and not 7
     * @param row      the row's number, mixed into strings so that most rows differ
     */
    String of(Type type, int style, boolean positive, int row) {
        if (positive) {
            return pick(POSITIVE) + (type instanceof Type.Decimal || type == Type.DOUBLE ? ".5" : "");
        }
        if (type instanceof Type.Text text) {
            return text(text.maxLength(), style, row);
        }
        if (type instanceof Type.Decimal decimal) {
            return decimal.precision() == null ? pick(NUMERICS) : pick(DECIMALS);
        }
        if (type instanceof Type.Array) {
            return pick(ARRAYS);
        }
        return switch ((Type.Scalar) type) {
            case SMALLINT -> pick(SMALLINTS);
            case INTEGER -> random.nextInt(3) == 0 ? String.valueOf(row * 31) : pick(INTEGERS);
            case BIGINT -> random.nextInt(3) == 0 ? String.valueOf(row * 1_000_003L) : pick(BIGINTS);
            case DOUBLE, FLOAT -> pick(DOUBLES);
            case BOOLEAN -> String.valueOf(random.nextBoolean());
            case UUID -> new UUID(random.nextLong(), random.nextLong()).toString();
            case DATE -> pick(DATES);
            case TIMESTAMP, TIMESTAMPTZ -> pick(TIMES);
            case TIME -> pick(CLOCK);
            case INTERVAL -> pick(INTERVALS);
            case JSON -> pick(JSON);
            case BINARY -> pick(BYTES);
            case CITEXT -> text(null, style, row);
        };
    }

    private String text(Integer maxLength, int style, int row) {
        String value = switch (style) {
            case 1 -> String.valueOf(row * 7 + 1 + random.nextInt(5));
            case 2 -> "r" + row + "_" + Integer.toString(random.nextInt(1000), 36);
            default -> random.nextInt(4) == 0 ? "long " + row + " " + "ab😀".repeat(40 + random.nextInt(60))
                    : pick(WILD) + row;
        };
        if (maxLength != null && value.codePointCount(0, value.length()) > maxLength) {
            // varchar(n) counts characters: the longest value that fits, boundary included.
            value = value.substring(0, value.offsetByCodePoints(0, maxLength));
        }
        return value;
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
