package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.codegen.Codegen;
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

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/** Identity columns changed in tenant schemas that hold rows. */
@ExtendWith(PostgresExtension.class)
class TenantColumnChangesTest {
    private static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("tenant_", "id")).build();

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS tenant_acme CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private void migrate(Resource post, String name, int minute) {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z").plusSeconds(60L * minute), ZoneOffset.UTC);
        new Codegen(project, Domain.builder("app").resources(TENANT, post).build(),
                Plugins.none().with(new TenancyPlugin()), Renames.none(), clock).generate(name);
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(l -> { }).migrate();
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.TENANT)).forSchema("tenant_acme")
                .progress(l -> { }).migrate();
    }

    @Test
    void aTenantKeyWidenedToBigintAndAColumnMadeGeneratedNumberAfterTheTenantsRows() {
        db.execute("CREATE SCHEMA tenant_acme");
        migrate(Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", TEXT)
                .attribute("number", INTEGER).with(Multitenancy.context()).build(), "create", 0);
        db.execute("INSERT INTO tenant_acme.posts (title, number) VALUES ('a', 10), ('b', 20)");

        migrate(Resource.builder("post").table("posts").primaryKey("id").attribute("title", TEXT)
                .attribute("number", INTEGER, a -> a.generated()).with(Multitenancy.context()).build(), "change", 1);
        db.execute("INSERT INTO tenant_acme.posts (title) VALUES ('c')");

        assertThat(db.query("SELECT id, number FROM tenant_acme.posts ORDER BY id"))
                .extracting(r -> r.get("id") + "/" + r.get("number")).containsExactly("1/10", "2/20", "3/21");
    }
}
