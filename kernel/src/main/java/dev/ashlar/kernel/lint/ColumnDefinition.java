package dev.ashlar.kernel.lint;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column as {@code CREATE TABLE} or {@code ADD COLUMN} defines it, read from the statement's code.
 *
 * @param name the column's name
 * @param type its type, e.g. {@code integer} or {@code timestamp with time zone}
 * @param rest its constraints and default, with a leading space, or empty
 */
record ColumnDefinition(String name, String type, String rest) {
    private static final Pattern FORM = Pattern.compile("^(" + Sql.IDENT + ") (.+?)((?: (?:not null|null|default|"
            + "generated|constraint|primary key|unique|references|check|collate)\\b.*)?)$");
    private static final Pattern VOLATILE = Pattern.compile("\\b(?:random|gen_random_uuid|uuid_generate_v1|"
            + "uuid_generate_v1mc|uuid_generate_v4|uuidv4|uuidv7|clock_timestamp|timeofday|nextval|txid_current|"
            + "gen_random_bytes) ?\\(");
    private static final Pattern INT = Pattern.compile("^(?:integer|int|int4|serial|serial4)$");
    private static final Pattern SMALLINT = Pattern.compile("^(?:smallint|int2|smallserial|serial2)$");
    private static final Pattern SERIAL = Pattern.compile("^(?:small|big)?serial[248]?$");
    private static final Pattern TIMESTAMP = Pattern.compile("^timestamp(?: ?\\(\\d+\\))?(?: without time zone)?"
            + "(?:\\[\\])?$");
    private static final Pattern TABLE_CONSTRAINT =
            Pattern.compile("^(?:constraint|primary key|unique|foreign key|check|exclude|like) .*");
    private static final Pattern IDENTITY = Pattern.compile(".* generated (?:always|by default) as identity\\b.*");
    private static final Pattern STORED = Pattern.compile(".* generated always as \\(.*");
    private static final Pattern CHAR = Pattern.compile("^(?:char|character|bpchar)(?: ?\\(\\d+\\))?(?:\\[\\])?$");

    /** The definition, or null when the text is a table constraint or not a column. */
    static ColumnDefinition parse(String text) {
        if (TABLE_CONSTRAINT.matcher(text).matches()) {
            return null;
        }
        Matcher form = FORM.matcher(text);
        return form.matches() ? new ColumnDefinition(form.group(1), form.group(2).strip(), form.group(3)) : null;
    }

    boolean identity() {
        return IDENTITY.matcher(rest).matches();
    }

    /** A value computed for every row as the column is added: a volatile default, a sequence, a stored expression. */
    boolean fillsEveryRow() {
        return identity() || SERIAL.matcher(type).matches() || STORED.matcher(rest).matches()
                || rest.contains(" default ") && VOLATILE.matcher(rest).find();
    }

    boolean required() {
        return (rest.contains(" not null") || rest.contains(" primary key")) && !rest.contains(" default ")
                && !fillsEveryRow();
    }

    boolean inlineKey() {
        return rest.contains(" primary key") || identity() || SERIAL.matcher(type).matches();
    }

    /** The rules about a new column's type; {@code key} says whether it belongs to the primary key. */
    void checkType(boolean key, Consumer<Rule> warn) {
        if (key || inlineKey()) {
            if (INT.matcher(type).matches()) {
                warn.accept(Rule.PREFER_BIGINT_OVER_INT);
            } else if (SMALLINT.matcher(type).matches()) {
                warn.accept(Rule.PREFER_BIGINT_OVER_SMALLINT);
            }
        }
        if (SERIAL.matcher(type).matches()) {
            warn.accept(Rule.PREFER_IDENTITY);
        }
        checkChangedType(type, warn);
    }

    /** The rules about a type a column takes, new or changed. */
    static void checkChangedType(String type, Consumer<Rule> warn) {
        if (TIMESTAMP.matcher(type).matches()) {
            warn.accept(Rule.PREFER_TIMESTAMPTZ);
        }
        if (CHAR.matcher(type).matches()) {
            warn.accept(Rule.BAN_CHAR_FIELD);
        }
    }

    /** Whether this column is one of the key columns listed. */
    boolean in(List<String> columns) {
        return columns.contains(Sql.key(name));
    }
}
