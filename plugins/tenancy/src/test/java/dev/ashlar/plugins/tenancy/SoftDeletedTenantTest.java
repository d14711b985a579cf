package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant record that destroys softly ({@code softDelete(...)}) is kept, marked deleted, so its schema and data are
 * kept too: the tenancy plugin sees the soft delete as the update it is, and drops the schema only when the record is
 * deleted for real.
 */
@ExtendWith(PostgresExtension.class)
class SoftDeletedTenantTest {
    static final Resource TENANT = Resource.builder("tenant").table("tenants").integerPrimaryKey("id")
            .attribute("slug", TEXT).attribute("deleted_at", TIMESTAMPTZ).identity("unique_slug", "slug")
            .with(ManageTenant.template("tenant_", "slug").update(true).dropSchemaOnDestroy(true))
            .softDelete("deleted_at").build();
    static final Domain DOMAIN = Domain.builder("app").resources(TENANT, TenancyPluginTest.USER,
            TenancyPluginTest.POST).build();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;
    Row acme;

    @BeforeEach
    void threeTenantsWithAPostEach(TestDatabase db) {
        this.db = db;
        ashlar = TenancyDataTest.migrated(db, project, DOMAIN, "tenant_");
        acme = ashlar.create("tenant", Map.of("slug", "acme"));
        for (String slug : List.of("acme", "globex", "initech")) {
            if (!slug.equals("acme")) {
                ashlar.create("tenant", Map.of("slug", slug));
            }
            ashlar.withTenant("tenant_" + slug).create("post", Map.of("title", slug + "'s"));
        }
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    @Test
    void aSoftDeletedTenantRecordKeepsItsSchemaAndData() {
        ashlar.destroy(acme);
        int byRead = ashlar.read("tenant").where(eq("slug", "globex")).destroyAll();
        List<Row> returned = ashlar.read("tenant").ignoreBaseFilter().destroyAll(
                dev.ashlar.kernel.data.Returning.ROWS);

        assertThat(byRead).isEqualTo(1);
        assertThat(returned).extracting(r -> r.get("slug")).containsExactly("initech");
        assertThat(db.value("SELECT count(*) FROM tenants WHERE deleted_at IS NOT NULL")).isEqualTo(3L);
        assertThat(schemas()).containsExactly("tenant_acme", "tenant_globex", "tenant_initech");
        assertThat(db.value("SELECT title FROM tenant_acme.posts")).isEqualTo("acme's");
        assertThat(db.value("SELECT title FROM tenant_globex.posts")).isEqualTo("globex's");
    }

    @Test
    void onlyAPermanentDestroyDropsTheTenantsSchemaAndOnlyThatOne() {
        ashlar.destroy(acme);

        ashlar.permanently().destroy(acme);

        assertThat(db.value("SELECT count(*) FROM tenants")).isEqualTo(2L);
        assertThat(schemas()).containsExactly("tenant_globex", "tenant_initech");
        assertThat(db.value("SELECT title FROM tenant_globex.posts")).isEqualTo("globex's");
    }

    private List<Object> schemas() {
        return db.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' ORDER BY 1").stream()
                .map(r -> r.get("nspname")).toList();
    }
}
