package dev.ashlar.kernel.diff;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.kernel.diff.MigrationStep.AddColumn;
import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.Table;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** What adding a column to a table that already exists, and may hold rows, can and cannot do. */
public final class NewColumns {
    /**
     * Functions PostgreSQL marks volatile ({@code pg_proc.provolatile = 'v'}) that defaults use. A column added with
     * a default that is not volatile costs no rewrite since PostgreSQL 11: the value is computed once and kept in the
     * catalog ({@code now()} is stable, so it is one of those); a volatile one is computed for every row.
     */
    private static final Pattern VOLATILE = Pattern.compile("(?i)\\b(random|random_normal|gen_random_uuid|uuidv4"
            + "|uuidv7|uuid_generate_v1|uuid_generate_v1mc|uuid_generate_v4|gen_random_bytes|clock_timestamp|timeofday"
            + "|nextval|setseed)\\s*\\(");

    private NewColumns() {
    }

    /**
     * Refuses a column added {@code NOT NULL} without a default to a table that already exists: the statement
     * fails on the first row, so a migration that works on an empty development database breaks in production.
     *
     * @throws DefinitionException naming every such resource and attribute, and the fixes
     */
    public static void requireFillable(List<MigrationStep> steps) {
        List<Problem> problems = steps.stream().filter(AddColumn.class::isInstance).map(AddColumn.class::cast)
                .filter(add -> !add.column().nullable() && add.column().defaultSql() == null && !add.column().identity())
                .map(add -> new Problem(add.table().resource(), add.column().name(), "is added NOT NULL without a "
                        + "default to table " + add.table().key() + ", which already exists: on a table with rows "
                        + "that fails. Give the attribute a default, or allow nil, backfill it, and make it required "
                        + "in a later migration (which sets NOT NULL without blocking writes)"))
                .toList();
        if (!problems.isEmpty()) {
            throw new DefinitionException(null, problems);
        }
    }

    /** Why adding the column rewrites the table, or empty when its value for existing rows is computed once. */
    static Optional<String> rewrites(Table table, Column column) {
        String where = table.key() + "." + column.name();
        if (column.identity()) {
            return Optional.of("adding identity column " + where + " numbers every row, rewriting the table while "
                    + "reads and writes wait");
        }
        if (column.defaultSql() != null && VOLATILE.matcher(column.defaultSql()).find()) {
            return Optional.of("adding " + where + " with the volatile default " + column.defaultSql() + " computes it "
                    + "for every row, rewriting the table while reads and writes wait");
        }
        return Optional.empty();
    }
}
