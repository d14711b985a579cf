package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.composite;
import static org.assertj.core.api.Assertions.assertThat;

/** A composite type of a tenant resource lives in every tenant's schema, and the data layer finds it there. */
@ExtendWith(PostgresExtension.class)
class CompositeTypeTenancyTest {
    public record Money(BigDecimal amount, String currency) {
    }

    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .with(ManageTenant.template("composite_tenant_", "id")).build();
    static final Resource INVOICE = Resource.builder("invoice").table("invoices").primaryKey("id")
            .attribute("total", composite("money_with_currency", Money.class))
            .with(Multitenancy.context()).build();

    @TempDir
    Path project;

    @Test
    void eachTenantSchemaGetsTheTypeAndWritesReadsAndFiltersThroughIt(TestDatabase db) throws IOException {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, Domain.builder("billing")
                .resources(TENANT, INVOICE).build(), "composite_tenant_")) {
            try (Stream<Path> files = Files.list(Codegen.migrations(project, Scope.TENANT))) {
                assertThat(Files.readString(files.findFirst().orElseThrow())).contains(
                        "CREATE TYPE \"money_with_currency\" AS (\"amount\" numeric, \"currency\" text);");
            }
            ashlar.create("tenant", Map.of("id", "acme"));
            ashlar.create("tenant", Map.of("id", "globex"));
            Ashlar acme = ashlar.withTenant("composite_tenant_acme");

            acme.createAll("invoice", List.of(Map.of("id", 1, "total", new Money(BigDecimal.TEN, "EUR")),
                    Map.of("id", 2, "total", new Money(BigDecimal.ONE, "USD"))));
            acme.create("invoice", Map.of("id", 3, "total", new Money(BigDecimal.TEN, "EUR")));

            assertThat(acme.read("invoice").where(Filter.eq("total", new Money(BigDecimal.TEN, "EUR")))
                    .sort(Sort.asc("id")).list()).extracting(r -> r.get("id")).containsExactly(1L, 3L);
            assertThat(acme.read("invoice").where(Filter.eq("total.currency", "USD")).list())
                    .extracting(r -> r.get("total")).containsExactly(new Money(BigDecimal.ONE, "USD"));
            assertThat(db.query("SELECT n.nspname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                    + "WHERE t.typname = 'money_with_currency' AND t.typtype = 'c' ORDER BY 1"))
                    .extracting(r -> r.get("nspname"))
                    .containsExactly("composite_tenant_acme", "composite_tenant_globex");
            assertThat(db.value("SELECT (total).currency FROM composite_tenant_acme.invoices WHERE id = 2"))
                    .isEqualTo("USD");
        }
    }
}
