package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A tenant attribute stored in a column of another name: scoped reads and writes, indexes and policy on the column. */
@ExtendWith(PostgresExtension.class)
class ColumnNamesTenancyTest {
    static final Domain DOMAIN = Domain.builder("app").resource(Resource.builder("ticket").table("tickets")
            .primaryKey("id")
            .attribute("orgId", BIGINT, a -> a.column("org_id").notNull())
            .attribute("code", TEXT, a -> a.column("ticket_code"))
            .identity("unique_code", "code")
            .with(Multitenancy.attribute("orgId").rowLevelSecurity(true)).build()).build();

    @TempDir
    Path project;

    @Test
    void theTenantAttributeScopesRowsThroughItsColumnAndLeadsTheIdentityIndex(TestDatabase db) {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, DOMAIN, "tenant_")) {
            Row seven = ashlar.withTenant("7").create("ticket", Map.of("code", "A"));
            ashlar.withTenant("8").create("ticket", Map.of("code", "A"));
            ashlar.withTenant("7").upsert("ticket", Map.of("code", "A"), Upsert.on("unique_code").update("code"));

            assertThat(seven.get("orgId")).isEqualTo(7L);
            assertThat(ashlar.withTenant("7").read("ticket").list()).extracting(r -> r.get("orgId"))
                    .containsExactly(7L);
        }
        assertThat(db.value("SELECT count(*) FROM tickets WHERE org_id IN (7, 8) AND ticket_code = 'A'")).isEqualTo(2L);
        assertThat((String) db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'tickets_unique_code_index'"))
                .endsWith("(org_id, ticket_code)");
        assertThat((String) db.value("SELECT qual FROM pg_policies WHERE tablename = 'tickets'")).contains("org_id");
    }

    @Test
    void theTenantColumnNamedByItsColumnInsteadOfItsAttributeMovesNoRowToAnotherTenant(TestDatabase db) {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, DOMAIN, "tenant_")) {
            ashlar.withTenant("7").create("ticket", Map.of("code", "A"));
            Ashlar eight = ashlar.withTenant("8");
            Row own = eight.create("ticket", Map.of("code", "B"));

            List<Runnable> attempts = List.of(
                    () -> eight.create("ticket", Map.of("org_id", 7L, "code", "planted")),
                    () -> eight.update(own, Map.of("org_id", 7L)),
                    () -> eight.read("ticket").updateAll(Map.of("org_id", 7L)),
                    () -> eight.upsert("ticket", Map.of("org_id", 7L, "code", "A"), Upsert.on("unique_code")
                            .update("code")),
                    () -> eight.read("ticket").where(Filter.eq("org_id", 7L)).list());
            for (Runnable attempt : attempts) {
                assertThatThrownBy(attempt::run).isInstanceOf(AshlarException.class);
            }
        }
        assertThat(db.query("SELECT org_id || '/' || ticket_code AS row FROM tickets ORDER BY org_id"))
                .extracting(r -> r.get("row")).containsExactly("7/A", "8/B");
    }
}
