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

/** {@code --installed-by} and {@code --[no-]create-schemas} of migrate and baseline, and status naming who applied. */
@ExtendWith(PostgresExtension.class)
class CliInstallOptionsTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void twoFiles(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Path migrations = Files.createDirectories(project.resolve("migrations"));
        Files.writeString(migrations.resolve("20260101000000_create_posts.sql"), "-- migrate:up\n"
                + "CREATE TABLE posts (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE posts;\n");
        Files.writeString(migrations.resolve("20260102000000_create_tags.sql"), "-- migrate:up\n"
                + "CREATE TABLE tags (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE tags;\n");
    }

    @AfterEach
    void publicBack() {
        db.execute("CREATE SCHEMA IF NOT EXISTS public");
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    @Test
    void installedByIsRecordedForBaselinedAndAppliedFilesAndStatusNamesIt() {
        CliRun baseline = ashlar("baseline", "--to", "20260101000000", "--installed-by", "adopter");
        CliRun migrate = ashlar("migrate");

        assertThat(baseline.code()).as(baseline.err()).isZero();
        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(db.value("SELECT string_agg(version || '=' || installed_by, ',' ORDER BY version) "
                + "FROM ashlar_schema_migrations")).isEqualTo("20260101000000=adopter,20260102000000=" + db.user());
        assertThat(ashlar("status").out()).containsPattern("baselined 20260101000000_create_posts  \\(applied [^)]* "
                + "by adopter in deployment [0-9a-z]+\\)").containsPattern("applied +20260102000000_create_tags  "
                + "\\(applied [^)]* by " + db.user() + " in deployment [0-9a-z]+\\)");
    }

    @Test
    void noCreateSchemasFailsOnAMissingMainSchemaAndTheDefaultCreatesIt() {
        db.execute("DROP SCHEMA public CASCADE");

        CliRun refused = ashlar("migrate", "--no-create-schemas");

        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("the schema public does not exist").contains("--no-create-schemas");
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'public'")).isEqualTo(0L);

        CliRun migrate = ashlar("migrate");

        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("created the schema public");
        assertThat(db.value("SELECT count(*) FROM public.ashlar_schema_migrations")).isEqualTo(2L);
    }
}
