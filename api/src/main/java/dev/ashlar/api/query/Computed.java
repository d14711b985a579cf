package dev.ashlar.api.query;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.sql.Identifiers;

import java.util.Objects;

/**
 * A field a read computes for each row in SQL (AshPostgres's calculations and aggregates): its name on the row, its
 * type (how it is read), and the expression, which may use the row's columns and subqueries over related tables:
 * {@code new Computed("comment_count", Type.BIGINT, "(SELECT count(*) FROM comments c WHERE c.post_id = posts.id)")}.
 * The expression is code, as a query is: never build it from input.
 *
 * @param name the field's name on the rows (not an attribute's name)
 * @param type how its value is read
 * @param sql  the SQL expression
 */
public record Computed(String name, Type type, String sql) {
    public Computed {
        Identifiers.quote(name);
        Objects.requireNonNull(type, "type");
        if (sql == null || sql.isBlank()) {
            throw QueryException.of(null, name, "The computed field '" + name + "' needs an SQL expression");
        }
    }
}
