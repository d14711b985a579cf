package dev.ashlar.integration;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.TableDdl;
import dev.ashlar.kernel.schema.SchemaBuilder;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.IndexesPlugin;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/** Two plugins that never see each other meet through the kernel: unique custom indexes hold per tenant. */
@ExtendWith(PostgresExtension.class)
class TenantScopedIndexTest {

    @Test
    void aUniqueCustomIndexOnATenantColumnResourceHoldsPerTenantUnlessItSpansAllTenants(TestDatabase db) {
        Resource invoice = Resource.builder("invoice").table("invoices").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("number", TEXT).attribute("code", TEXT)
                .with(Multitenancy.attribute("org_id"))
                .with(CustomIndexes.of(index("number").unique(), index("code").unique().allTenants(true),
                        index("lower(code)")))
                .build();
        Table table = new SchemaBuilder(Domain.builder("billing").resource(invoice).build(),
                Plugins.none().with(new TenancyPlugin()).with(new IndexesPlugin())).build().tables().get(0);

        db.execute("DROP TABLE IF EXISTS invoices; " + TableDdl.createTable(table));
        table.objects().forEach(object -> db.execute(object.up()));

        assertThat(db.query("SELECT indexdef FROM pg_indexes WHERE tablename = 'invoices' AND indexname <> "
                + "'invoices_pkey' ORDER BY indexname")).extracting(row -> row.get("indexdef")).containsExactly(
                "CREATE UNIQUE INDEX invoices_code_index ON public.invoices USING btree (code)",
                "CREATE INDEX invoices_lower_code_index ON public.invoices USING btree (lower(code))",
                "CREATE UNIQUE INDEX invoices_number_index ON public.invoices USING btree (org_id, number)");
        db.execute("INSERT INTO invoices (org_id, number) VALUES ('acme', '1'), ('globex', '1')");
        assertThat(db.value("SELECT count(*) FROM invoices")).isEqualTo(2L);
    }
}
