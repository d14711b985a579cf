package dev.ashlar.cli;

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

/** {@code migrate --contexts} and {@code --labels} choose the files with such headers, as Liquibase's options. */
@ExtendWith(PostgresExtension.class)
class CliContextsAndLabelsTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Path migrations = Files.createDirectories(project.resolve("migrations"));
        Files.writeString(migrations.resolve("20260101000000_create_accounts.sql"),
                "-- migrate:up\nCREATE TABLE accounts (name text);\n-- migrate:down\nDROP TABLE accounts;\n");
        Files.writeString(migrations.resolve("20260102000000_seed_accounts.sql"), "-- context: test\n-- labels: eu\n"
                + "-- migrate:up\nINSERT INTO accounts VALUES ('seeded');\n-- migrate:down\nDELETE FROM accounts;\n");
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    @Test
    void migrateAppliesTheFilesItsContextsAndLabelsChooseAndSaysTheOthersStayPending() {
        CliRun production = ashlar("migrate", "--contexts", "prod,staging");
        CliRun noEu = ashlar("migrate", "--contexts", "test", "--labels", "!eu");
        CliRun test = ashlar("migrate", "--contexts", "TEST", "--labels", "eu or us");

        assertThat(production.code()).as(production.err()).isZero();
        assertThat(production.out()).contains("Applied 1 migration(s)").contains("1 migration(s) stay pending");
        assertThat(noEu.out()).contains("Nothing to migrate").contains("1 migration(s) stay pending");
        assertThat(test.code()).as(test.err()).isZero();
        assertThat(test.out()).contains("Applied 1 migration(s)").contains("Nothing is pending: the main schema is up to date.");
        assertThat(db.value("SELECT count(*) FROM accounts")).isEqualTo(1L);
    }

    @Test
    void aMalformedLabelExpressionAndContextsWithTenantsAreBadUsage() {
        CliRun malformed = ashlar("migrate", "--labels", "eu and");
        CliRun tenants = ashlar("migrate", "--tenants", "--contexts", "test");

        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("Invalid value for option '--labels': The label expression 'eu and' "
                + "holds its end, where a name belongs");
        assertThat(tenants.code()).isEqualTo(2);
        assertThat(tenants.err()).contains("--contexts applies to the main schema");
        assertThat(db.value("SELECT to_regclass('public.accounts') IS NULL")).isEqualTo(true);
    }
}
