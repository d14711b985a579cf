package dev.ashlar.cli;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Clean-up of the temporary folders a command creates. */
final class Folders {
    private Folders() {
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
