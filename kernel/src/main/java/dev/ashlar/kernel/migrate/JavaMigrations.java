package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.spi.schema.Scope;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@link JavaMigration}s of one sequence of migrations, the main schema's or the tenant schemas', as the plan and
 * the history see them: merged into that sequence's files in version order wherever the files are read, so that
 * every run of the sequence (migrate, rollback, status, a tenant created with its record) has them.
 */
public final class JavaMigrations {
    /** None, for a sequence of files alone. */
    public static final JavaMigrations NONE = new JavaMigrations(List.of());

    private final List<MigrationFile> adapted;

    private JavaMigrations(List<MigrationFile> adapted) {
        this.adapted = List.copyOf(adapted);
    }

    /**
     * These migrations, for the sequence of {@code scope}.
     *
     * @throws MigrationException for a null migration, one of the other scope or with no scope, or one whose version
     *                            or name is malformed
     */
    public static JavaMigrations of(Scope scope, List<JavaMigration> migrations) {
        List<MigrationFile> adapted = new ArrayList<>();
        for (JavaMigration migration : migrations) {
            if (migration == null) {
                throw new MigrationException(ErrorCode.MIGRATION, "The Java migrations of " + where(scope) + " hold "
                        + "null: give JavaMigration instances, or none. Nothing was run.", null);
            }
            if (scopeOf(migration) != scope) {
                throw new MigrationException(ErrorCode.MIGRATION, "Java migration " + migration.getClass().getName()
                        + " is for " + where(migration.scope()) + ", and was given to the migrations of "
                        + where(scope) + ": give it where " + where(migration.scope()) + " are migrated, or "
                        + "register it with Project.javaMigrations(...), which hands each migration to the runs of "
                        + "its scope(). Nothing was run.", migration.getClass().getName());
            }
            adapted.add(MigrationFile.of(migration));
        }
        return new JavaMigrations(adapted);
    }

    /**
     * The scope a migration says it belongs to.
     *
     * @throws MigrationException when its {@link JavaMigration#scope()} returns null
     */
    public static Scope scopeOf(JavaMigration migration) {
        if (migration.scope() == null) {
            throw new MigrationException(ErrorCode.MIGRATION, "Java migration " + migration.getClass().getName()
                    + " returns null from scope(): return Scope.MAIN for the main schema's migrations or Scope.TENANT "
                    + "for those of every tenant schema. Nothing was run.", migration.getClass().getName());
        }
        return migration.scope();
    }

    private static String where(Scope scope) {
        return (scope == Scope.TENANT ? "the tenant schemas" : "the main schema") + " (scope() " + scope + ")";
    }

    /**
     * The folder's files and these migrations, in version order (repeatable files last).
     *
     * @throws MigrationException when a Java migration has the version of a file or of another Java migration
     */
    public List<MigrationFile> with(Path folder, List<MigrationFile> files) {
        if (adapted.isEmpty()) {
            return files;
        }
        List<MigrationFile> all = new ArrayList<>(files);
        for (MigrationFile migration : adapted) {
            MigrationFile other = all.stream().filter(f -> f.version().equals(migration.version())).findFirst()
                    .orElse(null);
            if (other != null) {
                throw new MigrationException(ErrorCode.MIGRATION, "Java migration " + migration.fileName()
                        + " and " + (other.java() == null ? "the file " + other.fileName() + " in " + other.path().getParent()
                        : "Java migration " + other.fileName()) + " share version " + migration.version()
                        + ", which must name one migration. Give the one not applied anywhere yet a later version. "
                        + "Nothing was run.", migration.fileName());
            }
            all.add(migration);
        }
        all.sort(Comparator.comparing(MigrationFile::version));
        return List.copyOf(all);
    }
}
