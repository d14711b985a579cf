package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
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

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A resource's base filter: every read applies it, and its SQL joins the predicate of the unique indexes. */
@ExtendWith(PostgresExtension.class)
class BaseFilterTest {
    @TempDir
    Path project;
    TestDatabase db;
    private int generation;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Domain blog(boolean softDelete) {
        Resource author = Resource.builder("author").table("authors").bigintPrimaryKey("id").attribute("name", TEXT)
                .hasMany("posts", "post", r -> r.destinationAttribute("author_id")).build();
        var post = Resource.builder("post").table("posts").bigintPrimaryKey("id").attribute("slug", TEXT)
                .attribute("code", TEXT).attribute("deleted_at", TIMESTAMPTZ).belongsTo("author", "author")
                .identity("unique_slug", List.of("slug"), i -> { })
                .identity("unique_code", List.of("code"), i -> i.ignoreBaseFilter());
        if (softDelete) {
            post.baseFilter("deleted_at IS NULL", Filter.isNil("deleted_at"));
        }
        return Domain.builder("blog").resources(author, post.build()).build();
    }

    private Codegen.Result generateAndMigrate(Domain domain) {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z").plusSeconds(60L * generation++), ZoneOffset.UTC);
        Codegen.Result result = new Codegen(project, domain, Plugins.none(), Renames.none(), clock).generate("step");
        migrator().migrate();
        return result;
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
    }

    private Object indexdef(String index) {
        return db.value("SELECT indexdef FROM pg_indexes WHERE indexname = ?", index);
    }

    @Test
    void readsCountsAndRelationshipLoadsLeaveOutTheFilteredRows() {
        Domain domain = blog(true);
        generateAndMigrate(domain);
        db.execute("INSERT INTO authors (id, name) VALUES (1, 'Ann');"
                + "INSERT INTO posts (slug, code, author_id, deleted_at) VALUES ('live', 'a', 1, NULL), "
                + "('gone', 'b', 1, now())");

        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            assertThat(ashlar.read("post").list()).extracting(r -> r.getString("slug")).containsExactly("live");
            assertThat(ashlar.read("post").where(Filter.eq("slug", "gone")).count()).isZero();
            Row ann = ashlar.read("author").load("posts").first().orElseThrow();
            assertThat(ann.related("posts")).extracting(p -> p.getString("slug")).containsExactly("live");
            assertThat(ashlar.read("author").where(Filter.eq("posts.slug", "gone")).count()).isZero();
        }
    }

    @Test
    void identitiesTakeTheBaseFilterIntoTheirPredicateUnlessTheyOptOutAndRemovingItRestoresThem() {
        generateAndMigrate(blog(false));
        db.execute("INSERT INTO posts (slug, code) VALUES ('a', 'x')");
        Codegen.Result filtered = generateAndMigrate(blog(true));

        assertThat(indexdef("posts_unique_slug_index")).isEqualTo("CREATE UNIQUE INDEX posts_unique_slug_index ON "
                + "public.posts USING btree (slug) WHERE (deleted_at IS NULL)");
        assertThat(indexdef("posts_unique_code_index")).isEqualTo("CREATE UNIQUE INDEX posts_unique_code_index ON "
                + "public.posts USING btree (code)");
        db.execute("UPDATE posts SET deleted_at = now(); INSERT INTO posts (slug, code) VALUES ('a', 'y')");

        db.execute("DELETE FROM posts WHERE deleted_at IS NOT NULL");
        // On a table that exists the new index is built concurrently, in a file of its own: roll back every file.
        migrator().rollback(filtered.files().size());
        assertThat(indexdef("posts_unique_slug_index")).isEqualTo("CREATE UNIQUE INDEX posts_unique_slug_index ON "
                + "public.posts USING btree (slug)");
    }

    @Test
    void aBaseFilterWithoutItsFilterIsRefusedNamingTheResource() {
        assertThatThrownBy(() -> Domain.builder("blog").resource(Resource.builder("post").bigintPrimaryKey("id")
                .baseFilter("deleted_at IS NULL", null).build()).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("post").hasMessageContaining("Filter.isNil");
    }
}
