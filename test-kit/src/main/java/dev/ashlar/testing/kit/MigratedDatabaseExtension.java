package dev.ashlar.testing.kit;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.layout.MigrationLocation;
import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The extension behind {@link AshlarTest}: before the class's first test, applies its migrations to
 * the test class's database (from {@link PostgresExtension}); resolves {@link DataSource} parameters
 * to that database.
 */
public final class MigratedDatabaseExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(MigratedDatabaseExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        migrated(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DataSource.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return migrated(context).dataSource();
    }

    /** The test class's database with its migrations applied, migrating it on first use. */
    public static TestDatabase migrated(ExtensionContext context) {
        TestDatabase database = PostgresExtension.database(context);
        ExtensionContext classContext = context.getTestMethod().isPresent() ? context.getParent().orElse(context) : context;
        Path folder = migrationsOf(context.getRequiredTestClass());
        classContext.getStore(NAMESPACE).getOrComputeIfAbsent(database.name(),
                key -> new Migrator(database.dataSource(), folder).migrate());
        return database;
    }

    /**
     * The folder of migration files: the one named (a folder, or a {@code classpath:} location), or the
     * {@code migrations/} of the project it names (the project folder the Maven plugin's {@code <folder>} and the
     * starter's {@code ashlar.migrate.location} name), rather than a folder without files that applies nothing.
     */
    private static Path migrationsOf(Class<?> testClass) {
        String migrations = AnnotationSupport.findAnnotation(testClass, AshlarTest.class)
                .map(AshlarTest::migrations).orElse("migrations");
        String where = "@AshlarTest(migrations = \"" + migrations + "\") on " + testClass.getName();
        Path folder;
        try {
            folder = MigrationLocation.resolve(migrations, testClass.getClassLoader()).toAbsolutePath();
        } catch (ProjectFileException e) {
            throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
        }
        if (!Files.isDirectory(folder)) {
            throw new ExtensionConfigurationException(where + ": there is no folder " + folder + "; give the folder "
                    + "of your migration files, relative to " + Path.of("").toAbsolutePath());
        }
        Path project = ProjectLayout.of(folder).migrations(Scope.MAIN);
        return !holdsMigrationFiles(folder) && Files.isDirectory(project) ? project : folder;
    }

    private static boolean holdsMigrationFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".sql"));
        } catch (IOException e) {
            throw new ExtensionConfigurationException("Cannot list the migrations folder " + folder + ": "
                    + e.getMessage(), e);
        }
    }
}
