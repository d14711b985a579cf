package dev.ashlar.kernel.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.SchemaObject.ServerRequirement;

import java.util.List;

/**
 * Refuses, at codegen, features that the oldest server a domain must run on
 * ({@code Domain.Builder#minimumPostgresVersion}) cannot run, rather than writing a migration that fails there.
 */
public final class MinimumVersion {
    private MinimumVersion() {
    }

    /** Checks every object of the desired schema that needs a newer server than some. */
    public static void check(Domain domain, DesiredSchema desired) {
        for (Table table : desired.tables()) {
            for (SchemaObject object : table.objects()) {
                if (object.requires() != null) {
                    refuse(domain, table.resource(), object.name(), object.requires());
                }
            }
        }
    }

    /**
     * @param resource the resource using the feature
     * @param field    the attribute, identity or object using it, or {@code null}
     * @throws DefinitionException when the domain's minimum version is older than the feature needs
     */
    public static void refuse(Domain domain, String resource, String field, ServerRequirement requirement) {
        domain.minimumPostgresVersion().filter(minimum -> minimum < requirement.majorVersion()).ifPresent(minimum -> {
            throw new DefinitionException(domain.name(), List.of(new Problem(resource,
                    field, "uses " + requirement.feature() + ", which needs PostgreSQL " + requirement.majorVersion()
                    + ", but the domain must run on PostgreSQL " + minimum + " (minimumPostgresVersion); remove the "
                    + "feature or raise minimumPostgresVersion to " + requirement.majorVersion())));
        });
    }
}
