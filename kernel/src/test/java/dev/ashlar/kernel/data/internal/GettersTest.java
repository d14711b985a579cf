package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The getter of each column is chosen once per result from its codec and the column's SQL type: an integral column an
 * integral codec holds exactly reads with the typed getter, anything else through the codec, and both give what the
 * codec alone reads, NULL and the ends of each type included.
 */
@ExtendWith(PostgresExtension.class)
class GettersTest {
    private static final String COLUMNS = "SELECT 9223372036854775807::int8, (-2147483648)::int4, (-32768)::int2, "
            + "NULL::int8, NULL::int4, NULL::int2, 7::int4, 7::int2, 12::int2, 42::oid, 5::numeric, 5.5::numeric, "
            + "3000000000::int8";
    private static final Codec[] CODECS = {ScalarCodec.BIGINT, ScalarCodec.INTEGER, ScalarCodec.SMALLINT,
            ScalarCodec.BIGINT, ScalarCodec.INTEGER, ScalarCodec.SMALLINT, ScalarCodec.BIGINT, ScalarCodec.BIGINT,
            ScalarCodec.INTEGER, ScalarCodec.BIGINT, ScalarCodec.BIGINT, ScalarCodec.BIGINT, ScalarCodec.INTEGER};

    @Test
    void integralColumnsReadWithTypedGettersAsTheirCodecsReadThemInTextAndBinaryResults(TestDatabase db)
            throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
            // The driver reads the first results as text, and as binary once the statement is prepared on the server.
            for (int run = 0; run < 7; run++) {
                try (ResultSet rows = statement.executeQuery()) {
                    List<String> calls = new ArrayList<>();
                    ResultSet watched = watched(rows, calls);
                    watched.next();
                    Getters getters = Getters.of(watched, CODECS);
                    List<Object> typed = new ArrayList<>();
                    for (int i = 1; i <= 10; i++) {
                        typed.add(getters.read(watched, i));
                    }
                    assertThat(typed).containsExactly(Long.MAX_VALUE, Integer.MIN_VALUE, Short.MIN_VALUE, null, null,
                            null, 7L, 7L, 12, 42L);
                    assertThat(calls).as("no column of these went through getObject").doesNotContain("getObject");
                    for (int i = 1; i <= 10; i++) {
                        assertThat(typed.get(i - 1)).isEqualTo(CODECS[i - 1].read(rows, i));
                    }

                    calls.clear();
                    assertThat(getters.read(watched, 11)).isEqualTo(5L);
                    assertThat(calls).as("a numeric column reads through its codec").contains("getObject");
                    assertThatThrownBy(() -> getters.read(watched, 12)).isInstanceOf(QueryException.class)
                            .hasMessageContaining("5.5");
                    assertThatThrownBy(() -> getters.read(watched, 13)).isInstanceOf(QueryException.class)
                            .hasMessageContaining("3000000000");
                }
            }
        }
    }

    /** The result set, noting the name of each method called on it. */
    private static ResultSet watched(ResultSet rows, List<String> calls) {
        return (ResultSet) Proxy.newProxyInstance(GettersTest.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                (proxy, method, arguments) -> {
                    calls.add(method.getName());
                    try {
                        return method.invoke(rows, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
