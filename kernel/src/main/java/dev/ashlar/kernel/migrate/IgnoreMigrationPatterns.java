package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.MigrationStatus.State;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which migration states a {@code validate} lets pass, as Flyway's {@code ignoreMigrationPatterns}: a comma-separated
 * list of {@code TYPE:STATE}, the type {@code versioned}, {@code repeatable} or {@code *}, the state
 * {@code missing} (applied, its file gone), {@code pending} (not applied yet; an outdated repeatable file too),
 * {@code ignored} (pending and older than the newest applied version: a file merged late, Flyway's word),
 * {@code future} (applied by a newer release) or {@code *}. A changed or renamed file is never ignored: {@code ashlar repair} records what was meant.
 *
 * <pre>{@code
 * project.validate(IgnoreMigrationPatterns.parse("*:future"));             // Flyway's default: pending files fail
 * project.validate(IgnoreMigrationPatterns.parse("*:missing,*:future"));   // files deleted on purpose pass
 * }</pre>
 *
 * @param patterns each {@code TYPE:STATE}, lower case, as given
 */
public record IgnoreMigrationPatterns(List<String> patterns) {
    private static final Set<String> TYPES = Set.of("*", "versioned", "repeatable");
    private static final Set<String> STATES = Set.of("*", "missing", "pending", "ignored", "future");

    /**
     * What {@code ashlar validate} lets pass without the option: pending files, late ones too, and those of a newer
     * release; a missing file fails.
     */
    public static final IgnoreMigrationPatterns DEFAULT = parse("*:pending,*:ignored,*:future");

    public IgnoreMigrationPatterns {
        patterns = List.copyOf(patterns);
    }

    /**
     * Reads {@code *:missing,versioned:future}; blank for none, so that every pending, late, missing or future
     * migration fails.
     *
     * @throws MigrationException naming a pattern whose type or state is not one of the known ones, and those
     */
    public static IgnoreMigrationPatterns parse(String list) {
        List<String> patterns = new ArrayList<>();
        for (String given : list == null ? new String[0] : list.split(",")) {
            String pattern = given.strip().toLowerCase(Locale.ROOT);
            if (pattern.isEmpty()) {
                continue;
            }
            int colon = pattern.indexOf(':');
            if (colon < 0 || !TYPES.contains(pattern.substring(0, colon).strip())
                    || !STATES.contains(pattern.substring(colon + 1).strip())) {
                throw new MigrationException(ErrorCode.MIGRATION, "'" + given.strip() + "' is no migration pattern: "
                        + "write TYPE:STATE, TYPE one of versioned, repeatable or *, STATE one of missing, pending, "
                        + "ignored (pending and older than the newest applied version), future or *; e.g. "
                        + "*:missing,*:future. A changed file is never ignored: 'ashlar repair' records it.", null);
            }
            patterns.add(pattern.substring(0, colon).strip() + ":" + pattern.substring(colon + 1).strip());
        }
        return new IgnoreMigrationPatterns(patterns);
    }

    /**
     * The migrations among {@code statuses} that these patterns do not let pass: missing, pending, late or future ones
     * that no pattern names, in the order given.
     */
    public List<MigrationStatus> failing(List<MigrationStatus> statuses) {
        Set<String> late = new HashSet<>();
        MigrationStatus.outOfOrder(statuses).forEach(s -> late.add(s.version()));
        List<MigrationStatus> failing = new ArrayList<>();
        for (MigrationStatus status : statuses) {
            String state = state(status, late.contains(status.version()));
            if (state != null && !ignores(MigrationFile.repeatable(status.version()) ? "repeatable" : "versioned",
                    state)) {
                failing.add(status);
            }
        }
        return failing;
    }

    /** Whether a migration in {@code state} (a word of the patterns) passes: a missing one fails unless ignored. */
    public boolean ignores(String type, String state) {
        return patterns.contains("*:*") || patterns.contains("*:" + state) || patterns.contains(type + ":*")
                || patterns.contains(type + ":" + state);
    }

    /** The patterns' word for a status, or null for a state they never let pass or never stop (applied, changed). */
    static String state(MigrationStatus status, boolean late) {
        return switch (status.state()) {
            case MISSING -> "missing";
            case FUTURE -> "future";
            case PENDING -> late ? "ignored" : "pending";
            case OUTDATED, PARTIAL -> "pending";
            default -> null;
        };
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
