package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.Timeouts;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How long a command that changes the schema waits: {@code --lock-timeout} and {@code --statement-timeout}. */
final class TimeoutOptions {
    @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The longest wait for the migration lock and, in each statement, for a table lock "
                    + "(e.g. 10s, 2m, 500ms; a bare number is seconds; default: 10m for the migration lock, for table locks what each file sets). "
                    + "With codegen: the lock_timeout the generated files set (default: 5s).")
    Duration lock;

    @Option(names = "--statement-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The longest a migration statement may run (e.g. 30s, 1h; a bare number is seconds; default: no limit).")
    Duration statement;

    Timeouts timeouts() {
        return Timeouts.none().withLock(lock).withStatement(statement);
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or a number of seconds. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            Matcher matcher = FORMAT.matcher(value.trim());
            // At most nine digits: the server's timeouts are whole milliseconds in a 32-bit integer.
            if (!matcher.matches() || matcher.group(1).length() > 9 || Long.parseLong(matcher.group(1)) == 0) {
                throw new TypeConversionException("'" + value + "' is not a duration: use e.g. 500ms, 10s, 2m or 1h "
                        + "(a bare number is seconds), more than zero and at most 596h");
            }
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            Duration duration = switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
            if (duration.toMillis() > Integer.MAX_VALUE) {
                throw new TypeConversionException("'" + value + "' is longer than the server's limit for a timeout, "
                        + "about 596h (2,147,483,647 ms)");
            }
            return duration;
        }
    }
}
