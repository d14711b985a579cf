package dev.ashlar.plugins.indexes;

import dev.ashlar.spi.plugin.Action;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

class UniqueViolationsTest {
    private final IndexesPlugin plugin = new IndexesPlugin();
    private final Domain domain = Domain.builder("app").resource(Resource.builder("user").table("users")
            .integerPrimaryKey("id").attribute("email", TEXT).attribute("first_name", TEXT).attribute("last_name", TEXT)
            .with(CustomIndexes.of(
                    index("lower(email)").unique().message("is already registered"),
                    index("first_name", "last_name").unique(),
                    index("last_name"),
                    index("lower(first_name)", "lower(last_name)").unique().name("users_full_name")
                            .errorFields("last_name"))).build()).build();
    private final QueryContext context = new QueryContext(domain, domain.resource("user"), Action.CREATE, null);

    private static DatabaseError violation(String sqlState, String table, String constraint) {
        return new DatabaseError(sqlState, "duplicate key value violates unique constraint", null, "public", table,
                null, constraint);
    }

    @Test
    void aViolatedUniqueExpressionIndexBecomesItsMessageOnTheAttributesItMentions() {
        Optional<AshlarException> mapped = plugin.mapError(
                violation(DatabaseError.UNIQUE_VIOLATION, "users", "users_lower_email_index"), context);

        assertThat(mapped).get().isInstanceOfSatisfying(InvalidDataException.class, e -> {
            assertThat(e.errors()).containsExactly(new FieldError("email", "is already registered"));
            assertThat(e.resource()).contains("user");
            assertThat(e.sqlState()).contains("23505");
            assertThat(e.getMessage()).isEqualTo("Invalid user (create): email is already registered");
        });
    }

    @Test
    void withoutAMessageEveryFieldOfTheIndexHasBeenTaken() {
        Optional<AshlarException> mapped = plugin.mapError(
                violation(DatabaseError.UNIQUE_VIOLATION, "users", "users_first_name_last_name_index"), context);

        assertThat(mapped).get().isInstanceOfSatisfying(InvalidDataException.class, e ->
                assertThat(e.errors()).containsExactly(new FieldError("first_name", "has already been taken"),
                        new FieldError("last_name", "has already been taken")));
    }

    @Test
    void errorFieldsTakeTheErrorInsteadOfTheFieldsTheIndexCovers() {
        Optional<AshlarException> mapped = plugin.mapError(
                violation(DatabaseError.UNIQUE_VIOLATION, "users", "users_full_name"), context);

        assertThat(mapped).get().isInstanceOfSatisfying(InvalidDataException.class, e ->
                assertThat(e.errors()).containsExactly(new FieldError("last_name", "has already been taken")));
    }

    @Test
    void leavesOtherErrorsOtherConstraintsAndOtherTablesToOthers() {
        assertThat(plugin.mapError(violation(DatabaseError.CHECK_VIOLATION, "users", "users_lower_email_index"),
                context)).isEmpty();
        assertThat(plugin.mapError(violation(DatabaseError.UNIQUE_VIOLATION, "users", "users_pkey"), context)).isEmpty();
        assertThat(plugin.mapError(violation(DatabaseError.UNIQUE_VIOLATION, "users", "users_last_name_index"),
                context)).isEmpty();
        assertThat(plugin.mapError(violation(DatabaseError.UNIQUE_VIOLATION, "accounts", "users_lower_email_index"),
                context)).isEmpty();
    }
}
