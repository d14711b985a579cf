package dev.ashlar.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Map.entry;

/**
 * The commands and options of Flyway and Liquibase that their users type out of habit, and what Ashlar calls them.
 * Without this, {@code ashlar clear-checksums} would be answered with the nearest spellings, {@code check} and
 * {@code clean}, and {@code migrate -target=...} with nothing at all.
 */
final class OtherToolNames {
    private static final Map<String, String> COMMANDS = Map.ofEntries(
            entry("info", "Flyway's info is 'ashlar status' (exit 3 when files are pending, 4 when an applied file "
                    + "is missing, 5 when one changed)"),
            entry("history", "Liquibase's history is 'ashlar status', which lists each applied migration with its "
                    + "time and tags"),
            entry("undo", "Flyway's undo is 'ashlar rollback' (the last migration; --steps N or --to VERSION for "
                    + "more), which runs the file's '-- migrate:down' section"),
            entry("update", "Liquibase's update is 'ashlar migrate'"),
            entry("update-count", "Liquibase's update-count is 'ashlar migrate --steps N'"),
            entry("update-sql", "Liquibase's update-sql is 'ashlar migrate --script'"),
            entry("update-count-sql", "Liquibase's update-count-sql is 'ashlar migrate --steps N --script'"),
            entry("update-to-tag", "Liquibase's update-to-tag is 'ashlar migrate --to-tag TAG' (up to the file with "
                    + "the header '-- tag: TAG'), or 'ashlar migrate --to VERSION'"),
            entry("update-testing-rollback", "Liquibase's update-testing-rollback is 'ashlar migrate "
                    + "--test-rollback'"),
            entry("rollback-count", "Liquibase's rollback-count is 'ashlar rollback --steps N'"),
            entry("rollback-count-sql", "Liquibase's rollback-count-sql is 'ashlar rollback --steps N --script'"),
            entry("rollback-to-date", "Liquibase's rollback-to-date is 'ashlar rollback --to-date TIME'"),
            entry("rollback-to-date-sql", "Liquibase's rollback-to-date-sql is 'ashlar rollback --to-date TIME "
                    + "--script'"),
            entry("rollback-sql", "Liquibase's rollback-sql is 'ashlar rollback --to-tag NAME --script'"),
            entry("rollback-one-update", "Liquibase's rollback-one-update is 'ashlar rollback --deployment ID' (the "
                    + "deployment 'ashlar status' shows for each applied migration)"),
            entry("rollback-one-update-sql", "Liquibase's rollback-one-update-sql is 'ashlar rollback --deployment ID "
                    + "--script'"),
            entry("changelog-sync", "Liquibase's changelog-sync is 'ashlar baseline', which records every file as "
                    + "applied without running it"),
            entry("changelog-sync-to-tag", "Liquibase's changelog-sync-to-tag is 'ashlar baseline --to-tag TAG' "
                    + "(up to the file with a '-- tag: TAG' header), or 'ashlar baseline --to VERSION'"),
            entry("changelog-sync-sql", "Liquibase's changelog-sync-sql is 'ashlar baseline --script' (with --to "
                    + "VERSION or --to-tag TAG), which prints the SQL that records the files without running it"),
            entry("mark-next-changeset-ran", "Liquibase's mark-next-changeset-ran is 'ashlar baseline --to VERSION' "
                    + "with the version of the next pending file"),
            entry("clear-checksums", "Liquibase's clear-checksums is 'ashlar repair', which records the text of "
                    + "each applied file changed on purpose and forgets those deleted on purpose"),
            entry("release-locks", "Liquibase's release-locks is 'ashlar locks --release PID', which ends the "
                    + "session holding the migration lock ('ashlar locks' lists it); the lock is a PostgreSQL advisory "
                    + "lock, released when that session ends, a killed run's too"),
            entry("list-locks", "Liquibase's list-locks is 'ashlar locks', which names each session holding a "
                    + "migration lock, its host and since when"),
            entry("calculate-checksum", "Liquibase's calculate-checksum is 'ashlar checksum FILE', which prints the "
                    + "checksum the history records for the file and whether the history holds the same"),
            entry("drop-all", "Liquibase's drop-all is 'ashlar clean --enable-clean', for development and test "
                    + "databases only"),
            entry("generate-changelog", "Liquibase's generate-changelog is 'ashlar inspect', which writes the "
                    + "resources that describe the database"),
            entry("tag-exists", "Liquibase's tag-exists is 'ashlar tag NAME --exists' (exit 0 when a migration "
                    + "carries it, 1 when none does)"),
            entry("future-rollback-sql", "Liquibase's future-rollback-sql is 'ashlar rollback --pending --script'"),
            entry("future-rollback-count-sql", "Liquibase's future-rollback-count-sql is 'ashlar rollback --pending "
                    + "--steps N --script'"),
            entry("unexpected-changesets", "Liquibase's unexpected-changesets: 'ashlar status' lists applied "
                    + "migrations whose file is missing, and those of a newer release as future"));

    /** Keyed by the option's name in lower case without dashes, as Flyway ({@code -outOfOrder}) or Liquibase
     * ({@code --label-filter}) spell it. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(
            entry("target", "Flyway's target is --to VERSION"),
            entry("outoforder", "Flyway's outOfOrder: late files apply in version order by default, and "
                    + "--no-out-of-order refuses them"),
            entry("cherrypick", "Flyway's cherryPick is --cherry-pick VERSION[,VERSION...]"),
            entry("group", "Flyway's group=true is --group"),
            entry("baselineonmigrate", "Flyway's baselineOnMigrate is --baseline-on-migrate[=VERSION]"),
            entry("baselineversion", "Flyway's baselineVersion is 'ashlar baseline --to VERSION', or 'ashlar "
                    + "migrate --baseline-on-migrate=VERSION'"),
            entry("cleandisabled", "Flyway's cleanDisabled=false is --enable-clean"),
            entry("locations", "Flyway's locations: --dir names the project folder holding migrations/, and "
                    + "--extra-migrations DIR each further folder of files"),
            entry("placeholders", "Flyway's placeholders are --placeholder NAME=VALUE, once for each"),
            entry("placeholderreplacement", "Flyway's placeholderReplacement=false is --no-placeholders"),
            entry("placeholderprefix", "Flyway's placeholderPrefix is --placeholder-prefix TEXT"),
            entry("placeholdersuffix", "Flyway's placeholderSuffix is --placeholder-suffix TEXT"),
            entry("initsql", "Flyway's initSql is --init-sql SQL"),
            entry("connectretries", "Flyway's connectRetries is --connect-retries N"),
            entry("connectretriesinterval", "Flyway's connectRetriesInterval is --connect-retries-interval DURATION"),
            entry("lockretrycount", "Flyway's lockRetryCount is --lock-timeout DURATION"),
            entry("validateonmigrate", "Flyway's validateOnMigrate=false is --no-validate"),
            entry("dryrunoutput", "Flyway's dryRunOutput is --script (a SQL script) or --dry-run (a listing), which print to standard output"),
            entry("outputfile", "the --script and --dry-run of migrate and rollback print to standard output: redirect it"),
            entry("changelogfile", "Liquibase's changelog-file: --dir names the project folder holding "
                    + "migrations/"),
            entry("searchpath", "Liquibase's search-path: --dir names the project folder holding migrations/"),
            entry("labelfilter", "Liquibase's label-filter is --labels EXPRESSION"),
            entry("count", "Liquibase's count is --steps N"),
            entry("tag", "Liquibase's tag: 'ashlar rollback --to-tag NAME' rolls back to it, 'ashlar tag NAME' "
                    + "marks the state, 'ashlar migrate --to-tag NAME' applies up to the file with '-- tag: NAME'"),
            entry("date", "Liquibase's date is --to-date TIME"),
            entry("table", "Flyway's table is --history-table NAME"),
            entry("databasechangelogtablename", "Liquibase's database-changelog-table-name is --history-table NAME"),
            entry("defaultschema", "Flyway's defaultSchema is the schema of --history-table SCHEMA.NAME"),
            entry("liquibaseschemaname", "Liquibase's liquibase-schema-name is the schema of --history-table "
                    + "SCHEMA.NAME"),
            entry("referenceurl", "Liquibase's reference-url is --reference-url URL"),
            entry("referenceusername", "Liquibase's reference-username is --reference-user USER"),
            entry("referencepassword", "Liquibase's reference-password is --reference-password"));

    private OtherToolNames() {
    }

    /**
     * What Ashlar calls {@code argument}, the first one that {@code command} (null: the {@code ashlar} command itself)
     * could not match, when Flyway or Liquibase has it; its value, if any, is never repeated.
     */
    static Optional<String> explain(String command, String argument) {
        if (command == null) {
            return Optional.ofNullable(COMMANDS.get(argument.toLowerCase(Locale.ROOT)));
        }
        if (!argument.startsWith("-")) {
            return "rollback".equals(command)
                    ? Optional.of("Liquibase's 'rollback TAG' is 'ashlar rollback --to-tag " + argument
                            + "' (a count is --steps N, a version --to VERSION)")
                    : Optional.empty();
        }
        String name = argument.split("=", 2)[0].replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
        return Optional.ofNullable(OPTIONS.get(name.startsWith("placeholders.") ? "placeholders" : name));
    }
}
