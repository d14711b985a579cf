package dev.ashlar.kernel.project;

import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The main schema's run options in tenant schemas, each schema judged by its own history: a late file refused
 * ({@code --no-out-of-order}) and a rollback to a date ({@code --to-date}).
 */
@ExtendWith(PostgresExtension.class)
class TenantRunOptionsTest {
    private static final TenantSelection BOTH = TenantSelection.named(List.of("tro_a", "tro_b"));

    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void twoTenantsWithPostsAndNotes(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS tro_a CASCADE; DROP SCHEMA IF EXISTS tro_b CASCADE; CREATE SCHEMA tro_a; "
                + "CREATE SCHEMA tro_b; DROP TABLE IF EXISTS ashlar_tenant_migrations");
        file("20260101000000_create_posts.sql", "posts");
        file("20260103000000_create_notes.sql", "notes");
        assertThat(project().migrateTenants(BOTH).succeeded()).isTrue();
    }

    @Test
    void aTenantRunRefusingOutOfOrderFilesFailsTheSchemaThatAppliedANewerOneAndMigratesTheOthers() throws IOException {
        assertThat(project().rollbackTenants(TenantSelection.named(List.of("tro_b")), 1).succeeded()).isTrue();
        file("20260102000000_create_tags.sql", "tags");

        TenantReport refused = project().migrateTenants(BOTH, MigrateRun.all().outOfOrder(false));

        assertThat(refused.failed()).isEqualTo(1);
        assertThat(refused.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.schema()).isEqualTo("tro_a");
            assertThat(failure.message()).contains("Migration 20260102000000_create_tags.sql of ")
                    .contains("is older than 20260103000000, the newest version applied to tro_a")
                    .contains("Nothing was applied.");
        });
        assertThat(tables("tro_a")).isEqualTo("notes,posts");
        assertThat(tables("tro_b")).as("only its first file applied: nothing late there").isEqualTo("notes,posts,tags");
        assertThat(project().migrateTenants(BOTH).succeeded()).as("by default a late file applies").isTrue();
        assertThat(tables("tro_a")).isEqualTo("notes,posts,tags");
    }

    @Test
    void aTenantRollbackToADateUndoesInEachSchemaTheFilesItAppliedAfterIt() {
        db.execute("UPDATE tro_a.ashlar_schema_migrations SET applied_at = CASE version WHEN '20260101000000' "
                + "THEN '2026-11-30T10:00:00Z'::timestamptz ELSE '2026-12-02T10:00:00Z' END");
        db.execute("UPDATE tro_b.ashlar_schema_migrations SET applied_at = '2026-11-30T10:00:00Z'");

        TenantReport report = project().rollbackTenantsAfter(BOTH, Instant.parse("2026-12-01T00:00:00Z"));

        assertThat(report.succeeded()).as(report.failures().toString()).isTrue();
        assertThat(tables("tro_a")).isEqualTo("posts");
        assertThat(tables("tro_b")).isEqualTo("notes,posts");
        assertThat(db.value("SELECT string_agg(version, ',') FROM tro_a.ashlar_schema_migrations"))
                .isEqualTo("20260101000000");
        assertThat(project().tenantStatus(BOTH).pending()).as("the tenant registry learnt it").containsExactly("tro_a");
    }

    @Test
    void aTenantRunWithATargetAStepCountOrABaselineIsRefusedBeforeAnythingIsApplied() throws IOException {
        file("20260104000000_create_tags.sql", "tags");

        for (MigrateRun run : List.of(MigrateRun.all().upTo("20260104000000"), MigrateRun.all().steps(1),
                MigrateRun.all().baselineOnMigrate(null))) {
            assertThatThrownBy(() -> project().migrateTenants(BOTH, run)).isInstanceOf(MigrationException.class)
                    .hasMessageStartingWith("A tenant run applies every pending tenant migration: ")
                    .hasMessageContaining("applies to the main schema only").hasMessageEndingWith("Nothing was applied.");
        }
        assertThat(tables("tro_a") + " " + tables("tro_b")).isEqualTo("notes,posts notes,posts");
    }

    @Test
    void aTenantRunRefusingABoundNamesTheOptionGivenAndTheWayOn() {
        assertThatThrownBy(() -> project().migrateTenants(BOTH, MigrateRun.all().upToTag("release-1")))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("a tag to migrate to (upToTag(\"release-1\"), --to-tag release-1) applies to the "
                        + "main schema only").hasMessageContaining("migrate the main schema with it, then the tenant "
                        + "schemas without it");
        assertThatThrownBy(() -> project().migrateTenants(BOTH, MigrateRun.all().upTo("20260103000000")))
                .hasMessageContaining("a target version (upTo(\"20260103000000\"), --to 20260103000000) applies");
        assertThatThrownBy(() -> project().migrateTenants(BOTH, MigrateRun.all().steps(2)))
                .hasMessageContaining("a step count (steps(2), --steps 2) applies").hasMessageNotContaining("target");
        assertThat(db.value("SELECT count(*) FROM tro_a.ashlar_schema_migrations")).isEqualTo(2L);
    }

    @Test
    void aTenantRunWithAMinimumVersionIsRefusedNamingItRatherThanMigratingWithoutTheCheck() throws IOException {
        file("20260104000000_create_tags.sql", "tags");

        assertThatThrownBy(() -> project().migrateTenants(BOTH, MigrateRun.all().minVersion("20260104000000")))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("a minimum version (minVersion(\"20260104000000\"), --min-version 20260104000000) "
                        + "applies to the main schema "
                        + "only").hasMessageEndingWith("Nothing was applied.");
        assertThat(tables("tro_a") + " " + tables("tro_b")).isEqualTo("notes,posts notes,posts");
    }

    @Test
    void aTenantRunRefusingAChoiceOfFilesOrABaselineNamesTheOptionAndItsValueGiven() throws IOException {
        file("20260104000000_create_tags.sql", "tags");

        assertThat(catchThrowable(() -> project().migrateTenants(BOTH, MigrateRun.all()
                .cherryPick(List.of("20260104000000"))))).isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e).hasMessageContaining("a cherry-pick (cherryPick(List.of(\"20260104000000\")), "
                            + "--cherry-pick 20260104000000) applies to the main schema only");
                    assertThat(e.file()).isEmpty();
                });
        assertThatThrownBy(() -> project().migrateTenants(BOTH, MigrateRun.all().contexts(List.of("prod"))))
                .hasMessageContaining("contexts (contexts(List.of(\"prod\")), --contexts prod) applies");
        assertThatThrownBy(() -> project().migrateTenants(BOTH, MigrateRun.all().labels("!eu")))
                .hasMessageContaining("labels (labels(\"!eu\"), --labels '!eu') applies");
        assertThatThrownBy(() -> project().migrateTenants(BOTH, MigrateRun.all().baselineOnMigrate("20260101000000")))
                .hasMessageContaining("a baseline on migrate (baselineOnMigrate(\"20260101000000\"), "
                        + "--baseline-on-migrate=20260101000000) applies");
        assertThat(tables("tro_a") + " " + tables("tro_b")).isEqualTo("notes,posts notes,posts");
    }

    @Test
    void aTagMarksEachTenantSchemasLastMigrationAndRollingBackToItUndoesWhatCameAfterInEach() throws IOException {
        assertThat(project().tagTenants(BOTH, "release-1").succeeded()).isTrue();
        assertThat(db.value("SELECT array_to_string(tags, ',') FROM tro_b.ashlar_schema_migrations "
                + "WHERE version = '20260103000000'")).isEqualTo("release-1");
        file("20260104000000_create_labels.sql", "labels");
        assertThat(project().migrateTenants(BOTH).migrated()).isEqualTo(2);

        TenantReport unknown = project().rollbackTenantsToTag(BOTH, "release-2");
        TenantReport back = project().rollbackTenantsToTag(BOTH, "release-1");

        assertThat(unknown.failures()).extracting(TenantReport.Failure::message).allSatisfy(message ->
                assertThat(message).contains("Cannot roll back to the tag release-2").contains("release-1"));
        assertThat(back.succeeded()).isTrue();
        assertThat(tables("tro_a")).isEqualTo("notes,posts");
        assertThat(tables("tro_b")).isEqualTo("notes,posts");
        assertThat(project().migrateTenants(BOTH).migrated()).as("the registry knows what was undone").isEqualTo(2);
        assertThat(tables("tro_a")).isEqualTo("labels,notes,posts");
        assertThatThrownBy(() -> project().tagTenants(BOTH, " ")).hasMessageContaining("a tag needs a name");
    }

    private Project project() {
        return Project.open(dir).dataSource(db.dataSource()).progress(line -> { });
    }

    private Object tables(String schema) {
        return db.value("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables "
                + "WHERE table_schema = '" + schema + "' AND table_name <> 'ashlar_schema_migrations'");
    }

    private void file(String name, String table) throws IOException {
        Files.createDirectories(dir.resolve("tenant_migrations"));
        Files.writeString(dir.resolve("tenant_migrations").resolve(name), "-- migrate:up\nCREATE TABLE " + table
                + " (id int);\n-- migrate:down\nDROP TABLE " + table + ";\n");
    }
}
