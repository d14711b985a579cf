package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.Timeouts;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

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

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or a number of seconds ({@link Timeouts#parse}). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Timeouts.parse(value, "the value");
            } catch (MigrationException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
