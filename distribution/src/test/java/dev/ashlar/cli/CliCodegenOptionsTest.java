package dev.ashlar.cli;

import dev.ashlar.cli.MigrationDomains.PostsWithHeadline;
import dev.ashlar.cli.MigrationDomains.PostsWithHeadlineAndSummary;
import dev.ashlar.cli.MigrationDomains.PostsWithUniqueHeadline;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator's options AshPostgres users rely on: --dry-run, --dont-drop-columns, --concurrent-indexes, --snapshots-only. */
class CliCodegenOptionsTest extends CliProjectTest {
    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    private CliRun codegen(Class<?> domain, String... more) {
        String[] args = Stream.concat(Stream.of("codegen"), Stream.concat(Stream.of(more),
                Stream.of("--domain", domain.getName(), "--no-input"))).toArray(String[]::new);
        CliRun run = ashlar(args);
        assertThat(run.code()).as(run.err()).isZero();
        return run;
    }

    /** Every file of the project with its content. */
    private Map<String, String> projectFiles() throws IOException {
        try (Stream<Path> files = Files.walk(project)) {
            Map<String, String> all = new TreeMap<>();
            files.filter(Files::isRegularFile).forEach(f -> all.put(project.relativize(f).toString(), read(f)));
            return all;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long columns(String name) {
        return (Long) db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = ?", name);
    }

    @Test
    void dryRunPrintsTheFilesItWouldWriteAndWritesNeitherFilesNorSnapshots() throws IOException {
        codegen(PostsWithHeadline.class, "create_posts");
        Map<String, String> before = projectFiles();

        CliRun dry = codegen(PostsWithHeadlineAndSummary.class, "add_summary", "--dry-run");

        assertThat(dry.out()).containsPattern("would write migrations/\\d+_add_summary\\.sql:")
                .contains("ALTER TABLE \"public\".\"posts\" ADD COLUMN \"summary\" text;")
                .contains("Dry run: nothing was written.");
        assertThat(projectFiles()).isEqualTo(before);
        CliRun check = ashlar("codegen", "--check", "--domain", PostsWithHeadlineAndSummary.class.getName());
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.out()).contains("add column public.posts.summary");
    }

    @Test
    void dontDropColumnsKeepsTheColumnAndItsDataAndLaterGenerationsKeepItToo() throws IOException {
        codegen(PostsWithHeadlineAndSummary.class, "create_posts");
        assertThat(ashlar("migrate").code()).isZero();
        db.execute("INSERT INTO posts (id, headline, summary) VALUES (1, 'Hello', 'kept text')");

        CliRun kept = codegen(PostsWithHeadline.class, "drop_summary", "--dont-drop-columns");
        assertThat(kept.out()).doesNotContain("DESTRUCTIVE");
        assertThat(ashlar("migrate").code()).isZero();

        assertThat(db.value("SELECT summary FROM posts WHERE id = 1")).isEqualTo("kept text");
        assertThat(projectFiles()).anySatisfy((file, text) -> assertThat(file + text)
                .contains("resource_snapshots").contains("\"kept\" : true"));
        CliRun later = codegen(PostsWithHeadline.class, "later");
        assertThat(later.out()).contains("No changes");
        assertThat(columns("summary")).isEqualTo(1L);
    }

    @Test
    void concurrentIndexesBuildsANewIndexOnAnExistingTableConcurrentlyOutsideATransaction() throws IOException {
        codegen(PostsWithHeadlineAndSummary.class, "create_posts");
        assertThat(ashlar("migrate").code()).isZero();
        db.execute("INSERT INTO posts (id, headline) VALUES (1, 'a'), (2, 'b')");

        CliRun run = codegen(PostsWithUniqueHeadline.class, "unique_headline", "--concurrent-indexes");
        String file = projectFiles().entrySet().stream().filter(e -> e.getKey().endsWith("_unique_headline.sql"))
                .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new AssertionError(run.out()));

        assertThat(file).contains("-- migrate:up transaction:false")
                .contains("CREATE UNIQUE INDEX CONCURRENTLY \"posts_unique_headline_index\"")
                .contains("DROP INDEX CONCURRENTLY");
        assertThat(ashlar("migrate").code()).isZero();
        assertThat(db.value("SELECT i.indisvalid AND i.indisunique FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE c.relname = 'posts_unique_headline_index'")).isEqualTo(true);
        assertThat(ashlar("rollback").code()).isZero();
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relname = 'posts_unique_headline_index'")).isEqualTo(0L);
    }

    @Test
    void snapshotsOnlyRecordsAnExistingSchemaSoThatTheNextGenerationWritesNothing() throws IOException {
        db.execute("CREATE TABLE posts (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, headline text)");

        CliRun adopt = codegen(PostsWithHeadline.class, "--snapshots-only");

        assertThat(adopt.out()).contains("Recorded 1 change(s) in the snapshots, writing no migration")
                .contains("create table public.posts");
        assertThat(projectFiles().keySet()).isNotEmpty().allMatch(f -> f.startsWith("resource_snapshots"));
        assertThat(codegen(PostsWithHeadline.class, "adopted").out()).contains("No changes");
        assertThat(codegen(PostsWithHeadlineAndSummary.class, "add_summary").out())
                .contains("add column public.posts.summary");
    }
}
