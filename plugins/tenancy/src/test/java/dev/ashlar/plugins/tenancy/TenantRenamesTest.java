package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.Catalog;
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
import java.util.ArrayList;
import java.util.List;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
/**
 * Hinted renames of a table in each tenant's schema and of its column, beside a tenant-column table's new partial
 * identity: the rows stay, the down sections of both folders restore the catalog exactly, and a second generation
 * writes nothing.
 */
class TenantRenamesTest {
    private static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("tenant_", "id")).build();
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS tenant_acme CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
                + "CREATE SCHEMA tenant_acme");
    }

    private Migrator main() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(l -> { });
    }

    private Migrator tenant() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.TENANT)).forSchema("tenant_acme")
                .progress(l -> { });
    }

    private List<String> catalog() {
        List<String> lines = new ArrayList<>(Catalog.of(db, "public"));
        lines.addAll(Catalog.of(db, "tenant_acme"));
        lines.removeIf(l -> l.contains("ashlar_migration_locks") || l.contains("ashlar_schema_migrations"));
        return lines;
    }

    private int minute;

    private Codegen.Result generate(Domain domain, String name, String... hints) {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z").plusSeconds(60L * minute++), ZoneOffset.UTC);
        return new Codegen(project, domain, Plugins.none().with(new TenancyPlugin()), Renames.hints(List.of(hints)), clock)
                .generate(name);
    }

    /** Generates and applies both folders, rolls both back and applies them again, checking the catalog each way. */
    private void migrateBackAndForth(Domain domain, String name, String... hints) {
        List<String> before = catalog();
        Codegen.Result result = generate(domain, name, hints);
        long mainFiles = result.files().stream()
                .filter(f -> f.getParent().getFileName().toString().equals("migrations")).count();
        long tenantFiles = result.files().size() - mainFiles;
        main().migrate();
        tenant().migrate();
        List<String> after = catalog();
        if (tenantFiles > 0) {
            tenant().rollback((int) tenantFiles);
        }
        if (mainFiles > 0) {
            main().rollback((int) mainFiles);
        }
        assertThat(catalog()).as("down of " + name).isEqualTo(before);
        main().migrate();
        tenant().migrate();
        assertThat(catalog()).as("up again of " + name).isEqualTo(after);
        assertThat(generate(domain, name + "_again", hints).files()).as("second codegen of " + name).isEmpty();
    }

    @Test
    void aTenantTableAndItsColumnRenamedByHintsKeepTheirRowsAndTheDownRestoresEveryTenantSchema() {
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", TEXT)
                .attribute("org", TEXT).identity("unique_title", "title").with(Multitenancy.context()).build();
        Resource invoice = Resource.builder("invoice").table("invoices").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("number", TEXT)
                .identity("unique_number", "number", "org_id").with(Multitenancy.attribute("org_id")).build();
        migrateBackAndForth(Domain.builder("app").resources(TENANT, post, invoice).build(), "create");
        db.execute("INSERT INTO tenant_acme.posts (title) VALUES ('a')");
        Resource post2 = Resource.builder("post").table("articles").integerPrimaryKey("id").attribute("headline", TEXT)
                .attribute("n", INTEGER).identity("unique_title", "headline").with(Multitenancy.context()).build();
        Resource invoice2 = Resource.builder("invoice").table("invoices").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("number", TEXT).attribute("code", TEXT)
                .identity("unique_number", "number", "org_id")
                .identity("unique_code", List.of("code"), i -> i.where("code <> ''"))
                .with(Multitenancy.attribute("org_id")).build();
        migrateBackAndForth(Domain.builder("app").resources(TENANT, post2, invoice2).build(), "change", "posts=articles",
                "articles.title=headline");
        assertThat(db.query("SELECT id, headline FROM tenant_acme.articles")).extracting(r -> r.get("id") + "/"
                + r.get("headline")).containsExactly("1/a");
        assertThat(catalog()).contains("index articles_unique_title_index CREATE UNIQUE INDEX articles_unique_title_index "
                + "ON tenant_acme.articles USING btree (headline)", "index invoices_unique_code_index CREATE UNIQUE INDEX "
                + "invoices_unique_code_index ON public.invoices USING btree (org_id, code) WHERE (code <> ''::text)");

        migrateBackAndForth(Domain.builder("app").resources(TENANT, invoice2).build(), "drop");
        assertThat(catalog()).noneMatch(line -> line.contains("articles"));
    }
}
