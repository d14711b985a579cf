package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

import java.nio.file.Path;
import java.util.List;

/** Refuses a version no migration file has, naming the versions nearest to it so that a typo is seen at once. */
public final class MigrationVersions {
    /** A baseline version before every file's: a baseline on migrate at it records none and runs them all. */
    static final String BEFORE_EVERY_FILE = "00000000000000";

    private MigrationVersions() {
    }

    /**
     * {@code version} as the bound of a baseline: as Flyway's {@code baselineVersion}, any version, a file's or one
     * between two files (the files before it are what the database has), as long as it is written as a file's version
     * is, 14 digits.
     *
     * @throws MigrationException naming the version and the files nearest to it when it is not 14 digits
     */
    static String baselineBound(Path folder, List<MigrationFile> files, String version, String nothing) {
        requireWritten(version, nothing);
        if (version.matches("\\d{14}")) {
            return version;
        }
        throw new MigrationException(ErrorCode.MIGRATION, "Cannot baseline to " + version + ": a version is 14 digits, "
                + "as the files of " + folder + " are named (20260101120000). " + nearest(files, version) + " "
                + nothing, version);
    }

    /**
     * Refuses the bound of an {@code ashlar baseline} that is not 14 digits ({@link #baselineBound}) or is before every
     * versioned file: that baseline would record nothing, and the schema stay one without history (Flyway writes a
     * baseline row of its own there; Ashlar's history holds migrations only).
     *
     * @param where the schema, or the tenant schemas, named by the refusal
     */
    public static void baselineTo(Path folder, List<MigrationFile> files, String upTo, String where) {
        List<MigrationFile> versioned = files.stream().filter(f -> !f.repeatable()).toList();
        baselineBound(folder, versioned, upTo, "Nothing was recorded.");
        if (versioned.stream().noneMatch(f -> f.version().compareTo(upTo) <= 0)) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot baseline " + where + " to " + upTo + ": no "
                    + "migration of " + folder + " is at or before it, so there is nothing to record. "
                    + nearest(versioned, upTo) + " Give the version of the newest file the database already has; to "
                    + "run every file on a schema that holds objects, migrate with --baseline-on-migrate="
                    + BEFORE_EVERY_FILE + ". Nothing was recorded.", upTo);
        }
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
