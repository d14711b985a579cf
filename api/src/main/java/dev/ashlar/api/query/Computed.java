package dev.ashlar.api.query;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.sql.Identifiers;


/**
 * A field a read computes for each row in SQL (AshPostgres's calculations and aggregates): its name on the row, the
 * Java type it is read as, and the expression, which may use the row's columns and subqueries over related tables:
 * {@code new Computed("comment_count", Long.class, "SELECT count(*) FROM comments c WHERE c.post_id = posts.id")}.
 * The expression is code, as a query is: never build it from input.
 *
 * @param name the field's name on the rows (not an attribute's name)
 * @param type the Java type its value is read as: String, Integer, Long, BigDecimal, Double, Boolean, UUID,
 *             LocalDate, LocalDateTime or Instant
 * @param sql  the SQL expression
 */
public record Computed(String name, Class<?> type, String sql) {
    public Computed {
        String problem = Identifiers.problem(name);
        if (problem != null) {
            throw QueryException.of(null, name, "The name of the computed field '" + name + "' " + problem);
        }
        QueryException.required(type, "type");
        if (sql == null || sql.isBlank()) {
            throw QueryException.of(null, name, "The computed field '" + name + "' needs an SQL expression");
        }
    }
}
