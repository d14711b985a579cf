package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which pending files one migrate run applies, and what it does first with a schema nobody migrated with Ashlar yet:
 * every pending file ({@link #all()}), those up to a version ({@code migrate --to}), or the next few in version order
 * ({@code migrate --steps}, Liquibase's {@code update-count}); and, when asked, a schema that holds tables but no
 * migration history is baselined before the run ({@code --baseline-on-migrate}, Flyway's {@code baselineOnMigrate}).
 * A pending file older than the newest applied one (a branch merged late) is applied in version order with the rest,
 * unless the run refuses it ({@code --no-out-of-order}, Flyway's default {@code outOfOrder=false}). A run may apply
 * only some versions ({@code --cherry-pick}, Flyway's {@code cherryPick}), and all its files in one transaction
 * ({@code --group}, Flyway's {@code group}).
 *
 * <pre>{@code
 * project.migrate(MigrateRun.all().steps(2));
 * project.migrate(MigrateRun.all().baselineOnMigrate("20260101000000"));
 * project.migrate(MigrateRun.all().outOfOrder(false));
 * project.migrate(MigrateRun.all().cherryPick(List.of("20260102000000")).group(true));
 * }</pre>
 *
 * @param upTo               the last version to apply, or null (or {@code latest}, as Flyway's target) for no such
 *                           bound, {@link #CURRENT} for the newest one the history holds, or {@link #NEXT} for the
 *                           oldest pending one
 * @param steps              how many pending files to apply, or 0 for no such bound
 * @param baselineOnMigrate  whether a schema with tables but no history is baselined first
 * @param baselineVersion    the last file such a baseline records, or null for the oldest file (see
 *                           {@link #baselineVersion(Path, List)})
 * @param outOfOrder         whether a pending file older than the newest applied one is applied (true) or refused
 * @param contexts           the contexts that choose among the files with a {@code -- context:} header
 * @param labels             the expression that chooses among the files with a {@code -- labels:} header, or null
 * @param group              whether the pending files run in one transaction, all or none ({@link #group(boolean)})
 * @param cherryPick         the only versions to apply, or empty for no such choice ({@link #cherryPick(Collection)})
 * @param validateOnMigrate  whether the applied files' checksums are checked first ({@link #validateOnMigrate(boolean)})
 * @param skipDefaultCallbacks whether the folder's callback files are left out ({@link #skipDefaultCallbacks(boolean)})
 * @param skipExecutingMigrations whether the chosen files are recorded without running
 *                           ({@link #skipExecutingMigrations(boolean)})
 * @param toTag              the tag of the last file to apply ({@link #upToTag(String)}), or null
 * @param minVersion         the oldest version the history may end at for the run to go on
 *                           ({@link #minVersion(String)}), or null
 * @param refuseNonEmptySchema whether a schema holding objects but no history is refused
 *                           ({@link #refuseNonEmptySchema(boolean)})
 */
public record MigrateRun(String upTo, int steps, boolean baselineOnMigrate, String baselineVersion,
                         boolean outOfOrder, Set<String> contexts, String labels, boolean group,
                         List<String> cherryPick, boolean validateOnMigrate,
                         boolean skipDefaultCallbacks, boolean skipExecutingMigrations, String toTag,
                         String minVersion, boolean refuseNonEmptySchema) {
    /** Flyway's target {@code current}: the newest version the schema's history holds, resolved under the lock. */
    public static final String CURRENT = "current";
    /** Flyway's target {@code next}: the oldest pending version, resolved under the lock. */
    public static final String NEXT = "next";

    private static final MigrateRun ALL = new MigrateRun(null, 0, false, null, true, Set.of(), null, false,
            List.of(), true, false, false, null, null, false);

    public MigrateRun {
        contexts = contexts == null ? Set.of() : Set.copyOf(contexts);
        cherryPick = cherryPick == null ? List.of() : List.copyOf(cherryPick);
        // Flyway's target "latest", its default, names no bound: a configuration carried over means the same here.
        upTo = upTo != null && upTo.strip().equalsIgnoreCase("latest") ? null : upTo;
        upTo = upTo != null && upTo.strip().equalsIgnoreCase(CURRENT) ? CURRENT : upTo;
        upTo = upTo != null && upTo.strip().equalsIgnoreCase(NEXT) ? NEXT : upTo;
        if (steps < 0) {
            throw badSteps(steps);
        }
        if (group && skipExecutingMigrations) {
            throw new MigrationException(ErrorCode.MIGRATION, "Give either group or skip executing migrations, not "
                    + "both: a run that skips executing its files runs none in a transaction. Nothing was applied.",
                    null);
        }
        if (!cherryPick.isEmpty() && (steps > 0 || upTo != null)) {
            throw new MigrationException(ErrorCode.MIGRATION, "Give either the versions to cherry-pick (" + String.join(
                    ",", cherryPick) + ") or " + (steps > 0 ? "a number of steps (" + steps + ")" : "a version to "
                    + "migrate to (" + upTo + ")") + ", not both. Nothing was applied.", upTo);
        }
        if (steps > 0 && upTo != null) {
            throw new MigrationException(ErrorCode.MIGRATION, "Give either a number of steps (" + steps + ") or a "
                    + "version to migrate to (" + upTo + "), not both. Nothing was applied.", upTo);
        }
        if (toTag != null && (upTo != null || steps > 0 || !cherryPick.isEmpty())) {
            throw new MigrationException(ErrorCode.MIGRATION, "Give either a tag to migrate to (" + toTag + ") or "
                    + (upTo != null ? "a version (" + upTo + ")" : steps > 0 ? "a number of steps (" + steps + ")"
                    : "versions to cherry-pick") + ", not both. Nothing was applied.", toTag);
        }
    }

    /** Every pending file, late ones too, and no baseline. */
    public static MigrateRun all() {
        return ALL;
    }

    /**
     * The pending files up to this version (every one when null or {@code latest}); the later ones stay pending. With
     * {@code current} (Flyway's target), up to the newest version the schema's history holds: a file merged late and
     * the repeatable ones run, no newer version does. With {@code next} (Flyway's target), up to the oldest pending
     * version: that file alone, and the repeatable ones.
     */
    public MigrateRun upTo(String version) {
        return new MigrateRun(version, steps, baselineOnMigrate, baselineVersion, outOfOrder, contexts, labels,
                group, cherryPick, validateOnMigrate, skipDefaultCallbacks, skipExecutingMigrations, toTag, minVersion, refuseNonEmptySchema);
    }

    /**
     * The pending files up to the one whose {@code -- tag: NAME} header names {@code tag}, that one included
     * (Liquibase's {@code update-to-tag}, {@code migrate --to-tag}); applying it records the tag on its history row, so
     * that {@code rollback --to-tag} comes back to it. The later files stay pending.
     *
     * @throws MigrationException for a tag that is blank, holds a control character or spaces around it
     */
    public MigrateRun upToTag(String tag) {
        if (tag == null || tag.isBlank()) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot migrate to a tag: the tag given is empty (an "
                    + "unset variable?). Give the name in a file's '-- tag:' header, such as --to-tag release-1. "
                    + "Nothing was applied.", null);
        }
        Migrator.requireTagName(tag, "a migrate run's bound");
        return new MigrateRun(upTo, steps, baselineOnMigrate, baselineVersion, outOfOrder, contexts, labels,
                group, cherryPick, validateOnMigrate, skipDefaultCallbacks, skipExecutingMigrations, tag, minVersion, refuseNonEmptySchema);
    }

    /**
     * The version of the file whose {@code -- tag:} header names this run's tag, as the bound the run applies up to;
     * {@link #upTo()} when the run has no tag.
     *
     * @throws MigrationException when no versioned file carries the tag, naming the tags the files carry
     */
    String version(Path folder, List<MigrationFile> files) {
        if (toTag == null) {
            return upTo;
        }
        List<String> tags = files.stream().map(f -> f.filters().tag()).filter(Objects::nonNull).toList();
        return files.stream().filter(f -> toTag.equals(f.filters().tag())).findFirst().map(MigrationFile::version)
                .orElseThrow(() -> new MigrationException(ErrorCode.MIGRATION, "No migration in " + folder + " has "
                        + "the header '-- tag: " + toTag + "' to migrate to. " + (tags.isEmpty() ? "No file has a "
                        + "'-- tag:' header: add one to the last file of the release" : "The tags the files carry: "
                        + String.join(", ", tags)) + " ('ashlar tag' marks applied migrations, which no run applies "
                        + "again: roll back to such a tag with 'rollback --to-tag'). Nothing was applied.", toTag));
    }

    /**
     * The next {@code count} pending files, oldest first; the later ones stay pending.
     *
     * @throws MigrationException when {@code count} is below 1, or a version is given too
     */
    public MigrateRun steps(int count) {
        if (count < 1) {
            throw badSteps(count);
        }
        return new MigrateRun(upTo, count, baselineOnMigrate, baselineVersion, outOfOrder, contexts, labels,
                group, cherryPick, validateOnMigrate, skipDefaultCallbacks, skipExecutingMigrations, toTag, minVersion, refuseNonEmptySchema);
    }

    /**
     * Before the run, when the schema holds objects (tables, views, sequences, types, functions) but no migration
     * history, records the files up to {@code version} as baselined without running them, as {@code ashlar baseline
     * --to} does; null for the oldest file. An empty schema, or one with a history, migrates as usual.
     */
    public MigrateRun baselineOnMigrate(String version) {
        return new MigrateRun(upTo, steps, true, version, outOfOrder, contexts, labels,
                group, cherryPick, validateOnMigrate, skipDefaultCallbacks, skipExecutingMigrations, toTag, minVersion, refuseNonEmptySchema);
    }

    /**
     * Whether a pending file older than the newest applied one is applied, in version order with the rest (true, the
     * default, as dbmate and Ecto do), or refuses the run before anything is applied (false, as Flyway's default
     * {@code outOfOrder=false}), so that every database applies the files in one order.
     */
    public MigrateRun outOfOrder(boolean allowed) {
        return new MigrateRun(upTo, steps, baselineOnMigrate, baselineVersion, allowed, contexts, labels,
                group, cherryPick, validateOnMigrate, skipDefaultCallbacks, skipExecutingMigrations, toTag, minVersion, refuseNonEmptySchema);
    }

    /**
     * Applies, of the files with a {@code -- context:} header, those whose expression these contexts satisfy, as
     * Liquibase's {@code --contexts}; files without one are applied by every run. None (the default) applies every
     * file whatever its context. Names are compared without case.
     */
    public MigrateRun contexts(Collection<String> names) {
        Set<String> lower = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || !name.strip().matches("[A-Za-z0-9_.-]+")) {
                throw new MigrationException(ErrorCode.MIGRATION, "The context '" + name + "' is no name: give "
                        + "letters, digits, '_', '.' and '-', several separated by commas (test,dev). Nothing was "
                        + "applied.", null);
            }
            lower.add(name.strip().toLowerCase(Locale.ROOT));
        }
        return new MigrateRun(upTo, steps, baselineOnMigrate, baselineVersion, outOfOrder, lower, labels,
                group, cherryPick, validateOnMigrate, skipDefaultCallbacks, skipExecutingMigrations, toTag, minVersion, refuseNonEmptySchema);
    }

    /**
     * Applies, of the files with a {@code -- labels:} header, those whose labels satisfy this expression
     * ({@code billing and !eu}), as Liquibase's {@code --label-filter}; files without labels are applied by every
     * run. Null (the default) applies every file whatever its labels.
     *
     * @throws MigrationException for a malformed expression
     */
    public MigrateRun labels(String expression) {
        if (expression != null) {
            FilterExpression.check(expression, "The label expression");
        }
        return new MigrateRun(upTo, steps, baselineOnMigrate, baselineVersion, outOfOrder, contexts, expression,
                group, cherryPick, validateOnMigrate, skipDefaultCallbacks, skipExecutingMigrations, toTag, minVersion, refuseNonEmptySchema);
    }

    /**
     * Applies, of the pending files, only those of these versions (Flyway's {@code cherryPick}), in version order
     * whatever the order given; the others stay pending. A version already applied is left as it is, and a version no
     * file has refuses the run before anything is applied, naming the versions there are. A repeatable file's version
     * is its history key ({@code R__views}).
     *
     * @throws MigrationException for no version, an empty one or one with spaces around it
     */
    public MigrateRun cherryPick(Collection<String> versions) {
        if (versions.isEmpty()) {
            throw new MigrationException(ErrorCode.MIGRATION, "No version to cherry-pick: give one or more of the "
                    + "files' versions, separated by commas (ashlar status lists them). Nothing was applied.", null);
        }
        versions.forEach(v -> MigrationVersions.requireWritten(v == null ? "" : v, "Nothing was applied."));
        return new MigrateRun(upTo, steps, baselineOnMigrate, baselineVersion, outOfOrder, contexts, labels, group,
                List.copyOf(new LinkedHashSet<>(versions)), validateOnMigrate, skipDefaultCallbacks,
                skipExecutingMigrations, toTag, minVersion, refuseNonEmptySchema);
    }

    /**
     * Whether the run applies its pending files in one transaction (Flyway's {@code group}): all of them, with their
     * history rows, or, when one fails, none. A pending {@code transaction:false} file refuses such a run before
     * anything is applied.
     */
    public MigrateRun group(boolean grouped) {
        return new MigrateRun(upTo, steps, baselineOnMigrate, baselineVersion, outOfOrder, contexts, labels, grouped,
                cherryPick, validateOnMigrate, skipDefaultCallbacks, skipExecutingMigrations, toTag, minVersion, refuseNonEmptySchema);
    }

    /**
     * Whether the run first checks that no applied file changed since it was applied (Flyway's {@code validateOnMigrate},
     * the default). With {@code false} ({@code migrate --no-validate}) a changed applied file is not looked for and the
     * run says so in a warning; a missing one still stops it.
     */
    public MigrateRun validateOnMigrate(boolean validate) {
        return new MigrateRun(upTo, steps, baselineOnMigrate, baselineVersion, outOfOrder, contexts, labels, group,
                cherryPick, validate, skipDefaultCallbacks, skipExecutingMigrations, toTag, minVersion, refuseNonEmptySchema);
    }

    /**
     * Whether the run leaves out the callback files of the migrations folder ({@code beforeMigrate.sql},
     * {@code afterMigrate.sql}, ...; Flyway's {@code skipDefaultCallbacks}, {@code migrate --skip-default-callbacks}):
     * the listeners added to the project ({@code MigrationListener}) are still told.
     */
    public MigrateRun skipDefaultCallbacks(boolean skip) {
        return new MigrateRun(upTo, steps, baselineOnMigrate, baselineVersion, outOfOrder, contexts, labels, group,
                cherryPick, validateOnMigrate, skip, skipExecutingMigrations, toTag, minVersion, refuseNonEmptySchema);
    }

    /**
     * Whether the run records the pending files it chooses as applied without running them (Flyway's
     * {@code skipExecutingMigrations}, {@code migrate --skip-executing-migrations}): for files applied by hand. They are
     * {@code baselined} in the history; a repeatable file is not recorded and runs at the next migrate.
     *
     * @throws MigrationException with {@link #group(boolean)}, which would run nothing in its transaction
     */
    public MigrateRun skipExecutingMigrations(boolean skip) {
        return new MigrateRun(upTo, steps, baselineOnMigrate, baselineVersion, outOfOrder, contexts, labels, group,
                cherryPick, validateOnMigrate, skipDefaultCallbacks, skip, toTag, minVersion, refuseNonEmptySchema);
    }

    /**
     * Refuses to migrate a schema whose history ends before {@code version} (Ebean's {@code minVersion}): after old
     * files were squashed away, a database that missed them must first be brought to {@code version} by the release
     * that still has them. A schema with no versioned history (a new database) is migrated as usual; so is one whose
     * newest applied version is {@code version} or later. The check runs under the migration lock, before any file;
     * a dry run of the run refuses the same.
     *
     * @param version a 14-digit version; it need not be one of the folder's files (a squash removed it)
     * @throws MigrationException for a version that is not 14 digits
     */
    public MigrateRun minVersion(String version) {
        if (version == null || !version.matches("\\d{14}")) {
            throw new MigrationException(ErrorCode.MIGRATION, "The minimum version '" + version + "' is not a "
                    + "migration version: give 14 digits, as in the files' names (20260101000000). Nothing was "
                    + "applied.", version);
        }
        return new MigrateRun(upTo, steps, baselineOnMigrate, baselineVersion, outOfOrder, contexts, labels, group,
                cherryPick, validateOnMigrate, skipDefaultCallbacks, skipExecutingMigrations, toTag, version, refuseNonEmptySchema);
    }

    /**
     * Refuses the run when the schema's newest applied version comes before {@link #minVersion()}.
     *
     * @param applied the history's keys (repeatable files' keys are left out of the comparison)
     * @throws MigrationException naming the schema, its newest version and the minimum
     */
    void requireMinVersion(String schema, Set<String> applied) {
        if (minVersion == null) {
            return;
        }
        applied.stream().filter(v -> v.matches("\\d{14}")).max(String::compareTo)
                .filter(newest -> newest.compareTo(minVersion) < 0)
                .ifPresent(newest -> {
                    throw new MigrationException(ErrorCode.MIGRATION, "The history of " + schema + " ends at "
                            + newest + ", before the minimum version " + minVersion + " this run requires: its "
                            + "files up to " + minVersion + " are no longer here. Migrate it to " + minVersion
                            + " with the release that still has them, then run again. Nothing was applied.",
                            minVersion);
                });
    }

    /**
     * Refuses, before anything runs, a cherry-picked version that none of {@code files} has, naming every such
     * version and the versions there are.
     */
    public void requirePicked(Path folder, List<MigrationFile> files) {
        Set<String> known = new LinkedHashSet<>();
        files.forEach(f -> known.add(f.version()));
        List<String> unknown = cherryPick.stream().filter(v -> !known.contains(v)).toList();
        if (unknown.isEmpty()) {
            return;
        }
        List<String> shown = known.stream().limit(20).toList();
        throw new MigrationException(ErrorCode.MIGRATION, "No migration in " + folder + " has version"
                + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown) + " to cherry-pick. "
                + (known.isEmpty() ? "There are no migration files." : "The versions there are: " + String.join(", ",
                shown) + (known.size() > shown.size() ? " and " + (known.size() - shown.size()) + " more (ashlar "
                + "status lists them)" : "") + ".") + " Nothing was applied.", unknown.get(0));
    }

    /**
     * Refuses a run to a tag whose file is pending and left out by the run's contexts or labels: the run would stop
     * short of the tag without saying so. A tagged file applied already is no obstacle.
     *
     * @param applied the versions the history holds, read when the run {@link #filtered()}
     * @throws MigrationException naming the file, the tag, the run's contexts or labels and the file's header
     */
    void requireTagSelected(List<MigrationFile> files, Set<String> applied) {
        if (toTag == null || !filtered(files)) {
            return;
        }
        for (MigrationFile file : files) {
            if (toTag.equals(file.filters().tag()) && !applied.contains(file.version())
                    && !file.filters().selectedBy(contexts, labels, file.fileName())) {
                throw new MigrationException(ErrorCode.MIGRATION, "Migration " + file.fileName() + " carries the tag "
                        + toTag + " to migrate to, but the run's " + exclusion(file) + ", so the run would stop short "
                        + "of the tag. Migrate with contexts and labels that select it, or to another tag. Nothing was "
                        + "applied.", file.fileName());
            }
        }
    }

    /** What of this run leaves the file out, and the file's header (or its lack) that it reads. */
    private String exclusion(MigrationFile file) {
        FileFilters filters = file.filters();
        if (!filters.selectedBy(contexts, null, file.fileName())) {
            return (contexts.isEmpty() ? "lack of contexts excludes" : "contexts " + String.join(",", contexts)
                    + " exclude") + " it (its header '-- context: " + filters.context() + "')";
        }
        return "labels " + labels + " exclude it (" + (filters.labels().isEmpty() ? "it has no '-- labels:' header"
                : "its header '-- labels: " + String.join(", ", filters.labels().stream().sorted().toList()) + "'")
                + ")";
    }

    /** Whether the run chooses files by their contexts or labels, or by the versions it cherry-picks. */
    public boolean filtered() {
        return !contexts.isEmpty() || labels != null || !cherryPick.isEmpty();
    }

    /**
     * Whether the run leaves out some of these files: it chooses by contexts, labels or cherry-pick, or a file's
     * context or the run's label expression requires a name ({@code @seed}) that the run or the file does not give.
     */
    public boolean filtered(List<MigrationFile> files) {
        return filtered() || files.stream().anyMatch(f -> !f.filters().selectedBy(contexts, labels, f.fileName()));
    }

    /**
     * The files this run may apply: those its contexts and labels select, and every one the history holds (a file
     * applied by another run stays known, not missing).
     */
    public List<MigrationFile> selected(List<MigrationFile> files, Set<String> applied) {
        return filtered(files) ? files.stream().filter(f -> applied.contains(f.version())
                || (cherryPick.isEmpty() || cherryPick.contains(f.version()))
                && f.filters().selectedBy(contexts, labels, f.fileName())).toList() : files;
    }

    /** Whether the run goes up to the newest version the history holds ({@code current}), not to a version given. */
    public boolean current() {
        return CURRENT.equals(upTo);
    }

    /** Whether the run goes up to the oldest pending version ({@code next}), not to a version given. */
    public boolean next() {
        return NEXT.equals(upTo);
    }

    /** Whether the run's bound is resolved from the history ({@code current}, {@code next}), not a version given. */
    public boolean fromHistory() {
        return current() || next();
    }

    /**
     * Whether the run may stop before the last pending file (a version, a step count, contexts or labels): after it,
     * the database is not up to date.
     */
    public boolean bounded() {
        return upTo != null || toTag != null || steps > 0 || filtered();
    }

    /**
     * Whether a run refuses, before anything is applied, a schema that holds tables, views, sequences, types or
     * functions but no migration history, as Flyway refuses a non-empty schema without a schema history table ("use
     * baseline() or set baselineOnMigrate to true"): one made by another tool or by hand, whose files would meet what is
     * there. Off by default, as Liquibase runs a changelog over what is there (its preconditions, and
     * {@code -- precondition:} headers here, are written for that); a run that baselines on migrate or records its files
     * without running them is never refused.
     */
    public MigrateRun refuseNonEmptySchema(boolean refuse) {
        return new MigrateRun(upTo, steps, baselineOnMigrate, baselineVersion, outOfOrder, contexts, labels, group,
                cherryPick, validateOnMigrate, skipDefaultCallbacks, skipExecutingMigrations, toTag, minVersion, refuse);
    }

    /**
     * The version a baseline on migrate records up to: the one given, else the oldest versioned file's (a repeatable one is never baselined), as Flyway's default
     * {@code baselineVersion} 1 names a Flyway project's first migration (its initial schema); null without files.
     *
     * @throws MigrationException when the version given is not 14 digits, naming the files nearest to it; any such
     *                            version is one, as Flyway's {@code baselineVersion} is, a file's or not
     */
    public String baselineVersion(Path folder, List<MigrationFile> files) {
        List<MigrationFile> versioned = files.stream().filter(f -> !f.repeatable()).toList();
        if (baselineVersion != null) {
            return MigrationVersions.baselineBound(folder, versioned, baselineVersion, "Nothing was applied.");
        }
        return versioned.isEmpty() ? null : versioned.get(0).version();
    }

    private static MigrationException badSteps(int count) {
        return new MigrationException(ErrorCode.MIGRATION, "Cannot migrate " + count + " steps: steps is the number of "
                + "pending migrations to apply, oldest first, and must be at least 1. Nothing was applied.", null);
    }
}
