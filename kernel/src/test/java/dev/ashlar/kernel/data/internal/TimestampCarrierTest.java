package dev.ashlar.kernel.data.internal;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.jdbc.PgArray;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk write's timestamps as microseconds since 2000-01-01, bound as one array: in binary on the driver's own
 * connection, as text on one that does not unwrap to it or is in simple query mode; the server reads the same
 * timestamps each way.
 */
@ExtendWith(PostgresExtension.class)
class TimestampCarrierTest {
    /** The first and last microsecond PostgreSQL holds, before 1970 and 2000, around 2000, a null, and today. */
    private static final List<Long> MICROS = Arrays.asList(-211_813_488_000_000_000L, 9_223_371_331_199_999_999L,
            -946_684_800_000_001L, -1L, 0L, 1L, null, 849_652_507_654_321L);
    private static final List<String> TIMESTAMPTZ = Arrays.asList("4714-11-24 00:00:00+00 BC",
            "294276-12-31 23:59:59.999999+00", "1969-12-31 23:59:59.999999+00", "1999-12-31 23:59:59.999999+00",
            "2000-01-01 00:00:00+00", "2000-01-01 00:00:00.000001+00", null, "2026-12-03 22:35:07.654321+00");

    @Test
    void theServerReadsEachTimestampAndNullAlikeFromTheBinaryAndTheTextArray(TestDatabase db) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            for (TimestampCarrier carrier : TimestampCarrier.values()) {
                assertThat(stored(connection, carrier, false, true)).as(carrier + " in binary")
                        .isEqualTo(expected(carrier));
                assertThat(stored(connection, carrier, true, false)).as(carrier + " as text")
                        .isEqualTo(expected(carrier));
            }
        }
    }

    @Test
    void inSimpleQueryModeTheArrayGoesAsTextAndTheServerReadsTheSameTimestamps(TestDatabase db) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", db.user());
        properties.setProperty("password", db.password());
        properties.setProperty("preferQueryMode", "simple");
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), properties)) {
            for (TimestampCarrier carrier : TimestampCarrier.values()) {
                assertThat(stored(connection, carrier, false, false)).as(carrier + " in simple query mode")
                        .isEqualTo(expected(carrier));
            }
        }
    }

    /** The server's text of {@link #MICROS} in UTC, as a timestamptz or a timestamp. */
    private static List<String> expected(TimestampCarrier carrier) {
        return TIMESTAMPTZ.stream().map(text -> text == null || carrier == TimestampCarrier.TIMESTAMPTZ ? text
                : text.replace("+00", "")).toList();
    }

    /**
     * The server's text of each timestamp bound through the carrier, on the connection or on one that hides it,
     * checking that the carrier made the array in binary or not as expected.
     */
    private static List<String> stored(Connection connection, TimestampCarrier carrier, boolean hidden, boolean binary)
            throws SQLException {
        try (Statement utc = connection.createStatement()) {
            utc.execute("SET TIME ZONE 'UTC'");
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT t::text FROM unnest(?::"
                + carrier.castType() + "[]) WITH ORDINALITY AS input(t, n) ORDER BY n")) {
            PreparedStatement bound = hidden ? hidingTheDriver(statement) : statement;
            Array array = carrier.array(bound, MICROS);
            assertThat(((PgArray) array).isBinary()).as(carrier + " sent in binary").isEqualTo(binary);
            bound.setArray(1, array);
            List<String> texts = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    texts.add(rows.getString(1));
                }
            }
            return texts;
        }
    }

    /** The statement, whose connection does not unwrap to the driver's (as a pool's proxy may not). */
    private static PreparedStatement hidingTheDriver(PreparedStatement statement) throws SQLException {
        Connection real = statement.getConnection();
        Connection hiding = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isWrapperFor" -> false;
                    case "unwrap" -> throw new SQLException("not a wrapper");
                    default -> invoke(method, real, args);
                });
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[]{PreparedStatement.class}, (proxy, method, args) ->
                        "getConnection".equals(method.getName()) ? hiding : invoke(method, statement, args));
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
