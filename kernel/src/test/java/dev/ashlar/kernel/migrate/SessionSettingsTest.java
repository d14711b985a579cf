package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A migration file that changes its session's role or search path does not change where the next file runs. */
@ExtendWith(PostgresExtension.class)
class SessionSettingsTest {
    private static final String ROLE = "ashlar_test_schema_owner";

    @TempDir
    Path folder;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        db.execute("DROP SCHEMA IF EXISTS elsewhere CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
                + "DO $$ BEGIN CREATE ROLE " + ROLE + " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
                + "GRANT CREATE, USAGE ON SCHEMA public TO " + ROLE);
    }

    @AfterEach
    void dropRole(TestDatabase db) {
        db.execute("DROP SCHEMA IF EXISTS elsewhere CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
                + "DROP OWNED BY " + ROLE + "; DROP ROLE " + ROLE);
    }

    private void file(String name, String upLine, String up) throws IOException {
        Files.writeString(folder.resolve(name), upLine + "\n" + up + "\n-- migrate:down\n-- nothing to undo\n");
    }

    @Test
    void aRoleSetByAFileOwnsItsObjectsButNotTheHistoryRowOrTheNextFile(TestDatabase db) throws IOException {
        // The role may not write the history table: had it stayed set, recording the file would fail.
        file("20260101000000_owned.sql", "-- migrate:up", "SET ROLE " + ROLE + ";\nCREATE TABLE owned (id int);");
        file("20260101000001_next.sql", "-- migrate:up", "CREATE TABLE next (id int);");

        new Migrator(db.dataSource(), folder).migrate();

        assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'owned'")).isEqualTo(ROLE);
        assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'next'")).isEqualTo(db.user());
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
    }

    @Test
    void aSearchPathSetByAFileDoesNotMoveTheNextFilesTables(TestDatabase db) throws IOException {
        file("20260101000000_elsewhere.sql", "-- migrate:up",
                "CREATE SCHEMA elsewhere;\nSET search_path TO elsewhere;\nCREATE TABLE inside (id int);");
        file("20260101000001_next.sql", "-- migrate:up transaction:false", "CREATE TABLE next (id int);");

        new Migrator(db.dataSource(), folder).migrate();

        assertThat(db.value("SELECT to_regclass('elsewhere.inside') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT table_schema FROM information_schema.tables WHERE table_name = 'next'"))
                .isEqualTo("public");
    }

    @Test
    void aFileThatResetsAllSettingsBeforeSettingItsSearchPathIsRecordedAndTheNextFileRunsInPublic(TestDatabase db)
            throws IOException {
        file("20260101000000_elsewhere.sql", "-- migrate:up transaction:false",
                "RESET ALL;\nCREATE SCHEMA elsewhere;\nSET search_path TO elsewhere;\nCREATE TABLE inside (id int);");
        file("20260101000001_next.sql", "-- migrate:up", "CREATE TABLE next (id int);");

        assertThat(new Migrator(db.dataSource(), folder).migrate()).hasSize(2);

        assertThat(db.value("SELECT to_regclass('elsewhere.inside') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT table_schema FROM information_schema.tables WHERE table_name = 'next'"))
                .isEqualTo("public");
        assertThat(db.value("SELECT count(*) FROM public.ashlar_schema_migrations")).isEqualTo(2L);
    }

    @Test
    void aFileOutsideATransactionThatFailsAfterSettingARoleLeavesItsConnectionAsItWas(TestDatabase db)
            throws IOException, SQLException {
        file("20260101000000_fails.sql", "-- migrate:up transaction:false",
                "SET ROLE " + ROLE + ";\nSET search_path TO nowhere;\nSELECT missing_function();");
        MigrationFile failing = MigrationDirectory.read(folder).get(0);

        try (Connection connection = db.dataSource().getConnection()) {
            String path = setting(connection, "search_path");
            assertThatThrownBy(() -> new FileRunner("public", false)
                    .run(connection, failing, FileRunner.Direction.UP, TransactionMode.NONE))
                    .isInstanceOf(MigrationException.class).hasMessageContaining("missing_function");

            assertThat(setting(connection, "role")).isEqualTo("none");
            assertThat(setting(connection, "search_path")).isEqualTo(path);
        }
    }

    @Test
    void aConnectionGoesBackWithTheSettingsItCameWithAfterAFileInATransaction(TestDatabase db)
            throws IOException, SQLException {
        file("20260101000000_sets.sql", "-- migrate:up",
                "SET ROLE " + ROLE + ";\nSET statement_timeout = '1234s';\nCREATE TABLE owned (id int);");
        MigrationFile sets = MigrationDirectory.read(folder).get(0);

        try (Connection connection = db.dataSource().getConnection()) {
            new History("public", History.DEFAULT_TABLE).create(connection);
            String timeout = setting(connection, "statement_timeout");
            new FileRunner("public", false).run(connection, sets, FileRunner.Direction.UP, TransactionMode.OWN);

            assertThat(setting(connection, "role")).isEqualTo("none");
            assertThat(setting(connection, "statement_timeout")).isEqualTo(timeout);
        }
        assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'owned'")).isEqualTo(ROLE);
    }

    private static String setting(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT current_setting(?)")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    @Test
    void findsTheSettingsAFileChangesForItsSessionOnly() {
        assertThat(SessionSettings.changedBy(List.of(
                "SET LOCAL search_path TO x", "SET CONSTRAINTS ALL DEFERRED", "SET TRANSACTION READ ONLY",
                "SELECT set_config('role', 'x', false)", "CREATE TABLE t (id int)"))).isEmpty();
        assertThat(SessionSettings.changedBy(List.of(
                "-- own the tables\nSET ROLE owner", "set search_path = app, public",
                "SET SESSION AUTHORIZATION someone", "RESET statement_timeout", "SET \"app.Tenant\" TO 'x'",
                "SET TIME ZONE 'UTC'", "SET SCHEMA 'app'")))
                .containsExactly("session_authorization", "role", "search_path", "statement_timeout", "app.Tenant",
                        "timezone");
    }
}
