package dev.ashlar.integration;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.plugins.references.OnDelete;
import dev.ashlar.plugins.references.Match;
import dev.ashlar.plugins.references.Reference;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.RequiresPostgres;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keys between resources scoped by the same tenant column include it, so that one tenant can neither
 * point at another tenant's rows nor learn from the error which of their ids exist.
 */
@ExtendWith(PostgresExtension.class)
class TenantReferencesTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void emptySchema(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Resource post() {
        return Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("title", TEXT)
                .with(Multitenancy.attribute("org_id")).build();
    }

    private static Resource comment(References references) {
        return Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("body", TEXT)
                .belongsTo("post", "post")
                .with(Multitenancy.attribute("org_id")).with(references).build();
    }

    private Ashlar migrated(Resource... resources) {
        Domain domain = Domain.builder("blog").resources(resources).build();
        Plugins plugins = Plugins.none().with(new TenancyPlugin()).with(new ReferencesPlugin());
        new Codegen(project, domain, plugins, Renames.none(), Clock.systemUTC()).generate("create");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        return Ashlar.builder().dataSource(db.dataSource()).domain(domain).install(new TenancyPlugin())
                .install(new ReferencesPlugin()).build();
    }

    private static Resource comments(Multitenancy tenancy) {
        return Resource.builder("comment").polymorphic().integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("body", TEXT)
                .attribute("resource_id", dev.ashlar.api.resource.Type.INTEGER)
                .with(tenancy).build();
    }

    private static Resource postWithComments(Multitenancy tenancy) {
        return Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull())
                .hasMany("comments", "comment", r -> r.table("post_comments").destinationAttribute("resource_id"))
                .with(tenancy).build();
    }

    @Test
    void aPolymorphicTableScopedByTheSourcesTenantColumnReferencesItsSourceWithinTheTenant() {
        migrated(postWithComments(Multitenancy.attribute("org_id")), comments(Multitenancy.attribute("org_id"))).close();

        assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
                + "'post_comments_resource_id_fkey'"))
                .isEqualTo("FOREIGN KEY (org_id, resource_id) REFERENCES posts(org_id, id)");
        db.execute("INSERT INTO posts (id, org_id) VALUES (1, 'acme')");
        assertThatThrownBy(() -> db.execute("INSERT INTO post_comments (org_id, resource_id) VALUES ('globex', 1)"))
                .hasMessageContaining("post_comments_resource_id_fkey");
    }

    @Test
    void aMainPolymorphicTableGetsNoKeyToASourceInTenantSchemas() {
        migrated(postWithComments(Multitenancy.context()),
                Resource.builder("comment").polymorphic().integerPrimaryKey("id")
                        .attribute("resource_id", dev.ashlar.api.resource.Type.INTEGER).build()).close();

        assertThat(db.value("SELECT to_regclass('public.post_comments') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE contype = 'f'")).isEqualTo(0L);
    }

    @Test
    void aKeyBetweenTwoTenantColumnResourcesMatchesTheTenantAgainstAUniqueTenantKey() {
        migrated(post(), comment(References.of(reference("post").index(true)))).close();
        {
            assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
                    + "'comments_post_id_fkey'")).isEqualTo("FOREIGN KEY (org_id, post_id) REFERENCES posts(org_id, id)");
            assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'posts_tenant_key'"))
                    .isEqualTo("CREATE UNIQUE INDEX posts_tenant_key ON public.posts USING btree (org_id, id)");
            assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'comments_org_id_post_id_index'"))
                    .as("the reference's index leads with the tenant column").isEqualTo(
                            "CREATE INDEX comments_org_id_post_id_index ON public.comments USING btree (org_id, post_id)");
        }
    }

    @Test
    void aTenantCannotPointAtAnotherTenantsRowAndLearnsNothingFromTheError() {
        try (Ashlar ashlar = migrated(post(), comment(References.of(reference("post"))))) {
            Row theirs = ashlar.withTenant("acme").create("post", Map.of("title", "Acme's"));

            assertThatThrownBy(() -> ashlar.withTenant("globex").create("comment",
                    Map.of("body", "planted", "post_id", theirs.get("id"))))
                    .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.getMessage())
                            .contains("post does not exist").doesNotContain("Acme"));
            Row own = ashlar.withTenant("acme").create("comment", Map.of("body", "fine", "post_id", theirs.get("id")));

            assertThat(own.getString("org_id")).isEqualTo("acme");
            assertThat(db.value("SELECT count(*) FROM comments WHERE org_id = 'globex'")).isEqualTo(0L);
        }
    }

    @Test
    void aKeyBetweenResourcesWithAnAncestorTenantColumnMatchesBothColumnsSoAnotherOrganizationCannotPointAtARow() {
        Multitenancy department = Multitenancy.attribute("department_id")
                .parseAttribute(t -> t.substring(t.indexOf(':') + 1))
                .ancestor("organization_id", t -> t.substring(0, t.indexOf(':')));
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("organization_id", TEXT, a -> a.notNull()).attribute("department_id", TEXT, a -> a.notNull())
                .with(department).build();
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("organization_id", TEXT, a -> a.notNull()).attribute("department_id", TEXT, a -> a.notNull())
                .belongsTo("post", "post").with(department).with(References.of(reference("post"))).build();
        try (Ashlar ashlar = migrated(post, comment)) {
            Row theirs = ashlar.withTenant("acme:sales").create("post", Map.of());

            assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
                    + "'comments_post_id_fkey'")).isEqualTo("FOREIGN KEY (organization_id, department_id, post_id) "
                    + "REFERENCES posts(organization_id, department_id, id)");
            assertThatThrownBy(() -> ashlar.withTenant("globex:sales").create("comment",
                    Map.of("post_id", theirs.get("id")))).isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("post does not exist");
            ashlar.withTenant("acme:sales").create("comment", Map.of("post_id", theirs.get("id")));
            assertThat(db.value("SELECT string_agg(organization_id || ':' || department_id, ',') FROM comments"))
                    .isEqualTo("acme:sales");
        }
    }

    @Test
    void matchTenantFalseKeysTheRelationshipsColumnAlone() {
        migrated(post(), comment(References.of(reference("post").matchTenant(false)))).close();
        {
            assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
                    + "'comments_post_id_fkey'")).isEqualTo("FOREIGN KEY (post_id) REFERENCES posts(id)");
            assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'posts_tenant_key'"))
                    .isEqualTo(1L);
        }
    }

    @Test
    @RequiresPostgres(value = 15, reason = "ON DELETE SET NULL (columns)")
    void nilifyingATenantMatchedKeySetsOnlyTheRelationshipsColumn() {
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("body", TEXT)
                .belongsTo("post", "post", r -> r.allowNil(true))
                .with(Multitenancy.attribute("org_id"))
                .with(References.of(reference("post").onDelete(OnDelete.NILIFY))).build();
        try (Ashlar ashlar = migrated(post(), comment)) {
            Row post = ashlar.withTenant("acme").create("post", Map.of("title", "Going"));
            ashlar.withTenant("acme").create("comment", Map.of("body", "stays", "post_id", post.get("id")));

            ashlar.withTenant("acme").destroy(post);

            assertThat(db.value("SELECT org_id || ':' || coalesce(post_id::text, 'null') FROM comments"))
                    .isEqualTo("acme:null");
        }
    }

    @Test
    void aReferenceToANonKeyIdentityOfATenantColumnResourceMatchesTheIdentitysTenantIndex() {
        Resource account = Resource.builder("account").table("accounts").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("code", TEXT, a -> a.notNull())
                .identity("unique_code", "code")
                .with(Multitenancy.attribute("org_id")).build();
        Resource invoice = Resource.builder("invoice").table("invoices").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull())
                .belongsTo("account", "account", r -> r.attribute("account_code").destinationAttribute("code"))
                .with(Multitenancy.attribute("org_id")).build();
        try (Ashlar ashlar = migrated(account, invoice)) {
            assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
                    + "'invoices_account_code_fkey'"))
                    .isEqualTo("FOREIGN KEY (org_id, account_code) REFERENCES accounts(org_id, code)");
            ashlar.withTenant("acme").create("account", Map.of("code", "A-1"));

            assertThatThrownBy(() -> ashlar.withTenant("globex").create("invoice", Map.of("account_code", "A-1")))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("account does not exist");
            assertThat(ashlar.withTenant("acme").create("invoice", Map.of("account_code", "A-1"))
                    .getString("org_id")).isEqualTo("acme");
        }
    }

    private static Resource invoice(Reference reference) {
        return Resource.builder("invoice").table("invoices").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("region", TEXT)
                .belongsTo("account", "account", r -> r.attribute("account_code").destinationAttribute("code"))
                .with(Multitenancy.attribute("org_id")).with(References.of(reference)).build();
    }

    @Test
    void aCompositeKeyToANonKeyIdentityOfATenantColumnResourceMustMatchFullAndThenRefusesAPartlyNullKey() {
        Resource account = Resource.builder("account").table("accounts").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("code", TEXT).attribute("region", TEXT)
                .identity("unique_code", "code").identity("unique_code_region", "code", "region")
                .with(Multitenancy.attribute("org_id")).build();

        assertThatThrownBy(() -> migrated(account, invoice(reference("account").matchWith("region", "region"))))
                .hasMessageContaining("Resource 'invoice', 'account'").hasMessageContaining("MATCH FULL")
                .hasMessageContaining(".match(Match.FULL)");

        try (Ashlar ashlar = migrated(account, invoice(reference("account").matchWith("region", "region")
                .match(Match.FULL)))) {
            assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
                    + "'invoices_account_code_fkey'")).isEqualTo("FOREIGN KEY (org_id, account_code, region) "
                    + "REFERENCES accounts(org_id, code, region) MATCH FULL");
            ashlar.withTenant("acme").create("account", Map.of("code", "A-1", "region", "eu"));
            assertThatThrownBy(() -> ashlar.withTenant("acme").create("invoice", Map.of("account_code", "A-1")))
                    .isInstanceOf(InvalidDataException.class);
            assertThat(ashlar.withTenant("acme").create("invoice", Map.of("account_code", "A-1", "region", "eu"))
                    .getString("org_id")).isEqualTo("acme");
        }
    }
}
