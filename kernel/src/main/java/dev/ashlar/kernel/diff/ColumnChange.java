package dev.ashlar.kernel.diff;

import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.IdentitySequence;
import dev.ashlar.kernel.schema.SqlLiterals;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.kernel.schema.TableDdl;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The SQL and the risks of changing one column's definition. */
final class ColumnChange {
    private static final Pattern VARCHAR = Pattern.compile("varchar\\((\\d+)\\)");
    private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+),(\\d+)\\)");

    private ColumnChange() {
    }

    /**
     * The statements that turn {@code from} into {@code to}. The default is dropped before a type
     * change and set after it, since the old default may not cast to the new type. An identity that stays
     * changes type with its column (PostgreSQL retypes its sequence, which keeps its place); a column that
     * becomes an identity numbers new rows after the largest value there.
     */
    static String sql(Table table, Column from, Column to) {
        String alter = "ALTER TABLE " + table.sql() + " ALTER COLUMN " + Identifiers.quote(to.name()) + " ";
        boolean typeChanges = !from.type().equals(to.type());
        boolean defaultChanges = !Objects.equals(from.defaultSql(), to.defaultSql());
        List<String> statements = new ArrayList<>();
        // PostgreSQL has no cast between two enum types: through text, each label is one of the new type's or
        // fails the statement, so no guard is needed either.
        boolean betweenEnums = from.enumType() != null && to.enumType() != null;
        boolean guarded = typeChanges && !betweenEnums && narrows(from.type(), to.type());
        if (guarded) {
            // Rows that do not fit are found, and counted, before any lock of this change stops writers.
            statements.add(TypeConversion.guard(table, to.name(), from.type(), to.type(), true));
        }
        if (from.identity() && !to.identity()) {
            statements.add(alter + "DROP IDENTITY;");
        }
        if (from.defaultSql() != null && (defaultChanges || typeChanges)) {
            statements.add(alter + "DROP DEFAULT;");
        }
        if (typeChanges) {
            if (guarded) {
                // The ALTER would wait for writers the guard's scan does not wait for, and then convert (round, cut)
                // the rows they committed unchecked: the lock the ALTER takes anyway is taken first, and the rows
                // checked again under it.
                statements.add("LOCK TABLE " + table.sql() + " IN ACCESS EXCLUSIVE MODE;");
                statements.add(TypeConversion.guard(table, to.name(), from.type(), to.type(), false));
            }
            statements.add(alter + "TYPE " + to.type() + (betweenEnums ? " USING " + Identifiers.quote(to.name())
                    + "::text::" + to.type() : TypeConversion.using(to.name(), from.type(), to.type())) + ";");
        }
        if (to.defaultSql() != null && (defaultChanges || typeChanges)) {
            statements.add(alter + "SET DEFAULT " + to.defaultSql() + ";");
        }
        if (from.nullable() != to.nullable()) {
            statements.add(alter + (to.nullable() ? "DROP NOT NULL;" : "SET NOT NULL;"));
        }
        if (to.identity() && !from.identity()) {
            statements.add(alter + "ADD " + TableDdl.identity(to) + ";");
            statements.add(continueAfterRows(table, to));
        } else if (to.identity()) {
            statements.addAll(renumbered(alter, from, to));
        }
        return String.join("\n", statements);
    }

    /**
     * A start or increment that changes on an identity that stays: {@code SET START WITH} records the new start (which
     * only a {@code RESTART} would use) and {@code SET INCREMENT BY} the new step. Neither restarts the sequence, which
     * on a populated table would hand out keys its rows hold: the next value follows the last one given.
     */
    private static List<String> renumbered(String alter, Column from, Column to) {
        List<String> statements = new ArrayList<>();
        if (IdentitySequence.start(from.sequence()) != IdentitySequence.start(to.sequence())) {
            statements.add(alter + "SET START WITH " + IdentitySequence.start(to.sequence()) + ";");
        }
        if (IdentitySequence.increment(from.sequence()) != IdentitySequence.increment(to.sequence())) {
            statements.add(alter + "SET INCREMENT BY " + IdentitySequence.increment(to.sequence()) + ";");
        }
        return statements;
    }

    /**
     * A new identity's sequence starts at its start, so the first row inserted into a table holding that value would
     * fail on its key: it goes on past the largest value instead (GREATEST skips the null of an empty table; the
     * domain takes only identities that count up).
     */
    private static String continueAfterRows(Table table, Column to) {
        String quoted = Identifiers.quote(to.name());
        return "SELECT setval(pg_get_serial_sequence(" + SqlLiterals.quoted(table.sql()) + ", "
                + SqlLiterals.quoted(to.name()) + "), GREATEST(max(" + quoted + ")::bigint + "
                + IdentitySequence.increment(to.sequence()) + ", " + IdentitySequence.start(to.sequence())
                + "), false) FROM " + table.sql() + ";";
    }

    static String summary(Column from, Column to) {
        List<String> parts = new ArrayList<>();
        if (!from.type().equals(to.type())) {
            parts.add("type " + from.type() + " -> " + to.type());
        }
        if (from.nullable() != to.nullable()) {
            parts.add(to.nullable() ? "allow null" : "not null");
        }
        if (!Objects.equals(from.defaultSql(), to.defaultSql())) {
            parts.add("default " + from.defaultSql() + " -> " + to.defaultSql());
        }
        if (from.identity() != to.identity()) {
            parts.add(to.identity() ? "identity" : "no identity");
        } else if (to.identity() && !Objects.equals(from.sequence(), to.sequence())) {
            parts.add("identity " + (to.sequence() == null ? "(START WITH 1 INCREMENT BY 1)" : to.sequence().clause()));
        }
        return String.join(", ", parts);
    }

    /** Whether a type change can lose or reject existing values; only well-known widenings are safe. */
    static boolean narrows(String from, String to) {
        if (from.equals(to) || to.equals("text")) {
            return false;
        }
        if (from.endsWith("[]") || to.endsWith("[]")) {
            // An array widens as its elements do, but its times convert in the session's zone (TypeConversion); one
            // that appears or goes away (text to text[]) changes every value.
            return !(from.endsWith("[]") && to.endsWith("[]")) || TypeConversion.zoneChanges(from, to)
                    || narrows(from.substring(0, from.length() - 2), to.substring(0, to.length() - 2));
        }
        if (from.startsWith("varchar(") && to.startsWith("varchar(")) {
            return length(to) < length(from);
        }
        if (from.startsWith("numeric(") && to.startsWith("numeric(")) {
            return !widerNumeric(from, to);
        }
        return switch (to) {
            case "integer" -> !from.equals("smallint");
            case "bigint" -> !from.equals("integer") && !from.equals("smallint");
            case "double precision" -> !from.equals("real") && !from.equals("integer") && !from.equals("smallint");
            case "numeric" -> !from.equals("smallint") && !from.equals("integer") && !from.equals("bigint")
                    && !from.startsWith("numeric(");
            case "int8range" -> !from.equals("int4range");
            case "numrange" -> !from.equals("int4range") && !from.equals("int8range");
            // Converted in UTC (TypeConversion.converted), a time keeps its instant both ways.
            case "timestamptz" -> !from.equals("timestamp") && !from.equals("date");
            case "timestamp" -> !from.equals("timestamptz") && !from.equals("date");
            default -> true;
        };
    }

    /**
     * Whether PostgreSQL rewrites the table to change the type: all changes but those that keep every stored
     * value's bytes (a longer or unbounded varchar, varchar to text, a numeric of more precision and the same
     * scale, or of any precision).
     */
    static boolean rewrites(String from, String to) {
        if (from.equals(to)) {
            return false;
        }
        if (from.endsWith("[]") != to.endsWith("[]")) {
            return true;
        }
        boolean fromVarchar = from.equals("varchar") || from.startsWith("varchar(");
        if (fromVarchar && (to.equals("text") || to.equals("varchar"))) {
            return false;
        }
        if (from.startsWith("varchar(") && to.startsWith("varchar(")) {
            return false;
        }
        if (from.startsWith("numeric") && to.equals("numeric")) {
            return false;
        }
        Matcher a = NUMERIC.matcher(from);
        Matcher b = NUMERIC.matcher(to);
        return !(a.matches() && b.matches() && a.group(2).equals(b.group(2))
                && Integer.parseInt(b.group(1)) >= Integer.parseInt(a.group(1)));
    }

    private static int length(String type) {
        Matcher m = VARCHAR.matcher(type);
        return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    private static boolean widerNumeric(String from, String to) {
        Matcher a = NUMERIC.matcher(from);
        Matcher b = NUMERIC.matcher(to);
        if (!a.matches() || !b.matches()) {
            return false;
        }
        int intDigitsFrom = Integer.parseInt(a.group(1)) - Integer.parseInt(a.group(2));
        int intDigitsTo = Integer.parseInt(b.group(1)) - Integer.parseInt(b.group(2));
        return intDigitsTo >= intDigitsFrom && Integer.parseInt(b.group(2)) >= Integer.parseInt(a.group(2));
    }
}
