package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.UUID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's test domain: an org names its schema ({@code org_<id>}), posts live there, and users share one
 * table whose tenant column holds the org's id, read from the tenant with {@code parseAttribute} — so one handle
 * serves both strategies, and loads cross between them.
 */
class ParseAttributeTest extends MigratedDomainTest {
    static final Resource ORG = Resource.builder("org").table("orgs").uuidPrimaryKey("id")
            .attribute("name", TEXT)
            .with(ManageTenant.template("org_", "id"))
            .build();
    static final Resource USER = Resource.builder("user").table("users").uuidPrimaryKey("id")
            .attribute("org_id", UUID, a -> a.notNull()).attribute("name", TEXT)
            .hasMany("posts", "post", r -> r.destinationAttribute("author_id"))
            .with(Multitenancy.attribute("org_id").rowLevelSecurity(true)
                    .parseAttribute(tenant -> tenant.substring(tenant.indexOf("org_") == 0 ? 4 : tenant.length())))
            .build();
    static final Resource POST = Resource.builder("post").table("posts").integerPrimaryKey("id")
            .attribute("title", TEXT).belongsTo("author", "user")
            .with(Multitenancy.context())
            .build();
    static final Domain DOMAIN = Domain.builder("orgs").resources(ORG, USER, POST).build();

    ParseAttributeTest() {
        super(DOMAIN, "org_");
    }

    @Test
    void oneTenantHandleSetsTheParsedColumnAndLoadsAcrossBothStrategies() {
        Row acme = ashlar.create("org", Map.of("name", "acme"));
        Row globex = ashlar.create("org", Map.of("name", "globex"));
        Ashlar a = ashlar.withTenant("org_" + acme.get("id"));
        Ashlar g = ashlar.withTenant("org_" + globex.get("id"));

        Row ann = a.create("user", Map.of("name", "ann"));
        a.create("post", Map.of("title", "hello", "author_id", ann.get("id")));
        g.create("user", Map.of("name", "gus"));

        assertThat(ann.get("org_id")).isEqualTo(acme.get("id"));
        assertThat(ann.tenant()).contains("org_" + acme.get("id"));
        assertThat(a.read("post").load("author").list()).flatExtracting(r -> r.related("author"))
                .extracting(r -> r.getString("name")).containsExactly("ann");
        assertThat(a.read("post").where(eq("author.name", "ann")).count()).isEqualTo(1);
        assertThat(a.read("user").load("posts").list()).flatExtracting(r -> r.related("posts"))
                .extracting(r -> r.getString("title")).containsExactly("hello");
        assertThat(a.read("user").where(eq("posts.title", "hello")).count()).isEqualTo(1);
        assertThat(g.read("user").load("posts").list()).flatExtracting(r -> r.related("posts")).isEmpty();
        assertThat(g.read("user").list()).extracting(r -> r.getString("name")).containsExactly("gus");
        assertThat(g.read("user").where(eq("name", "ann")).exists()).isFalse();
        assertThat(db.value("SELECT count(*) FROM users WHERE org_id = ?", acme.get("id"))).isEqualTo(1L);
    }

    @Test
    void aTenantTheParseGivesNoValueForIsRefusedNamingTheColumn() {
        assertThatThrownBy(() -> ashlar.withTenant("acme").read("user").list())
                .hasMessageContaining("Tenant 'acme' gives no value for the tenant column org_id of user: its "
                        + "parseAttribute returned ''");
        assertThat(db.value("SELECT count(*) FROM users")).isEqualTo(0L);
    }

    @Test
    void rowLevelSecurityComparesTheParsedValueForAnOrdinaryRole() {
        Row acme = ashlar.create("org", Map.of("name", "acme"));
        Row globex = ashlar.create("org", Map.of("name", "globex"));
        ashlar.withTenant("org_" + acme.get("id")).create("user", Map.of("name", "ann"));
        ashlar.withTenant("org_" + globex.get("id")).create("user", Map.of("name", "gus"));
        db.execute("DO $$ BEGIN CREATE ROLE ashlar_parse; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
                + "ALTER ROLE ashlar_parse LOGIN NOSUPERUSER NOBYPASSRLS; GRANT USAGE ON SCHEMA public TO ashlar_parse; "
                + "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO ashlar_parse");
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(db.jdbcUrl().replaceAll("([?&])user=[^&]*", "$1user=ashlar_parse"));
        config.setUsername("ashlar_parse");
        config.setMaximumPoolSize(1);
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config);
             Ashlar ordinary = Ashlar.builder().dataSource(pool).domain(DOMAIN).install(new TenancyPlugin()).build()) {
            Ashlar a = ordinary.withTenant("org_" + acme.get("id"));

            assertThat(a.read("user").list()).extracting(r -> r.getString("name")).containsExactly("ann");
            assertThat(a.read("user").compute("seen", Long.class, "SELECT count(*) FROM users").first()
                    .orElseThrow().get("seen")).as("hand-written SQL sees the tenant's rows only").isEqualTo(1L);
            assertThat(a.create("user", Map.of("name", "amy")).get("org_id")).isEqualTo(acme.get("id"));
        }
    }
}
