package dev.ashlar.kernel.migrate;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flyway's {@code group} (the pending files in one transaction, all or none) and {@code cherryPick} (only the versions
 * named), on a real database: what stays in the catalog and in the history.
 */
@ExtendWith(PostgresExtension.class)
class GroupAndCherryPickTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void threeFiles(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file("20260101000000_create_authors.sql", "CREATE TABLE authors (id int PRIMARY KEY);");
        file("20260102000000_create_posts.sql", "CREATE TABLE posts (id int PRIMARY KEY);");
        file("20260103000000_create_tags.sql", "CREATE TABLE tags (id int PRIMARY KEY);");
    }

    private void file(String name, String up) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\nSELECT 1;\n");
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder);
    }

    private List<String> tables() {
        return db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'ashlar%' "
                + "ORDER BY tablename").stream().map(row -> (String) row.get("tablename")).toList();
    }

    private long historyRows() {
        return ((Number) db.value("SELECT count(*) FROM ashlar_schema_migrations")).longValue();
    }

    @Test
    void aGroupWhoseThirdFileFailsLeavesNoTableOfTheFirstTwoAndNoHistoryRow() throws IOException {
        file("20260103000000_create_tags.sql", "CREATE TABLE tags (id int PRIMARY KEY, author int REFERENCES nowhere);");

        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all().group(true)))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260103000000_create_tags.sql")
                .hasMessageContaining("relation \"nowhere\" does not exist")
                .hasMessageContaining("one transaction (group), which was rolled back: none of them stays applied");

        assertThat(tables()).isEmpty();
        assertThat(historyRows()).isZero();
    }

    @Test
    void theSameFilesWithoutAGroupKeepTheFirstTwo() throws IOException {
        file("20260103000000_create_tags.sql", "CREATE TABLE tags (id int PRIMARY KEY, author int REFERENCES nowhere);");

        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all())).isInstanceOf(MigrationException.class);

        assertThat(tables()).containsExactly("authors", "posts");
        assertThat(historyRows()).isEqualTo(2);
    }

    @Test
    void aGroupThatSucceedsAppliesAndRecordsEveryPendingFileAndTellsEachOnceCommitted() {
        List<String> told = new java.util.ArrayList<>();
        List<MigrationFile> applied = migrator().onApplied(f -> told.add(f.name())).migrate(MigrateRun.all().group(true));

        assertThat(applied).extracting(MigrationFile::name).containsExactly("create_authors", "create_posts",
                "create_tags");
        assertThat(told).containsExactly("create_authors", "create_posts", "create_tags");
        assertThat(tables()).containsExactly("authors", "posts", "tags");
        assertThat(historyRows()).isEqualTo(3);
        assertThat(migrator().status()).allMatch(s -> s.state() == MigrationStatus.State.APPLIED);
    }

    @Test
    void aGroupRefusesAPendingTransactionlessFileNamingItBeforeAnythingRuns() throws IOException {
        Files.writeString(folder.resolve("20260102000000_create_posts.sql"), "-- migrate:up transaction:false\n"
                + "CREATE TABLE posts (id int PRIMARY KEY);\n-- migrate:down\nSELECT 1;\n");

        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all().group(true)))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Migration 20260102000000_create_posts.sql on public runs outside a transaction")
                .hasMessageContaining("Nothing was applied.");
        assertThatThrownBy(() -> migrator().dryRun(MigrateRun.all().group(true)))
                .hasMessageContaining("20260102000000_create_posts.sql");

        assertThat(tables()).isEmpty();
    }

    @Test
    void aCherryPickAppliesOnlyTheNamedVersionAndTheOthersStayPending() {
        List<MigrationFile> applied = migrator().migrate(MigrateRun.all().cherryPick(List.of("20260102000000")));

        assertThat(applied).extracting(MigrationFile::name).containsExactly("create_posts");
        assertThat(tables()).containsExactly("posts");
        assertThat(migrator().status()).extracting(s -> s.version() + " " + s.state()).containsExactly(
                "20260101000000 PENDING", "20260102000000 APPLIED", "20260103000000 PENDING");
    }

    @Test
    void aCherryPickAppliesSeveralVersionsInVersionOrderAndSkipsOneAlreadyApplied() {
        migrator().migrate(MigrateRun.all().cherryPick(List.of("20260101000000")));

        List<MigrationFile> applied = migrator().migrate(MigrateRun.all()
                .cherryPick(List.of("20260103000000", "20260101000000")));

        assertThat(applied).extracting(MigrationFile::name).containsExactly("create_tags");
        assertThat(migrator().dryRun(MigrateRun.all().cherryPick(List.of("20260102000000"))))
                .extracting(d -> d.file().name()).containsExactly("create_posts");
        assertThat(tables()).containsExactly("authors", "tags");
    }

    @Test
    void aCherryPickOfAVersionNoFileHasIsRefusedNamingItAndTheVersionsThere() {
        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all()
                .cherryPick(List.of("20260102000000", "20269999000000"))))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("has version 20269999000000 to cherry-pick")
                .hasMessageContaining("The versions there are: 20260101000000, 20260102000000, 20260103000000.")
                .hasMessageContaining("Nothing was applied.");

        assertThat(tables()).isEmpty();
    }

    @Test
    void aCherryPickWithATargetOrAStepCountIsRefused() {
        assertThatThrownBy(() -> MigrateRun.all().upTo("20260102000000").cherryPick(List.of("20260101000000")))
                .hasMessageContaining("Give either the versions to cherry-pick (20260101000000) or a version to "
                        + "migrate to (20260102000000)");
        assertThatThrownBy(() -> MigrateRun.all().cherryPick(List.of("20260101000000")).steps(1))
                .hasMessageContaining("or a number of steps (1)");
        assertThatThrownBy(() -> MigrateRun.all().cherryPick(List.of())).hasMessageContaining("No version to cherry-pick");
    }
}
