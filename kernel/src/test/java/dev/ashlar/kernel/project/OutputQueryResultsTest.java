package dev.ashlar.kernel.project;

import dev.ashlar.api.error.ProjectFileException;
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
 * Flyway's {@code outputQueryResults}, restated: the rows a migration's statements return are printed with the run's
 * progress as a table, by default, in a transaction or outside one; {@code Project.outputQueryResults(false)} and
 * {@code migrate.output-query-results = false} print none; the files apply and are recorded either way.
 */
@ExtendWith(PostgresExtension.class)
class OutputQueryResultsTest {
    @TempDir
    Path dir;
    TestDatabase db;
    final List<String> progress = new ArrayList<>();

    @BeforeEach
    void populatedPosts(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.createDirectories(dir.resolve("migrations"));
        write("20260101000000_create_posts.sql", "", "CREATE TABLE posts (id int PRIMARY KEY, title text);\n"
                + "INSERT INTO posts SELECT g, 'post ' || g FROM generate_series(1, 150) g;");
    }

    @Test
    void theRowsOfAFilesSelectAndInsertReturningArePrintedAsTablesNamingTheStatementAndItsLine() throws IOException {
        write("20260102000000_report.sql", "", "UPDATE posts SET title = NULL WHERE id = 2;\n"
                + "SELECT id, title AS \"Title\" FROM posts WHERE id <= 3 ORDER BY id;\n"
                + "INSERT INTO posts VALUES (151, E'two\\nlines') RETURNING id;");

        project().migrate();

        assertThat(progress).contains("""
                Query result of statement 2 (line 3) of 20260102000000_report.sql on public:
                +----+--------+
                | id | Title  |
                +----+--------+
                | 1  | post 1 |
                | 2  | NULL   |
                | 3  | post 3 |
                +----+--------+
                (3 rows)""", """
                Query result of statement 3 (line 4) of 20260102000000_report.sql on public:
                +-----+
                | id  |
                +-----+
                | 151 |
                +-----+
                (1 row)""");
        assertThat(progress).noneMatch(line -> line.contains("20260101000000_create_posts.sql on public:"));
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260102000000");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(151L);
    }

    @Test
    void aFileOutsideATransactionAndASingleSelectPrintTheirRowsToo() throws IOException {
        write("20260102000000_index_titles.sql", " transaction:false", "CREATE INDEX CONCURRENTLY posts_title_index "
                + "ON posts (title);\nSELECT count(*) AS posts FROM posts;");
        write("20260103000000_check.sql", "", "SELECT indexname FROM pg_indexes WHERE indexname = 'posts_title_index';");

        project().migrate();

        assertThat(progress).contains("""
                Query result of statement 2 (line 3) of 20260102000000_index_titles.sql on public:
                +-------+
                | posts |
                +-------+
                | 150   |
                +-------+
                (1 row)""", """
                Query result of statement 1 (line 2) of 20260103000000_check.sql on public:
                +-------------------+
                | indexname         |
                +-------------------+
                | posts_title_index |
                +-------------------+
                (1 row)""");
        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'posts_title_index'::regclass"))
                .isEqualTo(true);
    }

    @Test
    void aResultOfMoreThanAHundredRowsShowsTheFirstHundredAndTheCount() throws IOException {
        write("20260102000000_all_posts.sql", "", "SELECT id FROM posts ORDER BY id;");

        project().migrate();

        String table = progress.stream().filter(line -> line.startsWith("Query result of")).findFirst().orElseThrow();
        assertThat(table.lines().filter(line -> line.matches("\\| \\d+ +\\|"))).hasSize(100);
        assertThat(table).contains("| 100 |").doesNotContain("| 101 |").endsWith("(150 rows, the first 100 shown)");
    }

    @Test
    void turnedOffByTheProjectOrItsSettingsFileNoRowsArePrintedAndTheFilesStillApply() throws IOException {
        write("20260102000000_report.sql", "", "SELECT id FROM posts WHERE id = 1;");
        project().outputQueryResults(false).migrate();
        assertThat(progress).noneMatch(line -> line.startsWith("Query result of"));
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);

        write("20260103000000_report_again.sql", "", "SELECT id FROM posts WHERE id = 1;");
        Files.writeString(dir.resolve("ashlar.properties"), "migrate.output-query-results = false\n");
        project().migrate();
        assertThat(progress).noneMatch(line -> line.startsWith("Query result of"));

        write("20260104000000_report_once_more.sql", "", "SELECT id FROM posts WHERE id = 1;");
        project().outputQueryResults(true).migrate();
        assertThat(progress).filteredOn(line -> line.startsWith("Query result of"))
                .singleElement().asString().contains("20260104000000_report_once_more.sql");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(4L);
    }

    @Test
    void aSettingsFileValueThatIsNeitherTrueNorFalseIsRefusedNamingTheKey() throws IOException {
        Files.writeString(dir.resolve("ashlar.properties"), "migrate.output-query-results = off\n");

        assertThatThrownBy(() -> project().migrate()).isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("migrate.output-query-results = off").hasMessageContaining("true or false");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFailingFilePrintsNoRowsOfItsStatementsThatWereRolledBack() throws IOException {
        write("20260102000000_broken.sql", "", "SELECT id FROM posts WHERE id = 1;\nSELECT * FROM no_such_table;");

        assertThatThrownBy(() -> project().migrate()).hasMessageContaining("20260102000000_broken.sql");

        assertThat(progress).noneMatch(line -> line.startsWith("Query result of"));
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aFailingFileOutsideATransactionPrintsTheRowsOfTheStatementsBeforeTheFailureWhichStayApplied()
            throws IOException {
        write("20260102000000_broken.sql", " transaction:false", "INSERT INTO posts VALUES (151, 'kept') RETURNING id;\n"
                + "SELECT * FROM no_such_table;");

        assertThatThrownBy(() -> project().migrate()).hasMessageContaining("20260102000000_broken.sql");

        assertThat(progress).contains("""
                Query result of statement 1 (line 2) of 20260102000000_broken.sql on public:
                +-----+
                | id  |
                +-----+
                | 151 |
                +-----+
                (1 row)""");
        assertThat(db.value("SELECT title FROM posts WHERE id = 151")).isEqualTo("kept");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aTenantRunPrintsNoRowsOfItsFilesWhileTheFilesApplyToEachTenantsData() throws IOException {
        db.execute("DROP SCHEMA IF EXISTS tenant_a CASCADE; DROP SCHEMA IF EXISTS tenant_b CASCADE; "
                + "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b");
        Files.createDirectories(dir.resolve("tenant_migrations"));
        Files.writeString(dir.resolve("tenant_migrations").resolve("20260101000000_notes.sql"), "-- migrate:up\n"
                + "CREATE TABLE notes (id int PRIMARY KEY, body text);\n"
                + "INSERT INTO notes VALUES (1, 'secret of ' || current_schema()) RETURNING body;\n"
                + "SELECT count(*) AS n FROM notes;\n-- migrate:down\nDROP TABLE notes;\n");

        assertThat(project().migrateTenants(TenantSelection.named(List.of("tenant_a", "tenant_b"))).failures())
                .isEmpty();

        assertThat(progress).noneMatch(line -> line.contains("Query result") || line.contains("secret of"));
        assertThat(db.value("SELECT body FROM tenant_a.notes")).isEqualTo("secret of tenant_a");
        assertThat(db.value("SELECT body FROM tenant_b.notes")).isEqualTo("secret of tenant_b");
        assertThat(db.value("SELECT count(*) FROM tenant_b.ashlar_schema_migrations")).isEqualTo(1L);
    }

    private Project project() {
        return Project.open(dir).dataSource(db.dataSource()).progress(progress::add);
    }

    private void write(String name, String upLine, String up) throws IOException {
        Files.writeString(dir.resolve("migrations").resolve(name), "-- migrate:up" + upLine + "\n" + up
                + "\n-- migrate:down\nSELECT 1;\n");
    }
}
