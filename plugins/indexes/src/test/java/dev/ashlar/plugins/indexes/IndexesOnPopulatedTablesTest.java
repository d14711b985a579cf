package dev.ashlar.plugins.indexes;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.testing.Catalog;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static org.assertj.core.api.Assertions.assertThat;

/** Custom indexes around columns that are renamed or removed on tables holding rows. */
class IndexesOnPopulatedTablesTest extends ProjectTest {
    private static final Clock LATER = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    private static Resource posts(String column, CustomIndex.Builder... indexes) {
        var post = Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("body", TEXT);
        if (column != null) {
            post.attribute(column, TEXT);
        }
        return post.with(CustomIndexes.of(indexes)).build();
    }

    @Test
    void anIndexOnAColumnRenamedByAHintEndsAsTheIndexMadeUnderTheNewNameWithItsRows() {
        project.apply("create", posts("title", index("title"), index("lower(title)").where("title <> ''")));
        db.execute("INSERT INTO posts (title, body) VALUES ('A', 'x'), ('B', 'y')");

        Codegen.Result renamed = new Codegen(directory, Domain.builder("app").resources(posts("headline", index("headline"),
                index("lower(headline)").where("headline <> ''"))).build(), Plugins.none().with(new IndexesPlugin()),
                Renames.hints(List.of("posts.title=headline")), LATER).generate("rename");
        project.migrate();
        List<String> after = Catalog.of(db, "public");

        assertThat(db.query("SELECT headline FROM posts ORDER BY id")).extracting(r -> r.get("headline")).containsExactly("A", "B");
        project.rollback(renamed.files().size());
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        new Codegen(directory.resolve("fresh"), Domain.builder("app").resources(posts("headline", index("headline"),
                index("lower(headline)").where("headline <> ''"))).build(), Plugins.none().with(new IndexesPlugin()),
                Renames.none(), LATER).generate("fresh");
        new dev.ashlar.kernel.migrate.Migrator(db.dataSource(), Codegen.migrations(directory.resolve("fresh"),
                dev.ashlar.spi.schema.Scope.MAIN)).progress(l -> { }).migrate();
        assertThat(after).isEqualTo(Catalog.of(db, "public"));
    }

    @Test
    void anIndexRemovedWithItsColumnRollsBackWithBoth() {
        project.apply("create", posts("title", index("title"), index("body", "title").unique()));
        db.execute("INSERT INTO posts (title, body) VALUES ('A', 'x'), ('B', 'y')");
        List<String> before = Catalog.of(db, "public");

        Codegen.Result removed = project.apply("remove", posts(null));
        assertThat(Catalog.of(db, "public")).noneMatch(line -> line.contains("title"));
        project.rollback(removed.files().size());

        assertThat(Catalog.of(db, "public")).isEqualTo(before);
    }

    private static Resource viewed(dev.ashlar.api.resource.Type titleType, boolean withBody) {
        var post = Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", titleType);
        if (withBody) {
            post.attribute("body", TEXT);
        }
        return post.with(CustomStatements.of(CustomStatements.statement("post_titles").afterTables("post")
                .up("CREATE VIEW post_titles AS SELECT p.id, p.title FROM posts p")
                .down("DROP VIEW post_titles"))).build();
    }

    @Test
    void aViewOverAColumnWhoseTypeChangesIsDroppedBeforeAndCreatedAgainAfter() {
        project.apply("create", viewed(dev.ashlar.api.resource.Type.varchar(40), true));
        db.execute("INSERT INTO posts (title, body) VALUES ('A', 'x')");

        Codegen.Result widened = project.apply("widen", viewed(TEXT, true));

        assertThat(db.value("SELECT title FROM post_titles")).isEqualTo("A");
        assertThat(db.value("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'post_titles'::regclass "
                + "AND attname = 'title'")).isEqualTo("text");
        project.rollback(widened.files().size());
        assertThat(db.value("SELECT title FROM post_titles")).isEqualTo("A");
    }

    @Test
    void aViewKeepsWorkingWhenItsTableLosesAColumnItDoesNotRead() {
        project.apply("create", viewed(TEXT, true));
        db.execute("INSERT INTO posts (title, body) VALUES ('A', 'x')");

        project.apply("drop_body", viewed(TEXT, false));

        assertThat(db.value("SELECT title FROM post_titles")).isEqualTo("A");
    }
}
