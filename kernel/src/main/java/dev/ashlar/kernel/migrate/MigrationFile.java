package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One migration file in the dbmate layout:
 *
 * <pre>
 * -- requires: postgresql 15 (ON DELETE SET NULL (columns))
 * -- migrate:up
 * CREATE TABLE ...;
 * -- migrate:down
 * DROP TABLE ...;
 * </pre>
 *
 * A file whose up line says {@code transaction:false} runs outside a transaction. A header line
 * {@code -- lock-timeout: 5000ms} bounds each statement's wait for a table lock, unless the migrator is
 * given a bound of its own.
 *
 * @param version       the leading digits of the file name, e.g. {@code 20261127101500}
 * @param name          the rest of the name, e.g. {@code add_comments}
 * @param up            the SQL of the up section
 * @param down          the SQL of the down section
 * @param transactional whether the file runs in a transaction
 * @param requires      the oldest PostgreSQL major version the file needs (0 for any), with the reason
 * @param checksum      the SHA-256 of the file's bytes, in hex
 * @param lockTimeout   the file's own bound on each wait for a table lock, or null
 */
public record MigrationFile(Path path, String version, String name, String up, String down, boolean transactional,
                            int requires, String requiresReason, String checksum, Duration lockTimeout) {

    /** The checksum algorithm, recorded in the history so that it can change without breaking old projects. */
    public static final String CHECKSUM_ALGORITHM = "sha256";

    static final Pattern FILE_NAME = Pattern.compile("(\\d{14})_([a-z0-9_]+)\\.sql");
    private static final Pattern UP = Pattern.compile("^-- migrate:up(\\s+transaction:(true|false))?\\s*$");
    private static final Pattern DOWN = Pattern.compile("^-- migrate:down(\\s+transaction:(true|false))?\\s*$");
    private static final Pattern LOCK_TIMEOUT = Pattern.compile("^-- lock-timeout: (\\d+)ms\\s*$");
    private static final Pattern REQUIRES = Pattern.compile("^-- requires: postgresql (\\d+)(?: \\((.*)\\))?\\s*$");
    /**
     * Files parsed before, by path, with the bytes they were parsed from: a file read again with the same bytes is
     * not parsed and hashed again (every new tenant schema reads every tenant migration). Compared by content, not
     * by modification time, so an edit is never missed.
     */
    private static final Map<Path, Parsed> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_KEPT = 2_000;

    public String fileName() {
        return path.getFileName().toString();
    }

    /** Reads and parses a file. */
    public static MigrationFile read(Path path) {
        Matcher name = name(path);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new AshlarException(ErrorCode.MIGRATION, "Cannot read migration " + path + ": " + e.getMessage(), e);
        }
        Parsed before = PARSED.get(path);
        if (before != null && Arrays.equals(before.bytes(), bytes)) {
            return before.file();
        }
        MigrationFile file = parse(path, name.group(1), name.group(2), new String(bytes, StandardCharsets.UTF_8),
                checksum(bytes));
        if (PARSED.size() >= PARSED_KEPT) {
            PARSED.clear();
        }
        PARSED.put(path, new Parsed(bytes, file));
        return file;
    }

    /** A file as it was read, and what it parsed to. */
    private record Parsed(byte[] bytes, MigrationFile file) {
    }

    /** Parses the text of a file that is to be at {@code path}, e.g. before it is written. */
    public static MigrationFile parse(Path path, String text) {
        Matcher name = name(path);
        return parse(path, name.group(1), name.group(2), text, checksum(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Matcher name(Path path) {
        Matcher name = FILE_NAME.matcher(path.getFileName().toString());
        if (!name.matches()) {
            throw new AshlarException(ErrorCode.MIGRATION, "Migration file " + path + " is not named "
                    + "<14-digit version>_<lowercase_name>.sql; rename it");
        }
        return name;
    }

    private static MigrationFile parse(Path path, String version, String name, String text, String checksum) {
        List<String> up = new ArrayList<>();
        List<String> down = new ArrayList<>();
        List<String> section = null;
        boolean transactional = true;
        int requires = 0;
        String reason = null;
        Duration lockTimeout = null;
        for (String line : text.split("\n", -1)) {
            Matcher upLine = UP.matcher(line);
            Matcher requiresLine = REQUIRES.matcher(line);
            Matcher lockLine = LOCK_TIMEOUT.matcher(line);
            if (upLine.matches()) {
                section = up;
                transactional = !"false".equals(upLine.group(2));
            } else if (DOWN.matcher(line).matches()) {
                section = down;
            } else if (section == null && requiresLine.matches()) {
                requires = Math.max(requires, Integer.parseInt(requiresLine.group(1)));
                reason = requiresLine.group(2);
            } else if (section == null && lockLine.matches()) {
                lockTimeout = Duration.ofMillis(Math.max(1, Long.parseLong(lockLine.group(1))));
            } else if (section != null) {
                section.add(line);
            }
        }
        if (section == null) {
            throw new AshlarException(ErrorCode.MIGRATION, "Migration " + path + " has no '-- migrate:up' line; "
                    + "every file needs one before its SQL");
        }
        return new MigrationFile(path, version, name, String.join("\n", up).strip(), String.join("\n", down).strip(),
                transactional, requires, reason, checksum, lockTimeout);
    }

    static String checksum(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
