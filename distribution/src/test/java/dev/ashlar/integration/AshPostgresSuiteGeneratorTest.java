package dev.ashlar.integration;

import dev.ashlar.plugins.tenancy.Multitenancy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.integration.GenerationRoundTrip.domain;
import static dev.ashlar.integration.GenerationRoundTrip.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cases of AshPostgres's {@code migration_generator_test} that no other test of this project restates (see the
 * README's "AshPostgres mapping" for those that do), proved on a populated database.
 */
class AshPostgresSuiteGeneratorTest extends RoundTripGround {
    AshPostgresSuiteGeneratorTest() {
        super("example");
    }

    /** "identities using all_tenants?: true": the identity holds across tenants on the rows, the others per tenant. */
    @Test
    void anAcrossAllTenantsIdentityRefusesADuplicateInAnotherTenantWhileAPerTenantOneAllowsIt() {
        generations.roundTrip(domain(resource("user", "users").uuidPrimaryKey("id").attribute("org_id", TEXT)
                .attribute("name", TEXT).attribute("nick", TEXT)
                .identity("unique_name", List.of("name"), i -> i.allTenants()).identity("unique_nick", "nick")
                .with(Multitenancy.attribute("org_id"))), "create");

        db.execute("INSERT INTO users (org_id, name, nick) VALUES ('o1', 'a', 'x'), ('o2', 'b', 'x')");
        assertThatThrownBy(() -> db.execute("INSERT INTO users (org_id, name, nick) VALUES ('o2', 'a', 'y')"))
                .hasMessageContaining("users_unique_name_index");
        assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'users_unique_nick_index'"))
                .asString().contains("(org_id, nick)");
    }
}
