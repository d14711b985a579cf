package dev.ashlar.kernel.lint;

import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.kernel.migrate.Migrator;
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

/**
 * The forms the linter asks for do what the naive ones do: on a table with rows, both end with the same rows and the same
 * valid foreign key, check, NOT NULL and index, and only the naive file is warned about.
 */
@ExtendWith(PostgresExtension.class)
class SafeFormsTest {
    private static final String NAIVE = """
            -- migrate:up
            UPDATE comments SET rating = least(rating, 4);
            ALTER TABLE comments ADD CONSTRAINT comments_post_fkey FOREIGN KEY (post_id) REFERENCES posts (id);
            ALTER TABLE comments ADD CONSTRAINT comments_rating_range CHECK (rating BETWEEN 1 AND 5);
            ALTER TABLE comments ALTER COLUMN rating SET NOT NULL;
            CREATE INDEX comments_post_id_index ON comments (post_id);
            -- migrate:down
            """;
    private static final String SAFE = """
            -- lock-timeout: 5000ms
            -- migrate:up transaction:false
            DO $backfill$
            DECLARE
              done bigint := 0;
              upto bigint;
            BEGIN
              LOOP
                SELECT max(id) INTO upto FROM (SELECT id FROM comments WHERE id > done ORDER BY id LIMIT 100) batch;
                EXIT WHEN upto IS NULL;
                UPDATE comments SET rating = least(rating, 4) WHERE id > done AND id <= upto;
                COMMIT;
                done := upto;
              END LOOP;
            END
            $backfill$;
            ALTER TABLE comments ADD CONSTRAINT comments_post_fkey FOREIGN KEY (post_id) REFERENCES posts (id) NOT VALID;
            ALTER TABLE comments VALIDATE CONSTRAINT comments_post_fkey;
            ALTER TABLE comments ADD CONSTRAINT comments_rating_range CHECK (rating BETWEEN 1 AND 5) NOT VALID;
            ALTER TABLE comments VALIDATE CONSTRAINT comments_rating_range;
            ALTER TABLE comments ADD CONSTRAINT comments_rating_not_null CHECK (rating IS NOT NULL) NOT VALID;
            ALTER TABLE comments VALIDATE CONSTRAINT comments_rating_not_null;
            ALTER TABLE comments ALTER COLUMN rating SET NOT NULL;
            ALTER TABLE comments DROP CONSTRAINT IF EXISTS comments_rating_not_null;
            CREATE INDEX CONCURRENTLY IF NOT EXISTS comments_post_id_index ON comments (post_id);
            -- migrate:down
            """;

    @TempDir
    Path project;

    @BeforeEach
    void populatedTables(TestDatabase db) {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
                + "CREATE TABLE posts (id bigint PRIMARY KEY); CREATE TABLE comments (id bigint, post_id bigint, "
                + "rating integer); INSERT INTO posts SELECT g FROM generate_series(1, 100) g; "
                + "INSERT INTO comments SELECT g, g % 100 + 1, g % 5 + 1 FROM generate_series(1, 1000) g");
    }

    @Test
    void theNaiveFormsAreWarnedAbout() throws IOException {
        assertThat(lint(NAIVE)).containsExactly("backfill-in-transaction", "require-timeout-settings",
                "adding-foreign-key-constraint",
                "constraint-missing-not-valid", "adding-not-nullable-field", "require-concurrent-index-creation");
    }

    @Test
    void theSafeFormsAreNotWarnedAboutAndGiveTheNaiveFormsCatalogOnATableWithRows(TestDatabase db) throws IOException {
        assertThat(lint(SAFE)).isEmpty();
        List<Object> naive = applied(db, NAIVE);
        populatedTables(db);

        List<Object> safe = applied(db, SAFE);

        assertThat(safe).isEqualTo(naive).contains("comments_post_fkey f true", "comments_rating_range c true",
                "comments_post_id_index valid true", "rating not null true");
        assertThat(db.value("SELECT count(*) FROM comments")).isEqualTo(1000L);
        assertThat(db.value("SELECT string_agg(DISTINCT rating::text, ',') FROM comments")).isEqualTo("1,2,3,4");
    }

    private List<String> lint(String text) throws IOException {
        Path file = Files.createDirectories(project.resolve("migrations")).resolve("20260101000000_constrain.sql");
        Files.writeString(file, text);
        return Linter.of(ProjectLayout.of(project), LintSettings.none()).lintProject().findings().stream()
                .map(f -> f.rule().id()).toList();
    }

    private List<Object> applied(TestDatabase db, String text) throws IOException {
        Path folder = Files.createDirectories(project.resolve("apply-" + text.hashCode()));
        Files.writeString(folder.resolve("20260101000000_constrain.sql"), text);
        new Migrator(db.dataSource(), folder).progress(line -> { }).migrate();
        return db.query("SELECT conname || ' ' || contype::text || ' ' || convalidated AS line FROM pg_constraint "
                        + "WHERE conrelid = 'comments'::regclass "
                        + "UNION ALL SELECT c.relname || ' valid ' || i.indisvalid FROM pg_index i "
                        + "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'comments'::regclass "
                        + "UNION ALL SELECT attname || ' not null ' || attnotnull FROM pg_attribute "
                        + "WHERE attrelid = 'comments'::regclass AND attname = 'rating' ORDER BY 1")
                .stream().map(row -> row.get("line")).toList();
    }
}
