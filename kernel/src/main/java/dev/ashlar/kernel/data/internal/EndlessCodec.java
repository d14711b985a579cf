package dev.ashlar.kernel.data.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * The ends of a date or time type in a filter: {@code LocalDate.MAX}, {@code Instant.MIN}, ... compare as PostgreSQL's
 * {@code infinity} and {@code -infinity} ({@code lt("day", LocalDate.MAX)}), though no record may store them; any other
 * value is the type's own, and is refused as the type refuses it.
 */
final class EndlessCodec implements Codec {
    private final ScalarCodec codec;

    EndlessCodec(ScalarCodec codec) {
        this.codec = codec;
    }

    @Override
    public Object toDatabase(Object value) {
        // The driver sends the ends of LocalDate, LocalDateTime and OffsetDateTime as infinity and -infinity.
        if (isEnd(value) && codec.javaTypeOf(value)) {
            return value;
        }
        if (codec == ScalarCodec.TIMESTAMPTZ && (value.equals(Instant.MAX) || value.equals(Instant.MIN))) {
            return value.equals(Instant.MAX) ? OffsetDateTime.MAX : OffsetDateTime.MIN;
        }
        return codec.toDatabase(value);   // a value of the type (an in list may hold both), or refused as it is
    }

    private static boolean isEnd(Object value) {
        return value.equals(LocalDate.MAX) || value.equals(LocalDate.MIN) || value.equals(LocalDateTime.MAX)
                || value.equals(LocalDateTime.MIN) || value.equals(OffsetDateTime.MAX)
                || value.equals(OffsetDateTime.MIN);
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        statement.setObject(index, value);
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        return codec.read(rows, index);
    }

    @Override
    public Object arrayElement(Object value) {
        if (!isEnd(value)) {
            return codec.arrayElement(value);
        }
        return value.equals(LocalDate.MAX) || value.equals(LocalDateTime.MAX) || value.equals(OffsetDateTime.MAX)
                ? "infinity" : "-infinity";
    }

    @Override
    public String castType() {
        return codec.castType();
    }

    @Override
    public String arrayTypeName() {
        return codec.arrayTypeName();
    }
}
