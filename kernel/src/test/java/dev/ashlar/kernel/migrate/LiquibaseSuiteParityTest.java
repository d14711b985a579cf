package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Liquibase's own tests of its runner ({@code liquibase-integration-tests} and {@code liquibase-standard}), restated
 * on Ashlar's migrator: the history written with the change, required contexts and labels, and changes made by hand
 * to tables that hold rows.
 */
@ExtendWith(PostgresExtension.class)
class LiquibaseSuiteParityTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void postsWithRows(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file("20260101000000_create_posts.sql", "", "CREATE TABLE posts (id int PRIMARY KEY, title text);\n"
                + "INSERT INTO posts VALUES (1, 'same'), (2, 'same'), (3, 'other');", "DROP TABLE posts;");
    }

    private void file(String name, String headers, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), headers + "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder).progress(line -> { });
    }

    private Object history() {
        return db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations");
    }

    private Object columns(String table) {
        return db.value("SELECT string_agg(column_name || ' ' || data_type || CASE is_nullable WHEN 'NO' THEN ' not null' "
                + "ELSE '' END, ', ' ORDER BY ordinal_position) FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = ?", table);
    }

    /** Makes the history's write of {@code version}'s row fail, on {@code operation} (INSERT or DELETE). */
    private void failHistoryWriteOf(String version, String operation) {
        db.execute("CREATE FUNCTION fail_history() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF (CASE TG_OP WHEN 'DELETE' THEN OLD.version ELSE NEW.version END) = '" + version + "' THEN "
                + "RAISE EXCEPTION 'simulated history failure'; END IF; "
                + "RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END; END $$;"
                + "CREATE TRIGGER fail_history BEFORE " + operation + " ON ashlar_schema_migrations "
                + "FOR EACH ROW EXECUTE FUNCTION fail_history()");
    }

    /**
     * Liquibase's {@code AtomicHistoryUpdatesPostgresIntegrationTest} "with atomicHistoryUpdates on, a failed history
     * insert rolls back the changeset": Ashlar always writes the history row in the file's transaction.
     */
    @Test
    void aHistoryRowThatCannotBeWrittenRollsTheFileBackAndTheRunAfterTheFixAppliesItOnce() throws IOException {
        migrator().migrate();
        file("20260102000000_add_body.sql", "", "ALTER TABLE posts ADD COLUMN body text NOT NULL DEFAULT '';",
                "ALTER TABLE posts DROP COLUMN body;");
        failHistoryWriteOf("20260102000000", "INSERT");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_add_body.sql").hasMessageContaining("simulated history failure");
        assertThat(columns("posts")).isEqualTo("id integer not null, title text");
        assertThat(history()).isEqualTo("20260101000000");

        db.execute("DROP TRIGGER fail_history ON ashlar_schema_migrations");
        migrator().migrate();

        assertThat(columns("posts")).isEqualTo("id integer not null, title text, body text not null");
        assertThat(history()).isEqualTo("20260101000000,20260102000000");
    }

    /**
     * Liquibase's {@code AtomicHistoryUpdatesPostgresIntegrationTest} "with atomicHistoryUpdates on, a failed history
     * delete undoes the rollback": the down section and the removal of the history row commit together.
     */
    @Test
    void aHistoryRowThatCannotBeRemovedUndoesTheRollbackAndTheRollbackAfterTheFixRunsOnce() throws IOException {
        file("20260102000000_create_notes.sql", "", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        migrator().migrate();
        failHistoryWriteOf("20260102000000", "DELETE");

        assertThatThrownBy(() -> migrator().rollback(1)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("simulated history failure");
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL")).isEqualTo(true);
        assertThat(history()).isEqualTo("20260101000000,20260102000000");

        db.execute("DROP TRIGGER fail_history ON ashlar_schema_migrations");
        migrator().rollback(1);

        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
        assertThat(history()).isEqualTo("20260101000000");
    }

    /**
     * Liquibase's {@code UpdatePostgresCommandStepIntegrationTest} "verify cache is restarted after changes have been
     * deployed": the history and every table dropped by hand, the next run makes them all again.
     */
    @Test
    void aDatabaseWhoseHistoryAndTablesWereDroppedIsMigratedAgainFromTheFirstFile() {
        migrator().migrate();
        db.execute("DROP TABLE ashlar_schema_migrations; DROP TABLE posts; DROP TABLE IF EXISTS ashlar_migration_locks");

        assertThat(migrator().migrate()).extracting(MigrationFile::version).containsExactly("20260101000000");

        assertThat(history()).isEqualTo("20260101000000");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(3L);
    }

    /**
     * Liquibase's {@code ExpressionMatcherTest.match}, the rows with and without the required operator {@code @},
     * against the names {@code x, y, z} and against none (a run without contexts, a file without labels).
     */
    @ParameterizedTest(name = "''{0}'' against [{1}] is {2}")
    @CsvSource(delimiter = '|', value = {
        "x | x | true", "Y | x y z | true", "!y | x y z | false", "not y | x y z | false", "!a | x y z | true",
        "b or not a | x y z | true", "a and x | x y z | false", "(a, x) and (y, b) | x y z | true",
        "(a or x) and (c or d) | x y z | false", "x | | true", "!y | | true", "a and x | | true",
        "(a or x) and (c or d) | | true", "@y | x y z | true", "!@y | x y z | false", "@!y | x y z | false",
        "@not @y | x y z | false", "@!a | x y z | true", "@a and x | x y z | false", "@y and @x | x y z | true",
        "(@a, @x) and (@c, @d) | x y z | false", "@x | | false", "@Y | | false", "!@y | | true", "not @y | | true",
        "@not y | | true", "@not @y | | true", "@!y | | true", "@a or x | | true", "@a or @x | | false",
        "@b or not @a | | true", "@a and x | | false", "(@a or x) and (y or @b) | | true",
        "(@a or @x) and (y or b) | | false", "(a, x) and (@y, @b) | | false", "(@a, x) and (c, @d) | | true"})
    void aRequiredNameHoldsOnlyWhereItIsGivenAndEveryOtherExpressionHoldsAgainstNoNames(String expression,
                                                                                        String names,
                                                                                        boolean expected) {
        Set<String> given = names == null ? Set.of() : Set.of(names.split(" "));

        assertThat(FilterExpression.matches(expression, given, "The context")).isEqualTo(expected);
    }

    /**
     * Liquibase's {@code ExpressionMatcherTest}, {@code @} rows against no items, through a run: a file whose context
     * requires a name stays out of a run without contexts and is applied by the run that gives it.
     */
    @Test
    void aFileWhoseContextRequiresANameStaysPendingWithoutContextsAndIsAppliedByTheRunThatGivesIt()
            throws IOException {
        file("20260102000000_seed_posts.sql", "-- context: @seed\n", "INSERT INTO posts VALUES (4, 'seeded');",
                "DELETE FROM posts WHERE id = 4;");
        file("20260103000000_create_notes.sql", "-- context: !@prod\n", "CREATE TABLE notes (id int);",
                "DROP TABLE notes;");

        migrator().migrate();
        assertThat(history()).isEqualTo("20260101000000,20260103000000");
        migrator().migrate(MigrateRun.all().contexts(List.of("prod")));
        assertThat(history()).as("@ changes nothing among given contexts").isEqualTo("20260101000000,20260103000000");
        migrator().migrate(MigrateRun.all().contexts(List.of("Seed")));

        assertThat(history()).isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT title FROM posts WHERE id = 4")).isEqualTo("seeded");
    }

    /**
     * Liquibase's {@code changelog-sync} differs here: it reads contexts, Ashlar's baseline reads none, so a file that a
     * required context leaves out of every run without contexts is recorded by a baseline as any other.
     */
    @Test
    void aBaselineRecordsAFileWhoseContextRequiresANameAsAnyOther() throws IOException {
        file("20260102000000_seed_posts.sql", "-- context: @seed\n", "INSERT INTO posts VALUES (4, 'seeded');",
                "DELETE FROM posts WHERE id = 4;");

        assertThat(migrator().baseline(null)).extracting(MigrationFile::version)
                .containsExactly("20260101000000", "20260102000000");
        assertThat(migrator().migrate(MigrateRun.all().contexts(List.of("seed")))).isEmpty();
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    /** Liquibase's {@code LabelExpression} with {@code @}: a required label leaves out the files that have no labels. */
    @Test
    void aLabelExpressionRequiringALabelLeavesOutTheFilesWithoutLabels() throws IOException {
        file("20260102000000_create_invoices.sql", "-- labels: billing\n", "CREATE TABLE invoices (id int);",
                "DROP TABLE invoices;");
        file("20260103000000_create_notes.sql", "", "CREATE TABLE notes (id int);", "DROP TABLE notes;");

        migrator().migrate(MigrateRun.all().labels("@billing"));
        assertThat(history()).isEqualTo("20260102000000");
        migrator().migrate(MigrateRun.all().labels("billing"));

        assertThat(history()).isEqualTo("20260101000000,20260102000000,20260103000000");
    }

    /**
     * Liquibase's {@code ExpressionMatcherTest} {@code @} rows against no items, with {@code update-to-tag}: a run to
     * the tag of a file that a required context or label leaves out is refused, naming the file and what it lacks.
     */
    @Test
    void aRunToATagWhoseFileARequiredContextOrLabelLeavesOutIsRefusedNamingTheFileAndWhatItLacks()
            throws IOException {
        file("20260102000000_seed_posts.sql", "-- context: @seed\n-- tag: seeded\n",
                "INSERT INTO posts VALUES (4, 'seeded');", "DELETE FROM posts WHERE id = 4;");
        file("20260103000000_create_notes.sql", "-- tag: notes\n", "CREATE TABLE notes (id int);", "DROP TABLE notes;");

        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all().upToTag("seeded")))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Migration 20260102000000_seed_posts.sql carries the tag seeded to migrate to, "
                        + "but the run's lack of contexts excludes it (its header '-- context: @seed')");
        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all().upToTag("notes").labels("@billing")))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Migration 20260103000000_create_notes.sql carries the tag notes to migrate to, "
                        + "but the run's labels @billing exclude it (it has no '-- labels:' header)");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);

        migrator().migrate(MigrateRun.all().upToTag("seeded").contexts(List.of("seed")));
        assertThat(history()).isEqualTo("20260101000000,20260102000000");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(4L);
    }

    /** Liquibase's {@code ContextExpressionTest} of malformed expressions: an {@code @} that no name follows. */
    @Test
    void anAtSignThatNoNameFollowsIsRefusedNamingTheFileBeforeAnythingRuns() throws IOException {
        file("20260102000000_seed_posts.sql", "-- context: @ (seed)\n", "INSERT INTO posts VALUES (4, 'x');",
                "DELETE FROM posts WHERE id = 4;");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_seed_posts.sql")
                .hasMessageContaining("'@ (seed)' holds an '@' that no name follows")
                .hasMessageContaining("'@seed'");
        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all().labels("billing and @")))
                .isInstanceOf(MigrationException.class).hasMessageContaining("an '@' that no name follows");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    /**
     * Liquibase's {@code ColumnExistsPrecondition} with {@code onFail="MARK_RAN"} (its {@code PreconditionContainer}
     * tests): where a hand-made column is there already the file is recorded without running, elsewhere it runs.
     */
    @Test
    void aColumnExistsPreconditionMarksTheFileRanWhereTheColumnIsAlreadyThereAndRunsItWhereItIsNot()
            throws IOException {
        file("20260102000000_add_body.sql", "-- precondition: SELECT NOT EXISTS (SELECT FROM information_schema.columns "
                + "WHERE table_name = 'posts' AND column_name = 'body')\n-- on-fail: mark-ran\n",
                "ALTER TABLE posts ADD COLUMN body text NOT NULL DEFAULT 'from the file';",
                "ALTER TABLE posts DROP COLUMN body;");
        migrator().migrateTo("20260101000000");
        db.execute("ALTER TABLE posts ADD COLUMN body text DEFAULT 'by hand'");

        migrator().migrate();

        assertThat(db.value("SELECT baselined FROM ashlar_schema_migrations WHERE version = '20260102000000'"))
                .isEqualTo(true);
        assertThat(columns("posts")).isEqualTo("id integer not null, title text, body text");
        assertThat(db.value("SELECT min(body) FROM posts")).isEqualTo("by hand");

        migrator().rollback(2);
        migrator().migrate();
        assertThat(db.value("SELECT baselined FROM ashlar_schema_migrations WHERE version = '20260102000000'"))
                .isEqualTo(false);
        assertThat(columns("posts")).isEqualTo("id integer not null, title text, body text not null");
    }

    /**
     * Liquibase's {@code AddNotNullConstraintChange} and {@code AddColumnChange} with a {@code defaultValue} on a
     * populated table (the {@code changelogs/pgsql/update} cases): every row gets the default, and the column is
     * {@code NOT NULL} in the catalog.
     */
    @Test
    void aNotNullColumnWithADefaultAddedToATableWithRowsGivesEveryRowTheDefault() throws IOException {
        file("20260102000000_add_status.sql", "", "ALTER TABLE posts ADD COLUMN status text NOT NULL DEFAULT 'draft';",
                "ALTER TABLE posts DROP COLUMN status;");

        migrator().migrate();

        assertThat(db.value("SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM posts"))
                .isEqualTo("1:draft,2:draft,3:draft");
        assertThat(columns("posts")).isEqualTo("id integer not null, title text, status text not null");
        migrator().rollback(1);
        assertThat(columns("posts")).isEqualTo("id integer not null, title text");
    }

    /** Liquibase's {@code RenameColumnChange} and {@code ModifyDataTypeChange} on rows: values kept, both ways. */
    @Test
    void aRenamedAndRetypedColumnKeepsEveryValueAndTheRollbackRestoresTheOldNameAndType() throws IOException {
        file("20260102000000_rename_title.sql", "", "ALTER TABLE posts RENAME COLUMN title TO headline;\n"
                + "ALTER TABLE posts ALTER COLUMN id TYPE bigint;", "ALTER TABLE posts ALTER COLUMN id TYPE integer;\n"
                + "ALTER TABLE posts RENAME COLUMN headline TO title;");

        migrator().migrate();

        assertThat(columns("posts")).isEqualTo("id bigint not null, headline text");
        assertThat(db.value("SELECT string_agg(id || ':' || headline, ',' ORDER BY id) FROM posts"))
                .isEqualTo("1:same,2:same,3:other");
        migrator().rollback(1);
        assertThat(columns("posts")).isEqualTo("id integer not null, title text");
        assertThat(db.value("SELECT string_agg(id || ':' || title, ',' ORDER BY id) FROM posts"))
                .isEqualTo("1:same,2:same,3:other");
    }

    /**
     * Liquibase's {@code AddForeignKeyConstraintChange} over existing rows: a row referencing nothing fails the file
     * with the server's detail naming the key, and nothing of the file stays; once the row is fixed it applies.
     */
    @Test
    void aForeignKeyOverARowReferencingNothingFailsNamingTheKeyAndAppliesOnceTheRowIsFixed() throws IOException {
        file("20260102000000_create_comments.sql", "", "CREATE TABLE comments (id int, post_id int);\n"
                + "INSERT INTO comments VALUES (1, 1), (2, 9);", "DROP TABLE comments;");
        file("20260103000000_comments_post_fkey.sql", "", "CREATE INDEX comments_post_id_index ON comments (post_id);\n"
                + "ALTER TABLE comments ADD CONSTRAINT comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES posts;",
                "ALTER TABLE comments DROP CONSTRAINT comments_post_id_fkey;\nDROP INDEX comments_post_id_index;");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260103000000_comments_post_fkey.sql")
                .hasMessageContaining("Key (post_id)=(9) is not present in table \"posts\"");
        assertThat(history()).isEqualTo("20260101000000,20260102000000");
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'comments_post_id_index'"))
                .as("the statement before the failing one rolled back with it").isEqualTo(0L);

        db.execute("DELETE FROM comments WHERE post_id = 9");
        migrator().migrate();
        assertThat(db.value("SELECT confrelid::regclass::text FROM pg_constraint WHERE conname = 'comments_post_id_fkey'"))
                .isEqualTo("posts");
    }

    /**
     * Liquibase's {@code AddUniqueConstraintChange} over duplicated rows: a clear error with the duplicated key, the
     * table and history as they were.
     */
    @Test
    void aUniqueConstraintOverDuplicatedRowsFailsNamingTheDuplicatedKeyAndLeavesTheTableAsItWas() throws IOException {
        file("20260102000000_unique_title.sql", "", "ALTER TABLE posts ADD CONSTRAINT posts_title_key UNIQUE (title);",
                "ALTER TABLE posts DROP CONSTRAINT posts_title_key;");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_unique_title.sql")
                .hasMessageContaining("Key (title)=(same) is duplicated.");

        assertThat(history()).isEqualTo("20260101000000");
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conname = 'posts_title_key'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(3L);
    }
}
