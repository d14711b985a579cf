package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.data.Load;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.migrate.MigrationEvent;
import dev.ashlar.kernel.migrate.MigrationListener;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import dev.ashlar.kernel.tenant.TenantList;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.spi.schema.Scope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's multitenancy cases about the tenant resource itself: its org is scoped by its own key as a tenant
 * column ({@code global}, the tenant parsed to the key) while naming a schema per org; posts live in those schemas,
 * global posts in the main schema.
 */
class TenantResourceParityTest extends MigratedDomainTest {
    static final Resource ORG = Resource.builder("org").table("multitenant_orgs").uuidPrimaryKey("id")
            .attribute("name", TEXT)
            .hasMany("posts", "post")
            .hasMany("users", "user")
            .with(ManageTenant.template("org_", "id"))
            .with(Multitenancy.attribute("id").global(true)
                    .parseAttribute(tenant -> tenant.substring("org_".length())))
            .build();
    static final Resource USER = Resource.builder("user").table("users").uuidPrimaryKey("id")
            .attribute("name", TEXT)
            .belongsTo("org", "org")
            .with(Multitenancy.attribute("org_id").global(true)
                    .parseAttribute(tenant -> tenant.substring("org_".length())))
            .build();
    static final Resource POST = Resource.builder("post").table("multitenant_posts").uuidPrimaryKey("id")
            .attribute("name", TEXT)
            .belongsTo("org", "org")
            .with(Multitenancy.context())
            .build();
    static final Resource USER_POST = Resource.builder("user_post").table("user_posts").uuidPrimaryKey("id")
            .attribute("name", TEXT)
            .belongsTo("user", "user")
            .with(Multitenancy.context())
            .build();
    static final Resource GLOBAL_POST = Resource.builder("global_post").table("posts").uuidPrimaryKey("id")
            .attribute("title", TEXT)
            .build();
    static final Resource COMPOSITE_KEY_POST = Resource.builder("composite_key_post").table("composite_key")
            .integerPrimaryKey("id")
            .attribute("title", TEXT, a -> a.primaryKey().notNull())
            .belongsTo("org", "org")
            .with(Multitenancy.context())
            .build();
    static final Domain DOMAIN = Domain.builder("tenant_resource_parity")
            .resources(ORG, USER, POST, USER_POST, GLOBAL_POST, COMPOSITE_KEY_POST).build();

    Row org1;
    Row org2;

    TenantResourceParityTest() {
        super(DOMAIN, "org_");
    }

    @BeforeEach
    void twoOrgs() {
        org1 = ashlar.create("org", Map.of("name", "test1"));
        org2 = ashlar.create("org", Map.of("name", "test2"));
    }

    private static String tenant(Row org) {
        return "org_" + org.get("id");
    }

    private List<String> orgSchemas() {
        return db.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'org\\_%' ORDER BY 1").stream()
                .map(row -> (String) row.get("nspname")).toList();
    }

    @Test
    void theTenantListNamesEachOrgsSchema() {
        TenantList list = new TenantList(new TenancyPlugin().tenantSchemasQuery(DOMAIN).orElseThrow());

        assertThat(list.list(db.dataSource())).containsExactlyInAnyOrder(tenant(org1), tenant(org2));
        assertThat(orgSchemas()).containsExactlyInAnyOrder(tenant(org1), tenant(org2));
    }

    @Test
    void theTenantResourceScopedByItsOwnKeyReadsOnlyTheTenantsOrgAndGloballyAll() {
        assertThat(ashlar.withTenant(tenant(org1)).read("org").list()).extracting(o -> o.get("id"))
                .containsExactly(org1.get("id"));
        assertThat(ashlar.read("org").list()).hasSize(2);
    }

    @Test
    void anOrgCreatedWithATenantTakesItsKeyFromTheTenantAndGetsThatSchema() {
        UUID id = UUID.randomUUID();

        Row org = ashlar.withTenant("org_" + id).create("org", Map.of("name", "test3"));

        assertThat(org.get("id")).isEqualTo(id);
        assertThat(orgSchemas()).contains("org_" + id);
    }

    @Test
    void anOrgReadForItsTenantLoadsItsSchemasPostsWithALimit() {
        Ashlar one = ashlar.withTenant(tenant(org1));
        for (String name : List.of("a", "b", "c")) {
            one.create("post", Map.of("name", name, "org_id", org1.get("id")));
        }

        List<Row> orgs = one.read("org").load("posts", p -> p.limit(2)).list();

        assertThat(orgs).hasSize(1);
        assertThat(orgs.get(0).related("posts")).hasSize(2);
    }

    @Test
    void anOrgScopedByItsOwnKeyKeepsItsKeyAsAnyTenantColumnDoes() {
        assertThatThrownBy(() -> ashlar.update(org1, Map.of("id", UUID.randomUUID())))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("id is the tenant of the row");
        assertThat(orgSchemas()).containsExactlyInAnyOrder(tenant(org1), tenant(org2));
    }

    @Test
    void updatingTheKeyATemplateNamesRenamesTheSchemaByDefault(@TempDir Path otherProject) {
        Resource org = Resource.builder("org").table("plain_orgs").uuidPrimaryKey("id").attribute("name", TEXT)
                .with(ManageTenant.template("org_", "id")).build();
        Domain plain = Domain.builder("plain_orgs").resources(org, POST).build();
        try (Ashlar renaming = TenancyDataTest.migrated(db, otherProject, plain, "org_")) {
            Row before = renaming.create("org", Map.of("name", "test1"));
            renaming.withTenant(tenant(before)).create("post", Map.of("name", "kept"));
            UUID renamed = UUID.randomUUID();

            renaming.update(before, Map.of("id", renamed));

            assertThat(orgSchemas()).containsExactly("org_" + renamed);
            assertThat(db.value("SELECT name FROM \"org_" + renamed + "\".multitenant_posts")).isEqualTo("kept");
            assertThat(renaming.withTenant("org_" + renamed).read("post").list()).hasSize(1);
        }
    }

    @Test
    void anOrgKeyedByAnIntegerNamesItsSchemaByTheNumberAndTheListHasIt(@TempDir Path otherProject) {
        Resource org = Resource.builder("org").table("numbered_orgs").integerPrimaryKey("id")
                .attribute("name", TEXT).with(ManageTenant.template("org_", "id")).build();
        Domain numbered = Domain.builder("numbered_orgs").resources(org, POST).build();
        try (Ashlar orgs = TenancyDataTest.migrated(db, otherProject, numbered, "org_")) {
            Row created = orgs.create("org", Map.of("name", "test1"));
            String schema = "org_" + created.get("id");

            orgs.withTenant(schema).create("post", Map.of("name", "numbered"));

            assertThat(orgSchemas()).containsExactly(schema);
            assertThat(new TenantList(new TenancyPlugin().tenantSchemasQuery(numbered).orElseThrow())
                    .list(db.dataSource())).containsExactly(schema);
            assertThat(db.value("SELECT name FROM " + schema + ".multitenant_posts")).isEqualTo("numbered");
        }
    }

    @Test
    void aContextResourceWithACompositeKeyIsWrittenAndReadInItsTenantsSchema() {
        Ashlar one = ashlar.withTenant(tenant(org1));

        Row post = one.create("composite_key_post", Map.of("title", "foo", "org_id", org1.get("id")));

        assertThat(one.read("composite_key_post").load("org").list()).singleElement().satisfies(p -> {
            assertThat(p.get("id")).isEqualTo(post.get("id"));
            assertThat(p.relatedOne("org").orElseThrow().get("id")).isEqualTo(org1.get("id"));
        });
        assertThat(ashlar.withTenant(tenant(org2)).read("composite_key_post").list()).isEmpty();
        assertThat(db.value("SELECT title FROM \"" + tenant(org1) + "\".composite_key")).isEqualTo("foo");
    }

    @Test
    void migratingTenantsAppliesANewTenantFileToEveryOrgTheTenantListNamesOnce() throws IOException {
        Path tenantFiles = Codegen.migrations(project, Scope.TENANT);
        Files.writeString(tenantFiles.resolve("29990101000000_add_tags.sql"), "-- migrate:up\nALTER TABLE "
                + "multitenant_posts ADD COLUMN tags text;\n-- migrate:down\nALTER TABLE multitenant_posts DROP COLUMN "
                + "tags;\n");
        Project tenants = Project.open(project).domain(DOMAIN, Plugins.none().with(new TenancyPlugin()))
                .dataSource(db.dataSource());

        TenantReport first = tenants.migrateTenants(TenantSelection.all());
        TenantReport again = tenants.migrateTenants(TenantSelection.all());

        assertThat(first.migrated()).isEqualTo(2);
        assertThat(first.failed()).isZero();
        assertThat(again.migrated()).isZero();
        assertThat(again.upToDate()).isEqualTo(2);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE column_name = 'tags' "
                + "AND table_name = 'multitenant_posts' AND table_schema IN (?, ?)", tenant(org1), tenant(org2)))
                .isEqualTo(2L);
    }

    @Test
    void anOrgCreatedWhileTheTenantRunGoesByAnApplicationHoldingTheOlderFilesGetsTheNewFileInThatRun()
            throws IOException {
        Path tenantFiles = Codegen.migrations(project, Scope.TENANT);
        Path olderFiles = Files.createDirectories(project.resolve("older_tenant_migrations"));
        try (var files = Files.list(tenantFiles)) {
            for (Path file : files.toList()) {
                Files.copy(file, olderFiles.resolve(file.getFileName()));
            }
        }
        Files.writeString(tenantFiles.resolve("29990101000000_add_tags.sql"), "-- migrate:up\nALTER TABLE "
                + "multitenant_posts ADD COLUMN tags text;\n-- migrate:down\nALTER TABLE multitenant_posts DROP COLUMN "
                + "tags;\n");
        List<Row> late = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        try (Ashlar older = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).install(new TenancyPlugin())
                .tenantMigrations(olderFiles).build()) {
            MigrationListener createsAnOrg = new MigrationListener() {
                @Override
                public void afterEach(MigrationEvent event, long millis) {
                    if (once.compareAndSet(false, true)) { // files run on several threads
                        late.add(older.create("org", Map.of("name", "late")));
                    }
                }
            };
            Project tenants = Project.open(project).domain(DOMAIN, Plugins.none().with(new TenancyPlugin()))
                    .dataSource(db.dataSource()).listener(createsAnOrg);

            TenantReport report = tenants.migrateTenants(TenantSelection.all());

            assertThat(report.failures()).isEmpty();
            assertThat(report.migrated()).as("the two orgs listed at the start, then the late one").isEqualTo(3);
        }
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE column_name = 'tags' "
                + "AND table_name = 'multitenant_posts' AND table_schema IN (?, ?, ?)", tenant(org1), tenant(org2),
                tenant(late.get(0)))).isEqualTo(3L);
    }

    @Test
    void aTenantsHandleReadsAndWritesAResourceWithoutTenancyInTheMainSchema() {
        Ashlar one = ashlar.withTenant(tenant(org1));
        ashlar.create("global_post", Map.of("title", "fred"));

        one.create("global_post", Map.of("title", "barney"));

        assertThat(one.read("global_post").list()).extracting(p -> p.getString("title"))
                .containsExactlyInAnyOrder("fred", "barney");
        assertThat(db.value("SELECT count(*) FROM public.posts")).isEqualTo(2L);
        assertThat(ashlar.read("global_post").tenant(tenant(org2)).list()).hasSize(2);
    }

    @Test
    void bulkCreatesAndUpsertsWithATenantWriteIntoItsSchemaOnly() {
        Ashlar one = ashlar.withTenant(tenant(org1));
        UUID key = UUID.randomUUID();

        one.createAll("post", List.of(Map.of("name", "a"), Map.of("name", "b")));
        one.upsert("post", List.of(Map.of("id", key, "name", "first")), Upsert.onPrimaryKey());
        one.upsert("post", List.of(Map.of("id", key, "name", "second")), Upsert.onPrimaryKey());

        assertThat(db.value("SELECT count(*) FROM \"" + tenant(org1) + "\".multitenant_posts")).isEqualTo(3L);
        assertThat(db.value("SELECT name FROM \"" + tenant(org1) + "\".multitenant_posts WHERE id = '" + key + "'"))
                .isEqualTo("second");
        assertThat(db.value("SELECT count(*) FROM \"" + tenant(org2) + "\".multitenant_posts")).isEqualTo(0L);
    }

    @Test
    void aUserWrittenWithoutATenantLoadsItsOrgAndTheOrgLoadsItsUsersSortedWithALimitWhileAnotherOrgLoadsNone() {
        Row b = ashlar.create("user", Map.of("name", "b", "org_id", org1.get("id")));
        Row a = ashlar.create("user", Map.of("name", "a", "org_id", org1.get("id")));

        assertThat(ashlar.load(List.of(a), List.of(Load.of("org"))))
                .extracting(u -> u.relatedOne("org").orElseThrow().get("id")).containsExactly(org1.get("id"));
        assertThat(ashlar.read("org").where(eq("id", org1.get("id")))
                .load("users", u -> u.sort(Sort.asc("name")).limit(10)).list())
                .flatExtracting(o -> o.related("users")).extracting(u -> u.get("id"))
                .containsExactly(a.get("id"), b.get("id"));
        Ashlar other = ashlar.withTenant(tenant(org2));
        assertThat(other.read("user").list()).isEmpty();
        assertThat(other.read("org").load("users").list()).singleElement()
                .satisfies(o -> assertThat(o.related("users")).isEmpty());
        assertThat(other.read("user").where(eq("org.name", "test1")).count()).isZero();
        assertThatThrownBy(() -> other.update(a, Map.of("name", "taken"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> other.destroy(b)).isInstanceOf(NotFoundException.class);
        assertThat(other.read("user").updateAll(Map.of("name", "taken"))).isEmpty();
        assertThatThrownBy(() -> other.create("user", Map.of("name", "c", "org_id", org1.get("id"))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("org_id"));
        assertThat(db.query("SELECT name, org_id FROM users ORDER BY name")).containsExactly(
                Map.of("name", "a", "org_id", org1.get("id")), Map.of("name", "b", "org_id", org1.get("id")));
    }

    @Test
    void aPostInAnOrgMayPointAtAUserOfNoOrgWhichNoOrgsReadLoads() {
        Row nobody = ashlar.create("user", Map.of("name", "nobody"));
        Ashlar one = ashlar.withTenant(tenant(org1));

        Row post = one.create("user_post", Map.of("name", "p", "user_id", nobody.get("id")));

        assertThat(post.get("user_id")).isEqualTo(nobody.get("id"));
        assertThat(one.read("user_post").load("user").list()).singleElement()
                .satisfies(p -> assertThat(p.relatedOne("user")).isEmpty());
        assertThat(one.read("user").list()).isEmpty();
        Ashlar two = ashlar.withTenant(tenant(org2));
        assertThat(two.read("user_post").list()).isEmpty();
        Row theirs = ashlar.create("user", Map.of("name", "theirs", "org_id", org1.get("id")));
        two.create("user_post", Map.of("name", "pointing", "user_id", theirs.get("id")));
        assertThat(two.read("user_post").load("user").list()).singleElement()
                .satisfies(p -> assertThat(p.relatedOne("user")).isEmpty());
        assertThat(two.read("user_post").where(eq("user.name", "theirs")).count()).isZero();
        assertThat(ashlar.read("user").where(eq("name", "nobody")).list()).extracting(u -> u.get("id"))
                .containsExactly(nobody.get("id"));
    }
}
