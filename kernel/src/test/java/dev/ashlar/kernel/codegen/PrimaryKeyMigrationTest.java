package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Primary keys and identity columns changed on tables that hold rows. */
class PrimaryKeyMigrationTest extends FreshSchemaTest {
    private static Domain posts(UnaryOperator<ResourceBuilder> post) {
        return Domain.builder("blog").resource(post.apply(Resource.builder("post").table("posts")).build()).build();
    }

    private Codegen.Result generate(Domain domain, String name) {
        return new Codegen(project, domain, Plugins.none(), Renames.none(), CLOCK).generate(name);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { });
    }

    private List<Object> ids() {
        return db.query("SELECT id FROM posts ORDER BY id").stream().map(r -> r.get("id")).toList();
    }

    @Test
    void switchingAnIntegerKeyToBigintKeepsNumberingAfterTheRowsThereAndRollsBack() throws IOException {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('a'), ('b'), ('c')");

        Codegen.Result widened = generate(posts(p -> p.primaryKey("id").attribute("title", TEXT)), "bigint_key");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('d')");

        assertThat(Files.readString(widened.files().get(0))).doesNotContain("DROP IDENTITY");
        assertThat(Catalog.of(db, "public")).contains("column posts.id bigint not null identity d");
        assertThat(db.query("SELECT format_type(seqtypid, NULL) AS type FROM pg_sequence "
                + "WHERE seqrelid = pg_get_serial_sequence('posts', 'id')::regclass")).containsExactly(Map.of("type", "bigint"));
        assertThat(ids()).containsExactly(1L, 2L, 3L, 4L);
        migrator().rollback(1);
        db.execute("INSERT INTO posts (title) VALUES ('e')");
        assertThat(ids()).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void aColumnThatBecomesGeneratedNumbersNewRowsAfterTheLargestValueThere() {
        generate(posts(p -> p.attribute("id", INTEGER, a -> a.primaryKey()).attribute("title", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (id, title) VALUES (1, 'a'), (7, 'b')");

        generate(posts(p -> p.attribute("id", INTEGER, a -> a.primaryKey().generated()).attribute("title", TEXT)),
                "generated_key");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('c')");

        assertThat(ids()).containsExactly(1, 7, 8);
        migrator().rollback(1);
        assertThat(Catalog.of(db, "public")).contains("column posts.id integer not null");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('d')");
        assertThat(ids()).containsExactly(1, 7, 8, 9);
    }

    @Test
    void theKeyMovesToAnotherColumnOfAPopulatedTableAndRollsBack() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("slug", TEXT, a -> a.notNull())), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (slug) VALUES ('a'), ('b')");
        List<String> before = Catalog.of(db, "public");

        Codegen.Result slugKey = generate(posts(p -> p.attribute("slug", TEXT, a -> a.primaryKey())), "slug_key");
        migrator().migrate();

        assertThat(Catalog.of(db, "public")).contains("constraint posts.posts_pkey PRIMARY KEY (slug)")
                .noneMatch(line -> line.startsWith("column posts.id"));
        assertThat(db.query("SELECT slug FROM posts ORDER BY slug")).extracting(r -> r.get("slug")).containsExactly("a", "b");
        // The new key's index is built concurrently in a file of its own, then swapped in; the old key's column is
        // dropped after the swap.
        assertThat(slugKey.steps()).extracting(MigrationStep::describe).containsSubsequence(
                "build the unique index of primary key [slug] of public.posts concurrently",
                "make posts_pkey_next primary key [slug] of public.posts instead of [id]", "drop column public.posts.id");
        migrator().rollback(slugKey.files().size());
        assertThat(Catalog.of(db, "public")).isEqualTo(before);
    }

    @ParameterizedTest(name = "concurrent index builds: {0}, old key column kept: {1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void aNewUuidKeyIsFilledForEveryRowThereBeforeItBecomesTheKey(boolean concurrently, boolean keepOldKey) {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('a'), ('b'), ('c')");
        List<String> before = Catalog.of(db, "public");

        UnaryOperator<ResourceBuilder> guidKey = p -> (keepOldKey ? p.attribute("id", INTEGER) : p)
                .uuidPrimaryKey("guid").attribute("title", TEXT);
        Codegen.Result result = new Codegen(project, posts(guidKey), Plugins.none(), Renames.none(), CLOCK)
                .concurrentIndexes(concurrently).generate("guid_key");
        migrator().migrate();

        assertThat(Catalog.of(db, "public")).contains("constraint posts.posts_pkey PRIMARY KEY (guid)");
        assertThat(db.value("SELECT count(DISTINCT guid) FROM posts")).isEqualTo(3L);
        assertThat(db.query("SELECT title FROM posts ORDER BY title")).extracting(r -> r.get("title"))
                .containsExactly("a", "b", "c");
        migrator().rollback(result.files().size());
        assertThat(Catalog.of(db, "public")).isEqualTo(before);
    }

    @Test
    void anIntegerKeyBecomingAUuidKeyIsRefusedBeforeAnythingIsWrittenNamingTheWayOut() {
        generate(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT)), "create");

        assertThatThrownBy(() -> generate(posts(p -> p.uuidPrimaryKey("id").attribute("title", TEXT)), "uuid_key"))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("resource 'post', 'id'")
                .hasMessageContaining("from integer to uuid, between which PostgreSQL has no conversion")
                .hasMessageContaining("Add an attribute of the new type");
        assertThat(Codegen.migrations(project, Scope.MAIN).toFile().list()).hasSize(1);
    }
}
