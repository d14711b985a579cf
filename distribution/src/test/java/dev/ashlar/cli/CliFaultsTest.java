package dev.ashlar.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults and hostile input met by the command line: a clear line on the error stream, exit code 1 (2 for bad usage),
 * no stack trace, and control characters of the input shown as escapes, never raw.
 */
class CliFaultsTest extends CliProjectTest {
    private static final String HOSTILE = "t\u001b[2J\nerror: forged\r\u0000\u009b";

    private static void assertNoControlCharacters(String text) {
        assertThat(text.replace("\n", "")).doesNotContain("\u001b", "\r", "\u0000", "\u009b");
        assertThat(text.lines()).noneMatch(line -> line.startsWith("error: forged"));
    }

    @Test
    void anUnknownOptionWithControlCharactersIsShownEscaped() {
        CliRun run = CliRun.of("status", "--" + HOSTILE);

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("\\u001b[2J\\nerror: forged\\r\\u0000\\u009b");
        assertNoControlCharacters(run.err());
    }

    @Test
    void aTenantSchemaWithControlCharactersIsRefusedShownEscaped() throws IOException {
        Files.createDirectories(project.resolve("migrations"));
        Files.createDirectories(project.resolve("tenant_migrations"));

        CliRun run = CliRun.of(project, db, "migrate", "--tenant", HOSTILE);

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ").contains("t\\u001b[2J\\nerror: forged");
        assertNoControlCharacters(run.err());
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't%forged%'")).isEqualTo(0L);
    }

    @Test
    void aMigrationFileWhoseNameHoldsControlCharactersIsShownEscaped() throws IOException {
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/20260101000000_a\u001b[31m\nerror: forged.sql"),
                "-- migrate:up\nCREATE TABLE a (id int);\n");

        CliRun run = CliRun.of(project, db, "migrate");

        assertNoControlCharacters(run.err() + run.out());
    }

    @Test
    void aClosedPortIsReportedAsAServerThatCannotBeReachedWithoutAStackTrace() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        CliRun run = CliRun.of("status", "--dir", project.toString(), "--url",
                "postgres://app:s3cret@127.0.0.1:" + closed + "/app");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ").contains("127.0.0.1:" + closed).contains("Connection")
                .doesNotContain("s3cret").doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void aLoginTheServerRefusesIsReportedNamingTheUserWithoutAStackTraceOrThePassword() {
        String url = db.jdbcUrl().replaceAll("([?&])(user|password)=[^&]*", "$1").replaceAll("[?&]+$", "");
        CliRun run = CliRun.of("status", "--dir", project.toString(), "--url",
                url + (url.contains("?") ? "&" : "?") + "user=cli_nobody&password=wr0ng");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ").contains("\"cli_nobody\"").contains("Check --url")
                .doesNotContain("wr0ng").doesNotContain("\tat ").doesNotContain("Exception:");
    }
}
