package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The init scripts of a migrations folder (Ebean's {@code dbinit}): the files of its {@code dbinit/} folder, each named
 * as a versioned file, {@code <14-digit version>_<name>.sql}, and holding what every file of the folder up to that
 * version makes, squashed into one. A schema whose history is empty and that holds nothing runs the newest init script
 * the run reaches instead of those files, records them as baselined, and goes on with the later files as usual; a
 * schema with history never runs one.
 *
 * <pre>{@code
 * migrations/20260101000000_create_posts.sql
 * migrations/20260102000000_add_slug.sql
 * migrations/20260103000000_add_tags.sql
 * migrations/dbinit/20260102000000_posts.sql   -- what the first two make
 * }</pre>
 */
public final class InitScripts {
    /** The folder of init scripts inside a migrations folder, Ebean's default {@code migrationInitPath}. */
    public static final String FOLDER = "dbinit";

    private InitScripts() {
    }

    /**
     * The init scripts of {@code folder}, in version order; empty without a {@code dbinit/} folder.
     *
     * @param files the folder's migrations: an init script has the version of one of its versioned files
     * @throws MigrationException when a file of {@code dbinit/} is misnamed, repeatable, a callback, runs outside a
     *                            transaction, has a down section or a header that selects or tags it, or has a version
     *                            that no versioned file has, naming it and the fix
     */
    public static List<MigrationFile> read(Path folder, List<MigrationFile> files) {
        Path scripts = folder.resolve(FOLDER);
        if (!Files.isDirectory(scripts)) {
            return List.of();
        }
        Set<String> callbacks = MigrationDirectory.callbacks(scripts).keySet();
        if (!callbacks.isEmpty()) {
            throw refused(scripts.resolve(callbacks.iterator().next()), "is a callback's name; callbacks go in "
                    + folder + " itself, and an init script is named <14-digit version>_<name>.sql");
        }
        List<MigrationFile> scriptsRead = MigrationDirectory.read(scripts);
        Set<String> versions = Set.copyOf(files.stream().filter(f -> !f.repeatable()).map(MigrationFile::version)
                .toList());
        for (MigrationFile script : scriptsRead) {
            if (script.repeatable()) {
                throw refused(script.path(), "is a repeatable file's name; repeatable files go in " + folder
                        + " itself, and an init script is named <14-digit version>_<name>.sql");
            }
            if (!script.transactional()) {
                throw refused(script.path(), "runs outside a transaction (transaction:false), but an init script "
                        + "runs in one with the history rows it writes: remove 'transaction:false'");
            }
            if (!script.down().isBlank()) {
                throw refused(script.path(), "has a down section, which nothing runs: a rollback undoes the files "
                        + "the script stands for, one by one. Remove the '-- migrate:down' section");
            }
            FileFilters filters = script.filters();
            if (!new FileFilters(null, Set.of(), null, false, null, Set.of(), true, filters.dbms()).equals(filters)) {
                throw refused(script.path(), "has a header that selects, tags or checks it (context, labels, "
                        + "precondition, tag, valid-checksum, fail-on-error, run-always), which an init script "
                        + "does not take: it runs whenever a new schema is made. Remove the header");
            }
            if (!versions.contains(script.version())) {
                throw refused(script.path(), "has version " + script.version() + ", which no versioned file of "
                        + folder + " has: an init script stands for the files up to its version, so give it the "
                        + "version of the newest file it holds");
            }
        }
        return scriptsRead;
    }

    /**
     * Refuses init scripts in an extra folder of migrations ({@link Migrator#extraFolders}), which the folder's
     * listing leaves out as it leaves out its own {@code dbinit/}, but which no run reads: only the main folder's are.
     *
     * @throws MigrationException naming the first such script, the main folder's {@code dbinit/} and the fix
     */
    static void refuseIn(List<Path> extra, Path main) {
        for (Path folder : extra) {
            Path scripts = folder.resolve(FOLDER);
            if (!Files.isDirectory(scripts)) {
                continue;
            }
            try (Stream<Path> found = Files.list(scripts)) {
                Optional<Path> sql = found.filter(path -> path.getFileName().toString().endsWith(".sql")).sorted()
                        .findFirst();
                if (sql.isPresent()) {
                    throw new MigrationException(ErrorCode.MIGRATION, "The extra migrations folder " + folder
                            + " holds init scripts (" + folder.relativize(sql.get()) + "), which would never run: "
                            + "init scripts are read from " + main.resolve(FOLDER) + " only. Move them there, or "
                            + "out of " + folder + ". Nothing was run.", sql.get().getFileName().toString());
                }
            } catch (IOException e) {
                throw new MigrationException(ErrorCode.MIGRATION, "Cannot read the folder " + scripts + ": "
                        + e.getMessage() + ". Nothing was run.", scripts.getFileName().toString());
            }
        }
    }

    /** The newest of {@code scripts} at or before {@code target} (a version), or null when none is. */
    public static MigrationFile reaching(List<MigrationFile> scripts, String target) {
        MigrationFile chosen = null;
        for (MigrationFile script : scripts) {
            if (target != null && script.version().compareTo(target) <= 0) {
                chosen = script;
            }
        }
        return chosen;
    }

    /** The versioned files {@code script} stands for: those up to its version, in version order. */
    public static List<MigrationFile> covered(MigrationFile script, List<MigrationFile> files) {
        return files.stream().filter(f -> !f.repeatable() && f.version().compareTo(script.version()) <= 0).toList();
    }

    /** The files up to {@code script}'s version and the repeatable ones: what a run to its version takes. */
    public static List<MigrationFile> upTo(MigrationFile script, List<MigrationFile> files) {
        return files.stream().filter(f -> f.repeatable() || f.version().compareTo(script.version()) <= 0).toList();
    }

    /** The files a run applies after {@code script}: the later versioned ones and the repeatable ones. */
    public static List<MigrationFile> after(MigrationFile script, List<MigrationFile> files) {
        return files.stream().filter(f -> f.repeatable() || f.version().compareTo(script.version()) > 0).toList();
    }

    private static MigrationException refused(Path path, String why) {
        return new MigrationException(ErrorCode.MIGRATION, "Init script " + path + " " + why + ". Nothing was run.",
                path.getFileName().toString());
    }
}
