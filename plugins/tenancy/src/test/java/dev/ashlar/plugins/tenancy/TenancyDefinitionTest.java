package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tenancy options that cannot hold are refused when the domain is built, each naming the resource and the fix. */
@ExtendWith(PostgresExtension.class)
class TenancyDefinitionTest {
    private static void build(TestDatabase db, Resource resource) {
        Resource tenant = Resource.builder("tenant").table("tenants").attribute("id", TEXT, a -> a.primaryKey())
                .with(ManageTenant.template("t_", "id")).build();
        Ashlar.builder().dataSource(db.dataSource()).domain(Domain.builder("d").resources(tenant, resource).build())
                .install(new TenancyPlugin()).build().close();
    }

    @Test
    void aTenantAttributeWithoutANameIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> Multitenancy.attribute(null)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("Multitenancy.attribute needs the name of the tenant attribute");
        assertThatThrownBy(() -> Multitenancy.attribute(" ")).isInstanceOf(DefinitionException.class);
    }

    @Test
    void aTenantTemplateWithoutPartsOrWithANullPartIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> ManageTenant.template(new String[0])).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("ManageTenant.template needs its parts");
        assertThatThrownBy(() -> ManageTenant.template("tenant_", null)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("none of them null");
    }

    @Test
    void aSchemaPerTenantResourceRefusesTheOptionsOfATenantColumn(TestDatabase db) {
        Resource note = Resource.builder("note").table("notes").integerPrimaryKey("id")
                .with(Multitenancy.context().global(true).rowLevelSecurity(true).parseAttribute(t -> t)).build();

        assertThatThrownBy(() -> build(db, note)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("remove global(true)")
                .hasMessageContaining("remove rowLevelSecurity(true)")
                .hasMessageContaining("parseAttribute reads a tenant column's value")
                .hasMessageContaining("'note'");
    }

    @Test
    void aTenantAttributeReadOrWrittenThroughAnExpressionIsRefusedNamingIt(TestDatabase db) {
        // Written lower-cased, tenant "Acme"'s rows would be stored as tenant "acme"'s, which that tenant would read.
        Resource written = Resource.builder("note").table("notes").integerPrimaryKey("id")
                .attribute("org", TEXT, a -> a.notNull().writeAs("lower(?)"))
                .with(Multitenancy.attribute("org")).build();
        Resource read = Resource.builder("note").table("notes").integerPrimaryKey("id")
                .attribute("org", TEXT, a -> a.notNull().readAs("coalesce({org}, 'public')"))
                .with(Multitenancy.attribute("org")).build();

        assertThatThrownBy(() -> build(db, written)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("org").hasMessageContaining("is the tenant attribute")
                .hasMessageContaining("cannot have readAs(...) or writeAs(...)");
        assertThatThrownBy(() -> build(db, read)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("cannot have readAs(...) or writeAs(...)");
    }

    @Test
    void aTenantTemplateWhoseTextNoTenantNameCanHoldIsRefused(TestDatabase db) {
        Resource spaced = Resource.builder("org").table("orgs").attribute("id", TEXT, a -> a.primaryKey())
                .with(ManageTenant.template("org ", "id")).build();
        Resource system = Resource.builder("org").table("orgs").attribute("id", TEXT, a -> a.primaryKey())
                .with(ManageTenant.template("pg_", "id")).build();
        Resource hyphenated = Resource.builder("org").table("orgs").attribute("id", TEXT, a -> a.primaryKey())
                .with(ManageTenant.template("org-", "id", "_pg_public")).build();

        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).domain(Domain.builder("d")
                .resources(spaced).build()).install(new TenancyPlugin()).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("the template's text 'org ' may hold only letters, digits, underscores and hyphens");
        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).domain(Domain.builder("d")
                .resources(system).build()).install(new TenancyPlugin()).build())
                .hasMessageContaining("the template's text 'pg_' names a system schema");
        Ashlar.builder().dataSource(db.dataSource()).domain(Domain.builder("d").resources(hyphenated).build())
                .install(new TenancyPlugin()).build().close();
    }
}
