package dev.ashlar.cli;

import dev.ashlar.cli.demo.DemoDomain;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.DomainProvider;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class CliTest {
    @TempDir
    Path project;
    TestDatabase db;
    String out;
    String err;

    /** The demo's first domain, as an application would hand it to the command. */
    public static final class FirstBlog implements DomainProvider {
        @Override
        public Domain domain() {
            return DemoDomain.first();
        }
    }

    public static final class SecondBlog implements DomainProvider {
        @Override
        public Domain domain() {
            return DemoDomain.second();
        }
    }

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private int ashlar(String... args) {
        CliRun run = CliRun.of(project, db, args);
        out = run.out();
        err = run.err();
        return run.code();
    }

    private List<Path> migrations() throws IOException {
        try (Stream<Path> files = Files.list(project.resolve("migrations"))) {
            return files.sorted().toList();
        }
    }

    @Test
    void codegenWritesAMigrationThatMigrateAppliesAndStatusReports() throws IOException {
        assertThat(ashlar("codegen", "create_blog", "--domain", FirstBlog.class.getName(), "--no-input")).isZero();
        assertThat(out).contains("create table public.users").contains("wrote migrations/")
                .contains("Review the files, then run 'ashlar migrate'.").doesNotContain("--tenants");
        assertThat(migrations()).singleElement().satisfies(f -> assertThat(f.toString()).endsWith("_create_blog.sql"));

        assertThat(ashlar("migrate")).isZero();
        assertThat(out).contains("Applied 1 migration(s)");
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('users', 'posts', 'comments')"))
                .isEqualTo(3L);

        assertThat(ashlar("status")).isZero();
        assertThat(out).contains("applied   ").contains("Everything is applied.");
    }

    @Test
    void codegenNamesTheMigrateCommandThatAppliesTheTenantMigrationsItWrote() throws IOException {
        assertThat(ashlar("codegen", "create_workspace", "--domain", MigrationDomains.Workspace.class.getName(),
                "--no-input")).isZero();
        assertThat(out).contains("wrote migrations/").contains("wrote tenant_migrations/")
                .contains("Review the files, then run 'ashlar migrate', then 'ashlar migrate --tenants' (with the "
                        + "domain's --classpath), which applies tenant_migrations/ to every tenant schema.");

        assertThat(ashlar("codegen", "add_pinned", "--domain", MigrationDomains.PinnedWorkspace.class.getName(),
                "--no-input")).isZero();
        assertThat(out).contains("wrote tenant_migrations/").doesNotContain("wrote migrations/")
                .contains("Review the files, then run 'ashlar migrate --tenants' (with the domain's --classpath), "
                        + "which applies tenant_migrations/ to every tenant schema.");
        assertThat(migrations()).hasSize(1);
    }

    @Test
    void statusExitsWithACodeForPendingMissingAndChangedFilesTheWorstWinning() throws IOException {
        Path folder = Files.createDirectories(project.resolve("migrations"));
        Path first = folder.resolve("20260101000000_create_notes.sql");
        Files.writeString(first, "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
        Path second = folder.resolve("20260102000000_create_tags.sql");
        Files.writeString(second, "-- migrate:up\nCREATE TABLE tags (id int);\n-- migrate:down\nDROP TABLE tags;\n");
        assertThat(ashlar("status")).isEqualTo(3);
        assertThat(ashlar("migrate")).isZero();
        assertThat(ashlar("status")).isZero();

        Files.writeString(folder.resolve("20260103000000_create_more.sql"), "-- migrate:up\nCREATE TABLE more (id int);\n");
        assertThat(ashlar("status")).isEqualTo(3);
        Files.delete(first);
        assertThat(ashlar("status")).isEqualTo(4);
        assertThat(out).contains("missing   20260101000000_create_notes");
        Files.writeString(second, "-- migrate:up\nCREATE TABLE tags (id bigint);\n");
        assertThat(ashlar("status")).isEqualTo(5);
        assertThat(out).contains("changed   20260102000000_create_tags");
    }

    @Test
    void statusWithAMissingOrChangedFileSaysWhatToDoAndNeverThatEverythingIsApplied() throws IOException {
        Path folder = Files.createDirectories(project.resolve("migrations"));
        Path first = folder.resolve("20260101000000_create_notes.sql");
        Files.writeString(first, "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
        Path second = folder.resolve("20260102000000_create_tags.sql");
        Files.writeString(second, "-- migrate:up\nCREATE TABLE tags (id int);\n-- migrate:down\nDROP TABLE tags;\n");
        assertThat(ashlar("migrate")).isZero();

        Files.delete(first);
        assertThat(ashlar("status")).isEqualTo(4);
        assertThat(out).contains("1 applied file(s) missing from migrations/").contains("'ashlar repair'")
                .doesNotContain("Everything is applied");

        Files.writeString(second, "-- migrate:up\nCREATE TABLE tags (id bigint);\n");
        assertThat(ashlar("status")).isEqualTo(5);
        assertThat(out).contains("1 applied file(s) changed since they were applied")
                .doesNotContain("Everything is applied");
    }

    @Test
    void migrateInAFolderWithoutMigrationsFailsNamingTheFolderInsteadOfReportingTheDatabaseUpToDate()
            throws IOException {
        Files.createDirectories(project.resolve("src"));

        assertThat(ashlar("migrate")).isEqualTo(1);
        assertThat(err).contains("No migrations/ folder in " + project.toAbsolutePath().normalize())
                .contains("--dir").contains("ashlar codegen NAME");
        assertThat(out).doesNotContain("up to date");

        assertThat(ashlar("migrate", "--dry-run")).isEqualTo(1);
        assertThat(err).contains("No migrations/ folder in");

        Files.createDirectories(project.resolve("migrations"));
        assertThat(ashlar("migrate")).isZero();
        assertThat(out).contains("Nothing to migrate");
    }

    @Test
    void statusInAFolderWithoutMigrationsSaysSoWithoutClaimingEverythingIsApplied() {
        assertThat(ashlar("status")).isZero();

        assertThat(out).contains("No migrations yet").contains("--dir").doesNotContain("Everything is applied");
    }

    @Test
    void migrateTenantsWithoutATenantListSaysWhetherTheDomainOrItsTenantResourceIsMissing() throws IOException {
        Files.createDirectories(project.resolve("tenant_migrations"));

        assertThat(ashlar("migrate", "--tenants")).isEqualTo(1);
        assertThat(err).contains("No tenant list: no domain was found").contains("--domain").contains("--classpath")
                .contains("--tenant");

        assertThat(ashlar("migrate", "--tenants", "--domain", FirstBlog.class.getName())).isEqualTo(1);
        assertThat(err).contains("No tenant list: no resource of the domain lists the tenants")
                .contains("ManageTenant.template").contains("--tenant").doesNotContain("no domain was found");
    }

    @Test
    void migrateDryRunListsEachPendingStatementWithItsLockAndAppliesNothing() throws IOException {
        db.execute("CREATE TABLE posts (id int PRIMARY KEY, author_id int); CREATE TABLE users (id int PRIMARY KEY)");
        Path folder = Files.createDirectories(project.resolve("migrations"));
        Files.writeString(folder.resolve("20260101000000_safe.sql"), "-- migrate:up\n-- destructive: drops column x\n"
                + "ALTER TABLE posts ADD CONSTRAINT posts_author FOREIGN KEY (author_id) REFERENCES users NOT VALID;\n"
                + "ALTER TABLE posts VALIDATE CONSTRAINT posts_author;\n-- migrate:down\nSELECT 1;\n");
        Files.writeString(folder.resolve("20260102000000_index.sql"), "-- migrate:up transaction:false\n"
                + "CREATE INDEX CONCURRENTLY posts_author_idx ON posts (author_id);\n-- migrate:down\nSELECT 1;\n");

        assertThat(ashlar("migrate", "--dry-run")).isZero();

        assertThat(out).contains("2 file(s) would run:").contains("20260101000000_safe.sql\n  warning: destructive: drops column x")
                .contains("REFERENCES users NOT VALID;\n    lock: SHARE ROW EXCLUSIVE, briefly (writes wait)")
                .contains("VALIDATE CONSTRAINT posts_author;\n    lock: SHARE UPDATE EXCLUSIVE (reads and writes go on)")
                .contains("20260102000000_index.sql (outside a transaction)")
                .contains("CONCURRENTLY posts_author_idx ON posts (author_id);\n    lock: SHARE UPDATE EXCLUSIVE");
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conname = 'posts_author'")).isEqualTo(0L);
        assertThat(db.value("SELECT to_regclass('posts_author_idx') IS NULL")).isEqualTo(true);
        assertThat(ashlar("status")).isEqualTo(3);
    }

    @Test
    void checkExitsOneListingPendingChangesAndZeroWhenUpToDate() {
        ashlar("codegen", "create_blog", "--domain", FirstBlog.class.getName(), "--no-input");

        assertThat(ashlar("codegen", "--check", "--domain", SecondBlog.class.getName())).isEqualTo(1);
        assertThat(out).contains("add column public.posts.published_at")
                .contains("A migration is missing for the changes above: run 'ashlar codegen NAME' to write it.");
        assertThat(ashlar("codegen", "--check", "--domain", FirstBlog.class.getName())).isZero();
        assertThat(out).contains("Migrations are up to date.");
    }

    private void migrateTheFirstBlogThenADevelopmentMigrationOfTheSecond() {
        ashlar("codegen", "create_blog", "--domain", FirstBlog.class.getName(), "--no-input");
        ashlar("migrate");
        assertThat(ashlar("codegen", "--dev", "--domain", SecondBlog.class.getName(), "--no-input")).isZero();
        ashlar("migrate");
    }

    @Test
    void developmentMigrationsAreRolledBackAndSquashedByANamedGeneration() throws IOException {
        migrateTheFirstBlogThenADevelopmentMigrationOfTheSecond();
        // The new objects on existing tables come in several files: NOT VALID adds, concurrent builds, validation.
        int dev = migrations().size() - 1;
        assertThat(migrations().get(1).toString()).endsWith("_dev.sql");

        assertThat(ashlar("codegen", "add_publishing", "--domain", SecondBlog.class.getName(), "--no-input")).isZero();

        assertThat(out).contains("rolled back").contains("Squashing " + dev + " development migration(s) into "
                + "'add_publishing'");
        assertThat(migrations()).hasSize(dev + 1).noneMatch(f -> f.toString().contains("_dev"));
        assertThat(migrations().get(1).toString()).endsWith("_add_publishing.sql");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE column_name = 'published_at'")).isEqualTo(0L);
        assertThat(ashlar("migrate")).isZero();
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE column_name = 'published_at'")).isEqualTo(1L);
    }

    @Test
    void squashingWithoutADatabaseSaysWhyItNeedsOneAndLeavesTheDevelopmentMigrationsApplied() throws IOException {
        migrateTheFirstBlogThenADevelopmentMigrationOfTheSecond();
        List<Path> before = migrations();
        String firstDevVersion = before.get(1).getFileName().toString().split("_")[0];

        CliRun run = CliRun.of("codegen", "add_publishing", "--domain", SecondBlog.class.getName(), "--no-input",
                "--dir", project.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("Squashing into 'add_publishing' the " + (before.size() - 1)
                + " development migration(s) [", firstDevVersion, "rolls them back in the database", "pass --url");
        assertThat(migrations()).isEqualTo(before);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE column_name = 'published_at'")).isEqualTo(1L);
    }

    @Test
    void rollbackUndoesTheLastMigration() {
        ashlar("codegen", "create_blog", "--domain", FirstBlog.class.getName(), "--no-input");
        ashlar("migrate");

        assertThat(ashlar("rollback", "--steps", "1")).isZero();

        assertThat(out).contains("Rolled back 1 migration(s).");
        assertThat(db.value("SELECT to_regclass('public.users') IS NULL")).isEqualTo(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-2147483648", "-1", "0"})
    void rollbackRefusesAStepCountBelowOneAsBadUsageAndUndoesNothing(String steps) {
        ashlar("codegen", "create_blog", "--domain", FirstBlog.class.getName(), "--no-input");
        ashlar("migrate");

        assertThat(ashlar("rollback", "--steps", steps)).isEqualTo(2);

        assertThat(err).contains("Invalid value for option '--steps': Cannot roll back " + steps + " steps")
                .contains("must be at least 1").contains("Run 'ashlar rollback --help' for its options.");
        assertThat(db.value("SELECT to_regclass('public.users') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void badUsageExitsTwoAndSaysWhatIsMissing() {
        assertThat(ashlar("codegen", "--domain", FirstBlog.class.getName())).isEqualTo(2);
        assertThat(err).contains("codegen needs a NAME for the migration (or --dev, --check or --snapshots-only)");
    }

    @Test
    void aFailurePrintsOneClearLineInsteadOfAStackTrace() {
        assertThat(ashlar("codegen", "x", "--domain", "com.example.Missing")).isEqualTo(1);

        assertThat(err).startsWith("error: Cannot create domain provider com.example.Missing: no such class among "
                + "the application's classes").contains("--classpath").doesNotContain("\tat ")
                .doesNotContain("ClassNotFoundException");
    }

    @Test
    void aDomainClassThatIsNoDomainProviderIsRefusedSayingHowToNameOne() {
        assertThat(ashlar("codegen", "x", "--domain", String.class.getName())).isEqualTo(1);

        assertThat(err).startsWith("error: java.lang.String does not implement dev.ashlar.api.resource.DomainProvider: ")
                .contains("--domain").doesNotContain("\tat ");
    }

    @Test
    void theDemoRunsTheWholeJourneyOnAnEmbeddedPostgres() {
        assertThat(ashlar("demo")).isZero();

        assertThat(out).contains("CREATE TABLE \"public\".\"users\"")
                .contains("applied ").contains("add column public.posts.published_at")
                .contains("== 5. ashlar migrate, then ashlar status\n  applied 2")
                .contains("Migrations are up to date.\nNo lint findings in 6 migration file(s).")
                .doesNotContain("-- lint:").doesNotContain("warning[")
                .contains("add index posts_tags_index on public.posts")
                .contains("CREATE INDEX CONCURRENTLY \"posts_published_at_index\" ON \"public\".\"posts\" "
                        + "(\"published_at\") WHERE published_at IS NOT NULL;")
                .contains("add statement update_updated_at on public.users")
                .contains("ON DELETE CASCADE").contains("ON DELETE SET NULL")
                .contains("read posts tagged java, as Java records: [PostSummary[id=1, title=Hello, tags=[intro, java]]]")
                .contains("upserted on the email identity: Ada Lovelace")
                .contains("-> Invalid user (create): email has already been taken")
                .contains("-> Invalid comment (create): rating must be between 1 and 5")
                .contains("-> Invalid comment (create): post does not exist")
                .contains("-> Invalid post (create): title is required")
                .contains("would leave post records behind")
                .contains("without an author (nilify): author_id = null")
                .contains("0 comments left")
                .contains("the string API, for names decided at run time: created Carol, found 1")
                .contains("notes as org_acme sees them: [Acme's plan]")
                .contains("a read without a tenant -> Resource 'note' is multitenant")
                .contains("Tenants: 3 migrated, 0 up to date, 0 failed");
    }

    @Test
    void migratesNamedTenantSchemasReportingTheOneThatFailsAndExitingOne() throws IOException {
        db.execute("DROP SCHEMA IF EXISTS tenant_a CASCADE; DROP SCHEMA IF EXISTS tenant_b CASCADE; "
                + "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE TABLE tenant_b.notes (conflict int)");
        Files.createDirectories(project.resolve("tenant_migrations"));
        Files.writeString(project.resolve("tenant_migrations/20260101000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");

        assertThat(ashlar("migrate", "--tenant", "tenant_a", "--tenant", "tenant_b", "--jobs", "2")).isEqualTo(1);

        assertThat(out).contains("Tenants: 1 migrated, 0 up to date, 1 failed")
                .contains("FAILED tenant_b: Migration 20260101000000_create_notes.sql failed on tenant_b");
        assertThat(db.value("SELECT to_regclass('tenant_a.notes') IS NOT NULL")).isEqualTo(true);
        db.execute("DROP TABLE tenant_b.notes");
        assertThat(ashlar("status", "--tenant", "tenant_a", "--tenant", "tenant_b")).isEqualTo(3);
        assertThat(out).contains("2 tenant schema(s), 1 with pending migrations").contains("pending  tenant_b");
        assertThat(ashlar("migrate", "--tenant", "tenant_a", "--tenant", "tenant_b")).isZero();
        assertThat(out).contains("Tenants: 1 migrated, 1 up to date, 0 failed");
        assertThat(ashlar("status", "--tenant", "tenant_b")).isZero();
        assertThat(out).contains("1 tenant schema(s), 0 with pending migrations.")
                .contains("not a tenant  tenant_a (has a migration history but is not in the tenant list; left alone)");
    }

    @Test
    void baselineWithATenantRecordsTheTenantFilesItsSchemaAlreadyHasWithoutRunningThem() throws IOException {
        db.execute("DROP SCHEMA IF EXISTS tenant_a CASCADE; CREATE SCHEMA tenant_a; CREATE TABLE tenant_a.notes (id int)");
        Files.createDirectories(project.resolve("tenant_migrations"));
        Files.writeString(project.resolve("tenant_migrations/20260101000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
        assertThat(ashlar("migrate", "--tenant", "tenant_a")).isEqualTo(1);
        assertThat(out).contains("'ashlar baseline --tenant tenant_a --to 20260101000000'");

        assertThat(ashlar("baseline", "--tenant", "tenant_a")).isZero();
        assertThat(out).contains("Tenants: 1 baselined, 0 up to date, 0 failed");
        assertThat(ashlar("migrate", "--tenant", "tenant_a")).isZero();
        assertThat(out).contains("Tenants: 0 migrated, 1 up to date, 0 failed");
        assertThat(db.value("SELECT baselined FROM tenant_a.ashlar_schema_migrations")).isEqualTo(true);
    }

    @Test
    void validateAndRepairWithTenantsFindAndRecordAnEditedTenantFileInEachSchemaSoTheNextMigratePasses() throws IOException {
        db.execute("DROP SCHEMA IF EXISTS tenant_a CASCADE; DROP SCHEMA IF EXISTS tenant_b CASCADE; "
                + "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b");
        Path file = Files.createDirectories(project.resolve("tenant_migrations"))
                .resolve("20260101000000_create_notes.sql");
        Files.writeString(file, "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
        assertThat(ashlar("migrate", "--tenant", "tenant_a", "--tenant", "tenant_b")).isZero();
        Files.writeString(file, "-- migrate:up\n-- notes\nCREATE TABLE notes (id int);\n-- migrate:down\n"
                + "DROP TABLE notes;\n");

        assertThat(ashlar("migrate", "--tenant", "tenant_a", "--tenant", "tenant_b")).isEqualTo(1);
        assertThat(out).contains("was changed after it was applied to tenant_a")
                .contains("'ashlar repair --tenant tenant_a' records the new text without running it");

        assertThat(ashlar("validate", "--tenant", "tenant_a", "--tenant", "tenant_b")).isEqualTo(1);
        assertThat(out).contains("Tenants: 0 validated, 0 up to date, 2 failed")
                .contains("FAILED tenant_b: Migration 20260101000000_create_notes.sql was changed after it was applied");
        assertThat(ashlar("repair", "--tenant", "tenant_a", "--tenant", "tenant_b")).isZero();
        assertThat(out).contains("Tenants: 2 repaired, 0 up to date, 0 failed");
        assertThat(ashlar("validate", "--tenant", "tenant_a", "--tenant", "tenant_b")).isZero();
        assertThat(out).contains("Tenants: 2 validated, 0 up to date, 0 failed");
        assertThat(ashlar("migrate", "--tenant", "tenant_a", "--tenant", "tenant_b")).isZero();
        assertThat(out).contains("Tenants: 0 migrated, 2 up to date, 0 failed");
        assertThat(db.value("SELECT count(*) FROM tenant_a.notes")).isEqualTo(0L);
    }
}
