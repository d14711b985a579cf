package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.layout.IoReasons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One generation of a project at a time, in this process and in others on the machine: two started together (two
 * terminals, a parallel build) would both diff against the same snapshots and write the same migration twice, so the
 * second waits for the first and then finds its changes in the snapshots. The lock file lies in the temporary folder,
 * named after the project's real path, so that the project holds nothing new; the system gives it back when the
 * process ends, however it ends.
 */
final class GenerationLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationLock.class);
    /** A process holds a file lock once: its threads queue here first (FileChannel refuses a second holder). */
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;

    private GenerationLock(ReentrantLock local, FileChannel channel) {
        this.local = local;
        this.channel = channel;
    }

    /**
     * Waits until no other generation of the project runs, then holds it off until {@link #close}; when one does,
     * says so once as a warning (which the command prints), naming the project and the lock file, before waiting.
     */
    static GenerationLock take(Path project) {
        return take(project, LOG::warn);
    }

    /** Like {@link #take(Path)}, telling {@code waiting} once that another generation runs. */
    static GenerationLock take(Path project, Consumer<String> waiting) {
        Path key = key(project);
        Path file = file(project);
        String message = "waiting for another code generation of " + project + " (lock file " + file + ")...";
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        boolean told = false;
        if (!local.tryLock()) {
            waiting.accept(message);
            told = true;
            local.lock();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                if (!told) {
                    waiting.accept(message);
                }
                channel.lock();
            }
            return new GenerationLock(local, channel);
        } catch (IOException e) {
            closeQuietly(channel, e);
            local.unlock();
            throw ProjectFileException.of(file.toString(), "Cannot take the lock " + file + " that keeps two code "
                    + "generations of " + project + " apart: " + IoReasons.of(e) + ". Check that the temporary "
                    + "folder is writable (java.io.tmpdir).", e);
        } catch (RuntimeException e) {
            // OverlappingFileLockException (another class loader of this process holds the file), an interrupt:
            // the threads queued behind this one must not wait forever.
            closeQuietly(channel, e);
            local.unlock();
            throw e;
        }
    }

    /** The lock file of a project: in the temporary folder, named after the project's real path. */
    static Path file(Path project) {
        return Path.of(System.getProperty("java.io.tmpdir"), "ashlar-codegen-" + digest(key(project)) + ".lock");
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing gives the lock back whether or not it reports a failure.
        } finally {
            local.unlock();
        }
    }

    private static Path key(Path project) {
        Path absolute = project.toAbsolutePath().normalize();
        try {
            return Files.exists(absolute) ? absolute.toRealPath() : absolute;
        } catch (IOException e) {
            return absolute;
        }
    }

    private static String digest(Path key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void closeQuietly(FileChannel channel, Exception failure) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
