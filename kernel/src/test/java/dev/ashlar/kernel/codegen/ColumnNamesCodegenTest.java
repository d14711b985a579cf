package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generations over attributes stored in columns of other names: what the files say, what the snapshots keep. */
@ExtendWith(PostgresExtension.class)
class ColumnNamesCodegenTest {
    @TempDir
    Path project;
    TestDatabase db;
    private int generation;

    @BeforeEach
    void cleanSlate(TestDatabase database) {
        db = database;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    /** Posts with a title attribute, named and stored as {@code title} says, and unique. */
    private static Domain posts(UnaryOperator<ResourceBuilder> title) {
        ResourceBuilder post = Resource.builder("post").table("posts").primaryKey("id");
        return Domain.builder("blog").resource(title.apply(post).identity("unique_title", titleName(title))
                .build()).build();
    }

    private static String titleName(UnaryOperator<ResourceBuilder> title) {
        Resource probe = title.apply(Resource.builder("probe").primaryKey("id")).build();
        return probe.attributes().get(1).name();
    }

    private static Domain people(String firstColumn, String lastColumn) {
        return Domain.builder("people").resource(Resource.builder("person").table("people").primaryKey("id")
                .attribute("firstName", TEXT, a -> a.column(firstColumn))
                .attribute("lastName", TEXT, a -> a.column(lastColumn)).build()).build();
    }

    private Codegen.Result generate(Domain domain) {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z").plusSeconds(60L * generation++),
                ZoneOffset.UTC);
        return new Codegen(project, domain, Plugins.none(), Renames.none(), clock).generate("step");
    }

    private void migrate() {
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { }).migrate();
    }

    private List<String> columns() {
        return db.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'posts' "
                + "ORDER BY ordinal_position").stream().map(row -> (String) row.get("column_name")).toList();
    }

    private static String text(List<Path> files) {
        return String.join("\n", files.stream().map(ColumnNamesCodegenTest::read).toList());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String latestSnapshot() throws IOException {
        try (Stream<Path> files = Files.walk(project.resolve("resource_snapshots"))) {
            return read(files.filter(f -> f.toString().contains("posts")).sorted().reduce((a, b) -> b).orElseThrow());
        }
    }

    /** Posts with a plain title attribute, migrated, holding one row titled "kept". */
    private void titlesMigratedWithOneRow() {
        generate(posts(p -> p.attribute("title", TEXT)));
        migrate();
        db.execute("INSERT INTO posts (title) VALUES ('kept')");
    }

    @Test
    void theMigrationWritesTheColumnAndTheSnapshotRecordsItsAttributeSoTheNextGenerationWritesNothing()
            throws IOException {
        Domain domain = posts(p -> p.attribute("headline", TEXT, a -> a.column("post_title")));

        Codegen.Result first = generate(domain);
        migrate();

        assertThat(text(first.files())).contains("\"post_title\" text").doesNotContain("\"headline\"");
        assertThat(columns()).containsExactly("id", "post_title");
        assertThat(latestSnapshot()).contains("\"name\" : \"post_title\"").contains("\"attribute\" : \"headline\"");
        assertThat(generate(domain).changed()).isFalse();
        assertThat(generate(domain).files()).isEmpty();
    }

    @Test
    void aSnapshotWithoutAttributesReadsAsColumnsNamedLikeTheirAttributes() throws IOException {
        generate(posts(p -> p.attribute("title", TEXT)));

        assertThat(latestSnapshot()).doesNotContain("\"attribute\"");
        assertThat(generate(posts(p -> p.attribute("title", TEXT, a -> a.column("title")))).changed()).isFalse();
    }

    @Test
    void changingTheColumnOfAnAttributeRenamesTheColumnAndKeepsItsRows() {
        titlesMigratedWithOneRow();

        Codegen.Result renamed = generate(posts(p -> p.attribute("title", TEXT, a -> a.column("post_title"))));
        migrate();

        assertThat(renamed.steps()).filteredOn(MigrationStep.RenameColumn.class::isInstance).hasSize(1);
        assertThat(renamed.destructive()).isEmpty();
        assertThat(text(renamed.files())).contains("RENAME COLUMN \"title\" TO \"post_title\"")
                .doesNotContain("DROP COLUMN").doesNotContain("ADD COLUMN");
        assertThat(columns()).containsExactly("id", "post_title");
        assertThat(db.value("SELECT post_title FROM posts")).isEqualTo("kept");
        assertThat((String) db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'posts_unique_title_index'"))
                .endsWith("(post_title)");
        assertThat(generate(posts(p -> p.attribute("title", TEXT, a -> a.column("post_title")))).changed()).isFalse();
    }

    @Test
    void renamingOnlyTheAttributeWritesNoMigrationAndALaterColumnChangeIsStillARename() {
        titlesMigratedWithOneRow();

        Codegen.Result relabelled = generate(posts(p -> p.attribute("headline", TEXT, a -> a.column("title"))));
        Codegen.Result renamed = generate(posts(p -> p.attribute("headline", TEXT, a -> a.column("post_title"))));
        migrate();

        assertThat(relabelled.changed()).isFalse();
        assertThat(relabelled.files()).isEmpty();
        assertThat(text(renamed.files())).contains("RENAME COLUMN \"title\" TO \"post_title\"")
                .doesNotContain("DROP COLUMN");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).discoverPlugins(false)
                .domain(posts(p -> p.attribute("headline", TEXT, a -> a.column("post_title")))).build()) {
            assertThat(ashlar.read("post").list()).extracting(r -> r.get("headline")).containsExactly("kept");
            ashlar.create("post", Map.of("headline", "new"));
        }
        assertThat(db.value("SELECT count(*) FROM posts WHERE post_title IS NOT NULL")).isEqualTo(2L);
    }

    @Test
    void rollingBackAColumnRenameRestoresTheOldName() {
        generate(posts(p -> p.attribute("title", TEXT)));
        migrate();
        // PostgreSQL renames the column inside the identity's index, and back on rollback.
        Codegen.Result renamed = generate(posts(p -> p.attribute("title", TEXT, a -> a.column("post_title"))));
        migrate();

        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { })
                .rollback(renamed.files().size());

        assertThat(columns()).containsExactly("id", "title");
        assertThat((String) db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'posts_unique_title_index'"))
                .endsWith("(title)");
    }

    @Test
    void attributesThatExchangeTheirColumnsAreRefusedNamingTheTwoStepsThatKeepTheirValues() {
        generate(people("col_a", "col_b"));
        migrate();
        db.execute("INSERT INTO people (col_a, col_b) VALUES ('Ada', 'Lovelace')");

        assertThatThrownBy(() -> generate(people("col_b", "col_a"))).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("Attribute 'firstName' of table people moves from column col_a to col_b")
                .hasMessageContaining("Move it in two generations");
        assertThat(Codegen.migrations(project, Scope.MAIN).toFile().list()).hasSize(1);

        generate(people("first_name", "col_b"));
        generate(people("first_name", "col_a"));
        generate(people("col_b", "col_a"));
        migrate();
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).discoverPlugins(false)
                .domain(people("col_b", "col_a")).build()) {
            assertThat(ashlar.read("person").list()).extracting(r -> r.get("firstName") + " " + r.get("lastName"))
                    .containsExactly("Ada Lovelace");
        }
    }

    @Test
    void anAttributeTakingTheColumnOfARemovedAttributeIsRefused() {
        generate(Domain.builder("people").resource(Resource.builder("person").table("people").primaryKey("id")
                .attribute("nickname", TEXT, a -> a.column("col_a"))
                .attribute("name", TEXT, a -> a.column("col_b")).build()).build());

        assertThatThrownBy(() -> generate(Domain.builder("people").resource(Resource.builder("person").table("people")
                .primaryKey("id").attribute("name", TEXT, a -> a.column("col_a")).build()).build()))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("Attribute 'name' of table people moves from column col_b to col_a");
    }
}
