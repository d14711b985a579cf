package dev.ashlar.spring.boot;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.layout.MigrationLocation;
import dev.ashlar.kernel.project.Project;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The folder {@code ashlar.migrate.location} names. It must exist: a folder that is not there would otherwise read as
 * a project without migrations, and the application would start on a schema never migrated. With
 * {@code ashlar.migrate.fail-on-missing-location=false} (Flyway's {@code failOnMissingLocations} turned the other
 * way), or with {@code ashlar.migrate.enabled=false}, a missing one is logged and the start-up migrates nothing.
 */
final class AshlarLocation {
    private static final Logger LOG = LoggerFactory.getLogger(AshlarLocation.class);
    private static final String FIX = ": set ashlar.migrate.location to the project holding migrations/ (and "
            + "tenant_migrations/), classpath:db/ashlar by default, i.e. src/main/resources/db/ashlar, or set "
            + "ashlar.migrate.fail-on-missing-location=false to start without migrating";

    private AshlarLocation() {
    }

    /**
     * The folder, or empty when it is missing and may be.
     *
     * @throws ProjectFileException naming the property, when it is missing and must not be
     */
    static Optional<Path> find(String location, ClassLoader classLoader, boolean failOnMissing) {
        ProjectFileException missing;
        try {
            Path folder = MigrationLocation.resolve(location, classLoader);
            if (Files.isDirectory(folder)) {
                return Optional.of(folder);
            }
            missing = ProjectFileException.of(location, "The migrations location " + location + " ("
                    + folder.toAbsolutePath() + ") is no folder" + FIX);
        } catch (ProjectFileException e) {
            missing = ProjectFileException.of(location, "ashlar.migrate.location: " + e.getMessage() + FIX, e);
        }
        if (failOnMissing) {
            throw missing;
        }
        LOG.warn("{}; the application starts without migrating", missing.getMessage());
        return Optional.empty();
    }

    /**
     * The project reading the folders {@code ashlar.migrate.extra-locations} names besides its own migrations/.
     *
     * @throws ProjectFileException naming the property, when one is not there
     */
    static Project extra(Project project, List<String> locations, ClassLoader classLoader) {
        try {
            return project.extraMigrationLocations(locations, classLoader);
        } catch (ProjectFileException e) {
            throw ProjectFileException.of(e.file().orElse(String.join(", ", locations)), "ashlar.migrate.extra-locations: " + e.getMessage()
                    + ". Each extra location is a folder of main-schema migration files itself (not a project with "
                    + "migrations/ inside); remove it from the list, or create it", e);
        }
    }
}
