package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.tenant.TenantSchemas;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Init scripts (Ebean's {@code dbinit}): on a schema with no history and no objects, the newest script of
 * {@code dbinit/} the run reaches runs instead of the files up to its version, which are recorded as baselined, and the
 * later files run as usual; a schema with history never runs one.
 */
@ExtendWith(PostgresExtension.class)
class InitScriptsTest {
    private static final String CREATE_NOTES = "-- migrate:up\nCREATE TABLE notes (id int PRIMARY KEY, body text);\n"
            + "INSERT INTO notes VALUES (1, 'a'), (2, 'b');\n-- migrate:down\nDROP TABLE notes;\n";
    private static final String ADD_TITLE = "-- migrate:up\nALTER TABLE notes ADD COLUMN title text;\n"
            + "CREATE INDEX notes_title ON notes (title);\n-- migrate:down\nALTER TABLE notes DROP COLUMN title;\n";
    private static final String ADD_STARS = "-- migrate:up\nALTER TABLE notes ADD COLUMN stars int NOT NULL DEFAULT 0;\n"
            + "-- migrate:down\nALTER TABLE notes DROP COLUMN stars;\n";
    // What the first two files make, written as one; no file runs after it, so a CREATE TABLE notes there would fail.
    private static final String INIT = "-- migrate:up\nCREATE TABLE notes (id int PRIMARY KEY, body text, title text);\n"
            + "CREATE INDEX notes_title ON notes (title);\nINSERT INTO notes (id, body) VALUES (1, 'a'), (2, 'b');\n";

    @TempDir
    Path folder;

    @BeforeEach
    void files(TestDatabase db) throws IOException {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.writeString(folder.resolve("20260101000000_create_notes.sql"), CREATE_NOTES);
        Files.writeString(folder.resolve("20260102000000_add_title.sql"), ADD_TITLE);
        Files.writeString(folder.resolve("20260103000000_add_stars.sql"), ADD_STARS);
        Files.createDirectory(folder.resolve("dbinit"));
        Files.writeString(folder.resolve("dbinit/20260102000000_notes.sql"), INIT);
    }

    @Test
    void anEmptySchemaRunsTheInitScriptInsteadOfTheFilesUpToItsVersionThenTheLaterFiles(TestDatabase db) {
        List<MigrationFile> ran = new Migrator(db.dataSource(), folder).migrate();

        assertThat(ran).extracting(MigrationFile::path).containsExactly(folder.resolve("dbinit/20260102000000_notes.sql"),
                folder.resolve("20260103000000_add_stars.sql"));
        assertThat(db.query("SELECT version, name, baselined, checksum FROM ashlar_schema_migrations ORDER BY version"))
                .containsExactly(row("20260101000000", "create_notes", true, checksum("20260101000000_create_notes.sql")),
                        row("20260102000000", "add_title", true, checksum("20260102000000_add_title.sql")),
                        row("20260103000000", "add_stars", false, checksum("20260103000000_add_stars.sql")));
        assertThat(db.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = 'notes' ORDER BY ordinal_position")).extracting(r -> r.get("column_name"))
                .containsExactly("id", "body", "title", "stars");
        assertThat(db.query("SELECT id, stars FROM notes ORDER BY id")).containsExactly(Map.of("id", 1, "stars", 0),
                Map.of("id", 2, "stars", 0));
        MigrationStatus first = new Migrator(db.dataSource(), folder).status().get(0);
        assertThat(first.state()).isEqualTo(MigrationStatus.State.BASELINED);
        assertThat(new Migrator(db.dataSource(), folder).migrate()).isEmpty();
    }

    @Test
    void aSchemaWithHistoryIgnoresTheInitScripts(TestDatabase db) {
        new Migrator(db.dataSource(), folder).migrateTo("20260101000000");

        new Migrator(db.dataSource(), folder).migrate();

        assertThat(db.query("SELECT version, baselined FROM ashlar_schema_migrations ORDER BY version"))
                .extracting(r -> r.get("baselined")).containsExactly(false, false, false);
        assertThat(db.value("SELECT count(*) FROM notes")).isEqualTo(2L);
    }

    @Test
    void aRunToAVersionBeforeTheInitScriptAppliesTheFilesOneByOne(TestDatabase db) {
        List<MigrationFile> ran = new Migrator(db.dataSource(), folder).migrateTo("20260101000000");

        assertThat(ran).extracting(MigrationFile::fileName).containsExactly("20260101000000_create_notes.sql");
        assertThat(db.value("SELECT bool_or(baselined) FROM ashlar_schema_migrations")).isEqualTo(false);
    }

    @Test
    void aRunToTheNextVersionRunsOnlyTheInitScriptThatReachesIt(TestDatabase db) throws IOException {
        Files.writeString(folder.resolve("dbinit/20260101000000_first.sql"), "-- migrate:up\nCREATE TABLE notes (id int "
                + "PRIMARY KEY, body text);\nINSERT INTO notes VALUES (1, 'a'), (2, 'b');\n");
        Migrator migrator = new Migrator(db.dataSource(), folder);

        assertThat(migrator.dryRun(MigrateRun.all().upTo(MigrateRun.NEXT))).extracting(dry -> dry.file().fileName())
                .containsExactly("20260101000000_first.sql");
        assertThat(migrator.migrate(MigrateRun.all().upTo(MigrateRun.NEXT))).extracting(MigrationFile::fileName)
                .containsExactly("20260101000000_first.sql");

        assertThat(db.query("SELECT version, baselined FROM ashlar_schema_migrations ORDER BY version"))
                .extracting(r -> r.get("version") + " " + r.get("baselined")).containsExactly("20260101000000 true");
        assertThat(db.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = 'notes' ORDER BY ordinal_position")).extracting(r -> r.get("column_name"))
                .containsExactly("id", "body");
        assertThat(migrator.migrate()).extracting(MigrationFile::fileName).containsExactly(
                "20260102000000_add_title.sql", "20260103000000_add_stars.sql");
    }

    @Test
    void theSchemaMadeByTheInitScriptAndTheLaterFilesEqualsTheOneMadeByEveryFile(TestDatabase db) throws IOException {
        Path plain = Files.createDirectory(folder.resolve("../plain-" + folder.getFileName()));
        for (String name : List.of("20260101000000_create_notes.sql", "20260102000000_add_title.sql",
                "20260103000000_add_stars.sql")) {
            Files.copy(folder.resolve(name), plain.resolve(name));
        }
        db.execute("CREATE SCHEMA by_init; CREATE SCHEMA by_files");

        new Migrator(db.dataSource(), folder).forSchema("by_init").migrate();
        new Migrator(db.dataSource(), plain).forSchema("by_files").migrate();

        assertThat(db.value("SELECT count(*) FROM by_init.ashlar_schema_migrations WHERE baselined")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM by_files.ashlar_schema_migrations WHERE baselined")).isEqualTo(0L);
        assertThat(catalog(db, "by_init")).isEqualTo(catalog(db, "by_files")).isNotEmpty();
        assertThat(db.query("SELECT * FROM by_init.notes ORDER BY id"))
                .isEqualTo(db.query("SELECT * FROM by_files.notes ORDER BY id"));
    }

    @Test
    void aNewTenantSchemaIsCreatedFromTheTenantInitScriptAndRecordsTheFilesItStandsFor(TestDatabase db)
            throws Exception {
        TenantSchemas schemas = new TenantSchemas(folder);
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            List<MigrationFile> ran = schemas.create(connection, "tenant_acme");
            connection.commit();
            assertThat(ran).extracting(MigrationFile::fileName).containsExactly("20260102000000_notes.sql",
                    "20260103000000_add_stars.sql");
        }

        assertThat(db.query("SELECT version, baselined FROM tenant_acme.ashlar_schema_migrations ORDER BY version"))
                .extracting(r -> r.get("version") + " " + r.get("baselined"))
                .containsExactly("20260101000000 true", "20260102000000 true", "20260103000000 false");
        assertThat(db.query("SELECT version, checksum FROM ashlar_tenant_migrations WHERE schema_name = 'tenant_acme' "
                + "ORDER BY version")).extracting(r -> r.get("checksum")).containsExactly(
                checksum("20260101000000_create_notes.sql"), checksum("20260102000000_add_title.sql"),
                checksum("20260103000000_add_stars.sql"));
        assertThat(db.query("SELECT id, title, stars FROM tenant_acme.notes ORDER BY id")).hasSize(2);
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
        // A tenant run then finds every file applied.
        assertThat(new Migrator(db.dataSource(), folder).forSchema("tenant_acme").migrate()).isEmpty();
    }

    /**
     * From the other tenant's side: creating a tenant from the init script writes only in the new schema (the script
     * names it through {@code ${ashlar:schema}} too), and creating one under an existing tenant's name runs nothing
     * there.
     */
    @Test
    void aTenantInitScriptRunsOnlyInTheSchemaBeingCreated(TestDatabase db) throws Exception {
        Files.writeString(folder.resolve("dbinit/20260102000000_notes.sql"), INIT
                + "COMMENT ON TABLE ${ashlar:schema}.notes IS 'made in ${ashlar:schema}';\n");
        db.execute("DROP SCHEMA IF EXISTS tenant_victim CASCADE; DROP SCHEMA IF EXISTS tenant_joiner CASCADE");
        TenantSchemas schemas = new TenantSchemas(folder);
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            schemas.create(connection, "tenant_victim");
            connection.commit();
        }
        db.execute("INSERT INTO tenant_victim.notes (id, body) VALUES (3, 'secret')");
        List<Map<String, Object>> otherRows = db.query("SELECT * FROM tenant_victim.notes ORDER BY id");
        List<Map<String, Object>> otherHistory = db.query("SELECT version, name, checksum, baselined FROM "
                + "tenant_victim.ashlar_schema_migrations ORDER BY version");
        List<Map<String, Object>> otherRegistry = db.query("SELECT version, checksum FROM ashlar_tenant_migrations "
                + "WHERE schema_name = 'tenant_victim' ORDER BY version");

        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            schemas.create(connection, "tenant_joiner");
            connection.commit();
        }
        Throwable taken;
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            taken = catchThrowable(() -> schemas.create(connection, "tenant_victim"));
            connection.rollback();
        }

        assertThat(taken).isInstanceOf(AshlarException.class).hasMessageContaining("tenant_victim")
                .hasMessageContaining("already exists");
        assertThat(db.query("SELECT * FROM tenant_victim.notes ORDER BY id")).isEqualTo(otherRows).hasSize(3);
        assertThat(db.query("SELECT version, name, checksum, baselined FROM tenant_victim.ashlar_schema_migrations "
                + "ORDER BY version")).isEqualTo(otherHistory).hasSize(3);
        assertThat(db.query("SELECT version, checksum FROM ashlar_tenant_migrations WHERE schema_name = "
                + "'tenant_victim' ORDER BY version")).isEqualTo(otherRegistry).hasSize(3);
        assertThat(db.query("SELECT id FROM tenant_joiner.notes ORDER BY id")).extracting(r -> r.get("id"))
                .containsExactly(1, 2);
        assertThat(db.value("SELECT obj_description('tenant_joiner.notes'::regclass, 'pg_class')"))
                .isEqualTo("made in tenant_joiner");
        assertThat(db.value("SELECT obj_description('tenant_victim.notes'::regclass, 'pg_class')"))
                .isEqualTo("made in tenant_victim");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    /**
     * The win: a new tenant schema runs one file instead of every one. Tenants made from the init script and from the
     * files have the same catalog; the time of each way is logged (a figure, not asserted: the machine is shared).
     */
    @Test
    void tenantsCreatedFromTheInitScriptMatchTenantsCreatedFromEveryFile(TestDatabase db) throws Exception {
        Path init = Files.createDirectory(folder.resolve("../many-" + folder.getFileName()));
        Path plain = Files.createDirectory(folder.resolve("../many-plain-" + folder.getFileName()));
        StringBuilder columns = new StringBuilder();
        for (int i = 1; i <= 60; i++) {
            // A column added as int, indexed, then widened (a rewrite of the table and its indexes), as schemas grow.
            String sql = i == 1 ? CREATE_NOTES : "-- migrate:up\nALTER TABLE notes ADD COLUMN c" + i + " int NOT NULL "
                    + "DEFAULT " + i + ";\nCREATE INDEX notes_c" + i + " ON notes (c" + i + ");\nALTER TABLE notes "
                    + "ALTER COLUMN c" + i + " TYPE bigint;\n";
            String name = String.format("202601%08d_step_%d.sql", i, i);
            Files.writeString(init.resolve(name), sql);
            Files.writeString(plain.resolve(name), sql);
            if (i > 1) {
                columns.append(", c").append(i).append(" bigint NOT NULL DEFAULT ").append(i);
            }
        }
        StringBuilder script = new StringBuilder("-- migrate:up\nCREATE TABLE notes (id int PRIMARY KEY, body text"
                + columns + ");\nINSERT INTO notes (id, body) VALUES (1, 'a'), (2, 'b');\n");
        for (int i = 2; i <= 60; i++) {
            script.append("CREATE INDEX notes_c").append(i).append(" ON notes (c").append(i).append(");\n");
        }
        Files.createDirectory(init.resolve("dbinit"));
        Files.writeString(init.resolve("dbinit/20260100000060_notes.sql"), script.toString());

        TenantSchemas fromInit = new TenantSchemas(init);
        TenantSchemas fromFiles = new TenantSchemas(plain);
        // Warmed up first, then measured in turns, two schemas at a time (a rough figure for the log: the
        // benchmarks module measures tenant creation properly).
        createTenants(db, fromInit, "warm_init_", 0, 1);
        createTenants(db, fromFiles, "warm_files_", 0, 1);
        long byInit = 0;
        long byFiles = 0;
        for (int turn = 0; turn < 2; turn++) {
            byInit += createTenants(db, fromInit, "by_init_", turn * 2, 2);
            byFiles += createTenants(db, fromFiles, "by_files_", turn * 2, 2);
        }

        LoggerFactory.getLogger(InitScriptsTest.class).info("4 tenant schemas of 60 files: {} ms from the init "
                + "script, {} ms from every file", byInit, byFiles);
        assertThat(db.value("SELECT count(*) FROM by_init_1.ashlar_schema_migrations WHERE baselined")).isEqualTo(60L);
        assertThat(catalog(db, "by_init_1")).hasSize(catalog(db, "by_files_1").size())
                .isEqualTo(catalog(db, "by_files_1").stream().map(line -> line.replace("by_files_1", "by_init_1"))
                        .toList());
        assertThat(db.query("SELECT * FROM by_init_1.notes ORDER BY id"))
                .isEqualTo(db.query("SELECT * FROM by_files_1.notes ORDER BY id"));
    }

    private static long createTenants(TestDatabase db, TenantSchemas schemas, String prefix, int from, int count)
            throws Exception {
        long start = System.nanoTime();
        try (Connection connection = db.dataSource().getConnection()) {
            for (int i = from + 1; i <= from + count; i++) {
                connection.setAutoCommit(false);
                schemas.create(connection, prefix + i);
                connection.commit();
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void runnersStartedTogetherOnAnEmptySchemaRunTheInitScriptOnce(TestDatabase db) throws Exception {
        for (int round = 0; round < 10; round++) {
            db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
            CyclicBarrier start = new CyclicBarrier(3);
            List<CompletableFuture<List<MigrationFile>>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return new Migrator(db.dataSource(), folder).migrate();
                }));
            }
            int ran = 0;
            for (CompletableFuture<List<MigrationFile>> run : runs) {
                ran += run.get(60, TimeUnit.SECONDS).size();
            }
            assertThat(ran).isEqualTo(2);
            assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(3L);
            assertThat(db.value("SELECT count(*) FROM notes")).isEqualTo(2L);
        }
    }

    @Test
    void aSchemaHoldingTablesWithoutHistoryIsMigratedFileByFileNotFromTheInitScript(TestDatabase db) {
        db.execute("CREATE TABLE other_app (id int)");

        new Migrator(db.dataSource(), folder).migrate();

        assertThat(db.value("SELECT bool_or(baselined) FROM ashlar_schema_migrations")).isEqualTo(false);
    }

    @Test
    void anInitScriptWhoseVersionNoFileHasIsRefusedNamingIt(TestDatabase db) throws IOException {
        Files.writeString(folder.resolve("dbinit/20260104000000_all.sql"), INIT);
        Files.writeString(folder.resolve("beforeMigrate.sql"), "CREATE TABLE before_ran (id int);");

        Throwable failure = catchThrowable(() -> new Migrator(db.dataSource(), folder).migrate());

        assertThat(failure).isInstanceOf(MigrationException.class).hasMessageContaining("20260104000000_all.sql")
                .hasMessageContaining("which no versioned file of").hasMessageContaining("give it the version of the "
                        + "newest file it holds");
        // Refused before the run's callbacks too.
        assertThat(db.value("SELECT to_regclass('public.before_ran') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aLaterFileTheRunWouldRefuseStopsTheRunBeforeTheInitScriptRuns(TestDatabase db) throws IOException {
        Files.writeString(folder.resolve("20260103000000_add_stars.sql"), "-- migrate:up\nALTER TABLE notes ADD COLUMN "
                + "stars int;\nSELECT 'never closed;\n-- migrate:down\nALTER TABLE notes DROP COLUMN stars;\n");

        Throwable failure = catchThrowable(() -> new Migrator(db.dataSource(), folder).migrate());

        assertThat(failure).isInstanceOf(MigrationException.class).hasMessageContaining("20260103000000_add_stars.sql")
                .hasMessageContaining("never ends");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
        Files.writeString(folder.resolve("20260103000000_add_stars.sql"), ADD_STARS);
        assertThat(new Migrator(db.dataSource(), folder).migrate()).extracting(MigrationFile::fileName)
                .containsExactly("20260102000000_notes.sql", "20260103000000_add_stars.sql");
    }

    @Test
    void initScriptsInAnExtraFolderAreRefusedNotIgnored(TestDatabase db) throws IOException {
        Path extra = Files.createDirectories(folder.resolveSibling("extra-" + folder.getFileName()).resolve("dbinit"))
                .getParent();
        Files.writeString(extra.resolve("20260104000000_more.sql"), "-- migrate:up\nCREATE TABLE more (id int);\n");
        Files.writeString(extra.resolve("dbinit/20260104000000_more.sql"), "-- migrate:up\nCREATE TABLE more (id int);\n");

        Throwable failure = catchThrowable(() -> new Migrator(db.dataSource(), folder).extraFolders(List.of(extra))
                .migrate());

        assertThat(failure).isInstanceOf(MigrationException.class).hasMessageContaining("20260104000000_more.sql")
                .hasMessageContaining("would never run").hasMessageContaining(folder.resolve("dbinit").toString());
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aMisnamedOrRepeatableInitScriptIsRefusedAndAnotherSubFolderStillIs(TestDatabase db) throws IOException {
        Files.writeString(folder.resolve("dbinit/V2__notes.sql"), INIT);
        assertThat(catchThrowable(() -> new Migrator(db.dataSource(), folder).migrate()))
                .hasMessageContaining("V2__notes.sql").hasMessageContaining("<14-digit version>_");
        Files.delete(folder.resolve("dbinit/V2__notes.sql"));
        Files.writeString(folder.resolve("dbinit/R__views.sql"), "-- migrate:up\nSELECT 1;\n");
        assertThat(catchThrowable(() -> new Migrator(db.dataSource(), folder).migrate()))
                .hasMessageContaining("Init script").hasMessageContaining("R__views.sql")
                .hasMessageContaining("repeatable");
        Files.delete(folder.resolve("dbinit/R__views.sql"));
        Files.createDirectory(folder.resolve("2026"));
        Files.writeString(folder.resolve("2026/20260105000000_x.sql"), ADD_STARS);
        assertThat(catchThrowable(() -> new Migrator(db.dataSource(), folder).migrate()))
                .hasMessageContaining("would never run").hasMessageContaining("dbinit/, which holds init scripts");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aDryRunAndAScriptShowTheInitScriptAndTheFilesItRecords(TestDatabase db) throws Exception {
        Migrator migrator = new Migrator(db.dataSource(), folder);
        List<DryRun> dryRun = migrator.dryRun();

        assertThat(DryRunText.lines(dryRun, "would run")).contains("20260102000000_notes.sql (init script, run instead "
                + "of 2 file(s) up to 20260102000000, recorded as baselined: 20260101000000_create_notes.sql, "
                + "20260102000000_add_title.sql)", "20260103000000_add_stars.sql");
        String script = DryRunText.script(dryRun, FileRunner.Direction.UP, migrator.history());
        db.execute(script.replace("\\set ON_ERROR_STOP on\n", ""));
        assertThat(db.query("SELECT version, baselined FROM ashlar_schema_migrations ORDER BY version"))
                .extracting(r -> r.get("version") + " " + r.get("baselined"))
                .containsExactly("20260101000000 true", "20260102000000 true", "20260103000000 false");
        assertThat(db.value("SELECT count(*) FROM notes WHERE stars = 0")).isEqualTo(2L);
        assertThat(migrator.migrate()).isEmpty();
    }

    @Test
    void aRollbackRehearsalAndAPendingRollbackScriptTakeTheFilesAnInitScriptStandsForOneByOne(TestDatabase db)
            throws IOException {
        Path migrations = Files.createDirectories(folder.resolveSibling("project-" + folder.getFileName())
                .resolve("migrations"));
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                Path copy = migrations.resolve(folder.relativize(path).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(path, copy);
            }
        }
        Project project = Project.open(migrations.getParent()).dataSource(db.dataSource());

        assertThat(project.pendingRollbackDryRun(MigrateRun.all())).extracting(dry -> dry.file().fileName())
                .containsExactly("20260103000000_add_stars.sql", "20260102000000_add_title.sql",
                        "20260101000000_create_notes.sql");
        project.migrateTestingRollback(MigrateRun.all());

        assertThat(db.query("SELECT version, baselined FROM ashlar_schema_migrations ORDER BY version"))
                .extracting(r -> r.get("version") + " " + r.get("baselined"))
                .containsExactly("20260101000000 true", "20260102000000 true", "20260103000000 false");
        assertThat(db.value("SELECT count(*) FROM notes WHERE stars = 0")).isEqualTo(2L);
    }

    /** Each table's columns, indexes and constraints of a schema, with the schema's name left out. */
    private static List<String> catalog(TestDatabase db, String schema) {
        List<String> lines = new ArrayList<>();
        db.query("SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' "
                + "|| coalesce(column_default, '') AS line FROM information_schema.columns WHERE table_schema = ? "
                + "AND table_name <> 'ashlar_schema_migrations' ORDER BY 1", schema)
                .forEach(r -> lines.add((String) r.get("line")));
        db.query("SELECT replace(indexdef, ?, '') AS line FROM pg_indexes WHERE schemaname = ? "
                + "AND tablename <> 'ashlar_schema_migrations' ORDER BY 1", schema + ".", schema)
                .forEach(r -> lines.add((String) r.get("line")));
        db.query("SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(c.oid) AS line FROM pg_constraint c "
                + "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = ? ORDER BY 1", schema)
                .forEach(r -> lines.add(((String) r.get("line")).replace(schema + ".", "")));
        return lines;
    }

    private String checksum(String file) {
        return MigrationFile.read(folder.resolve(file)).checksum();
    }

    private static Map<String, Object> row(String version, String name, boolean baselined, String checksum) {
        return Map.of("version", version, "name", name, "baselined", baselined, "checksum", checksum);
    }
}
