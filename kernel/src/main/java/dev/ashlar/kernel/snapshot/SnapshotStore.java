package dev.ashlar.kernel.snapshot;

import dev.ashlar.kernel.layout.IoReasons;
import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.kernel.layout.ProjectPaths;
import dev.ashlar.kernel.layout.Utf8;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.spi.schema.Scope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The snapshots under {@code resource_snapshots/}: one folder per table
 * ({@code <schema>/<table>/} for main tables, {@code _tenant/<table>/} for tenant tables), one file
 * per generation named by its version ({@code <timestamp>.json}). One file per table keeps two
 * people who change different resources from conflicting.
 */
public final class SnapshotStore {
    /** The folder of tenant tables' snapshots; no real schema is expected to be called that. */
    public static final String TENANT_FOLDER = "_tenant";
    /** The folder of the snapshots of the domain's extensions, one file per generation that changed them. */
    public static final String EXTENSIONS_FOLDER = "_extensions";

    private static final Pattern VERSION = Pattern.compile("\\d{14}");

    private final Path root;

    public SnapshotStore(Path projectDir) {
        this.root = ProjectLayout.of(projectDir).snapshots();
    }

    /** The latest snapshot of every table that exists according to them (tombstones left out), by table key. */
    public Map<String, Table> latest() {
        Map<String, Table> tables = new LinkedHashMap<>();
        for (Path file : latestFiles()) {
            String name = root.relativize(file).toString();
            SnapshotJson.Parsed parsed = SnapshotJson.read(read(file), name);
            refuseMisplaced(parsed.table(), file, name);
            if (!parsed.dropped()) {
                tables.put(parsed.table().key(), parsed.table());
            }
        }
        return tables;
    }

    /**
     * Refuses a snapshot whose table is not the one its folder is named for: a folder copied or renamed by hand would
     * otherwise record a second table of the same name, which one of the two would silently hide.
     */
    private void refuseMisplaced(Table table, Path file, String name) {
        Path expected = folder(table);
        if (!expected.equals(file.getParent())) {
            throw ProjectFileException.of(name, "Snapshot " + name + " records table " + table.key() + ", whose "
                    + "snapshots belong in " + root.relativize(expected) + "/: a snapshot folder was copied or renamed "
                    + "by hand. Restore it from version control, or delete the copy");
        }
    }

    /**
     * Writes the snapshot of a table for a version, unless its latest snapshot already says the same.
     *
     * @return the file written, or empty when none was
     */
    public Optional<Path> write(Table table, boolean dropped, String version) {
        return writeIfChanged(folder(table), SnapshotJson.write(table, dropped), version);
    }

    private Optional<Path> writeIfChanged(Path folder, String text, String version) {
        Optional<Path> previous = latestIn(folder);
        if (previous.isPresent() && read(previous.get()).equals(text)) {
            return Optional.empty();
        }
        Path file = folder.resolve(version + ".json");
        try {
            Files.createDirectories(folder);
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return Optional.of(file);
        } catch (IOException e) {
            throw ProjectFileException.of(folder.toString(), "Cannot write snapshot " + root.relativize(file) + " in "
                    + root + ": " + IoReasons.of(e), e);
        }
    }

    /** The extensions the latest extensions snapshot records; none in a project that never listed any. */
    public List<String> extensions() {
        Path folder = root.resolve(EXTENSIONS_FOLDER);
        return latestIn(folder).map(file -> SnapshotJson.readExtensions(read(file), root.relativize(file).toString()))
                .orElse(List.of());
    }

    /**
     * Writes the extensions for a version, unless the latest snapshot already records the same (or none, as none).
     *
     * @return the file written, or empty when none was
     */
    public Optional<Path> writeExtensions(List<String> extensions, String version) {
        return writeExtensions(extensions, Map.of(), version);
    }

    /** The versions of the custom extensions the latest extensions snapshot records, by name; none when it has none. */
    public Map<String, Integer> customExtensions() {
        Path folder = root.resolve(EXTENSIONS_FOLDER);
        return latestIn(folder).map(file -> SnapshotJson.readCustomExtensions(read(file),
                root.relativize(file).toString())).orElse(Map.of());
    }

    /**
     * Writes the extensions and the custom extensions' versions for a version, unless the latest snapshot already
     * records the same.
     *
     * @return the file written, or empty when none was
     */
    public Optional<Path> writeExtensions(List<String> extensions, Map<String, Integer> customVersions,
                                          String version) {
        Path folder = root.resolve(EXTENSIONS_FOLDER);
        if (extensions().equals(extensions) && customExtensions().equals(customVersions)) {
            return Optional.empty();
        }
        return writeIfChanged(folder, SnapshotJson.writeExtensions(extensions, customVersions), version);
    }

    /** Deletes every snapshot written for one of these versions (used to squash dev migrations). */
    public int delete(List<String> versions) {
        int deleted = 0;
        for (Path file : allFiles()) {
            if (versions.contains(version(file))) {
                try {
                    Files.delete(file);
                    deleted++;
                } catch (IOException e) {
                    throw ProjectFileException.of(file.toString(), "Cannot delete snapshot " + file + ": "
                            + e.getMessage(), e);
                }
            }
        }
        return deleted;
    }

    private Path folder(Table table) {
        return table.scope() == Scope.MAIN ? root.resolve(table.schema()).resolve(table.name())
                : root.resolve(TENANT_FOLDER).resolve(table.name());
    }

    private List<Path> latestFiles() {
        List<Path> latest = new ArrayList<>();
        for (Path folder : tableFolders()) {
            latestIn(folder).ifPresent(latest::add);
        }
        return latest;
    }

    private List<Path> tableFolders() {
        ProjectPaths.refuseBrokenLink(root, "snapshots folder", "folder");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root, 2)) {
            return files.filter(p -> root.relativize(p).getNameCount() == 2 && Files.isDirectory(p)).sorted().toList();
        } catch (IOException e) {
            throw ProjectFileException.of(root.toString(), "Cannot read " + root + ": " + e.getMessage(), e);
        }
    }

    private Optional<Path> latestIn(Path folder) {
        return snapshotFiles(folder).stream().max(Comparator.comparing(SnapshotStore::version));
    }

    /**
     * The snapshot files of a folder. A JSON file named otherwise (a copy kept as {@code backup.json}) is refused: by
     * its name it would sort after every version and be read as the latest.
     */
    private List<Path> snapshotFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> snapshots = files.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
            for (Path file : snapshots) {
                if (!VERSION.matcher(version(file)).matches()) {
                    String name = root.relativize(file).toString();
                    throw ProjectFileException.of(name, name + " is not named as a snapshot is (<UTC timestamp of 14 "
                            + "digits>.json, as codegen writes them), so it cannot be ordered among the snapshots of "
                            + "its table: move it out of " + ProjectLayout.SNAPSHOTS + "/ or delete it");
                }
            }
            return snapshots;
        } catch (IOException e) {
            throw ProjectFileException.of(folder.toString(), "Cannot read " + folder + ": " + IoReasons.of(e), e);
        }
    }

    private List<Path> allFiles() {
        List<Path> files = new ArrayList<>();
        List<Path> folders = new ArrayList<>(tableFolders());
        folders.add(root.resolve(EXTENSIONS_FOLDER));
        for (Path folder : folders) {
            files.addAll(snapshotFiles(folder));
        }
        return files;
    }

    private static String version(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".json".length());
    }

    /** The text of a snapshot, without the byte order mark an editor may add (Jackson reads it as a character). */
    private String read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw ProjectFileException.of(file.toString(), "Cannot read snapshot " + file + ": " + e.getMessage(), e);
        }
        String name = root.relativize(file).toString();
        String text = Utf8.decode(bytes, (line, offset, value) -> ProjectFileException.of(name, "Snapshot " + name
                + " is not valid UTF-8: line " + line + " holds the byte 0x" + String.format("%02X", value) + " (byte "
                + offset + " of the file), which is no UTF-8 character there. Restore it from version control, or "
                + "save it as UTF-8"));
        return Utf8.withoutByteOrderMark(text);
    }
}
