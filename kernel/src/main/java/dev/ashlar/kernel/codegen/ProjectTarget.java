package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.layout.IoReasons;
import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.spi.schema.Target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The target a project's migrations are generated for, recorded beside the snapshots
 * ({@code resource_snapshots/target}, one word: {@code postgresql} or {@code citus}) by the first
 * generation that writes snapshots. Later generations use it without being told; one for another target
 * is refused, since it would silently undo what the first made (undistribute a Citus project's tables),
 * until the project is switched with {@link #write(Path, Target)}.
 */
public final class ProjectTarget {
    private ProjectTarget() {
    }

    /** The recorded target, if a generation recorded one. */
    public static Optional<Target> recorded(Path project) {
        Path file = file(project);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String word;
        try {
            word = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw ProjectFileException.of(file.toString(), "Cannot read " + file + ": " + e.getMessage(), e);
        }
        for (Target target : Target.values()) {
            if (name(target).equals(word)) {
                return Optional.of(target);
            }
        }
        throw ProjectFileException.of(file.toString(), file + " says '" + word + "', which is no target: it holds "
                + "'postgresql' or 'citus', the database the project's migrations are generated for");
    }

    /** Records the target (switching the project to it, when another one was recorded). */
    public static void write(Path project, Target target) {
        Path file = file(project);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, name(target) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ProjectFileException.of(file.toString(), "Cannot write " + file + ": " + IoReasons.of(e), e);
        }
    }

    /**
     * The target to generate for: {@code wanted}, else the recorded one, else one server.
     *
     * @throws ProjectFileException when {@code wanted} is not the recorded target, saying how to switch
     */
    static Target resolve(Path project, Target wanted) {
        Optional<Target> recorded = recorded(project);
        if (wanted == null || recorded.isEmpty() || recorded.get() == wanted) {
            return wanted != null ? wanted : recorded.orElse(Target.POSTGRESQL);
        }
        Path file = file(project);
        String from = name(recorded.get());
        String to = name(wanted);
        throw ProjectFileException.of(file.toString(), "The migrations of this project are generated for " + from
                + " (recorded in " + ProjectLayout.SNAPSHOTS + "/" + file.getFileName() + "), not " + to
                + ": generating them for " + to + " would " + (wanted == Target.CITUS
                ? "distribute tables that were made on one server" : "undistribute the tables made for Citus")
                + ". To go on with " + from + ", leave out the target (or give --target " + from + "). To switch the "
                + "project to " + to + ", run 'ashlar codegen NAME --target " + to + " --switch-target' (in Java "
                + "Project.switchTarget(Target." + wanted + ")): that migration changes the tables over");
    }

    private static Path file(Path project) {
        return ProjectLayout.of(project).snapshots().resolve("target");
    }

    private static String name(Target target) {
        return target.name().toLowerCase(Locale.ROOT);
    }
}
