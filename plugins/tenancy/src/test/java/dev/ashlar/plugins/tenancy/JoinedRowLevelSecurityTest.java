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
 * A resource extending another ({@code extending(parent)}) under row-level security is refused before any migration
 * is written: its table holds no tenant column for a policy, so a tenant's own connection would read every tenant's
 * child rows.
 */
class JoinedRowLevelSecurityTest {
    @TempDir
    Path project;

    static Resource animal(Multitenancy tenancy) {
        return Resource.builder("animal").table("rls_animals").integerPrimaryKey("id")
                .attribute("org", TEXT, a -> a.notNull()).attribute("name", TEXT).with(tenancy).build();
    }

    static Resource dog(Multitenancy tenancy) {
        return Resource.builder("dog").table("rls_dogs").extending("animal").attribute("breed", TEXT).with(tenancy)
                .build();
    }

    @Test
    void aChildUnderRowLevelSecurityIsRefusedNamingTheResourceAndTheFix() throws IOException {
        Multitenancy secured = Multitenancy.attribute("org").rowLevelSecurity(true);

        assertRefused(Domain.builder("zoo").resources(animal(secured), dog(secured)).build());
    }

    @Test
    void aChildWithoutRowLevelSecurityUnderAParentWithItIsRefusedToo() throws IOException {
        assertRefused(Domain.builder("zoo").resources(animal(Multitenancy.attribute("org").rowLevelSecurity(true)),
                dog(Multitenancy.attribute("org"))).build());
    }

    @Test
    void aChildUnderATenantColumnWithoutRowLevelSecurityIsGenerated() throws IOException {
        Multitenancy column = Multitenancy.attribute("org");
        codegen(Domain.builder("zoo").resources(animal(column), dog(column)).build()).generate("create");

        assertThat(Files.list(project.resolve("migrations")).findAny()).isPresent();
    }

    private void assertRefused(Domain domain) throws IOException {
        assertThatThrownBy(() -> codegen(domain).generate("create")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'dog' extends 'animal' under rowLevelSecurity(true), but its table "
                        + "rls_dogs holds no tenant column")
                .hasMessageContaining("remove rowLevelSecurity(true) from both");
        assertThat(Files.exists(project.resolve("migrations"))
                && Files.list(project.resolve("migrations")).findAny().isPresent()).isFalse();
    }

    private Codegen codegen(Domain domain) {
        return new Codegen(project, domain, Plugins.none().with(new TenancyPlugin()), Renames.none(),
                Clock.systemUTC());
    }
}
