package dev.ashlar.kernel.migrate;

import dev.ashlar.kernel.migrate.MigrationStatus.State;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/** Migrations written in Java, applied in version order with the files and recorded in the same history. */
@ExtendWith(PostgresExtension.class)
class JavaMigrationsTest {
    @TempDir
    Path folder;
    TestDatabase db;

    /** Fills posts.slug with the first 12 hex digits of the SHA-256 of the title: code SQL alone would not hold. */
    static class V20260102000000__backfill_slugs extends BaseJavaMigration {
        @Override
        public void up(Connection connection) throws SQLException {
            try (PreparedStatement select = connection.prepareStatement("SELECT id, title FROM posts");
                 PreparedStatement update = connection.prepareStatement("UPDATE posts SET slug = ? WHERE id = ?");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    update.setString(1, slug(rows.getString(2)));
                    update.setInt(2, rows.getInt(1));
                    update.executeUpdate();
                }
            }
        }

        @Override
        public void down(Connection connection) throws SQLException {
            try (PreparedStatement update = connection.prepareStatement("UPDATE posts SET slug = NULL")) {
                update.executeUpdate();
            }
        }
    }

    /** Writes every slug, then fails: nothing of it may stay. */
    static class V20260102000000__failing_backfill extends BaseJavaMigration {
        @Override
        public void up(Connection connection) throws SQLException {
            try (PreparedStatement update = connection.prepareStatement("UPDATE posts SET slug = 'half-done'")) {
                update.executeUpdate();
            }
            throw new IllegalStateException("cannot parse title 2");
        }
    }

    /** Commits on the runner's connection, which it may not. */
    static class V20260102000000__committing extends BaseJavaMigration {
        @Override
        public void up(Connection connection) throws SQLException {
            try (PreparedStatement update = connection.prepareStatement("UPDATE posts SET slug = 'committed'")) {
                update.executeUpdate();
            }
            connection.commit();
        }
    }

    /** Outside a transaction: each statement commits alone, so what ran before the failure stays. */
    static class V20260102000000__outside_transaction extends BaseJavaMigration {
        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public void up(Connection connection) throws SQLException {
            assertThat(connection.getAutoCommit()).isTrue();
            try (PreparedStatement update = connection.prepareStatement("UPDATE posts SET slug = 'first' WHERE id = 1")) {
                update.executeUpdate();
            }
            throw new SQLException("the second row cannot be read", "22P02");
        }
    }

    /** Has no down. */
    static class V20260102000000__no_down extends BaseJavaMigration {
        @Override
        public void up(Connection connection) {
        }
    }

    /** A migration whose checksum its author changes when it changes. */
    record Checksummed(String checksum) implements JavaMigration {
        public String version() {
            return "20260102000000";
        }

        public String name() {
            return "checksummed";
        }

        public void up(Connection connection) {
        }
    }

    static class Backfill extends BaseJavaMigration {
        @Override
        public void up(Connection connection) {
        }
    }

    @BeforeEach
    void twoFiles(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int PRIMARY KEY, title text NOT NULL, "
                + "slug text);\nINSERT INTO posts (id, title) VALUES (1, 'Hello'), (2, 'World');", "DROP TABLE posts;");
        file("20260103000000_require_slugs.sql", "ALTER TABLE posts ALTER COLUMN slug SET NOT NULL;",
                "ALTER TABLE posts ALTER COLUMN slug DROP NOT NULL;");
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private Migrator migrator(JavaMigration... java) {
        return new Migrator(db.dataSource(), folder).javaMigrations(List.of(java));
    }

    static String slug(String title) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(title.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object notNull() {
        return db.value("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.posts'::regclass "
                + "AND attname = 'slug'");
    }

    private List<String> history() {
        return db.query("SELECT version, name, checksum, checksum_algorithm FROM ashlar_schema_migrations "
                + "ORDER BY version").stream().map(Object::toString).toList();
    }

    @Test
    void aJavaMigrationBackfillsAColumnBetweenTwoFilesAndIsRecordedAsJava() {
        List<MigrationFile> applied = migrator(new V20260102000000__backfill_slugs()).migrate();

        assertThat(applied).extracting(MigrationFile::version)
                .containsExactly("20260101000000", "20260102000000", "20260103000000");
        assertThat(db.query("SELECT slug FROM posts ORDER BY id")).extracting(row -> row.get("slug"))
                .containsExactly(slug("Hello"), slug("World"));
        assertThat(notNull()).isEqualTo(true);
        assertThat(history()).element(1).isEqualTo("{version=20260102000000, name=backfill_slugs, checksum=java, "
                + "checksum_algorithm=java}");
        assertThat(migrator(new V20260102000000__backfill_slugs()).status())
                .extracting(MigrationStatus::label, MigrationStatus::state)
                .containsExactly(tuple("20260101000000_create_posts", State.APPLIED),
                        tuple("20260102000000_backfill_slugs", State.APPLIED),
                        tuple("20260103000000_require_slugs", State.APPLIED));
        assertThat(migrator(new V20260102000000__backfill_slugs()).validate()).extracting(MigrationStatus::state)
                .containsOnly(State.APPLIED);
        assertThat(migrator(new V20260102000000__backfill_slugs()).migrate()).isEmpty();
    }

    @Test
    void rollbackRunsTheDownOfAJavaMigrationAndForgetsItsRow() {
        migrator(new V20260102000000__backfill_slugs()).migrate();

        assertThat(migrator(new V20260102000000__backfill_slugs()).rollback(2)).extracting(MigrationFile::version)
                .containsExactly("20260103000000", "20260102000000");

        assertThat(db.query("SELECT slug FROM posts ORDER BY id")).extracting(row -> row.get("slug"))
                .containsExactly(null, null);
        assertThat(notNull()).isEqualTo(false);
        assertThat(history()).hasSize(1);
    }

    @Test
    void aFailingJavaMigrationLeavesNoDataNoHistoryRowAndStopsTheRunNamingIt() {
        assertThatThrownBy(() -> migrator(new V20260102000000__failing_backfill()).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Java migration " + V20260102000000__failing_backfill.class.getName())
                .hasMessageContaining("20260102000000_failing_backfill")
                .hasMessageContaining("cannot parse title 2")
                .hasMessageContaining("Nothing of it was applied");

        assertThat(db.query("SELECT slug FROM posts ORDER BY id")).extracting(row -> row.get("slug"))
                .containsExactly(null, null);
        assertThat(history()).singleElement().asString().contains("20260101000000");
        assertThat(notNull()).isEqualTo(false);
    }

    @Test
    void aJavaMigrationThatCommitsTheRunnersConnectionIsRefusedAndRolledBack() {
        assertThatThrownBy(() -> migrator(new V20260102000000__committing()).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("called commit() on the migration's connection");

        assertThat(db.value("SELECT count(*) FROM posts WHERE slug = 'committed'")).isEqualTo(0L);
        assertThat(history()).hasSize(1);
    }

    @Test
    void aJavaMigrationOutsideATransactionKeepsWhatItCommittedAndIsNotRecordedWhenItFails() {
        assertThatThrownBy(() -> migrator(new V20260102000000__outside_transaction()).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("the second row cannot be read (SQL state 22P02)")
                .hasMessageContaining("It runs outside a transaction: what it did before the error stays")
                .satisfies(e -> assertThat(((MigrationException) e).sqlState()).contains("22P02"));

        assertThat(db.query("SELECT slug FROM posts ORDER BY id")).extracting(row -> row.get("slug"))
                .containsExactly("first", null);
        assertThat(history()).hasSize(1);
    }

    @Test
    void aJavaMigrationWithTheVersionOfAFileIsRefusedNamingBothBeforeAnythingRuns() throws IOException {
        file("20260102000000_backfill_in_sql.sql", "UPDATE posts SET slug = title;", "");

        assertThatThrownBy(() -> migrator(new V20260102000000__backfill_slugs()).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining(V20260102000000__backfill_slugs.class.getName() + ".java")
                .hasMessageContaining("20260102000000_backfill_in_sql.sql")
                .hasMessageContaining("share version 20260102000000");
        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aJavaRowThatTheRunDoesNotKnowIsShownAsJavaAndLeftAloneByMigrate() throws IOException {
        migrator(new V20260102000000__backfill_slugs()).migrate();
        file("20260104000000_add_body.sql", "ALTER TABLE posts ADD COLUMN body text;",
                "ALTER TABLE posts DROP COLUMN body;");

        Migrator withoutJava = migrator();
        assertThat(withoutJava.status()).extracting(MigrationStatus::label, MigrationStatus::state)
                .contains(tuple("20260102000000_backfill_slugs", State.JAVA),
                        tuple("20260104000000_add_body", State.PENDING));
        assertThat(withoutJava.validate()).extracting(MigrationStatus::state).doesNotContain(State.MISSING);
        assertThat(withoutJava.migrate()).extracting(MigrationFile::version).containsExactly("20260104000000");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'body'")).isEqualTo(1L);
        assertThat(withoutJava.repair()).isEmpty();
        assertThat(history()).hasSize(4);
    }

    @Test
    void rollingBackPastAJavaRowTheRunDoesNotKnowIsRefusedNamingWhereToRollItBack() {
        migrator(new V20260102000000__backfill_slugs()).migrate();
        migrator().rollback(1);

        assertThatThrownBy(() -> migrator().rollback(1))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Cannot roll back 20260102000000: a Java migration applied it")
                .hasMessageContaining("Project.javaMigrations");
        assertThat(history()).hasSize(2);
    }

    @Test
    void aJavaRowWhoseMigrationIsGoneIsMissingWhereJavaMigrationsAreRegistered() {
        migrator(new V20260102000000__backfill_slugs()).migrate();

        Migrator otherJava = new Migrator(db.dataSource(), folder).javaMigrations(List.of(new JavaMigration() {
            public String version() {
                return "20260105000000";
            }

            public String name() {
                return "another";
            }

            public void up(Connection connection) {
            }
        }));

        assertThat(otherJava.status()).extracting(MigrationStatus::label, MigrationStatus::state)
                .contains(tuple("20260102000000_backfill_slugs", State.MISSING),
                        tuple("20260105000000_another", State.PENDING));
        assertThatThrownBy(otherJava::migrate).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_backfill_slugs");
    }

    @Test
    void rollingBackAJavaMigrationWithoutADownStopsNamingItWithNothingRolledBack() {
        migrator(new V20260102000000__no_down()).migrateTo("20260102000000");

        assertThatThrownBy(() -> migrator(new V20260102000000__no_down()).rollback(1))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_no_down")
                .hasMessageContaining("has no down");
        assertThat(history()).hasSize(2);
    }

    @Test
    void aChangedChecksumOfItsOwnMakesAJavaMigrationChangedUntilRepairRecordsIt() {
        migrator(new Checksummed("v1")).migrateTo("20260102000000");

        assertThat(migrator(new Checksummed("v2")).status()).extracting(MigrationStatus::state)
                .contains(State.CHANGED);
        assertThatThrownBy(() -> migrator(new Checksummed("v2")).migrateTo("20260102000000"))
                .hasMessageContaining("was changed after it was applied")
                .hasMessageContaining("(the history holds java:v1, the class now java:v2)");

        migrator(new Checksummed("v2")).repair();

        assertThat(history()).element(1).asString().contains("checksum=v2, checksum_algorithm=java");
        assertThat(migrator(new Checksummed("v2")).validate()).extracting(MigrationStatus::state)
                .containsExactly(State.APPLIED, State.APPLIED, State.PENDING);
    }

    @Test
    void aDryRunListsAJavaMigrationSayingItsSqlCannotBeShown() {
        List<DryRun> runs = migrator(new V20260102000000__backfill_slugs()).dryRun();

        assertThat(runs).extracting(run -> run.file().version())
                .containsExactly("20260101000000", "20260102000000", "20260103000000");
        assertThat(runs.get(1).statements()).isEmpty();
        assertThat(runs.get(1).warnings()).singleElement().asString().contains("Java code, whose SQL cannot be shown");
        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aJavaMigrationClassNotNamedByVersionIsRefusedSayingHowToNameIt() {
        assertThatThrownBy(Backfill::new).isInstanceOf(MigrationException.class)
                .hasMessageContaining(Backfill.class.getName())
                .hasMessageContaining("V<14-digit version>__<lowercase_name>");
    }

    @Test
    void aMainSchemaJavaMigrationIsRefusedForATenantSchemaMigratorNamingItsScope() {
        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).forSchema("org_acme")
                .javaMigrations(List.of(new V20260102000000__backfill_slugs())))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining(V20260102000000__backfill_slugs.class.getName() + " is for the main schema "
                        + "(scope() MAIN), and was given to the migrations of the tenant schemas");
    }
}
