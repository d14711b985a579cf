package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A list given for one {@code ?} of a condition in SQL ({@code Filter.sql("tags && ?", List.of("a", "b"))}): bound as
 * one PostgreSQL array of its elements' type, as {@code ashlar.sql(...)} binds one. An empty list, or one of nulls
 * only, has no type of its own: it is sent as an untyped array literal the server reads as the array type its place
 * calls for ({@code tags && ?}); where the place says none, the SQL says it with a cast ({@code ?::text[]}).
 */
final class SqlListValue {
    /**
     * {@code ?::jsonb} or {@code CAST(? AS json)} right after the mark, not {@code ::jsonb[]} nor {@code ::jsonpath}:
     * the server would read an empty list's literal {@code {}} as an empty JSON object, which every object contains.
     */
    private static final Pattern JSON_CAST = Pattern.compile("(?i)\\s*(::|\\s+AS\\s+)\\s*jsonb?(?![\\w$]|\\s*\\[)");

    private SqlListValue() {
    }

    /**
     * @param plan   the read's resource, whose converted attributes convert an element as they store it
     * @param number the mark's place among the condition's marks, from 1
     * @param after  the SQL text after the mark, to see a cast to {@code json}/{@code jsonb} right after it
     */
    static Bind bind(ResourcePlan plan, Filter.Sql sql, int number, List<?> list, String after) {
        if (castToJson(after)) {
            throw refused(plan, sql, number, "is a list, bound as a PostgreSQL array, but its ? is cast to JSON: give "
                    + "the JSON as its text (a String), or drop the cast to match against an array");
        }
        Codec element = null;
        for (Object value : list) {
            if (value == null) {
                continue;
            }
            Codec codec = elementCodec(plan, sql, number, value);
            if (element != null && !element.equals(codec)) {
                throw refused(plan, sql, number, "is a list mixing " + element.castType() + " and " + codec.castType()
                        + " values (" + list + "): give values of one type, the array's element type");
            }
            element = codec;
        }
        if (element == null) {
            return new Bind(Untyped.INSTANCE, literal(list.size()));
        }
        ArrayCodec array = new ArrayCodec(element);
        try {
            return new Bind(array, array.toDatabase(list));
        } catch (Codec.RejectedValue e) {
            throw refused(plan, sql, number, e.getMessage());
        }
    }

    /** How a condition in SQL names its {@code number}th value in a message: {@code Value 2 of sql("...", ...) on post}. */
    static String describe(ResourcePlan plan, Filter.Sql sql, int number) {
        String text = sql.sql().length() > 60 ? sql.sql().substring(0, 57) + "..." : sql.sql();
        return "Value " + number + " of sql(\"" + text + "\", ...) on " + plan.name();
    }

    private static Codec elementCodec(ResourcePlan plan, Filter.Sql sql, int number, Object value) {
        if (value instanceof List<?> || value instanceof Map<?, ?> || value instanceof Object[]) {
            throw refused(plan, sql, number, "is a list holding " + ScalarCodec.describe(value) + ", but an array "
                    + "bound here has one dimension of plain values: flatten it, or give JSON as its text");
        }
        Codec converted = plan.converted(value);
        if (converted != null) {
            return converted;
        }
        try {
            return Codecs.forValue(plan.name(), value);
        } catch (QueryException e) {
            throw refused(plan, sql, number, "is a list holding a " + value.getClass().getName() + "; a list's "
                    + "elements are text, numbers, booleans, UUIDs, dates, times, Durations or Periods");
        }
    }

    private static boolean castToJson(String after) {
        return JSON_CAST.matcher(after).lookingAt();
    }

    /** {@code {}}, or {@code {NULL,NULL}} for a list of nulls. */
    private static String literal(int nulls) {
        List<String> elements = new ArrayList<>(nulls);
        for (int i = 0; i < nulls; i++) {
            elements.add("NULL");
        }
        return "{" + String.join(",", elements) + "}";
    }

    private static QueryException refused(ResourcePlan plan, Filter.Sql sql, int number, String problem) {
        return QueryException.of(plan.name(), null, describe(plan, sql, number) + " " + problem);
    }

    /** An array literal of no type of its own, which the server types by the place of its mark. */
    private enum Untyped implements Codec {
        INSTANCE;

        @Override
        public Object toDatabase(Object value) {
            return value;
        }

        @Override
        public void bind(PreparedStatement statement, int index, Object value) throws java.sql.SQLException {
            statement.setObject(index, value, Types.OTHER);
        }

        @Override
        public Object read(ResultSet rows, int index) {
            throw new UnsupportedOperationException("an untyped array literal is only bound");
        }

        @Override
        public String castType() {
            return "unknown";
        }

        @Override
        public String arrayTypeName() {
            return "unknown";
        }
    }
}
