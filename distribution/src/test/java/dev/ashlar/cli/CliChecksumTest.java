package dev.ashlar.cli;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Liquibase's calculate-checksum: 'ashlar checksum FILE' prints what the history records and compares the two. */
@ExtendWith(PostgresExtension.class)
class CliChecksumTest {
    @TempDir
    Path project;
    TestDatabase db;
    Path posts;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        posts = Files.createDirectories(project.resolve("migrations")).resolve("20260101000000_create_posts.sql");
        Files.writeString(posts, "-- migrate:up\nCREATE TABLE posts (id bigint PRIMARY KEY);\n"
                + "-- migrate:down\nDROP TABLE posts;\n");
    }

    @Test
    void checksumPrintsWhatTheHistoryRecordsAndExitsFiveOnceTheAppliedFileChanged() throws IOException {
        CliRun pending = ashlar("checksum", "20260101000000");
        assertThat(ashlar("migrate").code()).isZero();
        Object recorded = db.value("SELECT checksum FROM ashlar_schema_migrations WHERE version = '20260101000000'");
        CliRun same = ashlar("checksum", "20260101000000_create_posts.sql");
        Files.writeString(posts, Files.readString(posts).replace("bigint", "int"));
        CliRun changed = ashlar("checksum", "20260101000000");

        assertThat(pending.code()).as(pending.err()).isZero();
        assertThat(pending.out()).contains("20260101000000_create_posts.sql  sha256:" + recorded, "Not applied");
        assertThat(same.code()).isZero();
        assertThat(same.out()).contains("sha256:" + recorded, "holds the same");
        assertThat(changed.code()).isEqualTo(StatusCommand.CHANGED);
        assertThat(changed.out()).contains("holds " + recorded).doesNotContain("sha256:" + recorded);
        assertThat(db.value("SELECT checksum FROM ashlar_schema_migrations")).isEqualTo(recorded);
    }

    @Test
    void aChangedFileThatAValidChecksumHeaderAcceptsIsSaidToDifferNotToHoldTheSame() throws IOException {
        assertThat(ashlar("migrate").code()).isZero();
        Object recorded = db.value("SELECT checksum FROM ashlar_schema_migrations WHERE version = '20260101000000'");
        Files.writeString(posts, "-- valid-checksum: sha256:" + recorded + "\n" + Files.readString(posts));

        CliRun accepted = ashlar("checksum", "20260101000000");

        assertThat(accepted.code()).as(accepted.err()).isZero();
        assertThat(accepted.out()).doesNotContain("holds the same").contains("holds sha256:" + recorded + ", not the "
                + "file's checksum: the file changed since it was applied, and its '-- valid-checksum:' header accepts "
                + "the checksum the history holds.");
        assertThat(db.value("SELECT checksum FROM ashlar_schema_migrations")).isEqualTo(recorded);
    }

    @Test
    void aFileNoMigrationHasIsRefusedNamingIt() {
        CliRun unknown = ashlar("checksum", "20991231000000_nothing.sql");

        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("'20991231000000_nothing.sql'", "ashlar status");
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }
}
