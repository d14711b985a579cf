package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.tenant.TenantMigrator;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.query.Filter.descendantOf;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.CITEXT;
import static dev.ashlar.api.resource.Type.LTREE;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant resource's column of an extension's type (ltree, citext) is created in every tenant schema, though tenant
 * migrations run with the tenant's schema alone on the search path: the type is the one the main migrations' extension
 * made in {@code public}, both for a tenant created at run time and for tenant schemas migrated later.
 */
@ExtendWith(PostgresExtension.class)
class ExtensionTypesTenancyTest {
    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .with(ManageTenant.template("ext_tenant_", "id")).build();

    @TempDir
    Path project;

    private static ResourceBuilder category() {
        return Resource.builder("category").table("categories").primaryKey("id")
                .attribute("path", LTREE).attribute("name", CITEXT)
                .with(Multitenancy.context());
    }

    private static Domain domain(Resource category) {
        return Domain.builder("shop").extensions("ltree", "citext").resources(TENANT, category).build();
    }

    @Test
    void aTenantCreatedAtRunTimeGetsExtensionTypedColumnsAndItsRowsFilterThroughThem(TestDatabase db)
            throws IOException {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, domain(category().build()), "ext_tenant_")) {
            ashlar.create("tenant", Map.of("id", "acme"));
            ashlar.create("tenant", Map.of("id", "globex"));
            Ashlar acme = ashlar.withTenant("ext_tenant_acme");

            acme.createAll("category", List.of(Map.of("id", 1, "path", List.of("top", "science"), "name", "Science"),
                    Map.of("id", 2, "path", List.of("top", "art"), "name", "Art")));
            ashlar.withTenant("ext_tenant_globex").create("category", Map.of("id", 3, "path", List.of("top", "x"),
                    "name", "Science"));

            try (Stream<Path> files = Files.list(Codegen.migrations(project, Scope.TENANT))) {
                assertThat(Files.readString(files.findFirst().orElseThrow()))
                        .contains("\"path\" \"public\".ltree", "\"name\" \"public\".citext");
            }
            assertThat(columnTypes(db, "ext_tenant_acme")).containsExactly("name:public.citext", "path:public.ltree");
            assertThat(acme.read("category").where(descendantOf("path", List.of("top", "science"))).list())
                    .extracting(r -> r.get("id")).containsExactly(1L);
            assertThat(acme.read("category").where(eq("name", "SCIENCE")).list()).extracting(Row::toMap)
                    .extracting(m -> m.get("path")).containsExactly(List.of("top", "science"));
        }
    }

    @Test
    void aColumnOfAnExtensionsArrayTypeAddedLaterReachesEveryTenantSchema(TestDatabase db) {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, domain(category().build()), "ext_tenant_")) {
            ashlar.create("tenant", Map.of("id", "acme"));
            ashlar.create("tenant", Map.of("id", "globex"));
            new Codegen(project, domain(category().attribute("aliases", arrayOf(LTREE)).build()),
                    Plugins.none().with(new TenancyPlugin()), Renames.none(), Clock.systemUTC()).generate("aliases");

            TenantReport report = new TenantMigrator(db.dataSource(), Codegen.migrations(project, Scope.TENANT))
                    .migrate(List.of("ext_tenant_acme", "ext_tenant_globex").iterator(), 2);

            assertThat(report.succeeded()).as(report.toString()).isTrue();
            for (String schema : List.of("ext_tenant_acme", "ext_tenant_globex")) {
                assertThat(columnTypes(db, schema)).containsExactly("aliases:public._ltree", "name:public.citext",
                        "path:public.ltree");
            }
        }
    }

    private static List<Object> columnTypes(TestDatabase db, String schema) {
        return db.query("SELECT column_name || ':' || udt_schema || '.' || udt_name AS type FROM information_schema.columns "
                + "WHERE table_schema = ? AND table_name = 'categories' AND column_name <> 'id' ORDER BY 1", schema)
                .stream().map(r -> r.get("type")).toList();
    }
}
