package dev.ashlar.integration;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.checks.ChecksPlugin;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.IndexesPlugin;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Supplier;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;

@ExtendWith(PostgresExtension.class)
class ZzNamesProbeTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Plugins PLUGINS = Plugins.none().with(new ReferencesPlugin()).with(new ChecksPlugin())
            .with(new IndexesPlugin());
    @TempDir
    Path root;

    static String name(String lead, int bytes) {
        return lead + "\u00e9".repeat((bytes - lead.length()) / 2) + ((bytes - lead.length()) % 2 == 1 ? "x" : "");
    }

    int k;

    void p(String what, TestDatabase db, Supplier<Domain> domain) {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        try {
            Path project = Files.createDirectory(root.resolve("p" + k++));
            Domain d = domain.get();
            new Codegen(project, d, PLUGINS, Renames.none(), CLOCK).generate("create");
            new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(l -> { }).migrate();
            System.out.println("PROBE " + what + " OK " + db.query("SELECT n FROM (SELECT relname::text n FROM pg_class WHERE relnamespace='public'::regnamespace UNION ALL SELECT conname FROM pg_constraint WHERE connamespace='public'::regnamespace UNION ALL SELECT tgname FROM pg_trigger WHERE NOT tgisinternal UNION ALL SELECT proname FROM pg_proc WHERE pronamespace='public'::regnamespace) x WHERE octet_length(n) >= 60"));
        } catch (Throwable t) {
            System.out.println("PROBE " + what + " THREW " + t.getClass().getName() + ": " + String.valueOf(t.getMessage()).replace("\n", " | "));
        }
    }

    @Test
    void probe(TestDatabase db) {
        for (int extra = 0; extra <= 1; extra++) {
            int e = extra;
            p("history+" + e, db, () -> Domain.builder("d").resource(Resource.builder("h").table(name("h", 47 + e)).bigintPrimaryKey("id").attribute("a", TEXT).history().timestamps(t -> t.trigger()).build()).build());
            p("draft+" + e, db, () -> Domain.builder("d").resource(Resource.builder("h").table(name("d", 51 + e)).bigintPrimaryKey("id").attribute("a", TEXT).draftable().build()).build());
            p("pkey+" + e, db, () -> Domain.builder("d").resource(Resource.builder("h").table(name("k", 58 + e)).bigintPrimaryKey("id").attribute("a", TEXT).build()).build());
            p("fk+" + e, db, () -> Domain.builder("d").resource(Resource.builder("post").table("p").bigintPrimaryKey("id").build())
                    .resource(Resource.builder("c").table("c").bigintPrimaryKey("id").belongsTo(name("r", 53 + e), "post").build()).build());
            p("fkindex+" + e, db, () -> Domain.builder("d").resource(Resource.builder("post").table("p").bigintPrimaryKey("id").build())
                    .resource(Resource.builder("c").table("c").bigintPrimaryKey("id").belongsTo(name("r", 52 + e), "post").with(dev.ashlar.plugins.references.References.of(dev.ashlar.plugins.references.Reference.reference(name("r", 52 + e)).index(true))).build()).build());
            p("tenantschema+" + e, db, () -> Domain.builder("d").resource(Resource.builder("c").schema(name("s", 63 + e)).table("c").bigintPrimaryKey("id").build()).build());
            p("check+" + e, db, () -> Domain.builder("d").resource(Resource.builder("c").table("c").bigintPrimaryKey("id").attribute("n", INTEGER)
                    .with(CheckConstraints.of(check(name("q", 55 + e)).expression("n > 0").attributes("n"))).build()).build());
            p("index+" + e, db, () -> Domain.builder("d").resource(Resource.builder("c").table("c").bigintPrimaryKey("id").attribute(name("i", 55 + e), INTEGER)
                    .with(CustomIndexes.of(index(name("i", 55 + e)))).build()).build());
            p("identity+" + e, db, () -> Domain.builder("d").resource(Resource.builder("c").table("c").bigintPrimaryKey("id").attribute("n", INTEGER)
                    .identity(name("u", 55 + e), "n").build()).build());
            p("seq+" + e, db, () -> Domain.builder("d").resource(Resource.builder("c").table(name("s", 40 + e)).bigintPrimaryKey(name("z", 40)).build()).build());
            p("enumtype+" + e, db, () -> Domain.builder("d").resource(Resource.builder("c").table("c").bigintPrimaryKey("id")
                    .attribute("st", dev.ashlar.api.resource.Type.pgEnum(name("t", 63 + e), "a", "b")).build()).build());
        }
    }
}
