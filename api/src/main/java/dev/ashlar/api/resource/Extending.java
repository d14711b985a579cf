package dev.ashlar.api.resource;

import java.util.List;

/**
 * The resource whose records a resource extends (Hibernate's {@code @Inheritance(strategy = JOINED)}), set with
 * {@link ResourceBuilder#extending(String)}: each record is one row of the parent's table and one row of the child's,
 * which holds the child's own columns and the parent's primary key (its own primary key, and a foreign key to the
 * parent's table with {@code ON DELETE CASCADE}).
 *
 * @param parent  the parent resource's name
 * @param table   the parent's table, filled in when the domain is built ({@code null} before)
 * @param schema  the parent's schema, or {@code null} for the connection's default
 * @param columns the columns the parent's table stores, the key's included, filled in when the domain is built
 */
public record Extending(String parent, String table, String schema, List<String> columns) {

    public Extending {
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    /** As declared, before the domain resolves the parent. */
    public static Extending of(String parent) {
        return new Extending(parent, null, null, List.of());
    }
}
