package dev.ashlar.kernel.codegen;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.plugin.TestPlugins;
import dev.ashlar.kernel.tenant.TenantMigrator;
import dev.ashlar.kernel.tenant.TenantReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A generated type change of a tenant table, applied across tenant schemas that hold rows. */
class TenantTypeChangeTest extends FreshSchemaTest {
    private static final List<String> TENANTS = List.of("shop_a", "shop_b", "shop_c");

    private Codegen codegen(Type score) {
        Domain domain = Domain.builder("shop").resource(Resource.builder("note").table("notes").integerPrimaryKey("id")
                .attribute("score", score).build()).build();
        return new Codegen(project, domain, Plugins.none().with(TestPlugins.everyTableInTenants()), Renames.hints(List.of()), CLOCK);
    }

    private TenantReport migrateTenants() {
        return new TenantMigrator(db.dataSource(), project.resolve("tenant_migrations")).jobs(2)
                .migrate(TENANTS.iterator(), TENANTS.size());
    }

    @Test
    void aTenantWhoseRowsTheNewTypeCannotHoldIsReportedByNameAndKeepsThemWhileTheOthersConvert() {
        db.execute("DROP SCHEMA IF EXISTS shop_a CASCADE; DROP SCHEMA IF EXISTS shop_b CASCADE; "
                + "DROP SCHEMA IF EXISTS shop_c CASCADE; DROP TABLE IF EXISTS ashlar_tenant_migrations; "
                + "CREATE SCHEMA shop_a; CREATE SCHEMA shop_b; CREATE SCHEMA shop_c");
        codegen(Type.DOUBLE).generate("create_notes");
        assertThat(migrateTenants().succeeded()).isTrue();
        db.execute("INSERT INTO shop_a.notes (score) VALUES (1), (2); INSERT INTO shop_b.notes (score) VALUES (3), (2.5); "
                + "INSERT INTO shop_c.notes (score) VALUES (NULL), (4)");

        codegen(Type.INTEGER).generate("whole_scores");
        TenantReport report = migrateTenants();

        assertThat(report.migrated()).isEqualTo(2);
        assertThat(report.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.schema()).isEqualTo("shop_b");
            assertThat(failure.message()).contains("whole_scores")
                    .contains("Column notes.score holds values that integer cannot hold unchanged, e.g. 2.5");
        });
        assertThat(db.query("SELECT table_schema, data_type FROM information_schema.columns WHERE table_name = 'notes' "
                + "AND column_name = 'score' ORDER BY 1")).extracting(row -> row.get("data_type"))
                .containsExactly("integer", "double precision", "integer");
        assertThat(db.query("SELECT score FROM shop_b.notes ORDER BY id")).extracting(row -> row.get("score"))
                .containsExactly(3.0, 2.5);
        assertThat(db.query("SELECT score FROM shop_c.notes ORDER BY id")).extracting(row -> row.get("score"))
                .containsExactly(null, 4);
        db.execute("DROP SCHEMA shop_a CASCADE; DROP SCHEMA shop_b CASCADE; DROP SCHEMA shop_c CASCADE; "
                + "DROP TABLE ashlar_tenant_migrations");
    }
}
