package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
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

/** A rollback of several files is checked whole before any file is rolled back. */
@ExtendWith(PostgresExtension.class)
class RollbackChecksTest {
    @TempDir
    Path folder;

    @BeforeEach
    void twoFilesApplied(TestDatabase db) throws IOException {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.writeString(folder.resolve("20260101000000_create_posts.sql"),
                "-- migrate:up\nCREATE TABLE posts (id int);\n-- migrate:down\n");
        Files.writeString(folder.resolve("20260102000000_create_tags.sql"),
                "-- migrate:up\nCREATE TABLE tags (id int);\n-- migrate:down\nDROP TABLE tags;\n");
        new Migrator(db.dataSource(), folder).migrate();
    }

    @Test
    void aRollbackReachingAFileWithoutADownSectionRollsNothingBack(TestDatabase db) {
        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).rollback(2)).isInstanceOf(AshlarException.class)
                .hasMessageContaining("Cannot roll back 20260101000000_create_posts.sql")
                .hasMessageContaining("Nothing was rolled back");

        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL")).as("the newer file was not rolled back first")
                .isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
    }
}
