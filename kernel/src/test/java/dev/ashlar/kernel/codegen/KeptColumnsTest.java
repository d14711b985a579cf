package dev.ashlar.kernel.codegen;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
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
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code --dont-drop-columns} on a required column: kept with its data, no longer required, and reversible. */
@ExtendWith(PostgresExtension.class)
class KeptColumnsTest {
    @TempDir
    Path project;
    TestDatabase db;
    private int generation;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Domain posts(boolean withCode) {
        var post = Resource.builder("post").table("posts").bigintPrimaryKey("id").attribute("title", TEXT);
        if (withCode) {
            post.attribute("code", TEXT, a -> a.notNull());
        }
        return Domain.builder("blog").resource(post.build()).build();
    }

    private Codegen.Result generate(Domain domain, Codegen.Options options) {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z").plusSeconds(60L * generation++), ZoneOffset.UTC);
        return new Codegen(project, domain, Plugins.none(), Renames.none(), clock).options(options).generate("step");
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
    }

    private Object codeIsNullable() {
        return db.value("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'code'");
    }

    @Test
    void aKeptRequiredColumnBecomesNullableSoTheDataLayerCanStillInsertAndRollsBack() {
        generate(posts(true), Codegen.Options.DEFAULT);
        migrator().migrate();
        db.execute("INSERT INTO posts (title, code) VALUES ('old', 'A-1')");

        Codegen.Result kept = generate(posts(false), new Codegen.Options(true, false));
        migrator().migrate();

        assertThat(kept.destructive()).isEmpty();
        assertThat(codeIsNullable()).isEqualTo("YES");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(posts(false)).build()) {
            ashlar.create("post", Map.of("title", "new"));
        }
        assertThat(db.query("SELECT title, code FROM posts ORDER BY id")).extracting(r -> r.get("title") + "=" + r.get("code"))
                .containsExactly("old=A-1", "new=null");
        assertThat(generate(posts(false), Codegen.Options.DEFAULT).changed()).isFalse();

        db.execute("DELETE FROM posts WHERE code IS NULL");
        migrator().rollback(1);
        assertThat(codeIsNullable()).isEqualTo("NO");
    }

    @Test
    void aKeptIdentityColumnKeepsNumberingTheRowsInsertedWithoutIt() {
        Domain numbered = Domain.builder("blog").resource(Resource.builder("post").table("posts").bigintPrimaryKey("id")
                .attribute("title", TEXT).attribute("seq", BIGINT, a -> a.generated()).build()).build();
        generate(numbered, Codegen.Options.DEFAULT);
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('old')");

        Codegen.Result kept = generate(posts(false), new Codegen.Options(true, false));
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('new')");

        assertThat(kept.files()).isEmpty();
        assertThat(Catalog.of(db, "public")).contains("column posts.seq bigint not null identity d");
        assertThat(db.query("SELECT seq FROM posts ORDER BY id")).extracting(r -> r.get("seq")).containsExactly(1L, 2L);
        assertThat(generate(posts(false), Codegen.Options.DEFAULT).changed()).isFalse();
    }
}
