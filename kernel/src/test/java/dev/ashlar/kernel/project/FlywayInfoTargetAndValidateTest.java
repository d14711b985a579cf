package dev.ashlar.kernel.project;

import dev.ashlar.kernel.migrate.DryRun;
import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.migrate.MigrationEvent;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationListener;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flyway's info with a target (above-target files), validateOnMigrate=false and skipDefaultCallbacks, through the
 * project.
 */
@ExtendWith(PostgresExtension.class)
class FlywayInfoTargetAndValidateTest {
    @TempDir
    Path dir;
    TestDatabase db;
    final List<String> progress = new ArrayList<>();

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.createDirectories(dir.resolve("migrations"));
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);");
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);");
        file("20260103000000_create_notes.sql", "CREATE TABLE notes (id int);");
    }

    private void file(String name, String up) throws IOException {
        Files.writeString(dir.resolve("migrations").resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n"
                + "SELECT 1;\n");
    }

    private Project project() {
        return Project.open(dir).dataSource(db.dataSource()).progress(progress::add);
    }

    private static List<String> states(List<MigrationStatus> statuses) {
        return statuses.stream().map(s -> s.version() + ":" + s.stateName()).toList();
    }

    @Test
    void statusWithATargetShowsThePendingFilesAfterItAsAboveTargetWhichMigrateToThatTargetLeavesPending() {
        project().migrateTo("20260101000000");

        List<MigrationStatus> statuses = project().status("20260102000000");
        project().migrateTo("20260102000000");

        assertThat(states(statuses)).containsExactly("20260101000000:applied", "20260102000000:pending",
                "20260103000000:above-target");
        assertThat(states(project().status())).containsExactly("20260101000000:applied", "20260102000000:applied",
                "20260103000000:pending");
        assertThat(states(project().status("current"))).containsExactly("20260101000000:applied",
                "20260102000000:applied", "20260103000000:above-target");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aStatusTargetThatNamesNoFileIsRefusedNamingTheNearestVersions() {
        assertThatThrownBy(() -> project().status("20260102120000")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("No migration has version 20260102120000")
                .hasMessageContaining("20260102000000_create_tags.sql (before it)")
                .hasMessageContaining("20260103000000_create_notes.sql (after it)");
    }

    @Test
    void withoutValidateOnMigrateAChangedAppliedFileDoesNotStopTheRunWhichWarnsThatItWasNotChecked()
            throws IOException {
        project().migrateTo("20260101000000");
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int, edited text);");

        assertThatThrownBy(() -> project().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("was changed after it was applied");
        assertThat(db.value("SELECT to_regclass('tags') IS NULL")).isEqualTo(true);

        project().migrate(MigrateRun.all().validateOnMigrate(false));

        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL AND to_regclass('notes') IS NOT NULL"))
                .isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'edited'")).isEqualTo(0L);
        assertThat(progress).anyMatch(line -> line.startsWith("warning: ")
                && line.contains("a changed applied file was not checked"));
    }

    @Test
    void skippingTheDefaultCallbacksLeavesTheCallbackFilesOutWhileTheListenersAreStillTold() throws IOException {
        Files.writeString(dir.resolve("migrations").resolve("beforeMigrate.sql"), "CREATE TABLE before_ran (id int);");
        Files.writeString(dir.resolve("migrations").resolve("afterEachMigrate.sql"),
                "CREATE TABLE IF NOT EXISTS each_ran (id int);");
        List<String> told = new ArrayList<>();
        MigrationListener listener = new MigrationListener() {
            @Override
            public void afterRun(MigrationEvent event, List<MigrationFile> files) {
                told.add("afterRun " + files.size());
            }
        };

        project().listener(listener).migrate(MigrateRun.all().upTo("20260102000000").skipDefaultCallbacks(true));

        assertThat(told).containsExactly("afterRun 2");
        assertThat(db.value("SELECT to_regclass('before_ran') IS NULL AND to_regclass('each_ran') IS NULL"))
                .isEqualTo(true);
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL")).isEqualTo(true);
        assertThat(project().dryRun(MigrateRun.all().skipDefaultCallbacks(true))).extracting(DryRun::migration)
                .containsOnly(true);

        project().listener(listener).migrate();

        assertThat(told).containsExactly("afterRun 2", "afterRun 1");
        assertThat(db.value("SELECT to_regclass('before_ran') IS NOT NULL AND to_regclass('each_ran') IS NOT NULL"))
                .isEqualTo(true);
    }

    @Test
    void aTenantRunSkippingTheDefaultCallbacksIsRefused() {
        assertThatThrownBy(() -> project().migrateTenants(TenantSelection.all(),
                MigrateRun.all().skipDefaultCallbacks(true))).isInstanceOf(MigrationException.class)
                .hasMessageContaining("--skip-default-callbacks").hasMessageContaining("main schema only");
    }

    @Test
    void aTenantRunWithoutValidateOnMigrateIsRefusedApplyingNothing() {
        assertThatThrownBy(() -> project().migrateTenants(TenantSelection.all(),
                MigrateRun.all().validateOnMigrate(false))).isInstanceOf(MigrationException.class)
                .hasMessageContaining("--no-validate").hasMessageContaining("main schema only");
    }
}
