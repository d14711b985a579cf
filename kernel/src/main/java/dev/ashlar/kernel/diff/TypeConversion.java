package dev.ashlar.kernel.diff;

import dev.ashlar.kernel.schema.SqlLiterals;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.api.sql.Identifiers;

import java.util.Map;
import java.util.Set;

/**
 * How a column's values go from one type to another without losing any. PostgreSQL converts a column
 * with an assignment cast unless {@code USING} says otherwise, and an assignment cast refuses a value that
 * does not fit a length or precision ({@code value too long for type character varying(50)}), while an
 * explicit cast ({@code "title"::varchar(50)}) cuts it silently. So {@code USING} is written only where no
 * assignment cast exists, and then casts to the type without its modifier, which PostgreSQL still applies
 * as an assignment. Some conversions change values even then (a numeric scale rounds, a double becomes a
 * whole number): for every conversion that is not a known widening a guard runs first and fails the
 * migration, naming the column and a value, when some value would not be kept unchanged.
 */
final class TypeConversion {
    /** Types among which PostgreSQL has assignment casts (pg_cast, castcontext 'a' or 'i'). */
    private static final Set<String> NUMBERS = Set.of("smallint", "integer", "bigint", "real", "double precision",
            "numeric");
    private static final Set<String> STRINGS = Set.of("text", "varchar");
    private static final Set<String> TIMES = Set.of("date", "timestamp", "timestamptz");
    /** PostgreSQL's built-in range types and their elements; no cast exists between two of them. */
    private static final Map<String, String> RANGES = Map.of("int4range", "integer", "int8range", "bigint",
            "numrange", "numeric", "daterange", "date", "tsrange", "timestamp", "tstzrange", "timestamptz");

    private TypeConversion() {
    }

    /**
     * {@code ""} when an assignment cast converts the values, else {@code " USING "column"::type"}; between a time
     * with a zone and one without, {@code USING} pins the conversion to UTC ({@link #converted}).
     */
    static String using(String column, String from, String to) {
        if (assignable(from, to) && !zoned(base(from), base(to))) {
            return "";
        }
        String quoted = Identifiers.quote(column);
        return " USING " + (betweenRanges(from, to) ? rangeCast(quoted, from, to) : converted(quoted, from, to));
    }

    /**
     * A value of one type as the other: a cast, except between {@code timestamptz} and {@code timestamp} or {@code
     * date}, which PostgreSQL converts in the session's time zone. The driver sets that zone to the JVM's, so the same
     * migration would store other instants when run from another machine; the wall-clock time is taken as UTC instead,
     * as the data layer writes and reads a {@code timestamp}.
     */
    static String converted(String value, String from, String to) {
        String source = base(from);
        String target = base(to);
        if (from.endsWith("[]") || to.endsWith("[]") || !zoned(source, target)) {
            return value + "::" + unmodified(to);
        }
        if (target.equals("timestamptz")) {
            return "(" + value + (source.equals("date") ? "::timestamp" : "") + " AT TIME ZONE 'UTC')";
        }
        return "(" + value + " AT TIME ZONE 'UTC')" + (target.equals("date") ? "::date" : "");
    }

    /** Whether a time gains or loses its zone between the two types, or between their elements. */
    static boolean zoneChanges(String from, String to) {
        return zoned(base(from), base(to));
    }

    /** Whether one of two time types has a zone and the other has none, so that a cast between them reads the session's. */
    private static boolean zoned(String source, String target) {
        return !source.equals(target) && TIMES.contains(source) && TIMES.contains(target)
                && (source.equals("timestamptz") || target.equals("timestamptz"));
    }

    /** The element type of a built-in range type ({@code integer} of {@code int4range}), or null for another type. */
    static String rangeElement(String type) {
        return RANGES.get(type);
    }

    /** Whether both types are built-in range types, between which PostgreSQL has no cast at all. */
    static boolean betweenRanges(String from, String to) {
        return RANGES.containsKey(from) && RANGES.containsKey(to);
    }

    /**
     * A range value as a range of another type, bound by bound: PostgreSQL casts neither {@code int4range} to
     * {@code int8range} nor {@code daterange} to {@code tstzrange}, so each bound is cast to the new element type and
     * the range built again with the same inclusivity; an empty range stays empty, a missing bound stays missing and
     * null stays null.
     */
    static String rangeCast(String value, String from, String to) {
        String element = RANGES.get(to);
        String source = RANGES.get(from);
        return "CASE WHEN " + value + " IS NULL THEN NULL WHEN isempty(" + value + ") THEN 'empty'::" + to + " ELSE "
                + to + "(" + converted("lower(" + value + ")", source, element) + ", "
                + converted("upper(" + value + ")", source, element) + ", CASE WHEN lower_inc("
                + value + ") THEN '[' ELSE '(' END || CASE WHEN upper_inc(" + value + ") THEN ']' ELSE ')' END) END";
    }

    /**
     * A {@code DO} block that raises {@code data_exception} when some value of the column would not survive
     * the conversion from {@code from} to {@code to} and back unchanged. Run before the table is locked, it also counts
     * the rows holding such values (scanning every row, which it does anyway when none does, while writes go on); run
     * under the lock, it stops at the first one.
     */
    static String guard(Table table, String column, String from, String to, boolean counted) {
        String quoted = Identifiers.quote(column);
        String compared = comparedAs(from, to);
        String changed = betweenRanges(from, to)
                ? rangeCast(rangeCast(quoted, from, to), to, from) + " IS DISTINCT FROM " + quoted
                : castBack(castBack(quoted, from, to), to, compared) + " IS DISTINCT FROM " + quoted + "::" + compared;
        if (!compared.equals(from)) {
            // Text must also be the value's own spelling, or '056' and '56' would both become 56 and not come back.
            changed = "(" + changed + " OR " + quoted + "::" + compared + "::text IS DISTINCT FROM " + quoted + "::text)";
        } else if (bounded(to)) {
            // A cast to varchar(n) cuts the text while the assignment refuses it, and the cut text may still read as
            // the same value ('10:00:00' cut to '10:00' is the same time): the whole text must fit.
            String text = to.endsWith("[]") ? "text[]" : "text";
            changed = "(" + changed + " OR " + quoted + "::" + text + " IS DISTINCT FROM " + quoted + "::" + text + "::"
                    + to + "::" + text + ")";
        }
        String named = "Column " + SqlLiterals.raiseText(table.key() + "." + column) + " holds values that "
                + SqlLiterals.raiseText(to);
        String message = named + " cannot hold unchanged, e.g. %. Nothing was changed";
        String hint = "Change or remove those rows first, or convert the column in a migration of your own.";
        // A value the new type cannot take at all ('abc' as an integer, 2^40 as one) stops the comparison itself with
        // an error that names neither the column nor the table: said again, it does.
        String failed = named + " cannot hold: %. Nothing was changed";
        String select = counted
                ? "    SELECT count(*), min(" + quoted + "::text) INTO guarded_rows, example FROM " + table.sql()
                + " WHERE " + changed + ";\n"
                : "    SELECT " + quoted + "::text INTO example FROM " + table.sql() + " WHERE " + changed
                + " LIMIT 1;\n";
        String raise = counted
                ? "  IF guarded_rows > 0 THEN\n    RAISE EXCEPTION " + SqlLiterals.quoted(named + " cannot hold "
                + "unchanged, e.g. %; % such values. Nothing was changed") + ", example, CASE guarded_rows WHEN 1 "
                + "THEN '1 row holds' ELSE guarded_rows || ' rows hold' END\n"
                : "  IF FOUND THEN\n    RAISE EXCEPTION " + SqlLiterals.quoted(message) + ", example\n";
        return "DO " + SqlLiterals.dollarQuoted("guard", "\nDECLARE\n  example text;\n"
                + (counted ? "  guarded_rows bigint;\n" : "") + "BEGIN\n  BEGIN\n"
                + select
                + "  EXCEPTION WHEN data_exception THEN\n"
                + "    RAISE EXCEPTION " + SqlLiterals.quoted(failed) + ", SQLERRM\n"
                + "      USING ERRCODE = 'data_exception', HINT = " + SqlLiterals.quoted(hint) + ";\n"
                + "  END;\n"
                + raise
                + "      USING ERRCODE = 'data_exception', HINT = " + SqlLiterals.quoted(hint) + ";\n"
                + "  END IF;\nEND\n") + ";";
    }

    /** Whether the type is a string of bounded length, {@code varchar(n)} or an array of those. */
    private static boolean bounded(String type) {
        return STRINGS.contains(base(type)) && type.contains("(");
    }

    /** A guard's cast, with its modifier (a value kept as {@code numeric(10,2)} is compared as one), pinned to UTC. */
    private static String castBack(String value, String from, String to) {
        return zoned(base(from), base(to)) ? converted(value, from, to) : value + "::" + to;
    }

    /**
     * The type in which a value and its converted self are compared: the old type, except that text is compared
     * in the new type without its modifier, so {@code '123'} kept as {@code 123.00} is the same value while
     * {@code '1.234'} rounded to {@code 1.23}, or a string cut to a shorter length, is not. Text must then also
     * be how that type spells the value ({@code '056'} is not), so that every value can come back.
     */
    static String comparedAs(String from, String to) {
        return !from.endsWith("[]") && STRINGS.contains(base(from)) ? unmodified(to) : from;
    }

    private static boolean assignable(String from, String to) {
        boolean fromArray = from.endsWith("[]");
        boolean toArray = to.endsWith("[]");
        String target = base(to);
        if (!toArray && STRINGS.contains(target)) {
            // Every type converts to a string type by an assignment cast (its output function).
            return true;
        }
        if (fromArray != toArray) {
            return false;
        }
        String source = base(from);
        return source.equals(target) || NUMBERS.contains(source) && NUMBERS.contains(target)
                || TIMES.contains(source) && TIMES.contains(target);
    }

    /** The type without its modifier: {@code varchar(50)} is {@code varchar}, {@code numeric(10,2)[]} is {@code numeric[]}. */
    static String unmodified(String type) {
        return base(type) + (type.endsWith("[]") ? "[]" : "");
    }

    private static String base(String type) {
        String element = type.endsWith("[]") ? type.substring(0, type.length() - 2) : type;
        int parenthesis = element.indexOf('(');
        return parenthesis < 0 ? element : element.substring(0, parenthesis);
    }
}
