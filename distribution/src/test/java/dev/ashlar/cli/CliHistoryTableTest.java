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

/** {@code --history-table}: every command that reads or writes the migration history uses the table it names. */
@ExtendWith(PostgresExtension.class)
class CliHistoryTableTest {
    private static final String TABLE = "Deploy History";

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void twoFiles(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Path migrations = Files.createDirectories(project.resolve("migrations"));
        Files.writeString(migrations.resolve("20260101000000_create_posts.sql"), "-- migrate:up\n"
                + "CREATE TABLE posts (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE posts;\n");
        Files.writeString(migrations.resolve("20260102000000_create_tags.sql"), "-- migrate:up\n"
                + "CREATE TABLE tags (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE tags;\n");
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    private CliRun ok(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--history-table";
        all[args.length + 1] = TABLE;
        CliRun run = ashlar(all);
        assertThat(run.code()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }

    private Object rows() {
        return db.value("SELECT string_agg(version || (CASE WHEN baselined THEN '*' ELSE '' END), ',' "
                + "ORDER BY version) "
                + "FROM public.\"Deploy History\"");
    }

    private long defaultHistories() {
        return (Long) db.value("SELECT count(*) FROM pg_class WHERE relname = 'ashlar_schema_migrations'");
    }

    @Test
    void everyHistoryCommandReadsAndWritesTheNamedTable() {
        ok("migrate");
        assertThat(rows()).isEqualTo("20260101000000,20260102000000");
        assertThat(ok("status").out()).contains("applied").contains("20260102000000_create_tags");
        ok("validate");
        assertThat(ok("checksum", "20260101000000_create_posts.sql").out()).contains("holds the same");
        ok("tag", "release-1");
        assertThat(db.value("SELECT tags[1] FROM public.\"Deploy History\" WHERE version = '20260102000000'"))
                .isEqualTo("release-1");

        ok("rollback");
        assertThat(rows()).isEqualTo("20260101000000");
        db.execute("CREATE TABLE tags (id bigint PRIMARY KEY)");
        ok("baseline", "--to", "20260102000000");
        assertThat(rows()).isEqualTo("20260101000000,20260102000000*");
        ok("repair");
        assertThat(defaultHistories()).isZero();

        // The default history knows nothing of what was applied: status without the option finds all pending.
        assertThat(ashlar("status").out()).contains("pending");

        ok("clean", "--enable-clean");
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relname IN ('Deploy History', 'posts', 'tags')"))
                .isEqualTo(0L);
    }

    @Test
    void anEmptyOrTooLongNameFailsNamingTheOptionAndNothingIsApplied() {
        CliRun empty = ashlar("migrate", "--history-table", "");
        CliRun tooLong = ashlar("migrate", "--history-table", "x".repeat(64));

        assertThat(empty.code()).isNotZero();
        assertThat(empty.err()).contains("The history table name '' is empty").contains("--history-table");
        assertThat(tooLong.code()).isNotZero();
        assertThat(tooLong.err()).contains("64 bytes long").contains("only 63");
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relname = 'posts'")).isEqualTo(0L);
        assertThat(defaultHistories()).isZero();
    }

    @Test
    void flywaysTableOptionIsAnsweredWithHistoryTable() {
        CliRun run = ashlar("migrate", "-table=deploys");

        assertThat(run.code()).isNotZero();
        assertThat(run.err()).contains("--history-table NAME");
    }
}
