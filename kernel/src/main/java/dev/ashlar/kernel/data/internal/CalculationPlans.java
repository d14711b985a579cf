package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.internal.CalculationRules;
import dev.ashlar.api.resource.Calculation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Builds a resource's calculations in the order they name one another, each after those it reads, so a plan holds
 * the plans of the aggregates and calculations its SQL names, a calculation with arguments at their defaults. A
 * calculation that reaches itself is refused, and one that names a calculation with an argument without a default.
 */
final class CalculationPlans {
    private final String resource;
    private final Map<String, Calculation> declared = new LinkedHashMap<>();
    private final Map<String, DerivedPlan> built;

    /** @param built the resource's aggregates, by name; the calculations are added to it */
    private CalculationPlans(String resource, List<Calculation> calculations, Map<String, DerivedPlan> built) {
        this.resource = resource;
        this.built = built;
        calculations.forEach(calculation -> declared.put(calculation.name(), calculation));
    }

    /**
     * Adds the plan of each calculation to the resource's derived plans, which hold its aggregates.
     *
     * @throws DefinitionException naming a calculation that names itself, directly or through others
     */
    static void build(String resource, List<Calculation> calculations, Map<String, DerivedPlan> derived) {
        CalculationPlans plans = new CalculationPlans(resource, calculations, derived);
        for (Calculation calculation : calculations) {
            plans.plan(calculation, new LinkedHashSet<>());
        }
    }

    private void plan(Calculation calculation, LinkedHashSet<String> reading) {
        if (built.containsKey(calculation.name())) {
            return;
        }
        if (!reading.add(calculation.name())) {
            List<String> cycle = new ArrayList<>(reading);
            cycle = cycle.subList(cycle.indexOf(calculation.name()), cycle.size());
            throw DefinitionException.of(resource, calculation.name(), "calculation '" + calculation.name()
                    + "' reads itself through " + String.join(" -> ", cycle) + " -> " + calculation.name()
                    + "; a calculation may name the resource's aggregates and other calculations, but not in a circle");
        }
        List<DerivedPlan> uses = new ArrayList<>();
        for (Calculation other : declared.values()) {
            if (CalculationRules.names(calculation.sql(), other.name())) {
                plan(other, reading);
                if (((CalculationPlan) built.get(other.name())).needsArguments()) {
                    throw DefinitionException.of(resource, calculation.name(), "calculation '" + calculation.name()
                            + "' names calculation '" + other.name() + "', which reads it with its arguments' "
                            + "defaults, but an argument of '" + other.name() + "' has none; give each a default "
                            + "(.withDefault(...)) or write its SQL into '" + calculation.name() + "'");
                }
                uses.add(built.get(other.name()));
            }
        }
        for (DerivedPlan plan : List.copyOf(built.values())) {
            if (plan instanceof AggregatePlan && CalculationRules.names(calculation.sql(), plan.name())) {
                uses.add(plan);
            }
        }
        reading.remove(calculation.name());
        built.put(calculation.name(), CalculationPlan.of(resource, calculation, uses));
    }
}
