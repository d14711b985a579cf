package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A polymorphic resource scoped by tenant: each of its tables lives in every tenant's schema, and a tenant's
 * handle reads and writes them there alone, as it does any tenant resource's table.
 */
@ExtendWith(PostgresExtension.class)
class PolymorphicTenancyTest {
    static final String POST_COMMENT = Resource.inTable("comment", "post_comments");
    static final Domain DOMAIN = Domain.builder("polymorphic_tenants").resources(
            Resource.builder("tenant").table("tenants")
                    .attribute("id", TEXT, a -> a.primaryKey())
                    .with(ManageTenant.template("t_", "id"))
                    .build(),
            Resource.builder("post").table("posts").primaryKey("id")
                    .attribute("title", TEXT)
                    .hasMany("comments", "comment", r -> r.table("post_comments").destinationAttribute("resource_id"))
                    .with(Multitenancy.context())
                    .build(),
            Resource.builder("comment").polymorphic().primaryKey("id")
                    .attribute("body", TEXT)
                    .attribute("resource_id", BIGINT)
                    .with(Multitenancy.context())
                    .build(),
            Resource.builder("note").polymorphic("org_notes").primaryKey("id")
                    .attribute("org_id", TEXT, a -> a.notNull())
                    .attribute("body", TEXT)
                    .with(Multitenancy.attribute("org_id"))
                    .build()).build();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;

    @BeforeEach
    void twoTenants(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS t_a CASCADE; DROP SCHEMA IF EXISTS t_b CASCADE; "
                + "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        new Codegen(project, DOMAIN, Plugins.none().with(new TenancyPlugin()), Renames.none(), Clock.systemUTC())
                .generate("create");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        owner = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).install(new TenancyPlugin())
                .tenantMigrations(Codegen.migrations(project, Scope.TENANT)).build();
        owner.create("tenant", Map.of("id", "a"));
        owner.create("tenant", Map.of("id", "b"));
    }

    @AfterEach
    void close() {
        owner.close();
    }

    private List<String> schemasOf(String table) {
        return db.query("SELECT table_schema FROM information_schema.tables WHERE table_name = ? "
                + "ORDER BY table_schema", table).stream().map(r -> (String) r.get("table_schema")).toList();
    }

    @Test
    void eachTableOfAPolymorphicTenantResourceLivesInEveryTenantSchemaOnly() {
        assertThat(schemasOf("post_comments")).containsExactly("t_a", "t_b");
    }

    @Test
    void aTenantsHandleWritesAndReadsItsOwnSchemasTable() {
        Ashlar a = owner.withTenant("t_a");
        Ashlar b = owner.withTenant("t_b");
        long post = ((Number) a.create("post", Map.of("title", "a-post")).get("id")).longValue();
        a.create(POST_COMMENT, Map.of("body", "for a", "resource_id", post));
        b.create(POST_COMMENT, Map.of("body", "for b", "resource_id", post));

        assertThat(db.value("SELECT string_agg(body, ',') FROM t_a.post_comments")).isEqualTo("for a");
        assertThat(db.value("SELECT string_agg(body, ',') FROM t_b.post_comments")).isEqualTo("for b");
        assertThat(b.read("comment").table("post_comments").list()).extracting(r -> r.get("body"))
                .containsExactly("for b");
        assertThat(a.read("post").load("comments").list().get(0).related("comments"))
                .extracting(r -> r.get("body")).containsExactly("for a");
        assertThatThrownBy(() -> owner.read("comment").table("post_comments").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("must name a tenant");
    }

    @Test
    void aPolymorphicQueryNamingAnotherTenantsSchemaIsRefusedAndChangesNothing() {
        owner.withTenant("t_a").create(POST_COMMENT, Map.of("body", "kept", "resource_id", 1));
        Ashlar b = owner.withTenant("t_b");

        assertThatThrownBy(() -> b.updateAll(Query.of("comment").withTable("post_comments").withSchema("t_a"),
                Map.of("body", "hijacked"))).isInstanceOf(QueryException.class)
                .hasMessageContaining("names schema 't_a'");
        assertThatThrownBy(() -> b.destroyAll(Query.of("comment").withTable("post_comments").withSchema("t_a")))
                .isInstanceOf(QueryException.class);

        assertThat(db.value("SELECT string_agg(body, ',') FROM t_a.post_comments")).isEqualTo("kept");
    }

    @Test
    void aPolymorphicResourceWithATenantColumnSetsItAndReadsByIt() {
        String orgNotes = Resource.inTable("note", "org_notes");
        owner.withTenant("t_a").create(orgNotes, Map.of("body", "a's"));

        assertThat(db.value("SELECT string_agg(org_id || ':' || body, ',') FROM public.org_notes"))
                .isEqualTo("t_a:a's");
        assertThat(owner.withTenant("t_b").read("note").table("org_notes").list()).isEmpty();
        assertThat(owner.withTenant("t_b").read("note").table("org_notes").updateAll(Map.of("body", "b's"))).isEmpty();
        assertThat(owner.withTenant("t_a").read("note").table("org_notes").list()).extracting(r -> r.get("body"))
                .containsExactly("a's");
    }
}
