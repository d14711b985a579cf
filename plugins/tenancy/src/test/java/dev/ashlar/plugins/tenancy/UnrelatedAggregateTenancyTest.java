package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.Aggregate.Kind;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.tenancy.AggregatePathTenancyTest.scoped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An aggregate or exists over a resource no relationship leads to ({@code "@profile"}) reads that resource in the
 * reading tenant's scope: the attacker's user named like another tenant's profiles counts none of them.
 */
@ExtendWith(PostgresExtension.class)
class UnrelatedAggregateTenancyTest {
    @TempDir
    Path project;

    private static Domain domain(boolean column) {
        Domain.Builder domain = Domain.builder("app")
                .resource(scoped(Resource.builder("user").table("users").primaryKey("id")
                        .attribute("name", TEXT)
                        .count("same_name_profiles", "@profile", eq("name", parent("name")))
                        .sum("same_name_scores", "@profile", "score", eq("name", parent("name")))
                        .list("same_name_secrets", "@profile", "secret", Sort.asc("secret"))
                        .aggregate("same_name_secrets", a -> a.withFilter(eq("name", parent("name")))), column)
                        .build())
                .resource(scoped(Resource.builder("profile").table("profiles").primaryKey("id")
                        .attribute("name", TEXT)
                        .attribute("score", INTEGER)
                        .attribute("secret", TEXT), column).build());
        if (!column) {
            domain.resource(Resource.builder("tenant").table("tenants").attribute("id", TEXT, a -> a.primaryKey())
                    .with(ManageTenant.template("tenant_", "id")).build());
        }
        return domain.build();
    }

    /**
     * The victim's profiles named like the attacker's user, then the attacker's user and its own profile, then every
     * way the attacker may read the profiles through its user.
     */
    private static void attack(Ashlar victim, Ashlar attacker) {
        victim.create("profile", Map.of("name", "Ann", "score", 100, "secret", "theirs"));
        victim.create("profile", Map.of("name", "Ann", "score", 200, "secret", "theirs"));
        attacker.create("user", Map.of("name", "Ann"));
        attacker.create("profile", Map.of("name", "Ann", "score", 1, "secret", "mine"));
        seesOnlyItsOwnProfile(attacker);
    }

    /** Every way the attacker may read the profiles through its own user, each expecting its own profile only. */
    private static void seesOnlyItsOwnProfile(Ashlar attacker) {
        Row user = attacker.read("user").load("same_name_profiles").load("same_name_scores")
                .load("same_name_secrets").first().orElseThrow();
        assertThat(user.get("same_name_profiles")).isEqualTo(1L);
        assertThat(user.get("same_name_scores")).isEqualTo(1L);
        assertThat(user.get("same_name_secrets")).isEqualTo(List.of("mine"));
        assertThat(attacker.read("user").where(gt("same_name_profiles", 1)).count()).as("a filter").isZero();
        assertThat(attacker.read("user").where(exists("@profile", eq("secret", "theirs"))).count())
                .as("exists").isZero();
        assertThat(attacker.read("user")
                .aggregate(Aggregate.of("given", Kind.LIST, "@profile", "secret", Sort.asc("secret"))).first()
                .orElseThrow().get("given")).as("a read's own aggregate").isEqualTo(List.of("mine"));
        assertThat(attacker.read("user").where(gt("same_name_scores", 1)).updateAll(Map.of("name", "hit")))
                .as("a write selected by it").isEmpty();
    }

    @Test
    void aTenantColumnKeepsAnotherTenantsRecordsOutOfAnUnrelatedAggregate(TestDatabase db) {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, domain(true), "tenant_")) {
            attack(ashlar.withTenant("7"), ashlar.withTenant("8"));
        }
        assertThat(db.value("SELECT count(*) FROM profiles WHERE name = 'Ann'")).isEqualTo(3L);
        assertThat(db.value("SELECT name FROM users")).isEqualTo("Ann");
    }

    @Test
    void aSchemaPerTenantReadsTheUnrelatedResourceInTheTenantsSchema(TestDatabase db) {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, domain(false), "tenant_")) {
            ashlar.create("tenant", Map.of("id", "acme"));
            ashlar.create("tenant", Map.of("id", "globex"));
            attack(ashlar.withTenant("tenant_acme"), ashlar.withTenant("tenant_globex"));
        }
        assertThat(db.value("SELECT count(*) FROM tenant_acme.profiles")).isEqualTo(2L);
    }
}
