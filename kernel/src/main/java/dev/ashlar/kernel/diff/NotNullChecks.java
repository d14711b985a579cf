package dev.ashlar.kernel.diff;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.spi.schema.Ddl;

/**
 * The SQL of making a column of a table with rows not null without scanning it under an exclusive lock: a check
 * {@code (column IS NOT NULL)} added {@code NOT VALID}, validated later under a lock that lets writes go on, from
 * which PostgreSQL 12 and later set {@code NOT NULL} without a scan (manual, ALTER TABLE, "SET NOT NULL").
 */
final class NotNullChecks {
    private NotNullChecks() {
    }

    static String name(Table table, String column) {
        return Names.notNullCheck(table.name(), column);
    }

    static Ddl.AlterTable alter(Table table) {
        return Ddl.alterTable(table.sql());
    }

    static String body(String column) {
        return "CHECK (" + Identifiers.quote(column) + " IS NOT NULL)";
    }

    /** Sets {@code NOT NULL} from the validated check and drops it. */
    static String setNotNull(Table table, String column) {
        return alterColumn(table, column) + "SET NOT NULL;\n" + alter(table).dropConstraint(name(table, column));
    }

    /** Undoes {@link #setNotNull}: the column allows null again and the check is back as it was before, not valid. */
    static String dropNotNull(Table table, String column) {
        return alterColumn(table, column) + "DROP NOT NULL;\n"
                + alter(table).addConstraintNotValid(name(table, column), body(column));
    }

    private static String alterColumn(Table table, String column) {
        return "ALTER TABLE " + table.sql() + " ALTER COLUMN " + Identifiers.quote(column) + " ";
    }
}
