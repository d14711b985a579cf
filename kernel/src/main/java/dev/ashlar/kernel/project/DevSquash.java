package dev.ashlar.kernel.project;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.tenant.TenantMigrator;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.spi.schema.Scope;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Squashing development migrations: roll each back wherever it was applied (every tenant schema
 * first, with the tenant migrator, then the main schema), then delete the files and their
 * snapshots. What they renamed is kept as rename hints, so the squashed migration renames instead
 * of dropping and adding.
 */
public final class DevSquash {
    private final Project project;
    private final Codegen codegen;

    DevSquash(Project project, Codegen codegen) {
        this.project = project;
        this.codegen = codegen;
    }

    /**
     * What a squash removed.
     *
     * @param versions the development migrations' versions; the squashed file gets a later one
     * @param renames  the renames they made, as hints ({@code posts.title=headline})
     * @param tenants  how many tenant schemas were rolled back
     */
    public record Squashed(List<String> versions, List<String> renames, long tenants) {
        public Squashed {
            versions = List.copyOf(versions);
            renames = List.copyOf(renames);
        }
    }

    Squashed squash() {
        List<MigrationFile> dev = codegen.devFiles();
        if (dev.isEmpty()) {
            return new Squashed(List.of(), List.of(), 0);
        }
        List<String> renames = codegen.devRenames();
        long tenants = rollbackTenants(versions(dev, Scope.TENANT));
        project.migrator().rollbackVersions(Set.copyOf(versions(dev, Scope.MAIN)));
        return new Squashed(codegen.discardDev(), renames, tenants);
    }

    private long rollbackTenants(List<String> versions) {
        if (versions.isEmpty()) {
            return 0;
        }
        TenantMigrator migrator = project.tenantMigrator(TenantSelection.all());
        Set<String> schemas = new LinkedHashSet<>(project.tenants().listed().orElse(List.of()));
        schemas.addAll(migrator.schemasWith(versions));
        TenantReport report = migrator.rollbackVersions(schemas.iterator(), schemas.size(), Set.copyOf(versions));
        if (!report.succeeded()) {
            throw new AshlarException(ErrorCode.MIGRATION, "Could not roll back the development migrations in "
                    + report.failed() + " tenant schema(s), so they were kept: " + report.failures().stream()
                    .map(f -> f.schema() + ": " + f.message()).toList() + ". Fix these schemas, then squash again.");
        }
        return report.migrated();
    }

    private List<String> versions(List<MigrationFile> files, Scope scope) {
        return files.stream().filter(f -> f.path().getParent().equals(project.layout().migrations(scope)))
                .map(MigrationFile::version).toList();
    }
}
