package dev.ashlar.spring.boot;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.tenant.TenantReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

import java.util.List;

/**
 * Applies the pending migrations when the application starts, before any bean that uses the database
 * (as Spring Boot orders Flyway's): the main schema, then every tenant schema when
 * {@code ashlar.migrate.tenants=true}; or what the application's {@link AshlarMigrationStrategy} bean does instead. A
 * failure stops the start-up with the migrator's message.
 */
public final class AshlarMigrationInitializer implements InitializingBean {
    private static final Logger LOG = LoggerFactory.getLogger(AshlarMigrationInitializer.class);

    private final AshlarMigrations migrations;
    private final boolean tenants;
    private final AshlarMigrationStrategy strategy;

    private final boolean validateOnly;

    /**
     * @param validateOnly whether to check the schemas and apply nothing ({@code ashlar.migrate.validate-only})
     * @param strategy     the application's own start-up strategy, or null to apply the pending migrations
     */
    AshlarMigrationInitializer(AshlarMigrations migrations, boolean tenants, boolean validateOnly,
                               AshlarMigrationStrategy strategy) {
        this.migrations = migrations;
        this.tenants = tenants;
        this.validateOnly = validateOnly;
        this.strategy = strategy;
    }

    @Override
    public void afterPropertiesSet() {
        if (strategy != null) {
            strategy.migrate(migrations);
            return;
        }
        if (!migrations.located()) {
            return;    // ashlar.migrate.fail-on-missing-location=false, and the location was missing: logged already
        }
        if (validateOnly) {
            validate();
            return;
        }
        List<MigrationFile> applied = migrations.migrate();
        try {
            LOG.info("Ashlar applied {} migration(s) to the main schema. {}", applied.size(),
                    migrations.reported(applied).left("ashlar status"));
        } catch (AshlarException e) {
            // The migrate succeeded: a history that cannot be read again just after it is worth a warning, not a
            // failed start-up (as AshlarPendingMigrationsWarning treats the same read).
            LOG.warn("Ashlar applied {} migration(s) to the main schema, but could not read its history after to say "
                    + "what stays pending ('ashlar status' lists it): {}", applied.size(), e.getMessage());
        }
        if (tenants) {
            requireTenants();
            TenantReport report = succeeded(migrations.migrateTenants(), "could not migrate %d tenant schema(s)");
            LOG.info("Ashlar migrated {} tenant schema(s), {} up to date, in {}", report.migrated(),
                    report.upToDate(), report.elapsed());
        }
    }

    /** Checks the main schema, then with tenants every tenant schema, applying nothing. */
    private void validate() {
        int checked = migrations.validate().size();
        LOG.info("Ashlar checked the {} migration(s) of the main schema and applied nothing (validate-only)", checked);
        if (tenants) {
            requireTenants();
            succeeded(migrations.validateTenants(), "found %d tenant schema(s) whose history disagrees with "
                    + "tenant_migrations/");
            List<String> behind = migrations.pendingFails() ? migrations.tenantStatus().pending() : List.of();
            if (!behind.isEmpty()) {
                throw new AshlarException(ErrorCode.MIGRATION, "ashlar.migrate.validate-only=true, and "
                        + behind.size() + " tenant schema(s) have pending migrations, first " + behind.get(0)
                        + ". Apply them before the application starts (ashlar migrate --tenants), or set "
                        + "ashlar.migrate.validate-only=false.");
            }
        }
    }

    /** The report, when every schema succeeded; else stops the start-up naming the first that failed. */
    private static TenantReport succeeded(TenantReport report, String failed) {
        if (!report.succeeded()) {
            TenantReport.Failure first = report.failures().get(0);
            throw new AshlarException(ErrorCode.MIGRATION, "Ashlar " + failed.formatted(report.failed()) + "; "
                    + first.schema() + ": " + first.message());
        }
        return report;
    }

    private void requireTenants() {
        if (!migrations.hasTenants()) {
            throw new AshlarException(ErrorCode.INVALID_DEFINITION, "ashlar.migrate.tenants=true, but the "
                    + "domain has no tenant list: add ashlar-tenancy with a resource that manages tenant schemas "
                    + "(ManageTenant), or set ashlar.migrate.tenants=false");
        }
    }
}
