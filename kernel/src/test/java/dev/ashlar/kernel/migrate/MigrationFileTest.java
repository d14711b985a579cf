package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Reading a migration file: parsed once while its bytes stay the same, never stale after an edit, and never read
 * as emptier than it is because a marker or a header was mistyped.
 */
class MigrationFileTest {
    private static final String NAME = "20260101000000_create_notes.sql";

    @TempDir
    Path folder;

    private MigrationFile parse(String text) {
        return MigrationFile.parse(folder.resolve(NAME), text);
    }

    /** Asserts that parsing {@code text} is refused at {@code line}, and returns the message. */
    private String refusal(String text, int line) {
        Throwable thrown = catchThrowable(() -> parse(text));
        assertThat(thrown).isInstanceOfSatisfying(MigrationException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION);
            assertThat(e.file()).contains(NAME);
        });
        assertThat(thrown.getMessage()).startsWith("Line " + line + " of migration ").contains(NAME);
        return thrown.getMessage();
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedNamingTheLineAndByteInsteadOfRunningWithReplacementCharacters()
            throws IOException {
        Path path = folder.resolve(NAME);
        byte[] latin1 = "-- migrate:up\nCREATE TABLE caf\u00e9 (id int);\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(path, latin1);

        assertThatThrownBy(() -> MigrationFile.read(path)).isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.file()).contains(NAME))
                .hasMessageContaining("is not valid UTF-8: line 2 holds the byte 0xE9 (byte 31 of the file)")
                .hasMessageContaining("Save the file as UTF-8");
    }

    @Test
    void aFileReadAgainUnchangedIsNotParsedAgainAndAnEditOfTheSameSizeAndTimeIsSeen() throws IOException {
        Path path = folder.resolve(NAME);
        Files.writeString(path, "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
        FileTime written = Files.getLastModifiedTime(path);

        MigrationFile first = MigrationFile.read(path);
        MigrationFile again = MigrationFile.read(path);
        Files.writeString(path, "-- migrate:up\nCREATE TABLE votes (id int);\n-- migrate:down\nDROP TABLE votes;\n");
        Files.setLastModifiedTime(path, written);
        MigrationFile edited = MigrationFile.read(path);

        assertThat(again).isSameAs(first);
        assertThat(edited.up()).isEqualTo("CREATE TABLE votes (id int);");
        assertThat(edited.checksum()).isNotEqualTo(first.checksum());
    }

    @Test
    void commentsAndHeadersBeforeTheUpMarkerAreReadAndTheSectionsKeepTheirSql() {
        MigrationFile file = parse("-- create_notes: written by hand.\n\n-- lock-timeout: 2147483647ms\n"
                + "-- requires: postgresql 15 (NULLS NOT DISTINCT)\r\n-- migrate:up transaction:false\n"
                + "CREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");

        assertThat(file.up()).isEqualTo("CREATE TABLE notes (id int);");
        assertThat(file.down()).isEqualTo("DROP TABLE notes;");
        assertThat(file.transactional()).isFalse();
        assertThat(file.requires()).isEqualTo(15);
        assertThat(file.requiresReason()).isEqualTo("NULLS NOT DISTINCT");
        assertThat(file.lockTimeout()).isEqualTo(Duration.ofMillis(Integer.MAX_VALUE));
    }

    @Test
    void theDownSectionRunsAsTheUpSectionUnlessItsOwnLineSaysOtherwise() {
        assertThat(parse("-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down\nSELECT 2;\n").downTransactional())
                .isFalse();
        assertThat(parse("-- migrate:up\nSELECT 1;\n-- migrate:down transaction:false\nSELECT 2;\n"))
                .satisfies(file -> assertThat(file.transactional()).isTrue())
                .satisfies(file -> assertThat(file.downTransactional()).isFalse());
        assertThat(parse("-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down transaction:true\nSELECT 2;\n"))
                .satisfies(file -> assertThat(file.transactional()).isFalse())
                .satisfies(file -> assertThat(file.downTransactional()).isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-- migrate:up transaction: false", "-- migrate: up", "-- Migrate:up", " -- migrate:up",
            "-- migrate:upp", "-- migrate:up transaction:no"})
    void aMistypedUpMarkerIsRefusedWithItsLineAndTheExpectedFormInsteadOfEmptyingTheFile(String marker) {
        String message = refusal("-- notes\n" + marker + "\nCREATE TABLE notes (id int);\n-- migrate:down\n"
                + "DROP TABLE notes;\n", 2);

        assertThat(message).contains("'" + marker.strip() + "'").contains("looks like a section marker")
                .contains("'-- migrate:up' (or '-- migrate:up transaction:false') and '-- migrate:down'");
    }

    @Test
    void aMistypedDownMarkerIsRefusedRatherThanRunningTheDownSqlAsPartOfUp() {
        String message = refusal("-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate: down\nDROP TABLE notes;\n", 3);

        assertThat(message).contains("'-- migrate: down'").contains("looks like a section marker");
    }

    @Test
    void markersWithoutASpaceAfterTheDashesReadAsDbmateReadsThem() {
        MigrationFile file = parse("--migrate:up transaction:false\nCREATE TABLE notes (id int);\n"
                + "--\tmigrate:down\nDROP TABLE notes;\n");

        assertThat(file.up()).isEqualTo("CREATE TABLE notes (id int);");
        assertThat(file.down()).isEqualTo("DROP TABLE notes;");
        assertThat(file.transactional()).isFalse();
    }

    @Test
    void aFileWithOnlyADownSectionIsRefusedAtItsDownMarker() {
        String message = refusal("-- lock-timeout: 5000ms\n-- migrate:down\nDROP TABLE notes;\n", 2);

        assertThat(message).contains("'-- migrate:down'").contains("comes before '-- migrate:up'");
    }

    @Test
    void aFileWithoutAnyMarkerIsRefused() {
        assertThatThrownBy(() -> parse("-- nothing here yet\n"))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION))
                .hasMessageContaining(NAME).hasMessageContaining("has no '-- migrate:up' line");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "V1.1__add_users.sql | (this is a Flyway name: call it <14-digit version>_add_users.sql",
            "V1_1__Add_Users.sql | (this is a Flyway name: call it <14-digit version>_add_users.sql",
            "V01__add users.sql | (this is a Flyway name: call it <14-digit version>_add_users.sql",
            "U2__add_users.sql | (this is a Flyway undo migration: put its SQL under the '-- migrate:down' line",
            "R__Refresh_views.sql | (a repeatable migration's name is R__<lowercase_name>.sql: call it "
                    + "R__refresh_views.sql, and add a '-- migrate:up' line above its SQL)",
            "R1__refresh_views.sql | (a repeatable migration's name is R__<lowercase_name>.sql: call it "
                    + "R__refresh_views.sql",
            "020260101000000_add_users.sql | (it does not start with a version of 14 digits and '_'",
            "2026010100000_add_users.sql | (it does not start with a version of 14 digits and '_'",
            "20260101000000_add users.sql | (the name after the version holds ' ': use lowercase ASCII",
            "20260101000000_add_users.Sql | (it must end in .sql, in lowercase)",
            "20260101000000_.sql | (give it a name after the version, e.g. 20260101120000_create_posts.sql)"})
    void aMisnamedFileIsRefusedSayingWhatToRenameItTo(String fileName, String hint) {
        assertThatThrownBy(() -> MigrationFile.parse(folder.resolve(fileName), "-- migrate:up\n"))
                .hasMessageContaining(fileName + " is not named <14-digit version>_<lowercase_name>.sql; rename it "
                        + hint);
    }

    @Test
    void anEmptyFileIsRefusedSayingItIsEmptyAndWhatAFileThatRunsNothingHolds() {
        for (String empty : new String[] {"", "\n\n", "\uFEFF\r\n \t\r\n"}) {
            assertThatThrownBy(() -> parse(empty)).isInstanceOf(MigrationException.class)
                    .hasMessageContaining(NAME + " is empty: every file needs a '-- migrate:up' line")
                    .hasMessageEndingWith("(a file that runs nothing holds that line alone).");
        }
    }

    @Test
    void sqlBeforeTheUpMarkerIsRefusedSayingWhereItIsAndWhereSqlBelongs() {
        String message = refusal("-- notes\nCREATE TABLE notes (id int);\n-- migrate:up\n-- migrate:down\n", 2);

        assertThat(message).contains("'CREATE TABLE notes (id int);'").contains("SQL belongs after '-- migrate:up'");
    }

    @Test
    void aSecondUpMarkerIsRefusedRatherThanMovingDownSqlIntoUp() {
        String message = refusal("-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n"
                + "-- migrate:up\nCREATE TABLE votes (id int);\n", 5);

        assertThat(message).contains("repeats a section marker");
    }

    @Test
    void aLongRefusedLineIsCutToAReadableLength() {
        String message = refusal("SELECT " + "x, ".repeat(500) + "1;\n-- migrate:up\n", 1);

        assertThat(message).contains("'SELECT x, x, ").contains("...'").doesNotContain("x, ".repeat(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999", "150000", "1000"})
    void aRequiredVersionOutOfRangeIsRefusedWithTheAcceptedRange(String version) {
        String message = refusal("-- requires: postgresql " + version + "\n-- migrate:up\nSELECT 1;\n", 1);

        assertThat(message).contains("'-- requires: postgresql " + version + "'").contains("from 0 to 999");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "2147483648"})
    void aLockTimeoutOutOfRangeIsRefusedWithTheAcceptedRange(String millis) {
        String message = refusal("-- notes\n-- lock-timeout: " + millis + "ms\n-- migrate:up\nSELECT 1;\n", 2);

        assertThat(message).contains("'-- lock-timeout: " + millis + "ms'").contains("at most 2147483647ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-- lock-timeout: 5s", "-- lock_timeout: 5000ms", "-- requires: postgres 15",
            "-- Requires: postgresql fifteen", "--lock-timeout: 5000"})
    void aMistypedHeaderIsRefusedRatherThanIgnoredAsAComment(String header) {
        String message = refusal("-- notes\n" + header + "\n-- migrate:up\nSELECT 1;\n", 2);

        assertThat(message).contains("'" + header + "'").contains("looks like a header but is not one");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"-- Tag: release|'-- tag: release-1.4'", "-- Tags: x|'-- tag: release-1.4'",
            "-- Context: test|'-- context: test'", "-- LABEL: eu|'-- labels: billing, eu'",
            "-- Fail_On_Error: false|'-- fail-on-error: false'", "-- lock-timeout: 5s|'-- lock-timeout: 5000ms'",
            "-- Valid-Checksum: any|'-- valid-checksum: sha256:<64 hex digits>' (or 'any')",
            "-- lock-timeouts: 5000ms|'-- lock-timeout: 5000ms'", "-- fail-on-errors: false|'-- fail-on-error: false'",
            "-- require: postgresql 99|'-- requires: postgresql 15 (the reason)'",
            "-- on-failure: skip|'-- on-fail: skip'", "-- On_Fails: skip|'-- on-fail: skip'"})
    void aLineSpellingAHeadersKeyInAnotherWayIsRefusedNamingThatHeadersSpelling(String line, String spelling) {
        String message = refusal("-- notes\n" + line + "\n-- migrate:up\nSELECT 1;\n", 2);

        assertThat(message).contains("'" + line + "'").contains("looks like a header but is not one")
                .contains("write the '-- " + spelling.substring(4, spelling.indexOf(':') + 1) + "' header exactly "
                        + "so, e.g. " + spelling);
        if (!spelling.startsWith("'-- requires:")) {
            assertThat(message).doesNotContain("'-- requires: postgresql 15");
        }
    }

    @Test
    void aHeaderWhoseKeyIsRightButWhoseValueIsNotIsToldToWriteTheValueInTheHeadersFormNotToFixItsCase() {
        String message = refusal("-- lock-timeout: 5s\n-- migrate:up\nSELECT 1;\n", 1);

        assertThat(message).contains("e.g. '-- lock-timeout: 5000ms', its value in this form")
                .doesNotContain("lower case");
        assertThat(refusal("-- Lock-Timeout: 5000ms\n-- migrate:up\nSELECT 1;\n", 1))
                .contains("lower case and one space after the colon");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-- Note: tag this release", "-- TODO: context", "-- Tagline: x", "-- label it: eu",
            "-- Requirements: none"})
    void aCommentCloseToNoHeaderKeyStaysAComment(String line) {
        MigrationFile file = parse("-- notes\n" + line + "\n-- migrate:up\nSELECT 1;\n");

        assertThat(file.up()).isEqualTo("SELECT 1;");
        assertThat(file.filters()).isEqualTo(FileFilters.NONE);
    }

    @Test
    void aByteOrderMarkIsSkippedSoTheFirstHeaderCountsButTheChecksumIsOfTheBytesAsTheyAre() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.write("-- requires: postgresql 15 (MERGE)\n-- migrate:up\nSELECT 1;\n".getBytes(StandardCharsets.UTF_8));
        Path path = Files.write(folder.resolve("20260101000001_with_bom.sql"), bytes.toByteArray());

        MigrationFile file = MigrationFile.read(path);

        assertThat(file.requires()).isEqualTo(15);
        assertThat(file.up()).isEqualTo("SELECT 1;");
        assertThat(file.checksum()).isEqualTo(sha256(bytes.toByteArray()));
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A file holding {@code rows} rows of a COPY FROM stdin, the first with a quote, a glob and a quoted name. */
    private static String copyOf(int rows, String after) {
        StringBuilder text = new StringBuilder("-- migrate:up\nCREATE TABLE people (id int, name text);\n"
                + "COPY people (id, name) FROM stdin;\n1\tO'Brien /usr/lib/*.so \"x\n");
        for (int row = 2; row <= rows; row++) {
            text.append(row).append("\tperson ").append(row).append('\n');
        }
        return text.append("\\.\n").append(after).append("-- migrate:down\nDROP TABLE people;\n").toString();
    }

    @Test
    void theRowsOfACopyFromStdinAreDataSoALiquibaseLineAfterThemIsStillRefused() {
        int rows = 60_000;
        MigrationFile file = parse(copyOf(rows, "SELECT 1;\n"));
        assertThat(SqlStatements.split(file.up())).hasSize(3);

        String message = refusal(copyOf(rows, "--rollback DROP TABLE people;\n"), rows + 5);
        assertThat(message).contains("'--rollback DROP TABLE people;'", "'-- migrate:down' line");
    }

    @Test
    void aLiquibaseLineAfterALongDollarQuotedBodyIsRefusedAndOneInsideItIsTheBodysText() {
        StringBuilder body = new StringBuilder("-- migrate:up\nCREATE FUNCTION f() RETURNS void LANGUAGE plpgsql "
                + "AS $body$\nBEGIN\n--changeset a:b\n");
        body.append("  PERFORM 'it''s';\n".repeat(20_000));
        body.append("END\n$body$;\n");
        int after = 20_000 + 7;

        assertThat(parse(body + "-- migrate:down\nDROP FUNCTION f();\n").up()).contains("--changeset a:b");
        assertThat(refusal(body + "--changeset a:b\n-- migrate:down\nSELECT 1;\n", after))
                .contains("Liquibase's '--changeset' line");
    }
}
