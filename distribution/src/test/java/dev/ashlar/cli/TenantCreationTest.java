package dev.ashlar.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A tenant's schema is created on the connection of its record's transaction, and on no other. */
@ExtendWith(PostgresExtension.class)
class TenantCreationTest {
    @TempDir
    Path project;

    @Test
    void theFirstTenantIsCreatedWithAPoolOfOneConnection(TestDatabase db) {
        db.execute("DROP SCHEMA IF EXISTS org_acme CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Project workspace = Project.open(project).domain(DemoTenants.domain(false), Plugins.discover(getClass()
                .getClassLoader())).dataSource(db.dataSource()).progress(line -> { });
        workspace.generate("create_workspace", Renames.none());
        workspace.migrate();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(1000);

        try (HikariDataSource one = new HikariDataSource(config);
             Ashlar ashlar = Ashlar.builder().dataSource(one).domain(DemoTenants.domain(false))
                     .tenantMigrations(ProjectLayout.of(project).migrations(Scope.TENANT)).build()) {
            ashlar.create("organization", Map.of("id", "acme"));
            ashlar.withTenant("org_acme").create("note", Map.of("body", "first note"));
        }

        assertThat(db.value("SELECT body FROM org_acme.notes")).isEqualTo("first note");
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name = 'org_acme'")).isEqualTo(1L);
        db.execute("DROP SCHEMA org_acme CASCADE");
    }
}
