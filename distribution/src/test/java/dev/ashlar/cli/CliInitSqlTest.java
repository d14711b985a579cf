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

/** {@code --init-sql} runs on the command's migration connections, as Flyway's initSql. */
@ExtendWith(PostgresExtension.class)
class CliInitSqlTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/20260101000000_create_posts.sql"),
                "-- migrate:up\nCREATE TABLE posts (id int);\n-- migrate:down\nDROP TABLE posts;\n");
    }

    @Test
    void migrateWithAnInitSqlSettingTheRoleMakesTablesThatRoleOwnsAndABadOneIsNamed() {
        try (TestDatabase.Role owner = db.loginRole("cli_init_owner")) {
            CliRun bad = CliRun.of(project, db, "migrate", "--init-sql", "SET ROLE cli_no_such_owner");
            CliRun run = CliRun.of(project, db, "migrate", "--init-sql", "SET ROLE " + owner.name());

            assertThat(bad.code()).isEqualTo(1);
            assertThat(bad.err()).contains("The init SQL failed at its statement 1, SET ROLE cli_no_such_owner")
                    .contains("role \"cli_no_such_owner\" does not exist");
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'posts'"))
                    .isEqualTo(owner.name());
            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'ashlar_schema_migrations'"))
                    .isEqualTo(owner.name());
        }
    }
}
