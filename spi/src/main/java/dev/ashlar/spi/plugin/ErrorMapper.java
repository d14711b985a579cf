package dev.ashlar.spi.plugin;

import dev.ashlar.api.error.AshlarException;

import java.util.Optional;

/**
 * Turns a database error into a clear one, e.g. a violated check into a field error with the
 * check's message. Mappers run in plugin order before the kernel's own mapping; the first answer wins.
 */
public interface ErrorMapper {

    /** The error to throw instead, or empty to leave it to the others. */
    Optional<AshlarException> mapError(DatabaseError error, QueryContext context);
}
