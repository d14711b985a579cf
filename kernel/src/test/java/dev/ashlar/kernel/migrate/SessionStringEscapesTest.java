package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database whose own default is {@code standard_conforming_strings = off} reads a backslash in every string as an
 * escape: the files are split as that session reads them, not as the usual default.
 */
@ExtendWith(PostgresExtension.class)
class SessionStringEscapesTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void backslashesByDefault(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; ALTER DATABASE \"" + db.name()
                + "\" SET standard_conforming_strings = off");
    }

    @AfterEach
    void standardAgain() {
        db.execute("ALTER DATABASE \"" + db.name() + "\" RESET standard_conforming_strings");
    }

    /** Connections opened after the database's default changed (the test's pool may hold older ones). */
    private PGSimpleDataSource fresh() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(db.jdbcUrl());
        source.setUser(db.user());
        source.setPassword(db.password());
        return source;
    }

    @Test
    void aDatabaseThatReadsBackslashesAsEscapesHasItsFilesSplitSo() throws IOException {
        Files.writeString(folder.resolve("20260101000000_create_notes.sql"), "-- migrate:up\n"
                + "CREATE TABLE notes (body text);\nINSERT INTO notes VALUES ('it\\'s; one');\n"
                + "-- migrate:down\nDROP TABLE notes;\n");
        Files.writeString(folder.resolve("20260102000000_more_notes.sql"), "-- migrate:up transaction:false\n"
                + "INSERT INTO notes VALUES ('two\\'s; two');\nSET standard_conforming_strings = on;\n"
                + "INSERT INTO notes VALUES ('C:\\');\nRESET standard_conforming_strings;\n"
                + "INSERT INTO notes VALUES ('three\\'s; three');\n-- migrate:down\nDELETE FROM notes;\n");

        new Migrator(fresh(), folder).migrate();

        assertThat(db.query("SELECT body FROM notes ORDER BY body").stream().map(row -> row.get("body")))
                .containsExactly("C:\\", "it's; one", "three's; three", "two's; two");
    }
}
