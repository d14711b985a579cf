package dev.ashlar.cli;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --accept-history-left-behind} with {@code --history-table meta.history}, on a history kept in public. */
@ExtendWith(PostgresExtension.class)
class CliHistoryLeftBehindTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void aHistoryInPublic(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS meta CASCADE; "
                + "CREATE TABLE ashlar_schema_migrations (version text, checksum text, checksum_algorithm text, "
                + "duration_ms bigint); INSERT INTO ashlar_schema_migrations VALUES ('20250101000000', 'x', 'y', 1)");
        Path migrations = Files.createDirectories(project.resolve("migrations"));
        Files.writeString(migrations.resolve("20260101000000_create_posts.sql"), "-- migrate:up\n"
                + "CREATE TABLE posts (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE posts;\n");
    }

    @AfterEach
    void metaDropped() {
        db.execute("DROP SCHEMA IF EXISTS meta CASCADE");
    }

    @Test
    void migrateRefusesTheHistoryLeftInPublicUnlessTheFlagAcceptsIt() {
        CliRun refused = CliRun.of(project, db, "migrate", "--history-table", "meta.history");

        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("--accept-history-left-behind");
        assertThat(db.value("SELECT to_regclass('public.posts')")).isNull();

        CliRun accepted = CliRun.of(project, db, "migrate", "--history-table", "meta.history",
                "--accept-history-left-behind");

        assertThat(accepted.code()).as(accepted.err()).isZero();
        assertThat(db.value("SELECT string_agg(version, ',') FROM meta.history")).isEqualTo("20260101000000");
        assertThat(db.value("SELECT string_agg(version, ',') FROM public.ashlar_schema_migrations"))
                .isEqualTo("20250101000000");
    }
}
