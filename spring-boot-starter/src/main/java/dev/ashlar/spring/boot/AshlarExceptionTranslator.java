package dev.ashlar.spring.boot;

import dev.ashlar.api.error.AshlarException;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.UncategorizedDataAccessException;
import org.springframework.dao.support.PersistenceExceptionTranslator;

/**
 * Translates Ashlar's exceptions thrown from {@code @Repository} beans into Spring's {@link DataAccessException}
 * hierarchy, by their {@code ErrorCode} and SQL state, the way Spring translates JDBC's: a taken identity is a
 * {@link DuplicateKeyException}, a stale record an {@link OptimisticLockingFailureException}, a lock not waited for
 * a {@link CannotAcquireLockException}, a serialization failure or deadlock a
 * {@link PessimisticLockingFailureException} (so that Spring's retry support treats them as transient), a statement
 * cancelled for its time a {@link QueryTimeoutException}. The
 * Ashlar exception stays the cause, with its field errors. Definition, migration and plugin errors are not data
 * access and pass untranslated.
 */
public final class AshlarExceptionTranslator implements PersistenceExceptionTranslator {
    private static final String UNIQUE_VIOLATION = "23505";

    @Override
    public DataAccessException translateExceptionIfPossible(RuntimeException exception) {
        if (!(exception instanceof AshlarException ashlar)) {
            return null;
        }
        String message = ashlar.getMessage();
        String state = ashlar.sqlState().orElse("");
        return switch (ashlar.code()) {
            case INVALID_DATA -> state.equals(UNIQUE_VIOLATION) ? new DuplicateKeyException(message, ashlar)
                    : new DataIntegrityViolationException(message, ashlar);
            case NOT_FOUND -> new EmptyResultDataAccessException(message, 1, ashlar);
            case FORBIDDEN -> new PermissionDeniedDataAccessException(message, ashlar);
            case STALE_RECORD -> new OptimisticLockingFailureException(message, ashlar);
            case LOCK_NOT_AVAILABLE -> new CannotAcquireLockException(message, ashlar);
            case TRANSACTION_CONFLICT -> new PessimisticLockingFailureException(message, ashlar);
            case TIMEOUT -> new QueryTimeoutException(message, ashlar);
            case INVALID_QUERY -> new InvalidDataAccessApiUsageException(message, ashlar);
            case DATABASE -> state.startsWith("08") || state.startsWith("57P")
                    ? new DataAccessResourceFailureException(message, ashlar) : new Uncategorized(message, ashlar);
            default -> null;
        };
    }

    /** A refusal of the database that no rule above names. */
    private static final class Uncategorized extends UncategorizedDataAccessException {
        private static final long serialVersionUID = 1L;

        Uncategorized(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
