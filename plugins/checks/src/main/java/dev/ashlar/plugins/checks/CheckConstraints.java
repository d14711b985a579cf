package dev.ashlar.plugins.checks;

import dev.ashlar.api.resource.Extension;

import java.util.List;

/**
 * The check-constraints section of a resource: the guide's {@code check_constraints do ... end}.
 *
 * <pre>{@code
 * Resource.builder("order").table("orders")
 *         .integerPrimaryKey("id")
 *         .attribute("amount", INTEGER)
 *         .attribute("status", TEXT)
 *         .with(CheckConstraints.of(
 *                 check("positive_amount").expression("amount > 0").name("positive_amount_check")
 *                         .attributes("amount").message("Amount must be positive"),
 *                 check("status_valid").expression("status IN ('pending', 'active', 'completed')")))
 *         .build();
 * }</pre>
 */
public final class CheckConstraints implements Extension {
    /** The id of the plugin that reads this section. */
    public static final String PLUGIN = "checks";
    /** The jar that brings the plugin. */
    public static final String ARTIFACT = "dev.ashlar:ashlar-checks";

    private final List<Check> checks;

    private CheckConstraints(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    public static CheckConstraints of(Check... checks) {
        return new CheckConstraints(List.of(checks));
    }

    /** The checks, in declaration order. */
    public List<Check> checks() {
        return checks;
    }

    @Override
    public String plugin() {
        return PLUGIN;
    }

    @Override
    public String artifact() {
        return ARTIFACT;
    }

    @Override
    public String toString() {
        return "CheckConstraints" + checks;
    }
}
