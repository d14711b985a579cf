package dev.ashlar.plugins.tenancy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.data.Upsert;
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
import java.util.UUID;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tenant column with an ancestor, as AshPostgres's department posts: the tenant is a department of an
 * organization, written {@code <organization>:<department>}, and rows hold both. A tenant reusing a department's id
 * under another organization must reach none of its rows, by reads, writes, loads, aggregates or {@code exists}.
 */
@ExtendWith(PostgresExtension.class)
class AncestorAttributesTest {
    static Multitenancy department() {
        return Multitenancy.attribute("department_id").parseAttribute(t -> t.substring(t.indexOf(':') + 1))
                .ancestor("organization_id", t -> t.substring(0, t.indexOf(':'))).rowLevelSecurity(true);
    }

    /** The organizations' and departments' keys. */
    static final dev.ashlar.api.resource.Type KEY = dev.ashlar.api.resource.Type.UUID;

    /** A resource of a department: a text field, and the organization's and the department's columns. */
    static ResourceBuilder departmental(String name, String table, String field) {
        return Resource.builder(name).table(table).integerPrimaryKey("id").attribute(field, TEXT)
                .attribute("organization_id", KEY, a -> a.notNull())
                .attribute("department_id", KEY, a -> a.notNull())
                .with(department());
    }

    static final Resource POST = departmental("department_post", "department_posts", "name")
            .identity("unique_name", "name")
            .hasMany("comments", "department_post_comment", r -> r.destinationAttribute("post_id"))
            .count("count_of_comments", "comments")
            .build();
    static final Resource COMMENT = departmental("department_post_comment", "department_post_comments", "text")
            .belongsTo("post", "department_post")
            .build();
    static final Domain DOMAIN = Domain.builder("departments").resources(POST, COMMENT).build();

    final UUID organization = UUID.randomUUID();
    final UUID departmentA = UUID.randomUUID();
    final UUID departmentB = UUID.randomUUID();
    final String tenantA = organization + ":" + departmentA;
    final String tenantB = organization + ":" + departmentB;
    /** Department a's id under another organization: the department filter alone would match a's rows. */
    final String wrongOrganization = UUID.randomUUID() + ":" + departmentA;

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;

    @BeforeEach
    void migrated(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        new Codegen(project, DOMAIN, Plugins.none().with(new TenancyPlugin()), Renames.none(), Clock.systemUTC())
                .generate("create");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        owner = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).install(new TenancyPlugin()).build();
    }

    @AfterEach
    void close() {
        owner.close();
    }

    @Test
    void aCreateSetsTheAncestorColumnBesideTheTenantColumn() {
        Row post = owner.withTenant(tenantA).create("department_post", Map.of("name", "post"));

        assertThat(post.get("department_id")).isEqualTo(departmentA);
        assertThat(post.get("organization_id")).isEqualTo(organization);
        assertThat(db.value("SELECT organization_id::text || ':' || department_id::text FROM department_posts"))
                .isEqualTo(tenantA);
    }

    @Test
    void aTenantWithTheSameDepartmentInAnotherOrganizationReadsNothing() {
        Row post = owner.withTenant(tenantA).create("department_post", Map.of("name", "post"));
        Ashlar wrong = owner.withTenant(wrongOrganization);

        assertThat(owner.withTenant(tenantA).read("department_post").list()).extracting(r -> r.get("id"))
                .containsExactly(post.get("id"));
        assertThat(wrong.read("department_post").list()).isEmpty();
        assertThat(wrong.read("department_post").count()).isZero();
        assertThatThrownBy(() -> wrong.get("department_post", post.get("id"))).isInstanceOf(AshlarException.class);
    }

    @Test
    void anotherOrganizationsTenantCannotUpdateOrDestroyTheRow() {
        Row post = owner.withTenant(tenantA).create("department_post", Map.of("name", "before"));
        Ashlar wrong = owner.withTenant(wrongOrganization);
        Row forged = Row.of("department_post", Map.of("id", post.get("id"), "name", "before",
                "organization_id", organization, "department_id", departmentA));

        assertThatThrownBy(() -> wrong.update(post, Map.of("name", "after"))).isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> wrong.update(forged, Map.of("name", "after"))).isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> wrong.destroy(forged)).isInstanceOf(AshlarException.class);
        assertThat(wrong.read("department_post").updateCount(Map.of("name", "after"))).isZero();
        assertThat(wrong.read("department_post").destroyAll()).isZero();
        assertThatThrownBy(() -> owner.withTenant(tenantA).create("department_post", Map.of("name", "moved",
                "organization_id", UUID.randomUUID()))).isInstanceOf(AshlarException.class);
        assertThat(db.query("SELECT name FROM department_posts")).extracting(r -> r.get("name"))
                .containsExactly("before");
    }

    @Test
    void upsertsTargetTheIdentityLedByTheAncestorAndTenantColumnsAsItsIndexIs() {
        Object first = owner.withTenant(tenantA).upsert("department_post", Map.of("name", "same name"),
                Upsert.on("unique_name").update("name")).get("id");
        Object other = owner.withTenant(tenantB).upsert("department_post", Map.of("name", "same name"),
                Upsert.on("unique_name").update("name")).get("id");
        Object again = owner.withTenant(tenantA).upsert("department_post", Map.of("name", "same name"),
                Upsert.on("unique_name").update("name")).get("id");

        assertThat(other).isNotEqualTo(first);
        assertThat(again).isEqualTo(first);
        assertThat((String) db.value("SELECT indexdef FROM pg_indexes WHERE tablename = 'department_posts' "
                + "AND indexdef LIKE '%name%'")).endsWith("(organization_id, department_id, name)");
    }

    @Test
    void loadsAggregatesAndExistsLeaveOutACommentOfTheSameDepartmentInAnotherOrganization() {
        Ashlar a = owner.withTenant(tenantA);
        Row post = a.create("department_post", Map.of("name", "post"));
        owner.withTenant(wrongOrganization).create("department_post_comment", Map.of("text", "other organization",
                "post_id", post.get("id")));

        Row read = a.read("department_post").load("comments").load("count_of_comments").one().orElseThrow();
        assertThat(read.related("comments")).isEmpty();
        assertThat(read.get("count_of_comments")).isEqualTo(0L);
        assertThat(a.read("department_post").where(exists("comments", eq("text", "other organization"))).count())
                .isZero();

        a.create("department_post_comment", Map.of("text", "same tenant", "post_id", post.get("id")));
        read = a.read("department_post").load("comments").load("count_of_comments").one().orElseThrow();
        assertThat(read.related("comments")).extracting(r -> r.getString("text")).containsExactly("same tenant");
        assertThat(read.get("count_of_comments")).isEqualTo(1L);
        assertThat(a.read("department_post").where(exists("comments", eq("text", "same tenant"))).count())
                .isEqualTo(1L);
    }

    @Test
    void aTenantGivingNoAncestorValueIsRefusedNamingTheAncestorColumn() {
        assertThatThrownBy(() -> owner.withTenant(departmentA.toString()).read("department_post").list())
                .isInstanceOf(AshlarException.class).hasMessageContaining("organization_id")
                .hasMessageContaining("department_post");
    }

    @Test
    void rowLevelSecurityComparesTheAncestorColumnTooSoHandWrittenSqlOfAnotherOrganizationSeesNoRow() {
        owner.withTenant(tenantA).create("department_post", Map.of("name", "post"));
        try (HikariDataSource pool = OrdinaryRole.pool(db, "ashlar_departments", List.of("public"));
             Ashlar ordinary = Ashlar.builder().dataSource(pool).domain(DOMAIN).install(new TenancyPlugin()).build()) {
            String seen = "SELECT count(*) FROM department_posts";

            assertThat(ordinary.withTenant(tenantA).read("department_post").compute("seen", Long.class, seen)
                    .one().orElseThrow().get("seen")).isEqualTo(1L);
            // A row of its own to compute beside: the department's posts of the other organization are what it counts.
            ordinary.withTenant(wrongOrganization).create("department_post_comment", Map.of("text", "own"));
            assertThat(ordinary.withTenant(wrongOrganization).read("department_post_comment")
                    .compute("seen", Long.class, seen).one().orElseThrow().get("seen")).isEqualTo(0L);
        }
        assertThat((String) db.value("SELECT qual FROM pg_policies WHERE tablename = 'department_posts'"))
                .contains("current_setting('ashlar.tenant'::text, true)")
                .contains("organization_id")
                .contains("current_setting('ashlar.tenant.organization_id'::text, true)");
    }

    @Test
    void ancestorsAreRefusedOnASchemaPerTenantResourceAndUnderRowLevelSecurityWhenTheyNameNoSetting() {
        Resource context = Resource.builder("note").table("notes").integerPrimaryKey("id")
                .with(Multitenancy.context().ancestor("organization_id", t -> t)).build();
        Resource secured = Resource.builder("memo").table("memos").integerPrimaryKey("id")
                .attribute("org-id", TEXT).attribute("department_id", TEXT)
                .with(Multitenancy.attribute("department_id").ancestor("org-id", t -> t).rowLevelSecurity(true))
                .build();

        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).install(new TenancyPlugin())
                .domain(Domain.builder("refused").resources(context, secured).build()).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("ancestor(...) adds a tenant column; a schema-per-tenant resource has none")
                .hasMessageContaining("compares ancestor org-id with the setting ashlar.tenant.org-id, which "
                        + "PostgreSQL cannot name");
    }
}
