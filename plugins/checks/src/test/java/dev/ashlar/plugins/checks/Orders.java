package dev.ashlar.plugins.checks;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;

/** The guide's example: orders whose amount and status are checked. */
final class Orders {
    static final Check POSITIVE_AMOUNT = Check.check("positive_amount").expression("amount > 0")
            .name("positive_amount_check").attributes("amount").message("Amount must be positive");
    static final Check STATUS_VALID = Check.check("status_valid")
            .expression("status IN ('pending', 'active', 'completed')");

    private Orders() {
    }

    static Domain with(Check... checks) {
        return with(INTEGER, checks);
    }

    static Domain with(Type amount, Check... checks) {
        Resource order = Resource.builder("order").table("orders").integerPrimaryKey("id")
                .attribute("amount", amount).attribute("status", TEXT)
                .with(CheckConstraints.of(checks)).build();
        return Domain.builder("shop").resource(order).build();
    }
}
