package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.tenancy.AggregatePathTenancyTest.scoped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read policy whose rule reaches its own resource again (AshPostgres's parent_filter: a post is read through the
 * posts titled as it, which are read through the rule once and then by their scope alone), from the attacker's side:
 * the records the rule reaches inside itself stay in the reading tenant, so another tenant's post owned by the actor
 * opens none of the attacker's tenant.
 */
@ExtendWith(PostgresExtension.class)
class PolicyReachingItsOwnResourceTenancyTest {
    /** A post is read by the owner of a post titled as it (itself included). */
    static final Policy TWINS_OWNED = Policy.on("post")
            .read(actor -> exists("twins", eq("owner_id", actor.id())))
            .update(actor -> eq("owner_id", actor.id()));

    @TempDir
    Path project;

    private static Domain domain(boolean column) {
        Domain.Builder domain = Domain.builder("app")
                .resource(scoped(Resource.builder("post").table("posts").primaryKey("id")
                        .attribute("title", TEXT).attribute("owner_id", BIGINT)
                        .hasMany("twins", "post", r -> r.noAttributes().filter(eq("title", parent("title"))))
                        .count("twin_count", "twins"), column)
                        .build());
        if (!column) {
            domain.resource(Resource.builder("tenant").table("tenants").attribute("id", TEXT, a -> a.primaryKey())
                    .with(ManageTenant.template("tenant_", "id")).build());
        }
        return domain.build();
    }

    private Ashlar policed(TestDatabase db, Domain domain) {
        return Ashlar.builder().dataSource(db.dataSource()).domain(domain).install(new TenancyPlugin())
                .tenantMigrations(Codegen.migrations(project, Scope.TENANT)).policies(TWINS_OWNED).build();
    }

    /** The victim's post owned by actor 1, the attacker's of the same title owned by actor 2; actor 1 reads there. */
    private static void attack(Ashlar victim, Ashlar attacker) {
        victim.bypassPolicies().create("post", Map.of("title", "shared", "owner_id", 1));
        attacker.bypassPolicies().create("post", Map.of("title", "shared", "owner_id", 2));

        assertThat(attacker.withUser(1).read("post").list()).as("the victim's twin opens nothing").isEmpty();
        assertThat(attacker.withUser(1).read("post").count()).isZero();
        assertThat(attacker.withUser(2).read("post").load("twins").load("twin_count").list())
                .extracting(r -> r.get("owner_id"), r -> r.related("twins").size(), r -> r.get("twin_count"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 1, 1L));
        assertThat(victim.withUser(1).read("post").where(exists("twins")).list())
                .extracting(r -> r.get("owner_id")).containsExactly(1L);
        assertThat(attacker.withUser(1).read("post").updateAll(Map.of("title", "hit"))).isEmpty();
    }

    @Test
    void aTenantColumnKeepsTheRecordsTheRuleReachesInsideItselfInTheReadersTenant(TestDatabase db) {
        TenancyDataTest.migrated(db, project, domain(true), "tenant_").close();
        try (Ashlar ashlar = policed(db, domain(true))) {
            attack(ashlar.withTenant("7"), ashlar.withTenant("8"));
        }
        assertThat(db.value("SELECT count(*) FROM posts WHERE title = 'shared'")).isEqualTo(2L);
    }

    @Test
    void aSchemaPerTenantKeepsTheRecordsTheRuleReachesInsideItselfInTheReadersSchema(TestDatabase db) {
        TenancyDataTest.migrated(db, project, domain(false), "tenant_").close();
        try (Ashlar ashlar = policed(db, domain(false))) {
            ashlar.bypassPolicies().create("tenant", Map.of("id", "acme"));
            ashlar.bypassPolicies().create("tenant", Map.of("id", "globex"));
            attack(ashlar.withTenant("tenant_acme"), ashlar.withTenant("tenant_globex"));
        }
        assertThat(db.value("SELECT count(*) FROM tenant_globex.posts WHERE title = 'shared'")).isEqualTo(1L);
    }
}
