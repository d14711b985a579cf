package dev.ashlar.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** Command lines a user gets wrong: each exits with a clear line saying what and where, having changed nothing. */
class CliHostileInputTest extends CliProjectTest {
    @Test
    void anOptionOfSeveralNamesGivenNoValueIsNamedAsTheCommandLineWroteIt() {
        CliRun dir = CliRun.of("status", "--dir");
        CliRun project = CliRun.of("status", "--project");

        assertThat(dir.code()).isEqualTo(2);
        assertThat(dir.err()).startsWith("error: Missing required parameter for option '--dir' (DIR)")
                .doesNotContain("--project");
        assertThat(project.code()).isEqualTo(2);
        assertThat(project.err()).startsWith("error: Missing required parameter for option '--project' (DIR)");
    }

    @Test
    void aProjectFolderThatIsNotThereIsRefusedInsteadOfReadAsAProjectWithNothingToDo() {
        Path missing = project.resolve("mistyped");

        for (String command : new String[]{"migrate", "status", "lint"}) {
            CliRun run = CliRun.of(missing, db, command);

            assertThat(run.code()).as(command).isEqualTo(1);
            assertThat(run.err()).as(command).startsWith("error: The project folder " + missing + " does not exist: "
                    + "pass --dir with the folder that holds migrations/");
        }
        assertThat(Files.exists(missing)).isFalse();
        assertThat(db.value("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void aMigrationFileThatIsNotUtf8IsRefusedNamingItsLineAndNothingIsApplied() throws IOException {
        Files.createDirectories(project.resolve("migrations"));
        Files.write(project.resolve("migrations/20260101000000_create_cafes.sql"),
                "-- migrate:up\nCREATE TABLE caf\u00e9s (id int);\n".getBytes(StandardCharsets.ISO_8859_1));

        CliRun run = CliRun.of(project, db, "migrate");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("20260101000000_create_cafes.sql is not valid UTF-8: line 2 holds the byte 0xE9")
                .contains("Save the file as UTF-8");
        assertThat(db.value("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'caf%'")).isEqualTo(0L);
    }

    @Test
    void aDatabaseUrlTheDriverCannotParseIsRefusedAsMalformedWithoutItsPassword() {
        CliRun badPort = CliRun.of("status", "--dir", project.toString(), "--url", "jdbc:postgresql://localhost:99999/app");
        CliRun badUri = CliRun.of("status", "--dir", project.toString(), "--url", "postgres://app:s3cret@db host/app");

        assertThat(badPort.code()).isEqualTo(1);
        assertThat(badPort.err()).startsWith("error: Malformed database URL 'jdbc:postgresql://localhost:99999/app'")
                .contains("a port from 1 to 65535");
        assertThat(badUri.code()).isEqualTo(1);
        assertThat(badUri.err()).startsWith("error: Malformed database URL").doesNotContain("s3cret");
    }

    @Test
    void aPasswordHoldingAnEncodedAtOrAmpersandOrGivenWithoutAUserIsMaskedWholeEvenInAStackTrace() {
        String[] urls = {"postgres://app:XQ%40POSTAT@db host/app", "postgres://app:XQ@POSTAT@db host/app",
                "postgres://:XQONLY@db host/app", "jdbc:postgresql://localhost:99999/app?password=XQ%26POSTAMP",
                "jdbc:postgresql://localhost:99999/app?user=app&PASSWORD=XQ%26POSTAMP&ssl=false"};

        for (String url : urls) {
            CliRun run = CliRun.of("status", "--dir", project.toString(), "--url", url);
            CliRun verbose = CliRun.of("status", "--verbose", "--dir", project.toString(), "--url", url);

            assertThat(run.code()).as(url).isEqualTo(1);
            assertThat(run.err()).as(url).startsWith("error: Malformed database URL").doesNotContain("XQ")
                    .doesNotContain("POSTA");
            assertThat(verbose.err()).as(url).contains("\tat ").contains("error: Malformed database URL")
                    .doesNotContain("XQ").doesNotContain("POSTA");
        }
    }

    @Test
    void aPasswordHoldingAnEncodedAtIsMaskedWholeInWhatACommandThatConnectsPrints() throws IOException {
        writeNotesMigration();
        String server = db.jdbcUrl().replaceFirst("^jdbc:postgresql://", "").replaceFirst("\\?.*$", "");
        try (var role = db.loginRole("cli_at")) {
            db.execute("ALTER ROLE " + role.name() + " PASSWORD 'XQ@POSTAT'");
            String url = "postgres://" + role.name() + ":XQ%40POSTAT@" + server;

            CliRun migrate = CliRun.of("migrate", "--dir", project.toString(), "--url", url);
            CliRun status = CliRun.of("status", "--dir", project.toString(), "--url", url);

            assertThat(migrate.code()).as(migrate.err()).isZero();
            assertThat(migrate.out()).contains("Applied 1 migration(s) to postgres://cli_at:****@" + server);
            for (CliRun run : new CliRun[]{migrate, status}) {
                assertThat(run.out() + run.err()).doesNotContain("XQ").doesNotContain("POSTAT");
            }
            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'notes'")).isEqualTo("cli_at");
        }
    }

    @Test
    void jobsBelowOneIsBadUsageRefusedBeforeAnyConnection() {
        CliRun run = CliRun.of("migrate", "--tenants", "--jobs", "0", "--dir", project.toString(),
                "--url", "jdbc:postgresql://127.0.0.1:1/unreachable");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: --jobs is how many tenant schemas are migrated at once: give 1 or more, not 0");
    }

    @Test
    void codegenRefusesAMigrationNameOverSixtyThreeCharactersAndWritesNothing() {
        CliRun run = CliRun.of(project, db, "codegen", "x".repeat(300), "--domain", CliTest.FirstBlog.class.getName());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("A migration name is at most 63 characters").contains("has 300");
        assertThat(Files.exists(project.resolve("migrations"))).isFalse();
    }

    @Test
    void aUrlThatNamesNoDatabaseIsRefusedRatherThanMigratingTheDatabaseNamedAfterTheUser() throws IOException, SQLException {
        writeNotesMigration();
        String server = db.jdbcUrl().replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
        String[] urls = {"jdbc:postgresql://" + server + "/?user=" + db.user() + "&password=XQSECRET",
                "postgres://" + db.user() + ":XQSECRET@" + server + "/"};

        for (String url : urls) {
            CliRun run = CliRun.of("migrate", "--dir", project.toString(), "--url", url);

            assertThat(run.code()).as(url).isEqualTo(1);
            assertThat(run.err()).as(url).startsWith("error: The database URL '").contains("****")
                    .contains("' names no database").contains("add it after the host and port")
                    .doesNotContain("XQSECRET");
        }
        String usersDatabase = db.jdbcUrl().replaceFirst("(//[^/]*/)[^?]*", "$1" + db.user());
        try (Connection connection = DriverManager.getConnection(usersDatabase, db.user(), db.password());
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")) {
            result.next();
            assertThat(result.getBoolean(1)).as("no history in the database named after the user").isTrue();
        }
    }

    @Test
    void aUrlNamingItsDatabaseByThePgdbnameParameterMigratesThatDatabase() throws IOException {
        writeNotesMigration();
        String server = db.jdbcUrl().replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
        String database = db.jdbcUrl().replaceFirst("^jdbc:postgresql://[^/]*/", "").replaceFirst("\\?.*$", "");

        CliRun run = CliRun.of("migrate", "--dir", project.toString(), "--url", "jdbc:postgresql://" + server
                + "/?PGDBNAME=" + database + "&user=" + db.user() + "&password=" + db.password());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(db.value("SELECT to_regclass('public.notes') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void aJdbcUrlWithAUserBeforeTheHostIsRefusedWithoutThePasswordTheDriverWouldQuote() {
        CliRun run = CliRun.of("status", "--dir", project.toString(), "--url", "jdbc:postgresql://app:XQSECRET@localhost/app");
        CliRun bare = CliRun.of("status", "--dir", project.toString(), "--url", "app:XQSECRET@localhost/app");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: The database URL 'jdbc:postgresql://app:****@localhost/app' puts a "
                + "user before the host").contains("postgres://user:password@host:port/database").doesNotContain("XQSECRET");
        assertThat(bare.code()).isEqualTo(1);
        assertThat(bare.err()).startsWith("error: Unsupported database URL 'app:****@localhost/app'")
                .doesNotContain("XQSECRET");
    }

    @Test
    void aPostgresUrlWithPortZeroIsRefusedAsMalformedRatherThanConnectingToTheDefaultPort() {
        CliRun run = CliRun.of("status", "--dir", project.toString(), "--url", "postgres://app:XQSECRET@localhost:0/app");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: Malformed database URL 'postgres://app:****@localhost:0/app' (port 0 is "
                + "no TCP port)").contains("a port from 1 to 65535").doesNotContain("XQSECRET").doesNotContain("\tat ");
    }

    @Test
    void anOutputFolderThatIsAFileIsRefusedSayingSoNotByItsPathAlone() throws IOException {
        Path file = Files.writeString(project.resolve("live-state"), "not a folder");

        CliRun run = CliRun.of(project, db, "snapshot", "--out", file.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: --out: cannot create the folder " + file + " (a file is in the way at "
                + file + "): give --out a folder").doesNotContain("\tat ");
        assertThat(Files.readString(file)).isEqualTo("not a folder");
    }

    private void writeNotesMigration() throws IOException {
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/20260101000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
    }
}
