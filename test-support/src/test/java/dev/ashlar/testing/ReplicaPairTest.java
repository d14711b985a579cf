package dev.ashlar.testing;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaPairTest {

    private static String value(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void theStandbyIsInRecoveryAndReplaysWhatThePrimaryWrites() throws SQLException {
        try (ReplicaPair pair = ReplicaPair.start()) {
            try (Connection c = DriverManager.getConnection(pair.primaryUrl()); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE notes (body text); INSERT INTO notes VALUES ('replicated')");
            }
            pair.awaitReplay(Duration.ofSeconds(20));

            assertThat(value(pair.standbyUrl(), "SELECT pg_is_in_recovery()")).isEqualTo("t");
            assertThat(value(pair.primaryUrl(), "SELECT pg_is_in_recovery()")).isEqualTo("f");
            assertThat(value(pair.standbyUrl(), "SELECT body FROM notes")).isEqualTo("replicated");
        }
    }
}
