package dev.ashlar.integration;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.plugins.tenancy.ManageTenant;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.spi.schema.Target;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Citus's features used against one PostgreSQL server, without the citus extension: a migration generated for Citus
 * fails on its first Citus function with the two ways on (a coordinator, or the project switched to one server) and
 * nothing of it applied; moving a tenant says the database is no Citus cluster.
 */
@ExtendWith(PostgresExtension.class)
class CitusOnOneServerTest {
    private static final Plugins PLUGINS = Plugins.none().with(new TenancyPlugin());

    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void emptySchema(TestDatabase database) {
        db = database;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    @Test
    void aMigrationGeneratedForCitusNamesTheMissingExtensionAndHowToSwitchWithNothingApplied() {
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).with(Multitenancy.attribute("org_id")).build();
        Project project = Project.open(folder).domain(Domain.builder("blog").resources(post).build(), PLUGINS)
                .dataSource(db.dataSource()).progress(line -> { }).target(Target.CITUS);
        project.generate("create_blog", Renames.none());

        assertThatThrownBy(project::migrate).isInstanceOf(MigrationException.class)
                .hasMessageContaining("create_distributed_table() is Citus's")
                .hasMessageContaining("this database has no citus extension")
                .hasMessageContaining("ashlar codegen NAME --target postgresql --switch-target");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void movingATenantSaysTheDatabaseIsNoCitusCluster() {
        Resource organization = Resource.builder("organization").table("organizations")
                .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("org_", "id")).build();
        Resource note = Resource.builder("note").table("notes").integerPrimaryKey("id")
                .with(Multitenancy.context()).build();
        Domain domain = Domain.builder("workspace").resources(organization, note).build();
        Project project = Project.open(folder).domain(domain, PLUGINS).dataSource(db.dataSource())
                .progress(line -> { });
        project.generate("create_workspace", Renames.none());
        project.migrate();
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).install(new TenancyPlugin())
                .discoverPlugins(false).tenantMigrations(project.layout().migrations(Scope.TENANT)).build()) {
            ashlar.create("organization", Map.of("id", "acme"));
        }

        assertThat(project.nodes()).isEmpty();
        assertThatThrownBy(() -> project.moveTenant("org_acme", "10.0.0.7:5432")).isInstanceOf(AshlarException.class)
                .hasMessageContaining("Cannot move tenant schema 'org_acme' to 10.0.0.7:5432: the database is not a "
                        + "Citus cluster (no citus extension)");
        assertThat(db.value("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'org_acme'"))
                .isEqualTo(1L);
    }
}
