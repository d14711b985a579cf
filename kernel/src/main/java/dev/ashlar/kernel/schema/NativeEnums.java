package dev.ashlar.kernel.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The native enum types that tables' columns are stored in, each placed where its first column is. */
public final class NativeEnums {
    private NativeEnums() {
    }

    /**
     * An enum type with the first column that uses it: the column's table places the type (its schema, or every
     * tenant schema) and names it in messages.
     */
    public record Placed(Table table, Column column) {

        public EnumType type() {
            return column.enumType();
        }

        /**
         * The key of the type in its schema. PostgreSQL gives every table a row type of the table's name, so a type
         * and a table share one namespace: their keys are alike.
         */
        public String key() {
            return TypePlacement.key(table, type().name());
        }

        /** The quoted name as SQL: qualified for main tables, bare in tenant schemas, as {@link Table#sql()}. */
        public String sql() {
            return TypePlacement.sql(table, type().name());
        }

        /** {@code attribute 'status' of resource 'post'}. */
        public String owner() {
            return TypePlacement.owner(table, column);
        }

        public String createSql() {
            return "CREATE TYPE " + sql() + " AS ENUM (" + type().labels().stream().map(SqlLiterals::quoted)
                    .collect(Collectors.joining(", ")) + ");";
        }

        public String dropSql() {
            return "DROP TYPE " + sql() + ";";
        }

        /**
         * {@code ALTER TYPE ... ADD VALUE} for each label the type has and {@code old} has not, in order: before the
         * old label that follows it, or else after the label before it (added by then), so that the type ends in its
         * order and each statement says where its label goes. {@code IF NOT EXISTS}, as the statements run outside a
         * transaction and may run again after a failure further on.
         */
        public List<String> addValuesSql(EnumType old) {
            List<String> labels = type().labels();
            List<String> statements = new ArrayList<>();
            for (int i = 0; i < labels.size(); i++) {
                if (old.labels().contains(labels.get(i))) {
                    continue;
                }
                String before = labels.subList(i + 1, labels.size()).stream().filter(old.labels()::contains)
                        .findFirst().orElse(null);
                statements.add("ALTER TYPE " + sql() + " ADD VALUE IF NOT EXISTS " + SqlLiterals.quoted(labels.get(i))
                        + (before != null ? " BEFORE " + SqlLiterals.quoted(before)
                        : " AFTER " + SqlLiterals.quoted(labels.get(i - 1))) + ";");
            }
            return statements;
        }
    }

    /** Every type the tables' columns use, by {@link Placed#key()}, placed at its first column in table order. */
    public static Map<String, Placed> of(Collection<Table> tables) {
        return TypePlacement.place(tables, c -> c.enumType() != null, Placed::new, Placed::key);
    }

    /**
     * Refuses two columns that name one type with different labels, and a type named like a table of its schema.
     *
     * @throws DefinitionException naming every such resource and attribute
     */
    public static void check(String domain, List<Table> tables) {
        Map<String, Placed> first = of(tables);
        List<Problem> problems = new ArrayList<>();
        for (Table table : tables) {
            for (Column column : table.columns()) {
                if (column.enumType() == null) {
                    continue;
                }
                Placed use = new Placed(table, column);
                Placed other = first.get(use.key());
                if (!other.type().equals(use.type())) {
                    problems.add(new Problem(table.resource(), column.attributeName(), "Enum type " + use.sql()
                            + " has labels " + use.type().labels() + " for " + use.owner() + " but "
                            + other.type().labels() + " for " + other.owner() + ": one type has one list of labels. "
                            + "List the same labels in both, or name another type"));
                }
            }
        }
        first.values().stream().filter(p -> tables.stream().anyMatch(t -> t.key().equals(p.key())))
                .forEach(p -> problems.add(new Problem(p.table().resource(), p.column().attributeName(), "Enum type "
                        + p.sql() + " of " + p.owner() + " is named like a table of its schema, whose row type "
                        + "already takes that name: name the type otherwise")));
        if (!problems.isEmpty()) {
            throw new DefinitionException(domain, problems);
        }
    }
}
