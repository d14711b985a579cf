package dev.ashlar.maven;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the database goals are pointed at: a database URL read as the {@code ashlar} command reads it (so that one
 * ASHLAR_DATABASE_URL serves both), and a project folder that must be there.
 */
@ExtendWith(PostgresExtension.class)
class DatabaseGoalsTest {
    @TempDir
    Path project;
    TestDatabase db;
    MigrateMojo migrate;

    @BeforeEach
    void aProjectWithOneMigration(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Path folder = Files.createDirectories(project.resolve("db/migrations"));
        Files.writeString(folder.resolve("20260101000000_create_probes.sql"),
                "-- migrate:up\nCREATE TABLE probes (id bigint);\n-- migrate:down\nDROP TABLE probes;\n");
        migrate = new MigrateMojo();
        migrate.mavenProject = new MavenProject();
        migrate.mavenProject.getBuild().setOutputDirectory(Files.createDirectories(project.resolve("classes")).toString());
        migrate.folder = project.resolve("db").toFile();
    }

    @Test
    void aPostgresUrlWithItsUserAndPasswordMigratesTheDatabaseItNames() throws Exception {
        String hostAndDatabase = db.jdbcUrl().replaceFirst("^jdbc:postgresql://", "").replaceFirst("\\?.*$", "");
        migrate.url = "postgres://" + db.user() + ":" + db.password() + "@" + hostAndDatabase;

        migrate.execute();

        assertThat(db.value("SELECT to_regclass('public.probes') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aPasswordMavenLeftAsAnUnsetVariablesExpressionIsRefusedNamingTheVariableBeforeConnecting() {
        migrate.url = db.jdbcUrl().replaceAll("([?&])password=[^&]*", "$1");
        migrate.user = db.user();
        migrate.password = "${env.BLOG_DATABASE_PASSWORD}";

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<password> is ${env.BLOG_DATABASE_PASSWORD}")
                .hasMessageContaining("set the environment variable BLOG_DATABASE_PASSWORD");
        assertThat(db.value("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void aPasswordThatMavenSetToNothingForAnUnsetVariableIsRefusedNamingTheVariableBeforeConnecting() {
        migrate.url = db.jdbcUrl().replaceAll("([?&])password=[^&]*", "$1");
        migrate.user = db.user();
        // What a build hands the goal for <password>${env.ASHLAR_TEST_UNSET}</password> with the variable unset:
        // Maven evaluates the whole expression to nothing, so the field stays null and only the configuration
        // still holds the expression.
        migrate.mojoExecution = execution("password", "${env.ASHLAR_TEST_UNSET}");

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<password> is ${env.ASHLAR_TEST_UNSET}")
                .hasMessageContaining("set the environment variable ASHLAR_TEST_UNSET");
        assertThat(db.value("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void aPasswordLeftOutOfThePomIsReadFromItsOwnPropertyAndNotRefused() throws Exception {
        migrate.url = db.jdbcUrl();
        migrate.mojoExecution = execution("password", "${ashlar.password}");   // the goal's own default

        migrate.execute();

        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    /** The goal's configuration as Maven hands it over, with one parameter's expression as written. */
    static MojoExecution execution(String parameter, String expression) {
        Xpp3Dom configuration = new Xpp3Dom("configuration");
        Xpp3Dom child = new Xpp3Dom(parameter);
        child.setValue(expression);
        configuration.addChild(child);
        return new MojoExecution(new MojoDescriptor(), configuration);
    }

    @Test
    void aUrlWithAnUndefinedPropertyIsRefusedNamingTheProperty() {
        migrate.url = "jdbc:postgresql://${db.host}/app";

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<url> is jdbc:postgresql://${db.host}/app")
                .hasMessageContaining("define the property db.host");
    }

    @Test
    void thePlaceholdersParameterGivesTheValueOfAPlaceholderInAMigrationFile() throws Exception {
        Files.writeString(project.resolve("db/migrations/20260102000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE ${prefix}_notes (id bigint);\n-- migrate:down\nDROP TABLE ${prefix}_notes;\n");
        migrate.url = db.urlWithCredentials();

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("${prefix}, which has no value").hasMessageContaining("<placeholders>");
        assertThat(db.value("SELECT to_regclass('public.probes') IS NULL")).isEqualTo(true);
        migrate.placeholders = Map.of("prefix", "app");
        migrate.execute();

        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                + "AND table_name = 'app_notes'")).isEqualTo(1L);
    }

    @Test
    void cleanIsRefusedUntilEnabledAndThenDropsWhatTheMigrationsMadeSoMigrateAppliesThemAgain() throws Exception {
        migrate.url = db.urlWithCredentials();
        migrate.execute();
        CleanMojo clean = new CleanMojo();
        clean.mavenProject = migrate.mavenProject;
        clean.folder = migrate.folder;
        clean.url = migrate.url;

        assertThatThrownBy(clean::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("-Dashlar.cleanEnabled=true").hasMessageEndingWith("Nothing was dropped.");
        assertThat(db.value("SELECT to_regclass('public.probes') IS NOT NULL")).isEqualTo(true);

        clean.cleanEnabled = true;
        clean.execute();
        assertThat(db.value("SELECT to_regclass('public.probes') IS NULL "
                + "AND to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        migrate.execute();
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void theHistoryTableParameterIsTheTableMigrateRecordsInAndRollbackReads() throws Exception {
        migrate.url = db.urlWithCredentials();
        migrate.historyTable = "Probe_History";
        migrate.execute();

        assertThat(db.value("SELECT version FROM public.\"Probe_History\"")).isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);

        RollbackMojo rollback = rollbackLikeMigrate();
        rollback.historyTable = "Probe_History";
        rollback.steps = 1;
        rollback.execute();
        assertThat(db.value("SELECT count(*) FROM public.\"Probe_History\"")).isEqualTo(0L);
        assertThat(db.value("SELECT to_regclass('public.probes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aBlankDeploymentOrTargetIsRefusedRatherThanRollingBackTheLastMigration() throws Exception {
        migrate.url = db.urlWithCredentials();
        migrate.execute();

        RollbackMojo rollback = rollbackLikeMigrate();
        rollback.deployment = " ";
        assertThatThrownBy(rollback::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("ashlar.deployment is given but blank").hasMessageContaining("Nothing was rolled");
        rollback.deployment = null;
        rollback.toTag = "";
        assertThatThrownBy(rollback::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("ashlar.toTag is given but blank");
        assertThat(db.value("SELECT to_regclass('public.probes') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM public.ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aProjectFolderThatIsNotThereFailsTheDatabaseGoalsInsteadOfPassingHavingDoneNothing() throws IOException {
        migrate.url = db.urlWithCredentials();
        migrate.folder = project.resolve("src/main/resources/db/ashlar").toFile();
        StatusMojo status = new StatusMojo();
        status.mavenProject = migrate.mavenProject;
        status.folder = migrate.folder;
        status.url = migrate.url;

        for (AshlarMojo goal : new AshlarMojo[] {migrate, status}) {
            assertThatThrownBy(goal::execute).isInstanceOf(MojoFailureException.class)
                    .hasMessageContaining("The Ashlar project folder " + migrate.folder + " does not exist")
                    .hasMessageContaining("<folder> (or -Dashlar.folder)");
        }

        migrate.folder = Files.writeString(project.resolve("ashlar.txt"), "not a folder").toFile();
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("The Ashlar project folder " + migrate.folder + " is a file, not a folder")
                .hasMessageContaining("<folder> (or -Dashlar.folder)");
        assertThat(db.value("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void aMissingFolderBesideTheProjectThatTheCommandWroteNamesItForEveryGoalAndWritesNothing() throws IOException {
        // What "Use Ashlar in your project" leaves: ashlar codegen --dir . wrote migrations/ and
        // resource_snapshots/ at the project's root, while the plugin's folder defaults to src/main/resources/db/ashlar.
        Files.createDirectories(project.resolve("resource_snapshots/public/posts"));
        migrate.mavenProject.setFile(project.resolve("pom.xml").toFile());
        migrate.url = db.urlWithCredentials();
        migrate.folder = project.resolve("src/main/resources/db/ashlar").toFile();
        CheckMojo check = new CheckMojo();
        check.mavenProject = migrate.mavenProject;
        check.folder = migrate.folder;
        CodegenMojo codegen = new CodegenMojo();
        codegen.mavenProject = migrate.mavenProject;
        codegen.folder = migrate.folder;
        codegen.name = "create_blog";

        for (AshlarMojo goal : new AshlarMojo[] {check, codegen, migrate}) {
            assertThatThrownBy(goal::execute).isInstanceOf(MojoFailureException.class)
                    .hasMessageContaining("The Ashlar project folder " + migrate.folder + " does not exist, but "
                            + project + " holds resource_snapshots/")
                    .hasMessageContaining("<folder>${project.basedir}</folder>");
        }
        assertThat(migrate.folder).doesNotExist();
        assertThat(db.value("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void codegenThatWritesTenantMigrationsSaysThatMigrateAppliesThemWithTenants() throws Exception {
        migrate.mavenProject.setFile(project.resolve("pom.xml").toFile());
        CodegenMojo codegen = new CodegenMojo();
        codegen.mavenProject = migrate.mavenProject;
        codegen.folder = migrate.folder;
        codegen.domain = TenantedDomain.class.getName();
        codegen.name = "create_tenanted";
        List<String> logged = logged(codegen);

        codegen.execute();

        assertThat(migrate.folder.toPath().resolve("tenant_migrations")).isNotEmptyDirectory();
        assertThat(logged).contains("Review the files, then run ashlar:migrate -Dashlar.tenants, which applies them "
                + "to the main schema, then to every tenant schema.");
    }

    @Test
    void failOnMissingFolderFalseSkipsTheDatabaseGoalsWithAWarningAndCreatesNothing() throws Exception {
        migrate.url = db.urlWithCredentials();
        migrate.folder = project.resolve("src/main/resources/db/ashlar").toFile();
        migrate.failOnMissingFolder = false;
        List<String> warnings = new ArrayList<>();
        migrate.setLog(new SystemStreamLog() {
            @Override
            public void warn(CharSequence content) {
                warnings.add(content.toString());
            }
        });

        migrate.execute();

        assertThat(warnings).containsExactly("Skipping ashlar:migrate: the Ashlar project folder " + migrate.folder
                + " does not exist (ashlar.failOnMissingFolder is false)");
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")).isEqualTo(0L);
    }

    @Test
    void aPlaceholderComesFromThePomsPropertiesThenThePlaceholdersParameterThenADashDProperty() throws Exception {
        Files.writeString(project.resolve("db/migrations/20260102000000_mark.sql"), "-- migrate:up\n"
                + "CREATE TABLE marks (value text);\nINSERT INTO marks VALUES ('${mark}');\n-- migrate:down\nDROP TABLE marks;\n");
        migrate.url = db.urlWithCredentials();
        migrate.mavenProject.getProperties().setProperty("ashlar.placeholders.mark", "pom");

        assertThat(markAfterMigrating()).isEqualTo("pom");
        migrate.placeholders = Map.of("mark", "configuration");
        assertThat(markAfterMigrating()).isEqualTo("configuration");
        System.setProperty("ashlar.placeholders.mark", "command line");
        try {
            assertThat(markAfterMigrating()).isEqualTo("command line");
        } finally {
            System.clearProperty("ashlar.placeholders.mark");
        }
    }

    @Test
    void configFilesGiveTheDatabaseAndThePlaceholdersAndThePomsConfigurationWinsOverThem() throws Exception {
        Files.writeString(project.resolve("db/migrations/20260102000000_mark.sql"), "-- migrate:up\n"
                + "CREATE TABLE marks (value text);\nINSERT INTO marks VALUES ('${mark}');\n-- migrate:down\nDROP TABLE marks;\n");
        Path first = project.resolve("first.properties");
        Path second = project.resolve("second.properties");
        Properties database = new Properties();
        database.setProperty("ashlar.url", db.urlWithCredentials());
        database.setProperty("ashlar.placeholders.mark", "first file");
        try (var out = Files.newBufferedWriter(first)) {
            database.store(out, null);
        }
        Files.writeString(second, "ashlar.placeholders.mark=second file\n");
        migrate.configFiles = List.of(first.toFile(), second.toFile());

        assertThat(markAfterMigrating()).isEqualTo("second file");
        migrate.placeholders = Map.of("mark", "configuration");
        assertThat(markAfterMigrating()).isEqualTo("configuration");
    }

    @Test
    void aConfigFileThatIsMissingOrSetsAnUnknownKeyFailsTheGoalNamingItAndAppliesNothing() throws IOException {
        Path typo = Files.writeString(project.resolve("typo.properties"), "ashlar.usr=app\n");
        migrate.url = db.urlWithCredentials();
        migrate.configFiles = List.of(typo.toFile());
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("The config file " + typo + " sets ashlar.usr, which no goal reads");

        migrate.configFiles = List.of(project.resolve("missing.properties").toFile());
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("Cannot read the config file " + project.resolve("missing.properties"))
                .hasMessageContaining("<configFiles> (-Dashlar.configFiles)");

        Path folder = Files.createDirectories(project.resolve("db.properties"));
        migrate.configFiles = List.of(folder.toFile());
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("Cannot read the config file " + folder + " that <configFiles> "
                        + "(-Dashlar.configFiles) names: it is a folder, not a file");
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")).isEqualTo(0L);
    }

    @Test
    void aConfigFileWithAByteOrderMarkIsReadAndOneWithAMalformedEscapeFailsNamingItsLineAndAppliesNothing()
            throws Exception {
        Files.writeString(project.resolve("db/migrations/20260102000000_mark.sql"), "-- migrate:up\n"
                + "CREATE TABLE marks (value text);\nINSERT INTO marks VALUES ('${mark}');\n-- migrate:down\nDROP TABLE marks;\n");
        Path windows = Files.write(project.resolve("windows.properties"), ("\uFEFFashlar.placeholders.mark=caf\u00e9\r\n"
                + "ashlar.url=" + db.urlWithCredentials() + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        migrate.configFiles = List.of(windows.toFile());
        assertThat(markAfterMigrating()).isEqualTo("caf\u00e9");

        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Path escaped = Files.writeString(project.resolve("escaped.properties"), "ashlar.placeholders.mark=C:\\users\n");
        migrate.url = db.urlWithCredentials();
        migrate.configFiles = List.of(escaped.toFile());
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("The config file " + escaped + " that <configFiles> (-Dashlar.configFiles) names "
                        + "holds a malformed \\u escape on line 1")
                .hasMessageContaining("write the character itself, or \\\\ for a backslash");
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")).isEqualTo(0L);
    }

    /** The value the migration wrote into marks, migrating from scratch. */
    private Object markAfterMigrating() throws Exception {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        migrate.execute();
        return db.value("SELECT value FROM marks");
    }

    @Test
    void withTenantsMigrateAppliesTheTenantMigrationsToEveryTenantSchemaAndFailsNamingTheSchemaThatFailed()
            throws Exception {
        Path folder = migrate.folder.toPath();
        Files.writeString(folder.resolve("migrations/20260101000001_create_tenants.sql"),
                "-- migrate:up\nCREATE TABLE tenants (id text PRIMARY KEY);\n-- migrate:down\nDROP TABLE tenants;\n");
        Files.writeString(Files.createDirectories(folder.resolve("tenant_migrations")).resolve("20260101000002_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (id bigint, body text);\n-- migrate:down\nDROP TABLE notes;\n");
        migrate.url = db.urlWithCredentials();
        migrate.domain = TenantedDomain.class.getName();
        migrate.tenants = true;
        migrate.jobs = 0;
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("ashlar.jobs is 0").hasMessageContaining("Nothing was applied");
        assertThat(db.value("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        migrate.tenants = false;
        migrate.jobs = 2;
        migrate.execute();
        db.execute("INSERT INTO tenants VALUES ('a'), ('b'); CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b;"
                + "CREATE TABLE tenant_b.notes (id bigint)");
        migrate.tenants = true;

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("1 tenant schema(s) failed").hasMessageContaining("tenant_b: ")
                .hasMessageContaining("\"notes\" already exists").hasMessageContaining("-Dashlar.tenants again");
        assertThat(db.value("SELECT count(*) FROM tenant_a.ashlar_schema_migrations")).isEqualTo(1L);

        db.execute("DROP TABLE tenant_b.notes");
        migrate.execute();
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' "
                + "AND column_name = 'body'")).isEqualTo(2L);
    }

    /**
     * The main schema's tenants table and the tenant schemas tenant_a and tenant_b, migrated with a notes table and
     * {@code moreTenantFiles} after it; a rollback goal with tenants on that project, one step.
     */
    private RollbackMojo tenantRollbackAfterMigrating(String... moreTenantFiles) throws Exception {
        Path folder = migrate.folder.toPath();
        Files.writeString(folder.resolve("migrations/20260101000001_create_tenants.sql"),
                "-- migrate:up\nCREATE TABLE tenants (id text PRIMARY KEY);\n-- migrate:down\nDROP TABLE tenants;\n");
        Path tenantFiles = Files.createDirectories(folder.resolve("tenant_migrations"));
        Files.writeString(tenantFiles.resolve("20260101000002_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (id bigint);\n-- migrate:down\nDROP TABLE notes;\n");
        for (int i = 0; i < moreTenantFiles.length; i++) {
            Files.writeString(tenantFiles.resolve("2026010100000" + (3 + i) + "_more.sql"), moreTenantFiles[i]);
        }
        migrate.url = db.urlWithCredentials();
        migrate.domain = TenantedDomain.class.getName();
        migrate.execute();
        db.execute("DROP SCHEMA IF EXISTS tenant_a CASCADE; DROP SCHEMA IF EXISTS tenant_b CASCADE; "
                + "INSERT INTO tenants VALUES ('a'), ('b'); CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b");
        migrate.tenants = true;
        migrate.jobs = 2;
        migrate.execute();
        RollbackMojo rollback = rollbackLikeMigrate();
        rollback.domain = migrate.domain;
        rollback.steps = 1;
        rollback.tenants = true;
        return rollback;
    }

    @Test
    void withTenantsTagMarksEveryTenantSchemaAndRollbackToTheTagUndoesWhatCameAfterInEach() throws Exception {
        RollbackMojo rollback = tenantRollbackAfterMigrating();
        TagMojo tag = new TagMojo();
        tag.mavenProject = migrate.mavenProject;
        tag.folder = migrate.folder;
        tag.url = migrate.url;
        tag.domain = migrate.domain;
        tag.tag = "release-1";
        tag.tenants = true;
        tag.jobs = 2;
        tag.execute();
        Files.writeString(migrate.folder.toPath().resolve("tenant_migrations/20260101000003_add_body.sql"),
                "-- migrate:up\nALTER TABLE notes ADD COLUMN body text;\n-- migrate:down\nALTER TABLE notes DROP COLUMN body;\n");
        migrate.execute();

        rollback.toTag = "release-1";
        rollback.jobs = 2;
        rollback.execute();

        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM tenant_a.ashlar_schema_migrations"))
                .isEqualTo("20260101000002");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM tenant_b.ashlar_schema_migrations"))
                .isEqualTo("20260101000002");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).as("the main schema as it was")
                .isEqualTo(2L);
    }

    @Test
    void withTenantsRollbackUndoesTheTenantMigrationsInEveryTenantSchemaAndLeavesTheMainSchema() throws Exception {
        RollbackMojo rollback = tenantRollbackAfterMigrating(
                "-- migrate:up\nALTER TABLE notes ADD COLUMN body text;\n-- migrate:down\nALTER TABLE notes DROP COLUMN body;\n");

        rollback.jobs = 0;
        assertThatThrownBy(rollback::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("ashlar.jobs is 0").hasMessageEndingWith("Nothing was rolled back.");
        rollback.jobs = 2;
        rollback.execute();

        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' "
                + "AND column_name = 'body'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'notes' "
                + "AND table_schema IN ('tenant_a', 'tenant_b')")).isEqualTo(2L);
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM tenant_b.ashlar_schema_migrations"))
                .isEqualTo("20260101000002");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
        assertThat(db.value("SELECT to_regclass('public.tenants') IS NOT NULL")).isEqualTo(true);

        rollback.steps = 1;
        rollback.to = "20260101000002";
        rollback.execute();
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'notes'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
    }

    @Test
    void withTenantsRollbackFailsNamingTheTenantSchemaWhoseDownSectionFailed() throws Exception {
        RollbackMojo rollback = tenantRollbackAfterMigrating();
        db.execute("DROP TABLE tenant_b.notes");
        rollback.jobs = 2;

        assertThatThrownBy(rollback::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("1 tenant schema(s) failed").hasMessageContaining("tenant_b: ")
                .hasMessageContaining("ashlar:rollback -Dashlar.tenants again");
        assertThat(db.value("SELECT to_regclass('tenant_a.notes') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM tenant_b.ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void baselineRecordsTheFilesUpToAVersionWithoutRunningThemAndMigrateAppliesTheRest() throws Exception {
        writeSecondFile();
        db.execute("CREATE TABLE probes (id bigint)");   // made by another tool
        BaselineMojo baseline = new BaselineMojo();
        baseline.mavenProject = migrate.mavenProject;
        baseline.folder = migrate.folder;
        baseline.url = db.urlWithCredentials();
        baseline.to = "20260101000000";

        baseline.execute();

        assertThat(db.query("SELECT version, baselined FROM ashlar_schema_migrations"))
                .containsExactly(java.util.Map.of("version", "20260101000000", "baselined", true));
        migrate.url = baseline.url;
        migrate.execute();
        assertThat(db.value("SELECT to_regclass('public.more_probes') IS NOT NULL")).isEqualTo(true);

        // As Flyway's baselineVersion, any version: after every file, here all applied, it records nothing more.
        baseline.to = "20990101000000";
        baseline.execute();
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations WHERE baselined")).isEqualTo(1L);
        baseline.to = "2099";
        assertThatThrownBy(baseline::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("Cannot baseline to 2099: a version is 14 digits");
    }

    @Test
    void groupFailsTheGoalLeavingNoFileOfTheRunAppliedAndCherryPickAppliesOnlyTheVersionNamed() throws Exception {
        writeSecondFile();
        Files.writeString(migrate.folder.toPath().resolve("migrations/20260101000002_create_broken.sql"),
                "-- migrate:up\nCREATE TABLE broken (id bigint REFERENCES nowhere);\n-- migrate:down\nSELECT 1;\n");
        migrate.url = db.urlWithCredentials();
        migrate.group = true;

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("20260101000002_create_broken.sql")
                .hasMessageContaining("one transaction (group), which was rolled back");
        assertThat(db.value("SELECT to_regclass('public.probes') IS NULL AND to_regclass('public.more_probes') IS NULL "
                + "AND NOT EXISTS (SELECT FROM ashlar_schema_migrations)")).isEqualTo(true);

        migrate.group = false;
        migrate.cherryPick = List.of("20260101000001");
        List<String> log = logged(migrate);
        migrate.execute();

        assertThat(db.value("SELECT to_regclass('public.more_probes') IS NOT NULL AND to_regclass('public.probes') "
                + "IS NULL")).isEqualTo(true);
        assertThat(log).contains("Applied 1 migration(s).", "2 migration(s) stay pending: ashlar:status lists them.");
    }

    @Test
    void outOfOrderFalseFailsTheGoalOnAMigrationOlderThanTheNewestAppliedAndAppliesNothing() throws Exception {
        migrate.url = db.urlWithCredentials();
        migrate.execute();
        Files.writeString(migrate.folder.toPath().resolve("migrations/20251231000000_create_early.sql"),
                "-- migrate:up\nCREATE TABLE early_probes (id bigint);\n-- migrate:down\nDROP TABLE early_probes;\n");
        migrate.outOfOrder = false;

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("Migration 20251231000000_create_early.sql of ")
                .hasMessageContaining("older than 20260101000000, the newest version applied to public");
        assertThat(db.value("SELECT to_regclass('public.early_probes') IS NULL")).isEqualTo(true);
        migrate.outOfOrder = true;
        migrate.execute();
        assertThat(db.value("SELECT to_regclass('public.early_probes') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void outOfOrderFalseWithTenantsFailsTheGoalNamingTheTenantSchemaThatAppliedANewerVersionAndAppliesNothingToIt()
            throws Exception {
        Path folder = migrate.folder.toPath();
        Files.writeString(folder.resolve("migrations/20260101000001_create_tenants.sql"),
                "-- migrate:up\nCREATE TABLE tenants (id text PRIMARY KEY);\n-- migrate:down\nDROP TABLE tenants;\n");
        Path tenantFiles = Files.createDirectories(folder.resolve("tenant_migrations"));
        Files.writeString(tenantFiles.resolve("20260101000003_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (id bigint);\n-- migrate:down\nDROP TABLE notes;\n");
        migrate.url = db.urlWithCredentials();
        migrate.domain = TenantedDomain.class.getName();
        migrate.execute();
        db.execute("DROP SCHEMA IF EXISTS tenant_a CASCADE; DROP TABLE IF EXISTS ashlar_tenant_migrations; "
                + "INSERT INTO tenants VALUES ('a'); CREATE SCHEMA tenant_a");
        migrate.tenants = true;
        migrate.jobs = 2;
        migrate.execute();
        Files.writeString(tenantFiles.resolve("20260101000002_create_tags.sql"),
                "-- migrate:up\nCREATE TABLE tags (id bigint);\n-- migrate:down\nDROP TABLE tags;\n");
        migrate.outOfOrder = false;

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("1 tenant schema(s) failed").hasMessageContaining("tenant_a: Migration "
                        + "20260101000002_create_tags.sql of ")
                .hasMessageContaining("older than 20260101000003, the newest version applied to tenant_a");
        assertThat(db.value("SELECT to_regclass('tenant_a.tags') IS NULL")).isEqualTo(true);
        migrate.outOfOrder = true;
        migrate.execute();
        assertThat(db.value("SELECT to_regclass('tenant_a.tags') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void rollbackToDateUndoesTheMigrationsAppliedAfterItAndABadTimeFailsTheGoalNamingTheParameter() throws Exception {
        writeSecondFile();
        migrate.url = db.urlWithCredentials();
        migrate.execute();
        db.execute("UPDATE ashlar_schema_migrations SET applied_at = CASE version WHEN '20260101000000' "
                + "THEN '2026-11-30T10:00:00Z'::timestamptz ELSE '2026-12-01T10:00:00Z' END");
        RollbackMojo rollback = rollbackLikeMigrate();
        rollback.steps = 1;

        rollback.toDate = "last week";
        assertThatThrownBy(rollback::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("last week is no date or time for ashlar.toDate: write 2026-12-01");
        rollback.toDate = "2026-12-01";
        rollback.execute();

        assertOnlyTheFirstFileIsApplied();
    }

    @Test
    void theTagGoalMarksTheStateAndRollbackToATagUndoesWhatWasAppliedAfterIt() throws Exception {
        migrate.url = db.urlWithCredentials();
        migrate.execute();
        TagMojo tag = new TagMojo();
        tag.mavenProject = migrate.mavenProject;
        tag.folder = migrate.folder;
        tag.url = migrate.url;
        assertThatThrownBy(tag::execute).isInstanceOf(MojoFailureException.class)
                .hasMessage("Give the tag's name: -Dashlar.tag=NAME (<tag> in the configuration), such as the release "
                        + "being deployed. Nothing was tagged.");
        tag.tag = "release-1";
        tag.execute();
        writeSecondFile();
        migrate.execute();
        RollbackMojo rollback = rollbackLikeMigrate();
        rollback.steps = 1;
        rollback.toTag = "release-2";
        assertThatThrownBy(rollback::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("Cannot roll back to the tag release-2: no applied migration of public "
                        + "carries it (the tags are release-1)");

        rollback.toTag = "release-1";
        rollback.execute();

        assertOnlyTheFirstFileIsApplied();
    }

    @Test
    void dryRunPrintsTheStatementsMigrateAndRollbackWouldRunAndChangesNothing() throws Exception {
        migrate.url = db.urlWithCredentials();
        migrate.dryRun = true;
        List<String> logged = logged(migrate);
        migrate.execute();
        assertThat(String.join("\n", logged)).containsSubsequence("1 file(s) would run:",
                "20260101000000_create_probes.sql", "  CREATE TABLE probes (id bigint);\n    lock: none on existing tables");
        assertThat(db.value("SELECT to_regclass('public.probes') IS NULL AND to_regclass('public.ashlar_schema_migrations') "
                + "IS NULL")).isEqualTo(true);

        migrate.dryRun = false;
        migrate.execute();
        RollbackMojo rollback = rollbackLikeMigrate();
        rollback.steps = 1;
        rollback.dryRun = true;
        logged = logged(rollback);
        rollback.execute();

        assertThat(String.join("\n", logged)).containsSubsequence("1 file(s) would be rolled back:",
                "20260101000000_create_probes.sql", "  DROP TABLE probes;\n    lock: ");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
        assertThat(db.value("SELECT to_regclass('public.probes') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void aScriptParameterWritesTheRunAsASqlScriptWithItsHistoryRowAndChangesNothing() throws Exception {
        migrate.url = db.urlWithCredentials();
        migrate.script = project.resolve("update.sql").toFile();

        migrate.execute();

        assertThat(Files.readString(migrate.script.toPath())).contains("\\set ON_ERROR_STOP on", "BEGIN;\n"
                + "CREATE TABLE probes (id bigint);", "INSERT INTO \"public\".", "ashlar_schema_migrations", "COMMIT;");
        assertThat(db.value("SELECT to_regclass('public.probes') IS NULL AND to_regclass('public.ashlar_schema_migrations') "
                + "IS NULL")).isEqualTo(true);
        migrate.script = project.resolve("no-such-folder/update.sql").toFile();
        assertThatThrownBy(migrate::execute).hasMessageContaining("Cannot write the script to")
                .hasMessageContaining("ashlar.script");
    }

    /** What the goal logs as information, a line each, from now on. */
    static List<String> logged(AshlarMojo goal) {
        List<String> logged = new ArrayList<>();
        goal.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                logged.add(content.toString());
            }
        });
        return logged;
    }

    @Test
    void aMalformedOrForeignUrlFailsTheGoalNamingTheParameterWithoutThePassword() {
        migrate.url = "postgres://app:topsecret@localhost:99999/blog";
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("Malformed database URL 'postgres://app:****@localhost:99999/blog'")
                .hasMessageContaining("with a port from 1 to 65535").hasMessageNotContaining("topsecret");

        migrate.url = "jdbc:mysql://localhost/blog?user=app&password=topsecret";
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("Unsupported database URL 'jdbc:mysql://localhost/blog?user=app&password=****'")
                .hasMessageContaining("postgres://user:password@host:port/database")
                .hasMessageContaining("-Dashlar.url").hasMessageNotContaining("topsecret");
    }

    @Test
    void aUrlNamingNoDatabaseOrAUserBeforeTheHostFailsTheGoalSayingHowToWriteItWithoutThePassword() {
        String server = db.jdbcUrl().replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
        migrate.url = "postgres://" + db.user() + ":topsecret@" + server + "/";
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("The database URL 'postgres://" + db.user() + ":****@" + server + "/' names no "
                        + "database").hasMessageContaining("add it after the host and port")
                .hasMessageNotContaining("topsecret");

        migrate.url = "jdbc:postgresql://app:topsecret@" + server + "/blog";
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("puts a user before the host").hasMessageNotContaining("topsecret");
    }

    @Test
    void theUsernameAndPasswordOfTheSettingsServerConnectWhenTheGoalGivesNoUser() throws Exception {
        String owner = "ashlar_maven_owner";
        try (TestDatabase.Role role = db.loginRole(owner)) {
            Server server = new Server();
            server.setId("ci-database");
            server.setUsername(owner);
            server.setPassword("");
            migrate.settings = new Settings();
            migrate.settings.addServer(server);
            migrate.url = db.urlWithCredentials();
            migrate.serverId = "ci-data";
            assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                    .hasMessageContaining("<serverId> (-Dashlar.serverId) is ci-data")
                    .hasMessageContaining("settings.xml has no <server> with that <id>");
            assertThat(db.value("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);

            migrate.serverId = "ci-database";
            migrate.execute();

            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'probes'")).isEqualTo(role.name());
        }
    }

    @Test
    void aGoalsOwnUserWinsOverTheSettingsServer() throws Exception {
        Server server = new Server();
        server.setId(AshlarMojo.DEFAULT_SERVER);
        server.setUsername("no_such_role");
        migrate.settings = new Settings();
        migrate.settings.addServer(server);
        migrate.serverId = AshlarMojo.DEFAULT_SERVER;
        migrate.url = db.jdbcUrl();
        migrate.user = db.user();
        migrate.password = db.password();

        migrate.execute();

        assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'probes'")).isEqualTo(db.user());
    }

    @Test
    void theInitSqlRunsOnTheGoalsConnectionsSoItsRoleOwnsWhatTheMigrationsMake() throws Exception {
        try (TestDatabase.Role owner = db.loginRole("maven_init_owner")) {
            migrate.url = db.jdbcUrl();
            migrate.user = db.user();
            migrate.password = db.password();
            migrate.initSql = "SET ROLE " + owner.name();

            migrate.execute();

            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'probes'")).isEqualTo(owner.name());
        }
    }

    @Test
    void lockTimeoutBoundsTheWaitForATableLockAndTheFileIsNotApplied() throws Exception {
        applyTheFirstFileThenWriteASecondOne("ALTER TABLE probes ADD COLUMN note text;");
        migrate.lockTimeout = "300ms";
        try (Connection holder = db.dataSource().getConnection(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("LOCK TABLE probes IN ACCESS SHARE MODE");

            assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                    .hasMessageContaining("lock timeout");
            holder.rollback();
        }

        assertOnlyTheFirstFileIsRecordedAndProbesHasNoNote();
    }

    @Test
    void statementTimeoutStopsAStatementThatRunsLongerAndTheFileIsNotApplied() throws Exception {
        applyTheFirstFileThenWriteASecondOne("ALTER TABLE probes ADD COLUMN note text; SELECT pg_sleep(30);");
        migrate.statementTimeout = "300ms";
        long start = System.nanoTime();

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("statement timeout");

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(20));
        assertOnlyTheFirstFileIsRecordedAndProbesHasNoNote();
    }

    @Test
    void aTimeoutThatIsNoDurationFailsTheGoalNamingTheParameterBeforeConnecting() {
        migrate.url = "jdbc:postgresql://localhost:1/blog";
        migrate.lockTimeout = "ten seconds";

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("ashlar.lockTimeout 'ten seconds' is not a duration: use e.g. 500ms, 10s");
    }

    @Test
    void contextsAndLabelsChooseTheFilesWithSuchHeaders() throws Exception {
        Files.writeString(project.resolve("db/migrations/20260102000000_seed_probes.sql"), "-- context: test\n"
                + "-- labels: seed\n-- migrate:up\nINSERT INTO probes VALUES (1);\n-- migrate:down\nDELETE FROM probes;\n");
        migrate.url = db.jdbcUrl();
        migrate.contexts = List.of("prod");

        migrate.execute();
        assertThat(db.value("SELECT count(*) FROM probes")).isEqualTo(0L);

        migrate.contexts = List.of("test");
        migrate.labels = "seed and !eu";
        migrate.execute();
        assertThat(db.value("SELECT count(*) FROM probes")).isEqualTo(1L);
    }

    @Test
    void connectRetriesTryADatabaseThatDoesNotAnswerAgainBeforeFailing() {
        migrate.url = "jdbc:postgresql://localhost:1/blog";
        migrate.connectRetries = 1;
        long start = System.nanoTime();

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("Connection to localhost:1 refused").hasMessageContaining("after 1 connection retries");

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(1));
    }

    @Test
    void validateCountsAnEditedRepeatableFileAsPendingAsMigrateWouldRunIt() throws Exception {
        ValidateMojo validate = validateOverAnOutdatedRepeatable();
        List<String> logged = new ArrayList<>();
        validate.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                logged.add(content.toString());
            }
        });

        validate.execute();

        assertThat(logged).contains("The migration history agrees with the files: 1 applied, 1 pending (ashlar:migrate "
                + "applies them).");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'probe_ids'"))
                .isEqualTo(1L);
    }

    @Test
    void validateWithFlywaysDefaultIgnorePatternFailsOnAnOutdatedRepeatableAndPassesWithPending() throws Exception {
        ValidateMojo validate = validateOverAnOutdatedRepeatable();

        validate.ignoreMigrationPatterns = "*:future";
        assertThatThrownBy(validate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("Validation of public failed: R__probe_ids.sql (pending)")
                .hasMessageContaining("-Dashlar.ignoreMigrationPatterns");
        validate.ignoreMigrationPatterns = "*:future,repeatable:pending";
        validate.execute();
        validate.ignoreMigrationPatterns = "*:outdated";
        assertThatThrownBy(validate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("'*:outdated' is no migration pattern");
    }

    /**
     * Several problems fail the build as one numbered list, and the Maven hint stands on a line of its own after it
     * rather than reading as the end of the last problem.
     */
    @Test
    void validateWithSeveralProblemsListsEachAndPutsTheMavenHintAfterTheList() throws Exception {
        ValidateMojo validate = validateOverAnOutdatedRepeatable();
        Files.delete(project.resolve("db/migrations/20260101000000_create_probes.sql"));

        validate.ignoreMigrationPatterns = "*:future";
        assertThatThrownBy(validate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("Validation of public found 2 problems:")
                .hasMessageContaining("1. Migration 20260101000000_create_probes.sql is applied to public but missing")
                .hasMessageContaining("2. Validation of public failed: R__probe_ids.sql (pending)")
                .hasMessageMatching("(?s).*\\(pending\\).*\\nFrom Maven: restore the files, or run ashlar:repair.*");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
    }

    /** A validate goal over a repeatable file applied, then edited: pending, as migrate would run it again. */
    private ValidateMojo validateOverAnOutdatedRepeatable() throws Exception {
        Path view = project.resolve("db/migrations/R__probe_ids.sql");
        Files.writeString(view, "-- migrate:up\nCREATE OR REPLACE VIEW probe_ids AS SELECT id FROM probes;\n");
        migrate.url = db.urlWithCredentials();
        migrate.execute();
        Files.writeString(view, "-- migrate:up\nCREATE OR REPLACE VIEW probe_ids AS SELECT id, 1 AS one FROM probes;\n");
        ValidateMojo validate = new ValidateMojo();
        validate.mavenProject = migrate.mavenProject;
        validate.folder = migrate.folder;
        validate.url = migrate.url;
        return validate;
    }

    /** A rollback goal of the migrate goal's project, folder and database. */
    private RollbackMojo rollbackLikeMigrate() {
        RollbackMojo rollback = new RollbackMojo();
        rollback.mavenProject = migrate.mavenProject;
        rollback.folder = migrate.folder;
        rollback.url = migrate.url;
        return rollback;
    }

    /** A second migration, after the first one's probes table: it makes more_probes. */
    private void writeSecondFile() throws IOException {
        Files.writeString(migrate.folder.toPath().resolve("migrations/20260101000001_create_more.sql"),
                "-- migrate:up\nCREATE TABLE more_probes (id bigint);\n-- migrate:down\nDROP TABLE more_probes;\n");
    }

    private void applyTheFirstFileThenWriteASecondOne(String up) throws Exception {
        migrate.url = db.jdbcUrl();
        migrate.execute();
        Files.writeString(migrate.folder.toPath().resolve("migrations/20260101000001_alter_probes.sql"),
                "-- migrate:up\n" + up + "\n-- migrate:down\nALTER TABLE probes DROP COLUMN note;\n");
    }

    private void assertOnlyTheFirstFileIsRecordedAndProbesHasNoNote() {
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'probes' "
                + "AND column_name = 'note'")).isEqualTo(0L);
    }

    private void assertOnlyTheFirstFileIsApplied() {
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations")).isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('public.more_probes') IS NULL AND to_regclass('public.probes') "
                + "IS NOT NULL")).isEqualTo(true);
    }
}
