package dev.ashlar.plugins.indexes;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import org.junit.jupiter.api.Test;

import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.indexes.CustomStatements.statement;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CustomStatementMigrationTest extends ProjectTest {
    private static final Resource MARKER = Resource.builder("marker").table("markers").integerPrimaryKey("id").build();

    private static ResourceBuilder posts() {
        return Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", TEXT)
                .attribute("body", TEXT).attribute("updated_at", TIMESTAMPTZ);
    }

    private static Resource postsWithView(String columns) {
        return posts().with(CustomStatements.of(statement("published_posts")
                .up("CREATE VIEW published_posts AS SELECT " + columns + " FROM posts WHERE body IS NOT NULL")
                .down("DROP VIEW published_posts"))).build();
    }

    private Object view() {
        return db.value("SELECT count(*) FROM pg_views WHERE viewname = 'published_posts'").equals(0L) ? null
                : db.value("SELECT definition FROM pg_views WHERE viewname = 'published_posts'");
    }

    private static Resource comments(boolean keyedByPost) {
        return Resource.builder("comment").table("comments").attribute("id", INTEGER, a -> a.primaryKey())
                .attribute("post_id", INTEGER, a -> {
                    if (keyedByPost) {
                        a.primaryKey();
                    } else {
                        a.notNull();
                    }
                })
                .attribute("body", TEXT).build();
    }

    @Test
    void aStatementAfterTheTablesItReadsIsDroppedBeforeTheirKeyChangesAndCreatedAgainAfter() {
        // The view selects body grouped by the key alone: it depends on comments_pkey itself.
        Resource post = posts().with(CustomStatements.of(statement("comment_bodies").afterTables("comment")
                .up("CREATE VIEW comment_bodies AS SELECT c.id, c.post_id, c.body FROM comments c GROUP BY c.id, c.post_id")
                .down("DROP VIEW comment_bodies"))).build();
        project.apply("create", post, comments(true));
        db.execute("INSERT INTO comments VALUES (1, 1, 'hi')");

        Codegen.Result rekeyed = project.apply("rekey_comments", post, comments(false));

        // On a table with rows the new key's index is built concurrently and swapped in for the old key.
        assertThat(rekeyed.steps()).extracting(s -> s.describe().replaceAll(" \\(.*", "")).containsSubsequence(
                "drop statement comment_bodies on public.posts",
                "build the unique index of primary key [id] of public.comments concurrently",
                "make comments_pkey_next primary key [id] of public.comments instead of [id, post_id]",
                "add statement comment_bodies on public.posts");
        assertThat(db.value("SELECT body FROM comment_bodies")).isEqualTo("hi");
        project.rollback(rekeyed.files().size());
        assertThat(db.value("SELECT body FROM comment_bodies")).isEqualTo("hi");
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conname = 'comments_pkey' AND array_length(conkey, 1) = 2"))
                .isEqualTo(1L);
    }

    @Test
    void aTriggerCreatedByMultiLineStatementsFires() {
        project.apply("create_posts", posts().with(CustomStatements.of(statement("update_updated_at").up("""
                CREATE FUNCTION posts_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  NEW.updated_at := '2026-01-01T00:00:00Z';
                  RETURN NEW;
                END;
                $$;

                CREATE TRIGGER update_updated_at
                BEFORE UPDATE ON posts
                FOR EACH ROW
                EXECUTE FUNCTION posts_set_updated_at();
                """).down("DROP TRIGGER update_updated_at ON posts;\nDROP FUNCTION posts_set_updated_at();")))
                .build());
        db.execute("INSERT INTO posts (title) VALUES ('draft')");

        db.execute("UPDATE posts SET title = 'final'");

        assertThat(db.value("SELECT updated_at = '2026-01-01T00:00:00Z' FROM posts")).isEqualTo(true);
    }

    @Test
    void aChangedStatementRunsTheOldDownThenTheNewUpAndRollbackRestoresTheOldOne() {
        project.apply("create_posts", postsWithView("id, title"));
        Object before = view();

        Codegen.Result change = project.apply("widen_view", postsWithView("id, title, body"));

        String up = Project.text(change.files().get(0)).split("-- migrate:down")[0];
        assertThat(up.indexOf("DROP VIEW published_posts")).isPositive().isLessThan(up.indexOf("CREATE VIEW"));
        assertThat(view().toString()).contains("body");
        project.rollback(1);
        assertThat(view()).isEqualTo(before);
    }

    @Test
    void aRemovedStatementRunsItsDown() {
        project.apply("create_posts", postsWithView("id, title"));

        Codegen.Result removal = project.apply("drop_view", posts().build());

        assertThat(Project.steps(removal)).containsExactly("drop statement published_posts on public.posts");
        assertThat(view()).isNull();
    }

    @Test
    void removingTheResourceRunsItsStatementsDownBeforeDroppingTheTableThatTheyNeed() {
        project.apply("create_posts", postsWithView("id, title"), MARKER);
        Object before = view();

        Codegen.Result removal = project.apply("drop_posts", MARKER);

        assertThat(Project.steps(removal)).containsExactly("drop statement published_posts on public.posts",
                "drop table public.posts");
        assertThat(view()).isNull();
        project.rollback(1);
        assertThat(view()).isEqualTo(before);
    }

    @Test
    void aStatementRunsAfterEveryTableItMentionsExistsAndGoesBeforeAnyIsDropped() {
        Resource users = Resource.builder("user").table("users").integerPrimaryKey("id").attribute("name", TEXT)
                .with(CustomStatements.of(statement("user_titles")
                        .up("CREATE VIEW user_titles AS SELECT u.name, p.title FROM users u CROSS JOIN posts p")
                        .down("DROP VIEW user_titles"))).build();
        Codegen.Result creation = project.apply("create", users, posts().build());
        assertThat(Project.steps(creation)).containsSubsequence("create table public.posts",
                "add statement user_titles on public.users");

        Codegen.Result removal = project.apply("drop_posts", Resource.builder("user").table("users")
                .integerPrimaryKey("id").attribute("name", TEXT).build());

        assertThat(Project.steps(removal)).containsExactly("drop statement user_titles on public.users",
                "drop table public.posts");
        project.rollback(1);
        assertThat(db.value("SELECT count(*) FROM user_titles")).isEqualTo(0L);
    }

    @Test
    void anOnDestroyStatementRunsOnlyWhenItsResourceIsRemovedAndItsDownWhenThatIsRolledBack() {
        String function = "SELECT count(*) FROM pg_proc WHERE proname = 'posts_slug'";
        db.execute("CREATE FUNCTION posts_slug(t text) RETURNS text LANGUAGE sql AS $$ SELECT lower(t) $$");
        Resource posts = posts().with(CustomStatements.of(statement("drop_posts_slug")
                .up("DROP FUNCTION IF EXISTS posts_slug(text)")
                .down("CREATE FUNCTION posts_slug(t text) RETURNS text LANGUAGE sql AS $$ SELECT lower(t) $$")
                .onDestroy(true))).build();

        Codegen.Result creation = project.apply("create_posts", posts, MARKER);
        assertThat(db.value(function)).isEqualTo(1L);
        assertThat(Project.text(creation.files().get(0))).doesNotContain("posts_slug(t text)");

        project.apply("drop_posts", MARKER);
        assertThat(db.value(function)).isEqualTo(0L);

        project.rollback(1);
        assertThat(db.value(function)).isEqualTo(1L);
    }

    @Test
    void statementsRunBeforeIndexesSoAnExtensionCanServeATrigramIndexAndGoAfterIt() {
        assumeTrue(db.value("SELECT count(*) FROM pg_available_extensions WHERE name IN ('pg_trgm', 'uuid-ossp')")
                .equals(2L), "the server ships the pg_trgm and uuid-ossp extensions");
        Resource posts = posts().with(CustomStatements.of(
                statement("uuid_ossp").up("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\"")
                        .down("DROP EXTENSION IF EXISTS \"uuid-ossp\""),
                statement("pg_trgm").up("CREATE EXTENSION IF NOT EXISTS pg_trgm").down("DROP EXTENSION pg_trgm")))
                .with(CustomIndexes.of(index("title gin_trgm_ops").using("gin").name("posts_title_trgm_index")))
                .build();

        project.apply("create_posts", posts, MARKER);
        db.execute("INSERT INTO posts (title) SELECT md5(g::text) FROM generate_series(1, 20000) g");
        db.execute("VACUUM ANALYZE posts");
        String plan = db.query("EXPLAIN SELECT * FROM posts WHERE title LIKE '%abcdef%'").stream()
                .map(row -> row.values().iterator().next().toString()).reduce("", String::concat);

        assertThat(project.index("posts_title_trgm_index")).containsEntry("method", "gin");
        assertThat(plan).contains("posts_title_trgm_index");
        assertThat(db.value("SELECT uuid_generate_v4() IS NOT NULL")).isEqualTo(true);
        project.apply("drop_posts", MARKER);
        assertThat(db.value("SELECT count(*) FROM pg_extension WHERE extname IN ('pg_trgm', 'uuid-ossp')"))
                .isEqualTo(0L);
    }
}
