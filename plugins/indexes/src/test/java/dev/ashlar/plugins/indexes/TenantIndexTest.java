package dev.ashlar.plugins.indexes;

import dev.ashlar.spi.plugin.TenantScoping;
import dev.ashlar.spi.plugin.TenantScope;
import dev.ashlar.spi.plugin.Tenancy;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.Scope;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Optional;

import static dev.ashlar.plugins.indexes.CustomIndexMigrationTest.users;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static org.assertj.core.api.Assertions.assertThat;

/** Indexes of a table that lives in every tenant schema are named without a schema, and land in each one. */
class TenantIndexTest extends ProjectTest {

    /** Puts every resource in the tenant schemas, as the tenancy plugin does for tenant-scoped ones. */
    static final class EveryTableInTenants implements AshlarPlugin, TenantScoping {
        @Override
        public String id() {
            return "all-tenants";
        }

        @Override
        public Optional<Tenancy> tenancy(Domain domain, Resource resource) {
            return Optional.of(Tenancy.schemaPerTenant());
        }

        @Override
        public TenantScope scope(Resource resource, Tenancy tenancy, String tenant) {
            return TenantScope.schema(tenant);
        }
    }

    @Test
    void aTenantTablesIndexesAreCreatedInEachTenantSchema() {
        Resource users = users().with(CustomIndexes.of(index("email").unique().where("email <> ''"),
                index("status").concurrently())).build();
        Codegen.Result result = new Codegen(directory, Domain.builder("app").resource(users).build(),
                Plugins.none().with(new IndexesPlugin()).with(new EveryTableInTenants()), Renames.none(),
                Clock.systemUTC()).generate("create_users");
        db.execute("CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b");

        Migrator migrator = new Migrator(db.dataSource(), Codegen.migrations(directory, Scope.TENANT))
                .progress(line -> { });
        migrator.forSchema("tenant_a").migrate();
        migrator.forSchema("tenant_b").migrate();

        assertThat(Project.text(result.files().get(1)))
                .contains("DROP INDEX CONCURRENTLY IF EXISTS \"users_status_index\";\n"
                        + "CREATE INDEX CONCURRENTLY \"users_status_index\" ON \"users\" (\"status\");");
        assertThat(db.query("SELECT schemaname, indexname FROM pg_indexes WHERE tablename = 'users' "
                + "AND indexname <> 'users_pkey' ORDER BY 1, 2").toString())
                .isEqualTo("[{schemaname=tenant_a, indexname=users_email_index}, "
                        + "{schemaname=tenant_a, indexname=users_status_index}, "
                        + "{schemaname=tenant_b, indexname=users_email_index}, "
                        + "{schemaname=tenant_b, indexname=users_status_index}]");
    }
}
