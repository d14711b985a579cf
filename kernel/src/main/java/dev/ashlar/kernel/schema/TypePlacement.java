package dev.ashlar.kernel.schema;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.spi.schema.ObjectKey;
import dev.ashlar.spi.schema.Scope;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Where a type the domain declares (a native enum, a composite type) lives: placed where its first column is, its
 * table giving the schema (or every tenant schema), keyed and named like a table, since PostgreSQL gives every
 * table a row type of the table's name.
 */
final class TypePlacement {
    private TypePlacement() {
    }

    /** The key of type {@code name} in the schema of {@code table}. */
    static String key(Table table, String name) {
        return ObjectKey.ofTable(table.scope(), table.schema(), name).toString();
    }

    /** The quoted name as SQL: qualified for main tables, bare in tenant schemas, as {@link Table#sql()}. */
    static String sql(Table table, String name) {
        return Identifiers.qualify(table.scope() == Scope.MAIN ? table.schema() : null, name);
    }

    /** {@code attribute 'status' of resource 'post'}. */
    static String owner(Table table, Column column) {
        return "attribute '" + column.attributeName() + "' of resource '" + table.resource() + "'";
    }

    /** Every type the columns that {@code uses} use, by key, placed at its first column in table order. */
    static <P> Map<String, P> place(Collection<Table> tables, Predicate<Column> uses, BiFunction<Table, Column, P> placed,
                                    Function<P, String> key) {
        Map<String, P> types = new LinkedHashMap<>();
        for (Table table : tables) {
            for (Column column : table.columns()) {
                if (uses.test(column)) {
                    P type = placed.apply(table, column);
                    types.putIfAbsent(key.apply(type), type);
                }
            }
        }
        return types;
    }
}
