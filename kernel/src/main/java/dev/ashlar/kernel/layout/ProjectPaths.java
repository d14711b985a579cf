package dev.ashlar.kernel.layout;

import dev.ashlar.api.error.ProjectFileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The project's own folders and files, which may be absent: a symbolic link there that leads nowhere (its target gone,
 * or a loop) is refused rather than read as nothing, which would make a project look as if it had no migrations,
 * snapshots or settings.
 */
public final class ProjectPaths {
    private ProjectPaths() {
    }

    /**
     * Refuses a symbolic link at the path that leads to nothing.
     *
     * @param path the folder or file of the project, which may be absent
     * @param what what the path is, for the message ({@code "migrations folder"})
     * @param kind what it should lead to ({@code "folder"} or {@code "file"})
     * @throws ProjectFileException naming the path, why the link leads nowhere and the fix
     */
    public static void refuseBrokenLink(Path path, String what, String kind) {
        if (!Files.isSymbolicLink(path) || Files.exists(path)) {
            return;
        }
        String reason;
        try {
            Files.readAttributes(path, BasicFileAttributes.class);
            return;
        } catch (IOException e) {
            reason = IoReasons.of(e);
        }
        throw ProjectFileException.of(path.toString(), "The " + what + " " + path + " is a symbolic link that leads "
                + "to no " + kind + " (" + reason + "): point it at the " + kind + ", or remove it.");
    }
}
