package dev.ashlar.plugins.checks;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.checks.Orders.POSITIVE_AMOUNT;
import static dev.ashlar.plugins.checks.Orders.STATUS_VALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checks of a polymorphic resource: on each of its tables, and their violations mapped as on any resource. */
class PolymorphicChecksTest extends ProjectTest {
    static final Check POSITIVE = Check.check("positive_amount").expression("amount > 0").attributes("amount")
            .message("Amount must be positive");
    static final Domain DOMAIN = lines(POSITIVE, STATUS_VALID);

    static Domain lines(Check... checks) {
        return Domain.builder("shop").resource(Resource.builder("line")
                .polymorphic("order_lines", "quote_lines").integerPrimaryKey("id")
                .attribute("amount", INTEGER).attribute("status", TEXT)
                .with(CheckConstraints.of(checks)).build()).build();
    }

    @Test
    void eachTableHasTheChecksAndAViolationInEitherIsTheChecksFieldError() {
        project.migrate(DOMAIN, "create_lines");

        assertThat(project.definition("order_lines_positive_amount_check")).isEqualTo("CHECK ((amount > 0))");
        assertThat(project.definition("quote_lines_positive_amount_check")).isEqualTo("CHECK ((amount > 0))");
        assertThat(project.definition("order_lines_status_valid_check")).asString().startsWith("CHECK ((status");
        assertThat(project.definition("quote_lines_status_valid_check")).asString().startsWith("CHECK ((status");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .install(new ChecksPlugin()).build()) {
            assertThatThrownBy(() -> ashlar.create(Resource.inTable("line", "quote_lines"), Map.of("amount", -1)))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("Amount must be positive");
        }
        assertThat(db.value("SELECT count(*) FROM quote_lines")).isEqualTo(0L);
    }

    @Test
    void aCheckNamedAlikeOnEveryTableIsRefusedWithTheFix() {
        assertThatThrownBy(() -> Plugins.none().with(new ChecksPlugin()).check(lines(POSITIVE_AMOUNT)))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("name(\"positive_amount_check\") would name the check alike on every table")
                .hasMessageContaining("remove name(...)");
    }
}
