package dev.ashlar.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Each command's help lists, and its parsing accepts, only the shared options it uses. */
class CliOptionGroupsTest {
    private static final List<String> DATABASE = List.of("--url", "--user", "--password", "--connect-retries",
            "--connect-retries-interval");
    private static final List<String> DOMAIN = List.of("--domain");
    private static final List<String> CLASSPATH = List.of("--classpath");
    private static final List<String> PLACEHOLDERS = List.of("--placeholder", "--no-placeholders",
            "--placeholder-prefix", "--placeholder-suffix");
    private static final List<String> INIT_SQL = List.of("--init-sql");

    @ParameterizedTest(name = "{0}: database {1}, domain {2}, class path {3}, placeholders {4}, init SQL {5}")
    @CsvSource({
            "codegen, true, true, true, true, true",
            "migrate, true, true, true, true, true",
            "rollback, true, true, true, true, true",
            "status, true, true, true, true, true",
            "validate, true, true, true, true, true",
            "baseline, true, true, true, true, true",
            "repair, true, true, true, true, true",
            "check, true, true, true, true, true",
            "clean, true, false, false, false, true",
            "inspect, true, false, true, false, false",
            "move-tenant, true, true, true, false, false",
            "lint, false, false, false, true, false"})
    void eachCommandsHelpListsOnlyTheSharedOptionsItUses(String command, boolean database, boolean domain,
                                                          boolean classpath, boolean placeholders, boolean initSql) {
        CliRun help = CliRun.of(command, "--help");

        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: ashlar " + command).contains("--dir", "--verbose");
        listed(help.out(), DATABASE, database);
        listed(help.out(), DOMAIN, domain);
        listed(help.out(), CLASSPATH, classpath);
        listed(help.out(), PLACEHOLDERS, placeholders);
        listed(help.out(), INIT_SQL, initSql);
    }

    private static void listed(String help, List<String> options, boolean expected) {
        for (String option : options) {
            // a whole option name: --password[=PASSWORD] lists --password, --no-placeholders does not list --placeholder
            assertThat(Pattern.compile("(?<![\\w-])" + option + "(?![\\w-])").matcher(help).find())
                    .as(option + " listed").isEqualTo(expected);
        }
    }

    @Test
    void lintRefusesUrlNamingTheOptionAndTheCommand() {
        CliRun lint = CliRun.of("lint", "--url", "jdbc:postgresql://127.0.0.1:1/none");

        assertThat(lint.code()).isEqualTo(2);
        assertThat(lint.err()).startsWith("error: 'ashlar lint' does not take --url, which would do nothing there: "
                        + "leave it out (it is an option of codegen, migrate, rollback, status, validate, baseline, "
                        + "repair, checksum, tag, locks, clean, inspect, check, diff, diff-changelog, snapshot, "
                        + "move-tenant)")
                .contains("Run 'ashlar lint --help' for its options.")
                .doesNotContain("Unknown option");
        assertThat(lint.out()).isEmpty();
    }

    @Test
    void anOptionGivenWithItsValueAfterAnEqualsSignIsRefusedByItsName() {
        CliRun clean = CliRun.of("clean", "--placeholder=owner=app", "--enable-clean");
        CliRun inspect = CliRun.of("inspect", "--package", "com.example", "--domain=com.example.Blog");

        assertThat(clean.code()).isEqualTo(2);
        assertThat(clean.err()).contains("'ashlar clean' does not take --placeholder,");
        assertThat(inspect.code()).isEqualTo(2);
        assertThat(inspect.err()).contains("'ashlar inspect' does not take --domain,");
    }

    @Test
    void anOptionThatNoCommandTakesIsStillUnknown() {
        CliRun lint = CliRun.of("lint", "--frob");

        assertThat(lint.code()).isEqualTo(2);
        assertThat(lint.err()).contains("Unknown option: '--frob'").doesNotContain("does not take");
    }
}
