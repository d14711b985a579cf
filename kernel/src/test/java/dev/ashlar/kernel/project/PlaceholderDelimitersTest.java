package dev.ashlar.kernel.project;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flyway's placeholderPrefix and placeholderSuffix: placeholders written with other delimiters than ${ and }. */
@ExtendWith(PostgresExtension.class)
class PlaceholderDelimitersTest {
    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.createDirectories(dir.resolve("migrations"));
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(dir.resolve("migrations").resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n"
                + down + "\n");
    }

    private Project project() {
        return Project.open(dir).dataSource(db.dataSource()).placeholders(Map.of("prefix", "blog"))
                .placeholderDelimiters("#[", "]");
    }

    @Test
    void placeholdersWithAPrefixAndSuffixOfTheirOwnAreReplacedAndDollarBracesStayText() throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE #[prefix]_posts (id int, note text);\n"
                + "INSERT INTO #[ashlar:schema].#[prefix]_posts VALUES (1, '${not_a_placeholder}'), (2, '#[ashlar:user]');",
                "DROP TABLE #[prefix]_posts;");

        project().migrate();

        assertThat(db.value("SELECT note FROM public.blog_posts WHERE id = 1")).isEqualTo("${not_a_placeholder}");
        assertThat(db.value("SELECT note FROM public.blog_posts WHERE id = 2")).isEqualTo(db.value("SELECT current_user"));
        project().rollback(1);
        assertThat(db.value("SELECT to_regclass('public.blog_posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aPlaceholderWithoutAValueIsNamedAsWrittenWithTheDelimitersGiven() throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);\nGRANT SELECT ON posts TO #[reader];",
                "DROP TABLE posts;");

        assertThatThrownBy(() -> project().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line 3 of migration").hasMessageContaining("uses the placeholder #[reader], "
                        + "which has no value");
        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void theDelimitersSurviveANewSetOfValuesAndAnEmptyOrMultiLineOneIsRefused() throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE #[prefix]_posts (id int);", "DROP TABLE posts;");

        Project.open(dir).dataSource(db.dataSource()).placeholderDelimiters("#[", "]")
                .placeholders(Map.of("prefix", "shop")).migrate();

        assertThat(db.value("SELECT to_regclass('public.shop_posts') IS NOT NULL")).isEqualTo(true);
        assertThatThrownBy(() -> project().placeholderDelimiters("", "]")).isInstanceOf(AshlarException.class)
                .hasMessageContaining("placeholder prefix").hasMessageContaining("${");
        assertThatThrownBy(() -> project().placeholderDelimiters("#[", "]\n")).isInstanceOf(AshlarException.class)
                .hasMessageContaining("placeholder suffix");
    }
}
