package dev.ashlar.integration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.plugins.tenancy.ManageTenant;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.CitusTest;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant schema's life on a real Citus cluster: created distributed, its tables colocated on one worker, also when
 * the database turns schema-based sharding off; renamed as a distributed schema; and dropped from every node, shards
 * and all.
 */
@CitusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CitusTenantLifecycleTest {
    private static final Domain DOMAIN = Domain.builder("workspace").resources(
            Resource.builder("organization").table("organizations").attribute("id", TEXT, a -> a.primaryKey())
                    .with(ManageTenant.template("org_", "id").dropSchemaOnDestroy(true)).build(),
            Resource.builder("note").table("notes").integerPrimaryKey("id").attribute("body", TEXT)
                    .with(Multitenancy.context()).build(),
            Resource.builder("comment").table("comments").integerPrimaryKey("id").attribute("body", TEXT)
                    .belongsTo("note", "note").with(Multitenancy.context()).build()).build();

    private TestDatabase db;
    private Path tenantMigrations;

    @BeforeAll
    void migrated(TestDatabase database) throws IOException {
        db = database;
        Project project = Project.open(Files.createTempDirectory("ashlar-citus"))
                .domain(DOMAIN, Plugins.none().with(new TenancyPlugin())).dataSource(db.dataSource())
                .progress(line -> { });
        project.generate("create_workspace", Renames.none());
        project.migrate();
        tenantMigrations = project.layout().migrations(Scope.TENANT);
    }

    @AfterAll
    void serverDefault() {
        db.execute("ALTER DATABASE " + db.name() + " RESET citus.enable_schema_based_sharding");
    }

    private Ashlar ashlar(HikariDataSource dataSource) {
        return Ashlar.builder().dataSource(dataSource).domain(DOMAIN).install(new TenancyPlugin())
                .discoverPlugins(false).tenantMigrations(tenantMigrations).build();
    }

    @Test
    void aTenantIsCreatedDistributedWithSchemaBasedShardingOffRenamedAndDroppedFromEveryNode() {
        db.execute("ALTER DATABASE " + db.name() + " SET citus.enable_schema_based_sharding = off");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        try (HikariDataSource fresh = new HikariDataSource(config); Ashlar ashlar = ashlar(fresh)) {
            Row acme = ashlar.create("organization", Map.of("id", "acme"));
            assertThat(db.value("SELECT count(*) FROM citus_schemas WHERE schema_name::text = 'org_acme'"))
                    .as("distributed though the database says off").isEqualTo(1L);
            assertThat(db.value("SELECT count(DISTINCT colocation_id) || ' ' || count(DISTINCT nodeport) "
                    + "FROM citus_shards WHERE table_name::text LIKE 'org_acme.%'")).as("colocated on one worker")
                    .isEqualTo("1 1");
            assertThat(db.value("SELECT count(*) FROM citus_shards WHERE table_name::text LIKE 'org_acme.%'"))
                    .as("notes, comments and the migration history").isEqualTo(3L);
            long note = ashlar.withTenant("org_acme").create("note", Map.of("body", "kept")).getLong("id");
            ashlar.withTenant("org_acme").create("comment", Map.of("body", "on it", "note_id", note));

            Row renamed = ashlar.update(acme, Map.of("id", "acme2"));

            assertThat(db.query("SELECT schema_name::text AS s FROM citus_schemas")).extracting(r -> r.get("s"))
                    .containsExactly("org_acme2");
            assertThat(ashlar.withTenant("org_acme2").read("comment").load("note").list()).singleElement()
                    .satisfies(c -> assertThat(c.relatedOne("note").orElseThrow().getString("body")).isEqualTo("kept"));

            ashlar.destroy(renamed);

            assertThat(db.value("SELECT count(*) FROM citus_schemas")).isEqualTo(0L);
            assertThat(db.value("SELECT count(*) FROM citus_shards WHERE table_name::text LIKE 'org_acme%'"))
                    .isEqualTo(0L);
            assertThat(db.value("SELECT sum(result::int) FROM run_command_on_workers("
                    + "$$SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'org_acme%'$$)"))
                    .as("no worker keeps the schema").isEqualTo(0L);
        }
    }
}
