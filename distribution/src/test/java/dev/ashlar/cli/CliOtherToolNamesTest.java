package dev.ashlar.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** A user coming from Flyway or Liquibase types their commands and options: each is bad usage naming Ashlar's own. */
class CliOtherToolNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "info             | ashlar status",
            "history          | ashlar status",
            "undo             | ashlar rollback",
            "update           | ashlar migrate",
            "update-count     | ashlar migrate --steps N",
            "update-sql       | ashlar migrate --script",
            "update-to-tag    | ashlar migrate --to-tag TAG",
            "rollback-count   | ashlar rollback --steps N",
            "rollback-to-date | ashlar rollback --to-date TIME",
            "rollback-sql     | ashlar rollback --to-tag NAME --script",
            "rollback-one-update | ashlar rollback --deployment ID",
            "changelog-sync   | ashlar baseline",
            "changelog-sync-sql | ashlar baseline --script",
            "clear-checksums  | ashlar repair",
            "drop-all         | ashlar clean --enable-clean",
            "release-locks    | ashlar locks --release PID",
            "list-locks       | ashlar locks",
            "calculate-checksum | ashlar checksum FILE",
            "generate-changelog | ashlar inspect"})
    void aFlywayOrLiquibaseCommandNamesTheAshlarCommandThatDoesItInsteadOfNearbyNames(String command, String ashlar) {
        CliRun run = CliRun.of(command, "--url", "postgres://me:s3cret@localhost/app");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: '" + command + "' is not an ashlar command")
                .contains(ashlar).contains("Run 'ashlar --help' for the commands.")
                .doesNotContain("Did you mean").doesNotContain("s3cret");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "migrate  | -target=20260101000000     | --to VERSION",
            "migrate  | --target                   | --to VERSION",
            "migrate  | -outOfOrder=true           | --no-out-of-order",
            "migrate  | -baselineOnMigrate=true    | --baseline-on-migrate",
            "migrate  | -cherryPick=20260101000000 | --cherry-pick VERSION",
            "migrate  | -group=true                | --group",
            "migrate  | -locations=filesystem:sql  | --extra-migrations",
            "migrate  | -placeholders.owner=app    | --placeholder NAME=VALUE",
            "migrate  | -placeholderPrefix=#[      | --placeholder-prefix TEXT",
            "migrate  | -connectRetriesInterval=5  | --connect-retries-interval DURATION",
            "migrate  | -validateOnMigrate=false   | --no-validate",
            "migrate  | --changelog-file=main.xml  | --dir",
            "migrate  | --label-filter=billing     | --labels",
            "rollback | --count=2                  | --steps N",
            "rollback | --tag=release-1            | --to-tag NAME",
            "rollback | --date=2026-12-01          | --to-date TIME",
            "migrate  | -defaultSchema=meta        | --history-table SCHEMA.NAME",
            "migrate  | --liquibase-schema-name=meta | --history-table SCHEMA.NAME",
            "clean    | -cleanDisabled=false       | --enable-clean"})
    void aFlywayOrLiquibaseOptionNamesTheAshlarOptionWithoutItsValue(String command, String option, String ashlar) {
        CliRun run = CliRun.of(command, option, "--password=s3cret");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: Unknown option: '" + option.split("=", 2)[0] + "'")
                .contains(ashlar).contains("Run 'ashlar " + command + " --help' for its options.")
                .doesNotContain("s3cret");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anAshlarOptionWrittenWithOneDashAsFlywayWritesThemSaysToUseTwo() {
        CliRun run = CliRun.of("migrate", "-url=postgres://me:s3cret@localhost/app");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: Unknown option: '-url': options take two dashes, --url")
                .doesNotContain("s3cret");
    }

    @Test
    void anAshlarOptionGivenToACommandThatDoesNotTakeItStillNamesTheCommandsThatDo() {
        CliRun run = CliRun.of("lint", "--init-sql=SET ROLE app");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: 'ashlar lint' does not take --init-sql").doesNotContain("Flyway");
    }

    @Test
    void aTagGivenToRollbackAsLiquibaseTakesItSaysToGiveItWithToTag() {
        CliRun run = CliRun.of("rollback", "release-1");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: Unexpected argument: 'release-1'").contains("--to-tag release-1");
    }
}
