package dev.ashlar.cli;

import dev.ashlar.cli.MigrationDomains.PinnedWorkspace;
import dev.ashlar.cli.MigrationDomains.PostsWithHeadline;
import dev.ashlar.cli.MigrationDomains.PostsWithHeadlineAndSummary;
import dev.ashlar.cli.MigrationDomains.PostsWithTitle;
import dev.ashlar.cli.MigrationDomains.Workspace;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's migration safety: timeouts, tenant names, and squashing development migrations. */
@ExtendWith(PostgresExtension.class)
class CliMigrationTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'org\\_%' "
                + "LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END $$; "
                + "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    private List<String> files(String folder) throws IOException {
        try (Stream<Path> files = Files.list(project.resolve(folder))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private long columns(String name) {
        return (Long) db.value("SELECT count(*) FROM information_schema.columns WHERE column_name = ?", name);
    }

    @Test
    void migrateWithALockTimeoutFailsBehindATableLockNamingTheHolderAndAppliesNothing() throws Exception {
        db.execute("CREATE TABLE posts (id int)");
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/20260101000000_add_title.sql"),
                "-- migrate:up\nALTER TABLE posts ADD COLUMN title text;\n-- migrate:down\nALTER TABLE posts DROP COLUMN title;\n");
        CliRun run;
        try (Connection holder = db.dataSource().getConnection(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("SET application_name = 'nightly_report'");
            statement.execute("LOCK TABLE posts IN ACCESS EXCLUSIVE MODE");
            run = ashlar("migrate", "--lock-timeout", "500ms");
            holder.rollback();
        }

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("waiting for a lock: 20260101000000_add_title.sql on public")
                .contains("nightly_report");
        assertThat(run.err()).contains("canceling statement due to lock timeout")
                .contains("held by the session with pid").contains("application 'nightly_report'")
                .contains("command LOCK)").contains("--lock-timeout");
        assertThat(columns("title")).isZero();
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
    }

    @Test
    void tenantRefusesTheMainSchemaSystemSchemasAndHostileNamesBeforeReachingTheServer() throws IOException {
        Files.createDirectories(project.resolve("tenant_migrations"));
        Files.writeString(project.resolve("tenant_migrations/20260101000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
        db.execute("CREATE TABLE victim (id int)");

        CliRun main = ashlar("migrate", "--tenant", "public");
        CliRun catalog = ashlar("migrate", "--tenant", "pg_catalog");
        CliRun hostile = ashlar("migrate", "--tenant", "x\"; DROP TABLE victim; --");

        assertThat(main.code()).isEqualTo(1);
        assertThat(main.err()).contains("Refusing --tenant 'public' is the main schema, which is never a tenant");
        assertThat(catalog.err()).contains("'pg_catalog' names a system schema");
        assertThat(hostile.err()).contains("may hold only letters, digits, underscores and hyphens");
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relname IN ('notes', 'ashlar_tenant_migrations')"))
                .isEqualTo(0L);
        assertThat(db.value("SELECT to_regclass('victim') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void tenantWithoutATenantListRefusesASchemaTheDatabaseDoesNotHold() throws IOException {
        Files.createDirectories(project.resolve("tenant_migrations"));
        Files.writeString(project.resolve("tenant_migrations/20260101000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
        db.execute("DROP SCHEMA IF EXISTS org_real CASCADE; CREATE SCHEMA org_real");

        CliRun misspelt = ashlar("migrate", "--tenant", "org_reel");
        CliRun real = ashlar("migrate", "--tenant", "org_real");

        assertThat(misspelt.code()).isEqualTo(1);
        assertThat(misspelt.err()).contains("Refusing --tenant 'org_reel' is not a schema of this database")
                .contains("check the name").contains("Nothing was changed");
        assertThat(real.code()).as(real.err()).isZero();
        assertThat(db.value("SELECT to_regclass('org_real.notes') IS NOT NULL")).isEqualTo(true);
        db.execute("DROP SCHEMA org_real CASCADE");
    }

    @Test
    void tenantRefusesASchemaOutsideTheTenantListUnlessForced() {
        assertThat(ashlar("codegen", "create_workspace", "--domain", Workspace.class.getName(), "--no-input").code()).isZero();
        assertThat(ashlar("migrate").code()).isZero();
        db.execute("INSERT INTO organizations (id) VALUES ('acme'); CREATE SCHEMA org_acme; CREATE SCHEMA org_stray");

        CliRun refused = ashlar("migrate", "--tenant", "org_stray", "--domain", Workspace.class.getName());
        CliRun listed = ashlar("migrate", "--tenant", "org_acme", "--domain", Workspace.class.getName());
        CliRun forced = ashlar("migrate", "--tenant", "org_stray", "--force", "--domain", Workspace.class.getName());

        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("'org_stray' is not in the tenant list; pass --force");
        assertThat(listed.code()).isZero();
        assertThat(forced.code()).isZero();
        assertThat(db.value("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relname = 'notes' AND n.nspname IN ('org_acme', 'org_stray')")).isEqualTo(2L);
    }

    @Test
    void squashingRollsBackTheDevMigrationsOfEveryTenantSchemaAndGivesTheSquashedFileANewVersion() throws IOException {
        ashlar("codegen", "create_workspace", "--domain", Workspace.class.getName(), "--no-input");
        ashlar("migrate");
        db.execute("INSERT INTO organizations (id) VALUES ('acme'), ('globex'); CREATE SCHEMA org_acme; "
                + "CREATE SCHEMA org_globex");
        assertThat(ashlar("migrate", "--tenants", "--domain", Workspace.class.getName()).code()).isZero();
        assertThat(ashlar("codegen", "--dev", "--domain", PinnedWorkspace.class.getName(), "--no-input").code()).isZero();
        assertThat(ashlar("migrate", "--tenants", "--domain", PinnedWorkspace.class.getName()).code()).isZero();
        assertThat(columns("pinned")).isEqualTo(2L);
        String dev = files("tenant_migrations").get(1);

        CliRun check = ashlar("codegen", "--check", "--domain", PinnedWorkspace.class.getName());
        CliRun squash = ashlar("codegen", "add_pinned", "--domain", PinnedWorkspace.class.getName(), "--no-input");

        assertThat(check.code()).isEqualTo(1);
        assertThat(check.out()).contains("1 development migration(s) remain")
                .doesNotContain("Migrations are up to date.");
        assertThat(squash.code()).isZero();
        assertThat(squash.out()).contains("Squashing 1 development migration(s) into 'add_pinned' (rolled back in 2 "
                + "tenant schema(s))");
        assertThat(columns("pinned")).isZero();
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE version = ?", dev.substring(0, 14)))
                .isEqualTo(0L);
        String squashed = files("tenant_migrations").get(1);
        assertThat(squashed).endsWith("_add_pinned.sql").isGreaterThan(dev);
        assertThat(ashlar("migrate", "--tenants", "--domain", PinnedWorkspace.class.getName()).code()).isZero();
        assertThat(columns("pinned")).isEqualTo(2L);
        assertThat(ashlar("codegen", "--check", "--domain", PinnedWorkspace.class.getName()).code()).isZero();
    }

    @Test
    void squashingKeepsTheRenamesOfTheDevMigrationsAndTheRows() throws IOException {
        ashlar("codegen", "create_posts", "--domain", PostsWithTitle.class.getName(), "--no-input");
        ashlar("migrate");
        db.execute("INSERT INTO posts (id, title) VALUES (1, 'Hello'), (2, 'World')");
        ashlar("codegen", "--dev", "--rename", "posts.title=headline", "--domain", PostsWithHeadline.class.getName(),
                "--no-input");
        ashlar("migrate");
        ashlar("codegen", "--dev", "--domain", PostsWithHeadlineAndSummary.class.getName(), "--no-input");
        ashlar("migrate");

        CliRun squash = ashlar("codegen", "retitle_posts", "--domain", PostsWithHeadlineAndSummary.class.getName(),
                "--no-input");

        assertThat(squash.out()).contains("Squashing 2 development migration(s) into 'retitle_posts', keeping their "
                + "renames [posts.title=headline]").contains("rename column public.posts.title to headline")
                .doesNotContain("DESTRUCTIVE");
        String file = Files.readString(project.resolve("migrations").resolve(files("migrations").get(1)));
        assertThat(file).contains("RENAME COLUMN \"title\" TO \"headline\"").doesNotContain("DROP COLUMN \"title\"");
        assertThat(ashlar("migrate").code()).isZero();
        assertThat(db.query("SELECT headline FROM posts ORDER BY id")).extracting(r -> r.get("headline"))
                .containsExactly("Hello", "World");
        assertThat(columns("summary")).isEqualTo(1L);
    }

    @Test
    void aRenameHintThatCanRenameNothingIsRefusedNamingItAndNothingIsWritten() throws IOException {
        ashlar("codegen", "create_posts", "--domain", PostsWithTitle.class.getName(), "--no-input");
        List<String> before = files("migrations");

        CliRun resourceName = ashlar("codegen", "retitle", "--rename", "post.title=headline", "--domain",
                PostsWithHeadline.class.getName(), "--no-input");
        assertThat(resourceName.code()).isEqualTo(1);
        assertThat(resourceName.err()).contains("--rename post.title=headline")
                .contains("resource 'post' is stored in table 'posts'").contains("Nothing was written");

        CliRun misspelt = ashlar("codegen", "retitle", "--rename", "posts.title=headlin", "--domain",
                PostsWithHeadline.class.getName(), "--no-input");
        assertThat(misspelt.code()).isEqualTo(1);
        assertThat(misspelt.err()).contains("table posts has no column 'headlin'").contains("[id, headline]");

        CliRun stillThere = ashlar("codegen", "retitle", "--dry-run", "--rename", "posts.title=headline", "--domain",
                PostsWithTitle.class.getName(), "--no-input");
        assertThat(stillThere.code()).isEqualTo(1);
        assertThat(stillThere.err()).contains("has no column 'headline'");
        assertThat(files("migrations")).isEqualTo(before);

        CliRun right = ashlar("codegen", "retitle", "--rename", "posts.title=headline", "--domain",
                PostsWithHeadline.class.getName(), "--no-input");
        assertThat(right.code()).as(right.err()).isZero();
        assertThat(right.out()).contains("rename column public.posts.title to headline").doesNotContain("DESTRUCTIVE");
    }

    @Test
    void discardDevRollsBackAndRemovesTheDevMigrationsAndTheirSnapshots() throws IOException {
        ashlar("codegen", "create_posts", "--domain", PostsWithTitle.class.getName(), "--no-input");
        ashlar("migrate");
        db.execute("INSERT INTO posts (id, title) VALUES (1, 'Hello')");
        ashlar("codegen", "--dev", "--domain", PostsWithHeadline.class.getName(), "--no-input");
        ashlar("migrate");
        assertThat(columns("title")).isZero();

        CliRun discard = ashlar("codegen", "--discard-dev", "--domain", PostsWithTitle.class.getName());

        assertThat(discard.code()).isZero();
        assertThat(discard.out()).contains("Discarded 1 development migration(s).");
        assertThat(files("migrations")).hasSize(1).allMatch(f -> f.endsWith("_create_posts.sql"));
        assertThat(db.query("SELECT title FROM posts")).extracting(r -> r.get("title")).containsExactly((Object) null);
        assertThat(ashlar("codegen", "--check", "--domain", PostsWithTitle.class.getName()).code()).isZero();
    }
}
