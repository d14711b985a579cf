package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Moves the values of one attribute type between Java and JDBC: checks and converts what a caller
 * gives, binds it, reads it back. One instance per attribute, made once per resource.
 */
public interface Codec {

    /**
     * The caller's value as this type's canonical Java value, ready to bind.
     *
     * @throws RejectedValue saying why the value does not fit (the caller adds the field)
     */
    Object toDatabase(Object value);

    /** Binds a value returned by {@link #toDatabase} (or null). */
    void bind(PreparedStatement statement, int index, Object value) throws SQLException;

    /** Reads the column at the index as this type's canonical Java value. */
    Object read(ResultSet rows, int index) throws SQLException;

    /** The PostgreSQL type to cast a bound array of these values to, without length modifiers (e.g. {@code text}). */
    String castType();

    /**
     * {@link #castType()} for a statement on a table in {@code schema}, the schema a query hook chose (a tenant's), or
     * null for the resource's own. The same unless the type lives in each schema: a native enum type.
     */
    default String castType(String schema) {
        return castType();
    }

    /**
     * The type a value of this one is compared, sorted and grouped as, when this type has no equality or ordering
     * operator of its own: {@code jsonb} for {@code json}. Null (the default) for this type itself.
     */
    default String comparedAs() {
        return null;
    }

    /** The SQL expression {@code sql}, a value of this type, as compared, sorted and grouped ({@link #comparedAs}). */
    default String compared(String sql) {
        String as = comparedAs();
        return as == null ? sql : sql + "::" + as;
    }

    /** The element type name for {@link Connection#createArrayOf} (e.g. {@code int4}). */
    String arrayTypeName();

    /**
     * Whether a bound array of these values travels as an untyped array literal, which the server reads as the array
     * type its place calls for ({@code "status" = ANY(?)}): for a type the driver cannot look up by name in every
     * schema, a native enum type living in each tenant's schema.
     */
    default boolean arraysAsLiterals() {
        return false;
    }

    /** A value returned by {@link #toDatabase} as an element of a JDBC array. */
    default Object arrayElement(Object value) {
        return value;
    }

    /** The Java class of {@link #arrayElement} values, so the driver picks its fastest array encoding. */
    default Class<?> arrayElementClass() {
        return String.class;
    }

    /**
     * The type whose array carries these values in a bulk write; itself by default. Timestamps, whose text is slow
     * to write and parse, travel as their microseconds in the binary form of their own array type
     * ({@link TimestampCarrier}).
     */
    default Codec bulkCarrier() {
        return this;
    }

    /**
     * {@link #toDatabase} for a value of a bulk write, leaving out the checks that {@link #passAll} makes for all of
     * the write's values at once: the same by default.
     */
    default Object toDatabaseInBulk(Object value) {
        return toDatabase(value);
    }

    /**
     * Whether the values that {@link #toDatabaseInBulk} took all pass the checks it left out (true by default).
     * False sends the caller back to {@link #toDatabase}, value by value, to refuse the first misfit by its position.
     */
    default boolean passAll(List<Object> values) {
        return true;
    }

    /** A value returned by {@link #toDatabase} as a value of {@link #bulkCarrier()}. */
    default Object toBulk(Object value) {
        return value;
    }

    /**
     * A caller's value (not null) of a bulk write that travels in arrays, straight in {@link #bulkCarrier()}'s value:
     * {@link #toBulk} of {@link #toDatabaseInBulk}, which a codec may reach without building the value in between.
     * It refuses what they refuse, though perhaps in other words: a caller that meets a refusal converts again through
     * them to word it. {@link #passAll} takes these values for such a write, so a codec that checks there carries its
     * values as they are.
     */
    default Object toCarriedInBulk(Object value) {
        Object converted = toDatabaseInBulk(value);
        return converted == null || bulkCarrier() == this ? converted : toBulk(converted);
    }

    /** The SQL expression that turns a carried value (the SQL expression {@code carried}) back into this type. */
    default String fromBulk(String carried) {
        return carried;
    }

    /**
     * Whether the driver's {@link java.sql.Array#getArray()} of this type already holds its canonical
     * Java values (text and numbers), so an array of them is read in one call rather than element by element.
     */
    default boolean readsJdbcArrays() {
        return false;
    }

    /** Whether values of this type can travel as one element of a bound array (arrays themselves cannot). */
    default boolean fitsInArray() {
        return true;
    }

    /**
     * The type a value outside this one's bounds is compared as, for a filter (an integer past {@code integer}'s
     * range, text past {@code varchar(n)}): no row holds such a value, but rows compare with it. Null when this type
     * has no wider one, or its bounds are part of what it means (an enum's labels).
     */
    default Codec wider() {
        return null;
    }

    /** A caller's value does not fit an attribute type; the message completes "field ...". */
    final class RejectedValue extends AshlarException {
        private static final long serialVersionUID = 1L;

        public RejectedValue(String message) {
            super(ErrorCode.INVALID_DATA, message);
        }

        public RejectedValue(String message, Throwable cause) {
            super(ErrorCode.INVALID_DATA, message, cause);
        }
    }
}
