package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The names the tenancy plugin makes from a table's (the unique (tenant, key) index made for keys that match a tenant,
 * the row-level security policy) fit in 63 bytes, or the resource is refused naming the table to shorten.
 */
class TenantKeyNameTest {
    @TempDir
    Path project;

    @Test
    void aTableTooLongForItsTenantKeyIndexIsRefusedNamingTheResourceAndTheLongestTableNameThatFits() throws IOException {
        // 55 bytes: its primary key's name (60 bytes) fits, "<table>_tenant_key" (66 bytes) does not.
        Resource task = Resource.builder("task").table("t".repeat(55)).integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).belongsTo("parent", "task")
                .with(Multitenancy.attribute("org_id")).build();
        Codegen codegen = new Codegen(project, Domain.builder("app").resource(task).build(),
                Plugins.none().with(new TenancyPlugin()), Renames.none(), Clock.systemUTC());

        assertThatThrownBy(() -> codegen.generate("create")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'task', 'table': the unique index of (tenant, primary key) that keys "
                        + "matching the tenant need would be named '" + "t".repeat(55) + "_tenant_key', which is 66 "
                        + "bytes long")
                .hasMessageContaining("set a table name of at most 52 bytes with .table(...)");
        assertThat(Files.exists(project.resolve("migrations"))
                && Files.list(project.resolve("migrations")).findAny().isPresent()).isFalse();
    }

    @Test
    void aTableTooLongForItsRowLevelSecurityPolicyIsRefusedNamingTheResourceAndTheLongestTableNameThatFits()
            throws IOException {
        // 50 bytes: its primary key's name (55 bytes) fits, "<table>_tenant_isolation" (67 bytes) does not.
        Resource note = Resource.builder("note").table("n".repeat(50)).integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull())
                .with(Multitenancy.attribute("org_id").rowLevelSecurity(true)).build();
        Codegen codegen = new Codegen(project, Domain.builder("app").resource(note).build(),
                Plugins.none().with(new TenancyPlugin()), Renames.none(), Clock.systemUTC());

        assertThatThrownBy(() -> codegen.generate("create")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'note', 'table': the row-level security policy would be named '"
                        + "n".repeat(50) + "_tenant_isolation', which is 67 bytes long")
                .hasMessageContaining("set a table name of at most 46 bytes with .table(...)");
        assertThat(Files.exists(project.resolve("migrations"))
                && Files.list(project.resolve("migrations")).findAny().isPresent()).isFalse();
    }
}
