package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Migration files that no one writes on purpose but that reach a migrator anyway: huge, or holding a NUL. */
@ExtendWith(PostgresExtension.class)
class HostileMigrationFilesTest {
    @TempDir
    Path folder;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    @Test
    void aTenMegabyteFileOfTwentyThousandStatementsIsAppliedWholeAndRecordedOnce(TestDatabase db) throws IOException {
        StringBuilder up = new StringBuilder("-- migrate:up\nCREATE TABLE seeds (id int PRIMARY KEY, body text);\n");
        String body = "x".repeat(480);
        for (int i = 0; i < 20_000; i++) {
            up.append("INSERT INTO seeds VALUES (").append(i).append(", '").append(body).append("');\n");
        }
        Files.writeString(folder.resolve("20260101000000_seed.sql"), up + "-- migrate:down\nDROP TABLE seeds;\n");
        assertThat(Files.size(folder.resolve("20260101000000_seed.sql"))).isGreaterThan(10_000_000L);

        assertThat(new Migrator(db.dataSource(), folder).migrate()).hasSize(1);

        assertThat(db.value("SELECT count(*) FROM seeds")).isEqualTo(20_000L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
        assertThat(new Migrator(db.dataSource(), folder).migrate()).isEmpty();
    }

    @Test
    void aFileHoldingANulCharacterIsRefusedNamingItsLineBeforeAnythingRuns(TestDatabase db) throws IOException {
        Files.writeString(folder.resolve("20260101000000_notes.sql"), "-- migrate:up\nCREATE TABLE notes (id int);\n"
                + "-- migrate:down\nDROP TABLE notes;\n");
        Files.writeString(folder.resolve("20260102000000_tags.sql"), "-- migrate:up\nCREATE TABLE tags (id int);\n"
                + "INSERT INTO tags VALUES (1);\u0000\n-- migrate:down\nDROP TABLE tags;\n");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.file()).contains("20260102000000_tags.sql"))
                .hasMessageContaining("Line 3 of migration").hasMessageContaining("20260102000000_tags.sql")
                .hasMessageContaining("holds a NUL character").hasMessageContaining("Remove it");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT to_regclass('tags') IS NULL")).isEqualTo(true);
    }
}
