package dev.ashlar.api.query;

import dev.ashlar.api.data.Range;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.BindMarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A filter as a small expression tree. Values are always bound as parameters, never written into SQL.
 *
 * <pre>{@code
 * import static dev.ashlar.api.query.Filter.*;
 * and(eq("status", "active"), or(gt("rating", 4), isNil("deleted_at")))
 * }</pre>
 *
 * <p>A field may be a path through relationships: {@code eq("author.name", "Ada")} keeps the rows with
 * a related author named Ada, and {@code gt("comments.rating", 4)} those with at least one comment
 * rated above 4 (the same as {@code exists("comments", gt("rating", 4))}). Such conditions become
 * {@code EXISTS} subqueries, so a parent row is never repeated, whatever the number of related rows.
 *
 * <p>A dotted field whose first name is a JSON attribute is a path inside it: {@code eq("bio.title", "Dr.")},
 * {@code gt("stats.visits", 10)}. The value at the path is read as text, a number or a boolean, as the value
 * compared with it is; a missing key and a JSON null are nil.
 */
public sealed interface Filter
        permits Filter.Compare, Filter.In, Filter.RowIn, Filter.IsNil, Filter.Like, Filter.Contains, Filter.RangeCompare, Filter.PathCompare,
        Filter.ArrayCompare, Filter.TextSearch, Filter.Sql,
        Filter.And, Filter.Or, Filter.Not, Filter.Exists, Filter.Count, Filter.Raise {

    static Filter eq(String field, Object value) {
        return new Compare(field, Operator.EQ, value);
    }

    static Filter ne(String field, Object value) {
        return new Compare(field, Operator.NE, value);
    }

    static Filter gt(String field, Object value) {
        return new Compare(field, Operator.GT, value);
    }

    static Filter gte(String field, Object value) {
        return new Compare(field, Operator.GTE, value);
    }

    static Filter lt(String field, Object value) {
        return new Compare(field, Operator.LT, value);
    }

    static Filter lte(String field, Object value) {
        return new Compare(field, Operator.LTE, value);
    }

    static Filter in(String field, List<?> values) {
        return new In(field, values);
    }

    /**
     * The fields, taken together, are one of these rows (jOOQ's {@code row(a, b).in(...)}): {@code rowIn(List.of(
     * "customer_id", "code"), List.of(List.of(1, "x"), List.of(2, "y")))} is {@code (customer_id, code) IN ((1, 'x'),
     * (2, 'y'))}, each row's values in the fields' order. Every value is bound, one array per field, so any number of
     * rows is one statement. Nulls compare as PostgreSQL compares rows: a row with a null matches no record, and under
     * {@code not} a record that matches no row but equals one in every field that is not null is not kept either.
     *
     * @throws QueryException for no field, a field given twice, or a row with more or fewer values than fields,
     *                        naming the fields
     */
    static Filter rowIn(List<String> fields, List<? extends List<?>> rows) {
        return new RowIn(fields, RowIn.widened(rows));
    }

    /**
     * The value is none of these: {@code not(in(field, values))}. As SQL's {@code NOT IN}, a row whose field is null
     * is not kept (add {@code isNil(field)} with {@code or} to keep it); an empty list keeps every row.
     */
    static Filter notIn(String field, List<?> values) {
        if (values != null && values.stream().anyMatch(Objects::isNull)) {
            throw QueryException.of(null, field, "The values of notIn(\"" + field + "\", ...) hold a null, with "
                    + "which NOT IN keeps no row: give a list of values, and keep missing ones with "
                    + "or(isNil(\"" + field + "\"), notIn(...))");
        }
        return not(in(field, values));
    }

    /**
     * The value differs from this one, a null counting as a value of its own (SQL's {@code IS DISTINCT FROM}, jOOQ's
     * {@code isDistinctFrom}): {@code or(ne(field, value), isNil(field))}, and {@code notNil(field)} for a null, so
     * that rows whose field is null are kept, as {@code ne} does not keep them.
     */
    static Filter distinctFrom(String field, Object value) {
        return value == null ? notNil(field) : or(ne(field, value), isNil(field));
    }

    /**
     * The value equals this one, a null counting as a value of its own (SQL's {@code IS NOT DISTINCT FROM}):
     * {@code eq(field, value)}, which is {@code isNil(field)} for a null.
     */
    static Filter notDistinctFrom(String field, Object value) {
        return eq(field, value);
    }

    /** The value lies between the two, both included, as SQL's {@code BETWEEN}: {@code and(gte(...), lte(...))}. */
    static Filter between(String field, Object low, Object high) {
        return and(gte(field, low), lte(field, high));
    }

    static Filter isNil(String field) {
        return new IsNil(field, true);
    }

    static Filter notNil(String field) {
        return new IsNil(field, false);
    }

    /** SQL {@code LIKE}: {@code %} matches any run of characters, {@code _} one character. */
    static Filter like(String field, String pattern) {
        return new Like(field, pattern, false);
    }

    /** Case-insensitive {@link #like}. */
    static Filter ilike(String field, String pattern) {
        return new Like(field, pattern, true);
    }

    /**
     * A text attribute begins with the text as it is, {@code %} and {@code _} included:
     * {@code like(field, escapeLike(prefix) + "%")}.
     */
    static Filter startsWith(String field, String prefix) {
        return like(field, escapeLike(QueryException.required(prefix, "prefix")) + "%");
    }

    /** A text attribute ends with the text as it is: {@code like(field, "%" + escapeLike(suffix))}. */
    static Filter endsWith(String field, String suffix) {
        return like(field, "%" + escapeLike(QueryException.required(suffix, "suffix")));
    }

    /**
     * A text attribute equals the text but for case ({@code ILIKE} of the text escaped, so {@code %} and {@code _}
     * are themselves): Ebean's {@code ieq}, jOOQ's {@code equalIgnoreCase}.
     * {@code eqIgnoreCase("email", "Ada@Example.com")} keeps {@code "ada@example.com"}.
     */
    static Filter eqIgnoreCase(String field, String text) {
        return ilike(field, escapeLike(QueryException.required(text, "text")));
    }

    /** A text attribute holds the text anywhere in it, as it is but for case: Ebean's {@code icontains}. */
    static Filter containsIgnoreCase(String field, String text) {
        return ilike(field, "%" + escapeLike(QueryException.required(text, "text")) + "%");
    }

    /** A text attribute begins with the text as it is but for case: Ebean's {@code istartsWith}. */
    static Filter startsWithIgnoreCase(String field, String prefix) {
        return ilike(field, escapeLike(QueryException.required(prefix, "prefix")) + "%");
    }

    /** A text attribute ends with the text as it is but for case: Ebean's {@code iendsWith}. */
    static Filter endsWithIgnoreCase(String field, String suffix) {
        return ilike(field, "%" + escapeLike(QueryException.required(suffix, "suffix")));
    }

    /**
     * The text with the characters {@code LIKE} reads as a pattern ({@code %}, {@code _}) and its escape
     * ({@code \}) escaped, to match it as it is inside a pattern of one's own:
     * {@code ilike("title", "%" + escapeLike("50%") + "%")} keeps {@code "Now 50% off"}, not {@code "500 off"}.
     */
    static String escapeLike(String text) {
        StringBuilder escaped = new StringBuilder(QueryException.required(text, "text").length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' || c == '_' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /**
     * An array attribute holds the value among its elements; or a text attribute holds the text anywhere in it
     * (case-sensitive, except for a citext attribute; no pattern characters to escape, unlike {@link #like}); or a
     * range attribute holds the value, or the whole of a {@link Range} given ({@code @>}):
     * {@code contains("stay", LocalDate.of(2025, 7, 3))}. On a text attribute the element may be a text field of the
     * parent record, {@code contains("bio", parent("name"))}.
     */
    static Filter contains(String field, Object element) {
        return new Contains(field, element);
    }

    /**
     * An array attribute holds at least one of the values ({@code &&}, Ebean's {@code arrayContains} of any, jOOQ's
     * {@code arrayOverlap}): {@code containsAny("tags", List.of("java", "sql"))}. An empty list keeps no row. (For a
     * range attribute, {@link #overlaps} says the same of a range.)
     *
     * @throws QueryException for a null list, or one holding a null (an array holds no value equal to null)
     */
    static Filter containsAny(String field, List<?> values) {
        return new ArrayCompare(field, ArrayOperator.ANY, values);
    }

    /**
     * An array attribute holds every one of the values ({@code @>}): {@code containsAll("tags", List.of("java",
     * "sql"))}. An empty list keeps every row whose array is not null.
     */
    static Filter containsAll(String field, List<?> values) {
        return new ArrayCompare(field, ArrayOperator.ALL, values);
    }

    /**
     * Every element of an array attribute is one of the values ({@code <@}): {@code containedIn("tags",
     * List.of("java", "sql"))} keeps {@code {java}}, {@code {sql,java}} and an empty array. (For a range attribute,
     * {@link #containedBy} says the same of a range.)
     */
    static Filter containedIn(String field, List<?> values) {
        return new ArrayCompare(field, ArrayOperator.IN, values);
    }

    /**
     * Full-text search: a text (or {@code tsvector}) attribute matches the words of a search as people type them
     * ({@code to_tsvector(config, field) @@ websearch_to_tsquery(config, ?)}): quoted phrases, {@code or}, and
     * {@code -} before a word to leave it out, {@code textSearch("body", "english", "\"full text\" -mysql")}.
     * The configuration is a name ({@code english}, {@code public.my_config}; anything else is refused here), bound
     * and read by the server as a {@code regconfig}, never written into the SQL; one the server does not know fails the
     * read with a {@code DatabaseException} naming it (SQL state 42704).
     *
     * @param config a text search configuration, e.g. {@code "english"} or {@code "simple"}
     */
    static Filter textSearch(String field, String config, String search) {
        return new TextSearch(field, config, search, false);
    }

    /**
     * Full-text search of the words as given, all of them, with no operators ({@code plainto_tsquery}):
     * {@code plainTextSearch("body", "english", "rats cheese")}. See {@link #textSearch}.
     */
    static Filter plainTextSearch(String field, String config, String search) {
        return new TextSearch(field, config, search, true);
    }

    /** A range attribute shares at least one value with the range ({@code &&}). */
    static Filter overlaps(String field, Range<?> range) {
        return new RangeCompare(field, RangeOperator.OVERLAPS, range);
    }

    /** A range attribute lies wholly inside the range ({@code <@}). */
    static Filter containedBy(String field, Range<?> range) {
        return new RangeCompare(field, RangeOperator.CONTAINED_BY, range);
    }

    /**
     * A range attribute abuts the range, sharing no value with it ({@code -|-}, Ash's {@code range_adjacent}):
     * {@code [1,5)} is adjacent to {@code [5,10)}; an empty range is adjacent to none.
     */
    static Filter adjacentTo(String field, Range<?> range) {
        return new RangeCompare(field, RangeOperator.ADJACENT_TO, range);
    }

    /**
     * An ltree attribute is an ancestor of the path, or the path itself ({@code @>}): {@code ancestorOf("path",
     * List.of("top", "science", "astronomy"))} keeps {@code top}, {@code top.science} and {@code top.science.astronomy}.
     * The path is a list of labels, or, for an unescaped ltree, its dotted text.
     */
    static Filter ancestorOf(String field, Object path) {
        return new PathCompare(field, PathOperator.ANCESTOR_OF, path);
    }

    /**
     * An ltree attribute is a descendant of the path, or the path itself ({@code <@}): {@code descendantOf("path",
     * List.of("top", "science"))} keeps {@code top.science} and everything below it.
     */
    static Filter descendantOf(String field, Object path) {
        return new PathCompare(field, PathOperator.DESCENDANT_OF, path);
    }

    /**
     * An ltree attribute matches an {@code lquery} pattern ({@code ~}): {@code matches("path", "*.science.*")} keeps
     * the paths with a label {@code science}; {@code *} stands for any labels, {@code a|b} for either label. The
     * pattern is bound as an {@code lquery}, written over the labels as stored (escaped ones as their escape).
     */
    static Filter matches(String field, String lquery) {
        return new PathCompare(field, PathOperator.MATCHES, QueryException.required(lquery, "lquery"));
    }

    static Filter and(Filter... filters) {
        return new And(Arrays.asList(QueryException.required(filters, "filters")));
    }

    static Filter or(Filter... filters) {
        return new Or(Arrays.asList(QueryException.required(filters, "filters")));
    }

    static Filter not(Filter filter) {
        return new Not(filter);
    }

    /** Rows with at least one related record along the relationship path, e.g. {@code "comments"} or {@code "comments.author"}. */
    static Filter exists(String relationship) {
        return new Exists(relationship, null);
    }

    /** Rows with at least one related record that matches the filter (written over the destination's fields). */
    static Filter exists(String relationship, Filter filter) {
        return new Exists(relationship, filter);
    }

    /** Rows whose number of related records compares with the value: {@code count("comments", Operator.GTE, 3)}. */
    static Filter count(String relationship, Operator operator, long value) {
        return new Count(relationship, null, operator, value);
    }

    /** Like {@link #count(String, Operator, long)}, counting only the related records that match the filter. */
    static Filter count(String relationship, Filter filter, Operator operator, long value) {
        return new Count(relationship, filter, operator, value);
    }

    /**
     * Fails the statement with the message for a row the condition holds for, and keeps every other row (Ash's
     * {@code error(...)} expression): in a read's filter, an update's or delete's selection or a write's guard, so
     * that a bulk update checks a rule on every row it would change, in the statement itself:
     * {@code read("post").where(eq("id", id)).where(errorIf(exists("comments"), "has comments")).updateAll(...)}.
     * The failure is an {@code InvalidDataException} whose error holds the message, and nothing is written.
     *
     * @param condition any filter over the row, paths, {@code exists} and aggregates included; a row for which it is
     *                  null is kept
     * @param message   for people; bound, never written into the SQL
     */
    static Filter errorIf(Filter condition, String message) {
        return new Raise(QueryException.required(condition, "condition"), message);
    }

    /** Fails the statement with the message at the first row it reaches: {@link #errorIf} with no condition. */
    static Filter error(String message) {
        return new Raise(null, message);
    }

    /**
     * {@link #errorIf(Filter, String)} whose error names a field and carries values (AshPostgres's error payloads):
     * {@code errorIf(gt("score", 10), "score", "is over 10", Map.of("limit", 10, "score", ref("score")))} fails with
     * a {@code FieldError} on {@code score} whose {@code details()} hold {@code limit} as given and {@code score} as
     * the row that failed stores it. A {@link #ref(String)} value names an attribute of the row and is read by the
     * statement itself, as JSON: a number, text, a boolean, a list or an object (a date or time as its ISO text, a
     * composite value as an object, null as null); other values are sent as JSON (text, numbers, booleans, lists,
     * maps, UUIDs, dates and times as their text).
     *
     * @param field   the attribute the error is about, or {@code null} for the whole record
     * @param details the names and values the error carries; may be empty, may hold nulls
     */
    static Filter errorIf(Filter condition, String field, String message, Map<String, ?> details) {
        return new Raise(QueryException.required(condition, "condition"), message, field, given(details));
    }

    /** {@link #error(String)} naming a field and carrying values: see {@link #errorIf(Filter, String, String, Map)}. */
    static Filter error(String field, String message, Map<String, ?> details) {
        return new Raise(null, message, field, given(details));
    }

    private static Map<String, Object> given(Map<String, ?> details) {
        return details == null ? Map.of() : new LinkedHashMap<>(details);
    }

    enum Operator {
        EQ("="), NE("<>"), GT(">"), GTE(">="), LT("<"), LTE("<=");

        private final String sql;

        Operator(String sql) {
            this.sql = sql;
        }

        public String sql() {
            return sql;
        }
    }

    /** How a range attribute relates to a range: {@link #overlaps}, {@link #containedBy} or {@link #adjacentTo}. */
    enum RangeOperator {
        OVERLAPS("&&", "overlaps"), CONTAINED_BY("<@", "containedBy"), ADJACENT_TO("-|-", "adjacentTo");

        private final String sql;
        private final String method;

        RangeOperator(String sql, String method) {
            this.sql = sql;
            this.method = method;
        }

        public String sql() {
            return sql;
        }

        /** The name of the {@link Filter} method that makes it, for messages. */
        public String method() {
            return method;
        }
    }

    /** How an array attribute relates to a list: {@link #containsAny}, {@link #containsAll} or {@link #containedIn}. */
    enum ArrayOperator {
        ANY, ALL, IN;

        public String sql() {
            return switch (this) {
                case ANY -> "&&";
                case ALL -> "@>";
                case IN -> "<@";
            };
        }

        /** The name of the {@link Filter} method that makes it, for messages. */
        public String method() {
            return switch (this) {
                case ANY -> "containsAny";
                case ALL -> "containsAll";
                case IN -> "containedIn";
            };
        }
    }

    /** How an ltree attribute relates to a path: {@link #ancestorOf}, {@link #descendantOf} or {@link #matches}. */
    enum PathOperator {
        ANCESTOR_OF("@>"), DESCENDANT_OF("<@"), MATCHES("~");

        private final String sql;

        PathOperator(String sql) {
            this.sql = sql;
        }

        public String sql() {
            return sql;
        }
    }

    /**
     * A condition written in SQL, for what the other filters cannot say (AshPostgres's {@code fragment}): each
     * {@code ?} is bound to the next value, in order, never written into the text. The text is code, as a query is:
     * never build it from input. Columns are named as in the table: {@code sql("lower(title) = ?", "hello")},
     * {@code sql("similarity(title, ?) > 0.3", term)}. Values: text, numbers, booleans, UUIDs, dates and times, and a
     * {@code List} of one of them, bound to its one {@code ?} as a PostgreSQL array of the elements' type
     * ({@code sql("tags && ?", List.of("a", "b"))}; an empty list, or one of nulls only, as an untyped array the
     * server types by its place, or by a cast: {@code sql("tags && ?::text[]", List.of())}). A list of mixed types,
     * nested lists, or a list cast to {@code json}/{@code jsonb} is refused: give JSON as its text.
     */
    static Filter sql(String fragment, Object... values) {
        return new Sql(fragment, values == null ? List.of() : Arrays.asList(values));
    }

    /**
     * Another field of the same record, as the value of a comparison: {@code gt("score", ref("best_score"))} keeps
     * the rows whose score is above their own best score (a column compared with a column, nothing bound).
     */
    static Ref ref(String field) {
        return new Ref(field);
    }

    /** A field of the record a comparison is made on; see {@link #ref(String)}. */
    record Ref(String field) {
        public Ref {
            if (field == null || field.isBlank()) {
                throw QueryException.of(null, field, "ref(...) needs the name of a field, e.g. ref(\"best_score\")");
            }
        }
    }

    /**
     * The value an upsert brings for a field, as the value of a comparison in the upsert's condition
     * ({@code Upsert.where}): {@code lt("version", incoming("version"))} lets the upsert overwrite a stored record
     * only when the incoming version is newer. In an upsert it is also a value of SQL written by hand, in the
     * condition or a change ({@code Upsert.set}): {@code Atomic.sql("stock + ?", incoming("stock"))} adds the incoming
     * stock to the stored one. Any other filter or change refuses it.
     */
    static Incoming incoming(String field) {
        return new Incoming(field);
    }

    /** The value an upsert brings for a field; see {@link #incoming(String)}. */
    record Incoming(String field) {
        public Incoming {
            if (field == null || field.isBlank()) {
                throw QueryException.of(null, field, "incoming(...) needs the name of a field, "
                        + "e.g. incoming(\"version\")");
            }
        }
    }

    /**
     * A field of the parent record, as the value of a comparison: the record a relationship is followed from. It
     * works in a relationship's own filter, in the filter of {@code exists} and {@code count}, and in a load's filter;
     * a read's own filter has no parent and refuses it. {@code hasMany("same_title_comments", "comment", r ->
     * r.filter(eq("title", parent("title"))))} relates each post to the comments titled like the post, and
     * {@code exists("comments", eq("author_name", parent("author_name")))} keeps the posts their author commented on.
     * Inside {@code exists} or {@code count} nested in another, the parent is the record of the enclosing one; a
     * dotted path ({@code eq("post.title", parent("title"))}) does not change it.
     */
    static Parent parent(String field) {
        return new Parent(field, 1);
    }

    /**
     * A field of the record {@code levels} relationships up: {@code parent(field, 1)} is {@link #parent(String)},
     * {@code parent(field, 2)} its own parent (Ash's {@code parent(parent(field))}), from inside a nested
     * {@code exists} or {@code count}.
     */
    static Parent parent(String field, int levels) {
        return new Parent(field, levels);
    }

    /** A field of the record {@code levels} relationships up; see {@link #parent(String)}. */
    record Parent(String field, int levels) {
        public Parent {
            if (field == null || field.isBlank() || levels < 1) {
                throw QueryException.of(null, field, "parent(...) needs the name of a field and, if given, at least "
                        + "one level up, e.g. parent(\"title\") or parent(\"title\", 2); got " + field + ", " + levels);
            }
        }
    }

    /**
     * {@code field op value}; {@code eq(field, null)} means "is null", as people expect; a {@link Ref} value is
     * another field of the same record, a {@link Parent} value one of the parent record, an {@link Incoming} value
     * the one an upsert brings.
     */
    record Compare(String field, Operator operator, Object value) implements Filter {
        public Compare {
            QueryException.required(field, "field");
            QueryException.required(operator, "operator");
        }
    }

    record In(String field, List<?> values) implements Filter {
        public In {
            QueryException.required(field, "field");
            if (values == null || values.stream().anyMatch(Objects::isNull)) {
                throw QueryException.of(null, field, "The values of in(\"" + field + "\", ...) "
                        + (values == null ? "are null" : "hold a null, which IN never matches")
                        + ": give a list of values, and match missing ones with isNil(\"" + field + "\")");
            }
            values = List.copyOf(values);
        }
    }

    /** @param rows each row's values, in the order of {@code fields}; a value may be null */
    record RowIn(List<String> fields, List<List<Object>> rows) implements Filter {
        public RowIn {
            fields = checkedFields(fields);
            rows = copied(fields, rows);
        }

        /** The rows as the record holds them, each a list that may hold nulls. */
        static List<List<Object>> widened(List<? extends List<?>> rows) {
            if (rows == null) {
                return null;
            }
            List<List<Object>> widened = new ArrayList<>(rows.size());
            rows.forEach(row -> widened.add(row == null ? null : new ArrayList<>(row)));
            return widened;
        }

        private static List<String> checkedFields(List<String> fields) {
            if (fields == null || fields.isEmpty() || fields.stream().anyMatch(f -> f == null || f.isBlank())) {
                throw QueryException.of(null, null, "rowIn(...) needs the fields its rows give values for, none of "
                        + "them blank: rowIn(List.of(\"customer_id\", \"code\"), rows)");
            }
            if (fields.stream().distinct().count() < fields.size()) {
                throw QueryException.of(null, fields.get(0), "rowIn(" + fields + ", ...) names a field twice: name "
                        + "each once");
            }
            return List.copyOf(fields);
        }

        private static List<List<Object>> copied(List<String> fields, List<List<Object>> rows) {
            if (rows == null) {
                throw QueryException.of(null, fields.get(0), "The rows of rowIn(" + fields + ", ...) are null: give "
                        + "a list of rows, each a list of " + fields.size() + " values");
            }
            List<List<Object>> copy = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                List<?> row = rows.get(i);
                if (row == null || row.size() != fields.size()) {
                    throw QueryException.of(null, fields.get(0), "Row " + (i + 1) + " of rowIn(" + fields + ", ...) "
                            + "has " + (row == null ? "no values" : row.size() + " value" + (row.size() == 1 ? "" : "s")
                            + " " + row) + ", but the fields are " + fields.size() + ": give one value per field, in "
                            + "their order (null for a missing one)");
                }
                // Values may be null, which List.copyOf refuses.
                copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
            }
            return Collections.unmodifiableList(copy);
        }
    }

    /** @param nil true for "is null", false for "is not null" */
    record IsNil(String field, boolean nil) implements Filter {
        public IsNil {
            QueryException.required(field, "field");
        }
    }

    record Like(String field, String pattern, boolean caseInsensitive) implements Filter {
        public Like {
            QueryException.required(field, "field");
            QueryException.required(pattern, "pattern");
        }
    }

    /** A condition in SQL with its bound values; see {@link #sql(String, Object...)}. */
    record Sql(String sql, List<Object> values) implements Filter {
        public Sql {
            if (sql == null || sql.isBlank()) {
                throw QueryException.of(null, null, "sql(...) needs a condition, e.g. sql(\"lower(title) = ?\", x)");
            }
            int marks = BindMarks.of(sql).size();
            if (values == null || marks != values.size() || values.stream().anyMatch(Objects::isNull)) {
                throw QueryException.of(null, null, "sql(\"" + sql + "\", ...) has " + marks + " ? mark(s) and "
                        + (values == null ? 0 : values.size()) + " value(s), none of which may be null: give one "
                        + "value for each ?, and write IS NULL in the text for a missing one");
            }
            values = List.copyOf(values);
        }
    }

    record Contains(String field, Object element) implements Filter {
        public Contains {
            QueryException.required(field, "field");
        }
    }

    /** A range attribute compared with a range; see {@link #overlaps}, {@link #containedBy} and {@link #adjacentTo}. */
    record RangeCompare(String field, RangeOperator operator, Range<?> range) implements Filter {
        public RangeCompare {
            QueryException.required(field, "field");
            QueryException.required(operator, "operator");
            QueryException.required(range, "range");
        }
    }

    /** An array attribute compared with a list; see {@link #containsAny}, {@link #containsAll}, {@link #containedIn}. */
    record ArrayCompare(String field, ArrayOperator operator, List<?> values) implements Filter {
        public ArrayCompare {
            QueryException.required(field, "field");
            QueryException.required(operator, "operator");
            if (values == null || values.stream().anyMatch(Objects::isNull)) {
                throw QueryException.of(null, field, "The values of " + operator.method() + "(\"" + field
                        + "\", ...) " + (values == null ? "are null" : "hold a null, which no array element equals")
                        + ": give a list of values (an empty one for none)");
            }
            values = List.copyOf(values);
        }
    }

    /**
     * A full-text search of a text attribute; see {@link #textSearch}.
     *
     * @param plain whether the search is words as given ({@code plainto_tsquery}), not as typed in a search box
     *              ({@code websearch_to_tsquery})
     */
    record TextSearch(String field, String config, String search, boolean plain) implements Filter {
        public TextSearch {
            QueryException.required(field, "field");
            // A name of at most 63 bytes, as PostgreSQL keeps whole: a longer one it would cut to another's.
            if (config == null || !config.matches("([A-Za-z_][A-Za-z0-9_$]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_$]{0,62}")) {
                throw QueryException.of(null, field, (plain ? "plainTextSearch" : "textSearch") + "(\"" + field
                        + "\", " + (config == null ? "null" : "\"" + config + "\"") + ", ...) needs the name of a text "
                        + "search configuration of at most 63 letters, digits and underscores, e.g. \"english\", "
                        + "\"simple\" or \"public.my_config\" (SELECT cfgname FROM pg_ts_config lists them)");
            }
            QueryException.required(search, "search");
        }

        /** The function that reads the search into a {@code tsquery}. */
        public String function() {
            return plain ? "plainto_tsquery" : "websearch_to_tsquery";
        }
    }

    /** An ltree attribute compared with a path or a pattern; see {@link #ancestorOf}. */
    record PathCompare(String field, PathOperator operator, Object path) implements Filter {
        public PathCompare {
            QueryException.required(field, "field");
            QueryException.required(operator, "operator");
            QueryException.required(path, "path");
        }
    }

    /** The filters of an {@code and} or {@code or}, copied, refusing a null one with its place. */
    private static List<Filter> combined(String operator, List<Filter> filters) {
        List<Filter> given = QueryException.required(filters, "filters");
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i) == null) {
                throw QueryException.of(null, null, "Filter." + operator + " was given null for filter " + (i + 1)
                        + " of " + given.size() + ": leave it out (and() with none keeps every row, or() none)");
            }
        }
        return List.copyOf(given);
    }

    record And(List<Filter> filters) implements Filter {
        public And {
            filters = combined("and", filters);
        }
    }

    record Or(List<Filter> filters) implements Filter {
        public Or {
            filters = combined("or", filters);
        }
    }

    record Not(Filter filter) implements Filter {
        public Not {
            QueryException.required(filter, "filter");
        }
    }

    /**
     * A failure with the message for a row the condition holds for; see {@link Filter#errorIf}.
     *
     * @param when    the condition, or {@code null} to fail at any row
     * @param message what the failure says
     */
    record Raise(Filter when, String message, String field, Map<String, Object> details) implements Filter {
        public Raise {
            if (message == null || message.isBlank()) {
                throw QueryException.of(null, null, "error(...) needs a message saying what is wrong, e.g. "
                        + "Filter.errorIf(exists(\"comments\"), \"has comments\")");
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            if (details != null) {
                details.forEach((name, value) -> {
                    if (name == null || name.isBlank()) {
                        throw QueryException.of(null, field, "error(...) was given a value without a name: name "
                                + "each value the error carries, e.g. Map.of(\"limit\", 10)");
                    }
                    copy.put(name, value);
                });
            }
            details = Collections.unmodifiableMap(copy);
        }

        /** A failure with the message alone: no field, no values. */
        public Raise(Filter when, String message) {
            this(when, message, null, Map.of());
        }

        /** Whether the error names a field or carries values, beyond its message. */
        public boolean detailed() {
            return field != null || !details.isEmpty();
        }
    }

    /**
     * At least one record related through the path matches the filter.
     *
     * @param relationship a relationship name, or a dotted path of them
     * @param filter       over the destination's fields, or {@code null} for any related record
     */
    record Exists(String relationship, Filter filter) implements Filter {
        public Exists {
            QueryException.required(relationship, "relationship");
        }
    }

    /**
     * The number of related records (those matching the filter, when there is one) compared with a value.
     *
     * @param relationship a relationship name, or a dotted path of them
     * @param filter       over the destination's fields, or {@code null} to count every related record
     */
    record Count(String relationship, Filter filter, Operator operator, long value) implements Filter {
        public Count {
            QueryException.required(relationship, "relationship");
            QueryException.required(operator, "operator");
        }
    }
}
