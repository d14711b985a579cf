package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.ProjectFileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Migration versions: UTC timestamps {@code yyyyMMddHHmmss}, always later than any version already in the project. */
final class Versions {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final Pattern VERSION = Pattern.compile("^(\\d{14})[_.]");

    private Versions() {
    }

    /** The first free version: now, or one second after the latest version in the folders or among {@code retired}. */
    static LocalDateTime next(Clock clock, List<Path> folders, List<String> retired) {
        LocalDateTime now = LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).withNano(0);
        LocalDateTime latest = Stream.concat(folders.stream().flatMap(Versions::versions),
                retired.stream().flatMap(Versions::parse)).max(LocalDateTime::compareTo).orElse(null);
        return latest != null && !latest.isBefore(now) ? latest.plusSeconds(1) : now;
    }

    static String format(LocalDateTime time) {
        return FORMAT.format(time);
    }

    private static Stream<LocalDateTime> versions(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.map(p -> VERSION.matcher(p.getFileName().toString()))
                    .filter(Matcher::find)
                    .flatMap(m -> parse(m.group(1)))
                    .toList().stream();
        } catch (IOException e) {
            throw ProjectFileException.of(folder.toString(), "Cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    /** A version that is not a valid timestamp (a hand-named file) does not take part. */
    private static Stream<LocalDateTime> parse(String version) {
        try {
            return Stream.of(LocalDateTime.parse(version, FORMAT));
        } catch (DateTimeParseException e) {
            return Stream.empty();
        }
    }
}
