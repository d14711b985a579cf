package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Filter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scope that query hooks put on a resource (a tenant column's value, a tenant setting) applied
 * to writes: what a read is filtered by, a create sets.
 */
final class Scoping {
    private Scoping() {
    }

    /**
     * The records with the values that the hooks' filter fixes ({@code field = value} terms, alone or
     * ANDed) set on each. A record that gives another value for such a field is refused: it would
     * write into a scope its own reads cannot see.
     */
    static List<Map<String, ?>> impose(Filter scope, List<? extends Map<String, ?>> records, String resource,
                                       String action) {
        Map<String, Object> fixed = new LinkedHashMap<>();
        collect(scope, fixed);
        if (fixed.isEmpty()) {
            return List.copyOf(records);
        }
        List<Map<String, ?>> scoped = new ArrayList<>(records.size());
        for (Map<String, ?> record : records) {
            Map<String, Object> copy = new LinkedHashMap<>(record);
            fixed.forEach((field, value) -> {
                if (copy.containsKey(field) && !Objects.equals(String.valueOf(copy.get(field)), String.valueOf(value))) {
                    throw new InvalidDataException(resource, action, List.of(new FieldError(field,
                            "is " + value + " for this tenant and cannot be set to " + copy.get(field))), null, null);
                }
                copy.put(field, value);
            });
            scoped.add(copy);
        }
        return scoped;
    }

    private static void collect(Filter filter, Map<String, Object> fixed) {
        if (filter instanceof Filter.Compare compare && compare.operator() == Filter.Operator.EQ) {
            fixed.put(compare.field(), compare.value());
        } else if (filter instanceof Filter.And and) {
            and.filters().forEach(f -> collect(f, fixed));
        }
    }

    /** Sets each setting for the current transaction only ({@code set_config(name, value, true)}). */
    static void apply(Connection connection, Map<String, String> settings) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config(?, ?, true)")) {
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                set.setString(1, setting.getKey());
                set.setString(2, setting.getValue());
                set.addBatch();
            }
            set.executeBatch();
        }
    }
}
