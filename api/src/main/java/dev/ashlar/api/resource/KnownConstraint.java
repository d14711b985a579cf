package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;

/**
 * A constraint Ashlar does not create but knows by name, so that its violation becomes a field error
 * with a message instead of a bare database error: a check, a unique index, a foreign key or an exclusion
 * constraint that a migration written by hand (or another tool) made. AshPostgres's {@code check_constraint}
 * without {@code check:}, {@code unique_index_names}, {@code foreign_key_names} and
 * {@code exclusion_constraint_names}.
 *
 * <pre>{@code
 * Resource.builder("booking")
 *         .exclusionConstraintName("during", "bookings_no_overlap", "overlaps another booking")
 * }</pre>
 *
 * @param kind    what kind of constraint it is, which decides the violations it answers
 * @param name    the constraint's (or unique index's) name in the database
 * @param field   the attribute the field error names
 * @param message the field error's message
 */
public record KnownConstraint(Kind kind, String name, String field, String message) {
    public KnownConstraint {
        DefinitionException.required(kind, "kind");
    }

    /** The kinds of constraint, each with the SQL state of its violation. */
    public enum Kind {
        CHECK("23514"), UNIQUE_INDEX("23505"), FOREIGN_KEY("23503"), EXCLUSION("23P01");

        private final String sqlState;

        Kind(String sqlState) {
            this.sqlState = sqlState;
        }

        /** The SQL state PostgreSQL reports when a constraint of this kind is violated. */
        public String sqlState() {
            return sqlState;
        }
    }
}
