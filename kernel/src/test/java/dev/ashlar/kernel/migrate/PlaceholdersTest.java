package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class PlaceholdersTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private Migrator migrator(Map<String, String> values) {
        return new Migrator(db.dataSource(), folder).placeholders(Placeholders.of(values));
    }

    @Test
    void replacesTheProjectsValuesAndTheBuiltInsInTheUpSectionKeepingTheChecksumOfTheFileAsWritten()
            throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE ${prefix}_posts (id int);\n"
                + "COMMENT ON TABLE ${prefix}_posts IS '${ashlar:schema} ${ashlar:filename} ${ashlar:user}';",
                "DROP TABLE ${prefix}_posts;");
        byte[] written = Files.readAllBytes(folder.resolve("20260101000000_create_posts.sql"));

        migrator(Map.of("prefix", "blog")).migrate();

        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                + "AND table_name = 'blog_posts'")).isEqualTo(1L);
        assertThat(db.value("SELECT obj_description('public.blog_posts'::regclass)"))
                .isEqualTo("public 20260101000000_create_posts.sql " + db.user());
        assertThat(db.value("SELECT checksum FROM ashlar_schema_migrations"))
                .isEqualTo(MigrationFile.checksum(written));
    }

    @Test
    void theSchemaBuiltInIsTheSchemasNameAsItIsSoAFileQuotesItWhereTheNameNeedsQuotes() throws IOException {
        db.execute("DROP SCHEMA IF EXISTS \"Org-A\" CASCADE; CREATE SCHEMA \"Org-A\"");
        file("20260101000000_create_posts.sql", "CREATE TABLE \"${ashlar:schema}\".posts (id int);\n"
                + "COMMENT ON TABLE posts IS '${ashlar:schema}';", "DROP TABLE posts;");

        migrator(Map.of()).forSchema("Org-A").migrate();

        assertThat(db.value("SELECT obj_description('\"Org-A\".posts'::regclass)")).isEqualTo("Org-A");
        db.execute("DROP SCHEMA \"Org-A\" CASCADE");
    }

    @Test
    void valuesGoInAsWrittenInStringsCommentsAndDollarQuotedBodiesAndAnUnclosedDollarBraceStaysText()
            throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (body text);\n"
                + "INSERT INTO notes VALUES ('${text}'), ('${ unclosed');\n"
                + "-- ${ashlar:filename} is read here too\n"
                + "CREATE FUNCTION note() RETURNS text LANGUAGE sql AS $body$ SELECT '${text}' $body$;",
                "DROP FUNCTION note(); DROP TABLE notes;");

        migrator(Map.of("text", "it''s ünï; $$ ${ashlar:user}")).migrate();

        assertThat(db.value("SELECT string_agg(body, '|' ORDER BY body) FROM notes"))
                .isEqualTo("${ unclosed|it's ünï; $$ ${ashlar:user}");
        assertThat(db.value("SELECT note()")).isEqualTo("it's ünï; $$ ${ashlar:user}");
    }

    @Test
    void aNestedOrUnnamedPlaceholderIsRefusedAsNoPlaceholderNameInsteadOfAskingForItsValue() throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (body text);\n"
                + "CREATE TABLE ${a${b}} (id int);", "DROP TABLE notes;");

        assertThatThrownBy(() -> migrator(Map.of("a", "x", "b", "y")).migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line 3 of migration")
                .hasMessageContaining("holds ${a${b}, and 'a${b' is no placeholder name")
                .hasMessageNotContaining("--placeholder a${b=");
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (body text DEFAULT '${}');", "DROP TABLE notes;");
        assertThatThrownBy(() -> migrator(Map.of()).migrate()).hasMessageContaining("'' is no placeholder name");
        file("20260101000000_create_notes.sql", "CREATE TABLE ${ashlar:tenant}.notes (body text);",
                "DROP TABLE notes;");
        assertThatThrownBy(() -> migrator(Map.of()).migrate()).hasMessageContaining("'ashlar:tenant' is no placeholder "
                + "name: Ashlar's own are ashlar:schema, ashlar:user, ashlar:database, ashlar:timestamp, ashlar:filename, "
                + "ashlar:table.");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFlywayBuiltInPlaceholderIsNamedWithAshlarsOwnOrAPlaceholderToDefineAndNothingRuns() throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE ${flyway:defaultSchema}.notes (body text);",
                "DROP TABLE notes;");
        assertThatThrownBy(() -> migrator(Map.of()).migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line 2 of migration").hasMessageContaining("holds ${flyway:defaultSchema}, "
                        + "Flyway's built-in placeholder: write ${ashlar:schema}, Ashlar's own for it.");

        file("20260101000000_create_notes.sql", "CREATE TABLE notes (body text DEFAULT '${flyway:environment}');",
                "DROP TABLE notes;");
        assertThatThrownBy(() -> migrator(Map.of()).migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("holds ${flyway:environment}, Flyway's built-in placeholder, which Ashlar has no "
                        + "counterpart of (its own are ashlar:schema, ashlar:user, ashlar:database, ashlar:timestamp, "
                        + "ashlar:filename, ashlar:table): write a placeholder of your own, ${environment}, and give it "
                        + "a value (--placeholder environment=VALUE).");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aPlaceholderInACommentNeedsAValueAsOneInAStatementDoes() throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (body text);\n-- owned by ${owner}",
                "DROP TABLE notes;");

        assertThatThrownBy(() -> migrator(Map.of()).migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line 3 of migration")
                .hasMessageContaining("uses the placeholder ${owner}, which has no value");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aChangedValueLeavesAnAppliedFileUnchangedAndTheRollbackRunsTheDownSectionWithTheValue() throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE ${prefix}_posts (id int);", "DROP TABLE ${prefix}_posts;");
        migrator(Map.of("prefix", "blog")).migrate();

        assertThat(migrator(Map.of("prefix", "shop")).validate()).extracting(MigrationStatus::state)
                .containsExactly(MigrationStatus.State.APPLIED);
        migrator(Map.of("prefix", "blog")).rollback(1);

        assertThat(db.value("SELECT to_regclass('public.blog_posts') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
    }

    @Test
    void aPlaceholderWithoutAValueIsRefusedNamingTheFileTheLineAndTheDefinedOnesBeforeAnyFileRuns()
            throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
        file("20260102000000_grant.sql", "CREATE TABLE tags (id int);\n\nGRANT SELECT ON tags TO ${reader};",
                "DROP TABLE tags;");

        assertThatThrownBy(() -> migrator(Map.of("owner", "app")).migrate())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.file()).contains("20260102000000_grant.sql"))
                .hasMessageContaining("Line 4 of migration " + folder.resolve("20260102000000_grant.sql")
                        + " uses the placeholder ${reader}, which has no value (defined: owner, ashlar:schema, "
                        + "ashlar:user, ashlar:database, ashlar:timestamp, ashlar:filename, ashlar:table)")
                .hasMessageContaining("--placeholder reader=value")
                .hasMessageContaining("--no-placeholders")
                .hasMessageContaining("Nothing was run.");
        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL AND to_regclass('public.tags') IS NULL"))
                .isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
    }

    @Test
    void theDryRunAndValidateRefuseAMissingValueAndTheDryRunShowsTheReplacedStatements() throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE ${prefix}_posts (id int);", "DROP TABLE ${prefix}_posts;");

        assertThatThrownBy(() -> migrator(Map.of()).dryRun()).hasMessageContaining("${prefix}, which has no value");
        assertThatThrownBy(() -> migrator(Map.of()).validate()).hasMessageContaining("${prefix}, which has no value");

        assertThat(migrator(Map.of("prefix", "blog")).dryRun().get(0).statements())
                .extracting(DryRun.Statement::sql).containsExactly("CREATE TABLE blog_posts (id int);");
        assertThat(db.value("SELECT to_regclass('public.blog_posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFailingStatementIsReportedAtItsLineOfTheFileAfterReplacement() throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE ${prefix}_posts (id int);\n\n"
                + "INSERT INTO ${prefix}_posts VALUES ('${prefix}');", "DROP TABLE ${prefix}_posts;");

        assertThatThrownBy(() -> migrator(Map.of("prefix", "blog")).migrate())
                .hasMessageContaining("line 4")
                .hasMessageContaining("INSERT INTO blog_posts VALUES ('blog')");
        assertThat(db.value("SELECT to_regclass('public.blog_posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void withReplacementOffAFileRunsItsDollarBraceTextAsWrittenAndStaysAppliedWhenReplacementIsOnAgain()
            throws IOException {
        file("20260101000000_templates.sql", "CREATE TABLE templates (body text);\n"
                + "INSERT INTO templates VALUES ('Hello ${name}');", "DROP TABLE templates;");
        new Migrator(db.dataSource(), folder).placeholders(Placeholders.NONE.enabled(false)).migrate();
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");

        migrator(Map.of()).migrate();

        assertThat(db.value("SELECT body FROM templates")).isEqualTo("Hello ${name}");
        assertThat(migrator(Map.of()).status()).extracting(MigrationStatus::state)
                .containsExactly(MigrationStatus.State.APPLIED, MigrationStatus.State.APPLIED);
    }

    @Test
    void refusesAValueWithALineBreakAndANameTakingTheBuiltInsPrefix() {
        assertThatThrownBy(() -> Placeholders.of(Map.of("owner", "a\nb"))).isInstanceOf(AshlarException.class)
                .hasMessageContaining("The placeholder owner has a value with a line break");
        assertThatThrownBy(() -> Placeholders.of(Map.of("ashlar:schema", "x"))).isInstanceOf(AshlarException.class)
                .hasMessageContaining("Names starting with ashlar: are Ashlar's own");
    }
}
