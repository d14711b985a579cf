package dev.ashlar.kernel.layout;

import dev.ashlar.spi.schema.Scope;

import java.nio.file.Path;
import java.util.List;

/**
 * The layout of a project folder, stated once:
 *
 * <pre>
 * migrations/           the main schema's migration files
 * tenant_migrations/    the files every tenant schema gets
 * resource_snapshots/   the resources as of each generation, which the next one diffs against
 * ashlar.properties     the project's settings, e.g. {@code lint.allow = renaming-column} (optional)
 * </pre>
 *
 * @param root            the project folder
 * @param extraMigrations folders of main-schema migration files read besides {@code migrations/}, merged with it by
 *                        version (Flyway's several {@code locations}); code generation writes into
 *                        {@code migrations/} only
 */
public record ProjectLayout(Path root, List<Path> extraMigrations) {
    /** The folder of the main schema's migrations. */
    public static final String MIGRATIONS = "migrations";
    /** The folder of the tenant schemas' migrations. */
    public static final String TENANT_MIGRATIONS = "tenant_migrations";
    /** The folder of the resource snapshots. */
    public static final String SNAPSHOTS = "resource_snapshots";

    /** The file of the project's settings. */
    public static final String SETTINGS = "ashlar.properties";

    public ProjectLayout {
        extraMigrations = List.copyOf(extraMigrations);
    }

    public ProjectLayout(Path root) {
        this(root, List.of());
    }

    public static ProjectLayout of(Path root) {
        return new ProjectLayout(root);
    }

    /** This layout reading these folders of main-schema migrations besides {@code migrations/}. */
    public ProjectLayout withExtraMigrations(List<Path> folders) {
        return new ProjectLayout(root, folders);
    }

    /** The migrations folder of a scope. */
    public Path migrations(Scope scope) {
        return root.resolve(scope == Scope.MAIN ? MIGRATIONS : TENANT_MIGRATIONS);
    }

    /** The project's settings file, which may not exist. */
    public Path settings() {
        return root.resolve(SETTINGS);
    }

    public Path snapshots() {
        return root.resolve(SNAPSHOTS);
    }

    /** Every folder whose file names carry a version. */
    public List<Path> versioned() {
        return List.of(migrations(Scope.MAIN), migrations(Scope.TENANT), snapshots());
    }
}
