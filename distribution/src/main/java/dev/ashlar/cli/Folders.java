package dev.ashlar.cli;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Clean-up of the temporary folders a command creates, and what a folder holds. */
final class Folders {
    private Folders() {
    }

    /** Whether the folder holds a file, at any depth; false when it does not exist. */
    static boolean holdsFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.anyMatch(Files::isRegularFile);
        } catch (IOException e) {
            throw new AshlarException(ErrorCode.DATABASE, "Could not list " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Whether two paths name the same folder, a link and its target alike; false when either does not exist. */
    static boolean same(Path one, Path other) {
        try {
            return Files.exists(one) && Files.exists(other) && Files.isSameFile(one, other);
        } catch (IOException e) {
            return one.toAbsolutePath().normalize().equals(other.toAbsolutePath().normalize());
        }
    }

    /** Deletes the folder and everything in it, unless {@code keep}. */
    static void deleteUnless(boolean keep, Path folder) {
        if (keep || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new AshlarException(ErrorCode.DATABASE, "Could not delete the temporary folder " + folder + ": "
                    + e.getMessage() + "; delete it by hand", e);
        }
    }
}
