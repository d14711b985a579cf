package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.kernel.tenant.TenantMigrator;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A migration of several files is checked whole before any file runs, as a rollback is. */
@ExtendWith(PostgresExtension.class)
class MigrateChecksTest {
    @TempDir
    Path folder;

    @BeforeEach
    void firstFileFine(TestDatabase db) throws IOException {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS checks_t CASCADE");
        Files.writeString(folder.resolve("20260101000000_create_posts.sql"),
                "-- migrate:up\nCREATE TABLE posts (id int);\n-- migrate:down\nDROP TABLE posts;\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-- migrate:up\n\\connect other\nCREATE TABLE tags (id int);\n-- migrate:down\n",
            "-- migrate:up\nCOPY tags FROM STDIN;\n-- migrate:down\n",
            "-- migrate:up\nBEGIN;\nCREATE TABLE tags (id int);\nCOMMIT;\n-- migrate:down\n",
            "-- requires: postgresql 99\n-- migrate:up\nCREATE TABLE tags (id int);\n-- migrate:down\n",
            "-- migrate:up\nCREATE TABLE tags (id int);\nCREATE INDEX CONCURRENTLY tags_id ON tags (id);\n-- migrate:down\n",
            "-- migrate:up\nCREATE TABLE tags (id int);\nVACUUM tags;\n-- migrate:down\n",
            "-- migrate:up\nCREATE TABLE tags (id int);\nCREATE DATABASE tags;\n-- migrate:down\n",
            "-- migrate:up\nALTER SYSTEM SET work_mem = '8MB';\nCREATE TABLE tags (id int);\n-- migrate:down\n"})
    void aLaterFileRefusedBeforeItRunsLeavesTheEarlierOnesUnapplied(String second, TestDatabase db)
            throws IOException {
        Files.writeString(folder.resolve("20260102000000_create_tags.sql"), second);

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate()).isInstanceOf(AshlarException.class)
                .hasMessageContaining("20260102000000_create_tags.sql");

        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).as("the first file did not run").isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
    }

    @Test
    void aTenantSchemaGetsNoFileWhenALaterOneIsRefused(TestDatabase db) throws IOException {
        db.execute("CREATE SCHEMA checks_t");
        Files.writeString(folder.resolve("20260102000000_create_tags.sql"),
                "-- migrate:up\nCOPY tags FROM STDIN;\n-- migrate:down\n");

        TenantReport report = new TenantMigrator(db.dataSource(), folder).migrate(List.of("checks_t").iterator(), 1);

        assertThat(report.failures()).singleElement().satisfies(f -> assertThat(f.message())
                .contains("20260102000000_create_tags.sql was not run on checks_t"));
        assertThat(db.value("SELECT to_regclass('checks_t.posts') IS NULL")).as("the first file did not run")
                .isEqualTo(true);
    }
}
