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
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A query carries the schema it runs in only as the data layer sets it from the tenant: a caller's
 * {@code Query.withSchema} naming another tenant's schema reaches no row there, even for a main-schema
 * resource whose table has the same name as a tenant table.
 */
@ExtendWith(PostgresExtension.class)
class QuerySchemaIsolationTest {
    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .with(ManageTenant.template("t_", "id"))
            .build();
    static final Resource POST = Resource.builder("post").table("posts").integerPrimaryKey("id")
            .attribute("title", TEXT)
            .with(Multitenancy.context())
            .build();
    /** A main-schema resource whose table has the tenant table's name. */
    static final Resource BOARD = Resource.builder("board").table("posts").integerPrimaryKey("id")
            .attribute("title", TEXT)
            .build();
    static final Resource NOTE = Resource.builder("note").table("notes").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull())
            .attribute("title", TEXT)
            .with(Multitenancy.attribute("org_id"))
            .build();
    static final Domain DOMAIN = Domain.builder("query_schema").resources(TENANT, POST, BOARD, NOTE).build();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;

    @BeforeEach
    void twoTenantsWithPosts(TestDatabase db) {
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
        owner.withTenant("t_a").create("post", Map.of("title", "a-post"));
        owner.withTenant("t_b").create("post", Map.of("title", "b-post"));
        owner.create("board", Map.of("title", "board-post"));
    }

    @AfterEach
    void close() {
        owner.close();
    }

    @Test
    void aQueryNamingAnotherSchemaIsRefusedAndReachesNoRowThere() {
        Ashlar b = owner.withTenant("t_b");

        assertThatThrownBy(() -> b.updateAll(Query.of("board").withSchema("t_a"), Map.of("title", "hijacked")))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("The board query names schema 't_a', but a query runs in its resource's schema");
        assertThatThrownBy(() -> b.destroyAll(Query.of("board").withSchema("t_a"))).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> b.updateAll(Query.of("post").withSchema("t_a"), Map.of("title", "hijacked")))
                .isInstanceOf(QueryException.class).hasMessageContaining("or its tenant's ('t_b')");
        assertThatThrownBy(() -> b.destroyAll(Query.of("note").withSchema("t_a")))
                .isInstanceOf(QueryException.class).hasMessageContaining("names schema 't_a'");

        assertThat(db.value("SELECT string_agg(title, ',') FROM t_a.posts")).isEqualTo("a-post");
        assertThat(db.value("SELECT string_agg(title, ',') FROM t_b.posts")).isEqualTo("b-post");
        assertThat(db.value("SELECT string_agg(title, ',') FROM public.posts")).isEqualTo("board-post");
        assertThat(b.updateAll(Query.of("post").withSchema("t_b"), Map.of("title", "own")))
                .as("the tenant's own schema, as the data layer sets it, is its own").hasSize(1);
    }

    @Test
    void aTenantNameHoldingANulCharacterIsRefusedBeforeAnyStatement() {
        Ashlar nul = owner.withTenant("t_a\0x");

        assertThatThrownBy(() -> nul.create("note", Map.of("title", "planted"))).isInstanceOf(QueryException.class)
                .hasMessageContaining("The tenant for note holds a NUL character");
        assertThatThrownBy(() -> nul.read("note").list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("NUL character");
        assertThatThrownBy(() -> nul.read("post").list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("NUL character");

        assertThat(db.value("SELECT count(*) FROM notes")).isEqualTo(0L);
    }
}
