package dev.ashlar.kernel.data.internal;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The vector codec's text form, on any server: pgvector's input is {@code [1,2.5,-3]}, read back through the
 * driver as text. ({@code ExtensionsTest} stores vectors where pgvector is installed.)
 */
@ExtendWith(PostgresExtension.class)
class VectorCodecTest {
    private final VectorCodec codec = new VectorCodec(3);

    @Test
    void writesPgvectorTextAndReadsItBackAsFloats(TestDatabase db) throws SQLException {
        Object text = codec.toDatabase(new double[] {1, 2.5, -3});
        assertThat(text).isEqualTo("[1.0,2.5,-3.0]");

        try (Connection connection = db.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT ?::text, NULL::text")) {
            codec.bind(statement, 1, text);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                assertThat((float[]) codec.read(rows, 1)).containsExactly(1f, 2.5f, -3f);
                assertThat(codec.read(rows, 2)).isNull();
            }
        }
    }

    @Test
    void refusesTheWrongDimensionsANonFiniteValueAndOtherTypes() {
        assertThatThrownBy(() -> codec.toDatabase(new float[] {1, 2})).hasMessage("must have 3 dimensions (vector(3)), got 2");
        assertThatThrownBy(() -> codec.toDatabase(new float[] {1, Float.NaN, 2}))
                .hasMessage("holds NaN at index 1, which a vector cannot store");
        assertThatThrownBy(() -> codec.toDatabase("[1,2,3]")).hasMessageStartingWith("must be a float[] or double[]");
    }
}
