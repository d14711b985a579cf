package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * The moment a rollback to a date goes back to ({@code rollback --to-date}, Liquibase's {@code rollback-to-date}), as
 * a user writes it: {@code 2026-12-01} or {@code 2026-12-01T14:30:00}, both UTC (the history's times do not depend on
 * where a command runs), or with an offset, {@code 2026-12-01T14:30:00+01:00} or {@code ...Z}.
 */
public final class RollbackDate {
    private RollbackDate() {
    }

    /**
     * @throws MigrationException naming {@code option}, the text and the forms it takes
     */
    public static Instant parse(String text, String option) {
        String value = text.strip();
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(value, OffsetDateTime::from,
                    LocalDateTime::from);
            return parsed instanceof OffsetDateTime offset ? offset.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new MigrationException(ErrorCode.MIGRATION, text + " is no date or time for " + option + ": write "
                    + "2026-12-01, 2026-12-01T14:30:00 (both UTC), or with an offset, 2026-12-01T14:30:00+01:00 or "
                    + "2026-12-01T14:30:00Z. Nothing was rolled back.", null, null, null, e);
        }
    }
}
