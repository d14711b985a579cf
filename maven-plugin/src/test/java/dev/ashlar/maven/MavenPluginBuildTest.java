package dev.ashlar.maven;

import dev.ashlar.maven.SampleBuild.Run;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin in a user's build: a sample application outside the reactor that takes Ashlar only
 * through the BOM and the plugin, built by Maven offline against the artifacts just built.
 */
@ExtendWith(PostgresExtension.class)
class MavenPluginBuildTest {
    @TempDir
    Path folder;
    TestDatabase db;
    SampleBuild sample;

    @BeforeEach
    void sample(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        sample = SampleBuild.copy("blog-app", folder, db.urlWithCredentials());
    }

    private Path ashlarFolder() {
        return sample.project().resolve("src/main/resources/db/ashlar");
    }

    private List<String> migrations() throws IOException {
        try (Stream<Path> files = Files.list(ashlarFolder().resolve("migrations"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private boolean postsExist() {
        return (Boolean) db.value("SELECT to_regclass('public.posts') IS NOT NULL");
    }

    private static void assertSucceeded(Run run) {
        assertThat(run.code()).as(run.output()).isZero();
    }

    @Test
    void codegenCheckMigrateStatusDriftRollbackAndTheApplicationMigratingFromItsJar() throws IOException {
        long start = System.nanoTime();
        Run codegen = sample.maven("compile", "ashlar:codegen", "-Dashlar.name=create_blog");
        assertSucceeded(codegen);
        assertThat(migrations()).singleElement().asString().endsWith("_create_blog.sql");
        assertThat(ashlarFolder().resolve("resource_snapshots")).isNotEmptyDirectory();
        assertThat(codegen.output()).contains("wrote src/main/resources/db/ashlar/migrations/");

        Run verify = sample.maven("verify");
        assertSucceeded(verify);
        assertThat(verify.output()).contains("Migrations are up to date.");
        assertThat(sample.project().resolve("target/blog-app-1.0.jar")).exists();

        assertThat(sample.maven("ashlar:status").output()).contains("pending").contains("_create_blog");
        assertSucceeded(sample.maven("ashlar:migrate"));
        assertThat(postsExist()).isTrue();
        assertThat(sample.maven("ashlar:status").output()).contains("applied").contains("Everything is applied.");
        Path applied = ashlarFolder().resolve("migrations").resolve(migrations().get(0));
        String text = Files.readString(applied);
        Files.writeString(applied, text + "-- edited after it was applied\n");
        Run changed = sample.maven("ashlar:status");
        assertThat(changed.code()).as("an applied file that changed fails the build").isNotZero();
        assertThat(changed.output()).contains("BUILD FAILURE").contains("1 applied file(s) changed")
                .contains("ashlar:repair").doesNotContain("Everything is applied.");
        Run checksum = sample.maven("ashlar:checksum", "-Dashlar.file=" + applied.getFileName());
        assertThat(checksum.code()).as("the checksum of an applied file that changed fails the build").isNotZero();
        assertThat(checksum.output()).contains("BUILD FAILURE").contains("the file changed since it was applied");
        Files.writeString(applied, text);
        assertThat(sample.maven("ashlar:locks").output()).contains("No migration lock is held.")
                .contains("BUILD SUCCESS");
        assertThat(sample.maven("ashlar:drift").output()).contains("No drift: public matches the snapshots.");
        db.execute("ALTER TABLE posts ADD COLUMN edited_by_hand text");
        Run drift = sample.maven("ashlar:drift");
        assertThat(drift.code()).isNotZero();
        assertThat(drift.output()).contains("BUILD FAILURE").contains("edited_by_hand").contains("ashlar:codegen");
        db.execute("ALTER TABLE posts DROP COLUMN edited_by_hand");
        assertSucceeded(sample.maven("ashlar:rollback"));
        assertThat(postsExist()).isFalse();

        Run app = sample.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                "target/blog-app-1.0.jar", "Hello from the jar"));
        assertSucceeded(app);
        assertThat(app.output()).contains("read post 1: Hello from the jar");
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("Hello from the jar");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
        System.out.printf("sample: codegen, verify, migrate, status, rollback and the application's run took %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void checkFailsTheBuildWhenTheResourcesChangedWithoutAMigrationAndWhileDevMigrationsRemain() throws IOException {
        Path domain = sample.project().resolve("src/main/java/com/example/blog/BlogDomain.java");
        // A 32-bit key: the generated file then has a lint finding, which -Dashlar.strict refuses below.
        Files.writeString(domain, Files.readString(domain).replace(".primaryKey(\"id\")", ".integerPrimaryKey(\"id\")"));
        assertSucceeded(sample.maven("compile", "ashlar:codegen", "-Dashlar.name=create_blog"));
        Files.writeString(domain, Files.readString(domain).replace(".timestamps()",
                ".attribute(\"body\", TEXT)\n                .timestamps()"));

        Run stale = sample.maven("verify");

        assertThat(stale.code()).isNotZero();
        assertThat(stale.output()).contains("BUILD FAILURE").contains("disagree: migrations are pending")
                .contains("body").contains("ashlar:codegen -Dashlar.name=NAME");

        assertSucceeded(sample.maven("compile", "ashlar:codegen", "-Dashlar.dev"));
        Run dev = sample.maven("verify");

        assertThat(dev.code()).isNotZero();
        assertThat(dev.output()).contains("1 development migration(s)").doesNotContain("disagree");

        assertSucceeded(sample.maven("compile", "ashlar:codegen", "-Dashlar.name=add_body"));
        assertSucceeded(sample.maven("verify"));
        assertThat(migrations()).hasSize(2).last().asString().endsWith("_add_body.sql");

        Run strict = sample.maven("verify", "-Dashlar.strict");
        assertThat(strict.code()).isNotZero();
        assertThat(strict.output()).contains("warning[prefer-bigint-over-int]")
                .contains("1 migration lint finding(s) are not allowed");
        Files.writeString(ashlarFolder().resolve("ashlar.properties"), "lint.allow = prefer-bigint-over-int\n");
        assertSucceeded(sample.maven("verify", "-Dashlar.strict"));
    }

    @Test
    void migrateBaselinesAndStepsValidateFailsNamingAChangedFileAndSkipSkipsEveryGoal() throws IOException {
        Path migrations = Files.createDirectories(ashlarFolder().resolve("migrations"));
        Path posts = migrations.resolve("20260101000000_create_posts.sql");
        Files.writeString(posts, "-- migrate:up\nCREATE TABLE posts (id bigint PRIMARY KEY, title text);\n"
                + "-- migrate:down\nDROP TABLE posts;\n");
        Files.writeString(migrations.resolve("20260102000000_add_body.sql"), "-- migrate:up\nALTER TABLE posts ADD "
                + "COLUMN body text;\n-- migrate:down\nALTER TABLE posts DROP COLUMN body;\n");
        Files.writeString(migrations.resolve("20260103000000_add_slug.sql"), "-- migrate:up\nALTER TABLE posts ADD "
                + "COLUMN slug text;\n-- migrate:down\nALTER TABLE posts DROP COLUMN slug;\n");
        db.execute("CREATE TABLE posts (id bigint PRIMARY KEY, title text); INSERT INTO posts VALUES (1, 'by hand')");

        Run baseline = sample.maven("ashlar:migrate", "-Dashlar.baselineOnMigrate=true", "-Dashlar.steps=1");
        assertSucceeded(baseline);
        assertThat(baseline.output()).contains("baselined 20260101000000_create_posts.sql").contains("Applied 1 "
                + "migration(s).").contains("1 migration(s) stay pending: ashlar:status lists them.");
        assertThat(db.query("SELECT version, baselined FROM ashlar_schema_migrations ORDER BY version"))
                .extracting(row -> row.get("version") + " " + row.get("baselined"))
                .containsExactly("20260101000000 true", "20260102000000 false");
        assertThat(db.value("SELECT title FROM posts WHERE body IS NULL")).isEqualTo("by hand");

        Run valid = sample.maven("ashlar:validate");
        assertSucceeded(valid);
        assertThat(valid.output()).contains("The migration history agrees with the files: 2 applied, 1 pending");
        Files.writeString(posts, Files.readString(posts) + "-- edited after it was applied\n");
        Run changed = sample.maven("ashlar:validate");
        assertThat(changed.code()).isNotZero();
        assertThat(changed.output()).contains("BUILD FAILURE").contains("20260101000000_create_posts.sql was changed")
                .contains("run ashlar:repair");

        Run skipped = sample.maven("ashlar:validate", "ashlar:migrate", "-Dashlar.skip=true");
        assertSucceeded(skipped);
        assertThat(skipped.output()).contains("Skipping ashlar:validate (ashlar.skip is true)")
                .contains("Skipping ashlar:migrate (ashlar.skip is true)");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'slug'")).isEqualTo(0L);

        Run both = sample.maven("ashlar:migrate", "-Dashlar.steps=1", "-Dashlar.to=20260103000000");
        assertThat(both.code()).isNotZero();
        assertThat(both.output()).contains("Give either ashlar.steps (1) or ashlar.to (20260103000000), not both");
    }

    @Test
    void configFilesAndADashDPlaceholderReachTheMigrationAndAMissingFolderMaySkipTheGoal() throws IOException {
        Files.writeString(Files.createDirectories(ashlarFolder().resolve("migrations")).resolve("20260101000000_mark.sql"),
                "-- migrate:up\nCREATE TABLE marks (value text);\nINSERT INTO marks VALUES ('${mark}');\n"
                        + "-- migrate:down\nDROP TABLE marks;\n");

        Files.writeString(sample.project().resolve("first.properties"), "ashlar.placeholders.mark=first file\n");
        Files.writeString(sample.project().resolve("second.properties"), "ashlar.placeholders.mark=second file\n");

        assertSucceeded(sample.maven("ashlar:migrate", "-Dashlar.configFiles=first.properties,second.properties"));
        assertThat(db.value("SELECT value FROM marks")).isEqualTo("second file");
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Run migrated = sample.maven("ashlar:migrate", "-Dashlar.configFiles=first.properties",
                "-Dashlar.placeholders.mark=from the command line");
        assertSucceeded(migrated);
        assertThat(db.value("SELECT value FROM marks")).isEqualTo("from the command line");

        Run skipped = sample.maven("ashlar:status", "-Dashlar.folder=no/such/folder", "-Dashlar.failOnMissingFolder=false");
        assertSucceeded(skipped);
        assertThat(skipped.output()).contains("Skipping ashlar:status: the Ashlar project folder")
                .contains("(ashlar.failOnMissingFolder is false)");
    }

    @Test
    void migrateStatusAndRollbackApplyTheJavaMigrationTheProjectListsInMetaInfServices() throws IOException {
        Path migrations = Files.createDirectories(ashlarFolder().resolve("migrations"));
        Files.writeString(migrations.resolve("20260101000000_create_posts.sql"), "-- migrate:up\nCREATE TABLE posts "
                + "(id bigint PRIMARY KEY, title text);\nINSERT INTO posts VALUES (1, NULL), (2, 'kept');\n"
                + "-- migrate:down\nDROP TABLE posts;\n");
        Path java = sample.project().resolve("src/main/java/com/example/blog/V20260102000000__backfill_titles.java");
        Files.writeString(java, """
                package com.example.blog;

                import dev.ashlar.kernel.migrate.BaseJavaMigration;
                import java.sql.Connection;
                import java.sql.SQLException;
                import java.sql.Statement;

                public class V20260102000000__backfill_titles extends BaseJavaMigration {
                    @Override
                    public void up(Connection connection) throws SQLException {
                        try (Statement update = connection.createStatement()) {
                            update.executeUpdate("UPDATE posts SET title = 'untitled' WHERE title IS NULL");
                        }
                    }

                    @Override
                    public void down(Connection connection) throws SQLException {
                        try (Statement update = connection.createStatement()) {
                            update.executeUpdate("UPDATE posts SET title = NULL WHERE title = 'untitled'");
                        }
                    }
                }
                """);
        Path services = sample.project().resolve("src/main/resources/META-INF/services/"
                + "dev.ashlar.kernel.migrate.JavaMigration");
        Files.writeString(services, "com.example.blog.V20260102000000__backfill_titles\n");

        Run pending = sample.maven("compile", "ashlar:status");
        assertThat(pending.output()).contains("pending").contains("20260102000000_backfill_titles");
        assertSucceeded(sample.maven("ashlar:migrate"));
        assertThat(db.value("SELECT string_agg(id || '=' || title, ',' ORDER BY id) FROM posts"))
                .isEqualTo("1=untitled,2=kept");
        assertThat(db.value("SELECT name || ' ' || checksum_algorithm FROM ashlar_schema_migrations "
                + "WHERE version = '20260102000000'")).isEqualTo("backfill_titles java");
        assertThat(sample.maven("ashlar:status").output()).contains("Everything is applied.");

        assertSucceeded(sample.maven("ashlar:rollback"));
        assertThat(db.value("SELECT count(*) FROM posts WHERE title IS NULL")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);

        Files.writeString(services, "com.example.blog.V20260103000000__not_compiled\n");
        Run missing = sample.maven("compile", "ashlar:migrate");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.output()).contains("BUILD FAILURE").contains("com.example.blog.V20260103000000__not_compiled")
                .contains("public no-argument constructor");
    }

    @Test
    void codegenWithoutANameFailsSayingHowToGiveOne() {
        Run run = sample.maven("compile", "ashlar:codegen");

        assertThat(run.code()).isNotZero();
        assertThat(run.output()).contains("ashlar:codegen needs a name").contains("-Dashlar.name=");
    }

    @Test
    void aDomainThatCannotBeFoundOrADatabaseOfAnotherKindFailsTheGoalNamingItsParameter() {
        Run uncompiled = sample.maven("ashlar:check");
        assertThat(uncompiled.code()).isNotZero();
        assertThat(uncompiled.output()).contains("No domain found").contains("the plugin's <domain> (or -Dashlar.domain)")
                .contains("compile it first").doesNotContain("--classpath");

        assertSucceeded(sample.maven("compile"));
        Run noClass = sample.maven("ashlar:check", "-Dashlar.domain=com.example.blog.NoSuchDomain");
        assertThat(noClass.code()).isNotZero();
        assertThat(noClass.output()).contains("Cannot create domain provider com.example.blog.NoSuchDomain")
                .contains("-Dashlar.domain");

        // The database goals look for the project's migrations first: a folder that is not there fails before the URL.
        assertSucceeded(sample.maven("ashlar:codegen", "-Dashlar.name=create_blog"));
        Run otherDatabase = sample.maven("ashlar:status", "-Dashlar.url=jdbc:mysql://localhost/blog");
        assertThat(otherDatabase.code()).isNotZero();
        assertThat(otherDatabase.output()).contains("Unsupported database URL").contains("-Dashlar.url");

        Run unreachable = sample.maven("ashlar:migrate", "-Dashlar.url=jdbc:postgresql://127.0.0.1:1/blog");
        assertThat(unreachable.code()).isNotZero();
        assertThat(unreachable.output()).contains("Connection to 127.0.0.1:1 refused")
                .contains("check the database the plugin connects to: its <url> (or -Dashlar.url)");
    }

    @Test
    void aBuildConnectsWithTheUserOfTheServerItsSettingsName() throws IOException {
        String owner = "ashlar_settings_owner";
        try (TestDatabase.Role role = db.loginRole(owner)) {
            assertSucceeded(sample.maven("compile", "ashlar:codegen", "-Dashlar.name=create_blog"));
            Path settings = folder.resolve("settings.xml");
            String server = "<settings><servers><server><id>ci-db</id><username>" + owner + "</username><password>%s"
                    + "</password></server></servers></settings>";
            // An encrypted password without the master password to decrypt it (no settings-security.xml).
            Files.writeString(settings, server.formatted("{bm90IGVuY3J5cHRlZA==}"));
            Run undecryptable = sample.maven("-s", settings.toString(), "-Dsettings.security=" + folder.resolve("none.xml"),
                    "ashlar:migrate", "-Dashlar.serverId=ci-db");
            assertThat(undecryptable.code()).isNotZero();
            assertThat(undecryptable.output()).contains("The password of <server> ci-db in Maven's settings.xml cannot "
                    + "be decrypted").contains("mvn --encrypt-password");
            assertThat(postsExist()).isFalse();

            Files.writeString(settings, server.formatted("unused"));
            assertSucceeded(sample.maven("-s", settings.toString(), "ashlar:migrate", "-Dashlar.serverId=ci-db"));

            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'posts'")).isEqualTo(role.name());
        }
    }
}
