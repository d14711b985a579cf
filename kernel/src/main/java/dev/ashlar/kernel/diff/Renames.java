package dev.ashlar.kernel.diff;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Decides whether a table or column that disappeared was renamed to one that appeared. Renames are
 * never guessed: they come from explicit hints ({@code posts.title=headline} for a column,
 * {@code posts=articles} for a table) or from a person answering a question.
 */
public interface Renames {

    /** Whether table {@code from} was renamed to {@code to} (bare table names). */
    boolean table(String from, String to);

    /**
     * Whether table {@code from} in {@code schema} ({@code null} for a tenant table) was renamed to {@code to} in the
     * same schema: by default as {@link #table(String, String)}.
     */
    default boolean table(String schema, String from, String to) {
        return table(from, to);
    }

    /** Whether column {@code from} of table {@code table} (its new name) was renamed to {@code to}. */
    boolean column(String table, String from, String to);

    /**
     * Whether column {@code from} of table {@code table} (its new name) in {@code schema} was renamed to {@code to}:
     * by default as {@link #column(String, String, String)}; hints may also name the schema
     * ({@code example.posts.title=name}).
     */
    default boolean column(String schema, String table, String from, String to) {
        return column(table, from, to);
    }

    /**
     * Whether main table {@code from} moved to {@code to}, both {@code schema.table} and in different schemas
     * (the name may change too). None by default.
     */
    default boolean moved(String from, String to) {
        return false;
    }

    /**
     * The hints a person gave ({@code posts.title=headline}, ...), for checking them against the resources before
     * a generation; none by default.
     */
    default List<String> hints() {
        return List.of();
    }

    /** These renames first, then {@code others} for the names these do not rename. */
    default Renames or(Renames others) {
        Renames first = this;
        return new Renames() {
            public boolean table(String from, String to) {
                return first.table(from, to) || others.table(from, to);
            }

            public boolean table(String schema, String from, String to) {
                return first.table(schema, from, to) || others.table(schema, from, to);
            }

            public boolean column(String table, String from, String to) {
                return first.column(table, from, to) || others.column(table, from, to);
            }

            public boolean column(String schema, String table, String from, String to) {
                return first.column(schema, table, from, to) || others.column(schema, table, from, to);
            }

            public boolean moved(String from, String to) {
                return first.moved(from, to) || others.moved(from, to);
            }
        };
    }

    /** No renames at all: everything that disappeared is dropped. */
    static Renames none() {
        return hints(List.of());
    }

    /**
     * Renames named by hints, each {@code table.old=new} or {@code schema.table.old=new} (a column), {@code old=new}
     * or {@code schema.old=schema.new} (a table, the latter in that schema only) or {@code schema.old=other_schema.new}
     * (a table moved to another schema, renamed or not).
     *
     * @throws AshlarException on a hint that is not of any of these forms
     */
    static Renames hints(List<String> hints) {
        Set<String> tables = new java.util.HashSet<>();
        Set<String> columns = new java.util.HashSet<>();
        Set<String> moves = new java.util.HashSet<>();
        for (String hint : hints) {
            String[] sides = hint.split("=", -1);
            if (sides.length != 2 || sides[0].isBlank() || sides[1].isBlank()
                    || sides[1].contains(".") && (sides[1].split("\\.", -1).length != 2 || !sides[0].contains("."))) {
                throw new AshlarException(ErrorCode.MIGRATION, "Rename hint '" + hint + "' is not of the form "
                        + "table.old_column=new_column, old_table=new_table or schema.old_table=new_schema.new_table");
            }
            (sides[1].contains(".") ? moves : sides[0].contains(".") ? columns : tables).add(sides[0] + "=" + sides[1]);
        }
        List<String> given = List.copyOf(hints);
        return new Renames() {
            public List<String> hints() {
                return given;
            }

            public boolean table(String from, String to) {
                return tables.contains(from + "=" + to);
            }

            public boolean table(String schema, String from, String to) {
                // schema.old=schema.new: the form that tells apart tables of one name in two schemas.
                return table(from, to) || moves.contains(schema + "." + from + "=" + schema + "." + to);
            }

            public boolean column(String table, String from, String to) {
                return columns.contains(table + "." + from + "=" + to);
            }

            public boolean column(String schema, String table, String from, String to) {
                return columns.contains(schema + "." + table + "." + from + "=" + to) || column(table, from, to);
            }

            public boolean moved(String from, String to) {
                return moves.contains(from + "=" + to);
            }
        };
    }

    /**
     * Hints first, then a question for each remaining candidate: {@code ask} receives the question
     * ("Is posts.title renamed to posts.headline?"; a table in a schema other than {@code public} is named with it,
     * "Is example.posts.title renamed to example.posts.headline?", and a tenant table is said to be one, "Is table
     * posts renamed to articles in each tenant schema?") and returns the answer.
     */
    static Renames asking(List<String> hints, java.util.function.Predicate<String> ask) {
        Renames known = hints(hints);
        return new Renames() {
            public List<String> hints() {
                return known.hints();
            }

            public boolean table(String from, String to) {
                return table("public", from, to);
            }

            public boolean table(String schema, String from, String to) {
                return known.table(schema, from, to) || ask.test("Is table " + named(schema, from) + " renamed to "
                        + named(schema, to) + tenants(schema) + "?");
            }

            public boolean column(String table, String from, String to) {
                return column("public", table, from, to);
            }

            public boolean column(String schema, String table, String from, String to) {
                String named = named(schema, table);
                return known.column(schema, table, from, to) || ask.test("Is " + named + "." + from + " renamed to "
                        + named + "." + to + tenants(schema) + "?");
            }

            public boolean moved(String from, String to) {
                return known.moved(from, to) || ask.test("Is table " + from + " moved to " + to + "?");
            }
        };
    }

    /** A table as a question names it: with its schema unless that is {@code public} or it is a tenant table. */
    private static String named(String schema, String table) {
        return schema == null || schema.equals("public") ? table : schema + "." + table;
    }

    /** How a question says that a table is a tenant table ({@code null} schema), kept in every tenant schema. */
    private static String tenants(String schema) {
        return schema == null ? " in each tenant schema" : "";
    }

    /** Pairs each removed name with at most one added name that {@code renamed} accepts, in order. */
    static Map<String, String> match(List<String> removed, List<String> added, BiPredicate<String, String> renamed) {
        Map<String, String> matches = new java.util.LinkedHashMap<>();
        List<String> free = new ArrayList<>(added);
        for (String from : removed) {
            for (String to : free) {
                if (renamed.test(from, to)) {
                    matches.put(from, to);
                    free.remove(to);
                    break;
                }
            }
        }
        return matches;
    }
}
