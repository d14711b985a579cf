package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

import java.nio.file.Path;
import java.util.List;

/** Refuses a version no migration file has, naming the versions nearest to it so that a typo is seen at once. */
final class MigrationVersions {
    private MigrationVersions() {
    }

    /**
     * {@code version}, when a file has it.
     *
     * @throws MigrationException naming the version and the files nearest to it, before and after
     */
    static String require(Path folder, List<MigrationFile> files, String version) {
        return require(folder, files, version, "Nothing was applied.");
    }

    /** {@link #require(Path, List, String)}, ending its message with {@code nothing}. */
    static String require(Path folder, List<MigrationFile> files, String version, String nothing) {
        requireWritten(version, nothing);
        if (files.stream().anyMatch(f -> f.version().equals(version))) {
            return version;
        }
        throw new MigrationException(ErrorCode.MIGRATION, "No migration has version " + version + " in " + folder
                + ". " + nearest(files, version) + " Give the version of one of its files (ashlar status lists them). "
                + nothing, version);
    }

    /**
     * Refuses an empty version, or one with spaces around it, before it is looked up: an unset variable
     * ({@code --to $TARGET}) or a copied margin would otherwise be reported as a version no file has, next to the
     * very file meant.
     *
     * @param nothing the sentence saying what was left undone ({@code Nothing was applied.})
     */
    static void requireWritten(String version, String nothing) {
        if (version.isBlank()) {
            throw new MigrationException(ErrorCode.MIGRATION, "The version given is empty (an unset variable?): give "
                    + "one of the files' 14-digit versions (ashlar status lists them). " + nothing, null);
        }
        if (!version.equals(version.strip())) {
            throw new MigrationException(ErrorCode.MIGRATION, "The version '" + version + "' has spaces around it: "
                    + "give it alone, " + version.strip() + ". " + nothing, null);
        }
    }

    /** The file versions just before and just after {@code version}, as a sentence. */
    static String nearest(List<MigrationFile> files, String version) {
        if (files.isEmpty()) {
            return "There are no migration files.";
        }
        String before = null;
        String after = null;
        for (MigrationFile file : files) {
            if (file.version().compareTo(version) < 0) {
                before = file.fileName();
            } else if (after == null) {
                after = file.fileName();
            }
        }
        return "The nearest are " + (before == null ? "" : before + " (before it)") + (before != null && after != null
                ? " and " : "") + (after == null ? "" : after + " (after it)") + ".";
    }
}
