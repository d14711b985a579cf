package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Upsert;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Writes of tenant records, from the attacker's side: a made-up or stale record in the caller's hands never makes
 * the schema of another tenant move or go, and every write path keeps records and schemas together.
 */
@ExtendWith(PostgresExtension.class)
class TenantRecordWritesTest {
    static final Resource TENANT = Resource.builder("tenant").table("tenants").integerPrimaryKey("id")
            .attribute("slug", TEXT).attribute("plan", TEXT).identity("unique_slug", "slug")
            .with(ManageTenant.template("tenant_", "slug").update(true).dropSchemaOnDestroy(true))
            .build();
    static final Resource LEDGER = Resource.builder("ledger").table("ledgers").schema("tenant_books")
            .integerPrimaryKey("id").attribute("entry", TEXT).build();
    static final Domain DOMAIN = Domain.builder("app").resources(TENANT, TenancyPluginTest.USER,
            TenancyPluginTest.POST, LEDGER).build();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;
    Row acme;

    @BeforeEach
    void twoTenantsWithAPostEach(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS tenant_books CASCADE");
        ashlar = TenancyDataTest.migrated(db, project, DOMAIN, "tenant_");
        acme = ashlar.create("tenant", Map.of("slug", "acme"));
        ashlar.create("tenant", Map.of("slug", "globex"));
        ashlar.withTenant("tenant_acme").create("post", Map.of("title", "Acme's"));
        ashlar.withTenant("tenant_globex").create("post", Map.of("title", "Globex's"));
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    @Test
    void aMadeUpRecordDestroysOnlyItsOwnTenantsSchema() {
        ashlar.destroy(Row.of("tenant", Map.of("id", acme.get("id"), "slug", "globex")));

        assertThat(schemas()).containsExactly("tenant_books", "tenant_globex");
        assertThat(db.value("SELECT title FROM tenant_globex.posts")).isEqualTo("Globex's");
    }

    @Test
    void aMadeUpRecordRenamesOnlyItsOwnTenantsSchema() {
        ashlar.update(Row.of("tenant", Map.of("id", acme.get("id"), "slug", "globex")), Map.of("slug", "initech"));

        assertThat(schemas()).containsExactly("tenant_books", "tenant_globex", "tenant_initech");
        assertThat(db.value("SELECT title FROM tenant_initech.posts")).isEqualTo("Acme's");
        assertThat(db.value("SELECT title FROM tenant_globex.posts")).isEqualTo("Globex's");
    }

    @Test
    void aStaleRecordIsRenamedFromItsStoredName() {
        ashlar.update(acme, Map.of("slug", "acme2"));

        Row renamed = ashlar.update(acme, Map.of("slug", "acme3"));

        assertThat(renamed.getString("slug")).isEqualTo("acme3");
        assertThat(schemas()).containsExactly("tenant_acme3", "tenant_books", "tenant_globex");
        assertThat(db.value("SELECT title FROM tenant_acme3.posts")).isEqualTo("Acme's");
    }

    @Test
    void aRecordHoldingOnlySomeFieldsRenamesItsSchema() {
        Row keyOnly = Row.of("tenant", Map.of("id", acme.get("id")));

        ashlar.update(keyOnly, Map.of("slug", "acme2", "plan", "pro"));

        assertThat(schemas()).containsExactly("tenant_acme2", "tenant_books", "tenant_globex");
    }

    @Test
    void updatingAndDestroyingManyTenantsMovesAndDropsEachSchema() {
        List<Row> updated = ashlar.updateAll(Query.of("tenant").withFilter(eq("slug", "acme")), Map.of("slug", "acme2"));
        assertThat(updated).extracting(r -> r.getString("slug")).containsExactly("acme2");
        assertThat(schemas()).containsExactly("tenant_acme2", "tenant_books", "tenant_globex");
        assertThat(db.value("SELECT title FROM tenant_acme2.posts")).isEqualTo("Acme's");

        assertThat(ashlar.destroyAll(Query.of("tenant"))).isEqualTo(2);
        assertThat(schemas()).containsExactly("tenant_books");
        assertThat(db.value("SELECT count(*) FROM tenants")).isEqualTo(0L);
    }

    @Test
    void tenantRecordsAreNotUpsertedAndNothingIsWritten() {
        assertThatThrownBy(() -> ashlar.upsert("tenant", List.of(Map.of("slug", "acme", "plan", "pro"),
                Map.of("slug", "initech", "plan", "free")), Upsert.on("unique_slug")))
                .hasMessageContaining("Tenant records of tenant cannot be upserted")
                .hasMessageContaining("ashlar.create");

        assertThat(db.value("SELECT count(*) FROM tenants WHERE plan IS NOT NULL")).isEqualTo(0L);
        assertThat(schemas()).containsExactly("tenant_acme", "tenant_books", "tenant_globex");
    }

    @Test
    void aTenantWithoutTheFieldThatNamesItsSchemaIsRefused() {
        assertThatThrownBy(() -> ashlar.create("tenant", Map.of("plan", "free")))
                .hasMessageContaining("slug is nil, and it names the tenant's schema");
        assertThatThrownBy(() -> ashlar.create("tenant", Map.of("slug", "", "plan", "free")))
                .hasMessageContaining("slug is blank, and it names the tenant's schema");

        assertThat(db.value("SELECT count(*) FROM tenants")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname IN ('tenant_null', 'tenant_')"))
                .isEqualTo(0L);
    }

    @Test
    void aTenantValueThatMakesNoSchemaNameIsAFieldErrorOnItsAttributeInCreatesAndRenames() {
        String tooLong = "a".repeat(56); // "tenant_" and 56 bytes is 63, which fits; one more byte does not
        List<Map<String, Object>> refused = List.of(Map.of("slug", tooLong + "x"), Map.of("slug", "caf\u00e9"),
                Map.of("slug", "x\"; DROP SCHEMA public; --"));

        for (Map<String, Object> values : refused) {
            assertThatThrownBy(() -> ashlar.create("tenant", values)).isInstanceOfSatisfying(
                    InvalidDataException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                            .containsExactly("slug")).hasMessageContaining("slug names the tenant schema 'tenant_");
            assertThatThrownBy(() -> ashlar.update(acme, values)).isInstanceOf(InvalidDataException.class);
        }
        assertThatThrownBy(() -> ashlar.create("tenant", Map.of("slug", tooLong + "x")))
                .hasMessageContaining("which is 64 bytes long; PostgreSQL keeps only 63");
        assertThat(ashlar.create("tenant", Map.of("slug", tooLong)).get("slug")).isEqualTo(tooLong);
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = ?", "tenant_" + tooLong)).isEqualTo(1L);
        assertThat(db.value("SELECT string_agg(slug, ',' ORDER BY id) FROM tenants"))
                .isEqualTo("acme,globex," + tooLong);
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_acme'")).isEqualTo(1L);
    }

    @Test
    void aTenantNamedLikeASchemaOfTheDomainsOwnTablesIsRefused() {
        ashlar.create("ledger", Map.of("entry", "kept"));

        assertThatThrownBy(() -> ashlar.withTenant("tenant_books").read("post").list())
                .hasMessageContaining("would be schema tenant_books, which holds the domain's own tables (resource "
                        + "'ledger')");
        assertThatThrownBy(() -> ashlar.withTenant("tenant_books").create("post", Map.of("title", "x")))
                .hasMessageContaining("holds the domain's own tables");
        assertThat(db.value("SELECT to_regclass('tenant_books.posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aTenantIsNeverRenamedOntoASchemaOfItsNewName() {
        db.execute("CREATE SCHEMA tenant_initech; CREATE TABLE tenant_initech.posts (title text)");

        assertThatThrownBy(() -> ashlar.update(acme, Map.of("slug", "initech")))
                .hasMessageContaining("Cannot rename tenant schema tenant_acme to tenant_initech: a schema of that "
                        + "name already exists");

        assertThat(db.value("SELECT string_agg(slug, ',' ORDER BY slug) FROM tenants")).isEqualTo("acme,globex");
        assertThat(db.value("SELECT title FROM tenant_acme.posts")).isEqualTo("Acme's");
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name = 'tenant_initech'"))
                .isEqualTo(0L);
    }

    @Test
    void aTenantWhoseSchemaWasDroppedByHandIsStillDestroyed() {
        db.execute("DROP SCHEMA tenant_acme CASCADE");

        ashlar.destroy(acme);

        assertThat(db.value("SELECT string_agg(slug, ',') FROM tenants")).isEqualTo("globex");
        assertThat(schemas()).containsExactly("tenant_books", "tenant_globex");
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name = 'tenant_acme'"))
                .isEqualTo(0L);
    }

    @Test
    void aNewTenantNeverTakesOverASchemaOfItsNameLeftBehind() {
        db.execute("CREATE SCHEMA tenant_initech; CREATE TABLE tenant_initech.posts (title text); "
                + "INSERT INTO tenant_initech.posts VALUES ('left behind')");

        assertThatThrownBy(() -> ashlar.create("tenant", Map.of("slug", "initech")))
                .hasMessageContaining("Cannot create tenant schema tenant_initech: a schema of that name already "
                        + "exists").hasMessageContaining("Drop or rename that schema, or give the tenant another name");

        assertThat(db.value("SELECT count(*) FROM tenants WHERE slug = 'initech'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name = 'tenant_initech'"))
                .isEqualTo(0L);
        assertThat(db.value("SELECT string_agg(title, ',') FROM tenant_initech.posts")).isEqualTo("left behind");
    }

    @Test
    void twoTenantsOfOneSchemaNameCreatedAtOnceKeepTheFirstAndRefuseTheOtherNamingTheSchema() throws Exception {
        // No identity on the name: the second creation gets as far as the schema, which the first holds.
        Resource workspace = Resource.builder("workspace").table("workspaces").integerPrimaryKey("id")
                .attribute("slug", TEXT).attribute("plan", TEXT)
                .with(ManageTenant.template("tenant_", "slug")).build();
        java.util.concurrent.CountDownLatch created = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (Ashlar workspaces = TenancyDataTest.migrated(db, project.resolve("workspaces"),
                Domain.builder("workspaces").resources(workspace, TenancyPluginTest.USER,
                TenancyPluginTest.POST).build(), "tenant_")) {
            java.util.concurrent.CompletableFuture<Row> first = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> workspaces.transaction(tx -> {
                        Row row = tx.create("workspace", Map.of("slug", "initech", "plan", "first"));
                        created.countDown();
                        await(release);
                        return row;
                    }));
            await(created);
            java.util.concurrent.CompletableFuture<Row> second = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> workspaces.create("workspace", Map.of("slug", "initech", "plan", "second")));
            Thread.sleep(300);
            release.countDown();

            assertThat(first.get(30, java.util.concurrent.TimeUnit.SECONDS).getString("plan")).isEqualTo("first");
            assertThatThrownBy(() -> second.get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .hasMessageContaining("Cannot create tenant schema tenant_initech: a schema of that name "
                            + "already exists");
        }
        assertThat(db.value("SELECT string_agg(plan, ',') FROM workspaces")).isEqualTo("first");
        assertThat(schemas()).containsExactly("tenant_initech");
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> schemas() {
        String listed = (String) db.value("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace "
                + "WHERE nspname LIKE 'tenant\\_%'");
        return listed == null ? List.of() : List.of(listed.split(","));
    }
}
