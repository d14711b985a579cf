package dev.ashlar.integration;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.spi.schema.Target;
import dev.ashlar.testing.CitusTest;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project that began on one server moved onto a Citus cluster with its rows: switched to the citus target, its
 * next migration distributes the tables with a tenant column, makes the main table they reference a reference
 * table, and keeps every row, each tenant's still its own.
 */
@CitusTest
class CitusTargetSwitchTest {
    private static final Plugins PLUGINS = Plugins.none().with(new TenancyPlugin()).with(new ReferencesPlugin());

    static Domain blog() {
        Resource plan = Resource.builder("plan").table("plans").attribute("id", TEXT, a -> a.primaryKey()).build();
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("title", TEXT)
                .belongsTo("plan", "plan", r -> r.allowNil(true))
                .with(Multitenancy.attribute("org_id")).with(References.of(reference("plan"))).build();
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("body", TEXT).belongsTo("post", "post")
                .with(Multitenancy.attribute("org_id")).with(References.of(reference("post"))).build();
        return Domain.builder("blog").resources(plan, post, comment).build();
    }

    private static Project project(Path folder, TestDatabase db, String at) {
        return Project.open(folder).domain(blog(), PLUGINS).dataSource(db.dataSource()).progress(line -> { })
                .clock(Clock.fixed(Instant.parse(at), ZoneOffset.UTC));
    }

    @Test
    void aProjectOfOneServerSwitchedToCitusDistributesItsTablesWithTheirRows(TestDatabase db) throws Exception {
        Path folder = Files.createTempDirectory("ashlar-citus");
        project(folder, db, "2026-01-01T00:00:00Z").target(Target.POSTGRESQL).generate("create_blog", Renames.none());
        project(folder, db, "2026-01-01T00:00:00Z").migrate();
        db.execute("INSERT INTO plans VALUES ('free')");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(blog()).install(new TenancyPlugin())
                .install(new ReferencesPlugin()).discoverPlugins(false).build()) {
            for (String tenant : new String[] {"acme", "globex"}) {
                long post = ashlar.withTenant(tenant).create("post", Map.of("title", tenant + "'s", "plan_id", "free"))
                        .getLong("id");
                ashlar.withTenant(tenant).create("comment", Map.of("post_id", post, "body", "on " + tenant + "'s"));
            }
        }
        assertThat(db.value("SELECT count(*) FROM pg_dist_partition")).as("one server's tables").isEqualTo(0L);

        Project switched = project(folder, db, "2026-01-02T00:00:00Z").switchTarget(Target.CITUS);
        switched.generate("to_citus", Renames.none());
        switched.migrate();

        assertThat(db.query("SELECT logicalrelid::text || ' ' || partmethod::text AS d FROM pg_dist_partition "
                + "ORDER BY 1")).extracting(r -> r.get("d")).containsExactly("comments h", "plans n", "posts h");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(blog()).install(new TenancyPlugin())
                .install(new ReferencesPlugin()).discoverPlugins(false).build()) {
            assertThat(ashlar.withTenant("acme").read("comment").load("post").list()).singleElement()
                    .satisfies(c -> assertThat(c.relatedOne("post").orElseThrow().getString("title"))
                            .isEqualTo("acme's"));
            assertThat(ashlar.withTenant("globex").read("post").list()).extracting(r -> r.getString("title"))
                    .containsExactly("globex's");
        }
    }
}
