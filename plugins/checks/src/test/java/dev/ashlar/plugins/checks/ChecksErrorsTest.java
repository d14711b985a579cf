package dev.ashlar.plugins.checks;

import dev.ashlar.spi.plugin.Action;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.api.resource.Domain;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.ashlar.plugins.checks.Orders.POSITIVE_AMOUNT;
import static dev.ashlar.plugins.checks.Orders.STATUS_VALID;
import static org.assertj.core.api.Assertions.assertThat;

/** Violations as the server reports them, turned into field errors carrying the check's message. */
class ChecksErrorsTest extends ProjectTest {
    private static final ChecksPlugin PLUGIN = new ChecksPlugin();

    private static Optional<AshlarException> map(DatabaseError error, Domain domain, String action) {
        return PLUGIN.mapError(error, new QueryContext(domain, domain.resource("order"), Action.valueOf(action.toUpperCase(java.util.Locale.ROOT)), null));
    }

    private static List<FieldError> errors(Optional<AshlarException> mapped) {
        return ((InvalidDataException) mapped.orElseThrow()).errors();
    }

    @Test
    void aViolationBecomesAFieldErrorOnTheCheckedAttributeWithTheChecksMessage() {
        Domain shop = Orders.with(POSITIVE_AMOUNT, STATUS_VALID);
        project.migrate(shop, "create_orders");

        DatabaseError error = project.failure("INSERT INTO orders (amount, status) VALUES (-5, 'active')");
        Optional<AshlarException> mapped = map(error, shop, "create");

        assertThat(error).extracting(DatabaseError::sqlState, DatabaseError::table, DatabaseError::constraint)
                .containsExactly("23514", "orders", "positive_amount_check");
        assertThat(errors(mapped)).containsExactly(new FieldError("amount", "Amount must be positive"));
        assertThat(errors(mapped).get(0)).extracting(FieldError::column, FieldError::constraint)
                .containsExactly("amount", "positive_amount_check");
        assertThat(mapped.orElseThrow()).hasMessage("Invalid order (create): amount Amount must be positive");
        assertThat(mapped.orElseThrow().sqlState()).contains("23514");
    }

    @Test
    void aCheckWithoutAttributesOrMessageReportsIsInvalidOnItsOwnName() {
        Domain shop = Orders.with(POSITIVE_AMOUNT, STATUS_VALID);
        project.migrate(shop, "create_orders");

        DatabaseError error = project.failure("INSERT INTO orders (amount, status) VALUES (5, 'lost')");

        assertThat(errors(map(error, shop, "create"))).containsExactly(new FieldError("status_valid", "is invalid"));
    }

    @Test
    void aCheckOnSeveralAttributesReportsOnEachOfThem() {
        Domain shop = Orders.with(Check.check("paid_when_completed")
                .expression("status <> 'completed' OR amount IS NOT NULL").attributes("status", "amount"));

        DatabaseError error = new DatabaseError("23514", "violates check constraint", null, "public", "orders", null,
                "orders_paid_when_completed_check");

        assertThat(errors(map(error, shop, "update"))).containsExactly(new FieldError("status", "is invalid"),
                new FieldError("amount", "is invalid"));
    }

    @Test
    void leavesOtherConstraintsAndOtherErrorsToTheNextMapper() {
        Domain shop = Orders.with(POSITIVE_AMOUNT);

        assertThat(map(new DatabaseError("23514", "violates", null, "public", "orders", null, "someone_elses_check"),
                shop, "create")).isEmpty();
        assertThat(map(new DatabaseError("23505", "duplicate", null, "public", "orders", null, "positive_amount_check"),
                shop, "create")).isEmpty();
    }
}
