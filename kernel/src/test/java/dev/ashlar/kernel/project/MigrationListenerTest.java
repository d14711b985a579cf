package dev.ashlar.kernel.project;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.kernel.migrate.MigrationEvent;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationListener;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flyway's callbacks: a listener told around each run and each file, with SQL of its own in the file's transaction. */
@ExtendWith(PostgresExtension.class)
class MigrationListenerTest {
    @TempDir
    Path dir;
    TestDatabase db;
    Project project;

    @BeforeEach
    void twoFiles(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE TABLE audit (line text)");
        Files.createDirectories(dir.resolve("migrations"));
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");
        project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { });
    }

    /** Writes each event as a line of the audit table, on the run's connection, and keeps it in a list. */
    static final class Audit implements MigrationListener {
        final List<String> events = new ArrayList<>();

        void audit(MigrationEvent event, String what) throws SQLException {
            String line = what + event.migration().map(f -> " " + f.version()).orElse("") + " " + event.direction()
                    + (event.connection().getAutoCommit() ? "" : " in transaction");
            events.add(line);
            try (PreparedStatement insert = event.connection().prepareStatement("INSERT INTO audit VALUES (?)")) {
                insert.setString(1, line);
                insert.executeUpdate();
            }
        }

        @Override
        public void beforeRun(MigrationEvent event) throws SQLException {
            audit(event, "beforeRun");
        }

        @Override
        public void beforeEach(MigrationEvent event) throws SQLException {
            audit(event, "beforeEach");
        }

        @Override
        public void afterEach(MigrationEvent event, long millis) throws SQLException {
            audit(event, "afterEach");
        }

        @Override
        public void afterEachError(MigrationEvent event, Exception error) throws SQLException {
            audit(event, "afterEachError");
        }

        @Override
        public void afterRun(MigrationEvent event, List<MigrationFile> files) throws SQLException {
            audit(event, "afterRun " + files.size());
        }

        @Override
        public void afterRunError(MigrationEvent event, Exception error) throws SQLException {
            audit(event, "afterRunError");
        }
    }

    @Test
    void aListenerIsToldAroundTheRunAndEachFileAndItsSqlCommitsWithTheFile() {
        Audit audit = new Audit();

        project.listener(audit).migrate();

        assertThat(audit.events).containsExactly("beforeRun UP", "beforeEach 20260101000000 UP in transaction",
                "afterEach 20260101000000 UP in transaction", "beforeEach 20260102000000 UP in transaction",
                "afterEach 20260102000000 UP in transaction", "afterRun 2 UP");
        assertThat(db.value("SELECT string_agg(line, '|') FROM audit")).isEqualTo(String.join("|", audit.events));
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
    }

    @Test
    void aRollbackTellsTheListenerItsFilesGoingDownNewestFirst() {
        project.migrate();
        Audit audit = new Audit();

        project.listener(audit).rollback(2);

        assertThat(audit.events).containsExactly("beforeRun DOWN", "beforeEach 20260102000000 DOWN in transaction",
                "afterEach 20260102000000 DOWN in transaction", "beforeEach 20260101000000 DOWN in transaction",
                "afterEach 20260101000000 DOWN in transaction", "afterRun 2 DOWN");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL AND to_regclass('tags') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFailingFileIsToldAfterItsRollbackAndWhatTheListenerWroteInItsTransactionIsGoneWithIt() throws IOException {
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);\nCREATE TABLE tags (id int);",
                "DROP TABLE tags;");
        Audit audit = new Audit();

        assertThatThrownBy(() -> project.listener(audit).migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_create_tags.sql failed on public at statement 2");

        assertThat(audit.events).containsExactly("beforeRun UP", "beforeEach 20260101000000 UP in transaction",
                "afterEach 20260101000000 UP in transaction", "beforeEach 20260102000000 UP in transaction",
                "afterEachError 20260102000000 UP", "afterRunError UP");
        assertThat(db.value("SELECT string_agg(line, '|') FROM audit")).isEqualTo("beforeRun UP|beforeEach "
                + "20260101000000 UP in transaction|afterEach 20260101000000 UP in transaction|afterEachError "
                + "20260102000000 UP|afterRunError UP");
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations")).isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NULL")).isEqualTo(true);
    }

    @Test
    void aListenerThatRefusesAFileFailsItNamingTheListenerAndTheFileAndNothingOfTheFileStays() {
        MigrationListener refuse = new MigrationListener() {
            @Override
            public void afterEach(MigrationEvent event, long millis) {
                if (event.file().name().equals("create_tags")) {
                    throw new IllegalStateException("tags need a review first");
                }
            }
        };

        assertThatThrownBy(() -> project.listener(refuse).migrate()).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("A migration listener failed in afterEach of 20260102000000_create_tags.sql on "
                        + "public: tags need a review first. The file was rolled back and not recorded.");

        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations")).isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL AND to_regclass('tags') IS NULL")).isEqualTo(true);
    }

    @Test
    void aListenerFailingAfterAnErrorIsAddedToTheErrorAndNeverReplacesIt() throws IOException {
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id nosuchtype);", "DROP TABLE tags;");
        MigrationListener broken = new MigrationListener() {
            @Override
            public void afterEachError(MigrationEvent event, Exception error) throws SQLException {
                throw new SQLException("audit server is down");
            }
        };

        assertThatThrownBy(() -> project.listener(broken).migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("type \"nosuchtype\" does not exist")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .contains("audit server is down"));
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations")).isEqualTo("20260101000000");
    }

    /** Keeps each command event with what the command did, after checking the event's connection works. */
    static final class Commands implements MigrationListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void beforeCommand(Command command, MigrationEvent event) throws SQLException {
            assertThat(event.connection().isValid(1)).isTrue();
            events.add("before " + command + " " + event.schema() + " " + event.direction());
        }

        @Override
        public void afterCommand(Command command, MigrationEvent event, List<String> done) {
            events.add("after " + command + " " + done);
        }

        @Override
        public void afterCommandError(Command command, MigrationEvent event, Exception error) {
            events.add("error " + command + ": " + error.getMessage().substring(0, 40));
        }
    }

    @Test
    void baselineRepairValidateAndCleanTellTheListenerBeforeAndAfterWithWhatEachDid() throws IOException {
        Commands commands = new Commands();
        Project told = project.listener(commands).cleanEnabled(true);

        told.baseline("20260101000000");
        told.validate();
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int); -- reviewed", "DROP TABLE notes;");
        told.repair();
        told.clean();

        assertThat(commands.events).containsExactly(
                "before BASELINE public null", "after BASELINE [20260101000000_create_notes.sql]",
                "before VALIDATE public null",
                "after VALIDATE [20260101000000_create_notes baselined, 20260102000000_create_tags pending]",
                "before REPAIR public null", "after REPAIR [recorded the new text of 20260101000000_create_notes.sql "
                        + "in public (not run)]",
                "before CLEAN public null", "after CLEAN [dropped table public.ashlar_schema_migrations, dropped "
                        + "table public.audit]");
    }

    @Test
    void aCommandThatFailsTellsTheListenerAfterItsError() throws IOException {
        project.migrate();
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id bigint);", "DROP TABLE notes;");
        Commands commands = new Commands();

        assertThatThrownBy(() -> project.listener(commands).validate()).isInstanceOf(MigrationException.class);

        assertThat(commands.events).hasSize(2).first().isEqualTo("before VALIDATE public null");
        assertThat(commands.events.get(1)).startsWith("error VALIDATE: ");
    }

    @Test
    void aListenerThatRefusesACleanStopsItBeforeAnythingIsDropped() {
        project.migrate();
        MigrationListener guard = new MigrationListener() {
            @Override
            public void beforeCommand(Command command, MigrationEvent event) throws SQLException {
                try (var name = event.connection().createStatement();
                     var row = name.executeQuery("SELECT current_database()")) {
                    row.next();
                    if (command == Command.CLEAN && !row.getString(1).startsWith("scratch_")) {
                        throw new IllegalStateException("clean runs on scratch databases only");
                    }
                }
            }
        };

        assertThatThrownBy(() -> project.listener(guard).cleanEnabled(true).clean())
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("A migration listener failed in beforeCommand of clean on public: clean runs "
                        + "on scratch databases only. The clean did not start.");
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL AND to_regclass('audit') IS NOT NULL"))
                .isEqualTo(true);
    }

    @Test
    void aNullListenerIsRefusedNamingTheCallInsteadOfFailingLaterWithoutAName() {
        assertThatThrownBy(() -> project.listener(null)).isInstanceOf(AshlarException.class)
                .hasMessage("Project.listener was given null: give a MigrationListener, or add none");
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(dir.resolve("migrations").resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down
                + "\n");
    }
}
