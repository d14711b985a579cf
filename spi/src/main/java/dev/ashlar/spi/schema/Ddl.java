package dev.ashlar.spi.schema;

import dev.ashlar.api.sql.Fragments;
import dev.ashlar.api.sql.Identifiers;

import java.util.List;

/**
 * The DDL statements that plugins write again and again, built with every name quoted by
 * {@link Identifiers#quote}, so that a plugin puts together statements instead of concatenating them.
 *
 * <pre>{@code
 * Ddl.alterTable(context.tableSql()).addConstraint("orders_amount_check", "CHECK (amount > 0)")
 *   -> ALTER TABLE "public"."orders" ADD CONSTRAINT "orders_amount_check" CHECK (amount > 0);
 * Ddl.columnList(List.of("tenant_id", "slug"))  ->  "tenant_id", "slug"
 * }</pre>
 */
public final class Ddl {
    private Ddl() {
    }

    /** Statements that alter a table; {@code tableSql} is the table as SQL, e.g. {@link SchemaContext#tableSql()}. */
    public static AlterTable alterTable(String tableSql) {
        return new AlterTable(tableSql);
    }

    /**
     * A resource author's SQL fragment (a check, a predicate, an index expression, a default) ready to be followed by
     * more SQL: a {@code --} comment on its last line would turn the rest of the statement into a comment, so such a
     * fragment ends with a line break. Any other fragment is returned as it is, so its statements keep their text.
     *
     * <pre>{@code "CHECK (" + Ddl.fragment("amount > 0 -- never free") + ")"  ->  CHECK (amount > 0 -- never free
     * )}</pre>
     */
    public static String fragment(String sql) {
        return Fragments.closed(sql);
    }

    /** Column names quoted and joined with commas, for a key's or an index's column list. */
    public static String columnList(List<String> columns) {
        return String.join(", ", columns.stream().map(Identifiers::quote).toList());
    }

    /**
     * {@code CREATE INDEX "name" ON table (columns);} on plain columns.
     *
     * @param tableSql the table as SQL, e.g. {@link SchemaContext#tableSql()}
     */
    public static String createIndex(String name, String tableSql, List<String> columns) {
        return "CREATE INDEX " + Identifiers.quote(name) + " ON " + tableSql + " (" + columnList(columns) + ");";
    }

    /** {@code CREATE UNIQUE INDEX "name" ON table (columns);} on plain columns. */
    public static String createUniqueIndex(String name, String tableSql, List<String> columns) {
        return "CREATE UNIQUE INDEX " + Identifiers.quote(name) + " ON " + tableSql + " (" + columnList(columns) + ");";
    }

    /** {@code CREATE [UNIQUE] INDEX CONCURRENTLY "name" ON table (columns);}, for a table that already exists. */
    public static String createIndexConcurrently(String name, String tableSql, List<String> columns, boolean unique) {
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + Identifiers.quote(name) + " ON " + tableSql
                + " (" + columnList(columns) + ");";
    }

    /**
     * {@code DROP INDEX CONCURRENTLY IF EXISTS name;}, which a failed concurrent build may have left invalid or not
     * at all.
     *
     * @param indexSql the index's name as SQL, e.g. {@link SchemaContext#objectSql(String)}
     */
    public static String dropIndexConcurrently(String indexSql) {
        return "DROP INDEX CONCURRENTLY IF EXISTS " + indexSql + ";";
    }

    /**
     * {@code DROP INDEX name;}
     *
     * @param indexSql the index's name as SQL, e.g. {@link SchemaContext#objectSql(String)}
     */
    public static String dropIndex(String indexSql) {
        return "DROP INDEX " + indexSql + ";";
    }

    /**
     * Statements that alter one table.
     *
     * @param tableSql the table as SQL, quoted (and qualified where it must be)
     */
    public record AlterTable(String tableSql) {

        /** {@code ALTER TABLE table ADD CONSTRAINT "name" body;} where body is e.g. {@code CHECK (amount > 0)}. */
        public String addConstraint(String name, String body) {
            return "ALTER TABLE " + tableSql + " ADD CONSTRAINT " + Identifiers.quote(name) + " " + body + ";";
        }

        /**
         * {@code ALTER TABLE table ADD CONSTRAINT "name" body NOT VALID;}: the constraint holds for new rows at once;
         * the existing ones are checked by {@link #validateConstraint}.
         */
        public String addConstraintNotValid(String name, String body) {
            return "ALTER TABLE " + tableSql + " ADD CONSTRAINT " + Identifiers.quote(name) + " " + body + " NOT VALID;";
        }

        /** {@code ALTER TABLE table VALIDATE CONSTRAINT "name";} */
        public String validateConstraint(String name) {
            return "ALTER TABLE " + tableSql + " VALIDATE CONSTRAINT " + Identifiers.quote(name) + ";";
        }

        /** {@code ALTER TABLE table DROP CONSTRAINT "name";} */
        public String dropConstraint(String name) {
            return "ALTER TABLE " + tableSql + " DROP CONSTRAINT " + Identifiers.quote(name) + ";";
        }
    }
}
