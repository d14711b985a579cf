package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.layout.ProjectPaths;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The migration files of one folder ({@code migrations/} or {@code tenant_migrations/}), in version order. */
public final class MigrationDirectory {
    /**
     * Folders read before, with what they held: a folder is not listed and its files are not read again while its
     * own stamp and every file's stamp (size and modification time) are unchanged; every new tenant schema reads
     * every tenant migration. A stamp is kept only when the change it records was at least {@link #SETTLED} old at
     * the read: a file written again within the file system's clock resolution could keep its stamp, so a folder
     * changed that recently is read again, and each file compared by content, until its stamps settle.
     */
    private static final Map<Path, Listing> LISTINGS = new ConcurrentHashMap<>();
    private static final int LISTINGS_KEPT = 100;
    private static final long SETTLED = 2_000;

    /**
     * The callback files a migrations folder may hold besides its migrations (Flyway's SQL callbacks, with Flyway's
     * names): run at those points of every migrate run, recorded nowhere ({@link SqlCallbacks}).
     */
    public static final Set<String> CALLBACKS = Set.of("beforeMigrate.sql", "beforeEachMigrate.sql",
            "afterEachMigrate.sql", "afterMigrate.sql", "afterMigrateError.sql");

    private MigrationDirectory() {
    }

    /**
     * The callback files of a folder, by name; empty when there are none.
     *
     * @throws MigrationException when one cannot be read or holds a section line
     */
    public static Map<String, MigrationFile> callbacks(Path folder) {
        // Every new tenant schema asks: a folder listed unchanged since, with no entry of a callback's name, has none
        // (adding one changes the folder's time), so its five names are not looked up one by one again.
        Listing listed = LISTINGS.get(folder);
        if (listed != null && !listed.callbacks() && listed.modified().equals(modified(folder))) {
            return Map.of();
        }
        Map<String, MigrationFile> callbacks = new HashMap<>();
        for (String name : CALLBACKS) {
            Path path = folder.resolve(name);
            // Not isRegularFile: a folder, a pipe or a broken link of such a name is refused by the read, not skipped.
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                callbacks.put(name, MigrationFile.readCallback(path));
            }
        }
        return Map.copyOf(callbacks);
    }

    /**
     * The folder's migration files in version order, without those whose {@code -- dbms:} header leaves PostgreSQL out.
     *
     * @throws AshlarException when two files share a version ({@link MigrationException}), or a {@code .sql} file is
     *                         misnamed or cannot be read
     */
    public static List<MigrationFile> read(Path folder) {
        FileTime modified = modified(folder);
        if (modified == null) {
            return List.of();
        }
        Listing before = LISTINGS.get(folder);
        if (before != null && before.holds(modified)) {
            return before.files();
        }
        long settled = System.currentTimeMillis() - SETTLED;
        boolean stable = modified.toMillis() < settled;
        List<MigrationFile> files = new ArrayList<>();
        List<Stamp> stamps = new ArrayList<>();
        List<Path> entries;
        try (Stream<Path> list = Files.list(folder)) {
            entries = list.toList();
            for (Path path : entries) {
                String name = path.getFileName().toString();
                // dbinit/ holds the folder's init scripts (InitScripts), read on their own.
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && !isMigration(path) && !name.startsWith(".")
                        && !name.equals(InitScripts.FOLDER)) {
                    refuseNested(folder, path);
                    // A file added in it later leaves this folder's own stamp as it was: list it again each time.
                    stable = false;
                }
            }
            for (Path path : entries.stream().filter(MigrationDirectory::isMigration)
                    .filter(path -> !callback(path)).toList()) {
                // The stamp is read before the bytes: a write between the two leaves a stamp that no longer holds.
                Stamp stamp = Stamp.of(path);
                stable &= stamp != null && stamp.modified().toMillis() < settled;
                stamps.add(stamp);
                MigrationFile file = MigrationFile.read(path);
                // Liquibase's dbms: a file for other databases is not one of this database's, and may share a
                // version with the file that is (the same change, written for each database).
                if (file.filters().forPostgresql()) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            // The message of an AccessDeniedException is the path alone.
            String why = e instanceof AccessDeniedException ? "permission denied. Let the user that runs the migrations "
                    + "read and enter the folder (chmod a+rx)" : e.getMessage();
            throw new AshlarException(ErrorCode.MIGRATION, "Cannot list " + folder + ": " + why, e);
        }
        files.sort(Comparator.comparing(MigrationFile::version).thenComparing(MigrationFile::fileName));
        Map<String, MigrationFile> versions = new HashMap<>();
        for (MigrationFile file : files) {
            MigrationFile other = versions.putIfAbsent(file.version(), file);
            if (other != null) {
                throw new MigrationException(ErrorCode.MIGRATION, "Migrations " + other.fileName() + " and "
                        + file.fileName() + " in " + folder + " share version " + file.version() + ", which must name "
                        + "one file. Give the one not applied anywhere yet a later version (rename it with a new "
                        + "timestamp), or merge them. Nothing was run.", file.fileName());
            }
        }
        List<MigrationFile> sorted = requireDistinctTags(List.copyOf(files), " in " + folder);
        if (stable) {
            if (LISTINGS.size() >= LISTINGS_KEPT) {
                LISTINGS.clear();
            }
            LISTINGS.put(folder, new Listing(modified, List.copyOf(stamps), sorted,
                    entries.stream().anyMatch(MigrationDirectory::callbackLike)));
        }
        return sorted;
    }

    /**
     * The files of several folders ({@link #read(Path)} each), merged in version order: the project's own folder and
     * the extra ones it reads besides (Flyway's several {@code locations}). The folders are read in the order given.
     *
     * @throws MigrationException when files of two folders share a version, naming both and the fix; or as
     *                            {@link #read(Path)}
     */
    public static List<MigrationFile> read(List<Path> folders) {
        if (folders.size() == 1) {
            return read(folders.get(0));
        }
        Map<String, MigrationFile> versions = new HashMap<>();
        List<MigrationFile> files = new ArrayList<>();
        for (Path folder : folders) {
            for (MigrationFile file : read(folder)) {
                MigrationFile other = versions.putIfAbsent(file.version(), file);
                if (other != null) {
                    throw new MigrationException(ErrorCode.MIGRATION, "Migrations " + other.path() + " and "
                            + file.path() + " share " + (file.repeatable() ? "the repeatable name " : "version ")
                            + file.version() + ", which must name one file across the migrations folders. Give the "
                            + "one not applied anywhere yet a later version (rename it with a new timestamp), or "
                            + "remove one of them. Nothing was run.", file.fileName());
                }
                files.add(file);
            }
        }
        files.sort(Comparator.comparing(MigrationFile::version).thenComparing(MigrationFile::fileName));
        return requireDistinctTags(List.copyOf(files), " in the migrations folders " + folders);
    }

    /**
     * The files, when no two carry the same {@code -- tag:} header: a tag marks one migration, which
     * {@code migrate --to-tag} and {@code rollback --to-tag} go to, so two files with it are refused whatever a run
     * would choose of them.
     *
     * @throws MigrationException naming both files, the tag and the fix
     */
    private static List<MigrationFile> requireDistinctTags(List<MigrationFile> files, String where) {
        Map<String, MigrationFile> tagged = new HashMap<>();
        for (MigrationFile file : files) {
            MigrationFile other = file.filters().tag() == null ? null : tagged.putIfAbsent(file.filters().tag(), file);
            if (other != null) {
                throw new MigrationException(ErrorCode.MIGRATION, "Migrations " + other.fileName() + " and "
                        + file.fileName() + where + " both have the header '-- tag: " + file.filters().tag() + "', "
                        + "but a tag marks one migration. Keep the header on " + other.fileName() + " and give "
                        + file.fileName() + " another tag (or remove its header: the tag goes on the last file of a "
                        + "release); only when " + file.fileName() + " is the one already applied, retag "
                        + other.fileName() + " instead, as editing an applied file changes its checksum. Nothing was "
                        + "run.", file.fileName());
            }
        }
        return files;
    }

    /**
     * Whether a folder entry is meant as a migration, to be read or refused by its name: a {@code .sql} name in any
     * case ({@code .SQL} would otherwise never run, silently). Hidden entries are not: an editor's lock file
     * ({@code .#20260101000000_x.sql}) or the resource fork macOS copies beside a file ({@code ._20260101000000_x.sql}).
     */
    private static boolean isMigration(Path path) {
        String name = path.getFileName().toString();
        return !name.startsWith(".") && name.toLowerCase(Locale.ROOT).endsWith(".sql");
    }

    /** Whether a file is a callback, read by {@link #callbacks}, not as a migration. */
    private static boolean callback(Path path) {
        return CALLBACKS.contains(path.getFileName().toString());
    }

    /** Whether an entry has a callback's name in any case (a file system may ignore case when it looks one up). */
    private static boolean callbackLike(Path path) {
        String name = path.getFileName().toString();
        return CALLBACKS.stream().anyMatch(name::equalsIgnoreCase);
    }

    /**
     * Refuses a folder inside the migrations folder that holds {@code .sql} files, at any depth: migrations are the
     * folder's own files (a folder per year, as Flyway reads them, would never run here, silently). A folder with no
     * such file (notes, a hidden {@code .git}) is left alone.
     */
    private static void refuseNested(Path folder, Path nested) throws IOException {
        try (Stream<Path> found = Files.find(nested, Integer.MAX_VALUE, (path, attributes) -> attributes.isRegularFile()
                && isMigration(path))) {
            Path sql = found.findFirst().orElse(null);
            if (sql != null) {
                throw new MigrationException(ErrorCode.MIGRATION, "The migrations folder " + folder + " holds the "
                        + "folder " + folder.relativize(nested) + " with .sql files (" + folder.relativize(sql)
                        + "), which would never run: migrations are the .sql files of " + folder + " itself, not of "
                        + "folders inside it (but for " + InitScripts.FOLDER + "/, which holds init scripts). Move them up "
                        + "into " + folder + ", or move the folder out of it. Nothing was run.",
                        sql.getFileName().toString());
            }
        } catch (UncheckedIOException e) {
            throw new AshlarException(ErrorCode.MIGRATION, "Cannot read the folder " + folder.relativize(nested)
                    + " inside the migrations folder " + folder + ": " + e.getCause().getMessage() + ". Migrations are "
                    + "the .sql files of " + folder + " itself: move that folder out of it.", e);
        }
    }

    /**
     * The modification time of a folder; null when there is nothing there.
     *
     * @throws AshlarException when a file is there: read as no folder, it would hold no migrations, and a fresh
     *                         database would be reported up to date
     */
    private static FileTime modified(Path folder) {
        ProjectPaths.refuseBrokenLink(folder, "migrations folder", "folder");
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(folder, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
        if (!attributes.isDirectory()) {
            throw new AshlarException(ErrorCode.MIGRATION, "The migrations folder " + folder + " is a file, not a "
                    + "folder. Move the file away: migrations are the .sql files of a folder of that name.");
        }
        return attributes.lastModifiedTime();
    }

    /** A file's size and modification time when it was read. */
    private record Stamp(Path path, long size, FileTime modified) {
        static Stamp of(Path path) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                return new Stamp(path, attributes.size(), attributes.lastModifiedTime());
            } catch (IOException e) {
                return null;
            }
        }
    }

    /**
     * What a folder held when it was read.
     *
     * @param callbacks whether an entry had a callback's name ({@link #callbackLike})
     */
    private record Listing(FileTime modified, List<Stamp> stamps, List<MigrationFile> files, boolean callbacks) {
        /** Whether the folder, last modified at {@code now}, and each of its files are as they were. */
        boolean holds(FileTime now) {
            if (!modified.equals(now)) {
                return false;
            }
            // A loop, not a stream: every new tenant schema asks, and a stream's shared code keeps the compiler busy.
            for (Stamp stamp : stamps) {
                if (!stamp.equals(Stamp.of(stamp.path()))) {
                    return false;
                }
            }
            return true;
        }
    }
}
