package dev.ashlar.plugins.references;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.PartitionMethod;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.references.OnDelete.DELETE;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** Foreign keys added later from a populated partitioned table. */
class PartitionedReferencesTest extends ProjectTest {

    private static Domain shop(boolean referenced) {
        Resource order = Resource.builder("order").table("orders").integerPrimaryKey("id").build();
        var line = Resource.builder("line").table("lines").integerPrimaryKey("id")
                .attribute("region", TEXT, a -> a.notNull().primaryKey())
                .partitionBy(PartitionMethod.LIST, "region");
        if (referenced) {
            line.belongsTo("order", "order").with(References.of(reference("order").onDelete(DELETE)));
        }
        return Domain.builder("shop").resources(order, line.build()).build();
    }

    @Test
    void aKeyAddedFromAPopulatedPartitionedTableIsValidOnEveryPartitionAndActs() {
        project.migrate(shop(false), "create");
        db.execute("CREATE TABLE lines_eu PARTITION OF lines FOR VALUES IN ('eu'); "
                + "INSERT INTO orders (id) VALUES (1), (2); INSERT INTO lines (region) VALUES ('eu'), ('eu')");

        project.migrate(shop(true), "reference_orders");
        db.execute("UPDATE lines SET order_id = id");

        assertThat(project.constraint("lines_order_id_fkey")).contains(
                entry("definition", "FOREIGN KEY (order_id) REFERENCES orders(id) ON DELETE CASCADE"));
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated "
                + "AND conrelid = 'public.lines_eu'::regclass")).isEqualTo(1L);
        db.execute("DELETE FROM orders WHERE id = 1");
        assertThat(db.value("SELECT count(*) FROM lines")).isEqualTo(1L);
        assertThatThrownBy(() -> db.execute("INSERT INTO lines (region, order_id) VALUES ('eu', 9)"))
                .hasMessageContaining("lines_order_id_fkey");
    }
}
