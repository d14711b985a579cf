package com.example.notes;

import dev.ashlar.testing.kit.AshlarTest;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

@AshlarTest(migrations = "migrations")
class NotesTest {
    @Test
    void theMigrationsRanOnAPostgreSql17(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO notes (body) VALUES ('first')");
            try (ResultSet row = statement.executeQuery("SELECT count(*), current_setting('server_version_num')::int / 10000 FROM notes")) {
                row.next();
                assertEquals(1, row.getInt(1));
                assertEquals(17, row.getInt(2));
            }
        }
    }
}
