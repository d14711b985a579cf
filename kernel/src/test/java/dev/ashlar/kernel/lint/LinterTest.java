package dev.ashlar.kernel.lint;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.Placeholders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.ashlar.kernel.lint.RulesTest.findings;
import static dev.ashlar.kernel.lint.RulesTest.rules;
import static dev.ashlar.kernel.lint.RulesTest.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinterTest {
    @TempDir
    Path project;

    @Test
    void quotedNamesTensOfThousandsOfCharactersLongAreReadWithoutOverflowingTheStack() {
        String name = "x".repeat(50_000);
        String quotes = "q\"\"".repeat(30_000);

        assertThat(rules(tx("CREATE TABLE \"" + name + "\" (id bigint PRIMARY KEY);"))).contains("identifier-too-long");
        assertThat(rules(tx("DROP TABLE \"" + quotes + "\";"))).contains("ban-drop-table", "identifier-too-long");
    }

    @Test
    void namesTheFileAndTheLineWhereTheStatementsCodeStartsWithTheReason() {
        String text = "-- lock-timeout: 5000ms\n-- migrate:up\n\n-- rename column posts.title to headline\n"
                + "ALTER TABLE posts\n  RENAME COLUMN title TO headline;\n\n-- migrate:down\nDROP TABLE posts;\n";

        assertThat(findings(text)).extracting(Finding::message).containsExactly("warning[renaming-column] "
                + "migrations/20260101000000_change.sql:5: running instances of the old application will fail on the "
                + "old name; add the new column, write both, then drop the old one in a later release");
    }

    @Test
    void readsOnlyTheUpSectionAndNeverTheInsideOfStringsCommentsOrFunctionBodies() {
        String text = """
                -- lock-timeout: 5000ms
                -- migrate:up
                COMMENT ON TABLE posts IS 'we DROP TABLE users; later';
                -- DROP TABLE users;
                /* ALTER TABLE users DROP COLUMN email; */
                CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ DROP TABLE users; $$;
                DO $x$ BEGIN ALTER TABLE users RENAME COLUMN a TO b; END $x$;
                -- migrate:down
                DROP TABLE posts;
                """;

        assertThat(findings(text)).isEmpty();
    }

    @Test
    void aLintAllowCommentAboveTheStatementAllowsItsRulesOnly() {
        String text = tx("-- lint: allow renaming-column, ban-drop-column\nALTER TABLE posts RENAME COLUMN a TO b;\n"
                + "ALTER TABLE posts RENAME TO articles;");

        assertThat(findings(text)).extracting(f -> f.rule().id() + " " + f.allowed())
                .containsExactly("renaming-column true", "renaming-table false");
    }

    @Test
    void theProjectsAllowListAllowsARuleEverywhereOrInOneVersion() throws IOException {
        Files.writeString(project.resolve("ashlar.properties"), "lint.allow = ban-drop-column, "
                + "renaming-table@20260101000000\n");
        Linter linter = Linter.of(ProjectLayout.of(project));
        String text = tx("ALTER TABLE posts DROP COLUMN a;\nALTER TABLE posts RENAME TO articles;");

        assertThat(linter.lint(project.resolve("migrations/20260101000000_a.sql"), text))
                .extracting(Finding::allowed).containsExactly(true, true);
        assertThat(linter.lint(project.resolve("migrations/20260202000000_b.sql"), text))
                .extracting(Finding::allowed).containsExactly(true, false);
    }

    @Test
    void aFileThatMigrateWouldRefuseBeforeRunningFailsTheLintNamingTheFileTheLineAndTheFix() throws IOException {
        Files.createDirectories(project.resolve("migrations"));
        Path psql = Files.writeString(project.resolve("migrations/20260101000000_psql.sql"),
                "-- migrate:up\nCREATE TABLE a (id int);\n\\i other.sql\n-- migrate:down\nDROP TABLE a;\n");

        assertThatThrownBy(() -> Linter.of(ProjectLayout.of(project)).lintProject())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Migration 20260101000000_psql.sql cannot run: statement 2 of its up section "
                        + "(line 3)").hasMessageContaining("is a psql command").hasMessageContaining("Take it out");

        Files.delete(psql);
        Files.writeString(project.resolve("migrations/20260101000000_quote.sql"), "-- migrate:up\nCREATE TABLE a "
                + "(id int);\n-- migrate:down\nDROP TABLE a;\nSELECT $body$ never closed;\n");

        assertThatThrownBy(() -> Linter.of(ProjectLayout.of(project)).lintProject())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("statement 2 of its down section (line 5)")
                .hasMessageContaining("opens a dollar-quoted body ($body$ ... $body$) that never ends");
    }

    @Test
    void skippedLinesBetweenStatementsKeepTheFileLinesOfTheStatementsAfterThem() throws IOException {
        String text = "-- migrate:up\nCREATE TABLE t (a int);\n-- ignore-lines: start\n\\set x 1\n"
                + "-- ignore-lines: end\nCREATE INDEX t_a ON posts (a);\n-- migrate:down\nDROP TABLE t;\n";

        assertThat(findings(text)).filteredOn(f -> f.rule() == Rule.REQUIRE_CONCURRENT_INDEX_CREATION)
                .extracting(Finding::line).containsExactly(6);

        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/20260101000000_skips.sql"), text);
        assertThat(Linter.of(ProjectLayout.of(project), LintSettings.none()).lintProject().findings())
                .filteredOn(f -> f.rule() == Rule.REQUIRE_CONCURRENT_INDEX_CREATION)
                .extracting(Finding::line).containsExactly(6);
    }

    @Test
    void aConcurrentIndexInATransactionStaysAFindingOfTheLint() throws IOException {
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/20260101000000_index.sql"),
                "-- migrate:up\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n-- migrate:down\nDROP INDEX a_id;\n");

        assertThat(Linter.of(ProjectLayout.of(project)).lintProject().findings()).extracting(Finding::rule)
                .contains(Rule.BAN_CONCURRENT_INDEX_CREATION_IN_TRANSACTION);
    }

    @Test
    void aSettingsFileThatIsAFolderOrALinkToNothingIsRefusedRatherThanReadAsNoSettings() throws IOException {
        Path settings = Files.createDirectory(project.resolve("ashlar.properties"));

        assertThatThrownBy(() -> Linter.of(ProjectLayout.of(project))).isInstanceOf(ProjectFileException.class)
                .hasMessage("The settings file " + settings + " is a folder, not a file: move it away, or make it a "
                        + "properties file (lint.allow = RULE, ...).");

        Files.delete(settings);
        Files.createSymbolicLink(settings, Path.of("shared.properties"));

        assertThatThrownBy(() -> Linter.of(ProjectLayout.of(project))).isInstanceOf(ProjectFileException.class)
                .hasMessage("The settings file " + settings + " is a symbolic link that leads to no file (there is no "
                        + "such file or folder): point it at the file, or remove it.");
    }

    @Test
    void anAllowListNamingNoRuleFailsNamingTheFileTheEntryTheRuleMeantAndTheRules() throws IOException {
        Files.writeString(project.resolve("ashlar.properties"), "lint.allow = renaming-colum\n");

        assertThatThrownBy(() -> Linter.of(ProjectLayout.of(project))).isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("ashlar.properties")
                .hasMessageContaining("'renaming-colum' (did you mean 'renaming-column'?), which is no lint rule")
                .hasMessageContaining("renaming-column, renaming-table");
    }

    @Test
    void aSettingsFileWithAMistypedKeyFailsNamingTheKeyTheOneMeantAndTheOneItHolds() throws IOException {
        Files.writeString(project.resolve("ashlar.properties"), "lint.alow = renaming-column\n");

        assertThatThrownBy(() -> Linter.of(ProjectLayout.of(project))).isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("ashlar.properties sets 'lint.alow' (did you mean 'lint.allow'?), which is no "
                        + "setting")
                .hasMessageContaining("lint.allow = RULE");
    }

    @Test
    void aSettingsFileSavedWithAByteOrderMarkAllowsItsRulesAsWithout() throws IOException {
        Files.write(project.resolve("ashlar.properties"),
                "\uFEFFlint.allow = ban-drop-column\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        Linter linter = Linter.of(ProjectLayout.of(project));

        assertThat(linter.lint(project.resolve("migrations/20260101000000_a.sql"),
                tx("ALTER TABLE posts DROP COLUMN a;"))).extracting(Finding::allowed).containsExactly(true);
    }

    @Test
    void aSettingsFileOnARelativePathIsNamedByItsPathAsGivenNotCapitalised() throws IOException {
        Path relative = Path.of("target", "relative-settings-" + System.nanoTime());
        Files.createDirectories(relative);
        Path settings = relative.resolve("ashlar.properties");
        Files.write(settings, "lint.allow = caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> Linter.of(ProjectLayout.of(relative))).isInstanceOf(ProjectFileException.class)
                .hasMessageStartingWith("target/relative-settings-").hasMessageContaining("/ashlar.properties is not "
                        + "valid UTF-8: line 1");
    }

        @Test
    void aSettingsFileWithAMalformedEscapeOrBytesThatAreNoUtf8FailsNamingTheFileTheLineAndTheFix() throws IOException {
        Path settings = project.resolve("ashlar.properties");
        Files.writeString(settings, "# allowed\nlint.allow = renaming-column, \\u0041\\\nban-drop-column \\u00zz\n");

        assertThatThrownBy(() -> Linter.of(ProjectLayout.of(project))).isInstanceOf(ProjectFileException.class)
                .hasMessageStartingWith(settings + " holds a malformed \\u escape on line 3: ")
                .hasMessageContaining("four hexadecimal digits");

        Files.write(settings, "# caf\u00e9\nlint.allow = renaming-column\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Linter.of(ProjectLayout.of(project))).isInstanceOf(ProjectFileException.class)
                .hasMessage(settings + " is not valid UTF-8: line 1 holds the byte 0xE9, which is no UTF-8 character "
                        + "there. Save the file as UTF-8");
    }

    @Test
    void annotatingWritesEachFindingAboveItsStatementAndReportsTheLinesOfTheAnnotatedText() {
        String text = tx("-- change posts\nALTER TABLE posts RENAME COLUMN a TO b;\nALTER TABLE posts DROP COLUMN c;");
        Linter linter = Linter.of(ProjectLayout.of(project), LintSettings.none());

        Linter.Annotated annotated = linter.annotate(project.resolve("migrations/20260101000000_a.sql"), text);

        assertThat(annotated.text()).contains("-- change posts\n-- lint: renaming-column: running instances of the "
                + "old application will fail on the old name; add the new column, write both, then drop the old one "
                + "in a later release\nALTER TABLE posts RENAME COLUMN a TO b;\n-- lint: ban-drop-column: ");
        String[] lines = annotated.text().split("\n");
        assertThat(annotated.findings()).allSatisfy(f -> assertThat(lines[f.line() - 1]).startsWith("ALTER TABLE"));
        assertThat(annotated.findings()).extracting(f -> f.rule().id())
                .containsExactly("renaming-column", "ban-drop-column");
    }

    @Test
    void aGeneratedTypeChangeMarkedAsARewriteStaysWarnedAboutOnceItsWarningIsWrittenIn() {
        String text = RulesTest.generated("-- rewrites table: changing posts.id from integer to bigint\n"
                + "ALTER TABLE posts ALTER COLUMN id DROP DEFAULT;\nALTER TABLE posts ALTER COLUMN id TYPE bigint;\n"
                + "ALTER TABLE posts ALTER COLUMN id SET NOT NULL;");
        Linter linter = Linter.of(ProjectLayout.of(project), LintSettings.none());
        Path file = project.resolve("migrations/20260101000000_change.sql");

        Linter.Annotated annotated = linter.annotate(file, text);

        assertThat(annotated.findings()).extracting(f -> f.rule().id())
                .containsExactly("changing-column-type", "adding-not-nullable-field");
        assertThat(linter.lint(file, annotated.text())).isEqualTo(annotated.findings());
    }

    @Test
    void aStatementWithSeveralActionsIsReadActionByAction() {
        assertThat(rules(tx("ALTER TABLE posts ADD COLUMN a text, DROP COLUMN b, ALTER COLUMN c TYPE bigint;")))
                .containsExactly("ban-drop-column", "changing-column-type");
    }
    @Test
    void lintingTheProjectRefusesACallbackFileUsingAPlaceholderWithoutAValueAndCountsItAsNoMigration()
            throws IOException {
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/afterMigrate.sql"),
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader};\n");

        assertThatThrownBy(() -> Linter.of(ProjectLayout.of(project), LintSettings.none()).lintProject())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("afterMigrate.sql")
                .hasMessageContaining("reader");
        assertThat(Linter.of(ProjectLayout.of(project), LintSettings.none())
                .placeholders(Placeholders.of(Map.of("reader", "app_reader"))).lintProject().files()).isZero();
    }
}
