package dev.ashlar.spring.boot;

import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.tenant.TenantStatus;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code ashlar} Actuator endpoint: the main schema's migrations (applied, pending, changed since
 * applied) and the tenant schemas, as counts and the names of those behind (the first
 * {@value #LISTED_TENANTS}), so that it stays small with thousands of tenants.
 */
@Endpoint(id = "ashlar")
public class AshlarEndpoint {
    static final int LISTED_TENANTS = 100;

    private final AshlarMigrations migrations;

    AshlarEndpoint(AshlarMigrations migrations) {
        this.migrations = migrations;
    }

    /** The migrations of the main schema and of the tenant schemas. */
    @ReadOperation
    public Report migrations() {
        Map<String, String> tags = migrations.project().tags();
        List<Migration> main = migrations.status().stream().map(status -> Migration.of(status, tags)).toList();
        TenantStatus tenants = migrations.tenantStatus();
        return new Report(count(main, MigrationStatus.State.APPLIED), count(main, MigrationStatus.State.PENDING)
                + count(main, MigrationStatus.State.OUTDATED),
                count(main, MigrationStatus.State.CHANGED), main, new Tenants(tenants.tenants(),
                tenants.pending().size(), tenants.pending().stream().limit(LISTED_TENANTS).toList(),
                tenants.strays()));
    }

    private static long count(List<Migration> main, MigrationStatus.State state) {
        return main.stream().filter(m -> m.state().equals(state.name().toLowerCase(java.util.Locale.ROOT))).count();
    }

    /** The endpoint's answer. */
    public record Report(long applied, long pending, long changed, List<Migration> migrations, Tenants tenants) {
    }

    /**
     * One main-schema migration; {@code appliedAt} in ISO-8601, null while pending; {@code tags} those that mark it
     * ({@code ashlar tag}), as Liquibase's endpoint shows each changeset's tag.
     */
    public record Migration(String version, String name, String state, String appliedAt, List<String> tags) {
        static Migration of(MigrationStatus status, Map<String, String> tags) {
            Instant applied = status.appliedAt();
            return new Migration(status.version(), status.name(),
                    status.state().name().toLowerCase(java.util.Locale.ROOT), applied == null ? null : applied.toString(),
                    History.marking(tags, status.version()));
        }
    }

    /**
     * The tenant schemas: how many, how many have pending migrations and the first of those, and schemas
     * with a migration history that no tenant lists (strays).
     */
    public record Tenants(long total, long pending, List<String> behind, List<String> strays) {
    }
}
