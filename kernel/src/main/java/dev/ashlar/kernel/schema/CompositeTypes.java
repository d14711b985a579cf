package dev.ashlar.kernel.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The composite types that tables' columns are stored in, each placed where its first column is. */
public final class CompositeTypes {
    private CompositeTypes() {
    }

    /**
     * A composite type with the first column that uses it: the column's table places the type (its schema, or every
     * tenant schema) and names it in messages.
     */
    public record Placed(Table table, Column column) {

        public CompositeType type() {
            return column.compositeType();
        }

        /** The key of the type in its schema, which types share with tables (each table has a row type). */
        public String key() {
            return TypePlacement.key(table, type().name());
        }

        /** The quoted name as SQL: qualified for main tables, bare in tenant schemas, as {@link Table#sql()}. */
        public String sql() {
            return TypePlacement.sql(table, type().name());
        }

        /** {@code attribute 'price' of resource 'product'}. */
        public String owner() {
            return TypePlacement.owner(table, column);
        }

        public String createSql() {
            return "CREATE TYPE " + sql() + " AS (" + type().fields().stream()
                    .map(f -> Identifiers.quote(f.name()) + " " + f.type()).collect(Collectors.joining(", ")) + ");";
        }

        public String dropSql() {
            return "DROP TYPE " + sql() + ";";
        }

        /**
         * {@code ALTER TYPE} that turns {@code from} into {@code to}: drops the fields {@code to} lacks and adds the
         * new ones, which PostgreSQL places last; rows keep their other fields, and read null in the new ones.
         */
        public String alterSql(CompositeType from, CompositeType to) {
            List<String> actions = new ArrayList<>();
            from.fields().stream().filter(f -> to.field(f.name()) == null)
                    .forEach(f -> actions.add("DROP ATTRIBUTE " + Identifiers.quote(f.name())));
            to.fields().stream().filter(f -> from.field(f.name()) == null)
                    .forEach(f -> actions.add("ADD ATTRIBUTE " + Identifiers.quote(f.name()) + " " + f.type()));
            return "ALTER TYPE " + sql() + " " + String.join(", ", actions) + ";";
        }
    }

    /** Every type the tables' columns use, by {@link Placed#key()}, placed at its first column in table order. */
    public static Map<String, Placed> of(Collection<Table> tables) {
        return TypePlacement.place(tables, c -> c.compositeType() != null, Placed::new, Placed::key);
    }

    /**
     * Refuses two columns that name one type with different fields, and a type named like a table or a native enum
     * type of its schema.
     *
     * @throws DefinitionException naming every such resource and attribute
     */
    public static void check(String domain, List<Table> tables) {
        Map<String, Placed> first = of(tables);
        List<Problem> problems = new ArrayList<>();
        for (Table table : tables) {
            for (Column column : table.columns()) {
                Placed use = column.compositeType() == null ? null : new Placed(table, column);
                if (use != null && !first.get(use.key()).type().equals(use.type())) {
                    Placed other = first.get(use.key());
                    problems.add(problem(use, "has fields " + use.type().fields() + " for " + use.owner() + " but "
                            + other.type().fields() + " for " + other.owner() + ": one type has one list of fields. "
                            + "Declare the same fields in both, or name another type"));
                }
            }
        }
        Map<String, NativeEnums.Placed> enums = NativeEnums.of(tables);
        first.values().forEach(p -> {
            if (tables.stream().anyMatch(t -> t.key().equals(p.key()))) {
                problems.add(problem(p, "is named like a table of its schema, whose row type already takes that "
                        + "name: name the type otherwise"));
            } else if (enums.containsKey(p.key())) {
                problems.add(problem(p, "is named like the enum type of " + enums.get(p.key()).owner()
                        + ": name one of the types otherwise"));
            }
        });
        if (!problems.isEmpty()) {
            throw new DefinitionException(domain, problems);
        }
    }

    private static Problem problem(Placed type, String message) {
        return new Problem(type.table().resource(), type.column().attributeName(), "Composite type " + type.sql()
                + " of " + type.owner() + " " + message);
    }
}
