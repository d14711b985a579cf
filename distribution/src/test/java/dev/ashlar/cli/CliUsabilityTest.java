package dev.ashlar.cli;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** What a user meets first: help on every command, a wrong URL, a missing domain, a quiet log, no leftovers. */
@ExtendWith(PostgresExtension.class)
class CliUsabilityTest {
    @TempDir
    Path project;
    String out;
    String err;

    private int ashlar(String... args) {
        StringWriter output = new StringWriter();
        StringWriter errors = new StringWriter();
        int code = Main.run(args, new PrintWriter(output, true), new PrintWriter(errors, true));
        out = output.toString();
        err = errors.toString();
        return code;
    }

    @ParameterizedTest
    @ValueSource(strings = {"codegen", "migrate", "rollback", "status", "demo"})
    void everyCommandPrintsItsHelpWithDashDashHelp(String command) {
        assertThat(ashlar(command, "--help")).isZero();

        assertThat(out).startsWith("Usage: ashlar " + command).contains("-h, --help");
        assertThat(err).isEmpty();
    }

    @Test
    void noCommandIsBadUsageThatListsTheCommandsOnTheErrorStream() {
        assertThat(ashlar()).isEqualTo(2);

        assertThat(err).contains("name a command").contains("Usage: ashlar").contains("migrate").contains("status");
        assertThat(out).isEmpty();
    }

    @Test
    void anUnknownOptionIsAShortErrorNamingItAndWhereTheOptionsAreListed() {
        assertThat(ashlar("status", "--frob")).isEqualTo(2);

        assertThat(err.lines()).hasSizeLessThanOrEqualTo(3);
        assertThat(err).contains("error: Unknown option: '--frob'")
                .contains("Run 'ashlar status --help' for its options.")
                .doesNotContain("Usage:");
        assertThat(out).isEmpty();
    }

    @Test
    void anUnknownCommandSuggestsTheNearestCommands() {
        assertThat(ashlar("stauts")).isEqualTo(2);

        assertThat(err).contains("'stauts'").contains("Did you mean").contains("ashlar status")
                .contains("Run 'ashlar --help' for the commands.").doesNotContain("Usage:");
    }

    @Test
    void aMistypedCommandSuggestsOnlyTheCommandsATypoAwayAndNoneWhenNothingIsNear() {
        assertThat(ashlar("migrat")).isEqualTo(2);
        assertThat(err).contains("\nDid you mean: ashlar migrate?\n").doesNotContain("validate").doesNotContain("status");
        assertThat(ashlar("stauts")).isEqualTo(2);
        assertThat(err).contains("\nDid you mean: ashlar status?\n").doesNotContain("ashlar tag");
        assertThat(ashlar("lnt")).isEqualTo(2);
        assertThat(err).contains("\nDid you mean: ashlar lint?\n").doesNotContain("move-tenant");
        assertThat(ashlar("rollbak")).isEqualTo(2);
        assertThat(err).contains("\nDid you mean: ashlar rollback?\n").doesNotContain("baseline");
        assertThat(ashlar("roll")).isEqualTo(2);
        assertThat(err).contains("\nDid you mean: ashlar rollback?\n");

        assertThat(ashlar("xyzzy")).isEqualTo(2);
        assertThat(err).isEqualTo("error: 'xyzzy' is not an ashlar command\nRun 'ashlar --help' for the commands.\n");
    }

    @Test
    void aMistypedOptionSuggestsOnlyTheOptionsATypoAway() {
        assertThat(ashlar("rollback", "--step", "2")).isEqualTo(2);
        assertThat(err).contains("\nPossible solutions: --steps\n").doesNotContain("--statement-timeout");
        assertThat(ashlar("migrate", "--dryrun")).isEqualTo(2);
        assertThat(err).contains("\nPossible solutions: --dry-run\n");

        assertThat(ashlar("migrate", "--tenant-jobs", "3")).isEqualTo(2);
        assertThat(err).doesNotContain("Possible solutions").doesNotContain("--test-rollback");
    }

    @Test
    void aMistypedCommandIsNamedAloneWithoutTheArgumentsAfterItAndTheirPassword() {
        assertThat(ashlar("migrat", "--url", "postgres://me:s3cret@localhost/app")).isEqualTo(2);

        assertThat(err).startsWith("error: 'migrat' is not an ashlar command\n").contains("ashlar migrate")
                .doesNotContain("s3cret").doesNotContain("--url").doesNotContain("Unmatched");
    }

    @Test
    void aMistypedOptionIsNamedAloneWithoutTheValueAfterItAndSuggestsTheOptionMeant() {
        assertThat(ashlar("migrate", "--ur", "postgres://me:s3cret@localhost/app")).isEqualTo(2);
        String spaced = err;
        assertThat(ashlar("migrate", "--pasword=s3cret")).isEqualTo(2);

        assertThat(spaced).startsWith("error: Unknown option: '--ur'\n").contains("--url").doesNotContain("s3cret");
        assertThat(err).startsWith("error: Unknown option: '--pasword'\n").contains("--password")
                .doesNotContain("s3cret");
    }

    @Test
    void anArgumentTheCommandDoesNotTakeIsNamedInPlainWords() {
        assertThat(ashlar("status", "foo")).isEqualTo(2);

        assertThat(err).startsWith("error: Unexpected argument: 'foo'\n").doesNotContain("Unmatched")
                .contains("Run 'ashlar status --help' for its options.");
    }

    @Test
    void verboseMayComeBeforeTheCommandAndShowsTheStackTrace() {
        Path missing = project.resolve("nowhere");

        assertThat(ashlar("--verbose", "status", "--dir", missing.toString())).isEqualTo(1);

        assertThat(err).contains("The project folder " + missing).contains("\tat dev.ashlar.")
                .doesNotContain("Unknown option").doesNotContain("run with --verbose");
    }

    @Test
    void aValueOfTheWrongKindIsAShortErrorNamingTheOption() {
        assertThat(ashlar("rollback", "--steps", "abc")).isEqualTo(2);

        assertThat(err.lines()).hasSizeLessThanOrEqualTo(2);
        assertThat(err).contains("'--steps': 'abc' is not a whole number").contains("Run 'ashlar rollback --help'");
    }

    @Test
    void aNumberTooLargeForAnOptionIsRefusedAsOutOfRangeNamingTheOptionAndTheLargestItTakes() {
        assertThat(ashlar("migrate", "--tenants", "--jobs", "99999999999999", "--url", "jdbc:postgresql://127.0.0.1:1/x"))
                .isEqualTo(2);

        assertThat(err).startsWith("error: Invalid value for option '--jobs': '99999999999999' is out of "
                + "range: give a whole number up to 2147483647");
    }

    @Test
    void aPlaceholderWithoutItsValueIsRefusedNamingTheOptionOnce() {
        assertThat(ashlar("migrate", "--placeholder", "owner", "--url", "jdbc:postgresql://127.0.0.1:1/x")).isEqualTo(2);

        assertThat(err).startsWith("error: Value for option '--placeholder' (NAME=VALUE) should be in "
                + "KEY=VALUE format but was owner");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999", "600h", "0", "5 minutes", "-1s"})
    void aTimeoutTheServerCannotTakeIsRefusedBeforeAnythingRuns(String timeout) {
        assertThat(ashlar("migrate", "--dir", project.toString(), "--url", "postgres://me@localhost:1/app",
                "--lock-timeout", timeout)).isEqualTo(2);

        assertThat(err).contains("'" + timeout + "'").containsAnyOf("is not a duration", "longer than the server's limit")
                .doesNotContain("Cannot connect");
    }

    @Test
    void aTimeoutGivenAsABareNumberIsSeconds() {
        TimeoutOptions options = new TimeoutOptions();
        options.lock = new TimeoutOptions.DurationConverter().convert("5");

        assertThat(options.timeouts().lock()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void helpCommandPrintsTheNamedCommandsHelp() {
        assertThat(ashlar("help", "codegen")).isZero();

        assertThat(out).startsWith("Usage: ashlar codegen").contains("--rename=TABLE.OLD=NEW").contains("--check");
    }

    @Test
    void passwordWithoutAValueAsksForItWithAShortPromptAndConnectsWithIt(TestDatabase db) {
        String url = db.jdbcUrl().replaceAll("([?&])(user|password)=[^&]*", "$1").replaceAll("[?&]+$", "");
        ByteArrayOutputStream prompt = new ByteArrayOutputStream();
        InputStream in = System.in;
        PrintStream stdout = System.out;
        System.setIn(new ByteArrayInputStream((db.password() + "\n").getBytes(StandardCharsets.UTF_8)));
        System.setOut(new PrintStream(prompt, true, StandardCharsets.UTF_8));
        try {
            assertThat(ashlar("status", "--dir", project.toString(), "--url", url, "--user", db.user(), "--password"))
                    .as(err).isZero();
        } finally {
            System.setIn(in);
            System.setOut(stdout);
        }

        assertThat(prompt.toString(StandardCharsets.UTF_8)).isEqualTo("Password for the database: ");
        assertThat(out).contains("No migrations yet");
    }

    @Test
    void aDatabaseThatDoesNotExistFailsAtOnceWithTheServersReason(TestDatabase db) {
        String url = db.urlWithCredentials().replace("/" + db.name() + "?", "/" + db.name() + "_nope?");

        long start = System.nanoTime();
        assertThat(ashlar("status", "--dir", project.toString(), "--url", url)).isEqualTo(1);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(err).contains("Cannot connect to jdbc:postgresql://")
                .contains("database \"" + db.name() + "_nope\" does not exist").contains("Check --url");
    }

    @Test
    void anUnknownUserFailsAtOnceWithTheServersReason(TestDatabase db) {
        String url = db.urlWithCredentials().replace("user=" + db.user(), "user=nobody_here");

        assertThat(ashlar("status", "--dir", project.toString(), "--url", url)).isEqualTo(1);

        assertThat(err).contains("role \"nobody_here\" does not exist");
    }

    @Test
    void theUserAndPasswordCanBeGivenBesideTheUrl(TestDatabase db) throws IOException {
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cli_login') THEN "
                + "CREATE ROLE cli_login LOGIN PASSWORD 'cli secret'; END IF; END $$");
        db.execute("GRANT CREATE ON SCHEMA public TO cli_login; GRANT CREATE ON DATABASE \"" + db.name()
                + "\" TO cli_login");
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/20260101000000_login.sql"),
                "-- migrate:up\nCREATE TABLE login_probe (id bigint);\n-- migrate:down\nDROP TABLE login_probe;\n");

        try {
            assertThat(ashlar("migrate", "--dir", project.toString(), "--url", urlWithoutLogin(db), "--user",
                    "cli_login", "--password", "cli secret")).as(err).isEqualTo(0);

            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'login_probe'"))
                    .isEqualTo("cli_login");
        } finally {
            db.execute("DROP OWNED BY cli_login; DROP ROLE cli_login");
        }
    }

    @Test
    void aUserGivenBothInTheUrlAndAsAnOptionIsRefusedBeforeConnecting(TestDatabase db) {
        assertThat(ashlar("status", "--dir", project.toString(), "--url", db.urlWithCredentials(), "--user", "other"))
                .isEqualTo(1);
        String other = err;
        assertThat(ashlar("status", "--dir", project.toString(), "--url", db.urlWithCredentials(), "--user", db.user()))
                .isEqualTo(1);

        assertThat(other).contains("names its user, and --user gives one too: give it once");
        assertThat(err).contains("names its user, and --user gives one too: give it once");
    }

    @Test
    void theUserOptionIsTheOneThatConnects(TestDatabase db) {
        assertThat(ashlar("status", "--dir", project.toString(), "--url", urlWithoutLogin(db), "--user",
                "nobody_by_option"))
                .isEqualTo(1);

        assertThat(err).contains("role \"nobody_by_option\" does not exist");
    }

    private static String urlWithoutLogin(TestDatabase db) {
        return db.jdbcUrl().replaceAll("([?&])(user|password)=[^&]*", "$1").replaceAll("[?&]+$", "");
    }

    @Test
    void aServerThatIsNotThereFailsWithinSeconds() {
        long start = System.nanoTime();
        assertThat(ashlar("migrate", "--dir", project.toString(), "--url", "postgres://me:secret@localhost:1/app"))
                .isEqualTo(1);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(err).contains("Cannot connect to postgres://me:****@localhost:1/app")
                .contains("Connection to localhost:1 refused").doesNotContain("secret");
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsTriedAgainAsOftenAsConnectRetriesSays() {
        long start = System.nanoTime();
        assertThat(ashlar("status", "--dir", project.toString(), "--url", "jdbc:postgresql://localhost:1/app",
                "--connect-retries", "2")).isEqualTo(1);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(err).contains("connection retry 1 of 2 in 1000 ms").contains("connection retry 2 of 2 in 2000 ms")
                .contains("Cannot connect to jdbc:postgresql://localhost:1/app");
        assertThat(ashlar("status", "--dir", project.toString(), "--url", "embedded", "--connect-retries", "-1"))
                .as("bad usage, as --jobs 0 is").isEqualTo(2);
        assertThat(err).startsWith("error: --connect-retries is -1: give 0 (no retry) or more")
                .contains("Run 'ashlar status --help' for its options.");
    }

    @Test
    void connectRetriesIntervalCapsTheWaitBetweenTwoRetriesAsFlywaysDoes() {
        long start = System.nanoTime();
        assertThat(ashlar("status", "--dir", project.toString(), "--url", "jdbc:postgresql://localhost:1/app",
                "--connect-retries", "3", "--connect-retries-interval", "1")).isEqualTo(1);

        // 1 s, 1 s, 1 s where the doubling alone waits 1 s, 2 s, 4 s.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(3),
                Duration.ofMillis(6500));
        assertThat(err).contains("connection retry 1 of 3 in 1000 ms").contains("connection retry 2 of 3 in 1000 ms")
                .contains("connection retry 3 of 3 in 1000 ms")
                .contains("Cannot connect to jdbc:postgresql://localhost:1/app");
    }

    @Test
    void aHostThatDoesNotResolveIsNamed() {
        assertThat(ashlar("status", "--dir", project.toString(), "--url", "jdbc:postgresql://no-such-host.invalid/app"))
                .isEqualTo(1);

        assertThat(err).contains("Cannot connect to jdbc:postgresql://no-such-host.invalid/app")
                .contains("unknown host no-such-host.invalid").contains("Check --url");
    }

    @Test
    void noDomainSaysHowToGiveOne(TestDatabase db) {
        assertThat(ashlar("codegen", "first", "--no-input", "--dir", project.toString(), "--url",
                db.urlWithCredentials())).isEqualTo(1);

        assertThat(err).contains("No domain found").contains("--domain com.example.BlogDomain")
                .contains("--classpath").contains("META-INF/services/dev.ashlar.api.resource.DomainProvider");
    }

    @Test
    void aClasspathEntryThatDoesNotExistIsRefusedNamingItRatherThanReportedAsNoDomain(TestDatabase db) {
        Path missing = project.resolve("target/classes");

        assertThat(ashlar("codegen", "first", "--no-input", "--dir", project.toString(), "--url",
                db.urlWithCredentials(), "--classpath", missing.toString())).isEqualTo(1);

        assertThat(err).contains("The --classpath entry " + missing.toAbsolutePath().normalize() + " does not exist")
                .contains("mvn compile").doesNotContain("No domain found");
    }

    @Test
    void aClasspathFileThatIsNotAJarIsRefusedNamingItRatherThanReportedAsNoDomain(TestDatabase db) throws IOException {
        Path notAJar = Files.writeString(project.resolve("domain.jar"), "not a zip");

        assertThat(ashlar("codegen", "first", "--no-input", "--dir", project.toString(), "--url",
                db.urlWithCredentials(), "--classpath", notAJar.toString())).isEqualTo(1);

        assertThat(err).contains("The --classpath entry " + notAJar.toAbsolutePath().normalize() + " is not a jar")
                .doesNotContain("No domain found");
        assertThat(project.resolve("migrations")).doesNotExist();
    }

    @Test
    void aClasspathFolderTheUserCannotReadIsRefusedNamingItRatherThanReportedAsNoDomain(TestDatabase db)
            throws IOException {
        Path classes = Files.createDirectories(project.resolve("target/classes"));
        Files.setPosixFilePermissions(classes, PosixFilePermissions.fromString("-w-------"));
        try {
            assumeFalse(Files.isReadable(classes), "the superuser reads every folder: run as another user");
            assertThat(ashlar("codegen", "first", "--no-input", "--dir", project.toString(), "--url",
                    db.urlWithCredentials(), "--classpath", classes.toString())).isEqualTo(1);

            assertThat(err).contains("The --classpath entry " + classes.toAbsolutePath().normalize() + " cannot be read: "
                    + "permission denied").contains("chmod -R a+rX").doesNotContain("No domain found");
            assertThat(project.resolve("migrations")).doesNotExist();
        } finally {
            Files.setPosixFilePermissions(classes, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aProjectsEmbeddedServerInUseByAnotherCommandIsNamedWithWhatToDo() throws IOException, InterruptedException {
        Path data = project.resolve(".ashlar/postgres");
        try (Database running = Database.embedded(data, 2)) {
            Process other = javaRunning("status", "--dir", project.toString(), "--url", "embedded");
            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String errors = new String(other.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(other.exitValue()).isEqualTo(1);
            assertThat(errors).contains("Cannot start an embedded PostgreSQL (data in " + data)
                    .contains("another ashlar command is using it").contains("give --url a running server");
            assertThat(ashlar("status", "--dir", project.toString(), "--url", "embedded")).as("in the same JVM")
                    .isEqualTo(1);
            assertThat(err).contains("another ashlar command is using it");
            assertThat(running.dataSource()).isNotNull();
        }
    }

    @Test
    void aThrowAwayServerDeletesItsDataWhenItCloses() throws SQLException {
        Path data;
        try (Database database = Database.throwaway(2)) {
            data = Path.of(single(database.dataSource(), "SHOW data_directory"));
            assertThat(data).isDirectory();
        }

        assertThat(data).doesNotExist();
    }

    @Test
    void aRunPrintsOnlyItsOutputWithNoLoggingWarnings(TestDatabase db) throws IOException, InterruptedException {
        Process process = javaRunning("status", "--dir", project.toString(), "--url", db.urlWithCredentials());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(errors).isEmpty();
        assertThat(output).contains("No migrations yet");
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void aPortOutOfRangeIsOneErrorWithoutTheDriversOwnWarning() throws IOException, InterruptedException {
        Process process = javaRunning("status", "--dir", project.toString(), "--url",
                "jdbc:postgresql://127.0.0.1:99999/x");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(errors).startsWith("error: Malformed database URL").contains("a port from 1 to 65535")
                .doesNotContain("WARNING").doesNotContain("PGPropertyUtil");
    }

    @Test
    void anInterruptedDemoDeletesItsTemporaryProject() throws IOException, InterruptedException {
        Process process = javaRunning("demo");
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        Path folder = null;
        for (String line = lines.readLine(); line != null && !line.startsWith("== 2."); line = lines.readLine()) {
            Matcher project = Pattern.compile("project in (\\S+)").matcher(line);
            if (project.find()) {
                folder = Path.of(project.group(1));
            }
        }
        assertThat(folder).isDirectory();

        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(folder).doesNotExist();
    }

    private static Process javaRunning(String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(false).start();
    }

    @Test
    void theDemoRefusesAFolderThatAlreadyHoldsFilesAndLeavesThemAlone() throws IOException {
        Path earlier = Files.writeString(project.resolve("notes.txt"), "mine");

        assertThat(ashlar("demo", "--dir", project.toString())).isEqualTo(2);

        assertThat(err).contains("--dir " + project + " is not an empty folder").contains("give a new or empty folder");
        assertThat(out).isEmpty();
        try (Stream<Path> files = Files.list(project)) {
            assertThat(files).containsExactly(earlier);
        }
    }

    @Test
    void theDemoRefusesADirItCannotMakeSayingWhyRatherThanPrintingABarePath() throws IOException {
        Path file = Files.writeString(project.resolve("notes.txt"), "mine");

        assertThat(ashlar("demo", "--dir", file.resolve("demo").toString())).isEqualTo(2);

        assertThat(err).startsWith("error: --dir " + file.resolve("demo") + " cannot be made (")
                .contains("Not a directory): give a new or empty folder in a place you can write");
        assertThat(out).isEmpty();
        assertThat(Files.readString(file)).isEqualTo("mine");
    }

    @Test
    void theDemoWithoutDirDeletesItsTemporaryProjectAtTheEnd() {
        assertThat(ashlar("demo")).isZero();

        Matcher folder = Pattern.compile("project in (\\S+)").matcher(out);
        assertThat(folder.find()).isTrue();
        assertThat(out).contains("--- migrations/").contains("--dir FOLDER' to keep the generated files");
        assertThat(Path.of(folder.group(1))).doesNotExist();
    }

    private static String single(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
