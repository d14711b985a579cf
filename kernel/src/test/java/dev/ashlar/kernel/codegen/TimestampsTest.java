package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.TimestampOptions;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.Catalog;
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
import java.util.function.Consumer;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code updated_at} follows every update: through the data layer always, through plain SQL with the trigger. */
@ExtendWith(PostgresExtension.class)
class TimestampsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    private static final Instant LONG_AGO = Instant.parse("2000-01-01T00:00:00Z");

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Domain blog(Consumer<TimestampOptions> timestamps) {
        return Domain.builder("blog").resource(Resource.builder("post").table("posts").primaryKey("id")
                .attribute("title", TEXT).attribute("slug", TEXT, a -> a.notNull()).identity("unique_slug", "slug")
                .timestamps(timestamps).build()).build();
    }

    private Codegen.Result generate(Domain domain, String name) {
        return new Codegen(project, domain, Plugins.none(), Renames.none(), CLOCK).generate(name);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
    }

    private Object updatedAtBeforeTheYear2001(long id) {
        return db.value("SELECT updated_at < '2001-01-01' FROM posts WHERE id = ?", id);
    }

    @Test
    void everyUpdateThroughTheDataLayerSetsUpdatedAtUnlessTheCallerSetsIt() {
        Domain domain = blog(t -> { });
        generate(domain, "create");
        migrator().migrate();
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            long id = (Long) ashlar.create("post", Map.of("title", "a", "slug", "a")).get("id");
            db.execute("UPDATE posts SET updated_at = '2000-01-01', inserted_at = '2000-01-01'");

            Row updated = ashlar.update(ashlar.get("post", id), Map.of("title", "b"));
            assertThat(updatedAtBeforeTheYear2001(id)).isEqualTo(false);
            assertThat(updated.get("updated_at")).isNotEqualTo(LONG_AGO);
            assertThat(db.value("SELECT inserted_at < '2001-01-01' FROM posts")).isEqualTo(true);

            ashlar.update(ashlar.get("post", id), Map.of("title", "c", "updated_at", LONG_AGO));
            assertThat(updatedAtBeforeTheYear2001(id)).isEqualTo(true);

            ashlar.updateAll(Query.of("post").withFilter(Filter.eq("id", id)), Map.of("title", "d"));
            assertThat(updatedAtBeforeTheYear2001(id)).isEqualTo(false);

            db.execute("UPDATE posts SET updated_at = '2000-01-01'");
            ashlar.upsert("post", List.of(Map.of("slug", "a", "title", "e")), Upsert.on("unique_slug"));
            assertThat(updatedAtBeforeTheYear2001(id)).as("an upsert that updates sets it too").isEqualTo(false);
        }
        db.execute("UPDATE posts SET updated_at = '2000-01-01', title = 'plain'");
        assertThat(db.value("SELECT updated_at < '2001-01-01' FROM posts")).as("no trigger without the option")
                .isEqualTo(true);
    }

    @Test
    void theTriggerSetsUpdatedAtForPlainSqlAndGoesAwayWithItsOption() {
        generate(blog(t -> t.trigger()), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title, slug) VALUES ('a', 'a'); UPDATE posts SET updated_at = '2000-01-01'");

        assertThat(db.value("SELECT updated_at < '2001-01-01' FROM posts")).as("an explicit value is kept")
                .isEqualTo(true);
        db.execute("UPDATE posts SET title = 'b'");
        assertThat(db.value("SELECT updated_at < '2001-01-01' FROM posts")).isEqualTo(false);
        assertThat(Catalog.of(db, "public")).anyMatch(line -> line.startsWith(
                "trigger posts.posts_set_updated_at CREATE TRIGGER posts_set_updated_at BEFORE UPDATE ON public.posts"));

        generate(blog(t -> { }), "drop_trigger");
        migrator().migrate();
        assertThat(Catalog.of(db, "public")).noneMatch(line -> line.startsWith("trigger"));
        assertThat(db.value("SELECT count(*) FROM pg_proc WHERE proname = 'posts_set_updated_at'")).isEqualTo(0L);

        migrator().rollback(1);
        db.execute("UPDATE posts SET updated_at = '2000-01-01'; UPDATE posts SET title = 'c'");
        assertThat(db.value("SELECT updated_at < '2001-01-01' FROM posts")).isEqualTo(false);
        migrator().rollback(1);
        assertThat(db.value("SELECT count(*) FROM pg_proc WHERE proname = 'posts_set_updated_at'")).isEqualTo(0L);
    }
}
