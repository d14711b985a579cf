package dev.ashlar.plugins.tenancy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.plugins.replicas.ReadReplicas;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.ReplicaPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads of tenants that the replicas plugin routes to a streaming standby, in turn on the standby's one pooled
 * connection: each sees its own schema's rows and its own tenant column's rows there, SQL written by hand included,
 * and a read without a tenant afterwards finds no tenant schema on its search path.
 */
class ReplicaTenancyIsolationTest {
    static final Resource POST = Resource.builder("post").table("posts").integerPrimaryKey("id")
            .attribute("title", TEXT)
            .with(Multitenancy.context())
            .build();
    static final Resource NOTE = Resource.builder("note").table("notes").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull())
            .attribute("title", TEXT)
            .with(Multitenancy.attribute("org_id"))
            .build();
    static final Domain DOMAIN = Domain.builder("replicated_tenants").resources(TwoTenants.TENANT, POST, NOTE)
            .build();

    @TempDir
    Path project;

    @Test
    void readsOfTenantsInTurnOnAStandbysPooledConnectionSeeOnlyTheirOwnRowsAndLeaveNoSearchPath() {
        List<String> seen = new ArrayList<>();
        try (ReplicaPair pair = ReplicaPair.start();
             HikariDataSource primary = pool(pair.primaryUrl(), 2);
             HikariDataSource standby = pool(pair.standbyUrl(), 1)) {
            new Codegen(project, DOMAIN, Plugins.none().with(new TenancyPlugin()), Renames.none(), Clock.systemUTC())
                    .generate("create");
            new Migrator(primary, Codegen.migrations(project, Scope.MAIN)).migrate();
            try (Ashlar writer = Ashlar.builder().dataSource(primary).domain(DOMAIN).install(new TenancyPlugin())
                    .tenantMigrations(Codegen.migrations(project, Scope.TENANT)).build()) {
                for (String id : List.of("a", "b")) {
                    writer.create("tenant", Map.of("id", id));
                    writer.withTenant("t_" + id).create("post", Map.of("title", "t_" + id + "-post"));
                    writer.withTenant("t_" + id).create("note", Map.of("title", "t_" + id + "-note"));
                }
            }
            pair.awaitReplay(Duration.ofSeconds(30));
            try (Ashlar routed = Ashlar.builder().dataSource(primary).dataSource("standby", standby).domain(DOMAIN)
                    .install(new TenancyPlugin()).install(ReadReplicas.builder().replicas("standby").build())
                    .build()) {
                for (String tenant : List.of("t_a", "t_b", "t_a", "t_b")) {
                    Ashlar handle = routed.withTenant(tenant);
                    seen.add(handle.read("post").compute("seen", String.class, "SELECT pg_is_in_recovery() || ':' "
                            + "|| string_agg(title, ',') FROM posts").where(Filter.sql("title IS NOT NULL"))
                            .first().orElseThrow().get("seen") + "/"
                            + handle.read("note").list().stream().map(r -> r.getString("title")).toList());
                }
                seen.add(routed.read("tenant").compute("seen", String.class, "SELECT pg_is_in_recovery() || ':' || "
                        + "coalesce(to_regclass('posts')::text, 'none')").first().orElseThrow().get("seen")
                        .toString());
            }
        }

        String a = "true:t_a-post/[t_a-note]";
        String b = "true:t_b-post/[t_b-note]";
        assertThat(seen).containsExactly(a, b, a, b, "true:none");
    }

    /**
     * A pool of so many connections: two for the primary, whose migrations hold a lock on one, and one for the
     * standby, so that each read reuses the connection the read before it used.
     */
    private static HikariDataSource pool(String url, int connections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(connections);
        return new HikariDataSource(config);
    }
}
