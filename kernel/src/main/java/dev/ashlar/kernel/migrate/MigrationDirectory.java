package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The migration files of one folder ({@code migrations/} or {@code tenant_migrations/}), in version order. */
public final class MigrationDirectory {
    private MigrationDirectory() {
    }

    /**
     * @throws AshlarException when two files share a version, or a {@code .sql} file is misnamed
     */
    public static List<MigrationFile> read(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<MigrationFile> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path path : list.filter(p -> p.getFileName().toString().endsWith(".sql")).toList()) {
                files.add(MigrationFile.read(path));
            }
        } catch (IOException e) {
            throw new AshlarException(ErrorCode.MIGRATION, "Cannot list " + folder + ": " + e.getMessage(), e);
        }
        files.sort(Comparator.comparing(MigrationFile::version));
        Map<String, MigrationFile> versions = new HashMap<>();
        for (MigrationFile file : files) {
            MigrationFile other = versions.putIfAbsent(file.version(), file);
            if (other != null) {
                throw new AshlarException(ErrorCode.MIGRATION, "Migrations " + other.fileName() + " and "
                        + file.fileName() + " share version " + file.version() + "; give one of them a later version");
            }
        }
        return files;
    }
}
