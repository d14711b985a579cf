package dev.ashlar.spring.boot;

import dev.ashlar.api.error.ActionTimeoutException;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ConcurrencyException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.StaleRecordException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.UncategorizedDataAccessException;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each Ashlar error code becomes the Spring exception a Spring application catches or retries. */
class AshlarExceptionTranslatorTest {
    private final AshlarExceptionTranslator translator = new AshlarExceptionTranslator();

    @Test
    void aTakenIdentityIsADuplicateKeyAndAnyOtherBrokenRuleAnIntegrityViolation() {
        List<FieldError> taken = List.of(new FieldError("email", "has already been taken"));

        assertThat(translator.translateExceptionIfPossible(new InvalidDataException("user", "create", taken, "23505",
                null))).isInstanceOf(DuplicateKeyException.class).hasMessageContaining("email has already been taken");
        assertThat(translator.translateExceptionIfPossible(new InvalidDataException("user", "create", taken, "23514",
                null))).isExactlyInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void concurrencyFailuresAreTransientLockingFailures() {
        assertThat(translator.translateExceptionIfPossible(ConcurrencyException.of("post", "Could not read post",
                "could not obtain lock", "55P03", null))).isInstanceOf(CannotAcquireLockException.class);
        assertThat(translator.translateExceptionIfPossible(ConcurrencyException.of(null, "The transaction failed",
                "could not serialize access", "40001", null))).isInstanceOf(PessimisticLockingFailureException.class)
                .isInstanceOf(TransientDataAccessException.class);
        assertThat(translator.translateExceptionIfPossible(StaleRecordException.changed("post", "update", "{id=1}",
                "lock_version", 3))).isInstanceOf(OptimisticLockingFailureException.class);
    }

    @Test
    void anActionAPolicyRefusesIsPermissionDenied() {
        assertThat(translator.translateExceptionIfPossible(new ForbiddenException("doc", "update", "update",
                "Cannot update doc"))).isInstanceOf(PermissionDeniedDataAccessException.class)
                .hasMessageContaining("Cannot update doc");
    }

    @Test
    void aStatementCancelledForItsTimeIsAQueryTimeout() {
        assertThat(translator.translateExceptionIfPossible(ActionTimeoutException.of("post", "Could not read post",
                Duration.ofMillis(200), "canceling statement due to user request", null)))
                .isInstanceOf(QueryTimeoutException.class).hasMessageContaining("200 ms");
    }

    @Test
    void aLostConnectionIsAResourceFailureAndDefinitionErrorsAreNotDataAccess() {
        assertThat(translator.translateExceptionIfPossible(DatabaseException.withState("connection lost", "08006",
                null))).isInstanceOf(DataAccessResourceFailureException.class);
        assertThat(translator.translateExceptionIfPossible(DatabaseException.withState("refused", "XX000", null)))
                .isInstanceOf(UncategorizedDataAccessException.class);
        assertThat(translator.translateExceptionIfPossible(new AshlarException(ErrorCode.INVALID_DEFINITION, "bad")))
                .isNull();
        assertThat(translator.translateExceptionIfPossible(new IllegalStateException("not Ashlar's"))).isNull();
    }
}
