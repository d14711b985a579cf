package dev.ashlar.plugins.tenancy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.SchemaBuilder;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Target;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The names the tenancy plugin makes from a table's at PostgreSQL's 63-byte limit: the (tenant, key) index
 * {@code <table>_tenant_key} and the policy {@code <table>_tenant_isolation} are created whole at exactly 63 bytes, and
 * one byte more is refused naming the resource and the longest table name that fits; Citus's
 * {@code <table>_distribution}, which no catalog object carries, never refuses a table whose own names fit.
 */
@ExtendWith(PostgresExtension.class)
class TenancyNamesAtTheLimitTest {
    @TempDir
    Path project;

    /** A tenant table keyed to itself, so that it gets the (tenant, key) index. */
    private static Resource task(String table) {
        return Resource.builder("task").table(table).integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("title", TEXT).belongsTo("parent", "task")
                .with(Multitenancy.attribute("org_id")).build();
    }

    /** A tenant table under row-level security. */
    private static Resource note(String table) {
        return Resource.builder("note").table(table).integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("body", TEXT)
                .with(Multitenancy.attribute("org_id").rowLevelSecurity(true)).build();
    }

    @Test
    void theTenantKeyIndexAndTheRowLevelSecurityPolicyOfExactly63BytesAreCreatedWholeAndIsolateTenants(
            TestDatabase db) throws Exception {
        String tasks = "k".repeat(52);
        String notes = "n".repeat(46);
        Domain domain = Domain.builder("app").resource(task(tasks)).resource(note(notes)).build();
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, domain, "limit_")) {
            Row parent = ashlar.withTenant("a").create("task", Map.of("title", "plan"));
            ashlar.withTenant("a").create("task", Map.of("title", "step", "parent_id", parent.get("id")));
            ashlar.withTenant("a").create("note", Map.of("body", "a's secret"));
            // Tenant B names tenant A's task by its key: not found, and none of A's tasks is in its reads.
            assertThatThrownBy(() -> ashlar.withTenant("b").get("task", parent.get("id")))
                    .isInstanceOf(NotFoundException.class);
            assertThat(ashlar.withTenant("b").read("task").list()).isEmpty();
            assertThat(ashlar.withTenant("a").read("task").list()).hasSize(2);
        }

        assertThat(db.query("SELECT indexname, octet_length(indexname) AS bytes FROM pg_indexes WHERE tablename = ? "
                + "AND indexname LIKE '%tenant_key'", tasks))
                .containsExactly(Map.of("indexname", tasks + "_tenant_key", "bytes", 63));
        assertThat(db.query("SELECT polname::text AS name, octet_length(polname::text) AS bytes FROM pg_policy "
                + "WHERE polrelid = ?::regclass", notes))
                .containsExactly(Map.of("name", notes + "_tenant_isolation", "bytes", 63));
        // An ordinary role, which the policy holds: tenant B, or no tenant, sees none of tenant A's notes.
        try (HikariDataSource role = OrdinaryRole.pool(db, "limit_app", List.of("public"))) {
            assertThat(notesSeenAs(role, notes, "b")).isZero();
            assertThat(notesSeenAs(role, notes, "")).isZero();
            assertThat(notesSeenAs(role, notes, "a")).isOne();
        }
    }

    private static int notesSeenAs(HikariDataSource role, String table, String tenant) throws Exception {
        try (Connection connection = role.getConnection();
             PreparedStatement set = connection.prepareStatement("SELECT set_config(?, ?, false)");
             PreparedStatement read = connection.prepareStatement("SELECT count(*)::int FROM " + table)) {
            set.setString(1, TenancyPlugin.TENANT_SETTING);
            set.setString(2, tenant);
            set.execute();
            try (ResultSet row = read.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    @Test
    void oneByteMoreThanTheTenantKeyIndexOrThePolicyHoldsIsRefusedNamingTheTableAndTheLongestNameThatFits() {
        assertThatThrownBy(() -> generate(task("k".repeat(53)))).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'task', 'table'").hasMessageContaining("k".repeat(53) + "_tenant_key', "
                        + "which is 64 bytes long").hasMessageContaining("set a table name of at most 52 bytes");
        assertThatThrownBy(() -> generate(note("n".repeat(47)))).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'note', 'table'").hasMessageContaining("n".repeat(47)
                        + "_tenant_isolation', which is 64 bytes long")
                .hasMessageContaining("set a table name of at most 46 bytes");
    }

    private void generate(Resource resource) {
        new Codegen(project, Domain.builder("app").resource(resource).build(), Plugins.none().with(new TenancyPlugin()),
                Renames.none(), Clock.systemUTC()).generate("create");
    }

    @Test
    void theCitusDistributionOfATableWhoseOwnNamesFitIsNeverRefusedForItsNameWhichNoCatalogObjectCarries() {
        // 52 bytes: "<table>_tenant_key" is 63 bytes, "<table>_distribution" would be 65.
        SchemaObject longest = distribution(task("k".repeat(52)));
        assertThat(longest.name()).startsWith("k".repeat(30)).endsWith("_distribution");
        assertThat(longest.name().getBytes(StandardCharsets.UTF_8)).hasSize(63);
        assertThat(longest.up())
                .contains("create_distributed_table('\"public\".\"" + "k".repeat(52) + "\"', 'org_id')");
        assertThat(distribution(task("k".repeat(51) + "j")).name()).isNotEqualTo(longest.name());
        // Up to 63 bytes the name is the table's and the suffix, as the snapshots of such tables already hold it.
        assertThat(distribution(task("k".repeat(50))).name()).isEqualTo("k".repeat(50) + "_distribution");
    }

    private static SchemaObject distribution(Resource resource) {
        return new SchemaBuilder(Domain.builder("app").resource(resource).build(),
                Plugins.none().with(new TenancyPlugin()), Target.CITUS).build().tables().get(0).objects().stream()
                .filter(o -> o.kind().equals(ObjectKind.DISTRIBUTION)).findFirst().orElseThrow();
    }
}
