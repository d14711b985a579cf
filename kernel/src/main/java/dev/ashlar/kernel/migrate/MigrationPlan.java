package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.MigrationStatus.State;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What migrating one schema means, computed from the files of a folder and the schema's history
 * alone, without touching the database: the pending files, those changed or missing since they were
 * applied, and the server they need. Every runner plans first, then verifies, then applies.
 *
 * @param schema   the schema the history belongs to
 * @param folder   where the files come from, for messages
 * @param files    every file, in version order
 * @param statuses every file and every applied version, with its state, in version order
 * @param pending  the files not applied yet, in version order, then the repeatable ones new, outdated or run-always,
 *                 by name
 * @param applied  the history's row of each applied version, by version
 */
public record MigrationPlan(String schema, Path folder, List<MigrationFile> files, List<MigrationStatus> statuses,
                            List<MigrationFile> pending, Map<String, History.Entry> applied) {

    public MigrationPlan {
        files = List.copyOf(files);
        statuses = List.copyOf(statuses);
        pending = List.copyOf(pending);
        applied = Map.copyOf(applied);
    }

    /** Plans a schema from its files and its history. */
    public static MigrationPlan of(String schema, Path folder, List<MigrationFile> files,
                                   Map<String, History.Entry> applied) {
        List<MigrationStatus> statuses = StatusReport.of(files, applied);
        Set<String> outdated = new HashSet<>();
        statuses.stream().filter(s -> s.state() == State.OUTDATED).forEach(s -> outdated.add(s.version()));
        List<MigrationFile> pending = files.stream().filter(f -> !applied.containsKey(f.version())
                || outdated.contains(f.version()) || f.filters().runAlways()).toList();
        return new MigrationPlan(schema, folder, files, statuses, pending, applied);
    }

    /** The applied files whose text changed since. */
    public List<MigrationStatus> changed() {
        return statuses.stream().filter(s -> s.state() == State.CHANGED).toList();
    }

    /** The applied versions whose file is gone. */
    public List<MigrationStatus> missing() {
        return statuses.stream().filter(s -> s.state() == State.MISSING).toList();
    }

    /** The oldest PostgreSQL major version the pending files need; 0 for any. */
    public int requiredServer() {
        int required = 0;
        for (MigrationFile file : pending) {
            required = Math.max(required, file.requires());
        }
        return required;
    }

    /**
     * Refuses a history that does not agree with the files ({@code validate}): what {@link #verifyToMigrate()}
     * refuses, and an applied file renamed with its version kept (Flyway's description mismatch), which a migrate
     * lets by as the file is its version.
     *
     * @throws MigrationException naming the changed, missing or renamed file and how to fix it; a
     *                            {@link ValidationException} listing every problem when there are several
     */
    public MigrationPlan verify() {
        return verify(IgnoreMigrationPatterns.DEFAULT);
    }

    /**
     * {@link #verify()} with the migrations {@code ignored} lets pass (Flyway's {@code ignoreMigrationPatterns}): a
     * missing file it names passes, and a pending, late or future one it does not name fails.
     *
     * @throws MigrationException naming the changed, missing or renamed file, or the pending, late or future ones that
     *                            fail, and how to fix them; a {@link ValidationException} listing every problem when
     *                            there are several
     */
    public MigrationPlan verify(IgnoreMigrationPatterns ignored) {
        List<MigrationStatus> failing = ignored.failing(statuses);
        // Every problem at once, as Flyway's validate lists each invalid migration: a team fixing a merge sees them all
        // in one run instead of one per run.
        List<MigrationException> problems = new ArrayList<>();
        changed().forEach(status -> problems.add(changedProblem(status)));
        failing.stream().filter(s -> s.state() == State.MISSING).forEach(status -> problems.add(missingProblem(status)));
        statuses.stream().filter(MigrationStatus::renamed).forEach(status -> problems.add(renamedProblem(status)));
        List<MigrationStatus> unapplied = failing.stream().filter(s -> s.state() != State.MISSING).toList();
        if (!unapplied.isEmpty()) {
            problems.add(notIgnored(unapplied, ignored));
        }
        if (!problems.isEmpty()) {
            throw ValidationException.of(schema, problems);
        }
        return this;
    }

    private MigrationException renamedProblem(MigrationStatus status) {
        return new MigrationException(ErrorCode.MIGRATION, "Migration " + status.version() + " was applied to "
                + schema + " as " + status.version() + "_" + status.appliedName() + ".sql, but its file in "
                + folder + " is now " + fileName(status) + ". Restore the old name from version control; if "
                + "the rename is meant, " + repair() + " records the new name without running anything. "
                + "('ashlar migrate' takes the file as applied: a file is its version.)", fileName(status));
    }

    /** Why a validate fails on these pending, late or future migrations, and the patterns that would let them pass. */
    private MigrationException notIgnored(List<MigrationStatus> unapplied, IgnoreMigrationPatterns ignored) {
        Set<String> late = new HashSet<>();
        outOfOrder().forEach(s -> late.add(s.version()));
        List<String> named = new ArrayList<>();
        Set<String> states = new TreeSet<>();
        for (MigrationStatus status : unapplied) {
            String state = IgnoreMigrationPatterns.state(status, late.contains(status.version()));
            states.add("*:" + state);
            named.add(fileName(status) + " (" + (state.equals("ignored") ? "pending, older than "
                    + MigrationStatus.newestApplied(statuses) + ", applied" : state.equals("future")
                    ? "applied by a newer release" : state) + ")");
        }
        return new MigrationException(ErrorCode.MIGRATION, "Validation of " + schema + " failed: " + String.join(", ",
                named.subList(0, Math.min(5, named.size()))) + (named.size() > 5 ? " and " + (named.size() - 5)
                + " more" : "") + (ignored.patterns().isEmpty() ? ", and no ignore pattern is given"
                : ", which the ignore patterns " + ignored + " do not let pass") + ". Apply the pending ones ('ashlar "
                + "migrate'), or let them pass with the ignore patterns " + String.join(",", states)
                + " (--ignore-migration-patterns; ignoreMigrationPatterns).",
                fileName(unapplied.get(0)));
    }

    /**
     * Refuses a history that a migrate cannot go on from: an applied file changed or missing.
     *
     * @throws MigrationException naming the first changed or missing file and how to fix it
     */
    public MigrationPlan verifyToMigrate() {
        return verifyToMigrate(true);
    }

    /** {@link #verifyToMigrate()}, looking for changed applied files only when {@code checksums} asks to. */
    public MigrationPlan verifyToMigrate(boolean checksums) {
        if (checksums) {
            refuseChanged();
        }
        refuseMissing(missing());
        return this;
    }

    private void refuseChanged() {
        for (MigrationStatus status : changed()) {
            throw changedProblem(status);
        }
    }

    private MigrationException changedProblem(MigrationStatus status) {
        return new MigrationException(ErrorCode.CHECKSUM_MISMATCH, "Migration " + fileName(status) + " was changed "
                + "after it was applied to " + schema + checksums(status) + ". Restore the file from version "
                + "control; to change the schema, generate a new migration. If the edit is meant (a comment, an "
                + "equivalent statement), "
                + repair() + " records the new text without running it.", fileName(status));
    }

    /** Both checksums of a changed file, as Flyway's checksum mismatch gives them and {@code ashlar checksum} prints. */
    private String checksums(MigrationStatus status) {
        History.Entry entry = applied.get(status.version());
        if (entry == null) {
            return "";
        }
        return files.stream().filter(f -> f.version().equals(status.version())).findFirst()
                .map(file -> " (the history holds " + entry.algorithm() + ":" + entry.checksum() + ", the "
                        + (file.java() == null ? "file" : "class") + " now " + file.algorithm() + ":" + file.checksum()
                        + ")").orElse("");
    }

    private void refuseMissing(List<MigrationStatus> missing) {
        for (MigrationStatus status : missing) {
            throw missingProblem(status);
        }
    }

    private MigrationException missingProblem(MigrationStatus status) {
        return new MigrationException(ErrorCode.MIGRATION, "Migration " + fileName(status) + " is applied to "
                + schema + " but missing from " + folder + ". Restore it from version control (or roll it back "
                + "with a copy of it) before migrating; if it was deleted on purpose, " + repair() + " forgets it"
                + (MigrationFile.repeatable(status.version()) ? " (what it made stays: drop it in a new migration)"
                : "") + ". If it comes from an extra migrations folder, read that folder again (--extra-migrations, "
                + "ashlar.migrate.extra-locations, Project.extraMigrations) rather than repair, which would forget "
                + "it.", status.version());
    }

    /**
     * The pending versioned files older than the newest applied version (from a branch merged late): a migrate
     * applies them in version order with the rest, unless it refuses them ({@link #refuseOutOfOrder}).
     */
    public List<MigrationStatus> outOfOrder() {
        return MigrationStatus.outOfOrder(statuses);
    }

    /**
     * Refuses a run that would apply a file older than the newest applied one (Flyway's default {@code outOfOrder}
     * false), before anything is applied.
     *
     * @throws MigrationException naming those files, the newest applied version and the two ways on
     */
    public MigrationPlan refuseOutOfOrder() {
        List<MigrationStatus> late = outOfOrder();
        if (!late.isEmpty()) {
            String newest = MigrationStatus.newestApplied(statuses);
            List<String> names = late.stream().map(MigrationPlan::fileName).toList();
            throw new MigrationException(ErrorCode.MIGRATION, "Migration" + (late.size() == 1 ? " " : "s ")
                    + String.join(", ", names.subList(0, Math.min(5, names.size())))
                    + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "") + " of " + folder
                    + (late.size() == 1 ? " is" : " are") + " older than " + newest + ", the newest version applied "
                    + "to " + schema + ", and this run refuses out-of-order migrations (--no-out-of-order; outOfOrder "
                    + "false). Give each a version after " + newest + " (rename the file: it was never applied here), "
                    + "or let them run in version order with the rest (drop --no-out-of-order; outOfOrder true). "
                    + "Nothing was applied.", names.get(0));
        }
        return this;
    }

    /** The command that repairs this schema's history: the main schema's history is in public, a tenant's in its own. */
    private String repair() {
        return "public".equals(schema) ? "'ashlar repair'" : "'ashlar repair --tenant " + schema + "'";
    }

    /**
     * Refuses to start when a pending file needs a newer server than {@code major}.
     *
     * @throws MigrationException naming the file, the feature and the versions
     */
    public void checkServer(int major) {
        for (MigrationFile file : pending) {
            if (file.requires() > major) {
                throw new MigrationException(ErrorCode.MIGRATION, "Migration " + file.fileName() + " needs PostgreSQL "
                        + file.requires() + (file.requiresReason() == null ? "" : " for " + file.requiresReason())
                        + ", but this server is PostgreSQL " + major + ". Nothing was applied. Upgrade the server, or "
                        + "change the resource so it does not need that feature.", file.fileName());
            }
        }
    }

    /**
     * The files up to the {@code steps}th pending one, in version order (every file when fewer are pending): a run of
     * them applies the next {@code steps} pending files and leaves the later ones pending.
     */
    public List<MigrationFile> nextPending(int steps) {
        if (pending.size() <= steps) {
            return files;
        }
        String last = pending.get(steps - 1).version();
        return files.stream().filter(f -> f.version().compareTo(last) <= 0).toList();
    }

    /**
     * The last {@code steps} applied files, newest first.
     *
     * @throws MigrationException when {@code steps} is below 1 (see {@link #requireSteps})
     */
    public List<MigrationFile> lastApplied(int steps) {
        requireSteps(steps);
        List<String> applied = appliedVersions();
        return undo(Set.copyOf(applied.subList(Math.max(0, applied.size() - steps), applied.size())));
    }

    /**
     * The applied files from the newest down to {@code version}, that one included (Ecto's {@code rollback --to}),
     * newest first; empty when nothing at or after it is applied.
     *
     * @throws MigrationException when no file and no history row has that version
     */
    public List<MigrationFile> appliedDownTo(String version) {
        MigrationVersions.requireWritten(version, "Nothing was rolled back.");
        boolean known = statuses.stream().anyMatch(s -> s.version().equals(version));
        if (!known) {
            List<String> applied = appliedVersions();
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot roll back to " + version + ": no migration of "
                    + schema + " has that version (neither a file in " + folder + " nor a row of its history). "
                    + (applied.isEmpty() ? "Nothing is applied." : "The applied versions end with "
                    + applied.subList(Math.max(0, applied.size() - 5), applied.size()) + ".")
                    + " Nothing was rolled back.", version);
        }
        return undo(Set.copyOf(appliedVersions().stream().filter(v -> v.compareTo(version) >= 0).toList()));
    }

    /**
     * The files applied after {@code moment} (Liquibase's {@code rollback-to-date}), newest version first; empty when
     * none was. A file applied at that very moment stays.
     *
     * @throws MigrationException when one of them has no file to take its down section from
     */
    public List<MigrationFile> appliedAfter(Instant moment) {
        return undo(Set.copyOf(statuses.stream().filter(s -> s.appliedAt() != null && s.appliedAt().isAfter(moment))
                .map(MigrationStatus::version).toList()));
    }

    /**
     * The versioned migrations the run {@code id} applied or baselined ({@link Deployment}), newest version first, as
     * Liquibase's {@code rollback-one-update} takes them. Only the last deployment that applied migrations can be
     * undone alone: a migration applied after the deployment began by another run may depend on what it made (a
     * column, a table's rows), so a later deployment is refused, naming the deployments to roll back first, newest
     * first. Repeatable files are never rolled back, so they neither count as later nor are undone; nor are the
     * migrations the run only baselined (their objects were there before it), and a run that only baselined is refused.
     *
     * @throws MigrationException when no applied migration carries the id, naming the deployments there are, or a later
     *                            deployment applied migrations after it
     */
    public List<MigrationFile> deployment(String id) {
        List<History.Entry> versioned = applied.values().stream()
                .filter(entry -> !MigrationFile.repeatable(entry.version()))
                .sorted(Comparator.comparing(History.Entry::appliedAt)).toList();
        List<History.Entry> rows = versioned.stream().filter(entry -> id.equals(entry.deploymentId())).toList();
        if (rows.isEmpty()) {
            List<String> known = versioned.stream().map(History.Entry::deploymentId).filter(Objects::nonNull)
                    .distinct().toList();
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot roll back the deployment " + id + ": no applied "
                    + "migration of " + schema + " carries it (" + (known.isEmpty() ? "none carries a deployment id: "
                    + "rows written before Ashlar recorded them have none" : "its deployments, oldest first: "
                    + String.join(", ", known.subList(Math.max(0, known.size() - 10), known.size()))) + "; 'ashlar "
                    + "status' shows each migration's). Nothing was rolled back.", null);
        }
        Instant began = rows.get(0).appliedAt();
        List<History.Entry> later = versioned.stream()
                .filter(entry -> !id.equals(entry.deploymentId()) && entry.appliedAt().isAfter(began)).toList();
        if (!later.isEmpty()) {
            List<String> deployments = new ArrayList<>(later.stream().map(History.Entry::deploymentId)
                    .filter(Objects::nonNull).distinct().toList());
            Collections.reverse(deployments);
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot roll back the deployment " + id + " of " + schema
                    + " alone: later runs applied " + String.join(", ", later.stream().map(entry -> entry.version()
                    + "_" + entry.name() + (entry.deploymentId() == null ? " (no deployment id)" : " (deployment "
                    + entry.deploymentId() + ")")).toList()) + " after it, which may depend on what it made. Roll "
                    + "those back first, newest first" + (deployments.isEmpty() ? "" : " (rollback --deployment "
                    + String.join(", then ", deployments) + ")") + ", or roll back to a version (rollback --to "
                    + rows.stream().map(History.Entry::version).min(String::compareTo).orElseThrow() + "). Nothing was "
                    + "rolled back.", null);
        }
        List<History.Entry> ran = rows.stream().filter(entry -> !entry.baselined()).toList();
        if (ran.isEmpty()) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot roll back the deployment " + id + " of " + schema
                    + ": it only baselined " + String.join(", ", rows.stream().sorted(Comparator.comparing(
                    History.Entry::version)).map(entry -> entry.version() + "_"
                    + entry.name()).toList()) + ", marking objects that were there before as applied, and ran nothing "
                    + "to undo. Running their down sections could drop what Ashlar did not make; if that is meant, "
                    + "roll back to a version (rollback --to VERSION). Nothing was rolled back.", null);
        }
        return undo(ran.stream().map(History.Entry::version).collect(Collectors.toSet()));
    }

    /**
     * Refuses a rollback of fewer than one migration, e.g. a negative {@code --steps}, which would otherwise count
     * from the wrong end; a caller may check before it connects.
     *
     * @return {@code steps}
     * @throws MigrationException when {@code steps} is below 1
     */
    public static int requireSteps(int steps) {
        if (steps < 1) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot roll back " + steps + " steps: steps is the "
                    + "number of applied migrations to undo, newest first, and must be at least 1 (1 undoes the last "
                    + "one). Nothing was rolled back.", null);
        }
        return steps;
    }

    /**
     * The applied files among these versions, newest first.
     *
     * @throws MigrationException when one of them has no file to take its down section from
     */
    public List<MigrationFile> undo(Set<String> versions) {
        List<String> order = new ArrayList<>(appliedVersions());
        Collections.reverse(order);
        List<MigrationFile> undo = new ArrayList<>();
        for (String version : order) {
            if (versions.contains(version)) {
                undo.add(files.stream().filter(f -> f.version().equals(version)).findFirst()
                        .orElseThrow(() -> noFile(version)));
            }
        }
        return undo;
    }

    /** The refusal to roll back an applied version whose file is not here, saying why it may not be. */
    private MigrationException noFile(String version) {
        boolean future = statuses.stream().anyMatch(s -> s.version().equals(version) && s.state() == State.FUTURE);
        if (statuses.stream().anyMatch(s -> s.version().equals(version) && s.state() == State.JAVA)) {
            return new MigrationException(ErrorCode.MIGRATION, "Cannot roll back " + version + ": a Java migration "
                    + "applied it, and none with that version is registered here (the command line loads those listed in "
                    + ListedJavaMigrations.SERVICES_FILE + " on --classpath, the Maven plugin those of the project's "
                    + "classes). Roll it back from the application that registers it (Project.javaMigrations, or a "
                    + "Spring bean), or list it there. "
                    + "Nothing was rolled back.", version);
        }
        return new MigrationException(ErrorCode.MIGRATION, "Cannot roll back " + version + ": its file is not in "
                + folder + (future ? ", as it is newer than every file there: a newer release applied it. Roll it "
                + "back with that release's files, or restore the file from version control." : ". Restore it from "
                + "version control.") + " Nothing was rolled back.", version);
    }

    private List<String> appliedVersions() {
        // A repeatable file is never rolled back: it has no version to undo down to, and runs again when it changes.
        return statuses.stream().filter(s -> s.state() != State.PENDING && !MigrationFile.repeatable(s.version()))
                .map(MigrationStatus::version).toList();
    }

    private static String fileName(MigrationStatus status) {
        return status.label() + ".sql";
    }
}
