package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.QueryException;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A read policy whose rule reaches its own resource again (AshPostgres's parent_filter: a post is read through the
 * posts titled as it), from the attacker's side: the rule is refused in every tenant rather than cut short, so no
 * read, count, load or update goes through it, and no row changes.
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

    /**
     * The victim's post owned by actor 1, the attacker's of the same title owned by actor 2: actor 1 in the attacker's
     * tenant reads, counts, loads and updates nothing, the rule refused rather than cut short; no row changes.
     */
    private static void attack(Ashlar victim, Ashlar attacker) {
        victim.bypassPolicies().create("post", Map.of("title", "shared", "owner_id", 1));
        attacker.bypassPolicies().create("post", Map.of("title", "shared", "owner_id", 2));

        assertThatThrownBy(() -> attacker.withUser(1).read("post").list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("post -> post");
        assertThatThrownBy(() -> attacker.withUser(1).read("post").count()).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> attacker.withUser(2).read("post").load("twins").list())
                .isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> attacker.withUser(1).read("post").updateAll(Map.of("title", "hit")))
                .isInstanceOf(QueryException.class);
        assertThat(attacker.bypassPolicies().read("post").list()).extracting(r -> r.get("owner_id"), r -> r.get("title"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, "shared"));
        assertThat(victim.bypassPolicies().read("post").where(exists("twins")).list())
                .extracting(r -> r.get("owner_id")).containsExactly(1L);
    }

    @Test
    void aRuleReachingItsOwnResourceIsRefusedInEveryTenantWithATenantColumn(TestDatabase db) {
        TenancyDataTest.migrated(db, project, domain(true), "tenant_").close();
        try (Ashlar ashlar = policed(db, domain(true))) {
            attack(ashlar.withTenant("7"), ashlar.withTenant("8"));
        }
        assertThat(db.value("SELECT count(*) FROM posts WHERE title = 'shared'")).isEqualTo(2L);
    }

    @Test
    void aRuleReachingItsOwnResourceIsRefusedInEverySchemaOfATenant(TestDatabase db) {
        TenancyDataTest.migrated(db, project, domain(false), "tenant_").close();
        try (Ashlar ashlar = policed(db, domain(false))) {
            ashlar.bypassPolicies().create("tenant", Map.of("id", "acme"));
            ashlar.bypassPolicies().create("tenant", Map.of("id", "globex"));
            attack(ashlar.withTenant("tenant_acme"), ashlar.withTenant("tenant_globex"));
        }
        assertThat(db.value("SELECT count(*) FROM tenant_globex.posts WHERE title = 'shared'")).isEqualTo(1L);
    }
}
