package dev.ashlar.kernel.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.SchemaObject;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Citus refuses in the SQL of a distributed table's schema objects (custom statements, triggers),
 * found at codegen rather than at migrate time. Measured on a cluster: {@code RETURNING} may call only
 * immutable functions ({@code now()} is not), and an {@code UPDATE} or {@code DELETE} of a distributed or
 * reference table may call no volatile one ({@code random()}, {@code gen_random_uuid()},
 * {@code clock_timestamp()}, {@code nextval()}) in its {@code SET} or {@code WHERE}. Inserts and column
 * defaults may call any (so may function bodies, which run on the workers), and are left alone.
 */
final class CitusStatements {
    /** String literals, quoted identifiers, comments and dollar-quoted bodies: no statement text of their own. */
    private static final Pattern QUOTED = Pattern.compile("\\$([A-Za-z_]*)\\$.*?\\$\\1\\$|'(?:[^']|'')*+'"
            + "|\"(?:[^\"]|\"\")*+\"|--[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern MODIFY = Pattern.compile("\\bUPDATE\\s+(?:ONLY\\s+)?[\\w.]+(?:\\s+(?:AS\\s+)?\\w+)?"
            + "\\s+SET\\b|\\bDELETE\\s+FROM\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern RETURNING = Pattern.compile("\\bRETURNING\\b", Pattern.CASE_INSENSITIVE);
    private static final String VOLATILE_NAMES = "random|gen_random_uuid|uuid_generate_v[14]|clock_timestamp|timeofday"
            + "|nextval|setval|txid_current";
    private static final Pattern VOLATILE = Pattern.compile("\\b(" + VOLATILE_NAMES + ")\\s*\\(",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NOT_IMMUTABLE = Pattern.compile("\\b(" + VOLATILE_NAMES
            + "|now|statement_timestamp|transaction_timestamp)\\s*\\(|\\b(current_timestamp|current_date"
            + "|current_time|localtimestamp|localtime)\\b", Pattern.CASE_INSENSITIVE);

    private CitusStatements() {
    }

    /**
     * Refuses an object of a table that Citus distributes whose SQL Citus would refuse.
     *
     * @throws DefinitionException naming the resource, the object, the function and what to do instead
     */
    static void check(Resource resource, SchemaObject object) {
        for (String sql : new String[] {object.up(), object.down()}) {
            // A quoted name stays a word, so that "UPDATE "posts" SET" is still an update.
            String text = QUOTED.matcher(sql == null ? "" : sql)
                    .replaceAll(m -> m.group().startsWith("\"") ? "q" : " ");
            for (String statement : text.split(";")) {
                check(resource, object, statement);
            }
        }
    }

    private static void check(Resource resource, SchemaObject object, String statement) {
        Matcher returning = RETURNING.matcher(statement);
        if (returning.find()) {
            Matcher function = NOT_IMMUTABLE.matcher(statement).region(returning.end(), statement.length());
            if (function.find()) {
                throw refused(resource, object, function.group().replaceAll("\\s*\\($", "()"), "in RETURNING, "
                        + "where Citus allows only immutable functions: return the columns and take the time or value "
                        + "in the application, or store it in a column first");
            }
        }
        Matcher modify = MODIFY.matcher(statement);
        if (modify.find()) {
            Matcher function = VOLATILE.matcher(statement).region(modify.start(), statement.length());
            if (function.find()) {
                String verb = modify.group().split("\\s+")[0].toUpperCase(Locale.ROOT);
                throw refused(resource, object, function.group().replaceAll("\\s*\\($", "()"), "in "
                        + (verb.equals("UPDATE") ? "an " : "a ") + verb + ", where Citus allows no "
                        + "volatile function on a distributed table: to fill a new column, add it with the function as "
                        + "its default (ADD COLUMN ... DEFAULT gen_random_uuid() fills the existing rows on Citus), "
                        + "or use a stable function such as now()");
            }
        }
    }

    private static DefinitionException refused(Resource resource, SchemaObject object, String function, String why) {
        return DefinitionException.of(resource.name(), object.name(), "The " + object.kind().name() + " '"
                + object.name() + "' of resource '" + resource.name() + "' calls " + function + " " + why
                + " (its table '" + resource.table() + "' is distributed on Citus)");
    }
}
