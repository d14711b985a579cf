package dev.ashlar.kernel.codegen;

import dev.ashlar.kernel.diff.CitusChanges;
import dev.ashlar.kernel.diff.Differ;
import dev.ashlar.kernel.diff.Inconvertible;
import dev.ashlar.kernel.diff.LiveTableSteps;
import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.kernel.diff.NewColumns;
import dev.ashlar.kernel.diff.RenameHints;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.diff.Repartitioning;
import dev.ashlar.kernel.diff.SchemaDiff;
import dev.ashlar.kernel.layout.IoReasons;
import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.kernel.lint.Finding;
import dev.ashlar.kernel.lint.Linter;
import dev.ashlar.kernel.migrate.MigrationDirectory;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.Timeouts;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.DesiredSchema;
import dev.ashlar.kernel.schema.MinimumVersion;
import dev.ashlar.kernel.schema.SchemaBuilder;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.kernel.snapshot.SnapshotStore;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.spi.schema.Target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Generates the migrations and snapshots that bring a project directory's schema to the resources:
 * the heart of {@code ashlar codegen}.
 *
 * <pre>{@code
 * Codegen.Result result = new Codegen(Path.of("."), domain, plugins, Renames.none(), Clock.systemUTC())
 *         .generate("add_comments");
 * }</pre>
 */
public final class Codegen {
    /** The name of development migrations, which a later named generation squashes. */
    public static final String DEV = "dev";
    /** How long a generated file's statements wait for a table lock unless the migrator is told otherwise. */
    public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);

    private final Path project;
    private final Domain domain;
    private final Plugins plugins;
    private final Renames renames;
    private final Clock clock;
    private final Target target;
    private final Duration lockTimeout;
    private final Options options;

    /** Generates for the project's recorded target (see {@link ProjectTarget}), else for one server. */
    public Codegen(Path project, Domain domain, Plugins plugins, Renames renames, Clock clock) {
        this(project, domain, plugins, renames, clock, null);
    }

    /**
     * Generates for a target: on {@link Target#CITUS} the migrations distribute what Citus needs distributed.
     * A target other than the one the project recorded is refused ({@link ProjectTarget}); {@code null} means
     * the recorded one.
     */
    public Codegen(Path project, Domain domain, Plugins plugins, Renames renames, Clock clock, Target target) {
        this(project, domain, plugins, renames, clock, target, LOCK_TIMEOUT, Options.DEFAULT);
    }

    private Codegen(Path project, Domain domain, Plugins plugins, Renames renames, Clock clock, Target target,
                    Duration lockTimeout, Options options) {
        this.project = project;
        this.domain = domain;
        this.plugins = plugins;
        this.renames = renames;
        this.clock = clock;
        this.target = target;
        this.lockTimeout = lockTimeout;
        this.options = options;
    }

    /**
     * The {@code lock_timeout} the generated files set (5 s unless told): a statement that waits longer for a
     * table lock fails, and the migrator retries it, rather than queueing every later query behind it.
     */
    public Codegen lockTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new AshlarException(ErrorCode.MIGRATION, "The lock timeout of generated migrations must be positive, "
                    + "not " + timeout + ": a file without one would queue every query on a busy table behind it");
        }
        return new Codegen(project, domain, plugins, renames, clock, target, Timeouts.checkBound(timeout, "lockTimeout"),
                options);
    }

    /**
     * Whether indexes added to tables that already exist are built {@code CONCURRENTLY}, in a
     * {@code transaction:false} file of their own (the default), see {@link Options#concurrentIndexes()}.
     */
    public Codegen concurrentIndexes(boolean concurrently) {
        return options(options.concurrentIndexes(concurrently));
    }

    /** Generates with these options (by default {@link Options#DEFAULT}). */
    public Codegen options(Options chosen) {
        return new Codegen(project, domain, plugins, renames, clock, target, lockTimeout, chosen);
    }

    /**
     * The choices of {@code ashlar codegen} that change what is written, as AshPostgres's generator has them.
     *
     * @param dontDropColumns   keep the column of a removed attribute (made nullable) instead of dropping it, and mark
     *                          it in the snapshot so that later generations keep it too ({@code --dont-drop-columns})
     * @param concurrentIndexes build every new index on a table that already exists {@code CONCURRENTLY}, in a
     *                          {@code transaction:false} file of its own, so that writes go on during the build (the
     *                          default); with {@code false} ({@code --no-concurrent-indexes}) they are built in the
     *                          migration's transaction, blocking writes to the table until it ends
     */
    public record Options(boolean dontDropColumns, boolean concurrentIndexes) {
        /** Drop removed columns; build indexes on existing tables concurrently. */
        public static final Options DEFAULT = new Options(false, true);

        /** These options with indexes on existing tables built concurrently or not. */
        public Options concurrentIndexes(boolean concurrently) {
            return new Options(dontDropColumns, concurrently);
        }
    }

    /**
     * A migration file a generation writes (or would write, see {@link #preview}).
     *
     * @param path where it goes
     * @param text its content
     */
    public record PlannedFile(Path path, String text) {
    }

    /**
     * What a generation found and wrote.
     *
     * @param steps       the changes, in order; empty when the migrations are up to date
     * @param files       the migration files written (none under {@link #check()})
     * @param destructive why each step that can lose data can
     * @param warnings    what the linter found in the files written, also written above their statements
     */
    public record Result(List<MigrationStep> steps, List<Path> files, List<String> destructive, List<Finding> warnings) {
        public Result(List<MigrationStep> steps, List<Path> files, List<String> destructive) {
            this(steps, files, destructive, List.of());
        }

        /** Why each step that rewrites a table under an exclusive lock does. */
        public List<String> rewrites() {
            return steps.stream().flatMap(s -> s.rewrites().stream()).toList();
        }

        public boolean changed() {
            return !steps.isEmpty();
        }
    }

    /** The migrations folder of a scope in a project folder (see {@link ProjectLayout}). */
    public static Path migrations(Path project, Scope scope) {
        return ProjectLayout.of(project).migrations(scope);
    }

    /**
     * Refuses rename hints that can rename nothing in the resources' tables (see {@link RenameHints}), before
     * anything is generated or rolled back.
     */
    public Codegen checkRenameHints(List<String> hints) {
        if (!hints.isEmpty()) {
            RenameHints.check(hints, new SchemaBuilder(domain, plugins, ProjectTarget.resolve(project, target)).build()
                    .tables());
        }
        return this;
    }

    /** Computes the pending changes without writing anything. */
    public Result check() {
        List<MigrationStep> steps = plan().steps();
        return new Result(steps, List.of(), destructive(steps));
    }

    /**
     * The migration files {@link #generate(String)} would write, computed without writing anything, neither files
     * nor snapshots ({@code ashlar codegen --dry-run}); empty when the migrations are up to date.
     */
    public List<PlannedFile> preview(String name) {
        return files(fileName(name), plan(), Versions.next(clock, ProjectLayout.of(project).versioned(), List.of()),
                new ArrayList<>());
    }

    /**
     * Writes the migrations and snapshots for the pending changes, named {@code name}; writes nothing
     * when there are none.
     */
    public Result generate(String name) {
        return generate(name, List.of());
    }

    /**
     * Like {@link #generate(String)}, with versions later than every one of {@code retired} (the
     * versions of squashed development migrations, which some database may still have applied).
     */
    public Result generate(String name, List<String> retired) {
        String fileName = fileName(name);
        GenerationLock lock = GenerationLock.take(project);
        try {
            return generate(fileName, retired, plan());
        } finally {
            lock.close();
        }
    }

    /** Writes the plan's files, once no other generation of the project runs: the plan reads the snapshots. */
    private Result generate(String fileName, List<String> retired, Plan plan) {
        if (plan.steps().isEmpty() && !plan.marked()) {
            return new Result(plan.steps(), List.of(), List.of());
        }
        LocalDateTime version = Versions.next(clock, ProjectLayout.of(project).versioned(), retired);
        List<Finding> warnings = new ArrayList<>();
        List<PlannedFile> planned = files(fileName, plan, version, warnings);
        List<Path> written = new ArrayList<>();
        try {
            planned.forEach(f -> written.add(write(f.path(), f.text())));
            writeSnapshots(plan, Versions.format(version), written);
        } catch (AshlarException e) {
            throw takeBack(written, e);
        }
        return new Result(plan.steps(), List.copyOf(written.subList(0, planned.size())), destructive(plan.steps()), warnings);
    }

    /**
     * Removes what a generation wrote before it failed: a migration kept without its snapshots (or with some of them)
     * would be generated again by the next run, and its statements run twice.
     */
    private static AshlarException takeBack(List<Path> written, AshlarException failure) {
        List<Path> left = new ArrayList<>();
        for (Path file : written) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                failure.addSuppressed(e);
                left.add(file);
            }
        }
        String message = failure.getMessage() + ". " + (left.isEmpty() ? "Nothing of this generation was kept"
                + (written.isEmpty() ? "" : " (the " + written.size() + " files it had written are removed)")
                + ": fix the cause and generate again" : "These files it wrote could not be removed: " + left
                + "; delete them before generating again");
        return failure instanceof ProjectFileException project
                ? ProjectFileException.of(project.file().orElse(null), message, failure)
                : new AshlarException(failure.code(), message, failure);
    }

    /** The files of a plan, with the linter's findings written above their statements and added to {@code warnings}. */
    private List<PlannedFile> files(String fileName, Plan plan, LocalDateTime version, List<Finding> warnings) {
        if (plan.steps().isEmpty()) {
            return List.of();
        }
        Linter linter = Linter.of(ProjectLayout.of(project));
        List<PlannedFile> files = new ArrayList<>();
        for (Scope scope : Scope.values()) {
            List<MigrationStep> scoped = plan.steps().stream().filter(s -> s.scope() == scope).toList();
            List<List<MigrationStep>> runs = MigrationWriter.byTransaction(scoped);
            for (int i = 0; i < runs.size(); i++) {
                String file = Versions.format(version.plusSeconds(files.size())) + "_" + fileName
                        + (i == 0 ? "" : "_" + (i + 1)) + ".sql";
                Path path = migrations(project, scope).resolve(file);
                Linter.Annotated linted = linter.annotate(path, MigrationWriter.render(file, runs.get(i), lockTimeout));
                warnings.addAll(linted.findings());
                files.add(new PlannedFile(path, linted.text()));
            }
        }
        return files;
    }

    /**
     * Records the resources' schema as the latest snapshots without writing a migration, for a
     * database that already has that schema ({@code ashlar inspect}): the next generation starts
     * from it.
     *
     * @return the changes the snapshots took in; empty when they already matched
     */
    public List<MigrationStep> recordSnapshots() {
        Plan plan = plan();
        if (!plan.steps().isEmpty() || plan.marked()) {
            LocalDateTime version = Versions.next(clock, ProjectLayout.of(project).versioned(), List.of());
            List<Path> written = new ArrayList<>();
            try {
                writeSnapshots(plan, Versions.format(version), written);
            } catch (AshlarException e) {
                throw takeBack(written, e);
            }
        }
        return plan.steps();
    }

    /** The versions of the development migrations in the project, oldest first. */
    public List<String> devVersions() {
        return devFiles().stream().map(MigrationFile::version).toList();
    }

    /** The development migrations of the project, oldest first. */
    public List<MigrationFile> devFiles() {
        return Stream.of(Scope.values())
                .flatMap(scope -> MigrationDirectory.read(migrations(project, scope)).stream())
                .filter(file -> file.name().equals(DEV) || file.name().startsWith(DEV + "_"))
                .sorted(java.util.Comparator.comparing(MigrationFile::version)).toList();
    }

    /** The rename hints that the development migrations' renames add up to, for the generation squashing them. */
    public List<String> devRenames() {
        return DevRenames.of(devFiles());
    }

    /**
     * Deletes the development migrations and the snapshots they wrote, so that the next generation
     * squashes them into one. Roll back the ones that were applied first.
     */
    public List<String> discardDev() {
        List<String> versions = devVersions();
        for (Scope scope : Scope.values()) {
            for (MigrationFile file : MigrationDirectory.read(migrations(project, scope))) {
                if (versions.contains(file.version())) {
                    delete(file.path());
                }
            }
        }
        new SnapshotStore(project).delete(versions);
        return versions;
    }

    /**
     * The latest snapshots, the steps from them to the resources (made safe for tables that already exist), the
     * tables the snapshots then record, whether they must be written without a step (a column kept or relabelled)
     * and the extensions the domain lists.
     */
    private record Plan(Map<String, Table> previous, List<MigrationStep> steps, List<Table> tables, boolean marked,
                        List<String> extensions, Map<String, Integer> customExtensions) {
    }

    private Plan plan() {
        Target resolved = ProjectTarget.resolve(project, target);
        DesiredSchema desired = new SchemaBuilder(domain, plugins, resolved).build();
        MinimumVersion.check(domain, desired);
        SnapshotStore store = new SnapshotStore(project);
        Map<String, Table> previous = store.latest();
        Repartitioning.refuse(previous, desired.tables());
        List<MigrationStep> steps = SchemaDiff.diff(new Differ(renames, resolved), previous, store.extensions(),
                store.customExtensions(), desired, domain.customExtensions());
        if (resolved == Target.CITUS) {
            CitusChanges.refuseHistory(desired.tables());
            CitusChanges.refuse(steps);
        }
        KeptColumns.Kept kept = KeptColumns.apply(steps, desired, options.dontDropColumns());
        steps = LiveTableSteps.of(kept.steps(), options.concurrentIndexes(), resolved);
        NewColumns.requireFillable(steps);
        MarkerLines.requireNone(steps);
        Inconvertible.refuse(steps);
        Map<String, Integer> customVersions = new LinkedHashMap<>();
        domain.customExtensions().forEach(e -> customVersions.put(e.name(), e.latestVersion()));
        return new Plan(previous, steps, kept.tables(), kept.marked() || relabelled(previous, kept.tables()),
                desired.extensions(), customVersions);
    }

    /**
     * Whether a column now stores an attribute of another name than the snapshot says: nothing to migrate, but the
     * snapshot must learn it, or a later change of that attribute's column would not be seen as a rename.
     */
    private static boolean relabelled(Map<String, Table> previous, List<Table> tables) {
        return tables.stream().filter(t -> previous.containsKey(t.key())).anyMatch(t -> t.columns().stream()
                .anyMatch(c -> previous.get(t.key()).column(c.name())
                        .filter(old -> !old.attributeName().equals(c.attributeName())).isPresent()));
    }

    /** Writes the snapshots of a plan, adding each file written to {@code written}. */
    private void writeSnapshots(Plan plan, String version, List<Path> written) {
        ProjectTarget.write(project, ProjectTarget.resolve(project, target));
        SnapshotStore store = new SnapshotStore(project);
        Set<String> kept = new java.util.HashSet<>();
        for (Table table : plan.tables()) {
            store.write(Differ.canonical(table), false, version).ifPresent(written::add);
            kept.add(table.key());
        }
        plan.previous().values().stream().filter(t -> !kept.contains(t.key()))
                .forEach(t -> store.write(t, true, version).ifPresent(written::add));
        store.writeExtensions(plan.extensions(), plan.customExtensions(), version).ifPresent(written::add);
    }

    private static List<String> destructive(List<MigrationStep> steps) {
        return steps.stream().flatMap(s -> s.destructive().stream()).toList();
    }

    /**
     * The name a migration's file takes from the name given: lower-case words joined by underscores, as file names
     * must be portable.
     *
     * @throws AshlarException when no letter or digit is left, or the name is over 63 characters
     */
    public static String fileName(String name) {
        String clean = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_+|_+$", "");
        if (clean.isEmpty()) {
            throw new AshlarException(ErrorCode.MIGRATION, "The migration name '" + (name == null ? "" : name.strip())
                    + "' has no letter a-z or digit: a file name is written in lowercase ASCII letters, digits and '_' "
                    + "(other characters become '_'), e.g. ashlar codegen add_comments");
        }
        // The name is recorded in each schema's history and shown in every status line; like a name PostgreSQL
        // keeps, it stays within 63 bytes (and the file name far within what file systems take).
        if (clean.length() > Identifiers.MAX_BYTES) {
            throw new AshlarException(ErrorCode.MIGRATION, "A migration name is at most " + Identifiers.MAX_BYTES
                    + " characters, and '" + clean.substring(0, 40) + "...' has " + clean.length() + ": give a "
                    + "shorter name, e.g. ashlar codegen add_comments");
        }
        return clean;
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new AshlarException(ErrorCode.MIGRATION, "Cannot write " + file + ": " + IoReasons.of(e), e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new AshlarException(ErrorCode.MIGRATION, "Cannot delete " + file + ": " + e.getMessage(), e);
        }
    }
}
