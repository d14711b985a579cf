package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Field policies combined with tenancy, by a tenant column and by a schema per tenant: actor 1 of tenant b, whose id
 * equals the manager of tenant a's alice, filters, sums, copies and path-filters by salary, and learns nothing of
 * tenant a's rows, while actor 1 of tenant a sees alice's salary. Effects are checked on the rows in SQL.
 */
@ExtendWith(PostgresExtension.class)
class FieldPolicyTenancyTest {
    static final Policy EMPLOYEES = Policy.on("employee").read(Policy.EVERY_ROW).create(Policy.EVERY_ROW)
            .update(Policy.EVERY_ROW).field("salary", actor -> eq("manager_id", actor.id()));

    @TempDir
    Path project;

    private static Domain domain(boolean column) {
        ResourceBuilder employee = Resource.builder("employee").table("employees").bigintPrimaryKey("id")
                .attribute("name", TEXT).attribute("salary", BIGINT).attribute("bonus", BIGINT)
                .belongsTo("manager", "employee");
        Domain.Builder domain = Domain.builder("app").resource((column
                ? employee.attribute("org_id", TEXT, a -> a.notNull()).with(Multitenancy.attribute("org_id"))
                : employee.with(Multitenancy.context())).build());
        if (!column) {
            domain.resource(Resource.builder("tenant").table("tenants").attribute("id", TEXT, a -> a.primaryKey())
                    .with(ManageTenant.template("tenant_", "id")).build());
        }
        return domain.build();
    }

    @Test
    void withATenantColumnAnotherTenantsActorLearnsNoHiddenValue(TestDatabase db) {
        Domain domain = domain(true);
        TenancyDataTest.migrated(db, project, domain, "tenant_").close();
        provesIsolation(db, domain, "a", "b", "employees");
    }

    @Test
    void withASchemaPerTenantAnotherTenantsActorLearnsNoHiddenValue(TestDatabase db) {
        Domain domain = domain(false);
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, domain, "tenant_")) {
            ashlar.create("tenant", Map.of("id", "a"));
            ashlar.create("tenant", Map.of("id", "b"));
        }
        provesIsolation(db, domain, "tenant_a", "tenant_b", "tenant_a.employees");
    }

    private void provesIsolation(TestDatabase db, Domain domain, String a, String b, String aTable) {
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(domain)
                .install(new TenancyPlugin()).tenantMigrations(Codegen.migrations(project, Scope.TENANT))
                .policies(EMPLOYEES).build()) {
            for (String tenant : List.of(a, b)) {
                Ashlar trusted = policed.bypassPolicies().withTenant(tenant);
                trusted.create("employee", Map.of("name", "boss", "salary", 500000L));
                trusted.create("employee", Map.of("name", "alice", "salary", tenant.equals(a) ? 150000L : 10L,
                        "manager_id", 1L));
            }
            Ashlar victim = policed.withTenant(a).withUser(1L);
            Ashlar attacker = policed.withTenant(b).withUser(1L);

            assertThat(attacker.read("employee").where(gt("salary", 100000)).count()).isZero();
            assertThat(attacker.read("employee").sum("salary").longValue()).isEqualTo(10L);
            assertThat(attacker.read("employee").where(gt("manager.salary", 100000)).count()).isZero();
            List<Row> rows = attacker.read("employee").sort(Sort.asc("id")).list();
            assertThat(rows.get(0).forbidden("salary")).isTrue();
            assertThat(rows.get(1).getLong("salary")).isEqualTo(10L);
            attacker.read("employee").updateAll(Map.of("bonus", Atomic.of("salary")));
            assertThat(db.value("SELECT string_agg(coalesce(bonus::text, '-'), ',' ORDER BY id) FROM " + aTable
                    + (aTable.equals("employees") ? " WHERE org_id = 'a'" : ""))).isEqualTo("-,-");

            assertThat(victim.read("employee").where(gt("salary", 100000)).list()).extracting(r -> r.get("name"))
                    .containsExactly("alice");
            assertThat(victim.read("employee").sort(Sort.asc("id")).list().get(0).forbidden("salary")).isTrue();
        }
    }
}
