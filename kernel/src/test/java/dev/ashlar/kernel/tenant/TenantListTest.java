package dev.ashlar.kernel.tenant;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class TenantListTest {
    @Test
    void aTenantTableNotMigratedYetSaysToApplyTheMainMigrationsFirst(TestDatabase db) {
        db.execute("DROP TABLE IF EXISTS public.unmigrated_tenants");
        TenantList list = new TenantList("SELECT 'tenant_' || \"id\"::text FROM \"public\".\"unmigrated_tenants\"");

        assertThatThrownBy(() -> list.list(db.dataSource())).isInstanceOfSatisfying(AshlarException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.sqlState()).contains("42P01"))
                .hasMessageContaining("relation \"public.unmigrated_tenants\" does not exist")
                .hasMessageContaining("apply the main schema's migrations first (ashlar migrate)");
    }
}
