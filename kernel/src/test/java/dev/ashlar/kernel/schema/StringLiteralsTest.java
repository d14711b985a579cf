package dev.ashlar.kernel.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.sql.Literals;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Text written into SQL as a literal is read back whole, whatever the session does with backslashes. */
@ExtendWith(PostgresExtension.class)
class StringLiteralsTest {
    private static final List<String> HOSTILE = List.of("it's", "\\", "C:\\temp\\", "\\'; SELECT 1; --",
            "\\\\''\\'", "$$ $x$", "line\none", "naïve \"quoted\" %s", "E'\\x41'");

    @Test
    void hostileTextIsReadBackWholeAsOneValueWithBackslashEscapesOnAndOff(TestDatabase db) throws SQLException {
        for (String setting : List.of("on", "off")) {
            try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SET standard_conforming_strings = " + setting);
                for (String text : HOSTILE) {
                    try (ResultSet row = statement.executeQuery("SELECT " + Literals.quote(text) + " AS v, 2 AS after")) {
                        row.next();
                        assertThat(row.getString("v")).as(text + " with standard_conforming_strings " + setting)
                                .isEqualTo(text);
                        assertThat(row.getMetaData().getColumnCount()).isEqualTo(2);
                        assertThat(row.next()).isFalse();
                    }
                }
                statement.execute("RESET standard_conforming_strings");
            }
        }
    }

    @Test
    void aNulCharacterIsRefusedNamingTheFix() {
        assertThatThrownBy(() -> Literals.quote("a\0b")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("NUL character").hasMessageContaining("remove it");
    }
}
